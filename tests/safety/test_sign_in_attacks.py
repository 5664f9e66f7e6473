"""Sign-in under attack: the lockout holds under concurrent attempts, and nothing typed into the
user-name field by mistake (a password, say) is kept in the audit trail."""

from __future__ import annotations

import threading
import time

import pytest

from frontdesk.db.database import current_database
from frontdesk.db.models import AuditEntry, User
from frontdesk.errors import AccountLockedError, AuthenticationError
from frontdesk.services import session, users
from tests.conftest import PASSWORDS

ATTEMPTS = 12


def test_concurrent_attempts_verify_no_more_passwords_than_the_lockout_allows(make_user, monkeypatch):
    """Twelve attempts started together used to be checked before any failure was counted: all
    twelve passwords were tried where five are allowed. Now each attempt is counted first, with
    the user's row locked, and the lock stops the rest before their password is looked at."""
    make_user(session.FRONT_DESK, "wang")
    real_verify = users._verify
    verified = []
    lock = threading.Lock()

    def slow_verify(stored: str, password: str) -> bool:
        with lock:
            verified.append(password)
        time.sleep(0.15)  # a real Argon2id check takes about this long
        return real_verify(stored, password)

    monkeypatch.setattr(users, "_verify", slow_verify)
    passwords = [f"guess-{n}" for n in range(ATTEMPTS)]
    start = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = [""] * ATTEMPTS
    db = current_database()

    def attempt(n: int) -> None:
        try:
            start.wait()
            users.sign_in("wang", passwords[n])
            outcomes[n] = "signed in"
        except AccountLockedError:
            outcomes[n] = "locked"
        except AuthenticationError:
            outcomes[n] = "wrong"
        finally:
            db.close()  # this thread's own connection

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(outcome for outcome in outcomes), outcomes

    assert len(verified) == users.MAX_ATTEMPTS, f"{len(verified)} passwords tried: {outcomes}"
    assert outcomes.count("locked") == ATTEMPTS - users.MAX_ATTEMPTS + 1  # the fifth says so too
    assert User.get(User.login == "wang").locked_until is not None
    failures = AuditEntry.select().where(AuditEntry.action == "sign_in_failed").count()
    assert failures == ATTEMPTS  # every attempt is in the trail
    # Locked means locked: the right password is not even checked now.
    with pytest.raises(AccountLockedError):
        users.sign_in("wang", PASSWORDS["wang"])
    assert len(verified) == users.MAX_ATTEMPTS


def test_a_password_typed_as_the_user_name_is_not_kept(configured):
    with pytest.raises(AuthenticationError, match="用户名或密码不正确"):
        users.sign_in("Secret-Pa55-word", "")
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
    assert entry.action == "sign_in_failed"
    stored = " ".join(str(v) for v in entry.__data__.values())
    assert "Secret-Pa55-word" not in stored and "secret-pa55-word" not in stored
    assert entry.username == users.UNKNOWN_NAME
