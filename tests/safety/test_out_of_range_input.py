"""Out-of-range input is a message at the field, never a crash.

Found on the old code: a date of 9999-12-31 in the register's date filter overflowed deep in the
query (a crash dialog), and a 50 KB search text went to the database as it was. Every query now
bounds its input in one place (``services/validation``): dates within 2000–2099, a period that
does not end before it starts, a search of at most 100 characters.
"""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.errors import ValidationError
from frontdesk.services import audit, clock, visitors
from frontdesk.services.visitors import VisitQuery


@pytest.mark.parametrize(("start", "end", "field", "words"), [
    (date(2026, 12, 1), date(9999, 12, 31), "date_to", "2000-01-01 至 2099-12-31"),
    (date(1, 1, 1), date(2026, 12, 1), "date_from", "2000-01-01 至 2099-12-31"),
    (date(2026, 12, 2), date(2026, 12, 1), "date_to", "结束日期不能早于开始日期"),
])
def test_a_date_filter_out_of_range_is_refused_at_its_field(configured, start, end, field, words):
    for call in (
        lambda: visitors.count_visits(VisitQuery(start, end)),
        lambda: visitors.fetch_rows(VisitQuery(start, end), 0, 50),
        lambda: audit.count(audit.AuditFilter(date_from=start, date_to=end)),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert field in caught.value.fields and words in caught.value.fields[field]


def test_a_search_text_is_bounded(configured):
    today = clock.today()
    with pytest.raises(ValidationError) as caught:
        visitors.count_visits(VisitQuery(today, today, text="王" * 50_000))
    assert "搜索内容最多 100 个字" in caught.value.fields["text"]
    assert visitors.count_visits(VisitQuery(today, today, text="王" * 100)) == 0
