"""The demo's users: one of each role, so that a demo database can be signed into."""

from __future__ import annotations

import secrets

from frontdesk.db.models import User
from frontdesk.services import kit, session, users
from frontdesk.services.demo.profiles import GUIDES, MANAGERS

# One user of each role; the guide (the last) registers the visits.
DEMO_USERS = (
    ("admin", "系统管理员", session.ADMIN),
    ("huangzhiqiang", MANAGERS[0], session.DUTY_MANAGER),
    ("lijing", GUIDES[0], session.FRONT_DESK),
)
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread: no l/1, o/0, i


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


@kit.action(session.MANAGE_USERS)
def ensure_users() -> tuple[tuple[str, str, str, str | None], ...]:
    """The demo users, created where missing (with a new random password each)."""
    made = []
    for username, name, role in DEMO_USERS:
        if _exists(username):
            made.append((username, name, role, None))
            continue
        password = new_password()
        users.add_user(username, name, role, password)
        made.append((username, name, role, password))
    return tuple(made)


@kit.query(session.MANAGE_USERS)
def _exists(username: str) -> bool:
    return User.select().where(User.login == users.login_key(username)).exists()


@kit.query(session.MANAGE_USERS)
def guide_id() -> int | None:
    user = User.get_or_none(User.login == users.login_key(DEMO_USERS[-1][0]))
    return user.id if user is not None else None

