"""Importing old visitor logs (the hall's hand-made Excel sheets and CSV exports): all or nothing.

Why it looks like this: a hall that switches to FrontDesk has months of paper-turned-Excel logs
and wants them in its monthly figures. Half an import is worse than none (the figures would be
silently wrong), so every row is checked first, by the register's own rules, and every bad row is
named with its line number and reason; only a file without a single bad row is written, in one
transaction, with one audit entry that holds the file's SHA-256 — so the same file imported twice
is refused instead of doubling the visits.

The columns (headers in the first row, any order, unknown columns refused so that nothing is
silently dropped) are those of ``COLUMNS``; ``write_template`` writes an .xlsx with them and a
sample row. CSV files may be UTF-8 (with or without BOM) or GBK/GB18030, as Excel on a Chinese
Windows saves them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from frontdesk.db.database import current_database, read_only
from frontdesk.db.models import AuditEntry, ListItem, Visit
from frontdesk.errors import UserError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, kit, session, visitors
from frontdesk.services.presets import BUSINESS_TYPE, DESTINATION

MAX_ERRORS_SHOWN = 200
BATCH_ROWS = 400


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str
    required: bool = False
    example: str = ""
    help: str = ""


COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("arrived_at", _("到达时间"), True, "2026-11-20 09:12", _("日期和时间")),
    ImportColumn("business_type", _("业务类型"), True, "理赔", _("与设置中的业务类型一致")),
    ImportColumn("destination", _("分流去向"), True, "1号窗口", _("与设置中的分流去向一致")),
    ImportColumn("called_at", _("叫号时间"), False, "2026-11-20 09:20", _("日期和时间，或只写时间")),
    ImportColumn("finished_at", _("办结时间"), False, "2026-11-20 09:35", _("日期和时间，或只写时间")),
    ImportColumn("outcome", _("办理结果"), False, "办结", "、".join(visitors.OUTCOMES.values())),
    ImportColumn("special_needs", _("特殊客户"), False, "老年人",
                 "、".join(label for _bit, label in visitors.SPECIAL_NEEDS.values())),
    ImportColumn("vip", _("贵宾"), False, "否", _("是 / 否")),
    ImportColumn("documents_complete", _("资料齐全"), False, "是", _("是 / 否")),
    ImportColumn("missing_documents", _("所缺资料"), False, "", _("多项用顿号分开")),
    ImportColumn("surrender_reason", _("退保原因"), False, "", "、".join(visitors.SURRENDER_REASONS.values())),
    ImportColumn("retention", _("挽留结果"), False, "", "、".join(visitors.RETENTION.values())),
    ImportColumn("ticket_no", _("票号"), False, "A012", ""),
    ImportColumn("customer_name", _("客户称呼"), False, "王先生", ""),
    ImportColumn("phone", _("电话"), False, "13812345678", ""),
    ImportColumn("notes", _("备注"), False, "", ""),
    ImportColumn("served_by", _("经办人"), False, "王芳", ""),
)
_BY_HEADER = {c.header: c for c in COLUMNS}
_YES, _NO = {"是", "有", "y", "yes", "1", "true", "√"}, {"否", "无", "n", "no", "0", "false", "", "×"}


class ImportRefused(UserError):
    """The file cannot be imported as it is: nothing was written."""


@dataclass(frozen=True)
class RowProblem:
    line: int  # the line of the file (the header is line 1)
    message: str


@dataclass(frozen=True)
class ImportResult:
    """What an import found (and, unless ``dry_run``, wrote)."""

    path: Path
    rows: int
    first_day: date | None
    last_day: date | None
    added_labels: tuple[str, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    dry_run: bool = False
    written: bool = False
    preview: tuple[tuple[str, ...], ...] = field(default=())  # the first rows, as text
    header: tuple[str, ...] = ()  # the file's column headers, for the preview

    @property
    def ok(self) -> bool:
        return not self.problems


# ------------------------------------------------------------------ reading the file


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, what Chinese Excel writes)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("无法识别文件的文字编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx。"))


def _cell_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header and the data rows (with their line numbers) of an .xlsx or .csv file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise ImportRefused(_("无法打开 Excel 文件 {path}：{detail}").format(path=path, detail=exc)) from exc
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(_cell_text(v) or "") for v in next(rows, ())]

        def data() -> Iterator[tuple[int, list[Any]]]:
            try:
                for line, values in enumerate(rows, start=2):
                    yield line, [_cell_text(v) for v in values]
            finally:
                book.close()

        return header, data()
    if suffix in (".csv", ".txt"):
        text = _decode(path.read_bytes())
        reader = csv.reader(io.StringIO(text))
        header = [h.strip() for h in next(reader, [])]
        return header, ((line, [_cell_text(v) for v in values]) for line, values in enumerate(reader, start=2))
    raise ImportRefused(_("只能导入 .xlsx 或 .csv 文件：{path}").format(path=path))


# ------------------------------------------------------------------ one row


_DATETIME = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _moment(value: Any, day: date | None, what: str) -> datetime | None:
    """A date-time cell: a real Excel date-time, a text "2026-11-20 09:12" (or 2026/11/20), or a
    time alone (on the arrival's day). Parsed by pattern: a year of rows in seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, time):
        if day is None:
            raise ValueError(_("{what}只有时间，没有日期").format(what=what))
        return datetime.combine(day, value.replace(microsecond=0))
    text = str(value).strip()
    try:
        if (m := _DATETIME.fullmatch(text)) and m[4] is not None:
            return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0))
        if m := _TIME.fullmatch(text):
            if day is None:
                raise ValueError(_("{what}只有时间，没有日期").format(what=what))
            return datetime.combine(day, time(int(m[1]), int(m[2]), int(m[3] or 0)))
    except ValueError as exc:
        if "没有日期" in str(exc):
            raise
    raise ValueError(_("{what}“{text}”不是日期时间（例如 2026-11-20 09:12）").format(what=what, text=text))


def _yes_no(value: Any, what: str, default: bool) -> bool:
    text = str(value).strip().lower() if value is not None else ""
    if text == "":
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("{what}应填“是”或“否”，不是“{text}”").format(what=what, text=value))


def _choice(value: Any, choices: dict[str, str], what: str) -> str | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    for code, label in choices.items():
        if text in (label, code):
            return code
    raise ValueError(_("未知的{what}“{text}”（可填：{labels}）").format(
        what=what, text=text, labels="、".join(choices.values())))


_SPLIT = re.compile(r"[、,，;；/\s]+")


def _needs(value: Any) -> frozenset[str]:
    text = str(value).strip() if value is not None else ""
    if not text or text in ("无", "否"):
        return frozenset()
    by_label = {label: code for code, (_bit, label) in visitors.SPECIAL_NEEDS.items()}
    codes = set()
    for part in filter(None, _SPLIT.split(text)):
        code = by_label.get(part) or (part if part in visitors.SPECIAL_NEEDS else None)
        if code is None:
            raise ValueError(_("未知的特殊客户类别“{text}”").format(text=part))
        codes.add(code)
    return frozenset(codes)


@dataclass
class _Labels:
    """The configured lists by label, and what an import may add to them."""

    by_kind: dict[str, dict[str, int]]
    items: dict[int, ListItem]
    add_missing: bool
    added: dict[tuple[str, str], int] = field(default_factory=dict)
    next_id: int = -1

    def resolve(self, kind: str, value: Any, what: str) -> int:
        label = str(value).strip() if value is not None else ""
        if not label:
            raise ValueError(_("缺少{what}").format(what=what))
        found = self.by_kind.get(kind, {}).get(label)
        if found is not None:
            return found
        if not self.add_missing:
            raise ValueError(_("{what}“{label}”不在设置的列表中（可加 --add-missing-labels 自动添加）").format(
                what=what, label=label))
        key = (kind, label)
        if key not in self.added:
            # A stand-in until the entry is really added (inside the import's transaction).
            self.added[key] = self.next_id
            self.items[self.next_id] = ListItem(id=self.next_id, kind=kind, label=label, tag=None, active=True)
            self.next_id -= 1
        return self.added[key]


def _row_input(values: dict[str, Any], labels: _Labels) -> visitors.VisitInput:
    arrived = _moment(values.get("arrived_at"), None, _("到达时间"))
    if arrived is None:
        raise ValueError(_("缺少到达时间"))
    day = arrived.date()
    complete = _yes_no(values.get("documents_complete"), _("资料齐全"), True)
    missing = tuple(p for p in _SPLIT.split(str(values.get("missing_documents") or "")) if p)
    outcome = _choice(values.get("outcome"), visitors.OUTCOMES, _("办理结果"))
    return visitors.VisitInput(
        business_type_id=labels.resolve(BUSINESS_TYPE, values.get("business_type"), _("业务类型")),
        destination_id=labels.resolve(DESTINATION, values.get("destination"), _("分流去向")),
        arrived_at=arrived,
        ticket_no=str(values.get("ticket_no") or ""),
        customer_name=str(values.get("customer_name") or ""),
        phone=str(values.get("phone") or "").removesuffix(".0"),
        special_needs=_needs(values.get("special_needs")),
        vip=_yes_no(values.get("vip"), _("贵宾"), False),
        documents_complete=complete and not missing,
        missing_documents=missing,
        surrender_reason=_choice(values.get("surrender_reason"), visitors.SURRENDER_REASONS, _("退保原因")),
        retention=_choice(values.get("retention"), visitors.RETENTION, _("挽留结果")),
        served_by=str(values.get("served_by") or ""),
        notes=str(values.get("notes") or ""),
        called_at=_moment(values.get("called_at"), day, _("叫号时间")),
        finished_at=_moment(values.get("finished_at"), day, _("办结时间")),
        outcome=outcome,
    )


def _field_message(exc: ValidationError) -> str:
    labels = {c.key: c.header for c in COLUMNS}
    labels.update({"business_type": _("业务类型"), "destination": _("分流去向")})
    return "；".join(f"{labels.get(k, k)}：{m}" for k, m in exc.fields.items())


# ------------------------------------------------------------------ the import


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _already_imported(digest: str) -> AuditEntry | None:
    return (AuditEntry.select().where((AuditEntry.action == "import") & AuditEntry.detail.contains(digest))
            .order_by(AuditEntry.seq).first())


def _check(path: Path, add_missing: bool,
           progress: Callable[[int], None] | None) -> tuple[list[dict], list[RowProblem], _Labels, list]:
    header, rows = read_table(path)
    unknown = [h for h in header if h and h not in _BY_HEADER]
    if unknown:
        raise ImportRefused(_("第 1 行有不认识的列：{cols}。可用的列：{known}").format(
            cols="、".join(unknown), known="、".join(c.header for c in COLUMNS)))
    missing = [c.header for c in COLUMNS if c.required and c.header not in header]
    if missing:
        raise ImportRefused(_("第 1 行缺少必需的列：{cols}").format(cols="、".join(missing)))
    keys = [_BY_HEADER[h].key if h else None for h in header]
    items = {i.id: i for i in ListItem.select()}
    by_kind: dict[str, dict[str, int]] = {}
    for item in items.values():
        if item.active:
            by_kind.setdefault(item.kind, {})[item.label] = item.id
    labels = _Labels(by_kind, items, add_missing)
    now = clock.now()
    good: list[dict] = []
    problems: list[RowProblem] = []
    preview = []
    for line, cells in rows:
        if all(v is None or v == "" for v in cells):
            continue  # a blank line, as Excel sheets end with
        values = {k: v for k, v in zip(keys, cells, strict=False) if k}
        if len(preview) < 10:
            preview.append(tuple("" if v is None else str(v) for v in cells))
        try:
            data = _row_input(values, labels)
            good.append(visitors.checked_import_values(data, labels.items, now))
        except ValidationError as exc:
            problems.append(RowProblem(line, _field_message(exc)))
        except ValueError as exc:
            problems.append(RowProblem(line, str(exc)))
        if progress is not None and line % 1000 == 0:
            progress(line)
    return good, problems, labels, [tuple("" if h is None else str(h) for h in header), *preview]


@kit.action(session.MANAGE_SETTINGS)
def import_visits(actor: session.Actor, path: Path, *, add_missing_labels: bool = False, dry_run: bool = False,
                  progress: Callable[[int], None] | None = None) -> ImportResult:
    """Check every row of ``path``; if none is bad (and not ``dry_run``), write them all at once."""
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(_("文件不存在：{path}").format(path=path))
    digest = file_digest(path)
    with read_only():
        earlier = _already_imported(digest)
        if earlier is not None:
            raise ImportRefused(_("这个文件已于 {at:%Y-%m-%d %H:%M} 导入过（{who}），为免重复，没有再次导入。").format(
                at=earlier.at, who=earlier.username))
        good, problems, labels, (header, *preview) = _check(path, add_missing_labels, progress)
    days = [row["arrived_at"].date() for row in good]
    result = ImportResult(path, len(good) + len(problems), min(days, default=None), max(days, default=None),
                          tuple(f"{label}" for (_kind, label) in labels.added), tuple(problems[:MAX_ERRORS_SHOWN]),
                          dry_run, False, tuple(preview), tuple(header))
    if problems or dry_run or not good:
        return result
    _write(good, labels, path, digest)
    return ImportResult(result.path, result.rows, result.first_day, result.last_day, result.added_labels,
                        (), False, True, result.preview, result.header)


@kit.command(session.MANAGE_SETTINGS)
def _write(actor: session.Actor, rows: list[dict], labels: _Labels, path: Path, digest: str) -> None:
    """One transaction: the new list entries, every visit, the audit entry — or nothing."""
    from frontdesk.services import lists

    real: dict[int, int] = {}
    for (kind, label), stand_in in labels.added.items():
        real[stand_in] = lists.add_entry(kind, label).id
    now = clock.now()
    db = current_database()
    names = list(rows[0].keys())
    columns = [getattr(Visit, c).column_name for c in names] + [
        "void_reason", "created_at", "updated_at", "version", "created_by_id"]
    # A multi-row INSERT built once per batch size: peewee's query builder would spend most of a
    # large import rendering a node per value (as ``services/demo`` found).
    one = "(" + ", ".join([db.param] * len(columns)) + ")"
    head = f'INSERT INTO "{Visit._meta.table_name}" (' + ", ".join(f'"{c}"' for c in columns) + ") VALUES "
    for start in range(0, len(rows), BATCH_ROWS):
        part = rows[start:start + BATCH_ROWS]
        params: list[Any] = []
        for row in part:
            for name in names:
                value = row[name]
                if name in ("business_type", "destination"):
                    value = real.get(value, value)
                params.append(value)
            params.extend(("", now, now, 1, actor.user_id))
        db.execute_sql(head + ", ".join([one] * len(part)), params)
    first = min(r["arrived_at"] for r in rows)
    last = max(r["arrived_at"] for r in rows)
    audit.record("import", entity="database", detail=_(
        "导入来访记录 {n} 条（{first:%Y-%m-%d} 至 {last:%Y-%m-%d}）自 {name}；SHA-256 {digest}").format(
            n=len(rows), first=first, last=last, name=os.path.basename(path), digest=digest))


def write_template(target: Path) -> Path:
    """An .xlsx with the columns, a sample row and a sheet that explains each column."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("来访记录")
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # The sample row is dated yesterday, so that the template imports as it is (to try it out).
    yesterday = clock.today() - timedelta(days=1)
    sample: list[Any] = []
    for c in COLUMNS:
        if c.key in ("arrived_at", "called_at", "finished_at"):
            sample.append(datetime.combine(yesterday, datetime.strptime(c.example, "%Y-%m-%d %H:%M").time()))
        else:
            sample.append(c.example)
    sheet.append(sample)
    for index, c in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, len(c.header) * 2 + 4)
        if c.key in ("arrived_at", "called_at", "finished_at"):
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd hh:mm"
            sheet.column_dimensions[letter].width = 18
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列"), _("必填"), _("填写说明")])
    for c in COLUMNS:
        notes.append([c.header, _("是") if c.required else "", c.help])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["C"].width = 80
    target = Path(target)
    if target.is_dir():
        target = target / _("来访记录导入模板.xlsx")
    temp = target.with_name(f".{target.name}.tmp")
    book.save(temp)
    os.replace(temp, target)
    return target


def summary_lines(result: ImportResult) -> Sequence[str]:
    """One line per bad row (line number and reason), for the command line and the dialog."""
    return [_("第 {line} 行：{message}").format(line=p.line, message=p.message) for p in result.problems]
