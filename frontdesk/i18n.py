"""Translation marker for text produced outside the Qt layer (services, CLI, errors).

The UI translates its own strings with ``self.tr``; the layers below Qt use gettext so that
their messages stay translatable too. Without a catalogue the Simplified Chinese source
text is returned unchanged.
"""

import gettext
from pathlib import Path

_LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "locale"
_translation = gettext.translation("frontdesk", localedir=_LOCALE_DIR, fallback=True)


def _(text: str) -> str:
    return _translation.gettext(text)
