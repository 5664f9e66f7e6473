"""Counters opened and closed for the day by the duty manager, without the administrator.

``counter_day`` holds one row per change: on ``day``, the destination ``entry_id`` (a list entry
that queues) was opened (``open`` true) or closed, at ``at`` by the user (id and name, kept by
name like the audit trail), with an optional ``reason`` for closing (人手不足, 设备故障 …). The
latest row of a (day, entry) is its state; a counter without a row is open.

Frozen: the class below describes the table as this version created it.
"""

import peewee

VERSION = 10


def apply(db: peewee.Database) -> None:
    class Base(peewee.Model):
        class Meta:
            database = db

    class ListItem(Base):
        class Meta:
            table_name = "list_item"

    class CounterDay(Base):
        day = peewee.DateField()
        entry = peewee.ForeignKeyField(ListItem, column_name="entry_id", backref="+")
        open = peewee.BooleanField()
        at = peewee.DateTimeField()
        user_id = peewee.IntegerField(null=True)
        username = peewee.CharField(max_length=64, default="")
        reason = peewee.CharField(max_length=64, default="")

        class Meta:
            table_name = "counter_day"
            indexes = ((("day", "entry_id", "at"), False),)

    db.create_tables([CounterDay], safe=False)
