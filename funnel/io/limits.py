"""What Voronka reads at most, and the checks that refuse a file over a limit before parsing it.

The numbers are stated in README.md ("Limits"); each refusal names the number found and the
limit, so a person can tell a hostile file from an export that needs splitting.
"""

from __future__ import annotations

import os
import zipfile
from typing import IO

import numpy as np

from funnel import files
from funnel.errors import InputError, printable

MAX_BYTES = 200 * 1024 * 1024  # an upload or a file on disk
MAX_ROWS = 1_048_576  # Excel's own sheet limit
MAX_COLUMNS = 500  # every column is typed and scanned for roles: 500 take a few seconds
MAX_CELL_CHARS = 32_767  # Excel's own cell limit
MAX_LINE_CHARS = 1_000_000  # one physical line of a text file
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # a workbook's zip members, inflated, all together
MAX_RATIO = 200  # inflated / compressed size of one large member (sheets are 5-30)
RATIO_FLOOR_BYTES = 10 * 1024 * 1024  # members smaller than this may compress as they like
MAX_MEMBERS = 10_000


def _n(value: int) -> str:
    return f"{value:,}"


def _mb(value: int) -> str:
    return f"{value / 2**20:,.0f} MB"


def regular_file(path: str, label: str) -> os.stat_result:
    """``os.stat`` of a table file, refusing anything but a regular file before it is opened."""
    return files.regular_file(path, label, InputError, "a regular file")


def check_zip(file: str | IO[bytes], label: str) -> None:
    """Refuse a zip package (xlsx, xlsb, ods) whose central directory declares more than the
    reader may inflate: a zip bomb is refused in milliseconds, before any member is read."""
    try:
        with zipfile.ZipFile(file) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # the format check that follows says the file is damaged
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            f"The workbook has {_n(len(infos))} parts; Voronka reads up to {_n(MAX_MEMBERS)}.",
            code="unpacked_too_big",
            file=label,
            params={"found": len(infos), "max": MAX_MEMBERS},
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            f"The workbook unpacks to {_mb(total)}; Voronka reads workbooks up to "
            f"{_mb(MAX_UNPACKED_BYTES)} unpacked.",
            code="unpacked_too_big",
            file=label,
            params={"found": total // 2**20, "max": MAX_UNPACKED_BYTES // 2**20},
        )
    for info in infos:
        if info.file_size <= RATIO_FLOOR_BYTES:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_RATIO:
            raise InputError(
                f"The workbook part {printable(info.filename, 80)!r} unpacks "
                f"{ratio:,.0f} times its size ({_mb(info.file_size)}); Voronka reads parts "
                f"up to {MAX_RATIO} times.",
                code="unpacked_too_big",
                file=label,
                params={"found": round(ratio), "max": MAX_RATIO},
            )


def is_encrypted_package(head: bytes, data: bytes | None, path: str | None) -> bool:
    """An OLE compound file holding an ``EncryptedPackage`` stream: an xlsx saved with a
    password (Office wraps the encrypted package in the old container)."""
    if not head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return False
    marker = "EncryptedPackage".encode("utf-16-le")
    if data is not None:
        return marker in data[: 4 * 1024 * 1024] or marker in data[-1024 * 1024 :]
    assert path is not None
    # The directory sectors sit anywhere; the package is rarely large, so read it in chunks.
    with open(path, "rb") as fh:
        tail = b""
        while chunk := fh.read(1024 * 1024):
            if marker in tail + chunk:
                return True
            tail = chunk[-len(marker) :]
    return False


def password_protected(label: str) -> InputError:
    return InputError(
        "The workbook is password protected; save a copy without a password and load that.",
        code="password_protected",
        file=label,
    )


def check_lines(data: bytes, label: str, encoding: str = "utf-8") -> None:
    """Refuse a text whose longest line passes :data:`MAX_LINE_CHARS`: one 10 MB line of
    5 million fields defeats every parser. ``data`` is in ``encoding``, an ASCII-compatible
    one (UTF-8 or a single-byte code page). Lines end at LF: a lone CR must have been made one
    first (:func:`funnel.io.text.normal_line_ends`)."""
    if len(data) <= MAX_LINE_CHARS:
        return
    # The line breaks a block at a time: a bytes-sized array of flags would cost as much
    # memory as the file.
    block = 16 * 1024 * 1024
    view = np.frombuffer(data, dtype=np.uint8)
    breaks = np.concatenate(
        [np.flatnonzero(view[at : at + block] == 10) + at for at in range(0, len(data), block)]
    )
    edges = np.concatenate(([-1], breaks, [len(data)]))
    gaps = np.diff(edges) - 1
    # A line's characters never outnumber its bytes: only lines longer in bytes are decoded.
    for index in np.flatnonzero(gaps > MAX_LINE_CHARS).tolist():
        start = int(edges[index]) + 1
        line = data[start : start + int(gaps[index])]
        chars = len(line.decode(encoding, errors="replace"))
        if chars > MAX_LINE_CHARS:
            raise InputError(
                f"Line {index + 1:,} has {_n(chars)} characters; Voronka reads lines up to "
                f"{_n(MAX_LINE_CHARS)}.",
                code="line_too_long",
                file=label,
                row=index + 1,
                params={"found": chars, "max": MAX_LINE_CHARS},
            )


def check_columns(count: int, label: str) -> None:
    if count > MAX_COLUMNS:
        raise InputError(
            f"The file has {_n(count)} columns; Voronka reads up to {_n(MAX_COLUMNS)}.",
            code="too_many_columns",
            file=label,
            params={"found": count, "max": MAX_COLUMNS},
        )


def check_rows(count: int, label: str) -> None:
    if count > MAX_ROWS:
        raise InputError(
            f"The file has {_n(count)} rows; Voronka reads up to {_n(MAX_ROWS)}.",
            code="too_many_rows",
            file=label,
            params={"found": count, "max": MAX_ROWS},
        )


def cell_too_long(chars: int, row: int, column: str, label: str) -> InputError:
    return InputError(
        f"A cell has {_n(chars)} characters; Voronka reads cells up to {_n(MAX_CELL_CHARS)}.",
        code="cell_too_long",
        file=label,
        row=row,
        column=printable(column, 80),
        params={"found": chars, "max": MAX_CELL_CHARS},
    )
