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


RESOURCES_DIR_NAME = "resources"


def resources_dir() -> Path:
    """The folder of the files the program loads at run time (its icon).

    In a PyInstaller bundle it is ``resources/`` inside the bundle (``sys._MEIPASS``); from a
    checkout or an editable install it is ``resources/`` at the top of the checkout, beside the
    ``frontdesk`` package; in an installed copy (``pip install .``) it is
    ``<prefix>/share/frontdesk/resources`` (pyproject's data-files).
    """
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / RESOURCES_DIR_NAME
    checkout = Path(__file__).resolve().parent.parent / RESOURCES_DIR_NAME
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "frontdesk" / RESOURCES_DIR_NAME


def resource_path(name: str) -> Path | None:
    """The file ``name`` in :func:`resources_dir`, or ``None`` when it is not there (the
    program runs all the same, with Qt's default icon)."""
    path = resources_dir() / name
    return path if path.is_file() else None
