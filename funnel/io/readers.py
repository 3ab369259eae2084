"""Spreadsheet and CSV files (paths or uploaded bytes) to typed tables: the I/O edge of Voronka."""

from __future__ import annotations

import codecs
import dataclasses
import io
import os
import zipfile
from dataclasses import dataclass
from typing import Any, Literal
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from funnel import values
from funnel.errors import InputError, printable
from funnel.io import limits, tidy
from funnel.io import text as text_readers
from funnel.io.xlsx_peek import Peek, peek_sheets
from funnel.notices import Notice

MAX_BYTES = limits.MAX_BYTES
PEEK_ROWS = 40
SUPPORTED = "xlsx, xlsm, xlsb, xls, ods, csv, tsv, txt, Bitrix24 HTML .xls"

Source = str | os.PathLike[str] | bytes
Kind = Literal["xlsx", "xlsb", "ods", "xls", "html", "text"]


@dataclass(frozen=True)
class Table:
    """One sheet read as a table of records.

    ``frame`` has the column names as written in the source (only CR/LF at the ends trimmed,
    duplicates suffixed ".1", ".2"), typed by :func:`funnel.values.coerce_frame`, junk rows
    dropped, index 0..n-1. ``header_row`` is the 1-based sheet row of the header's first line
    (a two-row header spans it and the next row). ``encoding``/``delimiter`` are set for text
    files only.
    """

    frame: pd.DataFrame
    name: str
    sheet: str | None
    sheets: tuple[str, ...]
    header_row: int
    dropped_rows: int
    encoding: str | None = None
    delimiter: str | None = None
    notes: tuple[Notice, ...] = ()  # what reading did to the sheet (title rows skipped, ...)
    # one-cell separator rows dropped from ``frame`` («Январь 2025» over its month's rows)
    headings: tuple[tidy.Heading, ...] = ()

    def with_headings(self) -> Table:
        """The table with its one-cell heading rows back in place (every other cell of theirs
        missing) and no longer counted as dropped: for a table whose headings carry meaning,
        a spend table's months over their channels.

        >>> import pandas as pd
        >>> from funnel.io.tidy import Heading
        >>> frame = pd.DataFrame({"Канал": ["Авито", "VK"], "Сумма": [100.0, 50.0]})
        >>> table = Table(frame, "t.csv", None, (), 1, 1, headings=(Heading(0, "Канал", "Март"),))
        >>> kept = table.with_headings()
        >>> kept.frame["Канал"].tolist(), kept.dropped_rows, kept.notes
        (['Март', 'Авито', 'VK'], 0, ())
        """
        if not self.headings:
            return self
        frame = self.frame
        names = {str(c): c for c in frame.columns}
        heads = pd.DataFrame(
            [{names[h.column]: h.text} for h in self.headings], columns=frame.columns
        )
        # each row's place: a heading goes before the kept row at its position
        order = np.concatenate(
            [
                np.arange(len(frame)) * 2 + 1,
                np.array([h.position * 2 for h in self.headings], dtype=np.int64),
            ]
        )
        both = pd.concat([frame, heads], ignore_index=True)
        restored = both.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
        dropped = self.dropped_rows - len(self.headings)
        notes = tuple(
            Notice(n.code, {**n.params, "count": dropped}) if n.code == "junk_rows_dropped" else n
            for n in self.notes
            if n.code != "junk_rows_dropped" or dropped
        )
        return dataclasses.replace(
            self, frame=restored, dropped_rows=dropped, notes=notes, headings=()
        )


@dataclass(frozen=True)
class _Input:
    name: str
    path: str | None
    data: bytes | None
    size: int
    head: bytes

    def read_all(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        with open(self.path, "rb") as fh:
            return fh.read()

    def handle(self) -> str | io.BytesIO:
        return self.path if self.path is not None else io.BytesIO(self.read_all())

    def excel_source(self) -> str | bytes:
        return self.path if self.path is not None else self.read_all()


def _open(source: Source, name: str | None) -> _Input:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name or "upload"
        inp = _Input(label, None, data, len(data), data[:8192])
    else:
        path = os.fspath(source)
        label = name or os.path.basename(path)
        size = limits.regular_file(path, label).st_size
        try:
            with open(path, "rb") as fh:
                head = fh.read(8192)
        except OSError as exc:
            # The error's text would name the path on this machine; the name is enough.
            raise InputError(
                f"Cannot open the file: {exc.strerror or type(exc).__name__}.",
                code="not_found",
                file=label,
            ) from None
        inp = _Input(label, path, None, size, head)
    if inp.size > MAX_BYTES:
        raise InputError(
            f"The file is {inp.size / 2**20:.0f} MB; the limit is {MAX_BYTES / 2**20:.0f} MB.",
            code="too_large",
            file=inp.name,
            expected=f"at most {MAX_BYTES / 2**20:.0f} MB",
            params={"limit_bytes": MAX_BYTES, "size_bytes": inp.size},
        )
    if inp.size == 0:
        raise InputError("The file is empty.", code="empty_file", file=inp.name)
    return inp


def _unsupported(inp: _Input, what: str) -> InputError:
    return InputError(
        f"This is {what}, not a table of deals.",
        code="unsupported_format",
        file=inp.name,
        expected=SUPPORTED,
    )


_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"Rar!": "a RAR archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}


def _kind(inp: _Input) -> Kind:
    """The format by content (magic bytes) first, the extension second."""
    head = inp.head
    ext = os.path.splitext(inp.name)[1].lower()
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise _unsupported(inp, what)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        limits.check_zip(inp.handle(), inp.name)
        try:
            with zipfile.ZipFile(inp.handle()) as zf:
                names = set(zf.namelist())
                mimetype = zf.read("mimetype")[:80] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError, EOFError) as exc:
            raise InputError(
                "The file is a damaged zip archive (a broken xlsx/ods?).",
                code="corrupt_file",
                file=inp.name,
                expected=SUPPORTED,
            ) from exc
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
        if "word/document.xml" in names:
            raise _unsupported(inp, "a Word document")
        if "ppt/presentation.xml" in names:
            raise _unsupported(inp, "a PowerPoint presentation")
        raise _unsupported(inp, "a zip archive")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if limits.is_encrypted_package(head, inp.data, inp.path):
            raise limits.password_protected(inp.name)
        return "xls"
    lowered = head.lstrip(codecs.BOM_UTF8).lstrip()[:4096].lower()
    if lowered.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in lowered and b"<table" not in lowered:
            raise _unsupported(inp, "an Excel 2003 XML spreadsheet (re-save it as xlsx)")
        if any(tag in lowered for tag in (b"<html", b"<table", b"<meta", b"<!doctype html")):
            return "html"
    if ext in (".xlsx", ".xlsm", ".xlsb", ".ods"):
        raise InputError(
            f"The file is named {ext} but is not a valid {ext[1:]} workbook.",
            code="corrupt_file",
            file=inp.name,
            expected=SUPPORTED,
        )
    return "text"


def list_sheets(source: Source, *, name: str | None = None) -> list[str]:
    """Sheet names of a workbook; a text or HTML file has none (empty list)."""
    inp = _open(source, name)
    if _kind(inp) in ("text", "html"):
        return []
    return list(_excel_reader(inp).sheet_names)


def read_table(source: Source, *, name: str | None = None, sheet: str | None = None) -> Table:
    """Read one sheet of a workbook, an HTML-table .xls or a CSV/TSV file into a :class:`Table`.

    ``source`` is a path or the bytes of an upload (then ``name`` is the file name). Without
    ``sheet``, the sheet that looks most like a deal list is taken. Every problem with the file
    is an :class:`InputError` with a stable ``code``.
    """
    inp = _open(source, name)
    kind = _kind(inp)
    try:
        if kind == "text":
            return _read_text(inp)
        if kind == "html":
            return _read_html(inp)
        return _read_workbook(inp, kind, sheet)
    except InputError as exc:
        if exc.file is None:
            exc.file = inp.name
        raise
    except _NOT_THE_FILE:
        # A fault of ours must not be reported as the user's file being broken.
        raise
    except Exception as exc:  # a library failing on a malformed file
        raise library_error(exc, inp.name) from exc


def library_error(exc: BaseException, name: str) -> InputError:
    """A spreadsheet library's failure as one line of ours; its own (often multi-line) text
    is kept, cut and escaped, in ``params["detail"]`` for a log."""
    text = str(exc)
    lowered = text.lower()
    detail = printable(text.strip().splitlines()[0] if text.strip() else type(exc).__name__)
    if "password" in lowered or "encrypt" in lowered:
        return limits.password_protected(name)
    if "shared string" in lowered or "sharedstring" in lowered:
        what = "a cell refers to text the workbook does not hold"
    elif "xml" in lowered or "entity" in lowered:
        what = "a sheet's XML is malformed"
    elif "zip" in lowered or "deflate" in lowered or "crc" in lowered:
        what = "a part of the workbook package is damaged"
    else:
        what = "the file is damaged or not a spreadsheet"
    return InputError(
        f"The file cannot be read: {what}.",
        code="corrupt_file",
        file=name,
        expected=SUPPORTED,
        params={"detail": detail},
    )


# --- tables from grids -------------------------------------------------------------------------


def _finish(
    frame: pd.DataFrame,
    *,
    inp: _Input,
    sheet: str | None,
    sheets: tuple[str, ...],
    header: tidy.HeaderInfo,
    grid_rows: list[list[object]] | None,
    first_row: int,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Drop junk and empty unnamed columns, type the values, and note what was done."""
    frame = values.trim_text(frame)  # once, for the junk rows and the typing
    empty_unnamed = [
        c
        for c in frame.columns
        if str(c).startswith("Unnamed: ")
        and tidy.filled_matrix(frame[[c]], trimmed=True).sum() == 0
    ]
    frame = frame.drop(columns=empty_unnamed)
    limits.check_columns(frame.shape[1], inp.name)
    _check_cells(frame, inp.name, first_row + header.data_row + 1)
    cleaned = tidy.drop_junk_rows(frame, trimmed=True)
    frame, dropped = values.coerce_frame(cleaned.frame, trimmed=True), cleaned.dropped
    if not len(frame):
        raise InputError(
            "The table has a header but no data rows.",
            code="no_rows",
            file=inp.name,
            expected="at least one deal under the header",
        )
    notes = []
    if grid_rows is not None:
        above = sum(1 for r in grid_rows[: header.row] if any(not tidy.is_blank(v) for v in r))
        if above:
            notes.append(Notice("title_rows_skipped", {"count": above}))
    if header.rows == 2:
        notes.append(Notice("two_row_header"))
    if dropped:
        notes.append(Notice("junk_rows_dropped", {"count": dropped}))
    if empty_unnamed:
        notes.append(Notice("empty_columns_dropped", {"count": len(empty_unnamed)}))
    return Table(
        frame=frame,
        name=inp.name,
        sheet=sheet,
        sheets=sheets,
        header_row=first_row + header.row + 1,
        dropped_rows=dropped,
        encoding=encoding,
        delimiter=delimiter,
        notes=tuple(notes),
        headings=cleaned.headings,
    )


def _check_cells(frame: pd.DataFrame, name: str, first_sheet_row: int) -> None:
    """Refuse a table with a cell longer than Excel itself allows (:data:`limits.MAX_CELL_CHARS`);
    ``first_sheet_row`` is the 1-based row of the frame's first row, for the message."""
    for pos, column in enumerate(frame.columns):
        series = frame.iloc[:, pos]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        if _bytes_at_most(series, limits.MAX_CELL_CHARS):
            continue  # no cell has more bytes than the limit has characters
        lengths = series.str.len() if series.dtype != object else series.map(_text_len)
        lengths = lengths.fillna(0)
        longest = lengths.max() if len(lengths) else 0
        if longest > limits.MAX_CELL_CHARS:
            at = int(lengths.to_numpy().argmax())
            raise limits.cell_too_long(int(longest), first_sheet_row + at, str(column), name)


def _bytes_at_most(series: pd.Series, limit: int) -> bool:
    """Whether every cell of an Arrow-backed text column has at most ``limit`` UTF-8 bytes:
    a glance at its offsets, no character counted."""
    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"):
        return False
    import pyarrow as pa
    import pyarrow.compute as pc

    longest = pc.max(pc.binary_length(pa.array(series.array))).as_py()
    return longest is None or longest <= limit


def _text_len(value: object) -> int:
    return len(value) if isinstance(value, str) else 0


def _from_grid(grid: pd.DataFrame, header: tidy.HeaderInfo) -> pd.DataFrame:
    body = grid.iloc[header.data_row :]
    names = list(header.names) + [f"Unnamed: {c}" for c in range(len(header.names), body.shape[1])]
    body = body.set_axis(tidy.mangle_duplicates(names[: body.shape[1]]), axis=1)
    return body.reset_index(drop=True)


# --- text files and HTML tables, as grids from funnel.io.text -------------------------------


def _read_text(inp: _Input) -> Table:
    raw = text_readers.raw_text(inp.name, inp.read_all())
    if raw is None:
        raise _unsupported(inp, "a binary file")
    encoding = raw.encoding
    grid, delimiter = text_readers.text_grid(inp.name, raw)
    del raw  # the file's bytes, read from a path, are not needed once parsed
    peek = grid.iloc[:PEEK_ROWS]
    header = tidy.find_header(peek)
    frame = _from_grid(grid, header)
    return _finish(
        frame,
        inp=inp,
        sheet=None,
        sheets=(),
        header=header,
        grid_rows=peek.astype(object).to_numpy().tolist(),
        first_row=0,
        encoding=encoding,
        delimiter=delimiter,
    )


def _read_html(inp: _Input) -> Table:
    decoded = text_readers.decode_html(inp.name, inp.read_all())
    if decoded is None:
        raise _unsupported(inp, "a binary file")
    text, encoding = decoded
    grid, spans = text_readers.html_grid(inp.name, text)
    peek = grid.iloc[:PEEK_ROWS]
    header = tidy.find_header(peek, merged=spans or None)
    return _finish(
        _from_grid(grid, header),
        inp=inp,
        sheet=None,
        sheets=(),
        header=header,
        grid_rows=peek.astype(object).to_numpy().tolist(),
        first_row=0,
        encoding=encoding,
    )


# --- workbooks ---------------------------------------------------------------------------------


# Exceptions that mean a bug in this code or a broken install, never a malformed file.
_NOT_THE_FILE: tuple[type[BaseException], ...] = (
    MemoryError,
    ImportError,
    NameError,
    AttributeError,
    AssertionError,
    RecursionError,
)


def _excel_reader(inp: _Input) -> Any:
    import fastexcel

    try:
        return fastexcel.read_excel(inp.excel_source())
    except Exception as exc:
        raise library_error(exc, inp.name) from exc


def _read_workbook(inp: _Input, kind: Kind, sheet: str | None) -> Table:
    reader = _excel_reader(inp)
    sheets = tuple(reader.sheet_names)
    if not sheets:
        raise InputError("The workbook has no sheets.", code="empty_sheet", file=inp.name)
    if sheet is not None and sheet not in sheets:
        raise InputError(
            f"There is no sheet {sheet!r}; the sheets are: {', '.join(sheets)}.",
            code="sheet_not_found",
            file=inp.name,
            expected=", ".join(sheets),
            params={"sheets": list(sheets)},
        )
    peeks: dict[str, Peek] = {}
    if kind == "xlsx":
        try:
            peeks = peek_sheets(inp.handle(), sheets if sheet is None else (sheet,), PEEK_ROWS)
        except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError):
            peeks = {}  # an unusual package layout: fall back to the generic path
    chosen = sheet or _choose_sheet(reader, sheets, peeks)
    notes: list[Notice] = []
    if sheet is None and len(sheets) > 1 and chosen != sheets[0]:
        notes.append(Notice("sheet_chosen", {"sheet": chosen, "count": len(sheets)}))
    if chosen in peeks:
        table = _read_xlsx_sheet(inp, reader, chosen, sheets, peeks[chosen])
    else:
        table = _read_sheet_generic(inp, reader, chosen, sheets)
    if notes:
        table = Table(**{**table.__dict__, "notes": tuple(notes) + table.notes})
    return table


def _sheet_score(peek_grid: pd.DataFrame, total_rows: int) -> int:
    try:
        header = tidy.find_header(peek_grid)
    except InputError:
        return 0
    named = sum(1 for n in header.names if not n.startswith("Unnamed: "))
    return max(total_rows - header.data_row, 1) * named


def _choose_sheet(reader: Any, sheets: tuple[str, ...], peeks: dict[str, Peek]) -> str:
    if len(sheets) == 1:
        return sheets[0]
    scores = {}
    for name in sheets:
        if name in peeks:
            scores[name] = _sheet_score(peeks[name].grid, peeks[name].total_rows)
        else:
            grid = reader.load_sheet(name, header_row=None, skip_rows=0).to_pandas()
            scores[name] = _sheet_score(
                grid.iloc[:PEEK_ROWS].set_axis(range(grid.shape[1]), axis=1), len(grid)
            )
    best = max(scores.values())
    return next(name for name in sheets if scores[name] == best)


def _read_sheet_generic(inp: _Input, reader: Any, sheet: str, sheets: tuple[str, ...]) -> Table:
    """xls/xlsb/ods: one untyped load to find the header, one typed load of the data."""
    raw = reader.load_sheet(sheet, header_row=None, skip_rows=0).to_pandas()
    if raw.empty:
        raise InputError(f"Sheet {sheet!r} is empty.", code="empty_sheet", file=inp.name)
    limits.check_rows(raw.shape[0], inp.name)
    limits.check_columns(raw.shape[1], inp.name)
    grid = raw.set_axis(range(raw.shape[1]), axis=1)
    peek = grid.iloc[:PEEK_ROWS]
    header = tidy.find_header(peek)
    typed = reader.load_sheet(
        sheet,
        header_row=None,
        skip_rows=header.data_row,
        column_names=list(header.names),
        schema_sample_rows=None,
    ).to_pandas()
    typed = typed.set_axis(
        tidy.mangle_duplicates(
            list(header.names) + [f"Unnamed: {c}" for c in range(len(header.names), typed.shape[1])]
        )[: typed.shape[1]],
        axis=1,
    )
    return _finish(
        typed,
        inp=inp,
        sheet=sheet,
        sheets=sheets,
        header=header,
        grid_rows=peek.astype(object).to_numpy().tolist(),
        first_row=0,
    )


def _read_xlsx_sheet(inp: _Input, reader, sheet: str, sheets: tuple[str, ...], peek: Peek) -> Table:
    """xlsx: the header comes from the zip peek, so calamine parses the sheet only once."""
    if peek.grid.empty:
        raise InputError(f"Sheet {sheet!r} is empty.", code="empty_sheet", file=inp.name)
    # The sheet's declared size, checked before calamine parses all of it.
    limits.check_rows(peek.total_rows, inp.name)
    limits.check_columns(max(peek.total_columns, peek.grid.shape[1]), inp.name)
    header = tidy.find_header(peek.grid, merged=peek.merged)
    field_row = header.row + header.rows - 1
    loaded = reader.load_sheet(
        sheet, header_row=peek.first_row + field_row, schema_sample_rows=None
    ).to_pandas()
    # Calamine's columns start at the sheet's first used column; line them up with the peek
    # (which starts at column A) through the first named header cell.
    field_cells = [tidy.cell_text(v) for v in peek.grid.iloc[field_row].tolist()]
    offset = 0
    for pos, label in enumerate(loaded.columns):
        if not str(label).startswith("__UNNAMED__"):
            first_named = next(
                (
                    c
                    for c, t in enumerate(field_cells)
                    if t.strip() and t.strip() == str(label).strip()
                ),
                None,
            )
            if first_named is not None:
                offset = first_named - pos
            break
    names = [
        header.names[offset + i]
        if 0 <= offset + i < len(header.names)
        else f"Unnamed: {offset + i}"
        for i in range(loaded.shape[1])
    ]
    frame = loaded.set_axis(tidy.mangle_duplicates(names), axis=1)
    return _finish(
        frame,
        inp=inp,
        sheet=sheet,
        sheets=sheets,
        header=header,
        grid_rows=peek.grid.astype(object).to_numpy().tolist(),
        first_row=peek.first_row,
    )
