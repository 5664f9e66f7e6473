"""Write a report file atomically: whole or not at all.

The new content goes to a temporary file in the target's folder and replaces the target in one
``os.replace``, so a crash, a full disk or a rendering error never leaves half a report (and never
destroys yesterday's good copy). A stream target gets the bytes only once they are complete.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from frontdesk.errors import ReportError
from frontdesk.i18n import _

Target = str | os.PathLike[str] | BinaryIO


def write_atomically(target: Target, produce: Callable[[BinaryIO], None]) -> None:
    """Let ``produce`` write the whole file into a stream, then put it at ``target``."""
    if hasattr(target, "write"):
        buffer = io.BytesIO()
        produce(buffer)
        target.write(buffer.getvalue())  # type: ignore[union-attr]
        return
    path = Path(target)  # type: ignore[arg-type]
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise _report_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            produce(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if os.name == "posix":
            os.chmod(temp_name, 0o644)  # mkstemp's 0600 would hide the report from others
        os.replace(temp_name, path)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise _report_error(path, exc) from exc
        raise


def _report_error(path: Path, exc: OSError) -> ReportError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = _("磁盘已满")
    elif exc.errno == errno.ENOENT:
        reason = _("文件夹不存在")
    elif isinstance(exc, PermissionError):
        reason = _("没有写入权限，或文件正被其他程序（如 Excel、PDF 阅读器）打开")
    else:
        reason = exc.strerror or str(exc)
    return ReportError(_("报表无法保存到 {path}：{reason}").format(path=path, reason=reason))
