"""Industry presets: the lists a new branch starts with (PRODUCT.md §1, seeds 000–004).

Each entry is ``(label, tag)``. Tags give an entry a meaning the program relies on
(``surrender`` shows the surrender reason; ``counter`` marks a counter window …); labels are
free for the administrator to change.

A destination also has a handling (``HANDLINGS``): the customer waits in the counter queue, is
answered on the spot, or is sent elsewhere. Every preset sets it through ``HANDLING_BY_TAG``;
the administrator can change it per entry in the settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from frontdesk.i18n import _

BUSINESS_TYPE = "business_type"
DESTINATION = "destination"
DOCUMENT = "document"
CARE_ACTION = "care_action"
# What the guide does for a customer kept waiting (seeds 000, 003), the same in every hall;
# the first is the waiting panel's one-key action (F8), the others are offered in a menu (F9).
CARE_ACTIONS = (_("已送水"), _("已安抚"), _("已告知预计等候时间"), _("已引导至自助"), _("已报告值班经理"))
DEVICE = "device"  # the hall's equipment, for the fault log (设备故障)
COMPLAINT_CATEGORY = "complaint_category"  # the categories of complaint tickets (投诉类别)
LIST_KINDS = (BUSINESS_TYPE, DESTINATION, DOCUMENT, CARE_ACTION, DEVICE, COMPLAINT_CATEGORY)

# How a destination handles the customer sent there.
QUEUE, ON_SPOT, DIVERTED = "queue", "on_spot", "diverted"
HANDLINGS: dict[str, str] = {
    QUEUE: _("排队等候叫号"),
    ON_SPOT: _("现场解答"),
    DIVERTED: _("分流至他处"),
}
# The presets' destinations by role tag: the counters, the priority window, the VIP room and the
# reception room serve customers in turn; the consultation desk answers them where they stand;
# the self-service area, the remote channels and other departments take them elsewhere.
HANDLING_BY_TAG: dict[str | None, str] = {
    "counter": QUEUE, "priority": QUEUE, "vip": QUEUE, "reception": QUEUE,
    "consult": ON_SPOT,
    "self_service": DIVERTED, "online": DIVERTED, "department": DIVERTED,
}


def handling_for(kind: str, tag: str | None) -> str | None:
    """The handling a preset gives an entry: destinations by their tag (a queue if untagged)."""
    return HANDLING_BY_TAG.get(tag, QUEUE) if kind == DESTINATION else None


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    business_types: tuple[tuple[str, str | None], ...]
    destinations: tuple[tuple[str, str | None], ...]
    documents: tuple[str, ...]
    # The papers each business needs, with what each is for ("" where nothing needs saying):
    # the checklist of the 一次性告知 slip (seed 002), keyed by the business type's label.
    papers: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # The hall's devices whose faults are logged (seeds 001, 002: a faulty one gets "暂停使用").
    devices: tuple[str, ...] = ()

    def items(self, kind: str) -> tuple[tuple[str, str | None], ...]:
        if kind == BUSINESS_TYPE:
            return self.business_types
        if kind == DESTINATION:
            return self.destinations
        if kind == CARE_ACTION:
            return tuple((label, None) for label in CARE_ACTIONS)
        if kind == DEVICE:
            return tuple((label, None) for label in self.devices)
        if kind == COMPLAINT_CATEGORY:
            return tuple((label, None) for label in COMPLAINT_CATEGORIES.get(self.name, ()))
        return tuple((label, None) for label in self.documents)


# The categories of complaint tickets each industry starts with; a ticket keeps the label it was
# registered with, whatever the list becomes. Banks: the complaint causes (投诉原因) of JR/T
# 0169-2018 (金融消费者投诉统计分类及编码 银行业); insurers: the complaint reasons (投诉事由) of
# GB/T 43568-2023 (保险消费投诉处理规范) as insurers report them; telecom halls and hospitals:
# what their service-quality complaints are commonly classified by.
COMPLAINT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "bank": (
        "管理制度、业务规则与流程", "营销方式和手段", "信息披露", "自主选择权", "定价收费", "合同条款",
        "服务态度及服务质量", "服务设施、设备、业务系统", "消费者资金安全", "消费者信息安全",
        "债务催收方式和手段", "其他",
    ),
    "insurance": (
        "销售纠纷", "承保纠纷", "理赔纠纷", "退保纠纷", "保全纠纷", "续期/续保纠纷",
        "服务态度及服务质量", "服务设施设备", "信息安全", "其他",
    ),
    "telecom": (
        "资费与计费争议", "业务办理", "营销宣传", "网络与通信质量", "故障维修", "服务态度及服务质量",
        "服务设施设备", "个人信息安全", "其他",
    ),
    "hospital": (
        "服务态度", "医疗质量与安全", "医疗收费", "就诊流程与等候", "医德医风", "环境与设施设备",
        "信息与隐私", "其他",
    ),
}


def _counters(count: int, label: str = "{n}号窗口") -> tuple[tuple[str, str], ...]:
    return tuple((label.format(n=n), "counter") for n in range(1, count + 1))


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="insurance",
            label=_("保险柜面"),
            business_types=(
                ("咨询", "consult"), ("缴费", None), ("新契约/投保", None), ("保全变更", None),
                ("理赔", None), ("退保", "surrender"), ("投诉", "complaint"), ("查询", None),
            ),
            destinations=_counters(4) + (
                ("爱心窗口", "priority"), ("自助服务区", "self_service"), ("贵宾室", "vip"),
                ("咨询台", "consult"), ("客户接待室", "reception"), ("其他部门", "department"),
                ("推荐电话/网上/手机渠道", "online"),
            ),
            documents=(
                "投保人身份证原件", "被保险人身份证原件", "保单原件", "银行卡/存折", "授权委托书",
                "受托人身份证", "理赔申请书", "病历/诊断证明", "医疗费用发票原件", "关系证明/户口本",
            ),
            papers={
                "缴费": (("保单原件或保单号", "核对保单"), ("银行卡/存折", "缴纳保费")),
                "新契约/投保": (
                    ("投保人身份证原件", "核实投保人身份"), ("被保险人身份证原件", "核实被保险人身份"),
                    ("银行卡/存折", "首期及续期保费划款"), ("关系证明/户口本", "证明投保人与被保险人的关系"),
                ),
                "保全变更": (
                    ("保单原件", "办理变更"), ("投保人身份证原件", "核实申请人身份"),
                    ("保全变更申请书", "填写变更事项"), ("授权委托书", "他人代办时需要"),
                    ("受托人身份证", "他人代办时需要"),
                ),
                "理赔": (
                    ("理赔申请书", "申请理赔"), ("被保险人身份证原件", "核实被保险人身份"),
                    ("病历/诊断证明", "证明病情及治疗经过"), ("医疗费用发票原件", "核定医疗费用"),
                    ("费用清单", "核定医疗费用明细"), ("银行卡/存折", "领取理赔款"),
                    ("授权委托书", "他人代办时需要"), ("受托人身份证", "他人代办时需要"),
                ),
                "退保": (
                    ("保单原件", "办理退保"), ("投保人身份证原件", "核实投保人身份"),
                    ("退保申请书", "申请退保"), ("银行卡/存折", "领取退保金"),
                ),
                "查询": (("投保人身份证原件", "核实身份后查询保单信息"),),
            },
            devices=("叫号机", "大厅电视", "自助终端", "POS机", "饮水机", "填单台", "复印机", "空调"),
        ),
        Preset(
            name="bank",
            label=_("银行网点"),
            business_types=(
                ("现金", None), ("非现金", None), ("理财", None), ("开户", None), ("挂失", None),
                ("对公", None), ("信贷", None), ("咨询", "consult"), ("投诉", "complaint"),
            ),
            destinations=_counters(6) + (
                ("爱心窗口", "priority"), ("自助服务区", "self_service"), ("理财室/贵宾室", "vip"),
                ("咨询台", "consult"), ("客户接待室", "reception"), ("对公/信贷部门", "department"),
                ("推荐手机/网上银行", "online"),
            ),
            documents=(
                "本人身份证原件", "银行卡/存折", "代理人身份证", "授权委托书", "关系证明/户口本",
                "营业执照", "公章/财务章", "收入证明",
            ),
            papers={
                "现金": (("本人身份证原件", "大额存取款核实身份"), ("银行卡/存折", "存取款账户")),
                "非现金": (("本人身份证原件", "核实身份"), ("银行卡/存折", "办理账户业务")),
                "理财": (("本人身份证原件", "核实身份"), ("银行卡/存折", "购买及赎回资金账户")),
                "开户": (
                    ("本人身份证原件", "实名开户"), ("本人手机", "接收验证码、绑定账户"),
                    ("代理人身份证", "他人代办时需要"), ("授权委托书", "他人代办时需要"),
                ),
                "挂失": (("本人身份证原件", "核实身份后挂失"), ("户口本或其他身份证明", "证件遗失时需要")),
                "对公": (
                    ("营业执照", "核实单位资格"), ("法定代表人身份证", "核实法定代表人"),
                    ("经办人身份证", "核实经办人"), ("公章/财务章", "预留印鉴"), ("授权委托书", "经办人授权"),
                ),
                "信贷": (
                    ("本人身份证原件", "核实身份"), ("收入证明", "评估还款能力"),
                    ("银行流水", "评估还款能力"), ("婚姻状况证明", "核实家庭情况"),
                ),
            },
            devices=("叫号机", "大厅电视", "存取款一体机(ATM)", "智能柜员机", "自助终端", "POS机", "点验钞机", "饮水机", "填单台", "空调"),
        ),
        Preset(
            name="telecom",
            label=_("电信/公用事业营业厅"),
            business_types=(
                ("咨询", "consult"), ("缴费", None), ("开户/入网", None), ("变更/过户", None),
                ("补换卡/补证", None), ("故障报修", None), ("发票打印", None), ("销户", None),
                ("投诉", "complaint"),
            ),
            destinations=_counters(6) + (
                ("爱心窗口", "priority"), ("自助服务区", "self_service"), ("VIP服务区", "vip"),
                ("咨询台", "consult"), ("客户接待室", "reception"), ("其他部门", "department"),
                ("推荐电话/网上/手机渠道", "online"),
            ),
            documents=(
                "机主身份证原件", "代办人身份证", "授权委托书", "房产证/购房合同", "原户主证明",
                "营业执照", "原SIM卡/用户卡",
            ),
            papers={
                "开户/入网": (("机主身份证原件", "实名登记"),),
                "变更/过户": (
                    ("机主身份证原件", "核实原机主"), ("新机主身份证原件", "过户时需要"),
                    ("房产证/购房合同", "户名变更时需要"), ("原户主证明", "户名变更时需要"),
                ),
                "补换卡/补证": (("机主身份证原件", "核实机主身份"), ("原SIM卡/用户卡", "换卡时回收")),
                "销户": (("机主身份证原件", "核实机主身份"), ("原SIM卡/用户卡", "销户时回收")),
                "发票打印": (("机主身份证原件", "核实机主身份"), ("营业执照", "单位开具发票时需要")),
            },
            devices=("叫号机", "大厅电视", "自助终端", "手机体验台", "POS机", "饮水机", "填单台", "空调"),
        ),
        Preset(
            name="hospital",
            label=_("医院导医台"),
            business_types=(
                ("咨询/指引", "consult"), ("挂号", None), ("缴费", None), ("取报告", None),
                ("预约", None), ("医保/报销", None), ("病历复印", None), ("陪诊/助老", None),
                ("投诉", "complaint"),
            ),
            destinations=_counters(4, "{n}号挂号收费窗口") + (
                ("绿色通道", "priority"), ("自助机区域", "self_service"), ("门诊科室", "department"),
                ("检验/检查科室", "department"), ("服务中心/接待室", "reception"),
                ("推荐互联网医院/公众号", "online"),
            ),
            documents=(
                "身份证", "医保卡/社保卡", "就诊卡", "病历本", "检查单/化验单", "转诊单", "发票原件",
            ),
            papers={
                "挂号": (("身份证", "实名挂号"), ("医保卡/社保卡", "医保结算")),
                "缴费": (("就诊卡", "查询待缴费用"), ("医保卡/社保卡", "医保结算")),
                "取报告": (("就诊卡", "查询报告"), ("检查单/化验单", "凭单取报告")),
                "医保/报销": (
                    ("身份证", "核实参保人"), ("医保卡/社保卡", "医保结算"), ("发票原件", "报销凭证"),
                    ("费用清单", "核对费用明细"), ("转诊单", "异地就医时需要"),
                ),
                "病历复印": (
                    ("身份证", "核实患者身份"), ("授权委托书", "他人代办时需要"), ("代办人身份证", "他人代办时需要"),
                ),
            },
            devices=("叫号机", "大厅电视", "自助挂号缴费机", "报告打印机", "饮水机", "轮椅", "填单台", "空调"),
        ),
    )
}
DEFAULT_PRESET = "insurance"
