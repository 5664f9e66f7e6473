"""Complaint tickets (投诉工单) and their timeline: the complaints tab's tables.

Frozen: these classes describe the tables as this step created them. The step's number is
given at merge time (``VERSION``); nothing else depends on it.

- ``complaint``: one ticket of any kind (complaint, consultation needing a later answer,
  opinion-book or box entry, suggestion). Both deadlines and the earlier of them are stored,
  recomputed at every change of the ticket, so "due soon" and "overdue" are plain indexed
  comparisons of dates.
- ``complaint_event``: the ticket's timeline (accepted, contact, progress feedback, pause and
  resume, extension, new facts, withdrawal, reply with how and when it was sent, closed,
  reopened). Never edited or deleted: the timeline is the ticket's history.
- ``holiday_day``: the administrator's holiday calendar for a year the program's calendar does not
  know yet (the State Council's notice typed in): each day off and each make-up working day.
"""

import peewee

VERSION = 6


def apply(db: peewee.Database) -> None:
    class Base(peewee.Model):
        class Meta:
            database = db

    class User(Base):
        class Meta:
            table_name = "app_user"

    class Visit(Base):
        class Meta:
            table_name = "visit"

    class Complaint(Base):
        kind = peewee.CharField(max_length=16)
        channel = peewee.CharField(max_length=16)
        category = peewee.CharField(max_length=32)
        received_at = peewee.DateTimeField()
        accepted_on = peewee.DateField()
        first_contact = peewee.CharField(max_length=40)
        handler = peewee.CharField(max_length=40, default="")
        customer_name = peewee.CharField(max_length=40, default="")
        phone = peewee.CharField(max_length=20, default="")
        id_number = peewee.CharField(max_length=18, default="")
        acting_for = peewee.CharField(max_length=16, null=True)
        acting_note = peewee.CharField(max_length=100, default="")
        about = peewee.CharField(max_length=100, default="")
        motive = peewee.CharField(max_length=16, null=True)
        request = peewee.TextField(default="")
        description = peewee.TextField(default="")
        people = peewee.IntegerField(default=1)
        major = peewee.BooleanField(default=False)
        visit = peewee.ForeignKeyField(Visit, column_name="visit_id", null=True, backref="+")
        status = peewee.CharField(max_length=16)
        on_the_spot = peewee.BooleanField(default=False)
        regulatory_limit = peewee.IntegerField(null=True)
        internal_due = peewee.DateField(null=True)
        regulatory_due = peewee.DateField(null=True)
        due_on = peewee.DateField(null=True)
        due_provisional = peewee.BooleanField(default=False)
        replied_at = peewee.DateTimeField(null=True)
        reply_text = peewee.TextField(default="")
        reply_method = peewee.CharField(max_length=16, null=True)
        reply_proof = peewee.CharField(max_length=200, default="")
        satisfaction = peewee.CharField(max_length=16, null=True)
        validity = peewee.CharField(max_length=16, null=True)
        closed_at = peewee.DateTimeField(null=True)
        merged_into = peewee.IntegerField(null=True)
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)
        created_by = peewee.ForeignKeyField(User, column_name="created_by_id", null=True, backref="+",
                                            index=False)

        class Meta:
            table_name = "complaint"
            indexes = (
                (("status", "due_on"), False),
                (("received_at", "id"), False),
            )

    class ComplaintEvent(Base):
        complaint = peewee.ForeignKeyField(Complaint, column_name="complaint_id", backref="+")
        at = peewee.DateTimeField()
        kind = peewee.CharField(max_length=16)
        text = peewee.TextField(default="")
        days = peewee.IntegerField(null=True)
        reason = peewee.CharField(max_length=16, null=True)
        approved_by = peewee.CharField(max_length=40, default="")
        user_id = peewee.IntegerField(null=True)
        username = peewee.CharField(max_length=64, default="")

        class Meta:
            table_name = "complaint_event"

    class HolidayDay(Base):
        day = peewee.DateField(unique=True)
        kind = peewee.CharField(max_length=16)
        name = peewee.CharField(max_length=40, default="")
        source = peewee.CharField(max_length=60, default="")

        class Meta:
            table_name = "holiday_day"

    db.create_tables([Complaint, ComplaintEvent, HolidayDay], safe=False)
