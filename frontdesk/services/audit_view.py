"""What the audit viewer shows of an entry: each changed field named and shown as the user knows it.

The trail stores values as the services wrote them (status codes, list ids, special needs by
code; the phone masked since schema version 15, in full in older entries). A person reads
labels: ``状态 等候中 → 办理中``, the business type by its name, ``老年人、孕妇``. The phone is
personal data and is shown masked here, always (masking a masked number changes nothing): the
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
from frontdesk.services import audit, fields, kit, lists, session, settings, users, visitors
from frontdesk.services.audit import AuditFilter, AuditRecord, ChainReport
from frontdesk.services.presets import LIST_KINDS

EMPTY = fields.EMPTY
CLIP = 40  # characters of one value in the one-line form (the detail pane shows it in full)

# How each entity's fields are named and shown is declared beside its service (``fields``).
VISIT_LABELS: dict[str, str] = visitors.VISIT_FIELDS.labels
USER_LABELS: dict[str, str] = users.USER_FIELDS.labels
SETTINGS_LABELS: dict[str, str] = settings.SETTINGS_FIELDS.labels
LIST_ITEM_LABELS: dict[str, str] = lists.LIST_ITEM_FIELDS.labels
LIST_KIND_LABELS: dict[str, str] = lists.KIND_LABELS

LABELS: dict[str, dict[str, str]] = {
    "visit": VISIT_LABELS,
    "user": USER_LABELS,
    "settings": SETTINGS_LABELS,
    "list_item": LIST_ITEM_LABELS,
}

# Actions whose entry has no "before": everything in "after" is new, so empty values are left out.
_CREATIONS = ("create", "user_add", "list_add")


# ------------------------------------------------------------------ values


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


def shown_value(entity: str, field: str, value: Any, *,
                list_labels: Mapping[int, str] | None = None) -> str:
    """One stored value of ``field`` as the viewer shows it (phones masked)."""
    return _value_of(entity, field, value, _ListLabels(list_labels))


def _value_of(entity: str, field: str, value: Any, list_label: _ListLabels) -> str:
    if field == "phone":  # masked whatever record it belongs to
        return fields.phone(value)
    return fields.of(entity).show(field, value, list_label)


# ------------------------------------------------------------------ entries


def _ordered_fields(record: AuditRecord) -> list[str]:
    return fields.of(record.entity).ordered(set(record.before) | set(record.after))


def describe(record: AuditRecord, *, list_labels: Mapping[int, str] | None = None
             ) -> tuple[FieldChange, ...]:
    """Each field the entry changed: its label and its old and new values, as the user reads them.

    ``list_labels``: list entries' labels by id, read beforehand (else each is looked up).
    A record created by the entry lists its non-empty values, the old ones ``（空）``.
    """
    list_label = _ListLabels(list_labels)
    described = fields.of(record.entity)
    creation = not record.before and record.action in _CREATIONS
    changes = []
    for field in _ordered_fields(record):
        old, new = record.before.get(field), record.after.get(field)
        if creation and (fields.is_empty(new) or (new is False and field != "documents_complete")):
            continue
        changes.append(FieldChange(
            field,
            described.label(field),
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
