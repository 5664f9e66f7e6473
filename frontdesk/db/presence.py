"""Who has a SQLite database open: a lock file beside it, held shared by every FrontDesk using it.

Why a separate file: SQLite's own locks on the database are POSIX advisory locks, which belong
to the process and vanish when *any* descriptor of the file is closed in it, and an idle WAL
connection may hold none at all. So whether "some FrontDesk is running on this file" cannot be
read from the database file. Instead every process that opens the database takes a shared lock
on ``<database>.lock`` (``flock`` on POSIX, ``LockFileEx`` on Windows: tied to the open file,
not to the process, and released by the system when the process dies, even by a power cut).
Restore takes the lock exclusively, without waiting: it is refused while any station is open,
and no station can open the database while a restore is replacing it.

Only this module opens the lock file, and nothing here ever opens the database file itself.
"""

from __future__ import annotations

import os
from pathlib import Path

LOCK_SUFFIX = ".lock"


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import ctypes
    import msvcrt
    from ctypes import wintypes

    _LOCKFILE_FAIL_IMMEDIATELY = 0x1
    _LOCKFILE_EXCLUSIVE_LOCK = 0x2

    class _Overlapped(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD),
                    ("hEvent", wintypes.HANDLE)]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _LockFileEx = _kernel32.LockFileEx
    _LockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                            wintypes.DWORD, ctypes.POINTER(_Overlapped)]
    _LockFileEx.restype = wintypes.BOOL

    def _try_lock(fd: int, exclusive: bool) -> bool:
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        handle = wintypes.HANDLE(msvcrt.get_osfhandle(fd))
        return bool(_LockFileEx(handle, flags, 0, 1, 0, ctypes.byref(_Overlapped())))

else:
    import fcntl

    def _try_lock(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class Presence:
    """A held lock on ``<database>.lock``; :meth:`release` (or the process's end) lets it go."""

    def __init__(self, database: Path, fd: int | None, exclusive: bool) -> None:
        self.database = database
        self.exclusive = exclusive
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases its lock

    def __enter__(self) -> Presence:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _open_lock_file(database: Path) -> int | None:
    """The lock file's descriptor (created if need be); ``None`` where it cannot exist at all
    (a read-only folder or medium: then nobody can restore into that folder either)."""
    path = lock_path(database)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)
    try:
        return os.open(path, flags, 0o644)
    except OSError:
        try:
            return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None


def take(database: Path, *, exclusive: bool) -> Presence | None:
    """Lock ``database``'s lock file without waiting: a ``Presence`` when taken; ``None`` when
    another process holds it in a conflicting way.

    A lock file that cannot be opened at all counts as taken (``Presence`` holding nothing), so
    that a database in a read-only place still opens for reading.
    """
    fd = _open_lock_file(database)
    if fd is None:
        return Presence(database, None, exclusive)
    if not _try_lock(fd, exclusive):
        os.close(fd)
        return None
    return Presence(database, fd, exclusive)
