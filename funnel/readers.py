"""Spreadsheet and CSV files (paths or uploaded bytes) to typed tables: the I/O edge of Voronka."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Literal
from xml.etree import ElementTree as ET

import pandas as pd

from funnel import tidy, values
from funnel.errors import InputError

MAX_BYTES = 200 * 1024 * 1024
PEEK_ROWS = 40
# Sheets whose XML is below this are small enough to read merged ranges from (two-row headers).
MERGE_SCAN_BYTES = 5 * 1024 * 1024
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
    notes: tuple[str, ...] = ()


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
        try:
            size = os.path.getsize(path)
            with open(path, "rb") as fh:
                head = fh.read(8192)
        except OSError as exc:
            raise InputError(
                f"Cannot open the file: {exc.strerror or exc}.", code="not_found", file=label
            ) from exc
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
    except MemoryError:
        raise
    except Exception as exc:  # a library failing on a malformed file
        raise InputError(
            f"The file cannot be read: {type(exc).__name__}: {exc}".strip(),
            code="corrupt_file",
            file=inp.name,
        ) from exc


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
    empty_unnamed = [
        c
        for c in frame.columns
        if str(c).startswith("Unnamed: ") and tidy._filled_matrix(frame[[c]]).sum() == 0
    ]
    frame = frame.drop(columns=empty_unnamed)
    frame, dropped = tidy.drop_junk_rows(frame)
    frame = values.coerce_frame(frame)
    notes = []
    if grid_rows is not None:
        above = sum(1 for r in grid_rows[: header.row] if any(not tidy._is_blank(v) for v in r))
        if above:
            notes.append(f"{above} title row{'s' if above > 1 else ''} above the header skipped")
    if header.rows == 2:
        notes.append("two-row header: group and field names combined")
    if dropped:
        notes.append(
            f"{dropped} blank, separator or totals row{'s' if dropped > 1 else ''} dropped"
        )
    if empty_unnamed:
        notes.append(f"{len(empty_unnamed)} empty unnamed column(s) dropped")
    if not len(frame):
        notes.append("the table has a header but no data rows")
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
    )


def _from_grid(grid: pd.DataFrame, header: tidy.HeaderInfo) -> pd.DataFrame:
    body = grid.iloc[header.data_row :]
    names = list(header.names) + [f"Unnamed: {c}" for c in range(len(header.names), body.shape[1])]
    body = body.set_axis(tidy.mangle_duplicates(names[: body.shape[1]]), axis=1)
    return body.reset_index(drop=True)


# --- text files --------------------------------------------------------------------------------

_PLAUSIBLE = re.compile(r"[\x20-\x7e\t\r\n\u0400-\u04ff№«»—–…‘’“”•·°±×€₽\u00a0]")


def _decode(inp: _Input, data: bytes) -> tuple[str, str]:
    """The text of a file and its encoding: BOM, UTF-16, strict UTF-8, then cp1251."""
    tried = "UTF-8, UTF-16, cp1251"
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[3:].decode("utf-8"), "utf-8-sig"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16"), "utf-16"
        sample = data[:4096]
        if sample.count(0) > len(sample) // 4:
            even_nuls = sample[0::2].count(0)
            encoding = "utf-16-be" if even_nuls > sample[1::2].count(0) else "utf-16-le"
            return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise InputError(
            "The text has a byte-order mark but does not decode.",
            code="encoding",
            file=inp.name,
            expected=f"one of {tried}",
        ) from exc
    if 0 in data[:4096]:
        raise _unsupported(inp, "a binary file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise InputError(
            "The text encoding is not recognised.",
            code="encoding",
            file=inp.name,
            expected=f"one of {tried}",
        ) from exc
    sample_text = text[:20000]
    plausible = len(_PLAUSIBLE.findall(sample_text))
    if plausible < 0.97 * len(sample_text):
        raise InputError(
            "The text encoding is not recognised (cp1251 gives unreadable characters).",
            code="encoding",
            file=inp.name,
            expected=f"one of {tried}",
        )
    return text, "cp1251"


_DELIMITERS = (",", ";", "\t", "|")


def _records(sample: str, delimiter: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    return rows[:-1] if len(rows) > 1 else rows  # the last one may be cut off


def _sniff_delimiter(sample: str) -> str:
    """The delimiter giving the most consistent number (>1) of fields over the first records."""
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        rows = [r for r in _records(sample, delimiter) if any(c.strip() for c in r)]
        if not rows:
            continue
        widths = Counter(len(r) for r in rows)
        width, freq = widths.most_common(1)[0]
        if width < 2:
            continue
        score = (freq / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_sample(text: str, limit: int = 65536) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut + 1] if cut > 0 else text[:limit]


def _read_text(inp: _Input) -> Table:
    text, encoding = _decode(inp, inp.read_all())
    if not text.strip():
        raise InputError("The file has no text.", code="empty_file", file=inp.name)
    sample = _text_sample(text)
    delimiter = _sniff_delimiter(sample)
    width = max((len(r) for r in _records(sample, delimiter)), default=1)
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            names=list(range(width)),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError:
        # A record further down is wider than any in the sample: pad with the csv module.
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        width = max(len(r) for r in rows)
        grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
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


# --- Bitrix24 "Export to Excel": an HTML table saved as .xls -----------------------------------


class _TableParser(HTMLParser):
    """Rows of <td>/<th> text from every <table>; colspan becomes merged ranges."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.spans: list[list[tuple[int, int, int, int]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._colspan = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
            self.spans.append([])
        elif tag == "tr" and self.tables:
            self._close_row()
            self._row = []
        elif tag in ("td", "th") and self.tables:
            if self._row is None:
                self._row = []
            self._close_cell()
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._colspan = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._close_cell()
        elif tag in ("tr", "table"):
            self._close_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is None or self._row is None:
            return
        text = "\n".join(" ".join(line.split()) for line in "".join(self._cell).split("\n"))
        col = len(self._row)
        self._row.append(text.strip())
        if self._colspan > 1:
            self.spans[-1].append(
                (len(self.tables[-1]), col, len(self.tables[-1]), col + self._colspan - 1)
            )
            self._row.extend([""] * (self._colspan - 1))
        self._cell, self._colspan = None, 1

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None and self.tables:
            self.tables[-1].append(self._row)
        self._row = None


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _decode_html(inp: _Input, data: bytes) -> tuple[str, str]:
    declared = _CHARSET.search(data[:4096])
    if declared and not data.startswith(codecs.BOM_UTF8):
        encoding = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass
    return _decode(inp, data)


def _read_html(inp: _Input) -> Table:
    text, encoding = _decode_html(inp, inp.read_all())
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    if not parser.tables or not any(parser.tables):
        raise InputError("The HTML file has no table.", code="empty_sheet", file=inp.name)
    best = max(range(len(parser.tables)), key=lambda i: sum(map(len, parser.tables[i])))
    rows = parser.tables[best]
    width = max(len(r) for r in rows)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
    peek = grid.iloc[:PEEK_ROWS]
    header = tidy.find_header(peek, merged=parser.spans[best] or None)
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


def _excel_reader(inp: _Input) -> Any:
    import fastexcel

    try:
        return fastexcel.read_excel(inp.excel_source())
    except Exception as exc:
        raise InputError(
            f"The workbook cannot be opened: {str(exc).splitlines()[0]}",
            code="corrupt_file",
            file=inp.name,
            expected=SUPPORTED,
        ) from exc


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
    peeks: dict[str, _Peek] = {}
    if kind == "xlsx":
        try:
            peeks = _xlsx_peeks(inp, sheets if sheet is None else (sheet,))
        except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError):
            peeks = {}  # an unusual package layout: fall back to the generic path
    chosen = sheet or _choose_sheet(reader, sheets, peeks)
    notes: list[str] = []
    if sheet is None and len(sheets) > 1 and chosen != sheets[0]:
        notes.append(f"sheet {chosen!r} chosen as the largest table of {len(sheets)} sheets")
    if chosen in peeks:
        table = _read_xlsx_sheet(inp, reader, chosen, sheets, peeks[chosen])
    else:
        table = _read_sheet_generic(inp, reader, chosen, sheets)
    if notes:
        table = Table(**{**table.__dict__, "notes": tuple(notes) + table.notes})
    return table


@dataclass(frozen=True)
class _Peek:
    grid: pd.DataFrame  # the first rows from the first non-empty row, columns from column A
    first_row: int  # 0-based sheet row of grid row 0
    total_rows: int  # rows in the sheet as the dimension says (estimate)
    merged: tuple[tidy.MergedRange, ...] | None


def _sheet_score(peek_grid: pd.DataFrame, total_rows: int) -> int:
    try:
        header = tidy.find_header(peek_grid)
    except InputError:
        return 0
    named = sum(1 for n in header.names if not n.startswith("Unnamed: "))
    return max(total_rows - header.data_row, 1) * named


def _choose_sheet(reader: Any, sheets: tuple[str, ...], peeks: dict[str, _Peek]) -> str:
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


def _read_xlsx_sheet(
    inp: _Input, reader, sheet: str, sheets: tuple[str, ...], peek: _Peek
) -> Table:
    """xlsx: the header comes from the zip peek, so calamine parses the sheet only once."""
    if peek.grid.empty:
        raise InputError(f"Sheet {sheet!r} is empty.", code="empty_sheet", file=inp.name)
    header = tidy.find_header(peek.grid, merged=peek.merged)
    field_row = header.row + header.rows - 1
    loaded = reader.load_sheet(
        sheet, header_row=peek.first_row + field_row, schema_sample_rows=None
    ).to_pandas()
    # Calamine's columns start at the sheet's first used column; line them up with the peek
    # (which starts at column A) through the first named header cell.
    field_cells = [tidy._cell_text(v) for v in peek.grid.iloc[field_row].tolist()]
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


# --- peeking into xlsx packages without parsing whole sheets -----------------------------------


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


def _xlsx_peeks(inp: _Input, sheets: tuple[str, ...]) -> dict[str, _Peek]:
    out = {}
    with zipfile.ZipFile(inp.handle()) as zf:
        paths = _xlsx_sheet_paths(zf)
        for sheet in sheets:
            if sheet in paths:
                out[sheet] = _peek_sheet(zf, paths[sheet])
    return out


def _peek_sheet(zf: zipfile.ZipFile, path: str) -> _Peek:
    rows: dict[int, dict[int, tuple[str, str | None]]] = {}
    dimension: list[str] = []
    first: int | None = None
    for row_index, cells in _iter_rows(zf, path, dimension):
        if not any(v not in (None, "") for _, v in cells.values()):
            continue
        if first is None:
            first = row_index
        if row_index >= first + PEEK_ROWS:
            break
        rows[row_index] = cells
    m = re.search(r"(\d+)$", dimension[0]) if dimension else None
    total_rows = int(m.group(1)) if m else 0
    if first is None:
        return _Peek(pd.DataFrame(), 0, 0, None)
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
    return _Peek(grid, first, max(total_rows, last + 1), merged or None)


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
