"""The ``frontdesk`` command line: version, the demo command and its data, and its errors.

Most runs call ``main([...])`` in-process with the branch clock fixed (so "today" is a known
weekday afternoon); the data are then read back with plain ``sqlite3``, independent of the
code that wrote them. One run of each kind goes through a real ``python -m frontdesk`` process.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import types
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from statistics import mean

import pytest

from frontdesk import __version__, cli
from frontdesk.logs import log_path
from frontdesk.paths import default_database, log_dir
from frontdesk.services import clock
from frontdesk.services import demo as demo_service
from frontdesk.services.visitors import RETENTION, SURRENDER_REASONS

# A Wednesday afternoon in a peak period; the 30 days before it hold no public holiday and no
# make-up working day, so Monday–Friday and Saturday/Sunday mean what they say.
FIXED_NOW = datetime(2026, 11, 18, 15, 40, 0)
PEAK_HOURS = (9, 10, 14, 15)
QUIET_HOURS = (11, 12, 13, 16)


@pytest.fixture
def fixed_now(monkeypatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    return FIXED_NOW


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def read_visits(path: Path) -> list[dict]:
    """Every visit of the file, with its business type and destination label and tag."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT v.*, b.label AS bt_label, b.tag AS bt_tag, d.label AS dest_label, d.tag AS dest_tag "
            "FROM visit v JOIN list_item b ON b.id = v.business_type_id "
            "JOIN list_item d ON d.id = v.destination_id ORDER BY v.id"
        ).fetchall()
    finally:
        conn.close()
    visits = []
    for row in rows:
        visit = dict(row)
        for key in ("arrived_at", "called_at", "finished_at", "voided_at", "created_at", "updated_at"):
            visit[key + "_raw"] = visit[key]
            visit[key] = _time(visit[key])
        visits.append(visit)
    return visits


def table(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("frontdesk: 错误：")
    return lines[0]


# ------------------------------------------------------------------ version and help


def test_version_in_process(capsys) -> None:
    code, out, err = run(capsys, "--version")
    assert (code, out, err) == (0, f"FrontDesk {__version__}\n", "")


def test_version_in_a_real_process() -> None:
    result = run_process("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"FrontDesk {__version__}"
    assert result.stderr == ""


def test_help_is_in_chinese(capsys) -> None:
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert "用法：frontdesk" in out and "显示版本号并退出" in out and "demo" in out
    code, out, _err = run(capsys, "demo", "--help")
    assert code == 0
    for option in ("--days", "--seed", "--preset", "--append", "--db"):
        assert option in out
    assert "随机种子" in out and "保险柜面" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["demo"], "缺少必需的参数"),
        (["demo", "--days", "x"], "不是整数"),
        (["demo", "--days", "0"], "1 到"),
        (["demo", "--days", "3", "--seed", "abc"], "不是整数"),
        (["demo", "--days", "3", "--preset", "airline"], "无效"),
        (["nonsense"], "无效"),
        (["--bogus"], "无法识别的参数"),
    ],
)
def test_bad_arguments_are_a_usage_error(capsys, tmp_path, args, words) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "x.sqlite"), *args)
    assert code == 2
    assert out == ""
    assert err.startswith("用法：frontdesk")
    assert "错误：" in err and words in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.sqlite").exists()


def test_import_is_cheap() -> None:
    """The CLI module loads neither Qt nor peewee: those come with the command that needs them."""
    code = "import sys, frontdesk.cli; print(sorted(m for m in ('peewee', 'PySide6') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_cli_limit_matches_the_service() -> None:
    assert cli.MAX_DEMO_DAYS == demo_service.MAX_DAYS


# ------------------------------------------------------------------ no command: the window


def test_no_command_starts_the_window_on_the_resolved_location(capsys, monkeypatch, tmp_path) -> None:
    started: list[str] = []
    fake = types.ModuleType("frontdesk.app")

    def run_gui(location: str) -> int:
        started.append(location)
        return 0

    fake.run_gui = run_gui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "frontdesk.app", fake)
    assert run(capsys, "--db", str(tmp_path / "a.sqlite"))[0] == 0
    monkeypatch.setenv("FRONTDESK_DB", str(tmp_path / "env.sqlite"))
    assert run(capsys)[0] == 0
    assert started == [str(tmp_path / "a.sqlite"), str(tmp_path / "env.sqlite")]


# ------------------------------------------------------------------ demo data


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> tuple[Path, list[dict]]:
    """30 days of demo data up to FIXED_NOW (seed 1), written once for the data checks."""
    path = tmp_path_factory.mktemp("demo") / "month.sqlite"
    patch = pytest.MonkeyPatch()
    patch.setattr(clock, "now", lambda: FIXED_NOW)
    try:
        code = cli.main(["--db", str(path), "demo", "--days", "30", "--seed", "1"])
    finally:
        patch.undo()
    assert code == 0
    return path, read_visits(path)


def _live(visits: list[dict]) -> list[dict]:
    return [v for v in visits if v["voided_at"] is None]


def test_demo_covers_the_days_up_to_today_and_configures_the_branch(month) -> None:
    path, visits = month
    days = {v["arrived_at"].date() for v in visits}
    assert max(days) == FIXED_NOW.date()
    assert min(days) >= FIXED_NOW.date() - timedelta(days=29)
    settings = dict(table(path, "SELECT key, value FROM setting"))
    assert settings["preset"] == "insurance"
    assert settings["branch_name"]
    labels = {label for (label,) in table(path, "SELECT label FROM list_item WHERE kind = 'business_type'")}
    assert {v["bt_label"] for v in visits} <= labels


def test_demo_prints_a_chinese_summary(tmp_path, capsys, fixed_now) -> None:
    path = tmp_path / "x.sqlite"
    code, out, err = run(capsys, "--db", str(path), "demo", "--days", "5", "--seed", "3")
    assert code == 0 and err == ""
    count = table(path, "SELECT count(*) FROM visit WHERE voided_at IS NULL")[0][0]  # as check counts
    assert count > 0
    assert f"来访 {count} 人次" in out
    assert "共 5 天" in out and "随机种子：3" in out and str(path) in out
    meetings = table(path, "SELECT count(*) FROM meeting")[0][0]
    cases = table(path, "SELECT count(*) FROM teaching_case")[0][0]
    assert meetings > 0 and f"会议记录 {meetings} 次，典型案例 {cases} 个" in out
    runs = table(path, "SELECT count(*) FROM inspection_run")[0][0]
    actions = table(path, "SELECT count(*) FROM corrective_action")[0][0]
    faults = table(path, "SELECT count(*) FROM equipment_fault")[0][0]
    assert f"检查 {runs} 次，整改项 {actions} 项，设备故障 {faults} 起；" in out


def test_weekends_are_quieter_than_weekdays(month) -> None:
    _path, visits = month
    per_day = Counter(v["arrived_at"].date() for v in _live(visits))
    first = FIXED_NOW.date() - timedelta(days=29)
    days = [first + timedelta(days=i) for i in range(29)]  # whole days only: today is partial
    weekdays = [per_day[d] for d in days if d.weekday() < 5]
    weekends = [per_day[d] for d in days if d.weekday() >= 5]
    assert len(weekends) >= 8 and mean(weekdays) > 50
    assert mean(weekends) < 0.7 * mean(weekdays)


def test_arrivals_peak_at_nine_to_eleven_and_two_to_four(month) -> None:
    _path, visits = month
    past = [v for v in _live(visits) if v["arrived_at"].date() < FIXED_NOW.date()]
    by_hour = Counter(v["arrived_at"].hour for v in past)
    assert mean(by_hour[h] for h in PEAK_HOURS) > 1.5 * mean(by_hour[h] for h in QUIET_HOURS)
    assert all(by_hour[h] > 0 for h in QUIET_HOURS)  # open all day, not only at the peaks


def test_outcomes_are_a_realistic_mix(month) -> None:
    _path, visits = month
    closed = [v for v in _live(visits) if v["status"] in ("finished", "left")]
    # Sent elsewhere or answered at the desk as they were registered: a share of their own.
    at_once = Counter(v["outcome"] for v in closed if v["outcome"] in ("diverted", "answered"))
    assert 0.05 < at_once["diverted"] / len(closed) < 0.4 and 0 < at_once["answered"] / len(closed) < 0.2
    closed = [v for v in closed if v["outcome"] not in at_once]
    share = {k: n / len(closed) for k, n in Counter(v["outcome"] for v in closed).items()}
    assert share["done"] > 0.7
    assert 0.01 < share["incomplete"] < 0.15
    assert 0 < share["referred"] < 0.2
    assert 0 < share["left"] < 0.1
    assert share.get("other", 0) < 0.05


def test_left_visits_were_never_called(month) -> None:
    _path, visits = month
    left = [v for v in _live(visits) if v["status"] == "left"]
    assert left
    for v in left:
        assert v["called_at"] is None and v["served_by"] == "" and v["outcome"] == "left"
        assert v["finished_at"] is not None and v["finished_at"] >= v["arrived_at"]


def test_times_are_ordered_whole_seconds_and_never_after_now(month) -> None:
    _path, visits = month
    for v in visits:
        stamps = [v["arrived_at"], v["called_at"], v["finished_at"]]
        present = [s for s in stamps if s is not None]
        assert present == sorted(present), v
        for key in ("arrived_at", "called_at", "finished_at", "created_at", "updated_at", "voided_at"):
            if v[key] is not None:
                assert v[key] <= FIXED_NOW, (key, v)
                assert v[key].microsecond == 0 and "." not in v[key + "_raw"]


def test_statuses_agree_with_the_times(month) -> None:
    _path, visits = month
    for v in _live(visits):
        status = v["status"]
        if status == "waiting":
            assert (v["called_at"], v["finished_at"], v["outcome"]) == (None, None, None)
        elif status == "serving":
            assert v["called_at"] is not None and v["finished_at"] is None and v["outcome"] is None
        elif status == "finished" and v["outcome"] in ("diverted", "answered"):
            # Sent elsewhere or answered at the desk: finished as registered, never called.
            assert v["called_at"] is None and v["finished_at"] == v["arrived_at"] and v["served_by"]
        elif status == "finished":
            assert v["called_at"] and v["finished_at"] and v["outcome"] not in (None, "left")
            assert v["served_by"]
        else:
            assert status == "left"


def test_today_stops_at_now_with_people_still_waiting_or_in_service(month) -> None:
    _path, visits = month
    today = [v for v in _live(visits) if v["arrived_at"].date() == FIXED_NOW.date()]
    earlier = [v for v in _live(visits) if v["arrived_at"].date() < FIXED_NOW.date()]
    assert today and all(v["arrived_at"] <= FIXED_NOW for v in today)
    open_now = [v for v in today if v["status"] in ("waiting", "serving")]
    # Someone is still waiting or in service, unless the last arrivals were all finished as they
    # were registered (sent elsewhere or answered at the desk), as happens with seed 1 at 15:40.
    last = [v for v in today if v["arrived_at"] > FIXED_NOW - timedelta(minutes=10)]
    assert open_now or (last and all(v["outcome"] in ("diverted", "answered") for v in last))
    assert max(v["arrived_at"] for v in today) > FIXED_NOW - timedelta(minutes=30)
    assert all(v["status"] in ("finished", "left") for v in earlier)  # past days are closed


def test_some_waits_are_long_at_the_peaks(month) -> None:
    _path, visits = month
    waits = [
        ((v["called_at"] - v["arrived_at"]).total_seconds() / 60, v["arrived_at"].hour)
        for v in _live(visits) if v["called_at"] is not None
    ]
    over_15 = [h for w, h in waits if w > 15]
    over_30 = [h for w, h in waits if w > 30]
    assert over_30 and len(over_15) > len(over_30)
    assert len(over_15) < 0.3 * len(waits)
    assert sum(h in PEAK_HOURS for h in over_15) > len(over_15) / 2


def test_special_needs_vip_tickets_and_phones(month) -> None:
    _path, visits = month
    live = _live(visits)
    assert 0.03 < sum(v["special_needs"] != 0 for v in live) / len(live) < 0.12
    assert 0.02 < sum(bool(v["vip"]) for v in live) / len(live) < 0.09
    tickets = [v["ticket_no"] for v in live if v["ticket_no"]]
    assert tickets and all(re.fullmatch(r"[A-Z]\d{3}", t) for t in tickets)
    phones = [v["phone"] for v in live if v["phone"]]
    assert 0.1 < len(phones) / len(live) < 0.7
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    assert len(set(phones)) > 0.9 * len(phones)


def test_destinations_fit_the_business_type(month) -> None:
    _path, visits = month
    live = _live(visits)
    complaints = [v for v in live if v["bt_tag"] == "complaint"]
    assert complaints and all(v["dest_tag"] == "reception" for v in complaints)
    consults = [v for v in live if v["bt_tag"] == "consult"]
    assert consults and all(v["dest_tag"] in ("consult", "online") for v in consults)
    counters = [v for v in live if v["dest_tag"] == "counter"]
    assert len(counters) > 0.3 * len(live)
    assert {v["dest_tag"] for v in live} >= {"counter", "self_service", "consult", "reception", "online"}
    priority = [v for v in live if v["dest_tag"] == "priority"]
    assert priority and all(v["special_needs"] for v in priority)


def test_incomplete_papers_name_what_is_missing(month) -> None:
    path, visits = month
    documents = {label for (label,) in table(path, "SELECT label FROM list_item WHERE kind = 'document'")}
    for v in _live(visits):
        if v["outcome"] == "incomplete":
            missing = v["missing_documents"].split("\n")
            assert not v["documents_complete"] and missing and set(missing) <= documents
        else:
            assert v["documents_complete"] and v["missing_documents"] == ""


def test_surrender_visits_carry_reason_and_retention(month) -> None:
    _path, visits = month
    surrenders = [v for v in _live(visits) if v["bt_tag"] == "surrender" and v["outcome"] == "done"]
    assert surrenders
    assert all(v["surrender_reason"] in SURRENDER_REASONS for v in surrenders)
    assert {v["retention"] for v in surrenders} == set(RETENTION)
    others = [v for v in _live(visits) if v["bt_tag"] != "surrender"]
    assert all(v["surrender_reason"] is None and v["retention"] is None for v in others)


def test_same_seed_same_data_other_seed_other_data(tmp_path, capsys, fixed_now) -> None:
    paths = [tmp_path / f"{name}.sqlite" for name in ("a", "b", "c")]
    for path, seed in zip(paths, ("7", "7", "8"), strict=True):
        assert run(capsys, "--db", str(path), "demo", "--days", "10", "--seed", seed)[0] == 0
    a, b, c = (table(p, "SELECT * FROM visit ORDER BY id") for p in paths)
    assert a and a == b
    assert a != c


# ------------------------------------------------------------------ refusal and --append


def test_refuses_a_database_with_visits_unless_appending(tmp_path, capsys, fixed_now) -> None:
    path = tmp_path / "x.sqlite"
    assert run(capsys, "--db", str(path), "demo", "--days", "3", "--seed", "1")[0] == 0
    before = table(path, "SELECT count(*) FROM visit")[0][0]

    code, out, err = run(capsys, "--db", str(path), "demo", "--days", "3", "--seed", "2")
    assert code == 1 and out == ""
    line = one_error_line(err)
    assert "--append" in line and str(before) in line
    assert table(path, "SELECT count(*) FROM visit")[0][0] == before

    code, out, err = run(capsys, "--db", str(path), "demo", "--days", "3", "--seed", "2", "--append")
    assert code == 0 and err == ""
    assert table(path, "SELECT count(*) FROM visit")[0][0] > before


def test_preset_option_chooses_the_lists(tmp_path, capsys, fixed_now) -> None:
    path = tmp_path / "bank.sqlite"
    assert run(capsys, "--db", str(path), "demo", "--days", "3", "--seed", "1", "--preset", "bank")[0] == 0
    settings = dict(table(path, "SELECT key, value FROM setting"))
    assert settings["preset"] == "bank" and "银行" in settings["branch_name"]
    used = {v["bt_label"] for v in read_visits(path)}
    assert "现金" in used and "退保" not in used


# ------------------------------------------------------------------ where the database is


def test_db_option_beats_the_environment(tmp_path, capsys, monkeypatch, fixed_now) -> None:
    from_env, from_option = tmp_path / "env.sqlite", tmp_path / "option.sqlite"
    monkeypatch.setenv("FRONTDESK_DB", str(from_env))
    assert run(capsys, "--db", str(from_option), "demo", "--days", "2", "--seed", "1")[0] == 0
    assert from_option.exists() and not from_env.exists()

    assert run(capsys, "demo", "--days", "2", "--seed", "1")[0] == 0
    assert table(from_env, "SELECT count(*) FROM visit")[0][0] > 0

    also = tmp_path / "after-command.sqlite"
    assert run(capsys, "demo", "--db", str(also), "--days", "2", "--seed", "1")[0] == 0
    assert also.exists()
    assert not default_database().exists()


def test_default_is_the_user_data_folder(capsys, fixed_now) -> None:
    assert not default_database().exists()
    assert run(capsys, "demo", "--days", "2", "--seed", "1")[0] == 0
    assert table(default_database(), "SELECT count(*) FROM visit")[0][0] > 0


# ------------------------------------------------------------------ errors: one line, no traceback


def _directory(tmp_path: Path) -> str:
    (tmp_path / "folder").mkdir()
    return str(tmp_path / "folder")


def _not_a_database(tmp_path: Path) -> str:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is a text file, not a database\n" * 200)
    return str(path)


def _below_a_file(tmp_path: Path) -> str:
    (tmp_path / "plain.txt").write_text("x")
    return str(tmp_path / "plain.txt" / "frontdesk.sqlite")


def _unreachable_server(_tmp_path: Path) -> str:
    return "postgresql://postgres@127.0.0.1:1/frontdesk"


@pytest.mark.parametrize(
    ("make_location", "words"),
    [
        (_directory, "文件夹"),
        (_not_a_database, "损坏"),
        (_below_a_file, "文件夹"),
        (_unreachable_server, "无法连接数据库"),
    ],
)
def test_unusable_location_fails_in_one_line(tmp_path, capsys, make_location, words) -> None:
    code, out, err = run(capsys, "--db", make_location(tmp_path), "demo", "--days", "2", "--seed", "1")
    assert code == 1 and out == ""
    assert words in one_error_line(err)


@pytest.fixture
def read_only_database(tmp_path, capsys, fixed_now):
    """A demo database the current user cannot write (root ignores modes: the file is made immutable)."""
    path = tmp_path / "readonly.sqlite"
    assert run(capsys, "--db", str(path), "demo", "--days", "2", "--seed", "1")[0] == 0
    as_root = getattr(os, "geteuid", lambda: -1)() == 0
    if as_root:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode:
            pytest.skip("running as root and the file cannot be made immutable (chattr)")
    else:
        path.chmod(0o444)
    yield path
    if as_root:
        subprocess.run([shutil.which("chattr") or "chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o644)


def test_read_only_database_fails_in_one_line_in_a_real_process(read_only_database) -> None:
    before = table(read_only_database, "SELECT count(*) FROM visit")[0][0]
    result = run_process("--db", str(read_only_database), "demo", "--days", "2", "--append")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "只读" in one_error_line(result.stderr)
    assert table(read_only_database, "SELECT count(*) FROM visit")[0][0] == before


def test_a_bug_is_logged_and_reported_in_one_line(tmp_path, capsys, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(demo_service, "generate", broken)
    code, out, err = run(capsys, "--db", str(tmp_path / "x.sqlite"), "demo", "--days", "2")
    assert code == cli.EXIT_BUG and out == ""
    line = one_error_line(err)
    assert "simulated bug" in line and str(log_dir()) in line
    log = log_path().read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: simulated bug" in log


def test_interrupt_exits_130_in_one_line(tmp_path, capsys, monkeypatch) -> None:
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(demo_service, "generate", interrupted)
    code, _out, err = run(capsys, "--db", str(tmp_path / "x.sqlite"), "demo", "--days", "2")
    assert code == 130
    one_error_line(err)


# ------------------------------------------------------------------ a real process, real clock


def test_demo_in_a_real_process_stops_at_the_real_now(tmp_path) -> None:
    path = tmp_path / "real.sqlite"
    started = datetime.now().replace(microsecond=0)
    # Telecom halls open every day, so the three days always hold visits.
    result = run_process("--db", str(path), "demo", "--days", "3", "--seed", "11", "--preset", "telecom")
    finished = datetime.now()
    assert result.returncode == 0, result.stderr
    assert "已生成示范数据" in result.stdout
    visits = read_visits(path)
    assert visits
    # The process's "today" fell between the two readings (a run may straddle midnight).
    assert all(started.date() - timedelta(days=2) <= v["arrived_at"].date() <= finished.date()
               for v in visits)
    for v in visits:
        for key in ("arrived_at", "called_at", "finished_at", "updated_at"):
            assert v[key] is None or v[key] <= finished, (key, v, started)


def test_starting_the_window_without_a_display_is_one_clear_line(tmp_path, monkeypatch, capsys):
    """Qt would abort the whole process without a display; the program says why instead."""
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    code = cli.main(["--db", str(tmp_path / "x.sqlite")])
    err = capsys.readouterr().err
    assert code == 1
    assert "图形界面" in err and "DISPLAY" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.sqlite").exists()
