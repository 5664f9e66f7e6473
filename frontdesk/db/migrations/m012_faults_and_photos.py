"""Equipment faults (设备故障) and photos of check items.

- ``equipment_fault``: one row per fault of a hall device — which device (an entry of the
  ``device`` list, its label copied so the log reads the same after the list is edited), what is
  wrong, reported when and by whom, whether and when the "暂停使用" sign was posted, when the
  repairer was contacted (and who / the phone, as a note), when it was fixed. ``run_id`` and
  ``item_id`` link a fault opened from a failed check item to it. Versioned like every record.
- ``inspection_photo``: the photo attached to one answer of a run (PNG or JPEG bytes, in the
  database so a backup of the database holds it), one per answer.
- ``inspection_item.photo_on_fail``: the item asks for a photo when it fails.
- The ``device`` list, filled from the branch's preset.

Frozen: the names and the device lists below are those of this version.
"""

from __future__ import annotations

import peewee

VERSION = 12

_DEVICES = {
    "insurance": ("叫号机", "大厅电视", "自助终端", "POS机", "饮水机", "填单台", "复印机", "空调"),
    "bank": ("叫号机", "大厅电视", "存取款一体机(ATM)", "智能柜员机", "自助终端", "POS机", "点验钞机", "饮水机",
             "填单台", "空调"),
    "telecom": ("叫号机", "大厅电视", "自助终端", "手机体验台", "POS机", "饮水机", "填单台", "空调"),
    "hospital": ("叫号机", "大厅电视", "自助挂号缴费机", "报告打印机", "饮水机", "轮椅", "填单台", "空调"),
}


def apply(db: peewee.Database) -> None:
    class Base(peewee.Model):
        class Meta:
            database = db

    class ListItem(Base):
        class Meta:
            table_name = "list_item"

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class InspectionRun(Base):
        class Meta:
            table_name = "inspection_run"

    class InspectionItem(Base):
        class Meta:
            table_name = "inspection_item"

    class InspectionAnswer(Base):
        class Meta:
            table_name = "inspection_answer"

    class EquipmentFault(Base):
        device = peewee.ForeignKeyField(ListItem, column_name="device_id", null=True, backref="+")
        device_label = peewee.CharField(max_length=64)
        description = peewee.TextField(default="")
        reported_at = peewee.DateTimeField(index=True)
        reported_by = peewee.ForeignKeyField(AppUser, column_name="reported_by_id", null=True, backref="+")
        reported_by_name = peewee.CharField(max_length=64, default="")
        sign_posted_at = peewee.DateTimeField(null=True)
        repairer_contacted_at = peewee.DateTimeField(null=True)
        repairer_note = peewee.CharField(max_length=200, default="")
        fixed_at = peewee.DateTimeField(null=True, index=True)
        fixed_note = peewee.CharField(max_length=200, default="")
        run = peewee.ForeignKeyField(InspectionRun, column_name="run_id", null=True, backref="+")
        item = peewee.ForeignKeyField(InspectionItem, column_name="item_id", null=True, backref="+")
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)

        class Meta:
            table_name = "equipment_fault"

    class InspectionPhoto(Base):
        answer = peewee.ForeignKeyField(InspectionAnswer, column_name="answer_id", unique=True, backref="+")
        mime = peewee.CharField(max_length=16)
        data = peewee.BlobField()
        size = peewee.IntegerField()
        added_at = peewee.DateTimeField()
        added_by = peewee.ForeignKeyField(AppUser, column_name="added_by_id", null=True, backref="+")

        class Meta:
            table_name = "inspection_photo"

    db.create_tables([EquipmentFault, InspectionPhoto], safe=False)
    false = "FALSE" if isinstance(db, peewee.PostgresqlDatabase) else "0"
    db.execute_sql(f"ALTER TABLE inspection_item ADD COLUMN photo_on_fail BOOLEAN NOT NULL DEFAULT {false}")
    row = db.execute_sql("SELECT value FROM setting WHERE key = 'preset'").fetchone()
    devices = _DEVICES.get(row[0] if row else "", ())
    if not devices:
        return
    placeholder = db.param
    start = db.execute_sql(f"SELECT COALESCE(MAX(position), 0) FROM list_item WHERE kind = {placeholder}",
                           ("device",)).fetchone()[0]
    for n, label in enumerate(devices, start=1):
        exists = db.execute_sql(f"SELECT 1 FROM list_item WHERE kind = {placeholder} AND label = {placeholder}",
                                ("device", label)).fetchone()
        if exists is None:
            db.execute_sql(
                f"INSERT INTO list_item (kind, label, tag, position, active) VALUES ({placeholder}, {placeholder}, "
                f"NULL, {placeholder}, {placeholder})", ("device", label, start + n, True))
