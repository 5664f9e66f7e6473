"""The paging helpers over a table that is not the register: any list a tab shows gets them."""

from __future__ import annotations

from datetime import datetime

import peewee
import pytest

from frontdesk.db.database import database_proxy, read_only, write_transaction
from frontdesk.services import paging


class Item(peewee.Model):
    rank = peewee.IntegerField(null=True)
    kind = peewee.CharField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        database = database_proxy
        table_name = "test_paging_item"


RANKS = [5, None, 3, 5, 1, None, 4, 2, 5, 3, 1]


@pytest.fixture
def items(database):
    database.create_tables([Item])
    with write_transaction():
        for n, rank in enumerate(RANKS):
            Item.insert(rank=rank, kind="a" if n % 3 else "b", updated_at=datetime(2026, 11, 25, 9, n)).execute()
    yield
    database.drop_tables([Item])


def expected_order(descending: bool) -> list[int]:
    """The order worked out in Python: rank (empty last going up, first going down), then id."""
    keyed = [(rank, n + 1) for n, rank in enumerate(RANKS)]
    if descending:
        return [i for _r, i in sorted(keyed, key=lambda k: (k[0] is not None, -(k[0] or 0), -k[1]))]
    return [i for _r, i in sorted(keyed, key=lambda k: (k[0] is None, k[0] or 0, k[1]))]


@pytest.mark.parametrize("descending", [False, True])
def test_every_page_from_either_end_agrees_with_the_whole_order(items, descending):
    ordering = paging.ordered_by(Item.rank, Item.id, descending=descending)
    everything = expected_order(descending)
    with read_only():
        total = paging.count(Item, Item.id > 0)
        assert total == len(RANKS)
        for offset in range(-1, total + 2):
            for limit in (1, 3, 7):
                ids = paging.page_ids(Item.select(Item.id), ordering, offset, limit, total)
                start = max(0, min(offset, total))
                assert ids == everything[start:start + limit], (offset, limit)
        assert paging.first_ids(Item.select(Item.id), ordering, total) == everything
        assert paging.first_ids(Item.select(Item.id), ordering, total - 1) is None
        for place, item_id in enumerate(everything):
            assert paging.position_of(Item, Item.select(), ordering, item_id) == place
        assert paging.position_of(Item, Item.select().where(Item.kind == "b"), ordering, 2) is None


def test_rows_come_back_in_the_order_of_their_ids(items):
    with read_only():
        rows = paging.rows_by_id(Item.select(), Item.id, [7, 1, 99, 3], lambda i: (i.id, i.rank))
    assert rows == [(7, 4), (1, 5), (3, 3)]
    assert paging.rows_by_id(Item.select(), Item.id, [], lambda i: i) == []


def test_the_change_stamp_moves_with_every_save_and_every_new_row(items):
    with read_only():
        before = paging.change_stamp(Item, Item.kind == "a")
    assert before.rows == sum(1 for n in range(len(RANKS)) if n % 3) and before.versions == before.rows
    with write_transaction():
        Item.update(version=Item.version + 1).where(Item.id == 2).execute()
    with read_only():
        after = paging.change_stamp(Item, Item.kind == "a")
        assert after != before and after.versions == before.versions + 1
        assert paging.change_stamp(Item, Item.id < 0) == paging.ChangeStamp(0, 0, None)
    assert isinstance(after.last_update, datetime) and after.visits == after.rows
