"""Typed text that no database should take: control characters.

PostgreSQL refuses a NUL in any text (the driver raises before the server sees it), and other
control characters in a name or a note are always a slip (a scanner, a paste from elsewhere).
Such input is refused at the field, on every backend alike. Line breaks and tabs are fine where
the field holds several lines.
"""

from __future__ import annotations

import unicodedata

_BAD_CATEGORIES = ("Cc", "Cs")  # control characters; lone surrogates (cannot be stored as UTF-8)


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    allowed = "\n\r\t" if multiline else ""
    return any(unicodedata.category(ch) in _BAD_CATEGORIES and ch not in allowed for ch in text)


def without_control_characters(text: str) -> str:
    """``text`` with control characters dropped (for search boxes, where nothing is stored)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in _BAD_CATEGORIES)
