"""What the audit viewer shows of an entry: each changed field named and shown as the user knows it.

The trail stores values as the services wrote them (status codes, list ids, special needs by
code, the full phone number). A person reads labels: ``状态 等候中 → 办理中``, the business type
by its name, ``老年人、孕妇``. The phone is personal data and is shown masked here, always: the
viewer is no way round ``visitors.reveal_phone`` and its own audit entry.

The viewer reads its pages on the database worker; ``first_page`` and ``next_page`` hand it
``AuditLine``s with everything already resolved (list labels, users' names), so painting a row
never touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from frontdesk.errors import FieldChange, NotFoundError
from frontdesk.i18n import _
from frontdesk.services import audit, kit, lists, session, users, visitors
from frontdesk.services.audit import AuditFilter, AuditRecord, ChainReport
from frontdesk.services.presets import BUSINESS_TYPE, DESTINATION, DOCUMENT, LIST_KINDS, PRESETS

EMPTY = visitors.EMPTY
CLIP = 40  # characters of one value in the one-line form (the detail pane shows it in full)

VISIT_LABELS: dict[str, str] = {**visitors.CHANGE_LABELS, "voided_at": _("作废时间")}

USER_LABELS: dict[str, str] = {
    "username": _("用户名"),
    "display_name": _("姓名"),
    "role": _("角色"),
    "active": _("账户状态"),
}

SETTINGS_LABELS: dict[str, str] = {
    "branch_name": _("网点名称"),
    "preset": _("行业预设"),
    "opening_time": _("开门时间"),
    "closing_time": _("闭厅时间"),
    "water_minutes": _("送水提醒"),
    "wait_minutes": _("等候标准"),
    "peak_wait_minutes": _("高峰等候标准"),
    "service_minutes": _("办理时长标准"),
    "peak_periods": _("高峰时段"),
    "idle_lock_minutes": _("自动锁屏"),
}
_MINUTES = ("water_minutes", "wait_minutes", "peak_wait_minutes", "service_minutes", "idle_lock_minutes")

LIST_ITEM_LABELS: dict[str, str] = {
    "kind": _("列表"),
    "label": _("名称"),
    "active": _("状态"),
    "position": _("位置"),
    "tag": _("标记"),
}

LIST_KIND_LABELS: dict[str, str] = {
    BUSINESS_TYPE: _("业务类型"),
    DESTINATION: _("分流去向"),
    DOCUMENT: _("常用资料"),
}

LABELS: dict[str, dict[str, str]] = {
    "visit": VISIT_LABELS,
    "user": USER_LABELS,
    "settings": SETTINGS_LABELS,
    "list_item": LIST_ITEM_LABELS,
}

# Actions whose entry has no "before": everything in "after" is new, so empty values are left out.
_CREATIONS = ("create", "user_add", "list_add")


# ------------------------------------------------------------------ values


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _boolean(value: Any, yes: str, no: str) -> str:
    return yes if value else no


def _joined(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value if not _is_empty(v)) or EMPTY
    return str(value)


class _ListLabels:
    """Labels of list entries by id: from a map read beforehand, or one look-up each."""

    def __init__(self, known: Mapping[int, str] | None) -> None:
        self._known = dict(known) if known is not None else None
        self._looked_up: dict[int, str] = {}

    def __call__(self, value: Any) -> str:
        try:
            entry_id = int(value)
        except (TypeError, ValueError):
            return str(value)
        if self._known is not None and entry_id in self._known:
            return self._known[entry_id]
        if entry_id not in self._looked_up:
            try:
                self._looked_up[entry_id] = lists.get_entry(entry_id).label
            except NotFoundError:
                self._looked_up[entry_id] = _("#{id}（已不存在）").format(id=entry_id)
        return self._looked_up[entry_id]


def _special_needs(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        codes: Iterable[str] = visitors.bits_to_needs(value)
    elif isinstance(value, list | tuple):
        codes = [str(v) for v in value]
    else:
        return str(value)
    codes = set(codes)
    labels = [label for code, (_bit, label) in visitors.SPECIAL_NEEDS.items() if code in codes]
    labels += sorted(c for c in codes if c not in visitors.SPECIAL_NEEDS)
    return "、".join(labels) or _("无")


def _visit_value(field: str, value: Any, list_label: _ListLabels) -> str:
    if field == "special_needs" and value is not None:
        return _special_needs(value)
    if _is_empty(value):
        return EMPTY
    if field == "phone":
        return visitors.mask_phone(str(value)) or EMPTY
    if field == "status":
        return visitors.STATUSES.get(value, str(value))
    if field == "outcome":
        return visitors.OUTCOMES.get(value, str(value))
    if field == "surrender_reason":
        return visitors.SURRENDER_REASONS.get(value, str(value))
    if field == "retention":
        return visitors.RETENTION.get(value, str(value))
    if field in ("business_type", "destination"):
        return list_label(value)
    if field == "vip":
        return _boolean(value, _("是"), _("否"))
    if field == "documents_complete":
        return _boolean(value, _("齐全"), _("不全"))
    if field == "missing_documents":
        parts = value.split("\n") if isinstance(value, str) else value
        return _joined([p for p in parts if p])
    return _plain_value(value)


def _plain_value(value: Any) -> str:
    if _is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return _boolean(value, _("是"), _("否"))
    return _joined(value)


def _user_value(field: str, value: Any) -> str:
    if field == "role" and not _is_empty(value):
        return session.role_label(str(value))
    if field == "active" and isinstance(value, bool):
        return _boolean(value, _("启用"), _("停用"))
    return _plain_value(value)


def _settings_value(field: str, value: Any) -> str:
    if _is_empty(value):
        return EMPTY
    if field == "preset":
        preset = PRESETS.get(str(value))
        return preset.label if preset is not None else str(value)
    if field in _MINUTES:
        return _("{n} 分钟").format(n=value)
    if field == "peak_periods":
        return "，".join(p for p in str(value).split(",") if p) or EMPTY
    return _plain_value(value)


def _list_item_value(field: str, value: Any) -> str:
    if field == "kind" and not _is_empty(value):
        return LIST_KIND_LABELS.get(str(value), str(value))
    if field == "active" and isinstance(value, bool):
        return _boolean(value, _("启用"), _("停用"))
    if field == "position" and not _is_empty(value):
        return _("第 {n} 位").format(n=value)
    return _plain_value(value)


def shown_value(entity: str, field: str, value: Any, *,
                list_labels: Mapping[int, str] | None = None) -> str:
    """One stored value of ``field`` as the viewer shows it (phones masked)."""
    return _value_of(entity, field, value, _ListLabels(list_labels))


def _value_of(entity: str, field: str, value: Any, list_label: _ListLabels) -> str:
    if field == "phone":
        return _visit_value(field, value, list_label)
    if entity == "visit":
        return _visit_value(field, value, list_label)
    if entity == "user":
        return _user_value(field, value)
    if entity == "settings":
        return _settings_value(field, value)
    if entity == "list_item":
        return _list_item_value(field, value)
    return _plain_value(value)


# ------------------------------------------------------------------ entries


def _ordered_fields(record: AuditRecord) -> list[str]:
    keys = set(record.before) | set(record.after)
    known = LABELS.get(record.entity, {})
    return [k for k in known if k in keys] + sorted(k for k in keys if k not in known)


def describe(record: AuditRecord, *, list_labels: Mapping[int, str] | None = None
             ) -> tuple[FieldChange, ...]:
    """Each field the entry changed: its label and its old and new values, as the user reads them.

    ``list_labels``: list entries' labels by id, read beforehand (else each is looked up).
    A record created by the entry lists its non-empty values, the old ones ``（空）``.
    """
    list_label = _ListLabels(list_labels)
    labels = LABELS.get(record.entity, {})
    creation = not record.before and record.action in _CREATIONS
    changes = []
    for field in _ordered_fields(record):
        old, new = record.before.get(field), record.after.get(field)
        if creation and (_is_empty(new) or (new is False and field != "documents_complete")):
            continue
        changes.append(FieldChange(
            field,
            labels.get(field, field),
            _value_of(record.entity, field, old, list_label) if field in record.before else EMPTY,
            _value_of(record.entity, field, new, list_label) if field in record.after else EMPTY,
        ))
    return tuple(changes)


def record_title(record: AuditRecord) -> str:
    """The record an entry is about, for the 记录 column: ``来访 #123``, ``用户 #4``, ``设置``."""
    if not record.entity:
        return ""
    if record.entity_id is None:
        return record.entity_label
    return _("{kind} #{id}").format(kind=record.entity_label, id=record.entity_id)


def who(record: AuditRecord, names: Mapping[int, str] | None = None) -> str:
    """The user of an entry as a person knows them: ``王芳（wangfang）``, or the name it holds."""
    name = (names or {}).get(record.user_id) if record.user_id is not None else None
    if name and name != record.username:
        return _("{name}（{username}）").format(name=name, username=record.username)
    return record.username


def _detail(record: AuditRecord) -> str:
    """The entry's free text; a list entry's ``business_type：咨询`` names its list in Chinese."""
    detail = record.detail
    if record.entity == "list_item":
        kind, sep, rest = detail.partition("：")
        if sep and kind in LIST_KIND_LABELS:
            return f"{LIST_KIND_LABELS[kind]}：{rest}"
    return detail


def summary(record: AuditRecord, *, names: Mapping[int, str] | None = None) -> str:
    """One line saying what the entry records (``王芳 查看了 来访 #123 的完整电话``).

    For the entries that change nothing (sign-in, reveal …) it is all there is to say.
    """
    actor = (names or {}).get(record.user_id) if record.user_id is not None else None
    actor = actor or record.username
    title = record_title(record) if record.entity != "database" else ""
    detail = _detail(record)
    action = record.action
    if action == "reveal":
        return _("{who} 查看了 {title} 的完整{what}").format(
            who=actor, title=title, what=detail or _("信息"))
    if action == "sign_in_failed":
        return _("登录失败：{reason}").format(reason=detail) if detail else _("登录失败")
    if action in ("sign_in", "sign_out", "lock", "unlock"):
        text = {
            "sign_in": _("{who} 登录"),
            "sign_out": _("{who} 退出登录"),
            "lock": _("{who} 锁定了屏幕"),
            "unlock": _("{who} 解锁了屏幕"),
        }[action].format(who=actor)
    elif action == "password_change":
        text = _("{who} 修改了自己的密码").format(who=actor)
    elif action == "password_reset":
        text = _("{who} 重置了 {title} 的密码").format(who=actor, title=title)
    elif action == "user_unlock":
        text = _("{who} 解除了 {title} 的锁定").format(who=actor, title=title)
    else:
        text = " ".join(part for part in (actor, record.action_label, title) if part)
    return f"{text}：{detail}" if detail else text


def _clip(text: str, limit: int = CLIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(record: AuditRecord, changes: tuple[FieldChange, ...], summary_text: str) -> str:
    """The 内容 column: the changes in one line (long values clipped), or the summary."""
    if not changes:
        return summary_text
    if not record.before:
        text = "；".join(f"{c.label}：{_clip(c.new)}" for c in changes)
    else:
        text = "；".join(f"{c.label} {_clip(c.old)} → {_clip(c.new)}" for c in changes)
    detail = _detail(record)
    return f"【{_clip(detail)}】{text}" if detail else text


@dataclass(frozen=True)
class AuditLine:
    """One entry with everything the viewer shows of it, resolved on the worker."""

    record: AuditRecord
    who: str
    title: str
    changes: tuple[FieldChange, ...]
    summary: str

    @property
    def seq(self) -> int:
        return self.record.seq

    @property
    def content(self) -> str:
        return one_line(self.record, self.changes, self.summary)

    @property
    def detail(self) -> str:
        return _detail(self.record)


@kit.query()
def list_labels() -> dict[int, str]:
    """Every list entry's label by id, the inactive ones too (old records use them)."""
    return {e.id: e.label for kind in LIST_KINDS for e in lists.entries(kind, include_inactive=True)}


@kit.query(session.VIEW_AUDIT)
def present(records: Iterable[AuditRecord]) -> list[AuditLine]:
    """``records`` as the viewer shows them: a few queries in all, however many there are."""
    records = list(records)
    if not records:
        return []
    labels = list_labels()
    names = users.display_names()
    lines = []
    for r in records:
        changes = describe(r, list_labels=labels)
        lines.append(AuditLine(r, who(r, names), record_title(r), changes, summary(r, names=names)))
    return lines


# ------------------------------------------------------------------ the viewer's queries


@dataclass(frozen=True)
class FirstPage:
    """A view of the trail as counted: ``total`` entries up to ``upto_seq``, the newest first."""

    total: int
    upto_seq: int
    lines: list[AuditLine]


@kit.query(session.VIEW_AUDIT)
def first_page(f: AuditFilter, limit: int) -> FirstPage:
    """The count and the first page of a view, pinned to the newest entry there is now."""
    upto = audit.newest_seq()
    total = audit.count_upto(f, upto)
    lines = present(audit.entries_upto(f, upto, limit=limit)) if total else []
    return FirstPage(total, upto, lines)


@kit.query(session.VIEW_AUDIT)
def next_page(f: AuditFilter, after: AuditLine, limit: int) -> list[AuditLine]:
    """The page of the view that follows the entry ``after`` (the last one shown)."""
    return present(audit.entries_upto(f, after.seq - 1, limit=limit))


@kit.query(session.VIEW_AUDIT)
def verify_chain() -> ChainReport:
    """``audit.verify`` for the viewer: duty manager and administrator, storage errors in Chinese."""
    return audit.verify()
