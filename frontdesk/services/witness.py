"""The audit trail's witness: what this computer last saw of the chain, kept outside the database.

Why: the hash chain proves that no entry was changed, but someone who can rewrite the database
file can cut the newest entries off (or wipe them) and set the head record to match what is left;
the chain alone then looks whole. So after every committed write that appended entries, each
station notes the chain's head (its number and hash) and the hash of its first entry in a small
file in the user's own folder (``audit-witness.json`` in the state folder, beside the log), which
the database file does not contain. ``frontdesk check`` compares: the chain must still hold that
entry, with that hash, and begin with that first entry. Someone who can also rewrite this file
(an administrator of the PC) can still rewrite history: README says so.

A commit whose chain does not grow out of the one seen (cut, rewritten, or another database at
the same place) leaves the witness as it was, so the discrepancy stays visible. A restore notes
the restored chain as the one to follow (it is shorter on purpose); a database deliberately
replaced is noted with ``frontdesk check --trust``.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

import peewee

from frontdesk.db.database import CommitHook, add_commit_hook, database_key
from frontdesk.i18n import _
from frontdesk.paths import state_dir

FILE_NAME = "audit-witness.json"


def witness_path() -> Path:
    return state_dir() / FILE_NAME


def _load() -> dict[str, dict]:
    try:
        data = json.loads(witness_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# What this process last noted per database: every commit compares with it, without reading
# the file each time (another process may have noted a later head: this one is then behind,
# which is still a head the chain must hold).
_noted: dict[tuple[str, str], dict] = {}


def _seen(key: str) -> dict | None:
    slot = (str(witness_path()), key)
    if slot not in _noted:
        found = _load().get(key)
        if not found:
            return None
        _noted[slot] = found
    return _noted[slot]


def _store(key: str, first: str, seq: int, digest: str) -> None:
    """Note the head atomically; a folder that cannot be written only costs the witness."""
    path = witness_path()
    data = _load()
    data[key] = _noted[(str(path), key)] = {"first": first, "seq": seq, "hash": digest}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temp, path)


class _Witness(CommitHook):
    """Collects the head appended in a write transaction; notes it once that has committed."""

    def __init__(self) -> None:
        self.local = threading.local()

    def begin(self) -> None:
        self.local.pending = None

    def committed(self) -> None:
        pending = getattr(self.local, "pending", None)
        self.local.pending = None
        if pending is not None:
            _store(*pending)

    def appended(self, db: peewee.Database, seq: int, digest: str) -> None:
        key = database_key(db)
        first = digest if seq == 1 else _first_hash(db)
        seen = _seen(key)
        if seen and not _extends(db, seen, first, seq):
            # This chain does not grow out of the one seen here: keep what was seen, so that
            # ``check`` says so, rather than follow a cut or rewritten trail from now on.
            self.local.pending = None
            return
        self.local.pending = (key, first or "", seq, digest)


def _extends(db: peewee.Database, seen: dict, first: str | None, seq: int) -> bool:
    if first != seen.get("first") or seq < int(seen.get("seq", 0)):
        return False
    row = db.execute_sql(f"SELECT hash FROM audit_entry WHERE seq = {db.param}", (int(seen["seq"]),)).fetchone()
    return row is not None and row[0] == seen.get("hash")


_WITNESS = _Witness()
add_commit_hook(_WITNESS)


def appended(db: peewee.Database, seq: int, digest: str) -> None:
    """Called by ``audit.record`` inside its transaction: this head, once committed."""
    _WITNESS.appended(db, seq, digest)


def _first_hash(db: peewee.Database) -> str | None:
    row = db.execute_sql("SELECT hash FROM audit_entry WHERE seq = 1").fetchone()
    return row[0] if row else None


def problems(db: peewee.Database) -> list[str]:
    """What the chain lost compared with what this computer saw of it (empty: nothing)."""
    seen = _load().get(database_key(db))
    if not seen:
        return []
    first = _first_hash(db)
    if first != seen.get("first"):
        return [_("这个数据库的审计链与本机上次所见的不是同一条（第 1 条记录不同）：数据库被替换过，或审计链被重写过。"
                  "如果是有意更换的数据库，请运行 frontdesk check --trust 记下它。")]
    row = db.execute_sql(f"SELECT hash FROM audit_entry WHERE seq = {db.param}", (int(seen["seq"]),)).fetchone()
    if row is None:
        newest = db.execute_sql("SELECT max(seq) FROM audit_entry").fetchone()[0] or 0
        return [_("审计链比本机上次所见的短：本机见过第 {seen} 条，现在只到第 {n} 条（记录被删除）。").format(
            seen=seen["seq"], n=newest)]
    if row[0] != seen.get("hash"):
        return [_("审计链第 {seq} 条与本机上次所见的不同（记录被改动或重写过）。").format(seq=seen["seq"])]
    return []


def trust(db: peewee.Database) -> None:
    """Note the chain as it is now as the one this computer follows (``check --trust``)."""
    row = db.execute_sql("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    first = _first_hash(db)
    if row is not None and first is not None:
        _store(database_key(db), first, int(row[0]), row[1])
