"""Who is acting: the signed-in user of this program, their role, and what the role may do.

Why it looks like this: one FrontDesk process serves one person at a time (the guide at the
front-desk PC, the duty manager at theirs), so the signed-in user is a property of the process,
set by the sign-in and read by every service. Permissions are checked here, in the services,
never only by hiding buttons: a service called without the right role refuses with a
``PermissionDeniedError`` and changes nothing. A write re-reads the user's row inside its own
transaction, so a user deactivated (or given another role) on another station is refused at
their next save, not at their next sign-in.

The command line acts as ``command_line_actor()``: whoever may run commands on the computer that
holds the database file may read and replace that file anyway, so the command line is not asked
for a password (README, "Users and roles"); its actions are in the audit trail under its name.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import ParamSpec, TypeVar

from frontdesk.errors import NotSignedInError, PermissionDeniedError
from frontdesk.i18n import _

FRONT_DESK, DUTY_MANAGER, ADMIN = "front_desk", "duty_manager", "admin"
ROLES: dict[str, str] = {
    FRONT_DESK: _("前台"),
    DUTY_MANAGER: _("值班经理"),
    ADMIN: _("管理员"),
}

# What each permission lets a user do, in the words of a refusal ("您没有权限{what}").
REGISTER = "visit.register"
SERVE = "visit.serve"  # call, finish, left
EDIT_OWN_TODAY = "visit.edit_own_today"
EDIT_ANY = "visit.edit_any"
VOID = "visit.void"
REVEAL = "personal.reveal"
VIEW_AUDIT = "audit.view"
MANAGE_USERS = "users.manage"
MANAGE_SETTINGS = "settings.manage"
RESTORE = "database.restore"
BACKUP = "database.backup"
VIEW_REPORTS = "reports.view"
MANAGE_STAFF = "staff.manage"  # the roster and the day's duty list
INSPECT = "inspection.run"  # walk a checklist, follow up corrective actions
SIGN_OFF = "inspection.sign_off"  # sign off runs, verify corrective actions
MANAGE_TEMPLATES = "inspection.templates"
# Complaint tickets: the front desk registers and follows them up (first-contact responsibility,
# 首问负责); the duty manager handles them — assigns, pauses and resumes the regulator's clock,
# approves extensions, records withdrawals and new facts, closes, judges valid or invalid, reopens.
COMPLAINT_REGISTER = "complaint.register"
COMPLAINT_HANDLE = "complaint.handle"
HOLD_MEETING = "meeting.hold"  # write meeting notes, finalise and re-open them, close action items
MEETING_TEMPLATES = "meeting.templates"  # the sections of each kind of meeting, the meeting settings
PRIVACY = "personal.privacy"  # retention purge, a person's export and erase (PIPL arts. 19, 45, 47)
OPEN_COUNTERS = "counter.open_close"  # open or close the counters for a day (services/counters.py)
FAULTS = "equipment.faults"  # report a faulty device and follow it up to its repair (the front desk sees it first)

PERMISSIONS: dict[str, str] = {
    REGISTER: _("登记来访"),
    SERVE: _("叫号和办结"),
    EDIT_OWN_TODAY: _("修改自己今天登记的来访"),
    EDIT_ANY: _("修改任何来访记录"),
    VOID: _("作废来访记录"),
    REVEAL: _("查看完整的电话号码"),
    VIEW_AUDIT: _("查看审计日志"),
    MANAGE_USERS: _("管理用户"),
    MANAGE_SETTINGS: _("修改网点设置和列表"),
    RESTORE: _("从备份恢复数据库"),
    BACKUP: _("备份数据库"),
    VIEW_REPORTS: _("查看和导出日报、月报"),
    MANAGE_STAFF: _("维护人员名册和值班名单"),
    INSPECT: _("进行检查巡检、跟进整改项"),
    SIGN_OFF: _("签核检查记录、验收整改项"),
    MANAGE_TEMPLATES: _("修改检查模板"),
    COMPLAINT_REGISTER: _("登记和跟进投诉工单"),
    COMPLAINT_HANDLE: _("处理、延期和办结投诉工单"),
    HOLD_MEETING: _("记录晨会、班后会和月例会，定稿和重新打开"),
    MEETING_TEMPLATES: _("修改会议模板和会议设置"),
    PRIVACY: _("处理个人信息（到期清除、按当事人请求导出或删除）"),
    OPEN_COUNTERS: _("开放或关闭当天的窗口"),
    FAULTS: _("登记和跟进设备故障"),
}

_FRONT_DESK = frozenset({REGISTER, SERVE, EDIT_OWN_TODAY, COMPLAINT_REGISTER, FAULTS})
_DUTY_MANAGER = _FRONT_DESK | {EDIT_ANY, VOID, REVEAL, VIEW_AUDIT, VIEW_REPORTS, MANAGE_STAFF, INSPECT, SIGN_OFF,
                               COMPLAINT_HANDLE, HOLD_MEETING, PRIVACY}
_DUTY_MANAGER |= {OPEN_COUNTERS}
# The administrator can do everything: in a small hall the branch head holds this role.
_ADMIN = frozenset(PERMISSIONS)
GRANTS: dict[str, frozenset[str]] = {FRONT_DESK: _FRONT_DESK, DUTY_MANAGER: _DUTY_MANAGER, ADMIN: _ADMIN}


def role_label(role: str) -> str:
    return ROLES.get(role, role)


def roles_with(permission: str) -> list[str]:
    return [code for code, grants in GRANTS.items() if permission in grants]


@dataclass(frozen=True)
class Actor:
    """The one acting: a signed-in user (``user_id``), or the program itself (``user_id`` None)."""

    user_id: int | None
    username: str
    display_name: str
    role: str

    def can(self, permission: str) -> bool:
        return permission in GRANTS.get(self.role, frozenset())

    @property
    def label(self) -> str:
        """``王芳（前台）``: how the window and the audit viewer name the user."""
        name = self.display_name or self.username
        return _("{name}（{role}）").format(name=name, role=role_label(self.role))


SYSTEM = Actor(None, "system", _("系统"), ADMIN)


def command_line_actor() -> Actor:
    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment: still the command line
        who = "?"
    return Actor(None, f"cli:{who}"[:64], _("命令行（{user}）").format(user=who), ADMIN)


_lock = threading.Lock()
_current: Actor | None = None
_signed_out_listeners: list[Callable[[], None]] = []


def add_signed_out_listener(listener: Callable[[], None]) -> None:
    """``listener()`` is called when a write finds the user's account deactivated (any thread)."""
    _signed_out_listeners.append(listener)


def remove_signed_out_listener(listener: Callable[[], None]) -> None:
    with contextlib.suppress(ValueError):
        _signed_out_listeners.remove(listener)


def current() -> Actor | None:
    return _current


def set_current(actor: Actor | None) -> None:
    global _current
    with _lock:
        _current = actor


@contextlib.contextmanager
def act_as(actor: Actor | None) -> Iterator[Actor | None]:
    """Run a block as ``actor`` (the command line, a test), then give the previous one back."""
    previous = current()
    set_current(actor)
    try:
        yield actor
    finally:
        set_current(previous)


def require_signed_in() -> Actor:
    actor = current()
    if actor is None:
        raise NotSignedInError(_("请先登录。"))
    return actor


P = ParamSpec("P")
R = TypeVar("R")


def signed_in(fn: Callable[P, R]) -> Callable[P, R]:
    """For reads of the register: refused with ``NotSignedInError`` when nobody is signed in."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        require_signed_in()
        return fn(*args, **kwargs)

    return wrapper


def denied(permission: str, actor: Actor | None = None) -> PermissionDeniedError:
    roles = "、".join(role_label(r) for r in roles_with(permission))
    what = PERMISSIONS.get(permission, permission)
    who = f"{actor.label}：" if actor is not None and actor.user_id is not None else ""
    return PermissionDeniedError(
        _("{who}您没有权限{what}（需要{roles}）。").format(who=who, what=what, roles=roles)
    )


def require(permission: str) -> Actor:
    """The current actor if its role grants ``permission``, else a ``PermissionDeniedError``.

    For reads. A write calls ``authorize`` inside its transaction instead.
    """
    actor = require_signed_in()
    if not actor.can(permission):
        raise denied(permission, actor)
    return actor


def authorize(permission: str | None = None) -> Actor:
    """``require`` against the user's row as it is now; call inside the write transaction.

    A user deactivated on another station is refused (and signed out of this one); a role or
    name changed there counts at once. ``permission`` None: any signed-in user.
    """
    global _current
    actor = require_signed_in()
    if actor.user_id is not None:
        from frontdesk.db.models import User

        user = User.get_or_none(User.id == actor.user_id)
        if user is None or not user.active:
            set_current(None)
            for listener in list(_signed_out_listeners):
                listener()
            raise NotSignedInError(_("您的账户已被停用，请联系管理员。"))
        fresh = replace(actor, username=user.username, display_name=user.display_name, role=user.role)
        if fresh != actor:
            with _lock:
                if _current == actor:
                    _current = fresh
            actor = fresh
    if permission is not None and not actor.can(permission):
        raise denied(permission, actor)
    return actor
