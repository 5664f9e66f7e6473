"""The tests' clock, handed to the processes a test starts (another station, a writer to kill).

``FRONTDESK_TEST_NOW`` pins every test's clock (``tests/conftest.py``); a child process started
by a test runs :data:`PIN_CHILD` first, so that both stations agree on what "now" is. The
program itself never reads this variable: only test code does.
"""

from __future__ import annotations

import os

from frontdesk.services import clock

ENV = "FRONTDESK_TEST_NOW"

PIN_CHILD = (
    "import os as _os\n"
    "from frontdesk.services import clock as _clock\n"
    f"if _os.environ.get({ENV!r}):\n"
    f"    _clock.pin(_clock.parse_moment(_os.environ[{ENV!r}]))\n"
)


def child_environment(**extra: str) -> dict[str, str]:
    """This process's environment for a child, with the clock where this test's clock is now."""
    env = dict(os.environ, **extra)
    if clock.is_pinned():
        env[ENV] = clock.now().isoformat()
    else:
        env.pop(ENV, None)
    return env
