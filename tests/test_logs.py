"""No password reaches the log file or the crash details: database URLs are masked everywhere."""

from __future__ import annotations

import logging
import sys

import pytest

from frontdesk import cli, logs
from frontdesk.services import health

SECRET = "s3cr%40t-Pa55"
URL = f"postgresql://frontdesk:{SECRET}@192.168.1.10:5432/frontdesk"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"argv ['frontdesk', '--db', '{URL}']", "argv ['frontdesk', '--db', 'postgresql://frontdesk:***@192.168.1.10:5432/frontdesk']"),
        ("FATAL: connect host=10.0.0.2 user=fd password=letmein dbname=fd", "FATAL: connect host=10.0.0.2 user=fd password=*** dbname=fd"),
        ("connect(password='two words', host='x')", "connect(password=***, host='x')"),
        ("PASSWORD: hunter2", "PASSWORD: ***"),
        # Nothing to hide: left exactly as it was.
        ("postgresql://frontdesk@192.168.1.10/frontdesk", "postgresql://frontdesk@192.168.1.10/frontdesk"),
        ("打开 C:/前台/frontdesk.sqlite 时出错：database is locked", "打开 C:/前台/frontdesk.sqlite 时出错：database is locked"),
    ],
)
def test_redact_masks_passwords_and_nothing_else(text: str, masked: str) -> None:
    assert logs.redact(text) == masked


def test_a_bug_with_a_password_url_logs_no_password(monkeypatch, capsys) -> None:
    """Through the real command line: the argv line and the exception text are both masked."""

    def broken(location):
        raise RuntimeError(f"simulated bug while opening {location.raw}")

    monkeypatch.setattr(health, "check_database", broken)
    argv = ["frontdesk", "--db", URL, "check"]
    monkeypatch.setattr(sys, "argv", argv)
    code = cli.main(argv[1:])
    err = capsys.readouterr().err
    assert code == cli.EXIT_BUG
    log = logs.log_path().read_text(encoding="utf-8")
    assert "simulated bug" in log and "Traceback" in log
    assert SECRET not in log and "s3cr" not in log
    assert "postgresql://frontdesk:***@192.168.1.10:5432/frontdesk" in log
    assert SECRET not in err


def test_every_handler_from_open_log_handler_masks(tmp_path) -> None:
    handler = logs.open_log_handler()
    assert handler is not None
    logger = logging.getLogger("frontdesk.test-redaction")
    logger.addHandler(handler)
    try:
        try:
            raise ConnectionError(f"cannot reach {URL}")
        except ConnectionError:
            logger.exception("connecting with %s failed", URL)
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = logs.log_path().read_text(encoding="utf-8")
    assert "cannot reach postgresql://frontdesk:***@" in text and SECRET not in text
