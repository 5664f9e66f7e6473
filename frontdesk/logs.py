"""The one log file of FrontDesk: unexpected errors of the window and of the command line."""

from __future__ import annotations

import logging
from pathlib import Path

from frontdesk.paths import log_dir

LOG_NAME = "frontdesk.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5


def log_path() -> Path:
    return log_dir() / LOG_NAME


def open_log_handler() -> logging.Handler | None:
    """A rotating handler on the log file; ``None`` when the log folder cannot be written.

    Opened at the first error, not at start-up: most sessions never need it.
    """
    from logging.handlers import RotatingFileHandler

    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler
