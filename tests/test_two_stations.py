"""Two stations at once: real second processes on one SQLite file, or on one PostgreSQL database.

The front-desk PC and the duty manager's desktop each run their own FrontDesk. Here every other
station is a real ``python`` process that opens the same database and works through the
services, driven line by line over its standard input (one JSON command, one JSON answer), so a
test can make the stations act at the same moment or one after the other. This process is the
station with the window.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from frontdesk.db.models import Visit
from frontdesk.errors import ConflictError
from frontdesk.services import lists, session, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.visitors.form_dialog import VisitFormDialog
from frontdesk.ui.visitors.tab import VisitorTab
from tests.conftest import PASSWORDS
from tests.pinning import PIN_CHILD, child_environment
from tests.ui.register_helpers import type_chinese
from tests.ui.worker_helpers import settle

REPO = Path(__file__).resolve().parent.parent
ANSWER_TIMEOUT = 60.0

STATION = PIN_CHILD + r"""
import json, sys
from dataclasses import replace
from frontdesk.db.database import open_database
from frontdesk.errors import ConflictError, UserError
from frontdesk.services import lists, visitors

open_database(sys.argv[1])
from argon2 import PasswordHasher
from frontdesk.services import users
from tests.ui.worker_helpers import settle
users.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # as the test made it
users.sign_in(sys.argv[2], sys.argv[3])  # the duty manager at the other PC
bt = {e.label: e.id for e in lists.entries("business_type")}
dest = {e.label: e.id for e in lists.entries("destination")}
held = {}  # what this station read, as an edit dialog holds it


def handle(cmd):
    op = cmd["op"]
    if op == "register":
        ids = []
        for n in range(cmd.get("count", 1)):
            name = cmd["name"] if cmd.get("count", 1) == 1 else f"{cmd['name']}{n}"
            data = visitors.VisitInput(business_type_id=bt["咨询"], destination_id=dest["1号窗口"],
                                       customer_name=name)
            ids.append(visitors.register(data).id)
        return {"ids": ids}
    if op == "read":
        held[cmd["id"]] = visitors.get_visit(cmd["id"])
        return {"version": held[cmd["id"]].row.version}
    if op == "edit":  # on what it read before, or on a fresh read
        base = held.get(cmd["id"]) or visitors.get_visit(cmd["id"])
        row = visitors.update(cmd["id"], replace(base.to_input(), **cmd["changes"]), expected=base)
        held[cmd["id"]] = visitors.get_visit(cmd["id"])
        return {"version": row.version}
    if op == "call":
        base = held.get(cmd["id"])
        row = visitors.call(cmd["id"], served_by=cmd.get("served_by", ""),
                            expected=base.row if base else None)
        return {"version": row.version}
    raise ValueError(op)


print(json.dumps({"ok": True}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    try:
        answer = {"ok": True, **handle(cmd)}
    except ConflictError as exc:
        answer = {"ok": False, "error": "conflict", "message": exc.message,
                  "changes": [[c.field, c.old, c.new] for c in exc.changes]}
    except UserError as exc:
        answer = {"ok": False, "error": type(exc).__name__, "message": exc.message}
    print(json.dumps(answer), flush=True)
"""


class Station:
    """Another FrontDesk process on the same database."""

    def __init__(self, location: str) -> None:
        env = child_environment(PYTHONPATH=str(REPO))
        env.pop("QT_QPA_PLATFORM", None)
        self.process = subprocess.Popen(
            [sys.executable, "-c", STATION, location, "manager", PASSWORDS["manager"]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", cwd=REPO, env=env,
        )
        assert self.receive()["ok"]  # the database is open over there

    def send(self, **command: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def receive(self) -> dict:
        out = self.process.stdout
        assert out is not None
        ready, _, _ = select.select([out], [], [], ANSWER_TIMEOUT)
        line = out.readline() if ready else ""
        if not line:
            self.process.kill()
            raise AssertionError(f"the other station stopped: {self.process.stderr.read()}")
        return json.loads(line)

    def __call__(self, **command: object) -> dict:
        self.send(**command)
        return self.receive()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture
def stations(configured, db_location, make_user) -> Iterator[Callable[[int], list[Station]]]:
    """Start ``n`` other stations on this test's database (configured here first), each
    signed in as the duty manager ``manager``."""
    make_user(session.DUTY_MANAGER, "manager", "张经理")
    started: list[Station] = []

    def start(n: int) -> list[Station]:
        new = [Station(db_location) for _ in range(n)]
        started.extend(new)
        return new

    yield start
    for station in started:
        station.close()


def ids_of(kind: str) -> dict[str, int]:
    return {e.label: e.id for e in lists.entries(kind)}


def register_here(name: str) -> visitors.VisitRow:
    return visitors.register(VisitInput(business_type_id=ids_of("business_type")["缴费"],
                                        destination_id=ids_of("destination")["2号窗口"],
                                        customer_name=name))


# ------------------------------------------------------------------ services


def test_registrations_made_at_the_same_time_all_land(stations):
    others = stations(3)
    for n, station in enumerate(others):
        station.send(op="register", name=f"站{n}-", count=150)
    here = [register_here(f"本站-{n}").id for n in range(150)]  # meanwhile, this station too
    answers = [station.receive() for station in others]
    assert all(a["ok"] for a in answers), answers
    reported = set(here).union(*(a["ids"] for a in answers))
    assert len(reported) == 600  # every registration got its own id …
    stored = {v.id: v.customer_name for v in Visit.select(Visit.id, Visit.customer_name)}
    assert set(stored) == reported  # … and every one is there, each once
    assert sorted(stored.values()) == sorted(
        [f"本站-{n}" for n in range(150)] + [f"站{s}-{n}" for s in range(3) for n in range(150)]
    )


def test_an_edit_raced_by_another_station_is_refused_and_lists_its_changes(stations):
    front, manager = stations(2)
    for attempt in range(8):
        visit_id = front(op="register", name=f"王女士{attempt}")["ids"][0]
        front(op="read", id=visit_id)
        manager(op="read", id=visit_id)
        # Both press 保存 at the same moment, on the same version.
        front.send(op="edit", id=visit_id, changes={"notes": "前台：客户要求回电"})
        manager.send(op="edit", id=visit_id, changes={"notes": "经理：已回电", "served_by": "张经理"})
        answers = {"front": front.receive(), "manager": manager.receive()}
        winners = [who for who, a in answers.items() if a["ok"]]
        assert len(winners) == 1, answers  # never both: the second save would overwrite the first
        winner = winners[0]
        loser = answers["manager" if winner == "front" else "front"]
        assert loser["error"] == "conflict"
        saved = visitors.get_visit(visit_id).row
        if winner == "front":
            assert (saved.notes, saved.served_by) == ("前台：客户要求回电", "")
            assert loser["changes"] == [["notes", "（空）", "前台：客户要求回电"]]
        else:
            assert (saved.notes, saved.served_by) == ("经理：已回电", "张经理")
            assert loser["changes"] == [["served_by", "（空）", "张经理"], ["notes", "（空）", "经理：已回电"]]
        assert "其他工作站修改" in loser["message"] and "未丢失" in loser["message"]
        assert saved.version == 2


def test_a_stale_edit_here_names_what_the_other_station_saved(stations):
    (manager,) = stations(1)
    row = register_here("李先生")
    mine = visitors.get_visit(row.id)  # the edit dialog here is open …
    manager(op="edit", id=row.id, changes={"phone": "13812345678", "vip": True})
    manager(op="call", id=row.id, served_by="赵磊")
    with pytest.raises(ConflictError) as err:  # … and saves afterwards
        visitors.update(row.id, replace(mine.to_input(), notes="本站的备注"), expected=mine)
    assert [(c.field, c.old, c.new) for c in err.value.changes][:3] == [
        ("status", "等候中", "办理中"), ("phone", "（空）", "138****5678"), ("vip", "否", "是")]
    assert "13812345678" not in err.value.message
    saved = visitors.get_visit(row.id)
    assert (visitors.reveal_phone(row.id), saved.row.vip, saved.row.served_by, saved.row.notes) == (
        "13812345678", True, "赵磊", "")  # nothing of theirs overwritten, nothing of ours written


def test_two_stations_calling_the_same_visitor(stations):
    front, manager = stations(2)
    for attempt in range(5):
        visit_id = front(op="register", name=f"客户{attempt}")["ids"][0]
        front(op="read", id=visit_id)
        manager(op="read", id=visit_id)
        front.send(op="call", id=visit_id, served_by="王芳")
        manager.send(op="call", id=visit_id, served_by="李娜")
        answers = [front.receive(), manager.receive()]
        assert sorted(a["ok"] for a in answers) == [False, True], answers
        refused = next(a for a in answers if not a["ok"])
        assert "只能为等候中的客户叫号" in refused["message"]
        assert [c[0] for c in refused["changes"]] == ["status", "called_at", "served_by"]
        assert visitors.get_visit(visit_id).row.version == 2


# ------------------------------------------------------------------ the window


@pytest.fixture
def tab(configured, qtbot) -> VisitorTab:
    widget = VisitorTab()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_visitor_registered_on_the_other_station_shows_here_within_seconds(tab, stations, qtbot):
    (other,) = stations(1)
    table, panel = tab.register_table, tab.waiting_panel
    qtbot.waitUntil(lambda: table.model.settled, timeout=5000)
    register_here("本站客户")
    table.refresh()  # as after a registration in this window's form
    qtbot.waitUntil(lambda: table.model.settled and table.model.total == 1, timeout=5000)
    table.view.selectRow(0)
    chosen = table.selected_visit_id()

    visit_id = other(op="register", name="外站客户")["ids"][0]

    def shown() -> bool:
        in_table = any(table.model.row_at(r) is not None and table.model.row_at(r).id == visit_id
                       for r in range(table.model.rowCount()))
        return in_table and visit_id in [r.id for r in panel.waiting_model.rows()]

    qtbot.waitUntil(shown, timeout=7000)  # both look every 4 s: within 5 s, with room for CI
    assert table.count_label.text() == "共 2 条"
    assert table.selected_visit_id() == chosen  # the selection did not jump


def test_the_edit_dialog_shows_the_other_stations_changes_and_keeps_the_input(stations, qtbot):
    (manager,) = stations(1)
    row = register_here("陈女士")
    dialog = VisitFormDialog(row.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.ticket_no.setFocus()
    qtbot.keyClicks(dialog.ticket_no, "A066")
    dialog.notes.setFocus()
    type_chinese(dialog.notes, "客户需要复印件")

    manager(op="edit", id=row.id, changes={"customer_name": "陈阿姨", "notes": "经理：老年客户"})
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.conflict_box.isVisible()
    items = [dialog.conflict_list.item(n).text() for n in range(dialog.conflict_list.count())]
    assert items == ["客户称呼：陈女士 → 陈阿姨", "备注：（空） → 经理：老年客户"]
    assert (dialog.ticket_no.text(), dialog.notes.toPlainText()) == ("A066", "客户需要复印件")
    saved = visitors.get_visit(row.id).row
    assert (saved.customer_name, saved.notes, saved.ticket_no) == ("陈阿姨", "经理：老年客户", "")

    # Load theirs, put ours back on top, look, save: both stations' work is kept.
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.reapply_button, Qt.MouseButton.LeftButton)
    assert (dialog.customer_name.text(), dialog.ticket_no.text()) == ("陈阿姨", "A066")
    assert dialog.notes.toPlainText() == "客户需要复印件"  # both changed it: the user's wins, seen
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = visitors.get_visit(row.id).row
    assert (saved.customer_name, saved.ticket_no, saved.notes) == ("陈阿姨", "A066", "客户需要复印件")
