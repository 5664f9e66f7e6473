"""Work-around for a reference-count defect of PySide6 6.12.0 on Python 3.11, applied at import.

PySide6 6.12.0 hands back ``None`` (every method that returns nothing: ``setText``, ``stop``,
``processEvents`` …) and ``True``/``False`` (``SignalInstance.emit``, ``disconnect``) without
taking the reference it gives away. That is harmless on Python 3.12 and later, where these
singletons are immortal (PEP 683), but on Python 3.11 each such call steals one reference, and
after a few thousand calls the interpreter aborts: "Fatal Python error: none_dealloc: deallocating
None" (or ``bool_dealloc``). A working day at the front desk makes millions of such calls.
PySide6 6.11 does not have the defect.

The repair does what Python 3.12 does: it gives ``None``, ``True`` and ``False`` so many
references that they can never run out (they are static objects and never freed anyway). It is
applied only when a probe shows the defect, so it switches itself off on a fixed binding or a
newer Python. The lasting fix is a binding without the defect (PySide6 < 6.12 on Python 3.11, or
Python ≥ 3.12).
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_PROBES = 64
_MARGIN = 1 << 40  # a trillion stolen references before any trouble: never, in practice
_SINGLETONS = (None, True, False)

repaired = False


class _Probe(QObject):
    fired = Signal()


def _steals_references() -> bool:
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.blockSignals(False)  # returns a bool: a control, not a probe
        probe.fired.emit()  # returns True
        probe.setObjectName("probe")  # returns None
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    return lost_none >= _PROBES or lost_true >= _PROBES


def _add_references(obj: object, count: int) -> None:
    # ob_refcnt is the first field of every object in a release build of CPython.
    ctypes.c_ssize_t.from_address(id(obj)).value += count


def install() -> bool:
    """Repair the defect if this interpreter and binding have it. Returns whether it did."""
    global repaired
    if repaired or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return repaired
    if _steals_references():
        for obj in _SINGLETONS:
            _add_references(obj, _MARGIN)
        repaired = True
    return repaired


install()
