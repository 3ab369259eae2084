"""Text files and Bitrix24's HTML-table .xls: their bytes to a grid of cells, as strings."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import numpy as np
import pandas as pd

from funnel.errors import InputError
from funnel.io import limits, tidy

# --- text files --------------------------------------------------------------------------------

# Characters a Russian export is made of: ASCII, the Russian and Ukrainian alphabets, typography.
_PLAUSIBLE = re.compile(r"[\x20-\x7e\t\r\n\u0410-\u044fЁёІіЇїЄєҐґ№«»—–…‘’“”•·°±×€₽\u00a0]")
# How often each Russian letter occurs in text, in percent: a page read in the wrong code page
# permutes its letters, so its mean frequency drops (ЭТАП in cp1251 reads as щрюп in KOI8-R).
_LETTER_FREQUENCY = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (
            10.97,
            8.45,
            8.01,
            7.35,
            6.70,
            6.26,
            5.47,
            4.73,
            4.54,
            4.40,
            3.49,
            3.21,
            2.98,
            2.81,
            2.62,
            2.01,
            1.90,
            1.74,
            1.70,
            1.65,
            1.59,
            1.44,
            1.21,
            0.97,
            0.94,
            0.73,
            0.64,
            0.48,
            0.36,
            0.32,
            0.26,
            0.04,
            0.04,
        ),
        strict=True,
    )
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# How much more typical (mean letter frequency, in percent) another code page's reading must be
# to win over cp1251: a wrong reading of real Russian scores 1.5-2.5 lower.
_CLEARLY_MORE_TYPICAL = 0.5
SINGLE_BYTE = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")
_TRIED = "UTF-8, UTF-16, cp1251, KOI8-R, cp866, Mac Cyrillic"
_SAMPLE_BYTES = 256 * 1024


_CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class RawText:
    """A text file's bytes as the parsers take them, never decoded whole into one ``str``.

    ``data`` is in ``codec``, an ASCII-compatible encoding (UTF-8 with or without a BOM, or a
    single-byte Cyrillic code page), so LF, CR, quotes and delimiters are single bytes in it;
    ``encoding`` is the name reported to the user (what the file was written in).
    """

    data: bytes
    codec: str
    encoding: str


def decode_text(name: str, data: bytes) -> tuple[str, str] | None:
    """The text of a file and its encoding (see :func:`raw_text` for how it is found).

    None when the bytes are binary (NUL bytes, and no BOM or UTF-16 pattern).
    """
    raw = raw_text(name, data)
    if raw is None:
        return None
    return raw.data.decode(raw.codec), raw.encoding


def raw_text(name: str, data: bytes) -> RawText | None:
    """A text file's bytes and encoding: a BOM, UTF-16 without one, strict UTF-8, then the
    single-byte Cyrillic code page charset-normalizer and our letter-case check agree on.

    The whole file is checked to decode (in chunks, so no ``str`` of it is built); UTF-16, rare
    in exports, is transcoded to UTF-8. None when the bytes are binary (NUL bytes, and no BOM
    or UTF-16 pattern).
    """
    try:
        if data.startswith(codecs.BOM_UTF8):
            _check_decodes(data, "utf-8-sig")
            return RawText(data, "utf-8-sig", "utf-8-sig")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return RawText(data.decode("utf-16").encode("utf-8"), "utf-8", "utf-16")
        utf16 = _utf16_without_bom(data[:4096])
        if utf16 is not None:
            return RawText(data.decode(utf16).encode("utf-8"), "utf-8", utf16)
    except UnicodeDecodeError as exc:
        if data.startswith(codecs.BOM_UTF8):
            raise InputError(
                "The text starts as UTF-8 but does not decode further on.",
                code="encoding",
                file=name,
                expected=f"one of {_TRIED}",
            ) from exc
        raise InputError(
            "The text looks like UTF-16 but does not decode.",
            code="encoding",
            file=name,
            expected=f"one of {_TRIED}",
        ) from exc
    if 0 in data[:4096]:
        return None
    try:
        _check_decodes(data, "utf-8")
        return RawText(data, "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _single_byte(data[:_SAMPLE_BYTES])
    if encoding is None:
        raise InputError(
            "The text encoding is not recognised (every Cyrillic code page gives unreadable "
            "characters).",
            code="encoding",
            file=name,
            expected=f"one of {_TRIED}",
        )
    try:
        _check_decodes(data, encoding)
    except UnicodeDecodeError as exc:  # a byte further on that the sample did not have
        raise InputError(
            f"The text is {encoding.replace('_', '-')} at the start but not further on.",
            code="encoding",
            file=name,
            expected=f"one of {_TRIED}",
        ) from exc
    return RawText(data, encoding, encoding.replace("_", "-"))


def _check_decodes(data: bytes, codec: str) -> None:
    """Raise UnicodeDecodeError unless all of ``data`` decodes, a few MB at a time."""
    decoder = codecs.getincrementaldecoder(codec)()
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        decoder.decode(view[start : start + _CHUNK])
    decoder.decode(b"", final=True)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 by its high bytes: in Russian text nearly every one is 0x00 (ASCII: digits,
    delimiters) or 0x04 (Cyrillic), which no 8-bit text shows on every other byte."""
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    for encoding, high, low in (
        ("utf-16-le", sample[1 : 2 * pairs : 2], sample[0 : 2 * pairs : 2]),
        ("utf-16-be", sample[0 : 2 * pairs : 2], sample[1 : 2 * pairs : 2]),
    ):
        zeros = high.count(0)
        cyrillic = high.count(4)
        if (
            zeros + cyrillic >= 0.95 * pairs
            and zeros >= 0.1 * pairs
            and low.count(0) < 0.05 * pairs
        ):
            return encoding
    return None


def _single_byte(sample: bytes) -> str | None:
    """The Cyrillic code page of a sample, among those whose text is plausible: the one whose
    Russian letters are the most typical; charset-normalizer's pick breaks a tie."""
    from charset_normalizer import from_bytes

    guess = from_bytes(sample, cp_isolation=list(SINGLE_BYTE)).best()
    order = ([guess.encoding] if guess and guess.encoding in SINGLE_BYTE else []) + [
        e for e in SINGLE_BYTE if guess is None or e != guess.encoding
    ]
    scored: list[tuple[float, int, str]] = []
    for rank, encoding in enumerate(order):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:  # cp1251 leaves 0x98 undefined
            continue
        if not text or len(_PLAUSIBLE.findall(text)) < 0.97 * len(text):
            continue
        # Over the distinct runs of non-ASCII characters (a word, a «₽»), each counted once: a
        # «руб.» after every amount would otherwise outvote the headers and names. A character
        # read as a symbol or a foreign letter scores 0.
        runs = set(_NON_ASCII_RUN.findall(text.lower()))
        others = [c for run in runs for c in run]
        typical = sum(_LETTER_FREQUENCY.get(c, 0.0) for c in others) / max(len(others), 1)
        scored.append((round(typical, 1), -rank, encoding))
    if not scored:
        return None
    best = max(scored)
    # Windows' code page (what Excel and 1C write) unless another's letters are clearly more
    # typical: with one word of Cyrillic, Mac Cyrillic (the same letters, other signs) can
    # score a shade higher by reading «—» as «ч».
    windows = next((x for x in scored if x[2] == "cp1251"), None)
    if windows is not None and best[0] - windows[0] < _CLEARLY_MORE_TYPICAL:
        return "cp1251"
    return best[2]


_DELIMITERS = (",", ";", "\t", "|")


def _records(sample: str, delimiter: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
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


def normal_line_ends(text: str) -> str:
    """LF line ends for a text with CR-only, mixed, or bare CR (even inside a quoted field,
    where it becomes the cell's line break); a text of LF or CR LF alone is left as it is."""
    carriage_returns = text.count("\r")
    if not carriage_returns or carriage_returns == text.count("\r\n"):
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _normal_line_end_bytes(data: bytes) -> bytes:
    """:func:`normal_line_ends` on the bytes of an ASCII-compatible encoding (CR and LF are
    single bytes there, never part of another character); the bytes themselves when no CR
    needs changing, so the common file is not copied."""
    carriage_returns = data.count(b"\r")
    if not carriage_returns or carriage_returns == data.count(b"\r\n"):
        return data
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _head(raw: RawText, chars: int) -> str:
    """The text of the first ``chars`` characters or more (a few more when the file goes on):
    only a prefix of the bytes is decoded."""
    # No character takes more than 4 bytes (line ends were normalised on the bytes already).
    size = 4 * chars + 4
    if len(raw.data) <= size:
        return raw.data.decode(raw.codec)
    decoder = codecs.getincrementaldecoder(raw.codec)()
    return decoder.decode(raw.data[:size])  # a character cut at the end waits, unreturned


def _is_blank(raw: RawText) -> bool:
    """Whitespace alone (Unicode spaces too), found without decoding past the first text."""
    first = re.search(rb"[^ \t\n\r\x0b\x0c]", raw.data)
    if first is None:
        return True
    decoder = codecs.getincrementaldecoder(raw.codec)()
    view = memoryview(raw.data)
    for start in range(first.start() - first.start() % _CHUNK, len(raw.data), _CHUNK):
        if decoder.decode(view[start : start + _CHUNK]).strip():
            return False
    return not decoder.decode(b"", final=True).strip()


def text_grid(name: str, raw: RawText) -> tuple[pd.DataFrame, str]:
    """A delimited text as a grid of strings (short records padded), and its delimiter.

    A line, a row count or a width over :mod:`funnel.io.limits` is refused before the parser
    sees the whole text. The bytes go to the parser as they are (Arrow transcodes a code page
    as it reads); only a sample is decoded here, for the delimiter and the width.
    """
    if _is_blank(raw):
        raise InputError("The file has no text.", code="empty_file", file=name)
    raw = RawText(_normal_line_end_bytes(raw.data), raw.codec, raw.encoding)
    limits.check_lines(raw.data, name, raw.codec)
    sample = _text_sample(_head(raw, 65536))
    delimiter = _sniff_delimiter(sample)
    width = max((len(r) for r in _records(sample, delimiter)), default=1)
    if width > limits.MAX_COLUMNS:  # the sample may end inside the first line: count it all
        whole = _text_sample(_head(raw, 4 * limits.MAX_LINE_CHARS), 4 * limits.MAX_LINE_CHARS)
        limits.check_columns(max(len(r) for r in _records(whole + "\n", delimiter)), name)
    grid = _arrow_grid(raw, delimiter, width)
    if grid is None:
        try:
            # Bytes, not a StringIO: the C parser reads bytes natively and text 5x slower.
            grid = pd.read_csv(
                io.BytesIO(raw.data),
                sep=delimiter,
                header=None,
                names=list(range(width)),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
                encoding=raw.codec,
            )
        except pd.errors.ParserError:
            # A record further down is wider than any in the sample: pad with the csv module.
            rows = []
            text = raw.data.decode(raw.codec)
            for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                if len(record) > width:
                    limits.check_columns(len(record), name)
                    width = len(record)
                rows.append(record)
            del text
            grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
    limits.check_rows(len(grid), name)
    return grid, delimiter


def _arrow_grid(raw: RawText, delimiter: str, width: int) -> pd.DataFrame | None:
    """The fast path for rectangular files (most CRM exports): Arrow's multi-threaded parser.

    Any record of another width (a title line, a blank line, a footer) means the file needs the
    exact row numbering of the general path, so None is returned and that path reads it.
    The columns are Arrow large strings, the storage of pandas' ``str`` dtype, so the frame
    shares Arrow's buffers instead of copying them.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    odd: list[int] = []

    def other_width(row: object) -> str:
        odd.append(1)
        return "skip"

    names = [str(i) for i in range(width)]
    # Arrow reads UTF-8 natively and skips its BOM; a code page is transcoded block by block.
    encoding = "utf8" if raw.codec in ("utf-8", "utf-8-sig") else raw.codec
    try:
        table = pacsv.read_csv(
            pa.BufferReader(raw.data),
            read_options=pacsv.ReadOptions(column_names=names, encoding=encoding),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=other_width,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
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


class _OpenTable:
    """A <table> being parsed: its rows so far, the row and cell open in it, its colspans."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.rows: list[list[str]] = []
        self.spans: list[tuple[int, int, int, int]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.colspan = 1


class _TableParser(HTMLParser):
    """Rows of <td>/<th> text from every <table>; colspan becomes merged ranges.

    Tables are kept on a stack: a table nested in a cell collects its own rows, its text stays
    out of the enclosing cell, and the enclosing table's rows after it stay the enclosing
    table's.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.spans: list[list[tuple[int, int, int, int]]] = []
        self._open: list[_OpenTable] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
            self.spans.append([])
            self._open.append(_OpenTable(len(self.tables) - 1))
            return
        if not self._open:
            return
        table = self._open[-1]
        if tag == "tr":
            self._close_row(table)
            table.row = []
        elif tag in ("td", "th"):
            if table.row is None:
                table.row = []
            self._close_cell(table)
            table.cell = []
            span = dict(attrs).get("colspan") or "1"
            table.colspan = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        elif tag == "br" and table.cell is not None:
            table.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            return
        table = self._open[-1]
        if tag in ("td", "th"):
            self._close_cell(table)
        elif tag == "tr":
            self._close_row(table)
        elif tag == "table":
            self._close_row(table)
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1].cell is not None:
            self._open[-1].cell.append(data)

    def close(self) -> None:
        super().close()
        while self._open:  # an unclosed table still counts
            self._close_row(self._open.pop())

    def _close_cell(self, table: _OpenTable) -> None:
        if table.cell is None or table.row is None:
            return
        text = "\n".join(" ".join(line.split()) for line in "".join(table.cell).split("\n"))
        col = len(table.row)
        table.row.append(text.strip())
        rows = self.tables[table.index]
        if table.colspan > 1:
            self.spans[table.index].append((len(rows), col, len(rows), col + table.colspan - 1))
            table.row.extend([""] * (table.colspan - 1))
        table.cell, table.colspan = None, 1

    def _close_row(self, table: _OpenTable) -> None:
        self._close_cell(table)
        if table.row is not None:
            self.tables[table.index].append(table.row)
        table.row = None


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
    """The <table> of an HTML text with the most filled cells (nested tables apart) as a grid
    of strings, and its colspans as merges."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    if not parser.tables or not any(parser.tables):
        raise InputError("The HTML file has no table.", code="empty_sheet", file=name)
    # A layout table around the deals keeps none of their text (see _TableParser): the table
    # with the most filled cells is the innermost table of deals.
    best = max(
        range(len(parser.tables)),
        key=lambda i: (sum(1 for r in parser.tables[i] for c in r if c), len(parser.tables[i])),
    )
    rows = parser.tables[best]
    width = max(len(r) for r in rows)
    limits.check_columns(width, name)
    limits.check_rows(len(rows), name)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
    return grid, parser.spans[best]
