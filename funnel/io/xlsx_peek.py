"""Peeking into xlsx packages without parsing whole sheets: first rows, shared strings, merges."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
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
) -> Iterator[tuple[int, dict[int, tuple[str, str | None]]]]:
    """(row index, {col: (cell type, raw text)}) from a sheet's XML, streamed; the
    <dimension> ref, which comes first, is appended to ``dimension``."""
    with zf.open(path) as fh:
        row_index = -1
        for _, node in ET.iterparse(fh, events=("end",)):
            tag = _local(node.tag)
            if tag == "dimension":
                dimension.append(node.get("ref", ""))
            elif tag == "row":
                r = node.get("r")
                row_index = int(r) - 1 if r and r.isdigit() else row_index + 1
                cells: dict[int, tuple[str, str | None]] = {}
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
                    cells[col] = (kind, value)
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
    rows: dict[int, dict[int, tuple[str, str | None]]] = {}
    dimension: list[str] = []
    first: int | None = None
    for row_index, cells in _iter_rows(zf, path, dimension):
        if not any(v not in (None, "") for _, v in cells.values()):
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
        (int(str(v)) for cells in rows.values() for k, v in cells.values() if k == "s" and v),
        default=-1,
    )
    strings = _shared_strings(zf, needed)
    width = max(max(cells) for cells in rows.values()) + 1
    last = max(rows)
    grid_rows: list[list[object]] = []
    for r in range(first, last + 1):
        line: list[object] = [None] * width
        for col, (kind, value) in rows.get(r, {}).items():
            line[col] = _cell_value(kind, value, strings)
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
