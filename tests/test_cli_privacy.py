"""``frontdesk privacy purge|export|erase``: what the scheduled job and the duty manager's request
do to a real database file, checked by reading the file back."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.services import clock, privacy
from tests.test_cli import FIXED_NOW, one_error_line, run, table


@pytest.fixture
def hall(tmp_path, monkeypatch, capsys) -> Path:
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    path = tmp_path / "hall.sqlite"
    code, _out, _err = run(capsys, "--db", str(path), "demo", "--days", "40", "--seed", "3")
    assert code == 0
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO setting (key, value) VALUES ('retention_months', '1') "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    conn.close()
    return path


def _holding(path: Path, before: datetime | None = None) -> int:
    where = "(customer_name <> '' OR phone <> '' OR notes <> '')"
    if before is not None:
        where += f" AND arrived_at < '{before:%Y-%m-%d %H:%M:%S}'"
    return table(path, f"SELECT count(*) FROM visit WHERE {where}")[0][0]


def test_purge_dry_run_then_purge_clear_exactly_the_visits_past_the_period(hall, capsys):
    last_day = privacy.months_before(FIXED_NOW.date(), 1)  # one calendar month back
    cutoff = datetime.combine(last_day + timedelta(days=1), datetime.min.time())
    due, total = _holding(hall, cutoff), _holding(hall)
    assert 0 < due < total
    code, out, _err = run(capsys, "--db", str(hall), "privacy", "purge", "--dry-run")
    assert code == 0 and f"将清除 {due} 条" in out
    assert f"保留期 1 个月（{last_day.isoformat()} 及以前）" in out
    assert _holding(hall) == total
    code, out, _err = run(capsys, "--db", str(hall), "privacy", "purge")
    assert code == 0 and f"已清除 {due} 条来访" in out
    assert _holding(hall, cutoff) == 0 and _holding(hall) == total - due
    [(detail,)] = table(hall, "SELECT detail FROM audit_entry WHERE action = 'privacy_purge'")
    assert f"{due} 条" in detail


def test_export_and_erase_one_persons_visits(hall, tmp_path, capsys):
    [(phone, count)] = table(hall, "SELECT phone, count(*) FROM visit WHERE phone <> '' "
                                   "GROUP BY phone ORDER BY count(*) DESC, phone LIMIT 1")
    out_file = tmp_path / "当事人.csv"
    code, out, _err = run(capsys, "--db", str(hall), "privacy", "export", "--phone", phone, "--out", str(out_file))
    assert code == 0 and f"已导出 {count} 条" in out
    with out_file.open(encoding="utf-8-sig") as stream:
        rows = list(csv.reader(stream))
    assert len(rows) == count + 1 and all(row[4] == phone for row in rows[1:])

    code, out, _err = run(capsys, "--db", str(hall), "privacy", "erase", "--phone", phone, "--reason", "当事人书面申请")
    assert code == 0 and f"已清除 {count} 条" in out
    assert table(hall, f"SELECT count(*) FROM visit WHERE phone = '{phone}'")[0][0] == 0
    details = " ".join(d for (d,) in table(hall, "SELECT detail || before || after FROM audit_entry "
                                                 "WHERE action LIKE 'privacy_%'"))
    assert phone not in details

    code, _out, err = run(capsys, "--db", str(hall), "privacy", "erase", "--phone", phone, "--reason", "再次申请")
    assert code != 0 and "没有这个电话号码" in one_error_line(err)


def test_purge_with_keep_for_ever_clears_nothing_and_says_so(hall, capsys):
    conn = sqlite3.connect(hall)
    with conn:
        conn.execute("UPDATE setting SET value = '0' WHERE key = 'retention_months'")
    conn.close()
    total = _holding(hall)
    code, out, _err = run(capsys, "--db", str(hall), "privacy", "purge")
    assert code == 0 and "永久保留" in out and _holding(hall) == total
    assert table(hall, "SELECT count(*) FROM audit_entry WHERE action = 'privacy_purge'") == [(0,)]
