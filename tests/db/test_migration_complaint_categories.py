"""The step that makes complaint categories a list: old codes become labels, a branch set up
keeps the eight categories it used, a database not set up gets its list at the first start."""

from __future__ import annotations

from datetime import datetime

import pytest

from frontdesk.db import migrations
from frontdesk.db.database import (
    Location,
    close_database,
    database_proxy,
    make_database,
    open_database,
)
from frontdesk.db.migrations import m014_complaint_categories as step
from frontdesk.db.models import Complaint

OLD = [("attitude", "accepted"), ("claims", "closed"), ("other", "replied"), ("queue_jump", "accepted")]


@pytest.fixture(autouse=True)
def _unbind():
    yield
    close_database()
    database_proxy.initialize(None)


def _before_the_step(path, *, configured: bool):
    old = make_database(Location(str(path)))
    old.connect()
    migrations.migrate_to_latest(old, migrations=tuple(m for m in migrations.MIGRATIONS
                                                       if m.VERSION < step.VERSION))
    if configured:
        old.execute_sql("INSERT INTO setting (key, value) VALUES ('preset', 'insurance')")
    at = datetime(2026, 11, 2, 10, 0)
    with old.bind_ctx([Complaint]):  # the columns of the complaint table have not changed since
        for code, status in OLD:
            Complaint.insert(kind="complaint", channel="on_site", category=code, received_at=at,
                             accepted_on=at.date(), first_contact="王芳", status=status, created_at=at,
                             updated_at=at).execute()
    old.close()


def test_a_branch_set_up_keeps_its_categories_and_its_tickets_their_labels(tmp_path):
    path = tmp_path / "old.sqlite"
    _before_the_step(path, configured=True)
    db = open_database(str(path))
    labels = [r[0] for r in db.execute_sql("SELECT category FROM complaint ORDER BY id")]
    assert labels == ["服务态度", "理赔", "其他", "queue_jump"]  # an unknown code stays as it was
    listed = db.execute_sql("SELECT label, position, active FROM list_item WHERE kind = 'complaint_category'"
                            " ORDER BY position").fetchall()
    assert [(label, bool(active)) for label, _p, active in listed] == [
        ("服务态度", True), ("业务办理", True), ("等候时间", True), ("理赔", True), ("退保", True),
        ("销售误导", True), ("环境设施", True), ("其他", True), ("queue_jump", False)]


def test_a_database_not_set_up_gets_its_list_at_the_first_start(tmp_path):
    path = tmp_path / "old.sqlite"
    _before_the_step(path, configured=False)
    db = open_database(str(path))
    listed = db.execute_sql("SELECT label, active FROM list_item WHERE kind = 'complaint_category'").fetchall()
    # Only the labels tickets hold, inactive: the first start's preset brings the list itself
    assert {(label, bool(active)) for label, active in listed} == {
        ("服务态度", False), ("理赔", False), ("其他", False), ("queue_jump", False)}
