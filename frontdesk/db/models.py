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
    # Destinations only: queue / on_spot / diverted (services.presets.HANDLINGS); NULL elsewhere.
    handling = peewee.CharField(max_length=16, null=True)
    position = peewee.IntegerField(default=0)
    active = peewee.BooleanField(default=True)

    class Meta:
        table_name = "list_item"
        indexes = ((("kind", "label"), True),)


class User(BaseModel):
    """Someone who signs in. Never deleted: deactivated, so their records keep their name.

    ``login`` is the user name folded for comparison (NFKC, case-folded): names differ only by
    case or width cannot both exist. Only a salted slow hash of the password is stored.
    """

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
    created_by = peewee.ForeignKeyField(User, column_name="created_by_id", null=True, backref="+", index=False)

    class Meta:
        table_name = "visit"
        indexes = ((("status", "arrived_at"), False),)


class AuditEntry(BaseModel):
    """One entry of the audit trail, chained to the one before by its hash.

    ``seq`` is the entry's place in the chain (1, 2, 3 …, no gaps), given under the chain's lock,
    so it is the order the entries were committed in whatever the id sequence did. ``hash`` is
    SHA-256 over every other column and the previous entry's hash: changing, removing or
    inserting an entry breaks every hash after it. ``user_id`` is not a foreign key: a restored
    or merged database keeps entries of users it does not hold, by name.
    """

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


class AuditHead(BaseModel):
    """One row: the newest entry of the chain. Appending locks it, so entries queue up in order."""

    seq = peewee.BigIntegerField(default=0)
    hash = peewee.CharField(max_length=64)

    class Meta:
        table_name = "audit_head"


ALL_MODELS = (SchemaVersion, Setting, ListItem, User, Visit, AuditEntry, AuditHead)


# ------------------------------------------------ staff roster and checklist inspections


class Staff(BaseModel):
    """Someone on the hall's roster (人员名册), with or without a user account. Never deleted."""

    name = peewee.CharField(max_length=40)
    staff_no = peewee.CharField(max_length=20, unique=True)
    position = peewee.CharField(max_length=16)
    counter = peewee.CharField(max_length=20, default="")
    active = peewee.BooleanField(default=True)
    user = peewee.ForeignKeyField(User, column_name="user_id", null=True, backref="+")
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "staff"


class StaffDuty(BaseModel):
    """One person ticked on the duty list of one day. A day with no rows: everyone active."""

    day = peewee.DateField()
    staff = peewee.ForeignKeyField(Staff, column_name="staff_id", backref="+")

    class Meta:
        table_name = "staff_duty"
        indexes = ((("day", "staff"), True),)


class InspectionTemplate(BaseModel):
    """One revision of a checklist. Never changed in place: an edit adds the next revision."""

    key = peewee.CharField(max_length=32)
    revision = peewee.IntegerField()
    kind = peewee.CharField(max_length=16)
    name = peewee.CharField(max_length=40)
    due_weekdays = peewee.IntegerField(default=0b1111111)
    is_current = peewee.BooleanField(default=True)
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(null=True)
    created_by = peewee.ForeignKeyField(User, column_name="created_by_id", null=True, backref="+")

    class Meta:
        table_name = "inspection_template"
        indexes = ((("key", "revision"), True),)


class InspectionItem(BaseModel):
    template = peewee.ForeignKeyField(InspectionTemplate, column_name="template_id", backref="+")
    position = peewee.IntegerField()
    section = peewee.CharField(max_length=40, default="")
    text = peewee.CharField(max_length=200)
    weight = peewee.IntegerField(default=1)
    scored = peewee.BooleanField(default=True)
    allow_na = peewee.BooleanField(default=False)
    note_on_fail = peewee.BooleanField(default=True)
    action_on_fail = peewee.BooleanField(default=True)
    photo_on_fail = peewee.BooleanField(default=False)

    class Meta:
        table_name = "inspection_item"


class InspectionRun(BaseModel):
    """One walk of one template revision; ``score`` and ``failed`` are stored when it is finished."""

    template = peewee.ForeignKeyField(InspectionTemplate, column_name="template_id", backref="+")
    day = peewee.DateField(index=True)
    status = peewee.CharField(max_length=16)
    inspector = peewee.ForeignKeyField(User, column_name="inspector_id", null=True, backref="+")
    inspector_name = peewee.CharField(max_length=64, default="")
    started_at = peewee.DateTimeField()
    finished_at = peewee.DateTimeField(null=True)
    score = peewee.FloatField(null=True)
    failed = peewee.IntegerField(default=0)
    signed_by = peewee.ForeignKeyField(User, column_name="signed_by_id", null=True, backref="+")
    signed_at = peewee.DateTimeField(null=True)
    sample_seed = peewee.BigIntegerField(null=True)
    on_duty = peewee.TextField(default="")
    drawn = peewee.TextField(default="")
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "inspection_run"


class InspectionAnswer(BaseModel):
    """The answer to one item of a run (for service sampling: of one sampled person)."""

    run = peewee.ForeignKeyField(InspectionRun, column_name="run_id", backref="+")
    item = peewee.ForeignKeyField(InspectionItem, column_name="item_id", backref="+")
    staff = peewee.ForeignKeyField(Staff, column_name="staff_id", null=True, backref="+")
    result = peewee.CharField(max_length=8)
    points = peewee.IntegerField(null=True)
    note = peewee.TextField(default="")
    answered_at = peewee.DateTimeField()

    class Meta:
        table_name = "inspection_answer"
        indexes = ((("run", "item", "staff"), False),)


class CorrectiveAction(BaseModel):
    """整改项: what a failed item asks to be put right, by whom and when: open → done → verified."""

    run = peewee.ForeignKeyField(InspectionRun, column_name="run_id", backref="+")
    answer = peewee.ForeignKeyField(InspectionAnswer, column_name="answer_id", null=True, backref="+")
    what = peewee.TextField()
    owner = peewee.ForeignKeyField(Staff, column_name="owner_id", null=True, backref="+")
    due_on = peewee.DateField(null=True)
    status = peewee.CharField(max_length=16, index=True)
    done_at = peewee.DateTimeField(null=True)
    verified_at = peewee.DateTimeField(null=True)
    verified_by = peewee.ForeignKeyField(User, column_name="verified_by_id", null=True, backref="+")
    note = peewee.TextField(default="")
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "corrective_action"


ALL_MODELS = (*ALL_MODELS, Staff, StaffDuty, InspectionTemplate, InspectionItem, InspectionRun,
              InspectionAnswer, CorrectiveAction)


class Complaint(BaseModel):
    """A complaint ticket (or consultation, opinion-book entry, suggestion). Never deleted.

    ``internal_due``/``regulatory_due`` are the two deadlines, ``due_on`` the earlier one; all
    three are recomputed by ``services.complaints`` at every change, from the timeline.
    """

    kind = peewee.CharField(max_length=16)
    channel = peewee.CharField(max_length=16)
    category = peewee.CharField(max_length=64)  # the label of a complaint category, as registered
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
    merged_into = peewee.IntegerField(null=True)  # a repeat: the ticket it was merged into
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)
    created_by = peewee.ForeignKeyField(User, column_name="created_by_id", null=True, backref="+", index=False)

    class Meta:
        table_name = "complaint"
        indexes = (
            (("status", "due_on"), False),
            (("received_at", "id"), False),
        )


class ComplaintEvent(BaseModel):
    """One entry of a ticket's timeline: who, when, what. Never edited or deleted."""

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


class HolidayDay(BaseModel):
    """A day of the State Council's holiday notice: off (``holiday``) or a make-up working day
    (``workday``), copied from chinesecalendar or typed in by the administrator (``source``).
    Deadlines are counted with this table alone; a year with any day here counts as known."""

    day = peewee.DateField(unique=True)
    kind = peewee.CharField(max_length=16)
    name = peewee.CharField(max_length=40, default="")
    source = peewee.CharField(max_length=60, default="")

    class Meta:
        table_name = "holiday_day"


ALL_MODELS = (*ALL_MODELS, Complaint, ComplaintEvent, HolidayDay)


# ------------------------------------------- meetings (晨会, 班后会, 月例会) and teaching cases


class MeetingTemplateSection(BaseModel):
    """One section of a meeting kind's template, in order (the administrator edits them)."""

    kind = peewee.CharField(max_length=16)
    position = peewee.IntegerField()
    key = peewee.CharField(max_length=32)
    title = peewee.CharField(max_length=40)

    class Meta:
        table_name = "meeting_template_section"
        indexes = ((("kind", "position"), True),)


class MeetingConfig(BaseModel):
    """One row (id 1): how early the morning meeting starts, how long it is planned to run."""

    lead_minutes = peewee.IntegerField(default=15)
    planned_minutes = peewee.IntegerField(default=20)
    praise_only = peewee.BooleanField(default=True)
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "meeting_config"


class Meeting(BaseModel):
    """One meeting: a draft until the duty manager finalises it; re-opening is audited."""

    kind = peewee.CharField(max_length=16)
    day = peewee.DateField(index=True)
    planned_start = peewee.TimeField(null=True)
    planned_minutes = peewee.IntegerField(default=20)
    started_at = peewee.TimeField(null=True)
    ended_at = peewee.TimeField(null=True)
    host = peewee.ForeignKeyField(Staff, column_name="host_id", null=True, backref="+")
    host_name = peewee.CharField(max_length=40, default="")
    status = peewee.CharField(max_length=16)
    numbers_day = peewee.DateField(null=True)
    numbers = peewee.TextField(default="")  # the figures as shown: JSON [[label, value], …]
    finalised_at = peewee.DateTimeField(null=True)
    finalised_by = peewee.ForeignKeyField(User, column_name="finalised_by_id", null=True, backref="+")
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "meeting"


class MeetingSection(BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, column_name="meeting_id", backref="+")
    position = peewee.IntegerField()
    key = peewee.CharField(max_length=32)
    title = peewee.CharField(max_length=40)
    text = peewee.TextField(default="")

    class Meta:
        table_name = "meeting_section"
        indexes = ((("meeting", "position"), True),)


class MeetingAttendance(BaseModel):
    """One person of the roster at one meeting, with the grooming check (仪容仪表)."""

    meeting = peewee.ForeignKeyField(Meeting, column_name="meeting_id", backref="+")
    staff = peewee.ForeignKeyField(Staff, column_name="staff_id", backref="+")
    staff_name = peewee.CharField(max_length=40)
    status = peewee.CharField(max_length=16)
    late_minutes = peewee.IntegerField(null=True)
    leave_kind = peewee.CharField(max_length=16, default="")
    grooming = peewee.CharField(max_length=16, default="")
    grooming_note = peewee.CharField(max_length=200, default="")

    class Meta:
        table_name = "meeting_attendance"
        indexes = ((("meeting", "staff"), True),)


class MeetingAction(BaseModel):
    """An action item: shown at every later meeting until it is done."""

    meeting = peewee.ForeignKeyField(Meeting, column_name="meeting_id", backref="+")
    text = peewee.TextField()
    owner = peewee.ForeignKeyField(Staff, column_name="owner_id", null=True, backref="+")
    due_on = peewee.DateField(null=True)
    done_at = peewee.DateTimeField(null=True, index=True)
    done_by = peewee.ForeignKeyField(User, column_name="done_by_id", null=True, backref="+")
    done_by_name = peewee.CharField(max_length=64, default="")
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "meeting_action"


class TeachingCase(BaseModel):
    """A typical case (典型案例) for training new staff: what happened, what was done, the lesson;
    from a meeting or a closed complaint (one case a complaint)."""

    title = peewee.CharField(max_length=80)
    tags = peewee.CharField(max_length=200, default="")  # words separated by a space
    situation = peewee.TextField()
    meeting = peewee.ForeignKeyField(Meeting, column_name="meeting_id", null=True, backref="+")
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)
    handling = peewee.TextField(default="")
    lesson = peewee.TextField(default="")
    complaint = peewee.ForeignKeyField(Complaint, column_name="complaint_id", null=True, unique=True, backref="+")

    class Meta:
        table_name = "teaching_case"


ALL_MODELS = (*ALL_MODELS, MeetingTemplateSection, MeetingConfig, Meeting, MeetingSection, MeetingAttendance,
              MeetingAction, TeachingCase)


class VisitCare(BaseModel):
    """Something the guide did for a visit beyond registering it (``kind``: ``slip``, the
    一次性告知 slip handed over; ``water``, ``calm``: care while waiting), when and by whom (by
    name, like the audit trail)."""

    visit = peewee.ForeignKeyField(Visit, column_name="visit_id", backref="+", index=True)
    kind = peewee.CharField(max_length=16)
    at = peewee.DateTimeField(index=True)
    user_id = peewee.IntegerField(null=True)
    username = peewee.CharField(max_length=64, default="")
    detail = peewee.TextField(default="")

    class Meta:
        table_name = "visit_care"


ALL_MODELS = (*ALL_MODELS, VisitCare)


class CounterDay(BaseModel):
    """A counter (a destination that queues) opened or closed for one day: one row per change,
    the latest the state; a counter without a row that day is open."""

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


ALL_MODELS = (*ALL_MODELS, CounterDay)


class EquipmentFault(BaseModel):
    """设备故障: a hall device out of order, from the report to the repair (migration 12)."""

    device = peewee.ForeignKeyField(ListItem, column_name="device_id", null=True, backref="+")
    device_label = peewee.CharField(max_length=64)
    description = peewee.TextField(default="")
    reported_at = peewee.DateTimeField(index=True)
    reported_by = peewee.ForeignKeyField(User, column_name="reported_by_id", null=True, backref="+")
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


class InspectionPhoto(BaseModel):
    """The photo of one answer (PNG or JPEG bytes, kept in the database: backed up with it)."""

    answer = peewee.ForeignKeyField(InspectionAnswer, column_name="answer_id", unique=True, backref="+")
    mime = peewee.CharField(max_length=16)
    data = peewee.BlobField()
    size = peewee.IntegerField()
    added_at = peewee.DateTimeField()
    added_by = peewee.ForeignKeyField(User, column_name="added_by_id", null=True, backref="+")

    class Meta:
        table_name = "inspection_photo"


ALL_MODELS = (*ALL_MODELS, EquipmentFault, InspectionPhoto)
