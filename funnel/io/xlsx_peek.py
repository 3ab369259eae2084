"""Peeking into xlsx packages without parsing whole sheets: first rows, shared strings, merges."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO
from xml.etree import ElementTree as ET

import pandas as pd

from funnel.io import tidy

# Sheets whose XML is below this are small enough to read merged ranges from (two-row headers).
MERGE_SCAN_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Peek:
    """The top of one sheet, read from its XML: enough to find the header and size the table."""

    grid: pd.DataFrame  # the first rows from the first non-empty row, columns from column A
    first_row: int  # 0-based sheet row of grid row 0
    total_rows: int  # rows in the sheet as the dimension says (estimate)
    merged: tuple[tidy.MergedRange, ...] | None
    total_columns: int = 0  # columns as the dimension says (0: not said)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    workbook = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    paths = {}
    for node in workbook.iter():
        if _local(node.tag) == "sheet":
            rid = next((v for k, v in node.attrib.items() if _local(k) == "id"), None)
            if rid in targets:
                paths[node.get("name", "")] = targets[rid]
    return paths


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _iter_rows(
    zf: zipfile.ZipFile, path: str, dimension: list[str]
) -> Iterator[tuple[int, dict[int, tuple[str, str | None, int]]]]:
    """(row index, {col: (cell type, raw text, style index)}) from a sheet's XML, streamed;
    the <dimension> ref, which comes first, is appended to ``dimension``."""
    with zf.open(path) as fh:
        row_index = -1
        for _, node in ET.iterparse(fh, events=("end",)):
            tag = _local(node.tag)
            if tag == "dimension":
                dimension.append(node.get("ref", ""))
            elif tag == "row":
                r = node.get("r")
                row_index = int(r) - 1 if r and r.isdigit() else row_index + 1
                cells: dict[int, tuple[str, str | None, int]] = {}
                col = -1
                for c in node:
                    if _local(c.tag) != "c":
                        continue
                    ref = _CELL_REF.match(c.get("r", ""))
                    col = _col_index(ref.group(1)) if ref else col + 1
                    kind = c.get("t", "n")
                    value: str | None
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in c.iter() if _local(t.tag) == "t")
                    else:
                        value = next((x.text for x in c if _local(x.tag) == "v"), None)
                    style = c.get("s", "0")
                    cells[col] = (kind, value, int(style) if style.isdigit() else 0)
                yield row_index, cells
                node.clear()


def _shared_strings(zf: zipfile.ZipFile, needed: int) -> list[str]:
    """The first ``needed`` + 1 shared strings, parsed incrementally."""
    out: list[str] = []
    if needed < 0 or "xl/sharedStrings.xml" not in zf.namelist():
        return out
    with zf.open("xl/sharedStrings.xml") as fh:
        for _, node in ET.iterparse(fh, events=("end",)):
            if _local(node.tag) != "si":
                continue
            parts = []
            for child in node.iter():
                if _local(child.tag) == "t":
                    parts.append(child.text or "")
                elif _local(child.tag) == "rPh":  # phonetic runs are not cell text
                    break
            out.append("".join(parts))
            node.clear()
            if len(out) > needed:
                break
    return out


def _merged_ranges(zf: zipfile.ZipFile, path: str) -> list[tidy.MergedRange]:
    xml = zf.read(path)
    start = xml.rfind(b"<mergeCells")
    if start < 0:
        return []
    out = []
    for a, r1, b, r2 in re.findall(rb'ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"', xml[start:]):
        out.append((int(r1) - 1, _col_index(a.decode()), int(r2) - 1, _col_index(b.decode())))
    return out


def peek_sheets(file: str | IO[bytes], sheets: tuple[str, ...], peek_rows: int) -> dict[str, Peek]:
    """A :class:`Peek` at each of ``sheets`` the xlsx package ``file`` has.

    A peek holds at most ``peek_rows`` rows, counted from the sheet's first non-empty one.
    """
    out = {}
    with zipfile.ZipFile(file) as zf:
        paths = _xlsx_sheet_paths(zf)
        for sheet in sheets:
            if sheet in paths:
                out[sheet] = _peek_sheet(zf, paths[sheet], peek_rows)
    return out


def _peek_sheet(zf: zipfile.ZipFile, path: str, peek_rows: int) -> Peek:
    rows: dict[int, dict[int, tuple[str, str | None, int]]] = {}
    dimension: list[str] = []
    first: int | None = None
    for row_index, cells in _iter_rows(zf, path, dimension):
        if not any(v not in (None, "") for _, v, _ in cells.values()):
            continue
        if first is None:
            first = row_index
        if row_index >= first + peek_rows:
            break
        rows[row_index] = cells
    m = re.search(r"(\d+)$", dimension[0]) if dimension else None
    total_rows = int(m.group(1)) if m else 0
    last_cell = re.search(r"([A-Z]{1,3})\d+$", dimension[0]) if dimension else None
    total_columns = _col_index(last_cell.group(1)) + 1 if last_cell else 0
    if first is None:
        return Peek(pd.DataFrame(), 0, 0, None, total_columns)
    needed = max(
        (int(str(v)) for cells in rows.values() for k, v, _ in cells.values() if k == "s" and v),
        default=-1,
    )
    strings = _shared_strings(zf, needed)
    dates = _date_styles(zf)
    width = max(max(cells) for cells in rows.values()) + 1
    last = max(rows)
    grid_rows: list[list[object]] = []
    for r in range(first, last + 1):
        line: list[object] = [None] * width
        for col, (kind, value, style) in rows.get(r, {}).items():
            cell = _cell_value(kind, value, strings)
            if style in dates.styles and isinstance(cell, float):
                cell = _excel_date(cell, dates.epoch)
            line[col] = cell
        grid_rows.append(line)
    grid = pd.DataFrame(grid_rows, dtype=object)
    merged = None
    info = zf.getinfo(path)
    if info.file_size <= MERGE_SCAN_BYTES:
        merged = tuple(
            (r0 - first, c0, r1 - first, c1)
            for r0, c0, r1, c1 in _merged_ranges(zf, path)
            if r1 >= first
        )
    return Peek(grid, first, max(total_rows, last + 1), merged or None, total_columns)


# Built-in number formats that show a date or a time (ECMA-376 part 1, 18.8.30).
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
# What a custom format shows literally: quoted text, [colour]/[$-419] parts, escaped and padding
# characters; a date token (d, m, y, h, s) left after them makes it a date or time format.
_LITERAL = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


@dataclass(frozen=True)
class _Dates:
    """The cell formats (indexes into cellXfs) that show a number as a date, and the day the
    workbook counts from (1904 on old Mac workbooks)."""

    styles: frozenset[int]
    epoch: datetime


def _date_styles(zf: zipfile.ZipFile) -> _Dates:
    """A header typed as dates (each month's first day across the top) is numbers in the XML:
    their cell format says they are dates."""
    found: set[int] = set()
    names = set(zf.namelist())
    if "xl/styles.xml" in names:
        root = ET.fromstring(zf.read("xl/styles.xml"))
        custom = {
            n.get("numFmtId", ""): n.get("formatCode", "")
            for n in root.iter()
            if _local(n.tag) == "numFmt"
        }
        xfs = next((n for n in root.iter() if _local(n.tag) == "cellXfs"), None)
        formats = [x for x in (xfs if xfs is not None else ()) if _local(x.tag) == "xf"]
        for i, xf in enumerate(formats):
            fid = xf.get("numFmtId", "0")
            code = _LITERAL.sub("", custom.get(fid, "")).split(";")[0]
            if (fid.isdigit() and int(fid) in _DATE_FORMAT_IDS) or re.search("[dmyhs]", code, re.I):
                found.add(i)
    workbook = zf.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
    mac = re.search(rb'date1904="(?:1|true)"', workbook) is not None
    return _Dates(frozenset(found), datetime(1904, 1, 1) if mac else datetime(1899, 12, 30))


def _excel_date(serial: float, epoch: datetime) -> object:
    """A date cell's number as the date it shows (kept a number when it cannot be one)."""
    if not 0 <= serial < 2_958_466:  # 9999-12-31
        return serial
    return epoch + timedelta(days=serial)


def _cell_value(kind: str, value: str | None, strings: list[str]) -> object:
    if value is None:
        return None
    if kind == "s":
        index = int(str(value))
        return strings[index] if index < len(strings) else None
    if kind in ("str", "inlineStr"):
        return str(value)
    if kind == "b":
        return str(value) == "1"
    if kind == "e":
        return None
    try:
        return float(str(value))
    except ValueError:
        return str(value)
