"""The care actions become a list the administrator edits (``list_item`` kind ``care_action``).

Until now a care action was one of two fixed kinds (``visit_care.kind`` ``water`` or ``calm``).
From this step every care action is ``kind`` ``care`` with the action's name in ``detail``, kept
by name like the audit trail (a renamed list entry does not rewrite what was done). The two old
kinds are rewritten so, under the names they were shown with; the list starts with the five
actions of seeds 000 and 003 (a database that already has care actions keeps its own).

Frozen: the table and column names below are those of this version.
"""

import peewee

VERSION = 13

DEFAULT_ACTIONS = ("已送水", "已安抚", "已告知预计等候时间", "已引导至自助", "已报告值班经理")
_OLD_KINDS = (("water", "已递水"), ("calm", "已安抚"))


def apply(db: peewee.Database) -> None:
    p = db.param  # "?" on SQLite, "%s" on PostgreSQL
    for kind, label in _OLD_KINDS:
        db.execute_sql(f"UPDATE visit_care SET kind = 'care', detail = {p} WHERE kind = {p}", (label, kind))
    if db.execute_sql(f"SELECT count(*) FROM list_item WHERE kind = {p}", ("care_action",)).fetchone()[0]:
        return
    for position, label in enumerate(DEFAULT_ACTIONS, start=1):
        db.execute_sql(f"INSERT INTO list_item (kind, label, tag, position, active) VALUES ({p}, {p}, NULL, {p}, {p})",
                       ("care_action", label, position, True))
