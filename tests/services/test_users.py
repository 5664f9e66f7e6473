"""Users: the first administrator, sign-in and lock-out, passwords, administration and its audit."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from frontdesk.db.database import (
    close_database,
    current_database,
    open_database,
    write_transaction,
)
from frontdesk.db.models import AuditEntry, User
from frontdesk.errors import (
    AccountLockedError,
    AuthenticationError,
    NotSignedInError,
    PermissionDeniedError,
    UserError,
    ValidationError,
)
from frontdesk.services import clock, session, users
from frontdesk.services.session import ADMIN, DUTY_MANAGER, FRONT_DESK
from tests.conftest import ADMIN_PASSWORD, PASSWORDS

NOW = datetime(2024, 5, 6, 9, 30, 0)


@pytest.fixture
def frozen(monkeypatch):
    """``clock.now`` stands still at ``NOW`` until a test moves it with ``frozen.step(...)``."""

    class Clock:
        at = NOW

        def step(self, **delta: float) -> datetime:
            self.at = self.at + timedelta(**delta)
            return self.at

    fake = Clock()
    monkeypatch.setattr(clock, "now", lambda: fake.at)
    return fake


def audit_rows(action: str | None = None) -> list[AuditEntry]:
    query = AuditEntry.select().order_by(AuditEntry.seq)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list(query)


def audit_tuples(since_seq: int = 0) -> list[tuple[str, str, int | None]]:
    """(action, username, entity_id) of every entry after ``since_seq``."""
    return [(e.action, e.username, e.entity_id) for e in audit_rows() if e.seq > since_seq]


def last_seq() -> int:
    rows = audit_rows()
    return rows[-1].seq if rows else 0


def stored(username: str) -> User:
    return User.get(User.login == users.login_key(username))


def admin_id() -> int:
    return users.user_id_of("admin")


def in_another_thread(fn) -> object:
    """``fn()`` run on a thread of its own (with its own database connection): result or exception."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(fn())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome.append(exc)
        finally:
            current_database().close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert len(outcome) == 1, "the other thread did not finish"
    return outcome[0]


def fail_sign_in(username: str, times: int = 1) -> list[UserError]:
    errors: list[UserError] = []
    for _ in range(times):
        with pytest.raises(AuthenticationError) as info:
            users.sign_in(username, "wrong-password")
        errors.append(info.value)
    return errors


# ------------------------------------------------------------------ the first administrator


def test_the_first_administrator_is_created_once_and_signed_in(database):
    assert users.count_users() == 0
    actor = users.create_first_admin("boss", "老板", "boss-pass-1")
    assert session.current() == actor
    assert (actor.username, actor.display_name, actor.role) == ("boss", "老板", ADMIN)
    assert [(e.action, e.username, e.entity_id) for e in audit_rows()] == [
        ("user_add", "boss", actor.user_id), ("sign_in", "boss", actor.user_id),
    ]

    session.set_current(None)
    with pytest.raises(PermissionDeniedError):
        users.create_first_admin("second", "", "second-pass-1")
    assert users.count_users() == 1
    assert len(audit_rows()) == 2
    assert session.current() is None


def test_the_first_administrator_is_validated_too(database):
    with pytest.raises(ValidationError) as info:
        users.create_first_admin("boss", "", "boss")
    assert "password" in info.value.fields
    assert users.count_users() == 0


# ------------------------------------------------------------------ adding users


@pytest.mark.parametrize("variant", ["Wang", "wang", "WANG", "ｗａｎｇ", "Ｗａｎｇ", " wang "])
def test_a_name_taken_in_any_case_or_width_is_refused(configured, variant):
    users.add_user("Wang", "王芳", FRONT_DESK, "wang-pass-1")
    before = users.count_users()
    with pytest.raises(ValidationError) as info:
        users.add_user(variant, "", DUTY_MANAGER, "other-pass-1")
    assert list(info.value.fields) == ["username"]
    assert "已被使用" in info.value.fields["username"]
    assert users.count_users() == before


@pytest.mark.parametrize(
    ("username", "display_name", "role", "password", "field"),
    [
        ("", "", FRONT_DESK, "good-pass-1", "username"),
        ("   ", "", FRONT_DESK, "good-pass-1", "username"),
        ("x" * 33, "", FRONT_DESK, "good-pass-1", "username"),
        ("li si", "", FRONT_DESK, "good-pass-1", "username"),
        ("li\tsi", "", FRONT_DESK, "good-pass-1", "username"),
        ("li\x00si", "", FRONT_DESK, "good-pass-1", "username"),
        ("li\x07si", "", FRONT_DESK, "good-pass-1", "username"),
        ("li\x1bsi", "", FRONT_DESK, "good-pass-1", "username"),
        ("li\x7fsi", "", FRONT_DESK, "good-pass-1", "username"),
        ("lisi", "李" * 41, FRONT_DESK, "good-pass-1", "display_name"),
        ("lisi", "", "root", "good-pass-1", "role"),
        ("lisi", "", "", "good-pass-1", "role"),
        ("lisi", "", "Admin", "good-pass-1", "role"),
        ("lisi", "", FRONT_DESK, "", "password"),
        ("lisi", "", FRONT_DESK, "abc12", "password"),
        ("lisi", "", FRONT_DESK, "p" * 129, "password"),
        ("lisi", "", FRONT_DESK, "good\x00pass", "password"),
        ("lisi12", "", FRONT_DESK, "lisi12", "password"),
        ("lisi12", "", FRONT_DESK, "LISI12", "password"),
        ("lisi12", "", FRONT_DESK, "ｌｉｓｉ１２", "password"),
    ],
)
def test_add_user_refuses_bad_input_naming_the_field(configured, username, display_name, role, password, field):
    before, entries = users.count_users(), len(audit_rows())
    with pytest.raises(ValidationError) as info:
        users.add_user(username, display_name, role, password)
    assert field in info.value.fields and info.value.fields[field]
    assert (users.count_users(), len(audit_rows())) == (before, entries)


# ------------------------------------------------------------------ names no one can type


@pytest.mark.parametrize("name", ["li\x80si", "li\x9bsi", "li\u200bsi", "li\u202esi"])
def test_add_user_refuses_other_invisible_and_control_characters(configured, name):
    with pytest.raises(ValidationError) as info:
        users.add_user(name, "", FRONT_DESK, "good-pass-1")
    assert "username" in info.value.fields


@pytest.mark.parametrize("display_name", ["王\x00芳", "王\x07芳", "王\x9b芳"])
def test_a_display_name_never_keeps_control_characters(configured, display_name):
    try:
        row = users.add_user("wang", display_name, FRONT_DESK, "wang-pass-1")
    except ValidationError as err:
        assert "display_name" in err.fields
    else:
        assert row.display_name.isprintable()


def test_a_nul_in_the_typed_name_is_just_a_wrong_name(configured):
    seq = last_seq()
    with pytest.raises(AuthenticationError) as info:
        users.sign_in("ad\x00min", ADMIN_PASSWORD)
    assert info.value.message == "用户名或密码不正确。"
    failed = audit_rows("sign_in_failed")[-1]
    assert failed.seq > seq and "\x00" not in failed.username


def test_a_name_that_folds_long_is_refused_or_stored(configured):
    name = "\u0390" * users.MAX_USERNAME  # 32 characters, 96 once case-folded
    try:
        row = users.add_user(name, "", FRONT_DESK, "good-pass-1")
    except ValidationError as err:
        assert "username" in err.fields
    else:
        assert users.get_user(name) == row
        assert users.sign_in(name, "good-pass-1").user_id == row.id


def test_a_name_with_combining_marks_matches_its_upper_case(configured):
    row = users.add_user("ΐa", "", FRONT_DESK, "good-pass-1")
    assert users.sign_in("ΐa".upper(), "good-pass-1").user_id == row.id


def test_a_new_user_is_stored_with_an_argon2id_hash_never_the_password(configured):
    row = users.add_user("Ｌｉ", "  李  四 ", DUTY_MANAGER, "Secret-pass-9")
    assert (row.username, row.display_name, row.role, row.active) == ("Li", "李 四", DUTY_MANAGER, True)
    assert row.failed_attempts == 0 and row.locked_until is None and row.last_sign_in_at is None
    user = stored("li")
    assert user.password_hash.startswith("$argon2id$")
    assert "Secret-pass-9" not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, "Secret-pass-9")
    assert not hasattr(row, "password_hash")  # the row handed out carries no hash at all


def test_the_display_name_defaults_to_the_user_name(configured):
    assert users.add_user("zhao", "", FRONT_DESK, "zhao-pass-9").display_name == "zhao"


# ------------------------------------------------------------------ signing in


def test_a_sign_in_resets_the_counter_and_records_the_time(make_user, frozen):
    user = make_user(FRONT_DESK, "wang")
    fail_sign_in("wang", 3)
    assert stored("wang").failed_attempts == 3
    frozen.step(minutes=2)
    actor = users.sign_in("WANG", PASSWORDS["wang"])  # the name in another case is the same user
    assert actor == user and session.current() == user
    row = stored("wang")
    assert (row.failed_attempts, row.locked_until, row.last_sign_in_at) == (0, None, NOW + timedelta(minutes=2))


def test_five_wrong_passwords_lock_the_account_for_five_minutes(make_user, frozen):
    make_user(FRONT_DESK, "wang")
    errors = fail_sign_in("wang", 4)
    assert all(type(e) is AuthenticationError for e in errors)
    frozen.step(seconds=30)
    with pytest.raises(AccountLockedError) as info:
        users.sign_in("wang", "wrong-password")  # the fifth wrong one locks
    assert info.value.until == NOW + timedelta(seconds=30, minutes=5)
    assert "5 分钟" in info.value.message
    assert stored("wang").locked_until == NOW + timedelta(seconds=30, minutes=5)

    frozen.step(minutes=4, seconds=59)
    with pytest.raises(AccountLockedError):
        users.sign_in("wang", PASSWORDS["wang"])  # even the right password, before the time is up
    assert session.current().username == "admin"

    frozen.step(seconds=1)
    assert users.sign_in("wang", PASSWORDS["wang"]).username == "wang"
    assert stored("wang").locked_until is None


def test_the_lock_out_is_in_the_database_not_in_the_program(make_user, frozen, db_location):
    make_user(FRONT_DESK, "wang")
    fail_sign_in("wang", 5)

    # Another thread has its own connection to the database.
    assert isinstance(in_another_thread(lambda: users.sign_in("wang", PASSWORDS["wang"])), AccountLockedError)

    # The program is started again: a new connection, nothing remembered in memory.
    close_database()
    open_database(db_location)
    with pytest.raises(AccountLockedError):
        users.sign_in("wang", PASSWORDS["wang"])
    frozen.step(minutes=5)
    assert users.sign_in("wang", PASSWORDS["wang"]).username == "wang"


def test_wrong_attempts_from_two_connections_add_up(make_user, frozen):
    make_user(FRONT_DESK, "wang")
    fail_sign_in("wang", 2)
    for _ in range(2):
        assert type(in_another_thread(lambda: users.sign_in("wang", "nope-nope"))) is AuthenticationError
    assert stored("wang").failed_attempts == 4
    with pytest.raises(AccountLockedError):
        users.sign_in("wang", "wrong-again")


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(make_user):
    user = make_user(FRONT_DESK, "wang")
    seq = last_seq()
    with pytest.raises(AuthenticationError) as unknown:
        users.sign_in("nobody", "whatever-1")
    with pytest.raises(AuthenticationError) as wrong:
        users.sign_in("wang", "whatever-1")
    assert type(unknown.value) is type(wrong.value) is AuthenticationError
    assert unknown.value.message == wrong.value.message == "用户名或密码不正确。"
    failures = [e for e in audit_rows("sign_in_failed") if e.seq > seq]
    assert [(e.username, e.entity_id, e.user_id) for e in failures] == [
        (users.UNKNOWN_NAME, None, None), ("wang", user.user_id, None),
    ]
    assert "不存在" in failures[0].detail and "第 1 次" in failures[1].detail


def test_a_deactivated_user_cannot_sign_in(make_user):
    user = make_user(FRONT_DESK, "wang")
    users.set_active(user.user_id, False)
    with pytest.raises(AuthenticationError) as info:
        users.sign_in("wang", PASSWORDS["wang"])
    assert "已停用" in info.value.message
    assert session.current().username == "admin"
    assert audit_rows()[-1].action == "sign_in_failed"
    users.set_active(user.user_id, True)
    assert users.sign_in("wang", PASSWORDS["wang"]) == user


# ------------------------------------------------------------------ administrators


def test_an_admin_cannot_deactivate_themself(configured):
    users.add_user("boss", "", ADMIN, "boss-pass-1")  # not the last administrator: still refused
    seq = last_seq()
    with pytest.raises(ValidationError) as info:
        users.set_active(admin_id(), False)
    assert "自己" in info.value.message
    assert stored("admin").active
    assert last_seq() == seq
    assert session.current().username == "admin"


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(configured, as_command_line):
    with pytest.raises(ValidationError) as info:
        users.set_active(admin_id(), False)
    assert "最后一个" in info.value.message
    with pytest.raises(ValidationError) as info:
        users.update_user(admin_id(), role=DUTY_MANAGER)
    assert "最后一个" in info.value.fields["role"]
    assert (stored("admin").active, stored("admin").role) == (True, ADMIN)

    # A deactivated administrator is no stand-in.
    other = users.add_user("boss", "", ADMIN, "boss-pass-1")
    users.set_active(other.id, False)
    with pytest.raises(ValidationError):
        users.update_user(admin_id(), role=FRONT_DESK)

    # An active one is.
    users.set_active(other.id, True)
    assert users.update_user(admin_id(), role=DUTY_MANAGER).role == DUTY_MANAGER
    with pytest.raises(ValidationError):
        users.set_active(other.id, False)


def test_another_admin_can_be_demoted_and_deactivated(configured):
    other = users.add_user("boss", "", ADMIN, "boss-pass-1")
    assert users.update_user(other.id, display_name="大 老板", role=FRONT_DESK).role == FRONT_DESK
    assert users.set_active(other.id, False).active is False
    assert [u.username for u in users.list_users(include_inactive=False)] == ["admin"]
    assert {u.username for u in users.list_users()} == {"admin", "boss"}


def test_update_user_checks_its_input(configured):
    other = users.add_user("boss", "", FRONT_DESK, "boss-pass-1")
    with pytest.raises(ValidationError) as info:
        users.update_user(other.id, role="superuser")
    assert "role" in info.value.fields
    with pytest.raises(ValidationError) as info:
        users.update_user(other.id, display_name="名" * 41)
    assert "display_name" in info.value.fields
    assert stored("boss").role == FRONT_DESK


def test_a_user_deactivated_elsewhere_is_refused_at_their_next_write(make_user):
    manager = make_user(DUTY_MANAGER, "zhou")
    admin = session.current()
    users.sign_in("zhou", PASSWORDS["zhou"])
    with session.act_as(admin):  # the administrator, at another station
        users.set_active(manager.user_id, False)
    assert session.current() == manager  # nothing tells this station until it writes
    with pytest.raises(NotSignedInError), write_transaction():
        session.authorize()
    assert session.current() is None

    session.set_current(manager)
    with pytest.raises(NotSignedInError):
        users.change_own_password(PASSWORDS["zhou"], "zhou-new-pass-2")
    assert session.current() is None
    with session.act_as(admin):
        users.set_active(manager.user_id, True)
    assert users.sign_in("zhou", PASSWORDS["zhou"]) == manager  # the password did not change


def test_a_role_change_elsewhere_counts_at_the_next_write(make_user):
    clerk = make_user(FRONT_DESK, "qian")
    locked = make_user(FRONT_DESK, "sun")
    fail_sign_in("sun", 5)
    admin = session.current()
    users.sign_in("qian", PASSWORDS["qian"])
    with pytest.raises(PermissionDeniedError):
        users.unlock(locked.user_id)

    with session.act_as(admin):
        users.update_user(clerk.user_id, role=ADMIN)
    assert session.current().role == FRONT_DESK  # not yet told
    assert users.unlock(locked.user_id).locked_until is None  # the write reads the row
    assert session.current().role == ADMIN

    with session.act_as(admin):
        users.update_user(clerk.user_id, role=DUTY_MANAGER)
    with pytest.raises(PermissionDeniedError):
        users.unlock(locked.user_id)
    assert session.current().role == DUTY_MANAGER


def test_a_front_desk_user_cannot_administer_users(sign_in_as, make_user):
    other = make_user(DUTY_MANAGER, "zhou")
    sign_in_as(FRONT_DESK, "wang")
    seq, count = last_seq(), users.count_users()
    for call in (
        lambda: users.add_user("new", "", FRONT_DESK, "new-pass-12"),
        lambda: users.list_users(),
        lambda: users.get_user("zhou"),
        lambda: users.reset_password(other.user_id, "reset-pass-12"),
        lambda: users.unlock(other.user_id),
        lambda: users.set_active(other.user_id, False),
        lambda: users.update_user(other.user_id, role=ADMIN),
    ):
        with pytest.raises(PermissionDeniedError) as info:
            call()
        assert "管理用户" in info.value.message
    assert (last_seq(), users.count_users()) == (seq, count)
    assert stored("zhou").active and stored("zhou").role == DUTY_MANAGER


def test_nobody_signed_in_cannot_administer_users(configured):
    session.set_current(None)
    with pytest.raises(NotSignedInError):
        users.add_user("new", "", FRONT_DESK, "new-pass-12")
    with pytest.raises(NotSignedInError):
        users.list_users()
    with pytest.raises(NotSignedInError):
        users.change_own_password(ADMIN_PASSWORD, "admin-pass-2")


# ------------------------------------------------------------------ passwords


def test_change_own_password_checks_the_old_one(sign_in_as):
    sign_in_as(FRONT_DESK, "wang")
    old = PASSWORDS["wang"]
    for old_given, new, field in (
        ("not-the-password", "wang-new-pass", "old_password"),
        ("", "wang-new-pass", "old_password"),
        (old, "short", "new_password"),
        (old, "WANG", "new_password"),
        (old, old, "new_password"),
        (old, "", "new_password"),
    ):
        with pytest.raises(ValidationError) as info:
            users.change_own_password(old_given, new)
        assert list(info.value.fields) == [field]
    users.sign_in("wang", old)  # unchanged so far

    users.change_own_password(old, "wang-new-pass")
    assert audit_rows()[-1].action == "password_change"
    with pytest.raises(AuthenticationError):
        users.sign_in("wang", old)
    assert users.sign_in("wang", "wang-new-pass").username == "wang"


def test_the_command_line_has_no_own_password(configured, as_command_line):
    with pytest.raises(PermissionDeniedError):
        users.change_own_password("x", "whatever-new")


def test_reset_password_lifts_a_lock(make_user, frozen):
    user = make_user(FRONT_DESK, "wang")
    fail_sign_in("wang", 5)
    with pytest.raises(ValidationError) as info:
        users.reset_password(user.user_id, "wang")
    assert "password" in info.value.fields
    row = users.reset_password(user.user_id, "fresh-pass-1")
    assert row.locked_until is None and row.failed_attempts == 0
    with pytest.raises(AuthenticationError):
        users.sign_in("wang", PASSWORDS["wang"])
    assert users.sign_in("wang", "fresh-pass-1") == user


def test_unlock_lifts_a_lock_before_its_time(make_user, frozen):
    user = make_user(FRONT_DESK, "wang")
    fail_sign_in("wang", 5)
    assert users.get_user("wang").locked(clock.now())
    row = users.unlock(user.user_id)
    assert not row.locked(clock.now()) and row.failed_attempts == 0
    assert users.sign_in("wang", PASSWORDS["wang"]) == user


# ------------------------------------------------------------------ the audit trail


def test_every_action_leaves_an_audit_entry_without_any_password(configured, frozen):
    admin = session.current()
    seq = last_seq()
    secrets = [ADMIN_PASSWORD, "wang-pass-1", "wang-reset-2", "wang-own-3", "boss-pass-4", "wrong-guess-5"]

    wang = users.add_user("wang", "王芳", FRONT_DESK, "wang-pass-1")
    users.update_user(wang.id, display_name="王芳芳", role=DUTY_MANAGER)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            users.sign_in("wang", "wrong-guess-5")
    with pytest.raises(AuthenticationError):
        users.sign_in("ghost", "wrong-guess-5")
    session.set_current(admin)
    users.unlock(wang.id)
    users.reset_password(wang.id, "wang-reset-2")
    users.set_active(wang.id, False)
    users.set_active(wang.id, True)
    users.sign_in("wang", "wang-reset-2")
    users.change_own_password("wang-reset-2", "wang-own-3")
    users.sign_out()
    users.sign_in("admin", ADMIN_PASSWORD)
    with pytest.raises(ValidationError):  # a refused change leaves no entry
        users.add_user("boss", "", ADMIN, "boss")
    users.add_user("boss", "", ADMIN, "boss-pass-4")
    boss_id = users.user_id_of("boss")

    assert audit_tuples(seq) == [
        ("user_add", "admin", wang.id),
        ("user_update", "admin", wang.id),
        *[("sign_in_failed", "wang", wang.id)] * 5,
        ("sign_in_failed", users.UNKNOWN_NAME, None),
        ("user_unlock", "admin", wang.id),
        ("password_reset", "admin", wang.id),
        ("user_deactivate", "admin", wang.id),
        ("user_activate", "admin", wang.id),
        ("sign_in", "wang", wang.id),
        ("password_change", "wang", wang.id),
        ("sign_out", "wang", wang.id),
        ("sign_in", "admin", admin.user_id),
        ("user_add", "admin", boss_id),
    ]
    update = audit_rows("user_update")[-1]
    assert "王芳芳" in update.after and DUTY_MANAGER in update.after and FRONT_DESK in update.before

    for entry in audit_rows():
        text = " ".join(str(value) for value in entry.__data__.values())
        for secret in secrets:
            assert secret not in text, (entry.action, secret)
        assert "$argon2" not in text


# ------------------------------------------------------------------ fuzzing

_any_text = (
    st.text(max_size=80)
    | st.text(alphabet=st.sampled_from("\x00\x01\x1f\x7f\x85\u200b\u202e ｗＡß\u0390ﷺ李a1"), max_size=40)
    | st.text(min_size=1, max_size=3).map(lambda s: s * 3000)
)


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    username=st.from_regex(r"[a-z][a-z0-9]{2,12}", fullmatch=True) | _any_text,
    display_name=_any_text,
    role=st.sampled_from([FRONT_DESK, DUTY_MANAGER, ADMIN, "root", "", "管理员"]) | st.text(max_size=20),
    password=st.from_regex(r"[A-Za-z0-9-]{6,20}", fullmatch=True) | _any_text,
)
def test_add_user_raises_only_user_errors(configured, username, display_name, role, password):
    before = users.count_users()
    try:
        row = users.add_user(username, display_name, role, password)
    except UserError as err:
        assert err.message
        assert users.count_users() == before
    else:
        assert users.get_user(row.username) == row
        assert users.count_users() == before + 1


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(username=_any_text, password=_any_text)
def test_sign_in_raises_only_user_errors(configured, username, password):
    admin = session.current()
    try:
        users.sign_in(username, password)
    except UserError as err:
        assert err.message
    session.set_current(admin)


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=_any_text, username=_any_text)
def test_check_password_raises_only_validation_errors(password, username):
    try:
        assert users.check_password(password, username) == password
    except ValidationError as err:
        assert list(err.fields) == ["password"] and err.message


def test_the_program_hashes_with_the_rfc_9106_low_memory_profile(monkeypatch):
    """The tests use cheap settings; the program itself uses the recommended ones."""
    from argon2.profiles import RFC_9106_LOW_MEMORY

    monkeypatch.setattr(users, "HASHER", None)
    hasher = users._hasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost, RFC_9106_LOW_MEMORY.parallelism)
    assert users._hash("some-password").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
