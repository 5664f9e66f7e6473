"""Users: sign-in, passwords, lock-out after wrong passwords, and their administration.

Why it looks like this:

- Passwords are stored only as Argon2id hashes (argon2-cffi, RFC 9106 low-memory profile: each
  hash takes a noticeable fraction of a second and 64 MiB, which makes guessing from a stolen
  file slow). A hash made with weaker settings is replaced at the next sign-in.
- The slow hash is checked outside any transaction: a sign-in never holds the database's write
  lock for a tenth of a second. The counting of wrong passwords is one atomic update, so two
  stations guessing at once still lock the account after five.
- Five wrong passwords in a row lock the account for five minutes; a locked account is refused
  without even looking at the password. An unknown name costs the same time as a known one and
  gets the same message as a wrong password.
- Users are never deleted: deactivated, so that their records and audit entries keep their name.
  The last active administrator cannot be deactivated or demoted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import peewee

from frontdesk.db.database import (
    SETUP_LOCK,
    lock_for_this_transaction,
    read_only,
    write_transaction,
)
from frontdesk.db.models import User
from frontdesk.errors import (
    AccountLockedError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from frontdesk.i18n import _
from frontdesk.services import audit, clock, fields, kit, records, session
from frontdesk.services.session import ADMIN, ROLES, Actor

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MAX_ATTEMPTS = 5
UNKNOWN_NAME = _("（未知用户名）")  # the audit trail's name for a sign-in with no such user
LOCK_MINUTES = 5
MIN_PASSWORD, MAX_PASSWORD = 6, 128
MAX_USERNAME, MAX_DISPLAY_NAME = 32, 40
MAX_LOGIN = 128  # the folded name: case folding can make a name up to three times longer

# Made at the first hash or check (argon2 is kept off the start-up path); the tests put cheaper
# (still real) Argon2id settings here.
HASHER: PasswordHasher | None = None
# Verified against when the name is unknown, so that it takes as long as a real check.
_DUMMY_HASH: str | None = None



@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    locked_until: datetime | None
    failed_attempts: int
    last_sign_in_at: datetime | None
    created_at: datetime

    @property
    def role_label(self) -> str:
        return session.role_label(self.role)

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def actor(self) -> Actor:
        return Actor(self.id, self.username, self.display_name, self.role)


USER_FIELDS = fields.register(fields.EntityFields("user", (
    fields.Field("username", _("用户名")),
    fields.Field("display_name", _("姓名")),
    fields.Field("role", _("角色"), fields.choice(ROLES)),
    fields.Field("active", _("账户状态"), fields.yes_no(_("启用"), _("停用"))),
)))


def _row(u: User) -> UserRow:
    return UserRow(
        id=u.id, username=u.username, display_name=u.display_name, role=u.role,
        active=bool(u.active), locked_until=u.locked_until, failed_attempts=u.failed_attempts,
        last_sign_in_at=u.last_sign_in_at, created_at=u.created_at,
    )


def _audit_values(u: User | UserRow) -> dict:
    """What the audit trail keeps of a user: never the password hash."""
    return {"username": u.username, "display_name": u.display_name, "role": u.role,
            "active": bool(u.active)}


# ------------------------------------------------------------------ input rules


def login_key(username: str) -> str:
    """The name as compared: ``Wang``, ``wang`` and ``ｗａｎｇ`` are one user."""
    # Normalised again after folding: folding can undo a composition (ΐ → ΐ).
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold()).strip()


def clean_username(username: str) -> str:
    name = unicodedata.normalize("NFKC", username or "").strip()
    if not name:
        raise ValidationError.single("username", _("请填写用户名。"))
    if len(name) > MAX_USERNAME:
        raise ValidationError.single("username", _("用户名最多 {n} 个字符。").format(n=MAX_USERNAME))
    if not name.isprintable() or any(ch.isspace() for ch in name):
        raise ValidationError.single("username", _("用户名不能含空格或控制字符。"))
    if len(login_key(name)) > MAX_LOGIN:
        raise ValidationError.single("username", _("用户名太长。"))
    return name


def clean_display_name(display_name: str, username: str) -> str:
    name = " ".join((display_name or "").split())
    if not name.isprintable():
        raise ValidationError.single("display_name", _("姓名不能含控制字符。"))
    if len(name) > MAX_DISPLAY_NAME:
        raise ValidationError.single("display_name", _("姓名最多 {n} 个字。").format(n=MAX_DISPLAY_NAME))
    return name or username


def check_password(password: str, username: str = "", *, field: str = "password") -> str:
    """The password if acceptable; a ``ValidationError`` on ``field`` saying why not."""
    if not password:
        raise ValidationError.single(field, _("密码不能为空。"))
    if not password.isprintable():
        raise ValidationError.single(field, _("密码不能含控制字符。"))
    if len(password) < MIN_PASSWORD:
        raise ValidationError.single(field, _("密码至少 {n} 个字符。").format(n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise ValidationError.single(field, _("密码最多 {n} 个字符。").format(n=MAX_PASSWORD))
    if username and login_key(password) == login_key(username):
        raise ValidationError.single(field, _("密码不能与用户名相同。"))
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        names = "、".join(f"{code}（{label}）" for code, label in ROLES.items())
        raise ValidationError.single("role", _("未知的角色：{role}。可选：{names}").format(role=role, names=names))
    return role


def _hasher() -> PasswordHasher:
    global HASHER
    if HASHER is None:
        from argon2 import PasswordHasher

        HASHER = PasswordHasher()  # RFC 9106, low-memory profile
    return HASHER


def _hash(password: str) -> str:
    return _hasher().hash(password)


def _verify(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):  # a mismatch is a VerificationError too
        return False


def _needs_rehash(stored: str) -> bool:
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True


def _spend_a_verification(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hash("frontdesk-no-such-user")
    _verify(_DUMMY_HASH, password)


# ------------------------------------------------------------------ reading


@kit.exempt("asked before anyone can sign in: no user at all means the first start")
def count_users() -> int:
    """How many users exist (none: the first start asks for an administrator)."""
    with read_only():
        return User.select().count()


@kit.query(session.MANAGE_USERS)
def list_users(*, include_inactive: bool = True) -> list[UserRow]:
    query = User.select().order_by(User.active.desc(), User.role, User.login)
    if not include_inactive:
        query = query.where(User.active == True)  # noqa: E712
    return [_row(u) for u in query]


def _find(username: str) -> User | None:
    key = login_key(username or "")
    if not key.isprintable() or len(key) > MAX_LOGIN:
        return None
    return User.get_or_none(User.login == key)


@kit.query(session.MANAGE_USERS)
def get_user(username: str) -> UserRow:
    user = _find(username)
    if user is None:
        raise NotFoundError(_("没有用户“{name}”。").format(name=username))
    return _row(user)


# ------------------------------------------------------------------ creating


def _validated(username: str, display_name: str, role: str, password: str) -> tuple[str, str, str]:
    """The checks that need no database: a bad input never waits for the write lock."""
    username = clean_username(username)
    display_name = clean_display_name(display_name, username)
    check_role(role)
    check_password(password, username)
    return username, display_name, role


def _insert(username: str, display_name: str, role: str, password_hash: str) -> User:
    """Inside a write transaction: a new user (validated, password hashed), unless the name is taken."""
    if _find(username) is not None:
        raise ValidationError.single("username", _("用户名“{name}”已被使用。").format(name=username))
    now = clock.now()
    user_id = User.insert(
        username=username, login=login_key(username), display_name=display_name, role=role,
        password_hash=password_hash, active=True, failed_attempts=0, password_changed_at=now,
        created_at=now, updated_at=now,
    ).execute()
    return User.get_by_id(user_id)


class AlreadySetUpError(PermissionDeniedError):
    """The first administrator exists already (made at another station a moment ago)."""


@kit.exempt("the first start: there is nobody yet to hold a role; refused once any user exists")
def create_first_admin(username: str, display_name: str, password: str) -> Actor:
    """The first start's administrator; signs them in. Refused once any user exists."""
    username, display_name, role = _validated(username, display_name, ADMIN, password)
    hashed = _hash(password)
    with write_transaction():
        # Two stations starting for the first time together: one administrator, not two.
        lock_for_this_transaction(SETUP_LOCK)
        if User.select().exists():
            raise AlreadySetUpError(_("另一台电脑刚刚完成了首次设置，已经有管理员了：请用那里创建的账户登录。"))
        user = _insert(username, display_name, role, hashed)
        actor = _row(user).actor()
        audit.record("user_add", entity="user", entity_id=user.id, after=_audit_values(user),
                     detail=_("首次启动时创建的管理员"), actor=actor)
        User.update(last_sign_in_at=clock.now()).where(User.id == user.id).execute()
        audit.record("sign_in", entity="user", entity_id=user.id, actor=actor)
    session.set_current(actor)
    return actor


@kit.command(session.MANAGE_USERS, prepare_first=True)
def add_user(username: str, display_name: str, role: str, password: str) -> UserRow:
    """A new user (administrator only). The slow hash is made before the write lock is taken."""
    username, display_name, role = _validated(username, display_name, role, password)
    hashed = _hash(password)
    try:
        with kit.writing(session.MANAGE_USERS):
            user = _insert(username, display_name, role, hashed)
            audit.record("user_add", entity="user", entity_id=user.id, after=_audit_values(user))
            return _row(user)
    except peewee.IntegrityError:  # another station took the name a moment ago
        raise ValidationError.single(
            "username", _("用户名“{name}”已被使用。").format(name=username)) from None


# ------------------------------------------------------------------ signing in


@kit.exempt("the sign-in itself: whoever is at the keyboard proves who they are here")
def sign_in(username: str, password: str, *, action: str = "sign_in") -> Actor:
    """Check the password and make the user the signed-in one.

    ``action`` is ``unlock`` when the idle lock is lifted. Raises ``AuthenticationError``
    (wrong name or password, deactivated) or ``AccountLockedError``; every attempt is audited.
    """
    typed = (username or "").strip()[:64]
    # A name no user can have (control characters) is not even looked up.
    possible = bool(typed) and typed.isprintable() and len(login_key(typed)) <= MAX_LOGIN
    with read_only():
        user = _find(typed) if possible else None
    now = clock.now()
    if user is None:
        _spend_a_verification(password or "")
        # What was typed is not kept: it may be a password typed into the wrong field.
        _failed(None, UNKNOWN_NAME, _("用户名不存在"))
        raise AuthenticationError(_("用户名或密码不正确。"))
    if not user.active:
        _failed(user, typed, _("账户已停用"))
        raise AuthenticationError(_("账户“{name}”已停用，请联系管理员。").format(name=user.username))
    # The attempt is counted before the password is checked, in one transaction with the row
    # locked: any number of attempts started together verify at most MAX_ATTEMPTS passwords
    # before the lock stops the rest. A right password then takes the count back to zero.
    attempt, locked_until = _reserve_attempt(user, typed, now)
    ok = _verify(user.password_hash, password or "")
    if not ok:
        _count_failure(user, attempt, locked_until)
        if locked_until is not None:
            raise _locked_error(locked_until, now)
        raise AuthenticationError(_("用户名或密码不正确。"))
    rehash = _needs_rehash(user.password_hash)
    new_hash = _hash(password) if rehash else None
    with write_transaction():
        fresh = _user_for_update(user.id)
        if not fresh.active:
            raise AuthenticationError(_("账户“{name}”已停用，请联系管理员。").format(name=user.username))
        values: dict = {User.failed_attempts: 0, User.locked_until: None, User.last_sign_in_at: now}
        if new_hash is not None:
            values[User.password_hash] = new_hash
        User.update(values).where(User.id == user.id).execute()
        actor = _row(fresh).actor()
        audit.record(action, entity="user", entity_id=user.id, actor=actor)
    session.set_current(actor)
    return actor


def _user_for_update(user_id: int) -> User:
    """The user's row, locked to the end of the write transaction."""
    return records.get_for_update(User, user_id, _("用户不存在（编号 {id}）。"))


def _reserve_attempt(user: User, typed: str, now: datetime) -> tuple[int, datetime | None]:
    """Count one more attempt for ``user`` before its password is checked.

    Returns which attempt it is and, when it is the last one allowed, the end of the lock it
    sets. Raises ``AccountLockedError`` (audited) while the account is locked.
    """
    with write_transaction():
        fresh = _user_for_update(user.id)
        if fresh.locked_until is not None and fresh.locked_until > now:
            refused = True
        else:
            refused = False
            attempt = (fresh.failed_attempts or 0) + 1
            locked_until = now + timedelta(minutes=LOCK_MINUTES) if attempt >= MAX_ATTEMPTS else None
            values: dict = {User.failed_attempts: 0 if locked_until else attempt,
                            User.locked_until: locked_until}
            User.update(values).where(User.id == user.id).execute()
    if refused:
        _failed(user, typed, _("账户锁定中"))
        raise _locked_error(fresh.locked_until, now)
    return attempt, locked_until


def _locked_error(until: datetime, now: datetime) -> AccountLockedError:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return AccountLockedError(
        _("密码连续输错 {n} 次，账户已锁定，请 {m} 分钟后（{until:%H:%M} 以后）再试，或请管理员解除锁定。").format(
            n=MAX_ATTEMPTS, m=minutes, until=until),
        until,
    )


def _failed(user: User | None, typed: str, reason: str) -> None:
    with write_transaction():
        audit.record("sign_in_failed", entity="user", entity_id=user.id if user else None,
                     detail=reason, actor=session.SYSTEM, username=user.username if user else typed)


def _count_failure(user: User, attempt: int, locked_until: datetime | None) -> None:
    """The audit entry of a wrong password (already counted by ``_reserve_attempt``)."""
    if locked_until is not None:
        reason = _("密码错误（第 {n} 次），账户锁定至 {until:%H:%M:%S}").format(n=attempt, until=locked_until)
    else:
        reason = _("密码错误（连续第 {n} 次）").format(n=attempt)
    with write_transaction():
        audit.record("sign_in_failed", entity="user", entity_id=user.id, detail=reason,
                     actor=session.SYSTEM, username=user.username)


@kit.exempt("notes the signed-in user's own lock or sign-out; nobody signed in: nothing noted")
def record_session_event(action: str) -> None:
    """The window was locked or its user signed out: one audit entry, as the signed-in user."""
    actor = session.current()
    if actor is None:
        return
    with write_transaction():
        audit.record(action, entity="user", entity_id=actor.user_id, actor=actor)


@kit.exempt("ends the own session (noted by record_session_event)")
def sign_out() -> None:
    record_session_event("sign_out")
    session.set_current(None)


# ------------------------------------------------------------------ passwords


@kit.command(None, prepare_first=True)
def change_own_password(old_password: str, new_password: str) -> None:
    """The signed-in user changes their own password (the old one is asked for again)."""
    actor = session.require_signed_in()
    if actor.user_id is None:
        raise PermissionDeniedError(_("命令行没有自己的密码。"))
    with read_only():
        user = User.get_or_none(User.id == actor.user_id)
    if user is None:
        raise NotFoundError(_("用户不存在。"))
    if not _verify(user.password_hash, old_password or ""):
        raise ValidationError.single("old_password", _("原密码不正确。"))
    check_password(new_password, user.username, field="new_password")
    if new_password == old_password:
        raise ValidationError.single("new_password", _("新密码不能与原密码相同。"))
    hashed = _hash(new_password)
    with kit.writing(None):
        now = clock.now()
        User.update(password_hash=hashed, password_changed_at=now, updated_at=now).where(
            User.id == user.id).execute()
        audit.record("password_change", entity="user", entity_id=user.id)


def _get_for_admin(user_id: int) -> User:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFoundError(_("用户不存在（编号 {id}）。").format(id=user_id))
    return user


@kit.command(session.MANAGE_USERS, prepare_first=True)
def reset_password(user_id: int, new_password: str) -> UserRow:
    """The administrator sets a new password for someone; it also lifts a lock."""
    with read_only():
        target = _get_for_admin(user_id)
    check_password(new_password, target.username)
    hashed = _hash(new_password)
    with kit.writing(session.MANAGE_USERS):
        now = clock.now()
        User.update(password_hash=hashed, password_changed_at=now, updated_at=now, failed_attempts=0,
                    locked_until=None).where(User.id == user_id).execute()
        audit.record("password_reset", entity="user", entity_id=user_id)
        return _row(User.get_by_id(user_id))


@kit.command(session.MANAGE_USERS)
def unlock(user_id: int) -> UserRow:
    """Lift a lock-out before its five minutes are over."""
    _get_for_admin(user_id)
    User.update(failed_attempts=0, locked_until=None, updated_at=clock.now()).where(
        User.id == user_id).execute()
    audit.record("user_unlock", entity="user", entity_id=user_id)
    return _row(User.get_by_id(user_id))


def _other_active_admins(user_id: int) -> int:
    return User.select().where((User.role == ADMIN) & (User.active == True) & (User.id != user_id)).count()  # noqa: E712


@kit.command(session.MANAGE_USERS)
def set_active(actor: Actor, user_id: int, active: bool) -> UserRow:
    """Deactivate (never delete) or reactivate a user."""
    user = _get_for_admin(user_id)
    if bool(user.active) == active:
        return _row(user)
    if not active:
        if user.id == actor.user_id:
            raise ValidationError.single("active", _("不能停用自己正在使用的账户。"))
        if user.role == ADMIN and _other_active_admins(user.id) == 0:
            raise ValidationError.single("active", _("这是最后一个启用的管理员，不能停用。"))
    before = _audit_values(user)
    User.update(active=active, updated_at=clock.now()).where(User.id == user_id).execute()
    fresh = User.get_by_id(user_id)
    old, new = audit.diff(before, _audit_values(fresh))
    audit.record("user_activate" if active else "user_deactivate", entity="user",
                 entity_id=user_id, before=old, after=new)
    return _row(fresh)


@kit.command(session.MANAGE_USERS)
def update_user(user_id: int, *, display_name: str | None = None, role: str | None = None) -> UserRow:
    """Rename a user or give them another role (administrator only)."""
    user = _get_for_admin(user_id)
    before = _audit_values(user)
    values: dict = {}
    if display_name is not None:
        values[User.display_name] = clean_display_name(display_name, user.username)
    if role is not None and role != user.role:
        check_role(role)
        if user.role == ADMIN and user.active and _other_active_admins(user.id) == 0:
            raise ValidationError.single("role", _("这是最后一个启用的管理员，不能改为其他角色。"))
        values[User.role] = role
    if not values:
        return _row(user)
    values[User.updated_at] = clock.now()
    User.update(values).where(User.id == user_id).execute()
    fresh = User.get_by_id(user_id)
    old, new = audit.diff(before, _audit_values(fresh))
    if new:
        audit.record("user_update", entity="user", entity_id=user_id, before=old, after=new)
    return _row(fresh)


@kit.exempt("the command line names users; it runs with full rights, and an id is no secret")
def user_id_of(username: str) -> int:
    """The id of ``username`` (for the command line, which names users)."""
    with read_only():
        user = _find(username)
    if user is None:
        raise NotFoundError(_("没有用户“{name}”。").format(name=username))
    return user.id


@kit.query()
def display_names() -> dict[int, str]:
    """Every user's name as shown (for lists that show who registered a visit)."""
    return {uid: (dn or un) for uid, un, dn in User.select(User.id, User.username, User.display_name).tuples()}

