"""Searching and sorting the whole register fast (``services/visit_search.py``, migration m005):
the same visits found and the same order as a plain reading of every row, on SQLite and
PostgreSQL, whatever the length of the text; the indexes kept in step with every change."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import peewee
import pytest

from frontdesk.db.database import current_database, is_postgres, write_transaction
from frontdesk.db.migrations import m009_register_search
from frontdesk.services import clock, lists, visit_search
from frontdesk.services import visitors as v

NOW = datetime(2026, 11, 25, 10, 30, 0)
NAMES = ("张三", "张三丰", "李四光", "王先生", "Ann Lee", "ann", "欧阳娜娜", "", "100%纯", "a_b")
NOTES = ("", "客户较急", "陪同老人办理", "已递水", 'say "hi"', "转理赔岗")
STAFF = ("张敏", "李娜", "")


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def history(configured, frozen):
    """60 visits over 30 days, registered through the service, with names, notes and phones
    that overlap in every way a search can be tricked by (short, repeated, mixed case, quotes,
    the LIKE wildcards % and _)."""
    bts = [e.id for e in lists.entries("business_type")]
    dests = [e.id for e in lists.entries("destination") if e.queues]  # customers who wait to be called
    ids = []
    for n in range(60):
        data = v.VisitInput(
            business_type_id=bts[n % len(bts)], destination_id=dests[n % len(dests)],
            arrived_at=NOW - timedelta(days=n % 30, minutes=n), customer_name=NAMES[n % len(NAMES)],
            ticket_no=f"A{n:03d}", phone=f"1390000{n:04d}" if n % 4 else "", notes=NOTES[n % len(NOTES)])
        ids.append(v.register(data).id)
    for n, visit_id in enumerate(ids[:20]):
        v.call(visit_id, at=NOW - timedelta(days=n % 30, minutes=n) + timedelta(minutes=n % 7),
               served_by=STAFF[n % len(STAFF)])
    return ids


def _whole(**kw) -> v.VisitQuery:
    return v.VisitQuery(NOW.date() - timedelta(days=40), NOW.date(), **kw)


def _oracle(text: str) -> set[int]:
    """Every visit whose name, ticket, notes or served-by holds ``text`` (case aside for ASCII),
    or whose phone ends in it (4 digits) or is it (a whole number): read row by row in Python."""
    folded = text.casefold()
    found = set()
    for row in v.fetch_rows(_whole(), 0, 1000):
        detail = v.get_visit(row.id)
        fields = (detail.row.customer_name, detail.row.ticket_no, detail.row.notes, detail.row.served_by)
        phone = v.reveal_phone(row.id)
        if any(folded in f.casefold() for f in fields) \
                or (text.isdigit() and len(text) == 4 and phone.endswith(text)) \
                or (text.isdigit() and len(text) >= 7 and phone == text):
            found.add(row.id)
    return found


SEARCHES = ("张", "张三", "张三丰", "三丰", "ann", "ANN", "Ann Lee", "陪同", "陪同老人", "已递水", "%纯",
            "a_b", "_", '"hi"', "A01", "a01", "0013", "13900000013", "张敏", "敏", "转理赔岗", "没有的字")


@pytest.mark.parametrize("text", SEARCHES)
def test_a_search_finds_what_reading_every_row_finds_whatever_its_length(history, text):
    expected = _oracle(text)
    query = _whole(text=text)
    assert v.count_visits(query) == len(expected)
    assert {r.id for r in v.fetch_rows(query, 0, 1000)} == expected
    total, first = v.first_page(query, 5)
    assert total == len(expected) and {r.id for r in first} <= expected


def test_the_text_index_follows_edits_voids_and_deletes(history):
    detail = v.get_visit(history[2])
    old_name = detail.row.customer_name
    assert len(old_name) >= 3
    v.update(history[2], v.VisitInput(**{**detail.to_input().__dict__, "customer_name": "诸葛孔明"}),
             detail.row.version)
    assert {r.id for r in v.fetch_rows(_whole(text="诸葛孔明"), 0, 100)} == {history[2]}
    assert history[2] not in {r.id for r in v.fetch_rows(_whole(text=old_name), 0, 100)}
    v.void(history[2], "登记错了")
    assert v.count_visits(_whole(text="诸葛孔明")) == 0
    assert v.count_visits(_whole(text="诸葛孔明", status=v.VOIDED)) == 1
    if not is_postgres():
        from frontdesk.db.models import Visit

        with write_transaction():
            Visit.delete().where(Visit.id == history[2]).execute()
        db = current_database()
        # FTS5's own consistency check: the index holds exactly what the table holds.
        db.execute_sql("INSERT INTO visit_text (visit_text, rank) VALUES ('integrity-check', 1)")


def test_a_search_of_three_characters_is_looked_up_in_the_text_index(history):
    """SQLite: the plan reads the trigram table, not every visit; shorter texts cannot use it."""
    if is_postgres():
        names = {r[0] for r in current_database().execute_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'visit'").fetchall()}
        assert {f"visit_text_{c}" for c in m009_register_search.TEXT_COLUMNS} <= names
        return
    from frontdesk.db.models import Visit

    def plan(text: str) -> str:
        query = Visit.select(Visit.id).where(v._where(_whole(text=text)))
        sql, params = query.sql()
        return " ".join(str(r[-1]) for r in current_database().execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))

    assert "visit_text" in plan("张三丰") and "VIRTUAL TABLE" in plan("0013")
    assert "visit_text" not in plan("张三")


def test_without_the_text_index_a_search_still_finds_the_same(history):
    """A SQLite too old for trigram FTS5 migrates without the table: every row is read instead."""
    if is_postgres():
        pytest.skip("SQLite's text index")
    expected = {text: _oracle(text) for text in ("张三丰", "0013", "陪同老人")}
    db = current_database()
    with write_transaction():
        for name in ("visit_text_insert", "visit_text_update", "visit_text_delete"):
            db.execute_sql(f"DROP TRIGGER {name}")
        db.execute_sql("DROP TABLE visit_text")
    assert not visit_search.has_text_index()
    for text, ids in expected.items():
        assert {r.id for r in v.fetch_rows(_whole(text=text), 0, 1000)} == ids


@pytest.mark.parametrize("key", v.SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_a_big_view_read_in_its_sort_index_is_in_the_same_order(history, monkeypatch, key, descending):
    """Forced onto the index path (as for a view of 20,000 visits and more), every page agrees
    with the usual path; and on SQLite the plan reads the column's index, sorting nothing."""
    query = _whole(sort_key=key, descending=descending)
    usual = [r.id for r in v.fetch_rows(query, 0, 1000)]
    monkeypatch.setattr(visit_search, "SORT_BY_INDEX_FROM", 1)
    total = v.count_visits(query)
    paged = list(itertools.chain.from_iterable(
        [r.id for r in v.fetch_rows(query, offset, 7, total)] for offset in range(0, total, 7)))
    assert paged == usual and len(usual) == 60
    if is_postgres() or key == "arrived_at":
        return
    sql, params = v._ids_query(query, total).order_by(*v._ordering(query)(False)).limit(50).sql()
    plan = " ".join(str(r[-1]) for r in current_database().execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "TEMP B-TREE" not in plan, plan


def test_the_migration_leaves_no_text_table_where_sqlite_has_no_trigram(tmp_path):
    """Simulated with a tokenizer name no SQLite has: the step still completes, nothing half made."""
    db = peewee.SqliteDatabase(str(tmp_path / "old.sqlite"))
    db.connect()
    db.execute_sql("CREATE TABLE visit (id INTEGER PRIMARY KEY, customer_name TEXT, ticket_no TEXT, "
                   "notes TEXT, served_by TEXT, phone TEXT, status TEXT, called_at TEXT, finished_at TEXT, "
                   "outcome TEXT, arrived_at TEXT, voided_at TEXT)")
    original = m009_register_search._sqlite_text

    def without_trigram(database):
        database.execute_sql = _refusing_trigram(database.execute_sql)
        original(database)

    with db.atomic():
        m009_register_search.apply.__globals__["_sqlite_text"] = without_trigram
        try:
            m009_register_search.apply(db)
        finally:
            m009_register_search.apply.__globals__["_sqlite_text"] = original
    tables = set(db.get_tables())
    assert "visit_text" not in tables
    assert not db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    db.close()


def _refusing_trigram(execute):
    def run(sql, params=None):
        if "tokenize='trigram'" in sql:
            sql = sql.replace("tokenize='trigram'", "tokenize='no_such_tokenizer'")
        return execute(sql, params)
    return run
