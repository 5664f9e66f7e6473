"""Waiting for the database worker: writes run there, so a test looks once they are delivered."""

from __future__ import annotations

from frontdesk.ui.kit import worker


def settle(qtbot, timeout: int = 10_000) -> None:
    """Process events until every job on the shared worker has run and been delivered."""
    shared = worker.shared_worker()
    qtbot.waitUntil(lambda: shared.idle, timeout=timeout)
