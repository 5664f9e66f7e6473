"""Complaint categories become a configurable list (``list_item`` of kind ``complaint_category``).

Until now a ticket stored one of eight fixed codes in ``complaint.category``. From this step it
stores the category's label as registered, so a ticket keeps its category whatever the list
becomes (renamed, deactivated, another industry preset). The column grows to the length of a
list label (PostgreSQL checks it; SQLite does not limit text).

A branch already set up gets the eight categories it used as its list (the administrator may
switch to an industry preset in the settings); every label a ticket holds is in the list,
inactive if it is none of those. A database not set up yet gets its list from the preset chosen
at the first start.

Frozen: the names and labels below are those of this version; nothing here imports the live code.
"""

import peewee

VERSION = 14

KIND = "complaint_category"
_OLD_CODES = (
    ("attitude", "服务态度"), ("handling", "业务办理"), ("waiting", "等候时间"), ("claims", "理赔"),
    ("surrender", "退保"), ("mis_selling", "销售误导"), ("environment", "环境设施"), ("other", "其他"),
)


def apply(db: peewee.Database) -> None:
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql("ALTER TABLE complaint ALTER COLUMN category TYPE VARCHAR(64)")
    for code, label in _OLD_CODES:
        db.execute_sql("UPDATE complaint SET category = %s WHERE category = %s" if _pg(db)
                       else "UPDATE complaint SET category = ? WHERE category = ?", (label, code))
    configured = db.execute_sql("SELECT count(*) FROM setting WHERE key = 'preset'").fetchone()[0]
    listed = db.execute_sql("SELECT count(*) FROM list_item WHERE kind = 'complaint_category'").fetchone()[0]
    if listed:
        return
    param = "%s" if _pg(db) else "?"
    insert = ("INSERT INTO list_item (kind, label, tag, handling, position, active) "
              f"VALUES ({param}, {param}, NULL, NULL, {param}, {param})")
    labels: list[str] = []
    if configured:
        for position, (_code, label) in enumerate(_OLD_CODES, start=1):
            db.execute_sql(insert, (KIND, label, position, True))
            labels.append(label)
    used = [row[0] for row in db.execute_sql("SELECT DISTINCT category FROM complaint ORDER BY category")]
    for label in used:
        if label and label not in labels:
            labels.append(label)
            db.execute_sql(insert, (KIND, label[:64], len(labels), False))


def _pg(db: peewee.Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)
