"""What the guide did for a visit beyond registering it: the 一次性告知 slip handed over, water
brought to a customer waiting 5 minutes, an anxious customer calmed.

``visit_care`` holds one row per action (``kind``: ``slip``, ``water``, ``calm``), with the time and who did
it (the user's id and name, kept by name like the audit trail). ``detail`` says what: for a slip,
its format and the papers ticked on it.

Frozen: the class below describes the table as this version created it.
"""

import peewee

VERSION = 8  # numbered when the branches meet; tests read it from here, never a literal


def apply(db: peewee.Database) -> None:
    class Base(peewee.Model):
        class Meta:
            database = db

    class Visit(Base):
        class Meta:
            table_name = "visit"

    class VisitCare(Base):
        visit = peewee.ForeignKeyField(Visit, column_name="visit_id", backref="+", index=True)
        kind = peewee.CharField(max_length=16)
        at = peewee.DateTimeField(index=True)
        user_id = peewee.IntegerField(null=True)
        username = peewee.CharField(max_length=64, default="")
        detail = peewee.TextField(default="")

        class Meta:
            table_name = "visit_care"

    db.create_tables([VisitCare], safe=False)
