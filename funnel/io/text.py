"""Text files and Bitrix24's HTML-table .xls: their bytes to a grid of cells, as strings."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from html.parser import HTMLParser

import numpy as np
import pandas as pd

from funnel.errors import InputError
from funnel.io import tidy

# --- text files --------------------------------------------------------------------------------

_PLAUSIBLE = re.compile(r"[\x20-\x7e\t\r\n\u0400-\u04ff№«»—–…‘’“”•·°±×€₽\u00a0]")


def decode_text(name: str, data: bytes) -> tuple[str, str] | None:
    """The text of a file and its encoding: BOM, UTF-16, strict UTF-8, then cp1251.

    None when the bytes are binary (NUL bytes, and no BOM or UTF-16 pattern).
    """
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
            file=name,
            expected=f"one of {tried}",
        ) from exc
    if 0 in data[:4096]:
        return None
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
            file=name,
            expected=f"one of {tried}",
        ) from exc
    sample_text = text[:20000]
    plausible = len(_PLAUSIBLE.findall(sample_text))
    if plausible < 0.97 * len(sample_text):
        raise InputError(
            "The text encoding is not recognised (cp1251 gives unreadable characters).",
            code="encoding",
            file=name,
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


def text_grid(name: str, text: str) -> tuple[pd.DataFrame, str]:
    """A delimited text as a grid of strings (short records padded), and its delimiter."""
    if not text.strip():
        raise InputError("The file has no text.", code="empty_file", file=name)
    sample = _text_sample(text)
    delimiter = _sniff_delimiter(sample)
    width = max((len(r) for r in _records(sample, delimiter)), default=1)
    data = text.encode("utf-8")
    grid = _arrow_grid(data, delimiter, width)
    if grid is None:
        try:
            # Bytes, not a StringIO: the C parser reads bytes natively and text 5x slower.
            grid = pd.read_csv(
                io.BytesIO(data),
                sep=delimiter,
                header=None,
                names=list(range(width)),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
                encoding="utf-8",
            )
        except pd.errors.ParserError:
            # A record further down is wider than any in the sample: pad with the csv module.
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
            width = max(len(r) for r in rows)
            grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
    return grid, delimiter


def _arrow_grid(data: bytes, delimiter: str, width: int) -> pd.DataFrame | None:
    """The fast path for rectangular files (most CRM exports): Arrow's multi-threaded parser.

    Any record of another width (a title line, a blank line, a footer) means the file needs the
    exact row numbering of the general path, so None is returned and that path reads it.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    odd: list[int] = []

    def other_width(row: object) -> str:
        odd.append(1)
        return "skip"

    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=other_width,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if odd:
        return None
    grid = table.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow", na_value=np.nan))
    grid.columns = list(range(width))
    return grid


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


def decode_html(name: str, data: bytes) -> tuple[str, str] | None:
    """As :func:`decode_text`, but the charset the HTML declares is tried first."""
    declared = _CHARSET.search(data[:4096])
    if declared and not data.startswith(codecs.BOM_UTF8):
        encoding = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(name, data)


def html_grid(name: str, text: str) -> tuple[pd.DataFrame, list[tidy.MergedRange]]:
    """The largest <table> of an HTML text as a grid of strings, and its colspans as merges."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    if not parser.tables or not any(parser.tables):
        raise InputError("The HTML file has no table.", code="empty_sheet", file=name)
    best = max(range(len(parser.tables)), key=lambda i: sum(map(len, parser.tables[i])))
    rows = parser.tables[best]
    width = max(len(r) for r in rows)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
    return grid, parser.spans[best]
