"""Version 4: how a triage destination handles the customer sent there.

``list_item.handling`` (destinations only; NULL elsewhere): ``queue`` — the customer waits to be
called at a counter; ``on_spot`` — answered where they stand (the consultation desk);
``diverted`` — sent elsewhere (self-service area, the phone/online/mobile channel, another
department). A registration to a destination that is not a queue is finished at once.

Existing destinations take their kind from the role tag the presets gave them; an entry the
administrator added without a tag stays a queue, as every destination was before.
"""

import peewee

VERSION = 4

_DIVERTED_TAGS = ("self_service", "online", "department")
_ON_SPOT_TAGS = ("consult",)


def apply(db: peewee.Database) -> None:
    db.execute_sql("ALTER TABLE list_item ADD COLUMN handling VARCHAR(16) NULL")
    db.execute_sql("UPDATE list_item SET handling = 'queue' WHERE kind = 'destination'")
    for handling, tags in (("diverted", _DIVERTED_TAGS), ("on_spot", _ON_SPOT_TAGS)):
        listed = ", ".join(f"'{tag}'" for tag in tags)  # frozen constants of this file
        db.execute_sql(
            f"UPDATE list_item SET handling = '{handling}' WHERE kind = 'destination' AND tag IN ({listed})"
        )
