"""Opening a file someone named: only a regular file is read, anything else is named."""

from __future__ import annotations

import os
import stat

from funnel.errors import FunnelError


def regular_file(
    path: str | os.PathLike[str], label: str, error: type[FunnelError], expected: str
) -> os.stat_result:
    """``os.stat`` of ``path``, refusing anything but a regular file before it is opened (a FIFO
    or a device would block the reader or never end) with ``error`` naming what it is.

    >>> import tempfile
    >>> from funnel.errors import InputError
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     try:
    ...         regular_file(folder, "deals", InputError, "a regular file")
    ...     except InputError as exc:
    ...         print(exc.code, exc.message)
    not_a_file This is a folder, not a file.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise error(
            f"Cannot open the file: {exc.strerror or type(exc).__name__}.",
            code="not_found",
            file=label,
        ) from None
    if not stat.S_ISREG(info.st_mode):
        what = (
            "a folder"
            if stat.S_ISDIR(info.st_mode)
            else "a named pipe"
            if stat.S_ISFIFO(info.st_mode)
            else "a device or socket"
        )
        raise error(
            f"This is {what}, not a file.",
            code="not_a_file",
            file=label,
            expected=expected,
            params={"kind": what},
        )
    return info
