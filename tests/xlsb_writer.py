"""A minimal Excel binary workbook (.xlsb) writer for tests: enough for calamine/fastexcel.

No Python package that writes .xlsb is a dependency of this project, and neither Excel nor
LibreOffice is on the test machines, so the tests build the files themselves. The format
(MS-XLSB) is an OOXML zip package whose parts are streams of BIFF12 records; each record is

    record type   a 7-bit little-endian varint, 1-2 bytes
    record size   a 7-bit little-endian varint, 1-4 bytes
    payload       ``size`` bytes

Only the records a reader needs are written:

* ``xl/workbook.bin``: BrtBeginBook, BrtBeginBundleShs, one BrtBundleSh per sheet (state, tab
  id, relationship id, name), BrtEndBundleShs, BrtEndBook.
* ``xl/worksheets/sheetN.bin``: BrtBeginSheet, BrtWsDim, BrtBeginSheetData, then per non-empty
  row a BrtRowHdr followed by its cells, BrtEndSheetData, BrtEndSheet. Cells are BrtCellIsst
  (shared string) or BrtCellSt (inline string), BrtCellRk (small integers, as Excel writes
  them), BrtCellReal (other numbers, and dates as serial numbers with a date style),
  BrtCellBool. ``None`` cells are not written (Excel writes no record for an empty cell).
* ``xl/sharedStrings.bin``: BrtBeginSst, BrtSSTItem per unique string, BrtEndSst.
* ``xl/styles.bin``: BrtBeginStyleSheet, BrtBeginCellXFs with two BrtXF (0: General, 1: the
  built-in date-time format 22 "m/d/yyyy h:mm"), BrtEndCellXFs, BrtEndStyleSheet. calamine
  reads the number format of a numeric cell from here to tell a date from a number.

The result is read by calamine (hence fastexcel and pandas' "calamine" engine); Excel itself
may want more (fonts, fills, borders and cell style records) and is not a target.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zipfile
from collections.abc import Mapping, Sequence
from typing import BinaryIO

Cell = str | int | float | bool | dt.datetime | dt.date | None

# Record types (MS-XLSB 2.3).
BRT_ROW_HDR = 0x0000
BRT_CELL_RK = 0x0002
BRT_CELL_BOOL = 0x0004
BRT_CELL_REAL = 0x0005
BRT_CELL_ST = 0x0006
BRT_CELL_ISST = 0x0007
BRT_SST_ITEM = 0x0013
BRT_XF = 0x002F
BRT_BEGIN_SHEET = 0x0081
BRT_END_SHEET = 0x0082
BRT_BEGIN_BOOK = 0x0083
BRT_END_BOOK = 0x0084
BRT_BEGIN_BUNDLE_SHS = 0x008F
BRT_END_BUNDLE_SHS = 0x0090
BRT_BEGIN_SHEET_DATA = 0x0091
BRT_END_SHEET_DATA = 0x0092
BRT_WS_DIM = 0x0094
BRT_BUNDLE_SH = 0x009C
BRT_BEGIN_SST = 0x009F
BRT_END_SST = 0x00A0
BRT_BEGIN_STYLE_SHEET = 0x0116
BRT_END_STYLE_SHEET = 0x0117
BRT_BEGIN_CELL_XFS = 0x0269
BRT_END_CELL_XFS = 0x026A

STYLE_GENERAL = 0
STYLE_DATETIME = 1  # BrtXF with iFmt 22, a built-in date-time format

_EPOCH = dt.datetime(1899, 12, 30)  # Excel's 1900 date system, past the 1900-02-29 bug

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _varint(value: int, max_bytes: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            break
    if len(out) > max_bytes:
        raise ValueError(f"{value} does not fit a {max_bytes}-byte BIFF12 varint")
    return bytes(out)


def record(rtype: int, payload: bytes = b"") -> bytes:
    """One BIFF12 record: type varint (1-2 bytes), size varint (1-4 bytes), payload."""
    return _varint(rtype, 2) + _varint(len(payload), 4) + payload


def wide_str(text: str) -> bytes:
    """XLWideString: u32 count of UTF-16 code units, then UTF-16LE."""
    data = text.encode("utf-16-le")
    return struct.pack("<I", len(data) // 2) + data


def _cell_head(col: int, style: int) -> bytes:
    # Cell (MS-XLSB 2.5.9): column u32, iStyleRef 24 bits, fPhShow + reserved 8 bits.
    return struct.pack("<II", col, style & 0xFFFFFF)


def _serial(value: dt.date) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return (value.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1)


class _Strings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.total = 0

    def add(self, text: str) -> int:
        self.total += 1
        return self.index.setdefault(text, len(self.index))

    def part(self) -> bytes:
        out = [record(BRT_BEGIN_SST, struct.pack("<II", self.total, len(self.index)))]
        # BrtSSTItem is a RichStr: flags byte (no rich runs, no phonetic), XLWideString.
        out += [record(BRT_SST_ITEM, b"\x00" + wide_str(s)) for s in self.index]
        out.append(record(BRT_END_SST))
        return b"".join(out)


def _cell(col: int, value: Cell, strings: _Strings | None) -> bytes:
    if isinstance(value, str):
        if strings is None:
            return record(BRT_CELL_ST, _cell_head(col, STYLE_GENERAL) + wide_str(value))
        isst = strings.add(value)
        return record(BRT_CELL_ISST, _cell_head(col, STYLE_GENERAL) + struct.pack("<I", isst))
    if isinstance(value, bool):
        return record(BRT_CELL_BOOL, _cell_head(col, STYLE_GENERAL) + bytes([int(value)]))
    if isinstance(value, dt.date):
        return record(
            BRT_CELL_REAL, _cell_head(col, STYLE_DATETIME) + struct.pack("<d", _serial(value))
        )
    if isinstance(value, int) and -(2**29) <= value < 2**29:
        # RkNumber: fX100 = 0, fInt = 1, the integer in the upper 30 bits.
        rk = ((value << 2) | 0b10) & 0xFFFFFFFF
        return record(BRT_CELL_RK, _cell_head(col, STYLE_GENERAL) + struct.pack("<I", rk))
    if isinstance(value, int | float):
        return record(
            BRT_CELL_REAL, _cell_head(col, STYLE_GENERAL) + struct.pack("<d", float(value))
        )
    raise TypeError(f"cannot write a {type(value).__name__} cell: {value!r}")


def _sheet_part(rows: Sequence[Sequence[Cell]], strings: _Strings | None) -> bytes:
    filled = [
        (r, [(c, v) for c, v in enumerate(row) if v is not None]) for r, row in enumerate(rows)
    ]
    filled = [(r, cells) for r, cells in filled if cells]
    if filled:
        first_row, last_row = filled[0][0], filled[-1][0]
        first_col = min(cells[0][0] for _, cells in filled)
        last_col = max(cells[-1][0] for _, cells in filled)
    else:
        first_row = last_row = first_col = last_col = 0
    out = [
        record(BRT_BEGIN_SHEET),
        # BrtWsDim: UncheckedRfX rwFirst, rwLast, colFirst, colLast (0-based, inclusive).
        record(BRT_WS_DIM, struct.pack("<IIII", first_row, last_row, first_col, last_col)),
        record(BRT_BEGIN_SHEET_DATA),
    ]
    for r, cells in filled:
        # BrtRowHdr: rw, ixfe, miyRw (height in twips: 15 pt), three flag bytes, then one
        # BrtColSpan (colMic, colLast) giving the used columns of the row.
        header = struct.pack("<IIH", r, 0, 300) + b"\x00\x00\x00"
        header += struct.pack("<III", 1, cells[0][0], cells[-1][0])
        out.append(record(BRT_ROW_HDR, header))
        out += [_cell(c, v, strings) for c, v in cells]
    out += [record(BRT_END_SHEET_DATA), record(BRT_END_SHEET)]
    return b"".join(out)


def _workbook_part(names: Sequence[str]) -> bytes:
    out = [record(BRT_BEGIN_BOOK), record(BRT_BEGIN_BUNDLE_SHS)]
    for i, name in enumerate(names, 1):
        # BrtBundleSh: hsState (0 visible), iTabID, strRelID, strName.
        payload = struct.pack("<II", 0, i) + wide_str(f"rId{i}") + wide_str(name)
        out.append(record(BRT_BUNDLE_SH, payload))
    out += [record(BRT_END_BUNDLE_SHS), record(BRT_END_BOOK)]
    return b"".join(out)


def _styles_part() -> bytes:
    def xf(num_fmt: int) -> bytes:
        # BrtXF: ixfeParent, iFmt, iFont, iFill, ixBorder, trot, indent, flags, grbitAtr, unused.
        return record(BRT_XF, struct.pack("<HHHHHBBHBB", 0xFFFF, num_fmt, 0, 0, 0, 0, 0, 0, 0, 0))

    return b"".join(
        [
            record(BRT_BEGIN_STYLE_SHEET),
            record(BRT_BEGIN_CELL_XFS, struct.pack("<I", 2)),
            xf(0),  # STYLE_GENERAL
            xf(22),  # STYLE_DATETIME
            record(BRT_END_CELL_XFS),
            record(BRT_END_STYLE_SHEET),
        ]
    )


def _xml_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _content_types(n_sheets: int, shared: bool) -> str:
    parts = [
        '<Override PartName="/xl/workbook.bin" '
        'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>',
        '<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>',
    ]
    parts += [
        f'<Override PartName="/xl/worksheets/sheet{i}.bin" '
        'ContentType="application/vnd.ms-excel.worksheet"/>'
        for i in range(1, n_sheets + 1)
    ]
    if shared:
        parts.append(
            '<Override PartName="/xl/sharedStrings.bin" '
            'ContentType="application/vnd.ms-excel.sharedStrings"/>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(parts) + "</Types>"
    )


def _relationships(rels: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{typ}" Target="{_xml_escape(target)}"/>'
        for rid, typ, target in rels
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'
    )


def xlsb_bytes(
    sheets: Mapping[str, Sequence[Sequence[Cell]]], *, shared_strings: bool = True
) -> bytes:
    """An .xlsb workbook with one sheet per item of ``sheets`` (name -> rows of cells), in order.

    Rows are lists of cells from column A; ``None`` is an empty cell and an all-``None`` row an
    empty row. Strings go to the shared string table (as Excel writes them) unless
    ``shared_strings`` is false, then inline (BrtCellSt).
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    names = list(sheets)
    strings = _Strings() if shared_strings else None
    sheet_parts = [_sheet_part(sheets[name], strings) for name in names]
    wb_rels = [
        (f"rId{i}", f"{_REL}/worksheet", f"worksheets/sheet{i}.bin")
        for i in range(1, len(names) + 1)
    ]
    wb_rels.append((f"rId{len(names) + 1}", f"{_REL}/styles", "styles.bin"))
    if strings is not None:
        wb_rels.append((f"rId{len(names) + 2}", f"{_REL}/sharedStrings", "sharedStrings.bin"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(names), strings is not None))
        zf.writestr(
            "_rels/.rels",
            _relationships([("rId1", f"{_REL}/officeDocument", "xl/workbook.bin")]),
        )
        zf.writestr("xl/workbook.bin", _workbook_part(names))
        zf.writestr("xl/_rels/workbook.bin.rels", _relationships(wb_rels))
        zf.writestr("xl/styles.bin", _styles_part())
        for i, part in enumerate(sheet_parts, 1):
            zf.writestr(f"xl/worksheets/sheet{i}.bin", part)
        if strings is not None:
            zf.writestr("xl/sharedStrings.bin", strings.part())
    return buffer.getvalue()


def write_xlsb(
    target: str | os.PathLike[str] | BinaryIO,
    sheets: Mapping[str, Sequence[Sequence[Cell]]],
    *,
    shared_strings: bool = True,
) -> None:
    """Write :func:`xlsb_bytes` to a path or a binary file object."""
    data = xlsb_bytes(sheets, shared_strings=shared_strings)
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as fh:
            fh.write(data)
    else:
        target.write(data)
