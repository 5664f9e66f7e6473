"""Checklist inspections (检查巡检): templates, runs, scores, service sampling, corrective actions.

Templates are versioned: a template row is one revision and is never changed; an edit adds the
next revision and makes it current, and a run points at the exact revision it used, so editing a
template never changes a past run (SafetyCulture's rule). The six presets of seeds 001 and 002
come with the database (migration ``m007``).

Score (every screen and report uses ``score``): weighted passes / weighted applicable items.
An item that is not scored (switched off) or answered N/A counts in neither.

Service sampling (服务抽查, seed 001): the six criteria are scored **1–5 points** per sampled
person (5 best). Such a criterion counts ``weight × points`` of ``weight × 5``, and 2 points or
fewer is a failure (a note is required, and it becomes a corrective action). Who is drawn
follows the seed's rule (``sample_size``) with a recorded random seed (``draw``), so anyone can
redraw it from the record and see it was fair.

A failed item whose template asks for it becomes a corrective action (整改项) when the run is
finished: open → done → verified by the duty manager, due a set number of working days after
the run (``services/workdays``; left without a date when the calendar does not know the year).
"""

from __future__ import annotations

import os
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import peewee

from frontdesk.db.database import read_only
from frontdesk.db.models import (
    CorrectiveAction,
    InspectionAnswer,
    InspectionItem,
    InspectionPhoto,
    InspectionRun,
    InspectionTemplate,
    Staff,
)
from frontdesk.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import (
    audit,
    clock,
    fields,
    holidays,
    kit,
    paging,
    records,
    session,
    settings,
    staff,
    workdays,
)
from frontdesk.services.fields import Field
from frontdesk.services.validation import Errors, check_period, clean_text

# ------------------------------------------------------------------ vocabulary

PASS, FAIL, NA = "pass", "fail", "na"
RESULTS: dict[str, str] = {PASS: _("合格"), FAIL: _("不合格"), NA: _("不适用")}

OPEN, FINISHED, SIGNED = "open", "finished", "signed"
RUN_STATUSES: dict[str, str] = {OPEN: _("进行中"), FINISHED: _("已完成"), SIGNED: _("已签核")}

ACTION_OPEN, ACTION_DONE, ACTION_VERIFIED = "open", "done", "verified"
ACTION_STATUSES: dict[str, str] = {
    ACTION_OPEN: _("待整改"), ACTION_DONE: _("已整改"), ACTION_VERIFIED: _("已验收"),
}
OVERDUE = "overdue"  # a filter, not a status: open and past its due date
NO_OWNER = 0  # a filter, not a person: the actions nobody has been given yet

SAMPLING = "sampling"
KINDS: dict[str, str] = {
    "opening": _("班前检查"), "patrol": _("现场巡视"), "closing": _("闭厅检查"),
    "fire": _("消防器材巡检"), "self_service": _("自助设备检查"), SAMPLING: _("服务抽查"),
    "custom": _("自定义"),
}

MAX_POINTS = 5
FAIL_POINTS = 2  # a sampling criterion scored this or lower is a failure
ACTION_DUE_WORKDAYS = 3
MAX_NOTE, MAX_ITEM_TEXT, MAX_SECTION, MAX_NAME, MAX_WEIGHT = 500, 200, 40, 40, 100
WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
EVERY_DAY = 0b1111111

_RUN_MISSING = _("检查记录不存在（编号 {id}）。")
_TEMPLATE_MISSING = _("检查模板不存在（编号 {id}）。")
_ACTION_MISSING = _("整改项不存在（编号 {id}）。")

RUN_FIELDS = fields.register(fields.EntityFields("inspection_run", (
    Field("status", _("状态"), fields.choice(RUN_STATUSES)),
    Field("score", _("得分")),
    Field("failed", _("不合格项")),
    Field("finished_at", _("结束时间"), is_time=True),
    Field("signed_at", _("签核时间"), is_time=True),
)))
ACTION_FIELDS = fields.register(fields.EntityFields("corrective_action", (
    Field("what", _("整改内容")),
    Field("owner_id", _("责任人")),
    Field("due_on", _("整改期限")),
    Field("status", _("状态"), fields.choice(ACTION_STATUSES)),
    Field("note", _("说明")),
)))


# ------------------------------------------------------- pure rules (tested hard)


@dataclass(frozen=True)
class ScoreLine:
    """One answer as the score sees it."""

    weight: int
    scored: bool
    result: str | None  # pass / fail / na, None: not answered yet
    points: int | None = None  # sampling: 1–5


def score(lines: Iterable[ScoreLine]) -> float | None:
    """Weighted passes / weighted applicable items, 0–1; None when nothing is applicable.

    Pass/fail items earn their weight when passed. Sampling criteria earn ``weight × points`` of
    ``weight × MAX_POINTS``. Items not scored, answered N/A or not answered count in neither.
    """
    earned = possible = 0
    for line in lines:
        if not line.scored or line.result not in (PASS, FAIL):
            continue
        if line.points is not None:
            earned += line.weight * line.points
            possible += line.weight * MAX_POINTS
        else:
            earned += line.weight if line.result == PASS else 0
            possible += line.weight
    return earned / possible if possible else None


def sample_size(on_duty: int) -> int:
    """Seed 001: fewer than 5 on duty: all; 5 to 20: 50 %; more than 20: 30 % — rounded up."""
    if on_duty < 0:
        raise ValueError("a negative number of staff")
    if on_duty < 5:
        return on_duty
    percent = 50 if on_duty <= 20 else 30
    return -(-on_duty * percent // 100)


def draw(staff_ids: Sequence[int], seed: int) -> tuple[int, ...]:
    """Who is sampled: ``sample_size`` people, drawn by ``seed`` from ``staff_ids`` (order does
    not matter: they are sorted first), so the same record always redraws the same people."""
    pool = sorted(set(staff_ids))
    return tuple(sorted(random.Random(seed).sample(pool, sample_size(len(pool)))))


def points_result(points: int) -> str:
    return FAIL if points <= FAIL_POINTS else PASS


def weekdays_label(mask: int) -> str:
    if mask & EVERY_DAY == EVERY_DAY:
        return _("每天")
    return "、".join(name for i, name in enumerate(WEEKDAYS) if mask & (1 << i)) or _("不排期")


# ------------------------------------------------------------------- templates


def _saved(read, record_id: int):  # noqa: ANN001, ANN202 - any of the readers below
    """What a command hands back, read after its commit (the write lock already released)."""
    with read_only():
        return read(record_id)


@dataclass(frozen=True)
class ItemSpec:
    """One check item as a template editor hands it over."""

    text: str
    section: str = ""
    weight: int = 1
    scored: bool = True
    allow_na: bool = False
    note_on_fail: bool = True
    action_on_fail: bool = True
    photo_on_fail: bool = False


@dataclass(frozen=True)
class ItemRow:
    id: int
    position: int
    section: str
    text: str
    weight: int
    scored: bool
    allow_na: bool
    note_on_fail: bool
    action_on_fail: bool
    photo_on_fail: bool = False

    def spec(self) -> ItemSpec:
        return ItemSpec(self.text, self.section, self.weight, self.scored, self.allow_na,
                        self.note_on_fail, self.action_on_fail, self.photo_on_fail)


@dataclass(frozen=True)
class TemplateInput:
    name: str
    items: tuple[ItemSpec, ...]
    due_weekdays: int = EVERY_DAY
    active: bool = True


@dataclass(frozen=True)
class TemplateRow:
    id: int
    key: str
    revision: int
    kind: str
    name: str
    due_weekdays: int
    is_current: bool
    active: bool
    items: tuple[ItemRow, ...]

    @property
    def sampling(self) -> bool:
        return self.kind == SAMPLING

    def due_on(self, day: date) -> bool:
        return self.active and bool(self.due_weekdays & (1 << day.weekday()))

    def to_input(self) -> TemplateInput:
        return TemplateInput(self.name, tuple(i.spec() for i in self.items), self.due_weekdays, self.active)


def _item_row(i: InspectionItem) -> ItemRow:
    return ItemRow(i.id, i.position, i.section, i.text, i.weight, bool(i.scored), bool(i.allow_na),
                   bool(i.note_on_fail), bool(i.action_on_fail), bool(i.photo_on_fail))


def _template_rows(templates: Sequence[InspectionTemplate]) -> list[TemplateRow]:
    ids = [t.id for t in templates]
    items: dict[int, list[ItemRow]] = {i: [] for i in ids}
    if ids:
        query = InspectionItem.select().where(InspectionItem.template.in_(ids))
        for item in query.order_by(InspectionItem.position, InspectionItem.id):
            items[item.template_id].append(_item_row(item))
    return [TemplateRow(t.id, t.key, t.revision, t.kind, t.name, t.due_weekdays, bool(t.is_current),
                        bool(t.active), tuple(items[t.id])) for t in templates]


def _template(template_id: int) -> TemplateRow:
    found = InspectionTemplate.get_or_none(InspectionTemplate.id == template_id)
    if found is None:
        raise NotFoundError(_TEMPLATE_MISSING.format(id=template_id))
    return _template_rows([found])[0]


@kit.query()
def templates(include_inactive: bool = False) -> list[TemplateRow]:
    """The current revision of every template, presets first (by their key's order of creation)."""
    return current_templates(include_inactive)


@kit.exempt("a building block of queries and commands (the demo's): it runs inside their transaction")
def current_templates(include_inactive: bool = False) -> list[TemplateRow]:
    query = InspectionTemplate.select().where(InspectionTemplate.is_current == True)  # noqa: E712
    if not include_inactive:
        query = query.where(InspectionTemplate.active == True)  # noqa: E712
    return _template_rows(list(query.order_by(InspectionTemplate.id)))


@kit.query()
def get_template(template_id: int) -> TemplateRow:
    """Any revision, current or past (a past run shows the revision it used)."""
    return _template(template_id)


def _validated_template(data: TemplateInput) -> tuple[str, list[dict]]:
    errors = Errors()
    name = errors.text("name", data.name, label=_("模板名称"), limit=MAX_NAME, collapse_spaces=True,
                       required=_("请填写模板名称。"))
    if not data.items:
        errors.add("items", _("模板至少要有一个检查项。"))
    if data.due_weekdays < 0 or data.due_weekdays & ~EVERY_DAY:
        errors.add("due_weekdays", _("排期无效。"))
    items = []
    for n, spec in enumerate(data.items, start=1):
        field = f"items.{n}"
        text = errors.text(field, spec.text, label=_("第 {n} 项").format(n=n), limit=MAX_ITEM_TEXT,
                           collapse_spaces=True, required=_("第 {n} 项没有内容。").format(n=n))
        section = errors.text(field, spec.section, label=_("第 {n} 项的分组").format(n=n), limit=MAX_SECTION,
                              collapse_spaces=True)
        if not 0 <= spec.weight <= MAX_WEIGHT:
            errors.add(field, _("第 {n} 项的权重应在 0 到 {max} 之间。").format(n=n, max=MAX_WEIGHT))
        items.append({"position": n - 1, "section": section, "text": text, "weight": spec.weight,
                      "scored": spec.scored, "allow_na": spec.allow_na, "note_on_fail": spec.note_on_fail,
                      "action_on_fail": spec.action_on_fail, "photo_on_fail": spec.photo_on_fail})
    errors.raise_if_any()
    return name, items


def _saved_template(template_id: int) -> TemplateRow:
    return _saved(_template, template_id)


@kit.command(session.MANAGE_TEMPLATES, then=_saved_template)
def revise_template(actor: session.Actor, template_id: int, data: TemplateInput) -> int:
    """Save an edit of the revision ``template_id`` as the next revision (the old one stays, with
    its runs); refused if another station revised the template first."""
    return _revise(actor, template_id, data)


def _revise(actor: session.Actor, template_id: int, data: TemplateInput) -> int:
    old = InspectionTemplate.get_or_none(InspectionTemplate.id == template_id)
    if old is None:
        raise NotFoundError(_TEMPLATE_MISSING.format(id=template_id))
    if not old.is_current:
        raise ConflictError(_("另一工作站已修改了模板“{name}”，请重新打开后再改。").format(name=old.name))
    name, items = _validated_template(data)
    changed = (InspectionTemplate.update(is_current=False)
               .where((InspectionTemplate.id == template_id) & (InspectionTemplate.is_current == True))  # noqa: E712
               .execute())
    if changed != 1:
        raise ConflictError(_("另一工作站已修改了模板“{name}”，请重新打开后再改。").format(name=old.name))
    new_id = InspectionTemplate.insert(
        key=old.key, revision=old.revision + 1, kind=old.kind, name=name, due_weekdays=data.due_weekdays,
        is_current=True, active=bool(data.active), created_at=clock.now(), created_by=actor.user_id,
    ).execute()
    InspectionItem.insert_many([{**i, "template": new_id} for i in items]).execute()
    audit.record("revise", entity="inspection_template", entity_id=new_id,
                 before={"revision": old.revision, "name": old.name},
                 after={"revision": old.revision + 1, "name": name, "items": [i["text"] for i in items]})
    return new_id


CUSTOM = "custom"


@kit.command(session.MANAGE_TEMPLATES, then=_saved_template)
def create_template(actor: session.Actor, data: TemplateInput, copy_of: int | None = None) -> int:
    """A new template, revision 1: from scratch (kind ``custom``, due by closing) or a copy of
    the revision ``copy_of`` (its kind, so its deadline rules; its items are in ``data``)."""
    kind = CUSTOM
    if copy_of is not None:
        source = InspectionTemplate.get_or_none(InspectionTemplate.id == copy_of)
        if source is None:
            raise NotFoundError(_TEMPLATE_MISSING.format(id=copy_of))
        kind = source.kind
    name, items = _validated_template(data)
    clash = InspectionTemplate.select(InspectionTemplate.id).where(
        (InspectionTemplate.is_current == True) & (InspectionTemplate.name == name))  # noqa: E712
    if clash.exists():
        raise ValidationError.single("name", _("已有名为“{name}”的模板。").format(name=name))
    key = "c" + secrets.token_hex(8)  # two stations creating at once never meet
    new_id = InspectionTemplate.insert(
        key=key, revision=1, kind=kind, name=name, due_weekdays=data.due_weekdays, is_current=True,
        active=bool(data.active), created_at=clock.now(), created_by=actor.user_id,
    ).execute()
    InspectionItem.insert_many([{**i, "template": new_id} for i in items]).execute()
    audit.record("create", entity="inspection_template", entity_id=new_id,
                 detail=_("复制自模板编号 {id}").format(id=copy_of) if copy_of is not None else "",
                 after={"revision": 1, "kind": kind, "name": name, "due_weekdays": data.due_weekdays,
                        "items": [i["text"] for i in items]})
    return new_id


@kit.command(session.MANAGE_TEMPLATES, then=_saved_template)
def set_template_active(actor: session.Actor, template_id: int, active: bool) -> int:
    """Deactivate (停用) or reactivate a template, as its next revision: a deactivated template is
    neither offered for a new run nor scheduled; its runs stay as they were."""
    old = InspectionTemplate.get_or_none(InspectionTemplate.id == template_id)
    if old is None:
        raise NotFoundError(_TEMPLATE_MISSING.format(id=template_id))
    if bool(old.active) == bool(active) and old.is_current:
        return template_id
    data = _template(template_id).to_input()
    new_id = _revise(actor, template_id, TemplateInput(data.name, data.items, data.due_weekdays, bool(active)))
    audit.record("reactivate" if active else "deactivate", entity="inspection_template", entity_id=new_id,
                 before={"active": bool(old.active)}, after={"active": bool(active)})
    return new_id


# ------------------------------------------------------------------------ runs


@dataclass(frozen=True)
class RunRow:
    """One run as the list shows it."""

    id: int
    template_id: int
    template_key: str
    template_name: str
    revision: int
    sampling: bool
    day: date
    status: str
    inspector_name: str
    started_at: datetime
    finished_at: datetime | None
    score: float | None
    failed: int
    signed_at: datetime | None
    version: int

    @property
    def status_label(self) -> str:
        return RUN_STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class AnswerRow:
    item_id: int
    staff_id: int | None
    result: str
    points: int | None
    note: str
    answered_at: datetime


@dataclass(frozen=True)
class RunDetail:
    """A run with its template revision, its answers and, for sampling, its recorded draw."""

    row: RunRow
    template: TemplateRow
    answers: tuple[AnswerRow, ...]
    sample_seed: int | None
    on_duty: tuple[int, ...]
    drawn: tuple[staff.StaffRow, ...]
    photos: frozenset[tuple[int, int | None]] = frozenset()  # (item, staff) of the answers with a photo

    def has_photo(self, item_id: int, staff_id: int | None = None) -> bool:
        return (item_id, staff_id) in self.photos

    def missing_photos(self) -> tuple[tuple[ItemRow, int | None], ...]:
        """The failed answers whose item asks for a photo and that have none yet."""
        items = {i.id: i for i in self.template.items}
        return tuple((items[a.item_id], a.staff_id) for a in self.answers
                     if a.result == FAIL and a.item_id in items and items[a.item_id].photo_on_fail
                     and not self.has_photo(a.item_id, a.staff_id))

    def answer(self, item_id: int, staff_id: int | None = None) -> AnswerRow | None:
        for a in self.answers:
            if a.item_id == item_id and a.staff_id == staff_id:
                return a
        return None

    @property
    def subjects(self) -> tuple[int | None, ...]:
        """Whom the items are asked of: each drawn person for sampling, else the hall (None)."""
        return tuple(s.id for s in self.drawn) if self.row.sampling else (None,)

    @property
    def expected_answers(self) -> int:
        return len(self.template.items) * len(self.subjects)

    @property
    def live_score(self) -> float | None:
        """The score of what is answered so far (the final score once all are)."""
        weights = {i.id: i for i in self.template.items}
        return score(ScoreLine(weights[a.item_id].weight, weights[a.item_id].scored, a.result, a.points)
                     for a in self.answers if a.item_id in weights)


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x)


def _id_text(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in ids)


def _run_query() -> peewee.ModelSelect:
    return (InspectionRun.select(InspectionRun, InspectionTemplate.id, InspectionTemplate.key, InspectionTemplate.name,
                                 InspectionTemplate.revision, InspectionTemplate.kind)
            .join(InspectionTemplate, on=(InspectionRun.template == InspectionTemplate.id)))


def _run_row(r: InspectionRun) -> RunRow:
    t = r.template
    return RunRow(r.id, r.template_id, t.key, t.name, t.revision, t.kind == SAMPLING, r.day, r.status,
                  r.inspector_name, r.started_at, r.finished_at, r.score, r.failed, r.signed_at, r.version)


def _run_detail(run_id: int) -> RunDetail:
    r = _run_query().where(InspectionRun.id == run_id).first()
    if r is None:
        raise NotFoundError(_RUN_MISSING.format(id=run_id))
    answers = tuple(
        AnswerRow(a.item_id, a.staff_id, a.result, a.points, a.note, a.answered_at)
        for a in InspectionAnswer.select().where(InspectionAnswer.run == run_id).order_by(InspectionAnswer.id)
    )
    drawn_ids = _ids(r.drawn)
    people = {s.id: s for s in (staff.get_staff_rows(drawn_ids) if drawn_ids else [])}
    photos = frozenset(
        (item, person) for item, person in InspectionPhoto.select(InspectionAnswer.item, InspectionAnswer.staff)
        .join(InspectionAnswer, on=(InspectionPhoto.answer == InspectionAnswer.id))
        .where(InspectionAnswer.run == run_id).tuples())
    return RunDetail(_run_row(r), _template(r.template_id), answers, r.sample_seed, _ids(r.on_duty),
                     tuple(people[i] for i in drawn_ids if i in people), photos)


@kit.query()
def get_run(run_id: int) -> RunDetail:
    return _run_detail(run_id)


def _saved_run(run_id: int) -> RunDetail:
    return _saved(_run_detail, run_id)


@kit.command(session.INSPECT, then=_saved_run)
def start_run(actor: session.Actor, template_id: int, *, seed: int | None = None) -> int:
    """Begin a run of the current revision ``template_id`` today. Service sampling draws its
    people now, from today's duty list, with ``seed`` (a fresh random one when not given)."""
    template = InspectionTemplate.get_or_none(InspectionTemplate.id == template_id)
    if template is None:
        raise NotFoundError(_TEMPLATE_MISSING.format(id=template_id))
    if not template.is_current or not template.active:
        raise ConflictError(_("模板“{name}”已有新版本或已停用，请重新选择。").format(name=template.name))
    now = clock.now()
    values: dict = {"template": template_id, "day": now.date(), "status": OPEN, "inspector": actor.user_id,
                    "inspector_name": (actor.display_name or actor.username)[:64], "started_at": now,
                    "created_at": now, "updated_at": now}
    detail = ""
    if template.kind == SAMPLING:
        duty = staff.on_duty(now.date())
        if not duty.ids:
            raise ValidationError.single("template", _("今天没有在岗人员，无法抽查。请先在人员名册中维护人员或值班名单。"))
        seed = secrets.randbits(31) if seed is None else seed
        drawn = draw(duty.ids, seed)
        values.update(sample_seed=seed, on_duty=_id_text(duty.ids), drawn=_id_text(drawn))
        detail = _("在岗 {n} 人，抽查 {k} 人（随机种子 {seed}）").format(n=len(duty.ids), k=len(drawn), seed=seed)
    run_id = InspectionRun.insert(**values).execute()
    audit.record("start", entity="inspection_run", entity_id=run_id, detail=detail,
                 after={"template": template.name, "revision": template.revision,
                        "on_duty": values.get("on_duty", ""), "drawn": values.get("drawn", "")})
    return run_id


def _open_run(run_id: int) -> InspectionRun:
    run = records.get_for_update(InspectionRun, run_id, _RUN_MISSING)
    if run.status != OPEN:
        raise ConflictError(_("这条检查记录已完成，不能再修改。"))
    return run


def _checked(run: InspectionRun, item_id: int, result: str | None, note: str, staff_id: int | None,
             points: int | None) -> tuple[InspectionItem, str, str]:
    """The item answered, the result and the note, as the rules allow them (else a message at the field)."""
    item = InspectionItem.get_or_none((InspectionItem.id == item_id) & (InspectionItem.template == run.template_id))
    if item is None:
        raise NotFoundError(_("检查项不在这条检查记录的模板中（编号 {id}）。").format(id=item_id))
    if run.sample_seed is not None:  # service sampling
        if staff_id is None or staff_id not in _ids(run.drawn):
            raise ValidationError.single("staff", _("此人不在本次抽查名单中。"))
        if points is None or not 1 <= points <= MAX_POINTS:
            raise ValidationError.single("points", _("请打 1 到 {max} 分。").format(max=MAX_POINTS))
        result = points_result(points)
    else:
        if staff_id is not None or points is not None:
            raise ValidationError.single("result", _("这项检查不按人打分。"))
        if result not in RESULTS:
            raise ValidationError.single("result", _("请选择合格、不合格或不适用。"))
        if result == NA and not item.allow_na:
            raise ValidationError.single("result", _("这一项不能选“不适用”。"))
    required = _("不合格时须填写说明。") if result == FAIL and item.note_on_fail else ""
    note = clean_text("note", note, label=_("说明"), limit=MAX_NOTE, multiline=True, required=required)
    return item, result, note


def _store(run_id: int, item_id: int, staff_id: int | None, result: str, points: int | None,
           note: str) -> tuple[int, dict | None]:
    """Write the answer (replacing one given before); its id and what it replaced."""
    existing = InspectionAnswer.get_or_none((InspectionAnswer.run == run_id) & (InspectionAnswer.item == item_id)
                                            & (InspectionAnswer.staff == staff_id))
    values = {"result": result, "points": points, "note": note, "answered_at": clock.now()}
    if existing is None:
        return InspectionAnswer.insert(run=run_id, item=item_id, staff=staff_id, **values).execute(), None
    InspectionAnswer.update(**values).where(InspectionAnswer.id == existing.id).execute()
    return existing.id, {"result": existing.result, "points": existing.points, "note": existing.note}


@kit.command(session.INSPECT, then=_saved_run)
def answer(run_id: int, item_id: int, result: str | None = None, note: str = "", *,
           staff_id: int | None = None, points: int | None = None) -> int:
    """Answer one item (for sampling: of one drawn person, with ``points`` 1–5 instead of a result).

    A failure of an item that asks for a note is refused without one (on the ``note`` field).
    Answering again replaces the answer.
    """
    run = _open_run(run_id)
    item, result, note = _checked(run, item_id, result, note, staff_id, points)
    _answer_id, before = _store(run_id, item_id, staff_id, result, points, note)
    records.conditional_update(InspectionRun, run_id, run.version, {})
    audit.record("answer", entity="inspection_run", entity_id=run_id, detail=item.text[:80],
                 before=before, after={"item_id": item_id, "staff_id": staff_id, "result": result,
                                       "points": points, "note": note})
    return run_id


def _due_date(day: date) -> date | None:
    try:
        return workdays.add_working_days(day, ACTION_DUE_WORKDAYS)
    except workdays.CalendarUnknownError:
        return None  # the year's holidays are not published yet: the duty manager sets the date


def _check_expected(run: InspectionRun, expected: RunRow) -> None:
    if run.version != expected.version:
        raise ConflictError(_("另一工作站已修改了这条检查记录，请重新打开。"))


def _open_action(run: InspectionRun, answer_id: int, item: ItemRow | InspectionItem, staff_name: str,
                 note: str) -> None:
    """The corrective action of a failed item (``staff_name``: the sampled person, if any)."""
    what = f"{staff_name}：{item.text}" if staff_name else item.text
    if note:
        what += f"（{note}）"
    now, due = clock.now(), _due_date(run.day)
    action_id = CorrectiveAction.insert(run=run.id, answer=answer_id, what=what, due_on=due,
                                        status=ACTION_OPEN, created_at=now, updated_at=now).execute()
    audit.record("create", entity="corrective_action", entity_id=action_id,
                 after={"what": what, "due_on": due, "status": ACTION_OPEN})


@kit.command(session.INSPECT, then=_saved_run)
def finish_run(run_id: int, expected: RunRow) -> int:
    """End the run: every item answered (each drawn person's, for sampling); the score and the
    count of failures are stored, and each failure whose item asks for it becomes a corrective action."""
    run = _open_run(run_id)
    _check_expected(run, expected)
    detail = _run_detail(run_id)
    missing = detail.expected_answers - len(detail.answers)
    if missing > 0:
        raise ValidationError.single("answers", _("还有 {n} 项未检查。").format(n=missing))
    unphotographed = detail.missing_photos()
    if unphotographed:
        raise ValidationError.single("photo", _("“{item}”不合格，须附照片后才能完成检查。").format(
            item=unphotographed[0][0].text[:40]))
    items = {i.id: i for i in detail.template.items}
    names = {s.id: s.name for s in detail.drawn}
    failures = [a for a in detail.answers if a.result == FAIL]
    for a in failures:
        if items[a.item_id].action_on_fail:
            answer_id = InspectionAnswer.get((InspectionAnswer.run == run_id) & (InspectionAnswer.item == a.item_id)
                                             & (InspectionAnswer.staff == a.staff_id)).id
            _open_action(run, answer_id, items[a.item_id], names.get(a.staff_id, ""), a.note)
    final = detail.live_score
    values = {"status": FINISHED, "finished_at": clock.now(), "score": final, "failed": len(failures)}
    records.conditional_update(InspectionRun, run_id, run.version, values)
    audit.record("finish", entity="inspection_run", entity_id=run_id, before={"status": OPEN},
                 after={"status": FINISHED, "score": final, "failed": len(failures)})
    return run_id


MAX_REASON = 200


@kit.command(session.SIGN_OFF, then=_saved_run)
def amend(run_id: int, item_id: int, expected: RunRow, reason: str, result: str | None = None,
          note: str = "", *, staff_id: int | None = None, points: int | None = None) -> int:
    """Correct one answer of a finished or signed-off run (the duty manager), with its reason.

    The score and the count of failures are worked out again; a new failure becomes a corrective
    action; an action already opened stays (it is closed the usual way). The change and its
    reason are in the audit trail; the sign-off stands.
    """
    run = records.get_for_update(InspectionRun, run_id, _RUN_MISSING)
    _check_expected(run, expected)
    if run.status == OPEN:
        raise ConflictError(_("进行中的检查直接修改即可，无需更正。"))
    reason = clean_text("reason", reason, label=_("更正原因"), limit=MAX_REASON, required=_("请填写更正原因。"))
    item, result, note = _checked(run, item_id, result, note, staff_id, points)
    answer_id, before = _store(run_id, item_id, staff_id, result, points, note)
    if result == FAIL and item.action_on_fail and (before or {}).get("result") != FAIL \
            and not CorrectiveAction.select().where(CorrectiveAction.answer == answer_id).exists():
        name = Staff.get_by_id(staff_id).name if staff_id is not None else ""
        _open_action(run, answer_id, item, name, note)
    detail = _run_detail(run_id)
    failed = sum(1 for a in detail.answers if a.result == FAIL)
    records.conditional_update(InspectionRun, run_id, run.version, {"score": detail.live_score, "failed": failed})
    audit.record("amend", entity="inspection_run", entity_id=run_id, detail=_("更正“{item}”：{reason}").format(
        item=item.text[:60], reason=reason), before={**(before or {}), "score": run.score},
        after={"item_id": item_id, "staff_id": staff_id, "result": result, "points": points, "note": note,
               "score": detail.live_score})
    return run_id


@kit.command(session.SIGN_OFF, then=_saved_run)
def sign_off(actor: session.Actor, run_id: int, expected: RunRow) -> int:
    """The duty manager's sign-off of a finished run; the run is read-only from then on."""
    run = records.get_for_update(InspectionRun, run_id, _RUN_MISSING)
    _check_expected(run, expected)
    if run.status != FINISHED:
        raise ConflictError(_("只有已完成的检查记录才能签核。"))
    now = clock.now()
    records.conditional_update(InspectionRun, run_id, run.version,
                               {"status": SIGNED, "signed_by": actor.user_id, "signed_at": now})
    audit.record("sign_off", entity="inspection_run", entity_id=run_id, before={"status": FINISHED},
                 after={"status": SIGNED, "signed_at": now})
    return run_id


# ---------------------------------------------------- what is due, the run list


# When each preset kind should be done by, from the branch's opening hours (seeds 001, 002):
# the opening checks before opening, the first patrol within an hour of it and again in the
# weak midday period, the fire check and the sampling during the day, the closing check within
# an hour of closing. A template of another kind (one made in the editor) is due by closing.
_DEADLINES: dict[str, tuple[str, int]] = {
    "opening": ("opening", 0), "self_service": ("opening", 0), "patrol": ("opening", 60),
    "fire": ("closing", 0), SAMPLING: ("closing", 0), "closing": ("closing", 60),
}
MIDDAY = (time(12, 0), time(14, 0))  # the weak midday period: the second patrol falls in it
RECENT_DAYS = 7  # how far back the tab and the status bar look for missed checks

SLOT_DONE, SLOT_LATE, SLOT_TODO, SLOT_OVERDUE, SLOT_MISSED = "done", "late", "todo", "overdue", "missed"
SLOT_STATES: dict[str, str] = {SLOT_DONE: _("已完成"), SLOT_LATE: _("迟做"), SLOT_TODO: _("待做"),
                               SLOT_OVERDUE: _("已逾期"), SLOT_MISSED: _("漏检")}


@dataclass(frozen=True)
class DueSlot:
    """One time a template is due on a day: done by ``deadline`` by a run started from ``opens``
    on (the midday patrol counts only from noon), else overdue that day and missed after it."""

    label: str  # "" or which of the day's several (首次巡视 / 午间巡视)
    opens: datetime | None  # a run counts for this slot from then on (None: any time that day)
    deadline: datetime
    done_at: datetime | None = None  # when the run that counts for it started

    def state(self, now: datetime) -> str:
        if self.done_at is not None:
            return SLOT_LATE if self.done_at > self.deadline else SLOT_DONE
        if now.date() > self.deadline.date():
            return SLOT_MISSED
        return SLOT_OVERDUE if now > self.deadline else SLOT_TODO


@dataclass(frozen=True)
class DueTemplate:
    template: TemplateRow
    due: bool  # due on the day: by its weekdays, and the hall open
    runs: int  # runs of the template (any revision) started that day
    deadline: datetime | None = None  # the earliest slot not done (the last one when all are)
    slots: tuple[DueSlot, ...] = ()

    def overdue(self, now: datetime) -> bool:
        """A slot not done and past its deadline (for a past day: missed)."""
        return any(s.state(now) in (SLOT_OVERDUE, SLOT_MISSED) for s in self.slots)

    @property
    def finished(self) -> bool:
        """Every slot of the day done (a template not due counts as finished)."""
        return all(s.done_at is not None for s in self.slots)


def deadline_of(kind: str, day: date, branch: settings.BranchSettings) -> datetime | None:
    anchor, minutes = _DEADLINES.get(kind, ("closing", 0))
    at = branch.opening_time if anchor == "opening" else branch.closing_time
    return datetime.combine(day, at) + timedelta(minutes=minutes)


def _slots(kind: str, day: date, branch: settings.BranchSettings) -> list[tuple[str, datetime | None, datetime]]:
    first = deadline_of(kind, day, branch)
    if kind != "patrol":
        return [("", None, first)]
    slots: list[tuple[str, datetime | None, datetime]] = [(_("首次巡视"), None, first)]
    start, end = max(MIDDAY[0], branch.opening_time), min(MIDDAY[1], branch.closing_time)
    midday_opens, midday_by = datetime.combine(day, start), datetime.combine(day, end)
    if start < end and midday_opens >= first:  # a hall open over noon, the first patrol over by then
        slots.append((_("午间巡视"), midday_opens, midday_by))
    return slots


def _matched(wanted: list[tuple[str, datetime | None, datetime]], started: list[datetime]) -> tuple[DueSlot, ...]:
    """Each slot takes the earliest run not yet taken that started in its window."""
    left = sorted(started)
    out = []
    for label, opens, by in wanted:
        run = next((at for at in left if opens is None or at >= opens), None)
        if run is not None:
            left.remove(run)
        out.append(DueSlot(label, opens, by, run))
    return tuple(out)


@dataclass(frozen=True)
class HallDay:
    """Whether the hall opens on a day, and why (a holiday's name, a make-up working day)."""

    day: date
    open: bool
    reason: str
    calendar_known: bool = True


@kit.exempt("a building block of the schedule's queries: it runs inside them")
def hall_day(day: date, branch: settings.BranchSettings | None = None,
             overrides: workdays.Overrides | None = None) -> HallDay:
    """Statutory holidays are closed, make-up working days (调休) open; other days follow the
    weekdays the hall opens (a setting: Monday to Friday unless the hall opens at weekends). A
    year the calendar does not know follows the weekdays alone (``calendar_known`` False)."""
    branch = settings.load() if branch is None else branch
    overrides = holidays.load_overrides() if overrides is None else overrides
    weekly = bool(branch.open_weekdays & (1 << day.weekday()))
    try:
        kind = workdays.day_kind(day, overrides)
    except workdays.CalendarUnknownError:
        return HallDay(day, weekly, "" if weekly else _("非营业日"), calendar_known=False)
    if kind == workdays.HOLIDAY:
        return HallDay(day, False, _("法定节假日"))
    if kind == workdays.WORKDAY and day.weekday() >= 5:
        return HallDay(day, True, _("调休上班"))
    return HallDay(day, weekly, "" if weekly else _("非营业日"))


def _plan(day: date, hall: HallDay, branch: settings.BranchSettings,
          current: Sequence[TemplateRow], started: dict[str, list[datetime]]) -> list[DueTemplate]:
    plan = []
    for t in current:
        due = hall.open and t.due_on(day)
        slots = _matched(_slots(t.kind, day, branch), started.get(t.key, [])) if due else ()
        waiting = [s.deadline for s in slots if s.done_at is None]
        deadline = min(waiting) if waiting else (slots[-1].deadline if slots else deadline_of(t.kind, day, branch))
        plan.append(DueTemplate(t, due, len(started.get(t.key, [])), deadline, slots))
    return sorted(plan, key=lambda p: (not p.due, p.finished, p.deadline or datetime.max))


def _started_by_key(first: date, last: date) -> dict[date, dict[str, list[datetime]]]:
    rows = (InspectionRun.select(InspectionRun.day, InspectionRun.started_at, InspectionTemplate.key)
            .join(InspectionTemplate, on=(InspectionRun.template == InspectionTemplate.id))
            .where((InspectionRun.day >= first) & (InspectionRun.day <= last)).tuples())
    out: dict[date, dict[str, list[datetime]]] = {}
    for day, started_at, key in rows:
        day = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
        out.setdefault(day, {}).setdefault(key, []).append(started_at)
    return out


def _active_templates() -> list[TemplateRow]:
    return _template_rows(list(
        InspectionTemplate.select().where((InspectionTemplate.is_current == True)  # noqa: E712
                                          & (InspectionTemplate.active == True))  # noqa: E712
        .order_by(InspectionTemplate.id)))


@kit.query()
def day_plan(day: date) -> list[DueTemplate]:
    """Every active template for ``day``: those due and not yet finished first (the earliest
    deadline first), then those done, then the rest (the order the start-a-run list offers them
    in). Nothing is due on a day the hall is closed (``hall_day``)."""
    check_period(day, None, start_field="day")
    branch = settings.load()
    started = _started_by_key(day, day).get(day, {})
    return _plan(day, hall_day(day, branch), branch, _active_templates(), started)


@dataclass(frozen=True)
class Missed:
    day: date
    template_name: str
    label: str
    deadline: datetime


@dataclass(frozen=True)
class Schedule:
    """Today's plan as the tab and the status bar show it, with the checks missed lately."""

    hall: HallDay
    plan: tuple[DueTemplate, ...]
    todo: int  # slots due today, not done, deadline not passed
    overdue: int  # slots due today, not done, deadline passed
    missed: tuple[Missed, ...]  # slots of the last RECENT_DAYS days never done, newest first


@kit.query()
def schedule(now: datetime) -> Schedule:
    """What is due on ``now``'s day and what of it is overdue, and what was missed in the
    ``RECENT_DAYS`` days before (each past day by the templates as they are now; not before the
    first run ever made, so a new database does not start with a week of missed checks)."""
    today = now.date()
    check_period(today, None, start_field="day")
    branch, overrides = settings.load(), holidays.load_overrides()
    current = _active_templates()
    first = today - timedelta(days=RECENT_DAYS)
    started = _started_by_key(first, today)
    plans = {}
    for n in range(RECENT_DAYS + 1):
        day = first + timedelta(days=n)
        hall = hall_day(day, branch, overrides)
        plans[day] = (hall, _plan(day, hall, branch, current, started.get(day, {})))
    hall, plan = plans[today]
    states = [s.state(now) for p in plan for s in p.slots]
    began = InspectionRun.select(peewee.fn.MIN(InspectionRun.day)).scalar()
    began = began if began is None or isinstance(began, date) else date.fromisoformat(str(began)[:10])
    missed = tuple(Missed(day, p.template.name, s.label, s.deadline)
                   for day in sorted(plans, reverse=True) if began is not None and began <= day < today
                   for p in plans[day][1] for s in p.slots if s.state(now) == SLOT_MISSED)
    return Schedule(hall, tuple(plan), states.count(SLOT_TODO), states.count(SLOT_OVERDUE), missed)


RUN_SORT_KEYS = ("started_at", "template", "status", "score", "failed", "inspector")
RESULT_PASSED, RESULT_FAILED = "passed", "failed"
RESULT_FILTERS: dict[str, str] = {OPEN: _("进行中"), RESULT_PASSED: _("全部合格"), RESULT_FAILED: _("有不合格项")}


@dataclass(frozen=True)
class RunQuery:
    date_from: date
    date_to: date
    template_key: str | None = None
    result: str | None = None  # open / passed / failed (``RESULT_FILTERS``)
    sort_key: str = "started_at"
    descending: bool = True


def _run_where(q: RunQuery) -> peewee.Node:
    check_period(q.date_from, q.date_to)
    where = (InspectionRun.day >= q.date_from) & (InspectionRun.day <= q.date_to)
    if q.template_key:
        where &= InspectionTemplate.key == q.template_key
    if q.result == OPEN:
        where &= InspectionRun.status == OPEN
    elif q.result == RESULT_PASSED:
        where &= (InspectionRun.status != OPEN) & (InspectionRun.failed == 0)
    elif q.result == RESULT_FAILED:
        where &= (InspectionRun.status != OPEN) & (InspectionRun.failed > 0)
    return where


def _run_ordering(q: RunQuery) -> paging.Ordering:
    exprs = {"started_at": InspectionRun.started_at, "template": InspectionTemplate.name,
             "status": InspectionRun.status, "score": InspectionRun.score, "failed": InspectionRun.failed,
             "inspector": InspectionRun.inspector_name}
    return paging.ordered_by(exprs.get(q.sort_key, InspectionRun.started_at), InspectionRun.id,
                             descending=q.descending)


def _run_view() -> peewee.ModelSelect:
    return InspectionRun.select().join(InspectionTemplate, on=(InspectionRun.template == InspectionTemplate.id))


@kit.query()
def count_runs(q: RunQuery) -> int:
    return _run_view().where(_run_where(q)).count()


@kit.query()
def fetch_runs(q: RunQuery, offset: int, limit: int, total: int | None = None) -> list[RunRow]:
    where = _run_where(q)
    total = _run_view().where(where).count() if total is None else total
    ids_query = _run_view().select(InspectionRun.id).where(where)
    ids = paging.page_ids(ids_query, _run_ordering(q), offset, limit, total)
    return paging.rows_by_id(_run_query(), InspectionRun.id, ids, _run_row)


@kit.query()
def run_position(q: RunQuery, run_id: int) -> int | None:
    return paging.position_of(InspectionRun, _run_view().where(_run_where(q)), _run_ordering(q), run_id)


@kit.query()
def runs_change_stamp(q: RunQuery) -> paging.ChangeStamp:
    check_period(q.date_from, q.date_to)
    return paging.change_stamp(InspectionRun, (InspectionRun.day >= q.date_from) & (InspectionRun.day <= q.date_to))


# ------------------------------------------------------------ corrective actions


@dataclass(frozen=True)
class ActionRow:
    id: int
    run_id: int
    template_name: str
    run_day: date
    what: str
    owner_id: int | None
    owner_name: str
    due_on: date | None
    status: str
    done_at: datetime | None
    verified_at: datetime | None
    note: str
    version: int

    def overdue(self, today: date) -> bool:
        return self.status == ACTION_OPEN and self.due_on is not None and self.due_on < today

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class ActionQuery:
    status: str | None = None  # open / done / verified / overdue; None: all
    date_from: date | None = None  # of the run
    date_to: date | None = None
    owner_id: int | None = None  # a person of the roster, NO_OWNER: nobody given yet; None: anyone


def _action_query() -> peewee.ModelSelect:
    return (CorrectiveAction.select(CorrectiveAction, InspectionRun.day.alias("run_day"),
                                    InspectionTemplate.name.alias("template_name"), Staff.name.alias("owner_name"))
            .join(InspectionRun, on=(CorrectiveAction.run == InspectionRun.id))
            .join(InspectionTemplate, on=(InspectionRun.template == InspectionTemplate.id))
            .switch(CorrectiveAction)
            .join(Staff, peewee.JOIN.LEFT_OUTER, on=(CorrectiveAction.owner == Staff.id)))


def _action_row(a: CorrectiveAction) -> ActionRow:
    return ActionRow(a.id, a.run_id, a.template_name, a.run_day, a.what, a.owner_id,
                     a.owner_name or "", a.due_on, a.status, a.done_at, a.verified_at,
                     a.note, a.version)


def _action(action_id: int) -> ActionRow:
    found = _action_query().where(CorrectiveAction.id == action_id).objects().first()
    if found is None:
        raise NotFoundError(_ACTION_MISSING.format(id=action_id))
    return _action_row(found)


@kit.query()
def actions(q: ActionQuery) -> list[ActionRow]:
    """Corrective actions, the oldest due first (a hall has tens open, not thousands)."""
    check_period(q.date_from, q.date_to)
    where = peewee.Value(True)
    if q.status == OVERDUE:
        where &= (CorrectiveAction.status == ACTION_OPEN) & (CorrectiveAction.due_on < clock.today())
    elif q.status:
        where &= CorrectiveAction.status == q.status
    if q.date_from is not None:
        where &= InspectionRun.day >= q.date_from
    if q.date_to is not None:
        where &= InspectionRun.day <= q.date_to
    if q.owner_id == NO_OWNER:
        where &= CorrectiveAction.owner.is_null()
    elif q.owner_id is not None:
        where &= CorrectiveAction.owner == q.owner_id
    query = _action_query().where(where).order_by(CorrectiveAction.due_on.asc(nulls="LAST"), CorrectiveAction.id)
    return [_action_row(a) for a in query.objects()]


@kit.query()
def actions_change_stamp() -> paging.ChangeStamp:
    """A fingerprint of every action (tens to thousands of rows): moves with each new or saved one."""
    return paging.change_stamp(CorrectiveAction, peewee.Value(True))


def _saved_action(action_id: int) -> ActionRow:
    return _saved(_action, action_id)


def _action_for_update(action_id: int, expected: ActionRow) -> CorrectiveAction:
    found = records.get_for_update(CorrectiveAction, action_id, _ACTION_MISSING)
    if found.version != expected.version:
        raise ConflictError(_("另一工作站已修改了这个整改项，请重新打开。"))
    return found


def _action_values(a: CorrectiveAction) -> dict:
    return {"owner_id": a.owner_id, "due_on": a.due_on, "status": a.status, "note": a.note}


@kit.command(session.INSPECT, then=_saved_action)
def update_action(action_id: int, expected: ActionRow, *, owner_id: int | None, due_on: date | None,
                  note: str = "") -> int:
    """Give an action its owner (from the roster), due date and note."""
    found = _action_for_update(action_id, expected)
    if found.status == ACTION_VERIFIED:
        raise ConflictError(_("已验收的整改项不能再修改。"))
    errors = Errors()
    note = errors.text("note", note, label=_("说明"), limit=MAX_NOTE, multiline=True)
    if owner_id is not None and Staff.get_or_none(Staff.id == owner_id) is None:
        errors.add("owner", _("所选责任人不存在。"))
    if due_on is not None:
        try:
            check_period(due_on, None, start_field="due_on")
        except ValidationError as exc:
            errors.update(exc)
    errors.raise_if_any()
    before, after = audit.diff(_action_values(found), {"owner_id": owner_id, "due_on": due_on, "note": note})
    if after:
        records.conditional_update(CorrectiveAction, action_id, found.version,
                                   {"owner": owner_id, "due_on": due_on, "note": note})
        audit.record("update", entity="corrective_action", entity_id=action_id, before=before, after=after)
    return action_id


def _move(action_id: int, expected: ActionRow, status_from: str, status_to: str, extra: dict,
          refusal: str) -> int:
    found = _action_for_update(action_id, expected)
    if found.status != status_from:
        raise ConflictError(refusal)
    records.conditional_update(CorrectiveAction, action_id, found.version, {"status": status_to, **extra})
    audit.record(status_to, entity="corrective_action", entity_id=action_id,
                 before={"status": status_from}, after={"status": status_to})
    return action_id


@kit.command(session.INSPECT, then=_saved_action)
def complete_action(action_id: int, expected: ActionRow) -> int:
    return _move(action_id, expected, ACTION_OPEN, ACTION_DONE, {"done_at": clock.now()},
                 _("只有待整改的整改项才能标为已整改。"))


@kit.command(session.SIGN_OFF, then=_saved_action)
def verify_action(actor: session.Actor, action_id: int, expected: ActionRow) -> int:
    return _move(action_id, expected, ACTION_DONE, ACTION_VERIFIED,
                 {"verified_at": clock.now(), "verified_by": actor.user_id},
                 _("只有已整改的整改项才能验收。"))


# ---------------------------------------------------------- sampling history


@dataclass(frozen=True)
class SamplingScore:
    """One person's score sheet of one sampling run."""

    run_id: int
    day: date
    points: tuple[tuple[str, int], ...]  # (criterion, points) in the template's order
    score: float | None


@kit.query()
def sampling_history(staff_id: int) -> list[SamplingScore]:
    """Every finished sampling run that drew this person, newest first."""
    answers = (InspectionAnswer.select(InspectionAnswer, InspectionItem, InspectionRun)
               .join(InspectionItem, on=(InspectionAnswer.item == InspectionItem.id))
               .switch(InspectionAnswer)
               .join(InspectionRun, on=(InspectionAnswer.run == InspectionRun.id))
               .where((InspectionAnswer.staff == staff_id) & (InspectionRun.status != OPEN))
               .order_by(InspectionRun.day.desc(), InspectionRun.id.desc(), InspectionItem.position))
    sheets: dict[int, list[InspectionAnswer]] = {}
    for a in answers:
        sheets.setdefault(a.run_id, []).append(a)
    return [SamplingScore(run_id, rows[0].run.day, tuple((a.item.text, a.points) for a in rows),
                          score(ScoreLine(a.item.weight, bool(a.item.scored), a.result, a.points) for a in rows))
            for run_id, rows in sheets.items()]


# ---------------------------------------------------------------------- photos
#
# A photo of an answer is kept in the database (``inspection_photo``), not beside it: the
# database is the one file a backup copies and a restore puts back, and on PostgreSQL every
# station sees the same photo. The size limit keeps the file small (a year of photos of the
# failures of a hall is tens of MB).

MAX_PHOTO_BYTES = 4 * 1024 * 1024
audit.ACTIONS.setdefault("photo", _("附照片"))
_PNG, _JPEG = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"


def photo_type(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` by the file's own first bytes (not its name), else None."""
    if data.startswith(_PNG):
        return "image/png"
    if data.startswith(_JPEG):
        return "image/jpeg"
    return None


@kit.exempt("reads a file the user chose, no database: the command that stores it checks the role")
def read_photo_file(path: str) -> bytes:
    """The bytes of a photo file, refused with a message on ``photo`` when too big, unreadable
    or not a PNG/JPEG picture (checked before it is read whole)."""

    try:
        size = os.path.getsize(path)
        if size > MAX_PHOTO_BYTES:
            raise ValidationError.single("photo", _("照片太大（{size:.1f} MB），最大 {max} MB。请缩小后再附。").format(
                size=size / 1024 / 1024, max=MAX_PHOTO_BYTES // 1024 // 1024))
        with open(path, "rb") as f:
            data = f.read(MAX_PHOTO_BYTES + 1)
    except OSError as exc:
        raise ValidationError.single("photo", _("无法读取照片文件：{error}").format(error=exc.strerror or exc)) from exc
    _check_photo(data)
    return data


def _check_photo(data: bytes) -> str:
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError.single("photo", _("照片太大，最大 {max} MB。请缩小后再附。").format(
            max=MAX_PHOTO_BYTES // 1024 // 1024))
    mime = photo_type(data)
    if mime is None:
        raise ValidationError.single("photo", _("只能附 PNG 或 JPEG 格式的照片。"))
    return mime


@kit.command(session.INSPECT, then=_saved_run)
def attach_photo(actor: session.Actor, run_id: int, item_id: int, data: bytes, *,
                 staff_id: int | None = None) -> int:
    """Attach (or replace) the photo of an answered item of an open run."""
    run = _open_run(run_id)
    mime = _check_photo(data)
    found = InspectionAnswer.get_or_none((InspectionAnswer.run == run_id) & (InspectionAnswer.item == item_id)
                                         & (InspectionAnswer.staff == staff_id))
    if found is None:
        raise ValidationError.single("photo", _("请先选择这一项的结果，再附照片。"))
    old = InspectionPhoto.get_or_none(InspectionPhoto.answer == found.id)
    values = {"mime": mime, "data": data, "size": len(data), "added_at": clock.now(), "added_by": actor.user_id}
    if old is None:
        InspectionPhoto.insert(answer=found.id, **values).execute()
    else:
        InspectionPhoto.update(**values).where(InspectionPhoto.id == old.id).execute()
    records.conditional_update(InspectionRun, run_id, run.version, {})
    item = InspectionItem.get_by_id(item_id)
    audit.record("photo", entity="inspection_run", entity_id=run_id, detail=item.text[:80],
                 before={"photo": old.size} if old is not None else None,
                 after={"item_id": item_id, "staff_id": staff_id, "photo": len(data), "mime": mime})
    return run_id


@dataclass(frozen=True)
class Photo:
    mime: str
    data: bytes


@kit.query()
def photo(run_id: int, item_id: int, staff_id: int | None = None) -> Photo | None:
    """The photo of one answer, if it has one."""
    found = (InspectionPhoto.select(InspectionPhoto.mime, InspectionPhoto.data)
             .join(InspectionAnswer, on=(InspectionPhoto.answer == InspectionAnswer.id))
             .where((InspectionAnswer.run == run_id) & (InspectionAnswer.item == item_id)
                    & (InspectionAnswer.staff == staff_id)).first())
    return None if found is None else Photo(found.mime, bytes(found.data))
