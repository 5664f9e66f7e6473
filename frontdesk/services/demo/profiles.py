"""The demo halls: hours, visitor numbers, business mix, staff names — one profile per preset.

Shared by every domain's demo generator (visits today; complaints, inspections and meetings as
their tabs arrive), so that the same staff serve the counters, walk the checks and attend the
meetings of one demo branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class Business:
    """How one business type behaves at the hall."""

    weight: float  # share of the day's visitors
    service: float  # mean service minutes
    routes: tuple[tuple[str, float], ...]  # destination tag → probability
    papers: float = 0.0  # chance the papers are incomplete (资料不全)
    documents: tuple[str, ...] = ()  # papers most often missing


@dataclass(frozen=True)
class HallProfile:
    branch_name: str
    opening: time
    closing: time
    weekday_visits: int
    saturday: float  # share of a weekday's visitors; 0: closed
    sunday: float
    holiday: float  # statutory holidays (法定节假日)
    counters_weekday: int
    counters_weekend: int
    special_needs_rate: float
    vip_rate: float
    businesses: dict[str, Business]


CONSULT = Business(14, 4, (("consult", 0.85), ("online", 0.15)))
COMPLAINT = Business(3, 22, (("reception", 1.0),))
UNKNOWN = Business(3, 8, (("counter", 1.0),), papers=0.04)

PROFILES: dict[str, HallProfile] = {
    "insurance": HallProfile(
        branch_name="示范人寿城东客户服务中心",
        opening=time(8, 30),
        closing=time(17, 0),
        weekday_visits=150,
        saturday=0.4,
        sunday=0.0,
        holiday=0.0,
        counters_weekday=3,
        counters_weekend=2,
        special_needs_rate=0.065,
        vip_rate=0.05,
        businesses={
            "咨询": CONSULT,
            "缴费": Business(14, 5, (("counter", 0.65), ("self_service", 0.25), ("online", 0.1)), 0.02,
                            ("银行卡/存折", "投保人身份证原件")),
            "新契约/投保": Business(7, 18, (("counter", 1.0),), 0.1,
                                 ("投保人身份证原件", "被保险人身份证原件", "银行卡/存折", "关系证明/户口本")),
            "保全变更": Business(16, 10, (("counter", 0.9), ("self_service", 0.1)), 0.09,
                              ("保单原件", "投保人身份证原件", "授权委托书", "受托人身份证", "银行卡/存折")),
            "理赔": Business(17, 12, (("counter", 1.0),), 0.13,
                            ("理赔申请书", "病历/诊断证明", "医疗费用发票原件", "被保险人身份证原件",
                             "银行卡/存折", "关系证明/户口本")),
            "退保": Business(8, 16, (("counter", 1.0),), 0.08,
                            ("保单原件", "投保人身份证原件", "银行卡/存折", "授权委托书", "受托人身份证")),
            "投诉": COMPLAINT,
            "查询": Business(14, 5, (("counter", 0.4), ("self_service", 0.4), ("online", 0.2)), 0.02,
                            ("投保人身份证原件",)),
        },
    ),
    "bank": HallProfile(
        branch_name="示范银行城东支行营业部",
        opening=time(9, 0),
        closing=time(17, 0),
        weekday_visits=220,
        saturday=0.45,
        sunday=0.4,
        holiday=0.3,
        counters_weekday=3,
        counters_weekend=2,
        special_needs_rate=0.065,
        vip_rate=0.06,
        businesses={
            "现金": Business(24, 5, (("counter", 0.8), ("self_service", 0.2)), 0.01, ("本人身份证原件",)),
            "非现金": Business(22, 8, (("counter", 0.55), ("self_service", 0.45)), 0.05,
                              ("本人身份证原件", "银行卡/存折", "代理人身份证", "授权委托书")),
            "理财": Business(9, 15, (("vip", 0.7), ("counter", 0.3)), 0.02, ("本人身份证原件",)),
            "开户": Business(8, 14, (("counter", 1.0),), 0.1,
                            ("本人身份证原件", "代理人身份证", "关系证明/户口本")),
            "挂失": Business(4, 9, (("counter", 0.85), ("self_service", 0.15)), 0.06,
                            ("本人身份证原件", "代理人身份证")),
            "对公": Business(8, 16, (("department", 0.6), ("counter", 0.4)), 0.12,
                            ("营业执照", "公章/财务章", "代理人身份证", "授权委托书")),
            "信贷": Business(5, 20, (("department", 1.0),), 0.1, ("本人身份证原件", "收入证明")),
            "咨询": CONSULT,
            "投诉": COMPLAINT,
        },
    ),
    "telecom": HallProfile(
        branch_name="示范通信城东营业厅",
        opening=time(9, 0),
        closing=time(18, 0),
        weekday_visits=230,
        saturday=0.8,
        sunday=0.7,
        holiday=0.6,
        counters_weekday=3,
        counters_weekend=3,
        special_needs_rate=0.06,
        vip_rate=0.04,
        businesses={
            "咨询": CONSULT,
            "缴费": Business(18, 3, (("self_service", 0.6), ("counter", 0.3), ("online", 0.1))),
            "开户/入网": Business(12, 12, (("counter", 1.0),), 0.08, ("机主身份证原件", "代办人身份证")),
            "变更/过户": Business(9, 12, (("counter", 1.0),), 0.14,
                                ("机主身份证原件", "原户主证明", "授权委托书", "代办人身份证",
                                 "房产证/购房合同")),
            "补换卡/补证": Business(12, 7, (("counter", 0.85), ("self_service", 0.15)), 0.06,
                                 ("机主身份证原件", "原SIM卡/用户卡")),
            "故障报修": Business(8, 8, (("counter", 0.45), ("department", 0.35), ("online", 0.2))),
            "发票打印": Business(7, 3, (("self_service", 0.8), ("counter", 0.2))),
            "销户": Business(4, 10, (("counter", 1.0),), 0.1, ("机主身份证原件", "营业执照")),
            "投诉": COMPLAINT,
        },
    ),
    "hospital": HallProfile(
        branch_name="示范医院门诊部导医台",
        opening=time(7, 30),
        closing=time(17, 30),
        weekday_visits=360,
        saturday=0.55,
        sunday=0.4,
        holiday=0.3,
        counters_weekday=2,
        counters_weekend=1,
        special_needs_rate=0.08,
        vip_rate=0.01,
        businesses={
            "咨询/指引": Business(30, 2, (("department", 0.75), ("self_service", 0.15), ("online", 0.1))),
            "挂号": Business(20, 3, (("counter", 0.5), ("self_service", 0.5)), 0.03, ("医保卡/社保卡", "身份证")),
            "缴费": Business(17, 3, (("counter", 0.55), ("self_service", 0.35), ("online", 0.1)), 0.02,
                            ("医保卡/社保卡", "就诊卡")),
            "取报告": Business(10, 2, (("self_service", 0.8), ("counter", 0.2)), 0.02, ("就诊卡",)),
            "预约": Business(6, 4, (("self_service", 0.3), ("online", 0.4), ("counter", 0.3))),
            "医保/报销": Business(6, 10, (("counter", 1.0),), 0.15,
                                ("医保卡/社保卡", "发票原件", "病历本", "转诊单", "身份证")),
            "病历复印": Business(4, 8, (("department", 0.7), ("counter", 0.3)), 0.1, ("身份证", "病历本")),
            "陪诊/助老": Business(3, 15, (("priority", 1.0),)),
            "投诉": COMPLAINT,
        },
    ),
}

# Weekday rhythm: Monday is the busiest day of a hall, mid-week the quietest.
DOW_FACTOR = (1.15, 1.0, 0.95, 0.95, 1.05)

# Seed 004 categories, weighted as they turn up at a Chinese hall: mostly the elderly.
NEEDS_WEIGHTS = {
    "elderly": 55, "walking": 10, "infant": 9, "pregnant": 5, "hearing": 5, "visual": 3,
    "sick": 6, "writing": 2, "foreigner": 3, "emergency": 2,
}

# Seed 000: the most common surrender reasons first; chance that retention succeeds.
SURRENDER = {
    "need_cash": (24, 0.45), "hardship": (20, 0.3), "no_gain": (14, 0.2), "misled": (10, 0.25),
    "favour": (10, 0.15), "claim": (7, 0.2), "healthy": (6, 0.3), "instigated": (5, 0.35),
    "other": (4, 0.2),
}
RETAINED_NOTES = {
    "need_cash": "办理保单贷款解决用钱需求，保单继续有效",
    "hardship": "改为减额缴清，保单继续有效",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
STAFF = (
    "陈晓燕", "刘晨", "王丽娟", "赵磊", "孙婷婷", "周建国", "吴佳怡", "郑浩然", "许文静", "冯志远",
)
GUIDES = ("李静", "杨帆", "马晓琳")
MANAGERS = ("黄志强", "何敏")
VIP_STAFF = ("林倩", "高远")
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
)
COMPLAINT_NOTES = (
    "客户反映等候时间过长，已致歉并说明原因",
    "对理赔/办理时效不满，已登记并承诺跟进",
    "反映工作人员解释不清，值班经理已当面沟通",
    "对收费有疑问，已解释并提供明细",
)
OTHER_NOTES = (
    "业务系统维护，已为客户预约次日办理",
    "客户临时有事，改日再来",
    "需总部审核，已告知客户等候通知",
)
VOID_REASONS = ("重复登记", "登记错误，已重新登记")
