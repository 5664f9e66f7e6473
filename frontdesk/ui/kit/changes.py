"""The change bus: a write says which kinds of records it changed, and whoever shows them refreshes.

Like Anki's ``operation_did_execute`` hook: the tab that saved need not know who else shows the
same records (the status bar's counts, the waiting panel, another tab's table). Each part
subscribes to the kinds it shows and refreshes itself; the initiator is passed along so a part
that already updated itself can skip the announcement of its own write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QObject, Signal

# The kinds of records the program announces.
VISIT = "visit"
COMPLAINT = "complaint"
USER = "user"
SETTINGS = "settings"  # branch settings and the lists (business types, destinations …)
DATABASE = "database"  # the whole database was replaced (a restore)
STAFF = "staff"  # the roster and the duty lists
INSPECTION = "inspection"  # inspection runs, their answers and corrective actions
MEETING = "meeting"  # meetings, their action items and the teaching cases
COUNTER = "counter"  # the counters opened and closed for a day

Listener = Callable[[frozenset[str], QObject | None], None]


class ChangeBus(QObject):
    """One per program; ``changed`` carries the kinds changed and the object that changed them."""

    changed = Signal(object, object)  # frozenset[str], initiator (QObject | None)

    def announce(self, kinds: Iterable[str], initiator: QObject | None = None) -> None:
        kinds = frozenset(kinds)
        if kinds:
            self.changed.emit(kinds, initiator)

    def subscribe(self, owner: QObject, kinds: Iterable[str], listener: Listener) -> None:
        """Call ``listener(kinds, initiator)`` for announcements that touch ``kinds``,
        as long as ``owner`` lives."""
        wanted = frozenset(kinds)

        def relay(changed: frozenset[str], initiator: QObject | None) -> None:
            if not shiboken6.isValid(owner):
                return
            if changed & wanted:
                listener(changed, initiator)

        self.changed.connect(relay)

        def forget(*_args: object) -> None:
            if shiboken6.isValid(self):
                self.changed.disconnect(relay)

        owner.destroyed.connect(forget)


_bus: ChangeBus | None = None


def change_bus() -> ChangeBus:
    """The program's one change bus."""
    global _bus
    if _bus is None or not shiboken6.isValid(_bus):
        _bus = ChangeBus()
    return _bus
