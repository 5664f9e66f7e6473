"""Entry point of the ``frontdesk`` gui-script and of ``python -m frontdesk``.

Kept to one import so that the command line stays free of Qt; the window is started from
``frontdesk.cli`` only when no command is given.
"""

import sys

from frontdesk.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
