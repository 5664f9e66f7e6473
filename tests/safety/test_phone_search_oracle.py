"""Searching cannot rebuild a masked phone number.

Found on the old code: the register shows 138****5678 to the front desk, but its search matched
any part of the number, so typing prefixes one digit at a time (23 searches) revealed the whole
number. Now phones are searched by the last four digits (尾号) or by the whole number, never by
another fragment — for every role, since a fragment match is no help to anyone either.
"""

from __future__ import annotations

from frontdesk.services import clock, lists, session, visitors
from frontdesk.services.visitors import VisitInput, VisitQuery

NUMBER = "13812345678"


def _found(text: str) -> int:
    today = clock.today()
    return visitors.count_visits(VisitQuery(today, today, text=text))


def test_the_front_desk_cannot_rebuild_a_number_digit_by_digit(configured, sign_in_as):
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    visitors.register(VisitInput(business_type_id=bt, destination_id=dest, phone=NUMBER))
    visitors.register(VisitInput(business_type_id=bt, destination_id=dest, phone="15593773779"))
    sign_in_as(session.FRONT_DESK)

    # The attack: grow a prefix one digit at a time, keeping the digit that still finds the visit.
    prefix = ""
    for _position in range(len(NUMBER)):
        hits = [d for d in "0123456789" if _found(prefix + d)]
        if len(hits) != 1:
            break
        prefix += hits[0]
    assert prefix != NUMBER and len(prefix) < 4

    # Fragments of the middle find nothing; the tail and the whole number do.
    assert [_found(t) for t in ("1234", "123456", "381234", "8123", "3779")] == [0, 0, 0, 0, 1]
    assert _found("5678") == 1 and _found(NUMBER) == 1 and _found("138 1234 5678") == 1
    assert _found("9377") == 0  # once matched 155****3779 in the middle
