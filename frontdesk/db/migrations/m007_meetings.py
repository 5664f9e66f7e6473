"""Meeting notes (晨会记录, 班后会, 月例会): meetings with their sections, attendance and grooming
check per person, action items carried over until done, the teaching-case book, the section
template of each kind (the administrator edits it) and the meeting settings.

Frozen: these classes and the preset sections describe the tables and rows as this version
created them. A meeting keeps its own copy of its section titles, so editing the template never
changes a past meeting.
"""

import peewee

VERSION = 7  # numbered when the branches meet; tests read it from here, never a literal

# (kind, [(key, title)]) — seed 001: praise first, then yesterday, notices, training, mood, today.
PRESET_SECTIONS = (
    ("morning", (
        ("praise", "表扬"),
        ("yesterday", "昨日工作"),
        ("notices", "政策与通知"),
        ("training", "业务培训"),
        ("mood", "情绪互动"),
        ("today", "今日重点"),
    )),
    ("after_shift", (
        ("praise", "表扬"),
        ("issues", "当日问题"),
        ("notices", "新业务与通知"),
    )),
    ("monthly", (
        ("praise", "表扬"),
        ("summary", "本月工作总结"),
        ("issues", "存在问题分析"),
        ("plan", "下阶段工作计划"),
        ("suggestions", "提高服务质量的建议"),
    )),
)


def apply(db: peewee.Database) -> None:
    class Base(peewee.Model):
        class Meta:
            database = db

    class User(Base):
        class Meta:
            table_name = "app_user"

    class Staff(Base):
        class Meta:
            table_name = "staff"

    class MeetingTemplateSection(Base):
        kind = peewee.CharField(max_length=16)
        position = peewee.IntegerField()
        key = peewee.CharField(max_length=32)
        title = peewee.CharField(max_length=40)

        class Meta:
            table_name = "meeting_template_section"
            indexes = ((("kind", "position"), True),)

    class MeetingConfig(Base):
        lead_minutes = peewee.IntegerField(default=15)
        planned_minutes = peewee.IntegerField(default=20)
        praise_only = peewee.BooleanField(default=True)
        version = peewee.IntegerField(default=1)

        class Meta:
            table_name = "meeting_config"

    class Meeting(Base):
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
        numbers = peewee.TextField(default="")
        finalised_at = peewee.DateTimeField(null=True)
        finalised_by = peewee.ForeignKeyField(User, column_name="finalised_by_id", null=True, backref="+")
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)

        class Meta:
            table_name = "meeting"

    class MeetingSection(Base):
        meeting = peewee.ForeignKeyField(Meeting, column_name="meeting_id", backref="+")
        position = peewee.IntegerField()
        key = peewee.CharField(max_length=32)
        title = peewee.CharField(max_length=40)
        text = peewee.TextField(default="")

        class Meta:
            table_name = "meeting_section"
            indexes = ((("meeting", "position"), True),)

    class MeetingAttendance(Base):
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

    class MeetingAction(Base):
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

    class TeachingCase(Base):
        title = peewee.CharField(max_length=80)
        category = peewee.CharField(max_length=40, default="")
        text = peewee.TextField()
        meeting = peewee.ForeignKeyField(Meeting, column_name="meeting_id", null=True, backref="+")
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()
        version = peewee.IntegerField(default=1)

        class Meta:
            table_name = "teaching_case"

    db.create_tables([MeetingTemplateSection, MeetingConfig, Meeting, MeetingSection, MeetingAttendance,
                      MeetingAction, TeachingCase], safe=False)
    for kind, sections in PRESET_SECTIONS:
        for position, (key, title) in enumerate(sections):
            MeetingTemplateSection.create(kind=kind, position=position, key=key, title=title)
    MeetingConfig.create(id=1)
