"""Configurable lists: business types, triage destinations, documents commonly missing."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from frontdesk.db.database import read_only
from frontdesk.db.models import ListItem
from frontdesk.errors import NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, fields, kit, session
from frontdesk.services.presets import (
    BUSINESS_TYPE,
    CARE_ACTION,
    COMPLAINT_CATEGORY,
    DESTINATION,
    DEVICE,
    DOCUMENT,
    HANDLINGS,
    LIST_KINDS,
    PRESETS,
    QUEUE,
    Preset,
    handling_for,
)
from frontdesk.services.validation import clean_text

MAX_LABEL = 64

KIND_LABELS: dict[str, str] = {
    BUSINESS_TYPE: _("业务类型"),
    DESTINATION: _("分流去向"),
    DOCUMENT: _("常用资料"),
    CARE_ACTION: _("照护措施"),
    DEVICE: _("设备"),
    COMPLAINT_CATEGORY: _("投诉类别"),
}


def _position(value: object, lookup: fields.Lookup = str) -> str:
    return fields.EMPTY if fields.is_empty(value) else _("第 {n} 位").format(n=value)


LIST_ITEM_FIELDS = fields.register(fields.EntityFields("list_item", (
    fields.Field("kind", _("列表"), fields.choice(KIND_LABELS)),
    fields.Field("label", _("名称")),
    fields.Field("active", _("状态"), fields.yes_no(_("启用"), _("停用"))),
    fields.Field("position", _("位置"), _position),
    fields.Field("tag", _("标记")),
    fields.Field("handling", _("去向类型"), fields.choice(HANDLINGS)),
)))


@dataclass(frozen=True)
class ListEntry:
    id: int
    kind: str
    label: str
    tag: str | None
    position: int
    active: bool
    handling: str | None = None  # destinations: QUEUE, ON_SPOT or DIVERTED

    @property
    def queues(self) -> bool:
        """Whether a customer sent here waits to be called (every entry but a destination that
        answers on the spot or sends elsewhere)."""
        return self.handling in (None, QUEUE)


def _entry(item: ListItem) -> ListEntry:
    return ListEntry(item.id, item.kind, item.label, item.tag, item.position, item.active, item.handling)


def _clean_handling(kind: str, handling: str | None) -> str | None:
    if kind != DESTINATION:
        return None
    if handling is None:
        return QUEUE
    if handling not in HANDLINGS:
        raise ValidationError.single("handling", _("请选择去向类型。"))
    return handling


_PUBLIC = "list labels are no secret, and the first start reads them before anyone can sign in"


@kit.exempt(_PUBLIC)
def entries(kind: str, *, include_inactive: bool = False) -> list[ListEntry]:
    with read_only():
        query = ListItem.select().where(ListItem.kind == kind)
        if not include_inactive:
            query = query.where(ListItem.active == True)  # noqa: E712
        return [_entry(i) for i in query.order_by(ListItem.position, ListItem.id)]


@kit.exempt(_PUBLIC)
def get_entry(entry_id: int) -> ListEntry:
    with read_only():
        item = ListItem.get_or_none(ListItem.id == entry_id)
    if item is None:
        raise NotFoundError(_("列表项不存在（编号 {id}）。").format(id=entry_id))
    return _entry(item)


def _clean_label(label: str) -> str:
    return clean_text("label", label, label=_("名称"), limit=MAX_LABEL, collapse_spaces=True,
                      required=_("名称不能为空。"))


@kit.command(session.MANAGE_SETTINGS)
def add_entry(kind: str, label: str, tag: str | None = None, handling: str | None = None) -> ListEntry:
    if kind not in LIST_KINDS:
        raise ValidationError.single("kind", _("未知的列表：{kind}").format(kind=kind))
    label = _clean_label(label)
    handling = _clean_handling(kind, handling)
    existing = ListItem.get_or_none((ListItem.kind == kind) & (ListItem.label == label))
    if existing is not None:
        if existing.active:
            raise ValidationError.single("label", _("“{label}”已在列表中。").format(label=label))
        existing.active = True
        existing.save()
        audit.record("list_update", entity="list_item", entity_id=existing.id,
                     before={"active": False}, after={"active": True}, detail=f"{kind}：{label}")
        return _entry(existing)
    last = ListItem.select(peewee.fn.MAX(ListItem.position)).where(ListItem.kind == kind).scalar()
    item = ListItem.create(kind=kind, label=label, tag=tag, handling=handling, position=(last or 0) + 1)
    after = {"kind": kind, "label": label, "tag": tag}
    if handling is not None:
        after["handling"] = handling
    audit.record("list_add", entity="list_item", entity_id=item.id, after=after, detail=f"{kind}：{label}")
    return _entry(item)


@kit.command(session.MANAGE_SETTINGS)
def update_entry(entry_id: int, *, label: str | None = None, active: bool | None = None,
                 handling: str | None = None) -> ListEntry:
    """Rename, switch on or off, or (a destination) change how it handles customers."""
    item = ListItem.get_or_none(ListItem.id == entry_id)
    if item is None:
        raise NotFoundError(_("列表项不存在（编号 {id}）。").format(id=entry_id))
    before = {"label": item.label, "active": bool(item.active), "handling": item.handling}
    if handling is not None:
        if item.kind != DESTINATION:
            raise ValidationError.single("handling", _("只有分流去向有去向类型。"))
        item.handling = _clean_handling(item.kind, handling)
    if label is not None:
        label = _clean_label(label)
        clash = ListItem.get_or_none(
            (ListItem.kind == item.kind) & (ListItem.label == label) & (ListItem.id != item.id)
        )
        if clash is not None:
            raise ValidationError.single("label", _("“{label}”已在列表中。").format(label=label))
        item.label = label
    if active is not None:
        if not active:
            others = (
                ListItem.select()
                .where((ListItem.kind == item.kind) & ListItem.active & (ListItem.id != item.id))
                .count()
            )
            if others == 0:
                raise ValidationError.single("active", _("列表中至少要保留一个启用的项目。"))
        item.active = active
    item.save()
    old, new = audit.diff(before, {"label": item.label, "active": bool(item.active), "handling": item.handling})
    if new:
        audit.record("list_update", entity="list_item", entity_id=item.id, before=old, after=new,
                     detail=f"{item.kind}：{item.label}")
    return _entry(item)


@kit.command(session.MANAGE_SETTINGS)
def move_entry(entry_id: int, delta: int) -> None:
    """Move an entry ``delta`` places up (negative) or down among the active entries of its list."""
    item = ListItem.get_or_none(ListItem.id == entry_id)
    if item is None:
        raise NotFoundError(_("列表项不存在（编号 {id}）。").format(id=entry_id))
    siblings = list(
        ListItem.select().where(ListItem.kind == item.kind).order_by(ListItem.position, ListItem.id)
    )
    index = next(i for i, s in enumerate(siblings) if s.id == item.id)
    target = max(0, min(len(siblings) - 1, index + delta))
    siblings.insert(target, siblings.pop(index))
    moved = False
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save()
            moved = True
    if moved:
        audit.record("list_move", entity="list_item", entity_id=item.id,
                     before={"position": index + 1}, after={"position": target + 1},
                     detail=f"{item.kind}：{item.label}")


@kit.command(session.MANAGE_SETTINGS)
def apply_preset(name: str) -> None:
    """Make the preset's lists the active ones. Entries in use by old records are kept, inactive."""
    preset = _preset(name)
    for kind in LIST_KINDS:
        _apply(preset, kind)


@kit.command(session.MANAGE_SETTINGS)
def apply_list_preset(name: str, kind: str) -> list[ListEntry]:
    """One list back to an industry preset's (the complaint categories, say), audited; entries
    not in it are kept, inactive, so what old records name stays. Returns the list."""
    preset = _preset(name)
    if kind not in LIST_KINDS:
        raise ValidationError.single("kind", _("未知的列表：{kind}").format(kind=kind))
    before = [i.label for i in ListItem.select().where((ListItem.kind == kind) & ListItem.active)
              .order_by(ListItem.position, ListItem.id)]
    _apply(preset, kind)
    after = [label for label, _tag in preset.items(kind)]
    if before != after:
        audit.record("list_preset", entity="list_item", before={"entries": "、".join(before)},
                     after={"entries": "、".join(after)},
                     detail=_("{kind}：套用“{preset}”预设").format(kind=KIND_LABELS[kind], preset=preset.label))
    return [_entry(i) for i in ListItem.select().where(ListItem.kind == kind).order_by(ListItem.position, ListItem.id)]


def _preset(name: str) -> Preset:
    preset = PRESETS.get(name)
    if preset is None:
        raise ValidationError.single("preset", _("未知的行业预设：{name}").format(name=name))
    return preset


def _apply(preset: Preset, kind: str) -> None:
    wanted = preset.items(kind)
    wanted_labels = {label for label, _tag in wanted}
    existing = {i.label: i for i in ListItem.select().where(ListItem.kind == kind)}
    for position, (label, tag) in enumerate(wanted, start=1):
        item = existing.get(label)
        handling = handling_for(kind, tag)
        if item is None:
            ListItem.create(kind=kind, label=label, tag=tag, handling=handling, position=position, active=True)
        else:
            item.tag, item.handling, item.position, item.active = tag, handling, position, True
            item.save()
    offset = len(wanted)
    for label, item in existing.items():
        if label not in wanted_labels:
            offset += 1
            item.active, item.position = False, offset
            item.save()
