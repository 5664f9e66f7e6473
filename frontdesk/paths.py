"""Where FrontDesk keeps its files on this computer (per-user folders via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "FrontDesk"
DB_ENV = "FRONTDESK_DB"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))


def state_dir() -> Path:
    """What the program keeps about its own runs (the audit trail's witness); the log is here."""
    return Path(platformdirs.user_state_dir(APP_DIR_NAME, appauthor=False))


def default_database() -> Path:
    return data_dir() / "frontdesk.sqlite"


def resolve_location(cli_value: str | None) -> str:
    """``--db`` wins, then ``FRONTDESK_DB``, then the file in the user's data folder."""
    if cli_value:
        return cli_value
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return env
    return str(default_database())
