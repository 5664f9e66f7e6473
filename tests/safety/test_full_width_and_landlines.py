"""Full-width digits are the same number, and landlines are masked too.

Found on the old code: a phone typed with full-width digits (１３８…, as a Chinese input method
gives them) was stored as typed, so it escaped both the mask and the search; a 7–8 digit landline
was shown almost whole (``876****4321`` hid nothing of ``8764321``).
"""

from __future__ import annotations

import pytest

from frontdesk.errors import ValidationError
from frontdesk.services import clock, lists, session, visitors
from frontdesk.services.visitors import VisitInput, VisitQuery


def _register(**kw) -> int:
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    return visitors.register(VisitInput(business_type_id=bt, destination_id=dest, **kw)).id


def test_full_width_digits_are_stored_masked_and_found_as_the_same_number(configured, sign_in_as):
    visit = _register(phone="１３８ １２３４ ５６７８", ticket_no="Ａ０１２")
    sign_in_as(session.FRONT_DESK)
    row = visitors.get_visit(visit).row
    assert row.phone_masked == "138****5678" and row.ticket_no == "A012"
    today = clock.today()
    for text in ("5678", "５６７８", "13812345678", "A012"):
        assert visitors.count_visits(VisitQuery(today, today, text=text)) == 1, text


@pytest.mark.parametrize(("number", "shown"), [
    ("8764321", "****4321"),
    ("87654321", "****4321"),
    ("01087654321", "010****4321"),
    ("13812345678", "138****5678"),
])
def test_no_more_than_the_last_four_digits_of_a_landline_show(number, shown):
    assert visitors.mask_phone(number) == shown
    hidden = len(number) - sum(ch.isdigit() for ch in shown)
    assert hidden >= 3


def test_other_full_width_or_foreign_digits_are_still_refused(configured):
    with pytest.raises(ValidationError) as caught:
        _register(phone="١٣٨١٢٣٤٥٦٧٨")  # Arabic-Indic digits: not a Chinese phone number
    assert "phone" in caught.value.fields
