"""The audit trail: who did what, when, on which record, with the values before and after.

Why it looks like this:

- An entry is written by ``record`` inside the transaction of the change it describes: the
  change and its entry are committed together or not at all, whatever a crash does.
- The trail is tamper-evident. Each entry carries ``hash`` = SHA-256 over its own columns and
  the previous entry's hash, and ``seq`` numbers the chain without gaps. Changing, removing or
  inserting an entry breaks the chain from there on, and ``frontdesk check`` names the first
  broken entry. The newest entry is also kept in ``audit_head``, so that cutting entries off the
  end is seen too. (Someone able to rewrite the whole chain could hide an edit; the copies of the
  daily backups still hold the chain as it was.)
- Appending locks the head row: on PostgreSQL two stations' entries queue up (``FOR UPDATE``);
  on SQLite the write transaction already holds the database's write lock. Every service calls
  ``record`` as the last statement of its transaction, so the lock is held for a moment only,
  and always after the record's own lock (no deadlock).
- Values are stored as canonical JSON text (sorted keys, no spaces) and hashed as stored: what
  is verified is exactly what was written, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import peewee

from frontdesk.db.database import current_database, is_postgres
from frontdesk.db.migrations.m003_users_and_audit import GENESIS_HASH
from frontdesk.db.migrations.m003_users_and_audit import VERSION as AUDIT_SINCE_VERSION
from frontdesk.db.models import AuditEntry
from frontdesk.errors import CorruptDatabaseError
from frontdesk.i18n import _
from frontdesk.services import clock, kit, session, witness
from frontdesk.services.validation import check_period

# Actions, as the audit viewer names them.
ACTIONS: dict[str, str] = {
    "create": _("新建"),
    "update": _("修改"),
    "void": _("作废"),
    "call": _("叫号"),
    "finish": _("办结"),
    "left": _("未办理离开"),
    "reveal": _("查看完整信息"),
    "sign_in": _("登录"),
    "sign_in_failed": _("登录失败"),
    "sign_out": _("退出登录"),
    "lock": _("锁屏"),
    "unlock": _("解锁"),
    "password_change": _("修改密码"),
    "password_reset": _("重置密码"),
    "user_add": _("新建用户"),
    "user_update": _("修改用户"),
    "user_deactivate": _("停用用户"),
    "user_activate": _("启用用户"),
    "user_unlock": _("解除锁定"),
    "settings": _("修改设置"),
    "list_add": _("添加列表项"),
    "list_update": _("修改列表项"),
    "list_move": _("调整列表顺序"),
    "export": _("导出"),
    "print": _("打印"),
    "slip": _("一次性告知单"),
    "slip_papers": _("修改告知资料清单"),
    "care_water": _("已递水"),
    "care_calm": _("已安抚"),
    "counter_open": _("开放窗口"),
    "counter_close": _("关闭窗口"),
    "care": _("照护措施"),
    "privacy_purge": _("到期清除个人信息"),
    "privacy_find": _("查询当事人个人信息"),
    "privacy_export": _("导出当事人个人信息"),
    "privacy_erase": _("删除当事人个人信息"),
    "backup": _("备份"),
    "restore": _("恢复"),
    "demo": _("生成示范数据"),
    "finalise": _("定稿"),
    "reopen": _("重新打开"),
    "done": _("完成"),
    "list_preset": _("套用列表预设"),
}

ENTITIES: dict[str, str] = {
    "visit": _("来访"),
    "user": _("用户"),
    "settings": _("设置"),
    "list_item": _("列表项"),
    "database": _("数据库"),
    "report": _("报表"),
    "meeting": _("会议记录"),
    "meeting_action": _("会议待办"),
    "meeting_template": _("会议模板"),
    "meeting_config": _("会议设置"),
    "teaching_case": _("典型案例"),
    "complaint_settings": _("投诉设置"),
}

MAX_DETAIL = 2000
BATCH = 5000  # entries read per query while verifying


@functools.cache
def _station() -> str:
    """This computer's name, as the audit trail names the station (socket: not at start-up)."""
    import socket

    return socket.gethostname()[:64]


def _plain(value: Any) -> Any:
    """A JSON-ready copy of ``value``: times to text, sets to sorted lists."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def canonical(values: Mapping[str, Any] | None) -> str:
    """Canonical JSON text of ``values`` ("" for none): the form that is stored and hashed."""
    if not values:
        return ""
    return json.dumps(_plain(values), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _time_text(at: datetime | str) -> str:
    """The time as hashed: whole seconds, as written. A fraction of a second (PostgreSQL keeps
    them) is part of the text, so that a change below one second breaks the hash too."""
    if isinstance(at, str):
        return at
    text = at.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{at.microsecond:06d}" if at.microsecond else text


def entry_hash(seq: int, at: datetime | str, user_id: int | None, username: str, station: str,
               action: str, entity: str, entity_id: int | None, before: str, after: str,
               detail: str, prev_hash: str) -> str:
    """SHA-256 (hex) of one entry's columns and the previous entry's hash."""
    payload = json.dumps(
        [int(seq), _time_text(at), user_id, username, station, action, entity, entity_id,
         before, after, detail, prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as (before, after)."""
    old = {k: before.get(k) for k in after if _plain(before.get(k)) != _plain(after[k])}
    return old, {k: after[k] for k in old}


@kit.exempt("a building block of commands: it runs inside their transaction, which checked the role")
def record(
    action: str,
    *,
    entity: str = "",
    entity_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    detail: str = "",
    actor: session.Actor | None = None,
    username: str | None = None,
) -> int:
    """Append one entry to the chain; returns its ``seq``. Must run inside a write transaction.

    ``actor`` defaults to the signed-in user (or the program itself when nobody is); a failed
    sign-in passes the name that was typed as ``username``.
    """
    db = current_database()
    if not db.in_transaction():
        raise RuntimeError("audit.record must run inside the write transaction of its change")
    who = actor or session.current() or session.SYSTEM
    name = (username if username is not None else who.username)[:64]
    # Plain SQL: this runs in every save, and peewee's query building would cost more than the
    # three statements themselves.
    lock = " FOR UPDATE" if is_postgres(db) else ""
    head = db.execute_sql(f"SELECT seq, hash FROM audit_head WHERE id = 1{lock}").fetchone()
    if head is None:
        raise CorruptDatabaseError(_(
            "审计链的链头不见了：数据库可能被改动过，记录未保存。请运行 frontdesk check，并联系管理员。"))
    seq, prev_hash = int(head[0]) + 1, head[1]
    at = _time_text(clock.now())
    before_text, after_text = canonical(before), canonical(after)
    detail = (detail or "")[:MAX_DETAIL]
    station = _station()
    digest = entry_hash(seq, at, who.user_id, name, station, action, entity, entity_id,
                        before_text, after_text, detail, prev_hash)
    db.execute_sql(_insert_sql(db.param), (seq, at, who.user_id, name, station, action, entity,
                                           entity_id, before_text, after_text, detail, prev_hash, digest))
    db.execute_sql(f"UPDATE audit_head SET seq = {db.param}, hash = {db.param} WHERE id = 1", (seq, digest))
    witness.appended(db, seq, digest)
    return seq


@functools.cache
def _insert_sql(param: str) -> str:
    columns = ("seq", "at", "user_id", "username", "station", "action", "entity", "entity_id",
               "before", "after", "detail", "prev_hash", "hash")
    quoted = ", ".join(f'"{c}"' for c in columns)  # "before", "after": keywords in some dialects
    return f"INSERT INTO audit_entry ({quoted}) VALUES ({', '.join([param] * len(columns))})"


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: datetime
    user_id: int | None
    username: str
    station: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any]
    after: dict[str, Any]
    detail: str

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def entity_label(self) -> str:
        return ENTITIES.get(self.entity, self.entity)


@dataclass(frozen=True)
class AuditFilter:
    """What the viewer shows: a date range, one user, one kind of record or one record, an action."""

    date_from: date | None = None
    date_to: date | None = None
    username: str = ""
    entity: str = ""
    entity_id: int | None = None
    action: str = ""


def _where(f: AuditFilter) -> peewee.Node:
    check_period(f.date_from, f.date_to)
    cond: peewee.Node = AuditEntry.seq > 0
    if f.date_from is not None:
        cond &= AuditEntry.at >= datetime.combine(f.date_from, datetime.min.time())
    if f.date_to is not None:
        cond &= AuditEntry.at < datetime.combine(f.date_to, datetime.min.time()) + timedelta(days=1)
    if f.username:
        cond &= AuditEntry.username == f.username
    if f.entity:
        cond &= AuditEntry.entity == f.entity
    if f.entity_id is not None:
        cond &= AuditEntry.entity_id == f.entity_id
    if f.action:
        cond &= AuditEntry.action == f.action
    return cond


def _loads(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"?": text}
    return value if isinstance(value, dict) else {"?": value}


def _to_record(e: AuditEntry) -> AuditRecord:
    return AuditRecord(
        seq=e.seq, at=e.at, user_id=e.user_id, username=e.username, station=e.station,
        action=e.action, entity=e.entity, entity_id=e.entity_id, before=_loads(e.before),
        after=_loads(e.after), detail=e.detail,
    )


@kit.query(session.VIEW_AUDIT)
def entries(f: AuditFilter, *, offset: int = 0, limit: int = 200) -> list[AuditRecord]:
    """Entries matching ``f``, newest first. Duty manager and administrator only."""
    query = (AuditEntry.select().where(_where(f)).order_by(AuditEntry.seq.desc())
             .offset(max(0, offset)).limit(max(0, limit)))
    return [_to_record(e) for e in query]


@kit.query(session.VIEW_AUDIT)
def count(f: AuditFilter) -> int:
    return AuditEntry.select().where(_where(f)).count()


@kit.query(session.VIEW_AUDIT)
def usernames() -> list[str]:
    """Every name that appears in the trail (for the viewer's user filter)."""
    rows = AuditEntry.select(AuditEntry.username).distinct().order_by(AuditEntry.username).tuples()
    return [name for (name,) in rows]


@kit.query(session.VIEW_AUDIT)
def history(entity: str, entity_id: int) -> list[AuditRecord]:
    """Every entry of one record, oldest first (its story)."""
    query = (AuditEntry.select()
             .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == entity_id))
             .order_by(AuditEntry.seq))
    return [_to_record(e) for e in query]


@kit.query()
def last_change_by(entity: str, entity_id: int) -> str | None:
    """Who made the newest entry of a record (to name the other station in a conflict)."""
    row = (AuditEntry.select(AuditEntry.username, AuditEntry.user_id)
           .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == entity_id))
           .order_by(AuditEntry.seq.desc()).first())
    return row.username if row is not None else None


# ------------------------------------------------------------------ verifying

# ``frontdesk check`` verifies a file it opened itself, without a sign-in (whoever can run it can
# read the file anyway); the viewer's ``audit_view.verify_chain`` checks the role.
_CHECK = "the integrity check of a database opened by frontdesk check; the viewer checks the role"


@dataclass(frozen=True)
class ChainReport:
    """What verifying the chain found: ``problem`` None when every entry holds."""

    entries: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    broken_at: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


_COLUMNS = ("seq, at, user_id, username, station, action, entity, entity_id, before, after, "
            "detail, prev_hash, hash")


def _rows(db: peewee.Database, after_seq: int) -> list[tuple]:
    sql = (f"SELECT {_COLUMNS} FROM audit_entry WHERE seq > {db.param} ORDER BY seq LIMIT {BATCH}")
    return list(db.execute_sql(sql, (after_seq,)).fetchall())


@kit.exempt(_CHECK)
def iter_chain(db: peewee.Database) -> Iterator[tuple]:
    last = 0
    while True:
        rows = _rows(db, last)
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


@kit.exempt(_CHECK)
def verify(db: peewee.Database | None = None) -> ChainReport:
    """Walk the whole chain in order and say where it first breaks, if it does."""
    db = db or current_database()
    total, lowest = db.execute_sql("SELECT count(*), min(seq) FROM audit_entry").fetchone()
    if lowest is not None and int(lowest) < 1:
        # The walk below starts at 1: an entry numbered 0 or less would never be looked at.
        return ChainReport(0, int(lowest), "", _(
            "审计链中有编号无效的记录（第 {n} 条）：记录被插入或改动过。").format(n=lowest), broken_at=int(lowest))
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count_ = 0
    for (seq, at, user_id, username, station, action, entity, entity_id, before, after, detail,
         prev_hash, stored) in iter_chain(db):
        if seq != expected_seq:
            return ChainReport(count_, seq, stored, _(
                "审计链在第 {n} 条处断开：缺少第 {missing} 条（记录被删除）。"
            ).format(n=seq, missing=expected_seq if seq > expected_seq else seq), broken_at=seq)
        if prev_hash != expected_prev:
            return ChainReport(count_, seq, stored, _(
                "审计链在第 {n} 条处断开：与上一条记录接不上（上一条被改动、删除或替换过）。"
            ).format(n=seq), broken_at=seq)
        actual = entry_hash(seq, at, user_id, username, station, action, entity, entity_id,
                            before, after, detail, prev_hash)
        if actual != stored:
            return ChainReport(count_, seq, stored, _(
                "审计链在第 {n} 条处断开：这条记录的内容与它的哈希不符（记录被改动过）。"
            ).format(n=seq), broken_at=seq)
        expected_prev, expected_seq = stored, seq + 1
        count_ += 1
    head = db.execute_sql("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    last_seq = expected_seq - 1
    if head is None or int(head[0]) != last_seq or head[1] != expected_prev:
        head_seq = int(head[0]) if head is not None else 0
        if head_seq > last_seq:
            message = _("审计链在第 {n} 条处断开：最后 {k} 条记录不见了（链头记着第 {head} 条）。").format(
                n=last_seq + 1, k=head_seq - last_seq, head=head_seq)
        else:
            message = _("审计链的链头（第 {head} 条）与最后一条记录（第 {n} 条）不符：链头被改动过。").format(
                head=head_seq, n=last_seq)
        return ChainReport(count_, last_seq, expected_prev, message, broken_at=last_seq + 1)
    if int(total) != count_:
        return ChainReport(count_, last_seq, expected_prev, _(
            "审计链中有 {k} 条记录不在链上（编号重复或无效）：记录被插入过。").format(k=int(total) - count_))
    return ChainReport(count_, last_seq, expected_prev)


def _unrecorded(db: peewee.Database) -> list[str]:
    """What the database holds but the trail never recorded: a cut or wiped trail shows here,
    even when its head was rewritten to match what is left."""
    problems = []
    users = db.execute_sql(
        "SELECT u.id, u.username FROM app_user u WHERE NOT EXISTS (SELECT 1 FROM audit_entry a "
        "WHERE a.entity = 'user' AND a.entity_id = u.id AND a.action = 'user_add') ORDER BY u.id"
    ).fetchall()
    if users:
        names = "、".join(f"{name}（编号 {uid}）" for uid, name in users[:5])
        problems.append(_("审计链缺少 {n} 个用户的建立记录：{names}。审计链可能被截断或清空。").format(
            n=len(users), names=names))
    # Visits from before accounts existed (version 3) have no registering user and no entry.
    visits = db.execute_sql("SELECT count(*) FROM visit WHERE created_by_id IS NOT NULL").fetchone()[0]
    if visits:
        recorded = db.execute_sql(
            "SELECT count(*) FROM audit_entry WHERE entity IN ('visit', 'database') "
            "AND action IN ('create', 'demo', 'import')").fetchone()[0]
        if not recorded:
            problems.append(_("数据库中有 {n} 条来访记录，审计链中却没有任何登记记录。审计链可能被截断或清空。").format(
                n=visits))
    return problems


@kit.exempt(_CHECK)
def verify_chain(db: peewee.Database, version: int):  # -> health.CheckOutcome
    """The audit-trail check of ``frontdesk check`` (``health.default_checks``)."""
    from frontdesk.services.health import CheckOutcome

    if version < AUDIT_SINCE_VERSION:
        return CheckOutcome(passed=_("尚无审计记录（下次打开时升级）"))
    report = verify(db)
    if not report.ok:
        return CheckOutcome(problems=(report.problem,))
    missing = _unrecorded(db) + witness.problems(db)
    if missing:
        return CheckOutcome(problems=tuple(missing))
    return CheckOutcome(passed=_("审计链完整（{n} 条，末条 {hash}）").format(
        n=report.entries, hash=report.head_hash[:12]))


# ------------------------------------------------------------------ paging (the audit viewer)
#
# The viewer reads a view in pages bounded by ``seq`` rather than by OFFSET: a page deep in a
# year of entries costs no more than the first (the ``seq`` index, no skipped rows), and entries
# another station appends while the user scrolls neither shift the pages nor appear twice. The
# view is pinned to the newest entry at the time it was counted (``upto_seq``).


@kit.query(session.VIEW_AUDIT)
def newest_seq() -> int:
    """The ``seq`` of the newest entry (0: none yet)."""
    return int(AuditEntry.select(peewee.fn.MAX(AuditEntry.seq)).scalar() or 0)


@kit.query(session.VIEW_AUDIT)
def count_upto(f: AuditFilter, upto_seq: int) -> int:
    """How many entries match ``f`` among those up to ``upto_seq``."""
    return AuditEntry.select().where(_where(f) & (AuditEntry.seq <= upto_seq)).count()


@kit.query(session.VIEW_AUDIT)
def entries_upto(f: AuditFilter, upto_seq: int, *, limit: int = 200) -> list[AuditRecord]:
    """Up to ``limit`` entries matching ``f`` with ``seq <= upto_seq``, newest first."""
    query = (AuditEntry.select().where(_where(f) & (AuditEntry.seq <= upto_seq))
             .order_by(AuditEntry.seq.desc()).limit(max(0, limit)))
    return [_to_record(e) for e in query]
