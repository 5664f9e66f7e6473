"""The default shape of a service function: its role check, its transaction, its actor.

Why it looks like this: every write used to do the same four steps by hand — check who is
signed in, open the write transaction, re-read the user inside it (``session.authorize``: a
user deactivated or demoted on another station is refused at once), and append the audit entry
as that user (``audit.record`` names the signed-in user, refreshed by that re-read). A step
forgotten is a hole nobody sees. Decorated, a new service gets them right by default::

    @kit.command(session.VOID, then=_saved_row)    # _saved_row(id) runs after the commit
    def void(actor: Actor, visit_id: int, reason: str) -> int:
        ...                                        # inside the write transaction
        return visit_id
    @kit.query(session.VIEW_AUDIT)
    def history(entity: str, entity_id: int) -> list[AuditRecord]: ...

Callers never pass ``actor``: a function whose first parameter is named ``actor`` receives the
authorized actor, and its public signature (``inspect.signature``) leaves it out.

- ``command(permission)``: a write; the role is judged inside the transaction, against the
  user's row as it is now. ``prepare_first=True`` for a command that must do slow work
  before taking the lock (hashing a password): it opens ``writing(permission)`` itself.
- ``query(permission)``: a read, in ``read_only`` (storage errors in Chinese); ``None`` means
  any signed-in user.
- ``action(permission)``: the role check only, for work on files rather than in a transaction
  (backup, restore).
- ``exempt(reason)``: no check, and the reason says why (the sign-in itself, the first start).

``tests/services/test_kit.py`` fails on a public service function that touches the database
and is none of these.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from frontdesk.db.database import read_only, write_transaction
from frontdesk.services import session
from frontdesk.services.session import Actor

F = TypeVar("F", bound=Callable[..., Any])

COMMAND, QUERY, ACTION, EXEMPT = "command", "query", "action", "exempt"
KINDS = (COMMAND, QUERY, ACTION, EXEMPT)


def _require(permission: str | None) -> Actor:
    return session.require(permission) if permission is not None else session.require_signed_in()


@contextlib.contextmanager
def writing(permission: str | None) -> Iterator[Actor]:
    """The write transaction, with the actor re-read and checked inside it."""
    with write_transaction():
        yield session.authorize(permission)


def _takes_actor(fn: Callable[..., Any]) -> bool:
    params = list(inspect.signature(fn).parameters)
    return bool(params) and params[0] == "actor"


def _public_signature(fn: Callable[..., Any]) -> inspect.Signature:
    sig = inspect.signature(fn)
    if _takes_actor(fn):
        sig = sig.replace(parameters=list(sig.parameters.values())[1:])
    return sig


def _mark(wrapper: Callable[..., Any], fn: Callable[..., Any], kind: str, permission: str | None,
          reason: str = "", then: Callable[..., Any] | None = None) -> None:
    sig = _public_signature(fn)
    if then is not None:  # the caller gets what ``then`` makes of the transaction's result
        sig = sig.replace(return_annotation=inspect.signature(then).return_annotation)
    wrapper.__signature__ = sig  # type: ignore[attr-defined]
    wrapper.service_kind = kind  # type: ignore[attr-defined]
    wrapper.permission = permission  # type: ignore[attr-defined]
    wrapper.exempt_reason = reason  # type: ignore[attr-defined]


def command(permission: str | None, *, prepare_first: bool = False,
            then: Callable[[Any], Any] | None = None) -> Callable[[F], F]:
    """A write: role checked, then one write transaction with the actor re-read inside it.

    ``then``: turns what the transaction returned (a record's id) into the answer after the
    commit, so reading the saved row back does not hold the write lock other stations wait for.
    """

    def decorate(fn: F) -> F:
        takes_actor = _takes_actor(fn)
        if prepare_first and (takes_actor or then is not None):
            raise TypeError("a prepare_first command opens kit.writing() itself")

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if prepare_first:
                _require(permission)  # no slow preparation for a user who may not do this
                return fn(*args, **kwargs)
            # The role is judged inside, from the user's row as it is now: a promotion on
            # another station counts at once, a demotion too.
            session.require_signed_in()
            with writing(permission) as actor:
                result = fn(actor, *args, **kwargs) if takes_actor else fn(*args, **kwargs)
            return then(result) if then is not None else result

        _mark(wrapper, fn, COMMAND, permission, then=then)
        return wrapper  # type: ignore[return-value]

    return decorate


def query(permission: str | None = None) -> Callable[[F], F]:
    """A read: role checked (``None``: any signed-in user), storage errors made user errors."""

    def decorate(fn: F) -> F:
        takes_actor = _takes_actor(fn)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            actor = _require(permission)
            with read_only():
                return fn(actor, *args, **kwargs) if takes_actor else fn(*args, **kwargs)

        _mark(wrapper, fn, QUERY, permission)
        return wrapper  # type: ignore[return-value]

    return decorate


def action(permission: str) -> Callable[[F], F]:
    """The role check alone, for work on files outside any transaction (backup, restore)."""

    def decorate(fn: F) -> F:
        takes_actor = _takes_actor(fn)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            actor = session.require(permission)
            return fn(actor, *args, **kwargs) if takes_actor else fn(*args, **kwargs)

        _mark(wrapper, fn, ACTION, permission)
        return wrapper  # type: ignore[return-value]

    return decorate


def exempt(reason: str) -> Callable[[F], F]:
    """No role check, on purpose: ``reason`` says why (read by the test that checks the rule)."""
    if not reason.strip():
        raise ValueError("an exemption needs its reason")

    def decorate(fn: F) -> F:
        fn.service_kind = EXEMPT  # type: ignore[attr-defined]
        fn.permission = None  # type: ignore[attr-defined]
        fn.exempt_reason = reason  # type: ignore[attr-defined]
        return fn

    return decorate


def kind_of(fn: Callable[..., Any]) -> str | None:
    """``command``, ``query``, ``action`` or ``exempt``; ``None`` for an unmarked function."""
    kind = getattr(fn, "service_kind", None)
    return kind if kind in KINDS else None
