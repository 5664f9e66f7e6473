"""Errors the user can act on.

Two channels, as in every careful desktop program: a ``UserError`` is expected (bad input,
a record someone else changed, a locked or full disk) and is shown where it happened, in
Chinese. Anything else is a bug and goes to the crash handler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class UserError(Exception):
    """An expected failure with a message fit to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(UserError):
    """Input refused. ``fields`` maps each offending field name to its message."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("；".join(self.fields.values()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class NotFoundError(UserError):
    pass


@dataclass(frozen=True)
class FieldChange:
    """One field another station changed since the user read the record: ``old`` → ``new``.

    Values are display text (personal data already masked), so the UI can list them as they are.
    """

    field: str
    label: str
    old: str
    new: str


class ConflictError(UserError):
    """The record changed since it was read (another station saved first).

    ``changes`` lists what the other station changed, when the caller said what it had read.
    """

    def __init__(self, message: str, changes: Sequence[FieldChange] = ()) -> None:
        super().__init__(message)
        self.changes: tuple[FieldChange, ...] = tuple(changes)


class StorageError(UserError):
    """The database cannot be used right now. Nothing was written.

    Made by ``frontdesk.db.database.classify_storage_error`` from the driver's error code
    (SQLite result code, PostgreSQL SQLSTATE, errno), never from message text; a failure
    without a storage code (a missing column, a syntax error) is a bug, not one of these.
    """


class DatabaseLockedError(StorageError):
    pass


class ReadOnlyError(StorageError):
    pass


class DiskFullError(StorageError):
    pass


class CorruptDatabaseError(StorageError):
    pass


class UnreachableError(StorageError):
    pass


class DatabaseMovedError(StorageError):
    """The open database file was deleted, moved or replaced behind the program's back."""


class NotFrontDeskDatabaseError(StorageError):
    """A database file of another program: left exactly as it is."""


class SchemaTooNewError(StorageError):
    pass


class NotSignedInError(UserError):
    """Nobody is signed in (or the session ended): sign in first."""


class PermissionDeniedError(UserError):
    """The signed-in user's role does not allow this. Nothing was changed."""


class AuthenticationError(UserError):
    """A sign-in refused: wrong name or password, a locked or deactivated account."""


class AccountLockedError(AuthenticationError):
    """Too many wrong passwords: the account is locked until ``until``."""

    def __init__(self, message: str, until: object = None) -> None:
        super().__init__(message)
        self.until = until


class ReportError(UserError):
    """A report could not be written (folder missing or read-only, file open elsewhere, disk
    full). Nothing half-written is left behind."""


class FontMissingError(ReportError):
    """No font that can embed Chinese text in a PDF was found; the message names one to install."""
