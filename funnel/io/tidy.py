"""Raw sheet grids to tables: where the header is, what columns are called, which rows are junk."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from funnel.errors import InputError

# (first_row, first_col, last_row, last_col), 0-based and inclusive, as openpyxl reports them.
MergedRange = tuple[int, int, int, int]


@dataclass(frozen=True)
class HeaderInfo:
    """Where the header of a grid is: ``row`` is the 0-based grid row of its first line,
    ``rows`` is 1 or 2 (a group row above the field names), ``names`` the column names."""

    row: int
    rows: int
    names: tuple[str, ...]

    @property
    def data_row(self) -> int:
        """The 0-based grid row where the data starts."""
        return self.row + self.rows


_DASHES = re.compile(r"^[-‐‑‒–—―−.\s]+$")
_NUMBERISH = re.compile(r"^[\s\u00a0\u202f]*[-+(]?[\d\s\u00a0\u202f.,:/%)-]+[^\w]*$")


def cell_text(value: object) -> str:
    """A header cell as text: CR/LF trimmed at the ends, inner text and spaces kept as written."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NaT:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip("\r\n")


def is_blank(value: object) -> bool:
    """A cell with nothing in it but whitespace (None, NaN and NaT included)."""
    return cell_text(value).strip() == ""


def _is_label(value: object) -> bool:
    """A cell that reads as a column label: text that is not a number, a date or a dash put
    for nothing («—» in an empty amount cell). "№" and "#" are labels."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and not _NUMBERISH.match(text) and not _DASHES.match(text)


def mangle_duplicates(names: Sequence[str]) -> list[str]:
    """Unique names the way pandas makes them: the second "utm_source" becomes "utm_source.1".

    >>> mangle_duplicates(["utm_source", "ID", "utm_source", "utm_source"])
    ['utm_source', 'ID', 'utm_source.1', 'utm_source.2']
    """
    seen: set[str] = set()
    counts: dict[str, int] = {}
    out = []
    for name in names:
        candidate = name
        while candidate in seen:
            counts[name] = counts.get(name, 0) + 1
            candidate = f"{name}.{counts[name]}"
        seen.add(candidate)
        out.append(candidate)
    return out


def _row_profile(row: list[object]) -> tuple[int, int, int]:
    """(non-empty cells, label cells, distinct label texts) of one grid row."""
    filled = [v for v in row if not is_blank(v)]
    labels = [str(v).strip() for v in filled if _is_label(v)]
    return len(filled), len(labels), len(set(labels))


def _looks_like_header(profile: tuple[int, int, int], min_cells: int) -> bool:
    filled, labels, distinct = profile
    return filled >= min_cells and labels >= 0.6 * filled and distinct >= 0.5 * labels


# A period written as a header cell: "2026-01", "01.2026", "31.01.2026", "2026-01-31".
_PERIOD_TEXT = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?|\d{1,2}[-./]\d{4}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# An amount as typed under a month: "30 000", "1 200,50", "(500)", "1 200 ₽", "(650 руб.)".
_AMOUNT_TEXT = re.compile(
    r"^[-+(]?[$€£₽]?\s*\d[\d\s\u00a0\u202f.,']*\)?\s*(?:₽|руб\.?|р\.?|\$|€|£|rub|usd|eur)?\)?$",
    re.IGNORECASE,
)


def _is_period_cell(value: object) -> bool:
    if isinstance(value, (datetime, date)):  # a date cell (pandas' Timestamp is a datetime)
        return True
    return isinstance(value, str) and _PERIOD_TEXT.match(value.strip()) is not None


# A day written out: what a deal list has under its date columns.
_DAY_TEXT = re.compile(r"^(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})(?:[ T].*)?$")


def _is_day_cell(value: object) -> bool:
    if isinstance(value, (datetime, date)):
        return True
    return isinstance(value, str) and _DAY_TEXT.match(value.strip()) is not None


def _is_amount_cell(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and _AMOUNT_TEXT.match(value.strip()) is not None


def _periods_across(rows: list[list[object]], r: int, min_cells: int) -> bool:
    """Whether row ``r`` is the header of a table with periods across the top: distinct dates
    or months ("2026-01", a month's first day typed as a date) beside a few labels ("Канал",
    "Итого"), over rows of amounts. A deal list's record with dates in it is not: under its
    dates stand dates, not amounts."""
    row = rows[r]
    filled = [c for c, v in enumerate(row) if not is_blank(v)]
    periods = [c for c in filled if _is_period_cell(row[c])]
    if len(filled) < min_cells or len(periods) < 2:
        return False
    if not all(_is_label(row[c]) for c in filled if c not in periods):
        return False
    if len({cell_text(row[c]).strip() for c in periods}) < len(periods):
        return False
    below = [rw for rw in rows[r + 1 : r + 6] if any(not is_blank(v) for v in rw)]
    under = [
        rw[c]
        for rw in below
        for c in periods
        if c < len(rw) and not is_blank(rw[c]) and not _DASHES.match(str(rw[c]))
    ]
    amounts = sum(1 for v in under if _is_amount_cell(v) and not _is_day_cell(v))
    return bool(under) and amounts >= 0.8 * len(under)


def _is_group_row(
    upper: list[object],
    lower: list[object],
    upper_row: int,
    merged: Sequence[MergedRange] | None,
) -> bool:
    """Whether ``upper`` holds group labels over the field names in ``lower``."""
    up_cells = [c for c, v in enumerate(upper) if not is_blank(v)]
    low_cells = [c for c, v in enumerate(lower) if not is_blank(v)]
    if not up_cells or not all(_is_label(upper[c]) for c in up_cells):
        return False
    if len(up_cells) >= len(low_cells):
        return False
    width = max(len(upper), len(lower))
    touching = [m for m in (merged or ()) if m[0] <= upper_row <= m[2]]
    # A merge across the whole width is a title; any other merge in the row is a group.
    if any(
        c0 <= up_cells[0] and c1 >= width - 1 and len(up_cells) == 1 for _, c0, _, c1 in touching
    ):
        return False
    if any(c1 > c0 or r1 > r0 for r0, c0, r1, c1 in touching):
        return True
    if len(up_cells) < 2:
        return False
    # A group label spans blank upper cells over filled field names, or sits over a blank
    # lower cell (a vertically merged single-level column such as "ID").
    spans = any(
        c + 1 < len(upper) and is_blank(upper[c + 1]) and c + 1 in set(low_cells) for c in up_cells
    )
    vertical = any(c not in set(low_cells) for c in up_cells)
    return spans or vertical


def _continued(
    rows: list[list[object]], r: int, merged: Sequence[MergedRange] | None
) -> list[object]:
    """Row ``r + 1`` with the cells a single-level column leaves blank under its name taken
    from row ``r`` (a «Клиент» merged down over two header rows), to judge it as a row of names.

    Only a row of two or more names over columns of values qualifies; with merges known, only
    the cells merged down from row ``r`` are taken.
    """
    upper, lower = rows[r], rows[r + 1]
    names = [v for v in lower if not is_blank(v)]
    if len(names) < 2 or not all(_is_label(v) for v in names):
        return lower
    if not _labels_over_values(lower, rows[r + 2 : r + 7]):
        return lower
    down = None
    if merged is not None:
        down = {c for r0, c0, r1, c1 in merged if r0 <= r < r1 for c in range(c0, c1 + 1)}
    return [
        up if is_blank(lo) and not is_blank(up) and (down is None or c in down) else lo
        for c, (up, lo) in enumerate(zip(upper, lower, strict=False))
    ] + list(lower[len(upper) :])


def _labels_over_values(row: list[object], below: list[list[object]]) -> bool:
    """Whether ``row`` has labels over columns that hold numbers or dates further down, which
    tells field names from a first data row when both are text."""
    for c, value in enumerate(row):
        column = [r[c] for r in below if c < len(r) and not is_blank(r[c])]
        if _is_label(value) and column and not any(_is_label(v) for v in column):
            return True
    return False


def _names(
    upper: list[object] | None,
    lower: list[object],
    upper_row: int,
    merged: Sequence[MergedRange] | None,
) -> tuple[str, ...]:
    low = [cell_text(v) for v in lower]
    if upper is None:
        names = [t if t.strip() else f"Unnamed: {c}" for c, t in enumerate(low)]
        return tuple(mangle_duplicates(names))
    width = max(len(upper), len(lower))
    up = [cell_text(v) for v in upper] + [""] * (width - len(upper))
    low += [""] * (width - len(low))
    groups = list(up)
    if merged is not None:
        for r0, c0, r1, c1 in merged:
            if r0 <= upper_row <= r1 and c0 < width:
                for c in range(c0 + 1, min(c1, width - 1) + 1):
                    groups[c] = up[c0]
    else:
        # A blank group cell continues the group to its left, only over a named field.
        for c in range(1, width):
            if not groups[c].strip() and low[c].strip():
                groups[c] = groups[c - 1]
    counts: dict[str, int] = {}
    for t in low:
        if t.strip():
            counts[t] = counts.get(t, 0) + 1
    names = []
    for c in range(width):
        group, field = groups[c].strip("\r\n"), low[c]
        if field.strip() and (counts[field] == 1 or not group.strip()):
            names.append(field)
        elif field.strip():
            names.append(f"{group.strip()} / {field}")
        elif group.strip():
            names.append(group)
        else:
            names.append(f"Unnamed: {c}")
    return tuple(mangle_duplicates(names))


def find_header(
    grid: pd.DataFrame,
    max_scan: int = 30,
    merged: Sequence[MergedRange] | None = None,
) -> HeaderInfo:
    """Find the header in the first rows of a raw grid (integer column labels, values as read).

    The header is the first row with many non-empty, mostly distinct text cells; title rows
    (one or two cells, "Отчёт по сделкам за 2025") and blank rows above it are skipped. A sparse
    row of group labels right above it ("Сделка" over three columns, "Контакт" over two) makes a
    two-row header: a column is then named by its field name where that is unique, else
    "group / field"; a column with only a group cell takes the group text. ``merged`` ranges,
    when known, say which cells a group spans; without them a blank group cell continues the
    group to its left over a named field. Empty names become "Unnamed: N" and duplicates get
    ".1", ".2" suffixes as in pandas. Names are kept as written (a trailing space stays), only
    CR/LF at the ends are dropped.

    >>> grid = pd.DataFrame([["Отчёт по сделкам", None, None], [None, None, None],
    ...                      ["Сделка", None, "Контакт"], ["Название", "Бюджет ", "Имя"],
    ...                      ["Окна", 100, "Анна"]])
    >>> find_header(grid)
    HeaderInfo(row=2, rows=2, names=('Название', 'Бюджет ', 'Имя'))
    """
    rows = grid.iloc[:max_scan].astype(object).to_numpy().tolist()
    if not rows:
        raise InputError("The sheet has no rows.", code="empty_sheet")
    profiles = [_row_profile(r) for r in rows]
    widest = max(p[0] for p in profiles)
    if widest == 0:
        raise InputError("The sheet is empty.", code="empty_sheet")
    min_cells = max(min(2, widest), math.ceil(0.5 * widest))
    for r, profile in enumerate(profiles):
        if not _looks_like_header(profile, min_cells):
            if _periods_across(rows, r, min_cells):
                return HeaderInfo(r, 1, _names(None, rows[r], r, merged))
            continue
        below = r + 1 < len(rows) and profiles[r + 1][0] > 0
        if (
            below
            and _looks_like_header(_row_profile(_continued(rows, r, merged)), min_cells)
            and _is_group_row(rows[r], _continued(rows, r, merged), r, merged)
            and (
                any(m[0] <= r <= m[2] for m in merged or ())
                or profiles[r][0] <= 0.6 * profiles[r + 1][0]
                or _labels_over_values(rows[r + 1], rows[r + 2 : r + 7])
            )
        ):
            return HeaderInfo(r, 2, _names(rows[r], rows[r + 1], r, merged))
        if r > 0 and profiles[r - 1][0] > 0 and _is_group_row(rows[r - 1], rows[r], r - 1, merged):
            return HeaderInfo(r - 1, 2, _names(rows[r - 1], rows[r], r - 1, merged))
        return HeaderInfo(r, 1, _names(None, rows[r], r, merged))
    raise InputError(
        f"No header row found in the first {len(rows)} rows.",
        code="no_header",
        expected="a row of column names above the data",
    )


_TOTALS = re.compile(
    r"^(?:итого|итог|всего|total|totals|grand totals?|subtotal|sub-total|промежуточный итог)"
    r"\s*:?\s*(?:\(\s*\d+\s*(?:records?|записей|записи|запись|строк)?\s*\))?\s*:?$"
)
_TOTALS_PREFIX = re.compile(r"^(?:итого|всего|grand totals?|totals?|subtotal)\s*[:(]")
_FOOTER = re.compile(
    r"^(?:confidential information|copyright\s*(?:©|\(c\))|generated by|сформирован|"
    r"выгружено|отчет сформирован|report generated)"
)
_MONTHS = (
    r"январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_SEPARATOR = re.compile(
    rf"^[-=*#_~.\s]*(?:(?:{_MONTHS})\w*\.?(?:\s+\d{{4}}(?:\s*(?:г|года?)\.?)?)?|"
    r"q[1-4](?:\s+\d{4})?|[1-4]\s*(?:-?й\s*)?кв(?:артал)?\.?(?:\s+\d{4}(?:\s*г\.?)?)?|"
    r"\d{4}(?:\s*(?:г|год)\.?)?|(?:неделя|week)\s*\d+|"
    # «Месяц 01.2024», "Month: 2024-01", «Квартал 1», "Week 3 (2024)"
    r"(?:месяц|month|квартал|quarter|неделя|week|период|period)\s*[:\-–—]?\s*"
    r"[\d./\-–—()\s]+(?:г\.?|года?)?)[-=*#_~.\s]*$"
)
_JUNK_START = (
    r"(?:итог|всего|total|grand|subtotal|sub-total|промежуточ|confidential|copyright|generated|"
    r"сформирован|выгружено|отчет|report)"
)
_DECORATED = re.compile(r"^\s*(?:-{2,}|={2,}|\*{2,}|#{2,}).*")


def filled_matrix(frame: pd.DataFrame, *, trimmed: bool = False) -> np.ndarray:
    """(rows x columns) booleans: the cell holds something other than blanks.

    ``trimmed``: the str columns' values are trimmed (``values.trim_text``), so a str cell is
    filled when it is neither missing nor empty.
    """
    cols = []
    for _, col in frame.items():
        if trimmed and isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
            arr = pa.array(col.array, from_pandas=True)
            longer = pc.fill_null(pc.greater(pc.binary_length(arr), 0), False)
            filled = np.asarray(longer.to_numpy(zero_copy_only=False), dtype=bool)
        elif pd.api.types.is_string_dtype(col.dtype) or col.dtype == object:
            # Arrow kernels, no string copies: this runs over every cell of a million rows.
            arr = pa.array(col.astype("str") if col.dtype == object else col, from_pandas=True)
            blank = pc.or_kleene(pc.equal(pc.binary_length(arr), 0), pc.utf8_is_space(arr))
            filled = ~np.asarray(pc.fill_null(blank, True).to_numpy(zero_copy_only=False), bool)
        else:
            filled = col.notna().to_numpy(dtype=bool)
        cols.append(filled)
    if not cols:
        return np.zeros((len(frame), 0), dtype=bool)
    return np.column_stack(cols)


@dataclass(frozen=True)
class Heading:
    """A one-cell separator row dropped from a table («Январь 2025» over its month's rows):
    ``text`` stood in column ``column`` just above the kept row at ``position`` (``position``
    equal to the table's length: below its last row)."""

    position: int
    column: str
    text: str


@dataclass(frozen=True)
class Cleaned:
    """A frame with its junk rows dropped (index reset), how many went, and which of them were
    one-cell headings: a deal list has no use for them, a spend table's months may be them."""

    frame: pd.DataFrame
    dropped: int
    headings: tuple[Heading, ...] = ()


def drop_junk_rows(frame: pd.DataFrame, *, trimmed: bool = False) -> Cleaned:
    """Drop rows that are not records; the frame (index reset), how many went, the headings.

    Dropped: blank or whitespace-only rows; one-cell separator rows ("Январь 2025", "Q1 2025",
    "--- Февраль ---"); totals rows whose first filled cell is just the totals word ("ИТОГО",
    "Итого:", "Grand Totals (12 records)"), or starts with it followed by ":"/"(" in a row at
    most half filled; footers of at most two cells ("Confidential Information - Do Not
    Distribute", "Copyright © 2000-2025 salesforce.com…", "Generated by…"). A deal titled
    «Итоговая поставка» is kept.

    >>> df = pd.DataFrame({"Сделка": ["Окна", "Март", "Итоговая поставка", "ИТОГО", None],
    ...                    "Сумма": [1.0, None, 2.0, 3.0, None]})
    >>> cleaned = drop_junk_rows(df)
    >>> cleaned.frame["Сделка"].tolist(), cleaned.dropped, cleaned.headings
    (['Окна', 'Итоговая поставка'], 3, (Heading(position=1, column='Сделка', text='Март'),))

    ``trimmed``: as for :func:`filled_matrix`.
    """
    if frame.empty:
        return Cleaned(frame.reset_index(drop=True), 0)
    filled = filled_matrix(frame, trimmed=trimmed)
    count = filled.sum(axis=1)
    ncols = filled.shape[1]
    drop = count == 0
    heading = np.zeros(len(frame), dtype=bool)
    candidate = (count > 0) & (count <= max(3, ncols // 2 + 1))
    # most exports have no row this short: nothing to look at
    columns = list(frame.items()) if candidate.any() else []
    first_col = np.argmax(filled, axis=1) if columns else np.zeros(len(frame), dtype=np.intp)
    for j, (_, col) in enumerate(columns):
        rows = np.flatnonzero(candidate & (first_col == j))
        if len(rows) == 0 or not (pd.api.types.is_string_dtype(col.dtype) or col.dtype == object):
            continue
        # Vectorised pre-filter so only a handful of rows reach the Python checks below.
        text = col.iloc[rows].astype("str").str.strip().str.lower()
        maybe = text.str.match(_JUNK_START).fillna(False).to_numpy(bool) | (count[rows] == 1)
        for row in rows[maybe]:
            value = col.iloc[row]
            if not isinstance(value, str):
                continue
            line = " ".join(value.split()).casefold()
            cells = count[row]
            if (
                _TOTALS.match(line)
                or (cells * 2 <= ncols and _TOTALS_PREFIX.match(line))
                or (cells <= 2 and _FOOTER.match(line))
            ):
                drop[row] = True
            elif cells == 1 and (_SEPARATOR.match(line) or _DECORATED.match(line)):
                drop[row] = heading[row] = True
    if not drop.any():  # the usual export: no copy of every column
        return Cleaned(frame.reset_index(drop=True), 0)
    kept = frame.loc[~drop].reset_index(drop=True)
    # a heading's place: the number of rows kept above it
    above = np.cumsum(~drop) - (~drop)
    names = [str(c) for c in frame.columns]
    headings = tuple(
        Heading(int(above[row]), names[col], str(frame.iat[int(row), col]).strip())
        for row, col in ((r, int(first_col[r])) for r in np.flatnonzero(heading))
    )
    return Cleaned(kept, int(drop.sum()), headings)
