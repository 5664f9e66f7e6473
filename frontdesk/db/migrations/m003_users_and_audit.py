"""Version 3: users, the audit trail with its hash chain, and who registered each visit.

Frozen: these classes describe the tables as version 3 created them. Visits registered before
this version have no registering user (``created_by_id`` NULL): only a duty manager edits them.
"""

import peewee

VERSION = 3
GENESIS_HASH = "0" * 64  # the "previous hash" of the first entry


def apply(db: peewee.Database) -> None:
    class Base(peewee.Model):
        class Meta:
            database = db

    class User(Base):
        username = peewee.CharField(max_length=32)
        login = peewee.CharField(max_length=128, unique=True)
        display_name = peewee.CharField(max_length=40, default="")
        role = peewee.CharField(max_length=16)
        password_hash = peewee.CharField(max_length=255)
        active = peewee.BooleanField(default=True)
        failed_attempts = peewee.IntegerField(default=0)
        locked_until = peewee.DateTimeField(null=True)
        last_sign_in_at = peewee.DateTimeField(null=True)
        password_changed_at = peewee.DateTimeField()
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()

        class Meta:
            table_name = "app_user"

    class AuditEntry(Base):
        seq = peewee.BigIntegerField(unique=True)
        at = peewee.DateTimeField(index=True)
        user_id = peewee.IntegerField(null=True, index=True)
        username = peewee.CharField(max_length=64)
        station = peewee.CharField(max_length=64, default="")
        action = peewee.CharField(max_length=32)
        entity = peewee.CharField(max_length=32, default="")
        entity_id = peewee.BigIntegerField(null=True)
        before = peewee.TextField(default="")
        after = peewee.TextField(default="")
        detail = peewee.TextField(default="")
        prev_hash = peewee.CharField(max_length=64)
        hash = peewee.CharField(max_length=64)

        class Meta:
            table_name = "audit_entry"
            indexes = ((("entity", "entity_id"), False),)

    class AuditHead(Base):
        seq = peewee.BigIntegerField(default=0)
        hash = peewee.CharField(max_length=64)

        class Meta:
            table_name = "audit_head"

    db.create_tables([User, AuditEntry, AuditHead], safe=False)
    db.execute_sql(f"INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS_HASH}')")
    # Both SQLite and PostgreSQL add a nullable column with a reference in place.
    db.execute_sql("ALTER TABLE visit ADD COLUMN created_by_id INTEGER NULL REFERENCES app_user (id)")
