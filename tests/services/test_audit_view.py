"""The audit viewer's words for real entries, written by real service calls, on both backends."""

from __future__ import annotations

from dataclasses import replace

import pytest

from frontdesk.db.database import current_database, write_transaction
from frontdesk.errors import AuthenticationError, FieldChange, PermissionDeniedError
from frontdesk.services import audit, audit_view, lists, session, settings, users, visitors
from frontdesk.services.audit import AuditFilter, AuditRecord
from frontdesk.services.settings import ServiceStandards
from tests.conftest import PASSWORDS

PHONE, NEW_PHONE = "13812345678", "13998765432"


def register(kinds, **kw) -> visitors.VisitRow:
    bts, dests = kinds
    values = dict(business_type_id=bts["咨询"], destination_id=dests["1号窗口"], phone=PHONE)
    values.update(kw)
    return visitors.register(visitors.VisitInput(**values))


def latest(action: str, **kw) -> AuditRecord:
    found = audit.entries(AuditFilter(action=action, **kw), limit=1)
    assert found, f"no {action} entry"
    return found[0]


def by_field(changes: tuple[FieldChange, ...]) -> dict[str, FieldChange]:
    return {c.field: c for c in changes}


def everything_shown(record: AuditRecord) -> str:
    """Every text the viewer could show of ``record``."""
    line = audit_view.present([record])[0]
    parts = [line.who, line.title, line.summary, line.content, line.detail]
    parts += [f"{c.label} {c.old} {c.new}" for c in line.changes]
    return "\n".join(parts)


def test_a_registration_lists_what_was_entered_by_label(kinds):
    row = register(kinds, special_needs=frozenset({"pregnant", "elderly"}), vip=True, ticket_no="A017")
    record = latest("create", entity="visit", entity_id=row.id)
    changes = by_field(audit_view.describe(record))

    assert changes["status"] == FieldChange("status", "状态", "（空）", "等候中")
    assert changes["business_type"].new == "咨询"
    assert changes["destination"].new == "1号窗口"
    assert changes["special_needs"].new == "老年人、孕妇"
    assert changes["vip"].new == "是"
    assert changes["ticket_no"].new == "A017"
    assert changes["phone"].new == "138****5678"
    assert changes["arrived_at"].new == row.arrived_at.strftime("%Y-%m-%d %H:%M:%S")
    assert "notes" not in changes  # nothing entered: not listed
    # The fields come in the order the edit dialog shows them.
    order = [c.field for c in audit_view.describe(record)]
    assert order.index("status") < order.index("arrived_at") < order.index("phone") < order.index("vip")
    assert PHONE not in everything_shown(record)
    assert audit_view.record_title(record) == f"来访 #{row.id}"


def test_an_edit_shows_old_and_new_values_with_the_phones_masked(kinds):
    bts, dests = kinds
    row = register(kinds)
    detail = visitors.get_visit(row.id)
    edited = replace(detail.to_input(), phone=NEW_PHONE, business_type_id=bts["退保"],
                     surrender_reason="hardship", retention="retained", notes="客户要求回电",
                     destination_id=dests["爱心窗口"])
    visitors.update(row.id, edited, detail)

    record = latest("update", entity="visit", entity_id=row.id)
    assert record.before["phone"] == "138****5678" and record.after["phone"] == "139****5432"  # stored masked
    changes = by_field(audit_view.describe(record))
    assert changes["phone"] == FieldChange("phone", "电话", "138****5678", "139****5432")
    assert changes["business_type"] == FieldChange("business_type", "业务类型", "咨询", "退保")
    assert changes["destination"].old == "1号窗口" and changes["destination"].new == "爱心窗口"
    assert changes["surrender_reason"].new == "经济困难"
    assert changes["retention"].new == "挽留成功"
    assert changes["notes"] == FieldChange("notes", "备注", "（空）", "客户要求回电")
    assert set(changes) == {"phone", "business_type", "destination", "surrender_reason", "retention", "notes"}

    shown = everything_shown(record)
    assert PHONE not in shown and NEW_PHONE not in shown
    assert audit_view.present([record])[0].content.startswith("电话 138****5678 → 139****5432；业务类型 咨询 → 退保")


def test_call_finish_and_void_read_as_the_register(kinds):
    row = register(kinds)
    visitors.call(row.id, served_by="李娜")
    visitors.finish(row.id, "referred")
    visitors.void(row.id, "重复登记", expected=None)

    called = by_field(audit_view.describe(latest("call", entity_id=row.id)))
    assert called["status"] == FieldChange("status", "状态", "等候中", "办理中")
    assert called["served_by"].new == "李娜"
    finished = by_field(audit_view.describe(latest("finish", entity_id=row.id)))
    assert finished["outcome"] == FieldChange("outcome", "办理结果", "（空）", "转介")
    assert finished["status"].new == "已完成"

    voided = latest("void", entity="visit", entity_id=row.id)
    changes = by_field(audit_view.describe(voided))
    assert changes["void_reason"] == FieldChange("void_reason", "作废原因", "（空）", "重复登记")
    assert changes["voided_at"].label == "作废时间" and changes["voided_at"].new.startswith("20")
    line = audit_view.present([voided])[0]
    assert line.content.startswith("作废原因 （空） → 重复登记")
    assert line.who == "管理员（admin）"


def test_a_list_entry_deactivated_later_still_names_old_records(kinds):
    bts, _dests = kinds
    row = register(kinds, business_type_id=bts["查询"])
    lists.update_entry(bts["查询"], active=False)
    record = latest("create", entity="visit", entity_id=row.id)
    assert by_field(audit_view.describe(record))["business_type"].new == "查询"
    # The same with the labels read beforehand, as the viewer's pages do.
    assert by_field(audit_view.describe(record, list_labels=audit_view.list_labels()))[
        "business_type"].new == "查询"


def test_a_look_at_the_full_phone_is_one_line(kinds):
    row = register(kinds)
    visitors.reveal_phone(row.id)
    record = latest("reveal")
    assert audit_view.describe(record) == ()
    line = audit_view.present([record])[0]
    assert line.summary == f"管理员 查看了 来访 #{row.id} 的完整电话"
    assert line.content == line.summary
    assert audit_view.summary(record) == f"admin 查看了 来访 #{row.id} 的完整电话"  # no names known


def test_a_settings_change_names_each_setting(configured):
    old = settings.load()
    settings.save(replace(
        old, branch_name="南山营业部", preset="bank", idle_lock_minutes=10,
        standards=replace(old.standards, wait_minutes=20, peak_periods=ServiceStandards().peak_periods[:1]),
    ))
    record = latest("settings")
    assert audit_view.record_title(record) == "设置"
    changes = by_field(audit_view.describe(record))
    assert changes["branch_name"] == FieldChange("branch_name", "网点名称", "测试支行营业厅", "南山营业部")
    assert changes["preset"] == FieldChange("preset", "行业预设", "保险柜面", "银行网点")
    assert changes["wait_minutes"] == FieldChange("wait_minutes", "等候标准", "15 分钟", "20 分钟")
    assert changes["idle_lock_minutes"].label == "自动锁屏"
    assert changes["peak_periods"] == FieldChange(
        "peak_periods", "高峰时段", "09:00-11:00，14:00-16:00", "09:00-11:00")
    assert "opening_time" not in changes


def test_users_are_added_renamed_given_roles_and_deactivated(configured):
    row = users.add_user("wangfang", "王芳", session.FRONT_DESK, "wang-pass-1")
    added = latest("user_add", entity_id=row.id)
    assert audit_view.record_title(added) == f"用户 #{row.id}"
    assert audit_view.describe(added) == (
        FieldChange("username", "用户名", "（空）", "wangfang"),
        FieldChange("display_name", "姓名", "（空）", "王芳"),
        FieldChange("role", "角色", "（空）", "前台"),
        FieldChange("active", "账户状态", "（空）", "启用"),
    )
    users.update_user(row.id, role=session.DUTY_MANAGER)
    assert audit_view.describe(latest("user_update", entity_id=row.id)) == (
        FieldChange("role", "角色", "前台", "值班经理"),
    )
    users.set_active(row.id, False)
    assert audit_view.describe(latest("user_deactivate", entity_id=row.id)) == (
        FieldChange("active", "账户状态", "启用", "停用"),
    )


def test_failed_sign_ins_say_why(configured, make_user):
    actor = make_user(session.FRONT_DESK, "wangfang", "王芳")
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            users.sign_in("wangfang", "wrong-password")
    record = latest("sign_in_failed")
    assert audit_view.describe(record) == ()
    assert audit_view.summary(record) == "登录失败：密码错误（连续第 2 次）"
    assert audit_view.record_title(record) == f"用户 #{actor.user_id}"
    assert audit_view.present([record])[0].content == "登录失败：密码错误（连续第 2 次）"

    with pytest.raises(AuthenticationError):
        users.sign_in("nobody", "whatever-1")
    unknown = latest("sign_in_failed")
    assert audit_view.summary(unknown) == "登录失败：用户名不存在"
    assert audit_view.record_title(unknown) == "用户"
    assert audit_view.present([unknown])[0].who == users.UNKNOWN_NAME  # what was typed is not kept

    with session.act_as(session.current()):  # the administrator reads on afterwards
        users.sign_in("wangfang", PASSWORDS["wangfang"])
    assert audit_view.present([latest("sign_in")])[0].summary == "王芳 登录"


def test_list_edits_name_their_list(configured):
    entry = lists.add_entry("business_type", "理财")
    lists.update_entry(entry.id, label="理财咨询")
    record = latest("list_update", entity="list_item", entity_id=entry.id)
    assert audit_view.describe(record) == (FieldChange("label", "名称", "理财", "理财咨询"),)
    assert audit_view.present([record])[0].content == "【业务类型：理财咨询】名称 理财 → 理财咨询"
    added = by_field(audit_view.describe(latest("list_add", entity_id=entry.id)))
    assert added["kind"].new == "业务类型"
    assert "tag" not in added  # none given


def test_unknown_keys_and_kinds_show_as_they_are(configured):
    with write_transaction():
        audit.record("settings", entity="settings", before={"night_mode": False},
                     after={"night_mode": True, "phone": "13812345678"})
        audit.record("export", entity="ledger", entity_id=7, detail="日报 2026-11-25")
    setting = latest("settings")
    assert audit_view.describe(setting) == (
        FieldChange("night_mode", "night_mode", "否", "是"),
        FieldChange("phone", "phone", "（空）", "138****5678"),  # a phone anywhere is masked
    )
    export = latest("export")
    assert audit_view.record_title(export) == "ledger #7"
    assert audit_view.present([export])[0].summary == "管理员 导出 ledger #7：日报 2026-11-25"


def test_pages_hold_still_while_entries_are_added(configured):
    f = AuditFilter(action="export")
    with write_transaction():
        for n in range(5):
            audit.record("export", entity="database", detail=f"第 {n} 份")
    first = audit_view.first_page(f, 2)
    assert first.total == 5
    assert [line.record.detail for line in first.lines] == ["第 4 份", "第 3 份"]
    with write_transaction():
        audit.record("export", entity="database", detail="新的一份")  # another station, meanwhile
    second = audit_view.next_page(f, first.lines[-1], 2)
    third = audit_view.next_page(f, second[-1], 2)
    assert [line.record.detail for line in second + third] == ["第 2 份", "第 1 份", "第 0 份"]
    assert audit_view.next_page(f, third[-1], 2) == []
    assert audit_view.first_page(f, 2).total == 6  # a new view sees it


def test_the_chain_check_and_its_refusal(configured, sign_in_as):
    assert audit_view.verify_chain().ok
    current_database().execute_sql("UPDATE audit_entry SET detail = 'x' WHERE seq = 2")
    report = audit_view.verify_chain()
    assert not report.ok and report.broken_at == 2
    sign_in_as(session.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        audit_view.verify_chain()
    with pytest.raises(PermissionDeniedError):
        audit_view.first_page(AuditFilter(), 10)
