"""Demo equipment faults: now and then a hall device breaks down during opening hours.

A fault is reported by the duty manager, the "暂停使用" sign posted on most at once, the
repairer called within the hour, and the device fixed a few hours to a few days later — the
last few days' faults may still be open. Written through the fault table directly, one audit
entry for the lot, like the other demo generators.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from frontdesk.db.models import EquipmentFault, ListItem, User
from frontdesk.i18n import _
from frontdesk.services import audit, kit, session
from frontdesk.services.demo.profiles import MANAGERS
from frontdesk.services.presets import DEVICE
from frontdesk.services.settings import BranchSettings

FAULT_RATE = 0.05  # the share of open days with a fault
SYMPTOMS: dict[str, tuple[str, ...]] = {
    "叫号机": ("不出票", "打印模糊", "屏幕无显示"),
    "大厅电视": ("黑屏", "无信号", "画面闪烁"),
    "POS机": ("刷卡无反应", "无法联网", "打印纸卡纸"),
    "饮水机": ("不出热水", "漏水"),
    "填单台": ("台灯不亮", "抽屉损坏"),
    "空调": ("不制冷", "异响"),
}
DEFAULT_SYMPTOMS = ("无法开机", "运行缓慢、死机", "卡纸")
REPAIRERS = ("厂家售后 400-820-0000", "行政部 王工 分机 8021", "物业维修 李师傅 13900001111")


@kit.command(session.MANAGE_SETTINGS)
def write_faults(days: list[date], now: datetime, seed: int, branch: BranchSettings) -> int:
    """The faults of these open days (none reported after ``now``); how many."""
    devices = list(ListItem.select().where((ListItem.kind == DEVICE) & (ListItem.active == True)))  # noqa: E712
    if not devices:
        return 0
    manager = User.get_or_none(User.display_name == MANAGERS[0])
    made = 0
    for day in days:
        rng = random.Random(f"frontdesk-demo-faults:{seed}:{day.isoformat()}")
        if rng.random() >= FAULT_RATE:
            continue
        opening = datetime.combine(day, branch.opening_time)
        open_minutes = max(int((datetime.combine(day, branch.closing_time) - opening).total_seconds() // 60), 1)
        reported = opening + timedelta(minutes=rng.randrange(-20, open_minutes))
        if reported > now:
            continue
        device = rng.choice(devices)
        sign = reported + timedelta(minutes=rng.randint(1, 10)) if rng.random() < 0.8 else None
        contacted = reported + timedelta(minutes=rng.randint(10, 60))
        fixed = reported + timedelta(hours=rng.choice((2, 4, 20, 26, 50, 75)), minutes=rng.randrange(60))
        values = {
            "device": device.id, "device_label": device.label,
            "description": rng.choice(SYMPTOMS.get(device.label, DEFAULT_SYMPTOMS)),
            "reported_at": reported, "reported_by": manager.id if manager else None,
            "reported_by_name": manager.display_name if manager else MANAGERS[0],
            "sign_posted_at": sign if sign is not None and sign <= now else None,
            "repairer_contacted_at": contacted if contacted <= now else None,
            "repairer_note": rng.choice(REPAIRERS) if contacted <= now else "",
            "fixed_at": fixed if fixed <= now else None,
            "fixed_note": rng.choice(("更换配件", "重启后恢复", "上门维修完成")) if fixed <= now else "",
            "created_at": reported, "updated_at": min(fixed, now),
        }
        EquipmentFault.insert(**values).execute()
        made += 1
    if made:
        audit.record("demo", entity="equipment_fault", detail=_(
            "示范数据：{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 的设备故障 {n} 件").format(first=days[0], last=days[-1], n=made))
    return made
