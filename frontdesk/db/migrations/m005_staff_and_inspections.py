"""The staff roster and checklist inspections: staff, duty lists, versioned templates, runs,
answers and corrective actions; and the six preset templates of seeds 001 and 002.

Frozen: these classes and the preset texts describe the tables and rows as this version created
them. A template is never changed in place: an edit adds a new revision (``revision`` + 1) and
makes it the current one, and a run points at the exact revision it used. Photos are not stored
by this version.
"""

import peewee

VERSION = 5  # numbered when the branches meet; tests read it from here, never a literal

EVERY_DAY = 0b1111111  # Monday is bit 0
MONDAY = 0b0000001

# (key, kind, name, due weekdays, [(section, text, weight, allow_na, note_on_fail, action_on_fail)])
PRESETS = (
    ("opening", "opening", "班前检查", EVERY_DAY, (
        ("环境卫生", "营业厅内外环境整洁（四净四无：地面、台面、玻璃、墙面净；无杂物、无污渍、无灰尘、无异味）", 2, False, True, True),
        ("环境卫生", "卫生间清洁无异味、无积水", 1, True, True, True),
        ("标识物品", "台席桌牌、员工胸牌佩戴齐全", 1, False, True, True),
        ("标识物品", "意见簿（意见箱）在位，意见卡齐备", 1, False, True, True),
        ("标识物品", "宣传资料齐全且在有效期内", 1, False, True, True),
        ("标识物品", "填单台单证、签字笔、填写示范齐备", 1, False, True, True),
        ("设备", "叫号机开启并运转正常", 2, False, True, True),
        ("设备", "大厅电视开启并运转正常", 1, True, True, True),
        ("设备", "自助终端开启并运转正常", 2, True, True, True),
        ("设备", "POS 机运转正常", 1, True, True, True),
        ("设备", "饮水机有水、一次性水杯齐备", 1, False, True, True),
        ("秩序与安全", "一米线完整，无破损卷翘", 1, False, True, True),
        ("秩序与安全", "无障碍通道通畅", 2, False, True, True),
        ("秩序与安全", "雨雪天气已摆放防滑警示牌", 1, True, True, True),
    )),
    ("patrol", "patrol", "现场巡视", EVERY_DAY, (
        ("营业秩序", "客户等候有序，排队隔离带整齐", 1, False, True, True),
        ("营业秩序", "等候超时客户已安抚（提供饮水）", 1, True, True, True),
        ("服务行为", "员工仪容仪表、服务用语规范", 2, False, True, True),
        ("服务行为", "员工在岗，无串岗、聊天、吃零食", 2, False, True, True),
        ("设施", "宣传资料摆放整齐、及时补足", 1, False, True, True),
        ("设施", "自助设备无缺纸、卡纸、故障", 1, True, True, True),
    )),
    ("closing", "closing", "闭厅检查", EVERY_DAY, (
        ("系统与设备", "员工已退出业务系统", 2, False, True, True),
        ("系统与设备", "电脑已关闭", 1, False, True, True),
        ("系统与设备", "空调已关闭", 1, True, True, True),
        ("系统与设备", "办公机具及设备电源已关闭", 1, False, True, True),
        ("物品与安全", "贵重物品、单证已妥善存放，无遗落", 2, False, True, True),
        ("物品与安全", "无消防隐患", 2, False, True, True),
        ("物品与安全", "意见簿（意见箱）已查看并登记", 1, False, True, True),
    )),
    ("fire", "fire", "消防器材巡检", MONDAY, (
        ("消防器材", "灭火器在位，压力正常，在有效期内", 2, False, True, True),
        ("消防器材", "消防栓完好，无遮挡", 2, True, True, True),
        ("疏散", "安全出口、疏散通道畅通", 2, False, True, True),
        ("疏散", "应急照明、疏散指示标志完好", 1, False, True, True),
    )),
    ("self_service", "self_service", "自助设备检查", EVERY_DAY, (
        ("自助设备", "自助终端开机运转正常", 2, False, True, True),
        ("自助设备", "打印纸充足，无卡纸", 1, False, True, True),
        ("自助设备", "故障设备已张贴“暂停使用”标志并上报", 2, True, True, True),
        ("自助设备", "设备外观清洁，操作指引完整", 1, False, True, True),
    )),
    ("sampling", "sampling", "服务抽查", EVERY_DAY, (
        ("服务", "微笑", 1, False, True, True),
        ("服务", "主动性", 1, False, True, True),
        ("服务", "规范用语", 1, False, True, True),
        ("业务能力", "业务熟练程度", 1, False, True, True),
        ("业务能力", "办理速度", 1, False, True, True),
        ("业务能力", "操作正确性", 1, False, True, True),
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

    class StaffDuty(Base):
        day = peewee.DateField()
        staff = peewee.ForeignKeyField(Staff, column_name="staff_id", backref="+")

        class Meta:
            table_name = "staff_duty"
            indexes = ((("day", "staff"), True),)

    class InspectionTemplate(Base):
        key = peewee.CharField(max_length=32)
        revision = peewee.IntegerField()
        kind = peewee.CharField(max_length=16)
        name = peewee.CharField(max_length=40)
        due_weekdays = peewee.IntegerField(default=EVERY_DAY)
        is_current = peewee.BooleanField(default=True)
        active = peewee.BooleanField(default=True)
        created_at = peewee.DateTimeField(null=True)  # NULL: a preset shipped with the program
        created_by = peewee.ForeignKeyField(User, column_name="created_by_id", null=True, backref="+")

        class Meta:
            table_name = "inspection_template"
            indexes = ((("key", "revision"), True),)

    class InspectionItem(Base):
        template = peewee.ForeignKeyField(InspectionTemplate, column_name="template_id", backref="+")
        position = peewee.IntegerField()
        section = peewee.CharField(max_length=40, default="")
        text = peewee.CharField(max_length=200)
        weight = peewee.IntegerField(default=1)
        scored = peewee.BooleanField(default=True)
        allow_na = peewee.BooleanField(default=False)
        note_on_fail = peewee.BooleanField(default=True)
        action_on_fail = peewee.BooleanField(default=True)

        class Meta:
            table_name = "inspection_item"

    class InspectionRun(Base):
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

    class InspectionAnswer(Base):
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

    class CorrectiveAction(Base):
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

    db.create_tables([Staff, StaffDuty, InspectionTemplate, InspectionItem, InspectionRun,
                      InspectionAnswer, CorrectiveAction], safe=False)
    for key, kind, name, weekdays, items in PRESETS:
        template = InspectionTemplate.create(key=key, revision=1, kind=kind, name=name,
                                             due_weekdays=weekdays)
        for position, (section, text, weight, allow_na, note, action) in enumerate(items):
            InspectionItem.create(template=template, position=position, section=section, text=text,
                                  weight=weight, allow_na=allow_na, note_on_fail=note,
                                  action_on_fail=action)
