"""The live peewee models. Migrations never import these: they carry their own frozen names."""

from __future__ import annotations

import peewee

from frontdesk.db.database import database_proxy


class BaseModel(peewee.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version this database has been migrated to."""

    version = peewee.IntegerField()

    class Meta:
        table_name = "schema_version"


class Setting(BaseModel):
    key = peewee.CharField(max_length=64, primary_key=True)
    value = peewee.TextField()

    class Meta:
        table_name = "setting"


class ListItem(BaseModel):
    """An entry of a configurable list: business types, triage destinations, counters, documents."""

    kind = peewee.CharField(max_length=32)
    label = peewee.CharField(max_length=64)
    tag = peewee.CharField(max_length=32, null=True)
    position = peewee.IntegerField(default=0)
    active = peewee.BooleanField(default=True)

    class Meta:
        table_name = "list_item"
        indexes = ((("kind", "label"), True),)


class Visit(BaseModel):
    """One walk-in customer. Never deleted: voided with a reason instead."""

    arrived_at = peewee.DateTimeField(index=True)
    ticket_no = peewee.CharField(max_length=20, default="")
    customer_name = peewee.CharField(max_length=40, default="")
    phone = peewee.CharField(max_length=20, default="")
    business_type = peewee.ForeignKeyField(ListItem, column_name="business_type_id", backref="+")
    destination = peewee.ForeignKeyField(ListItem, column_name="destination_id", backref="+")
    special_needs = peewee.IntegerField(default=0)
    vip = peewee.BooleanField(default=False)
    documents_complete = peewee.BooleanField(default=True)
    missing_documents = peewee.TextField(default="")
    surrender_reason = peewee.CharField(max_length=32, null=True)
    retention = peewee.CharField(max_length=16, null=True)
    status = peewee.CharField(max_length=16)
    called_at = peewee.DateTimeField(null=True)
    finished_at = peewee.DateTimeField(null=True)
    outcome = peewee.CharField(max_length=32, null=True)
    served_by = peewee.CharField(max_length=40, default="")
    notes = peewee.TextField(default="")
    voided_at = peewee.DateTimeField(null=True)
    void_reason = peewee.TextField(default="")
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "visit"
        indexes = ((("status", "arrived_at"), False),)


ALL_MODELS = (SchemaVersion, Setting, ListItem, Visit)
