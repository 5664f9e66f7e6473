"""The one log file of FrontDesk: unexpected errors of the window and of the command line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from frontdesk.paths import log_dir

LOG_NAME = "frontdesk.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5


# A password in a database URL (``postgresql://user:secret@host``, also percent-encoded or
# inside a repr of argv) or in a libpq key/value string (``password=secret``).
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s'\"]*:)(?P<secret>[^@\s'\"]*)(?=@)", re.I)
_KEY_PASSWORD = re.compile(r"(?P<head>\b(?:password|passwd|pwd)\s*[=:]\s*)(?P<secret>'[^']*'|\"[^\"]*\"|[^\s,;'\")]+)", re.I)
MASK = "***"


def redact(text: str) -> str:
    """``text`` with every password of a database address or connection string replaced by ***.

    Applied to every log line and to the crash dialog's details: a URL with a password given
    with ``--db`` (or in ``FRONTDESK_DB``) must not end up in a file or on a support ticket.
    """
    text = _URL_PASSWORD.sub(lambda m: m["head"] + MASK, text)
    return _KEY_PASSWORD.sub(lambda m: m["head"] + MASK, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, traceback included, then masks passwords in the whole text."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


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
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler
