"""Cell values as people type them: labels, numbers with spaces and currency, many date forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NONE_LABEL = "(none)"
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")


def norm_label(value: object) -> str:
    """The comparison key of a label: trimmed, spaces and NBSP collapsed, case-folded, ё -> е.

    >>> norm_label("  Успешно\u00a0 реализовано ")
    'успешно реализовано'
    >>> norm_label("Ёлка") == norm_label("елка")
    True
    """
    if value is None:
        return ""
    text = _SPACES.sub(" ", str(value)).strip().casefold()
    return text.replace("ё", "е")


# Cell texts that mean "no value" in exports: amoCRM writes «не закрыта» for an open deal's
# close date; hand-made sheets use dashes and "нет".
PLACEHOLDERS = frozenset(
    {"-", "--", "—", "–", "нет", "n/a", "na", "none", "null", "nan", "nat", "не закрыта",
     "не закрыт", "не указано", "не указана", "#n/a", "—/—"}
)  # fmt: skip

# RE2 (Arrow's regex engine) syntax, on lower-cased text. Currency marks and group separators
# (spaces, NBSP, narrow NBSP, figure space, apostrophe) are removed wherever they stand: what is
# left must still be a bare number, so "A1" or "пр. 5а" stay text.
_CURRENCY = r"руб(?:лей|ля|ль)?\.?|р\.|р$|₽|rub|rur|usd|eur|kzt|uah|грн\.?|тг\.?|€|\$|£|¥|₸|₴"
_NOISE = "[\\s   ']+|" + _CURRENCY

_NUMBER_SHAPE = r"[+-]?[\d.,]*\d[\d.,]*|[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+"
_TH_COMMA = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,200,000.50 (US)
_TH_DOT = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 1.200.000,50 (German style)
_AMBIGUOUS = r"[+-]?\d{1,3}[.,]\d{3}"  # "1,200" / "1.200": grouping or decimals?


def _as_text(s: pd.Series) -> pd.Series:
    """Strings of a series, missing stays missing; str dtype so .str runs on Arrow kernels."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        return s
    return s.astype("str")


def _arrow(values: object) -> pa.Array:
    """An Arrow string array of the values (zero-copy for the pandas str dtype)."""
    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.large_string())
    return arr


def _flags(hit: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


def _mask(arr: pa.Array, pattern: str) -> np.ndarray:
    """Which strings match the whole pattern (RE2 syntax); missing -> False."""
    return _flags(pc.match_substring_regex(arr, "^(?:" + pattern + ")$"))


def _subset(t: pa.Array, mask: np.ndarray) -> pa.Array:
    return t.filter(pa.array(mask))


def _numbers_of_text(values: object) -> np.ndarray:
    """Parse distinct strings to float64 (NaN where not a number).

    The decimal-mark decision is taken over all the values together, so pass a whole column's
    distinct values at once. Arrow kernels do the work and regexes run on few passes: this
    runs on a million values.
    """
    t = pc.utf8_lower(pc.utf8_trim_whitespace(_arrow(values)))
    t = pc.replace_substring_regex(t, _NOISE, "")
    t = pc.replace_substring(t, "−", "-")
    parens = _flags(pc.starts_with(t, "("))
    if parens.any():  # accounting negatives: "(5)" -> "-5"
        t = pc.if_else(pa.array(parens), pc.replace_substring_regex(t, r"^\((.*)\)$", r"-\1"), t)

    shaped = _mask(t, _NUMBER_SHAPE)
    commas = np.asarray(pc.count_substring(t, ",").to_numpy(zero_copy_only=False))
    dots = np.asarray(pc.count_substring(t, ".").to_numpy(zero_copy_only=False))
    commas = np.where(shaped, np.nan_to_num(commas.astype(float)), 0)
    dots = np.where(shaped, np.nan_to_num(dots.astype(float)), 0)
    one_mark = shaped & (commas + dots == 1)
    ambiguous = np.zeros(len(t), dtype=bool)
    if one_mark.any():
        ambiguous[one_mark] = _mask(_subset(t, one_mark), _AMBIGUOUS)
    several = shaped & (commas + dots > 1)
    th_comma = np.zeros(len(t), dtype=bool)
    th_dot = np.zeros(len(t), dtype=bool)
    if several.any():
        part = _subset(t, several)
        th_comma[several] = _mask(part, _TH_COMMA)
        th_dot[several] = _mask(part, _TH_DOT)
    dec_comma = one_mark & (commas == 1)
    dec_dot = one_mark & (dots == 1)

    # Evidence for the decimal mark, from values that can be read only one way.
    comma_decimal = bool((dec_comma & ~ambiguous).any() or th_dot.any())
    dot_decimal = bool((dec_dot & ~ambiguous).any() or th_comma.any())
    # Ambiguous "1,200": thousands unless the column shows commas as decimal marks.
    comma_is_thousands = not comma_decimal or dot_decimal
    # Ambiguous "1.200": decimal unless the column shows dots as thousands separators.
    dot_is_thousands = comma_decimal and not dot_decimal

    drop_commas = th_comma | (dec_comma & ambiguous & comma_is_thousands)
    comma_to_dot = dec_comma & ~drop_commas
    drop_dots = th_dot | (dec_dot & ambiguous & dot_is_thousands)
    as_is = shaped & (commas == 0) & ~drop_dots & (dots <= 1)

    nulls = pa.nulls(len(t), t.type)
    norm = pc.if_else(pa.array(as_is), t, nulls)
    if drop_commas.any():
        norm = pc.if_else(pa.array(drop_commas), pc.replace_substring(t, ",", ""), norm)
    if comma_to_dot.any():
        norm = pc.if_else(pa.array(comma_to_dot), pc.replace_substring(t, ",", "."), norm)
    if drop_dots.any():
        no_dots = pc.replace_substring(pc.replace_substring(t, ".", ""), ",", ".")
        norm = pc.if_else(pa.array(drop_dots), no_dots, norm)
    # Every non-null left is a valid float literal by construction.
    floats = pc.cast(norm, pa.float64())
    return np.asarray(floats.to_numpy(zero_copy_only=False), dtype="float64")


def _spread(values: np.ndarray, codes: np.ndarray, missing: object) -> np.ndarray:
    """Per-row values from per-distinct-value results (codes from pd.factorize)."""
    if len(values) == 0:
        return np.full(len(codes), missing, dtype=values.dtype)
    out = values[np.maximum(codes, 0)]
    out[codes < 0] = missing
    return out


def parse_numbers(s: pd.Series) -> pd.Series:
    """Numbers as typed in Russian and US sheets -> float64; NaN where a value is not a number.

    Spaces, NBSP and narrow NBSP are group separators; "руб.", "р.", "₽", "RUB", "$", "€" and
    the like may stand before or after the number; "(5)" is -5. Comma versus dot is decided per
    column: a value that can be read only one way ("125000,00", "1,200.50", "1.200,50") sets the
    decimal mark for the whole column. With no such evidence "1,200" is one thousand two hundred
    (US grouping) and "1.200" is 1.2.

    >>> parse_numbers(pd.Series(["1 200 000,50 руб.", "$1,200.50", "(5)", "A1", None])).tolist()
    [1200000.5, 1200.5, -5.0, nan, nan]
    >>> parse_numbers(pd.Series(["1,200", "0,5"])).tolist()
    [1.2, 0.5]
    """
    if pd.api.types.is_bool_dtype(s.dtype):
        return pd.Series(np.nan, index=s.index, dtype="float64", name=s.name)
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.astype("float64")
    codes, uniques = pd.factorize(_as_text(s))
    out = _spread(_numbers_of_text(uniques), codes, np.nan)
    return pd.Series(out, index=s.index, dtype="float64", name=s.name)


# Excel's day zero (the 1900 leap-year bug folded in) and the serial range taken as dates:
# 20000 is 1954-10-03, 80000 is 2119-01-10.
_EXCEL_ORIGIN = np.datetime64("1899-12-30", "ms")
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000

# (shape of the text, the group of the day number, formats tried in order)
_DOTTED_FORMATS = (
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y", "%d.%m.%y %H:%M",
    "%d.%m.%y %H:%M:%S", "%d.%m.%Y, %H:%M", "%d.%m.%Y, %H:%M:%S",
)  # fmt: skip
_US_FORMATS = (
    "%m/%d/%Y %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%m/%d/%y", "%m/%d/%y %I:%M %p",
)  # fmt: skip
_DAYFIRST_SLASH_FORMATS = tuple(f.replace("%m/%d", "%d/%m") for f in _US_FORMATS)
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_NAT = np.datetime64("NaT", "ns")


def _try_formats(t: pa.Array, formats: tuple[str, ...], day_pattern: str) -> np.ndarray:
    """Per value, the first format that parses it; NaT where none does.

    Arrow's strptime rolls 31.02 over to 03.03 and reads "25" with %Y as year 25, so a result
    counts only when its day equals the day written and a four-digit year is at least 1000.
    """
    out = np.full(len(t), _NAT)
    day_text = pc.struct_field(pc.extract_regex(t, day_pattern), [0])
    day = np.asarray(pc.cast(day_text, pa.int64()).to_numpy(zero_copy_only=False), dtype=float)
    todo = np.ones(len(t), dtype=bool)
    for fmt in formats:
        idx = np.flatnonzero(todo)
        if len(idx) == 0:
            break
        part = t.take(pa.array(idx))
        parsed = pc.strptime(part, format=fmt, unit="s", error_is_null=True)
        ok = _flags(pc.is_valid(parsed))
        if not ok.any():
            continue
        days = pc.day(parsed).to_numpy(zero_copy_only=False)
        ok &= np.asarray(days, dtype=float) == day[idx]
        if "%Y" in fmt:
            years = pc.year(parsed).to_numpy(zero_copy_only=False)
            ok &= np.asarray(years, dtype=float) >= 1000
        stamps = parsed.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
        out[idx[ok]] = stamps[ok]
        todo[idx[ok]] = False
    return out


def _dates_of_text(values: object) -> np.ndarray:
    """Parse distinct date strings to datetime64[ns]; NaT where not a date."""
    t = pc.utf8_trim_whitespace(_arrow(values))
    t = pc.replace_substring_regex(t, "[\u00a0\u202f]", " ")
    out = np.full(len(t), _NAT)
    dotted = _mask(t, r"\d{1,2}\.\d{1,2}\.\d{2,4}.*")
    if dotted.any():
        out[dotted] = _try_formats(_subset(t, dotted), _DOTTED_FORMATS, r"^(?P<day>\d+)")
    slashed = _mask(t, r"\d{1,2}/\d{1,2}/\d{2,4}.*")
    if slashed.any():
        part = _subset(t, slashed)
        us = _try_formats(part, _US_FORMATS, r"^\d+/(?P<day>\d+)")
        eu = _try_formats(part, _DAYFIRST_SLASH_FORMATS, r"^(?P<day>\d+)")
        # Month first (US) unless day first reads more of the column ("25/12/2025").
        out[slashed] = eu if (~np.isnat(eu)).sum() > (~np.isnat(us)).sum() else us
    iso = _mask(t, r"\d{4}-\d{1,2}-\d{1,2}.*")
    if iso.any():
        # Keep the wall time as written and drop the offset: a deal created at 10:00 in Moscow
        # stays at 10:00, which is what the person saw in their CRM.
        wall = pc.replace_substring_regex(_subset(t, iso), _OFFSET, "")
        wall = pc.replace_substring(wall, "T", " ")
        parsed = pd.to_datetime(pd.Series(wall, dtype="str"), format="ISO8601", errors="coerce")
        out[iso] = parsed.to_numpy(dtype="datetime64[ns]")
    serial = _mask(t, r"\d{5}(?:\.\d+)?")
    if serial.any():
        numbers = pc.cast(_subset(t, serial), pa.float64()).to_numpy(zero_copy_only=False)
        out[serial] = _serials(np.asarray(numbers, dtype=float))
    return out


def _serials(numbers: np.ndarray) -> np.ndarray:
    """Excel serial day numbers -> datetime64[ns]; NaT outside the plausible range."""
    x = np.where((numbers >= _SERIAL_MIN) & (numbers <= _SERIAL_MAX), numbers, np.nan)
    # Round to the millisecond so 45678.5416666 does not come out as 12:59:59.999.
    ms = np.round(x * 86_400_000)
    ok = ~np.isnan(ms)
    out = np.full(len(x), _NAT)
    out[ok] = (_EXCEL_ORIGIN + ms[ok].astype("int64").astype("timedelta64[ms]")).astype(
        "datetime64[ns]"
    )
    return out


def parse_dates(s: pd.Series) -> pd.Series:
    """Dates as exports write them -> datetime64[ns]; NaT where empty, a placeholder or unparsable.

    Dotted dates are day first (31.01.2025, 31.01.25), slashed dates month first (1/31/2025
    3:05 PM) unless day first reads more of the column, ISO dates keep the wall time as written
    and drop any offset, numbers from 20000 to 80000 are Excel serial days, and placeholders
    such as «не закрыта», "-" or "n/a" are NaT. Time zones are dropped, keeping the wall time.

    >>> parse_dates(pd.Series(["31.01.2025 14:30", "1/31/2025 2:30 PM", "не закрыта"])).tolist()
    [Timestamp('2025-01-31 14:30:00'), Timestamp('2025-01-31 14:30:00'), NaT]
    >>> parse_dates(pd.Series([45678])).tolist()
    [Timestamp('2025-01-21 00:00:00')]
    """
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_localize(None).astype("datetime64[ns]")
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return s.astype("datetime64[ns]")
    if pd.api.types.is_bool_dtype(s.dtype):
        return pd.Series(_NAT, index=s.index, dtype="datetime64[ns]", name=s.name)
    if pd.api.types.is_numeric_dtype(s.dtype):
        serials = _serials(s.to_numpy(dtype="float64", na_value=np.nan))
        return pd.Series(serials, index=s.index, dtype="datetime64[ns]", name=s.name)
    if s.dtype == object and s.map(lambda v: isinstance(v, datetime)).any():
        # A mixed object column (e.g. from openpyxl): datetimes as they are, text parsed.
        is_stamp = s.map(lambda v: isinstance(v, datetime)).to_numpy(bool)
        stamps = pd.to_datetime(s[is_stamp].map(lambda v: v.replace(tzinfo=None)))
        mixed = parse_dates(s.where(~is_stamp, None).astype("str"))
        mixed[is_stamp] = stamps.to_numpy(dtype="datetime64[ns]")
        return mixed
    codes, uniques = pd.factorize(_as_text(s))
    out = _spread(_dates_of_text(uniques), codes, _NAT)
    return pd.Series(out, index=s.index, dtype="datetime64[ns]", name=s.name)


_PLACEHOLDER_CHARS = max(len(p) for p in PLACEHOLDERS)


def _placeholder_mask(uniques: object) -> np.ndarray:
    """Which values are placeholders, trimmed and case-folded. Casefolding never shortens a
    text and every placeholder has a letter or a sign, so only short values with something
    other than digits reach Python."""
    arr = pc.utf8_trim_whitespace(_arrow(uniques))
    maybe = _flags(pc.less_equal(pc.utf8_length(arr), _PLACEHOLDER_CHARS)) & ~_mask(arr, r"\d+")
    out = np.zeros(len(arr), dtype=bool)
    at = np.flatnonzero(maybe)
    if len(at):
        texts = arr.take(pa.array(at)).to_pylist()
        out[at] = [t is not None and t.casefold() in PLACEHOLDERS for t in texts]
    return out


NUMBER_SHARE = 0.9
CURRENCY_SUFFIX = " · currency"  # the column made from currency marks typed into amounts
DATE_SHARE = 0.9


def _may_be_typed(text: pa.ChunkedArray, size: int = 400) -> bool:
    """A cheap look at evenly spaced values: could the column be numbers or dates at all?

    Most text columns (names, stages, managers) are ruled out here without parsing every value,
    or hashing them. ``text`` is trimmed, blanks null.
    """
    filled = np.flatnonzero(_flags(pc.is_valid(text)))
    if len(filled) > size:
        filled = filled[np.linspace(0, len(filled) - 1, size).astype(int)]
    if len(filled) == 0:
        return False
    sample = pc.unique(text.take(pa.array(filled)))  # in the order first seen
    if not pc.any(pc.match_substring_regex(sample, r"\d")).as_py():
        return False  # every number and every date has a digit
    placeholder = _placeholder_mask(pd.Series(sample, dtype="str"))
    numbers = ~np.isnan(_numbers_of_text(sample))
    if numbers.any() and (numbers | placeholder).mean() >= 0.8:
        return True
    dates = ~np.isnat(_dates_of_text(sample))
    return bool(dates.any() and (dates | placeholder).mean() >= 0.8)


def _shorter(trimmed: pa.ChunkedArray, text: pa.ChunkedArray) -> bool:
    """Whether trimming ``text`` took anything off (it never adds): a sum of lengths, cheaper
    than comparing every value."""
    return pc.sum(pc.binary_length(trimmed)).as_py() != pc.sum(pc.binary_length(text)).as_py()


class _Stripped:
    """A text column trimmed, blanks missing (``text``: the column itself when nothing changes),
    and, when asked, its codes (-1: missing) into its distinct values in the order first seen."""

    def __init__(self, col: pd.Series, *, trimmed_already: bool = False) -> None:
        source = _as_text(col)
        arr = pa.chunked_array(pa.array(source.array, from_pandas=True))
        trimmed = arr if trimmed_already and source is col else pc.utf8_trim_whitespace(arr)
        blank = pc.equal(pc.binary_length(trimmed), 0)
        changed = pc.any(blank).as_py() or (trimmed is not arr and _shorter(trimmed, arr))
        if changed:
            trimmed = pc.if_else(blank, pa.scalar(None, trimmed.type), trimmed)
            text = pd.Series(pd.array(trimmed, dtype=source.dtype), index=col.index, name=col.name)
        else:  # the usual export: no copy of the column
            trimmed, text = arr, source
        self.source = source
        self.text = text
        self.arrow: pa.ChunkedArray = trimmed
        self._codes: tuple[np.ndarray, pa.Array] | None = None

    def codes(self) -> tuple[np.ndarray, pa.Array]:
        """Codes (-1: missing) and distinct values, by Arrow's hash kernel (not pd.factorize:
        five times faster on Arrow strings, and no Python string per distinct value)."""
        if self._codes is None:
            encoded = pc.dictionary_encode(self.arrow).combine_chunks()  # one shared dictionary
            codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
            self._codes = (np.asarray(codes, dtype=np.intp), _arrow(encoded.dictionary))
        return self._codes


def _coerce_text_column(col: pd.Series, trimmed: bool) -> tuple[pd.Series, _Stripped]:
    """The column typed, and its trimmed values (the per-row work is done once)."""
    stripped = _Stripped(col, trimmed_already=trimmed)
    if not _may_be_typed(stripped.arrow):
        return stripped.text, stripped
    codes, uniq = stripped.codes()
    if len(uniq) == 0:
        return stripped.text, stripped
    uniques = pd.Series(uniq, dtype="str")
    counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
    filled = counts.sum()
    placeholder = _placeholder_mask(uniques)

    numbers = _numbers_of_text(uniq)
    is_number = ~np.isnan(numbers)
    # Codes and phone numbers ("00123", "+79161234567") stay text: a number would lose digits.
    id_like = _mask(uniq, r"0\d.*|\+\d{6,}.*")
    if (
        is_number.any()
        and not id_like.any()
        and counts[is_number].sum() >= NUMBER_SHARE * (filled - counts[placeholder].sum())
    ):
        out = _spread(numbers, codes, np.nan)
        return pd.Series(out, index=col.index, name=col.name), stripped

    dates = _dates_of_text(uniq)
    is_date = ~np.isnat(dates)
    if is_date.any() and counts[is_date | placeholder].sum() >= DATE_SHARE * filled:
        out = _spread(dates, codes, _NAT)
        typed = pd.Series(out, index=col.index, name=col.name, dtype="datetime64[ns]")
        return typed, stripped
    return stripped.text, stripped


# Currency marks typed into amount cells, as ISO codes.
_MARKS = [
    (re.compile(r"\bbyn\b|бел\w*\.? ?руб", re.I), "BYN"),
    (re.compile(r"₽|руб|\bр\.|\bр$|\brub\b|\brur\b", re.I), "RUB"),
    (re.compile(r"\$|\busd\b", re.I), "USD"),
    (re.compile(r"€|\beur\b", re.I), "EUR"),
    (re.compile(r"£|\bgbp\b", re.I), "GBP"),
    (re.compile(r"₸|\bтг\.?|\bkzt\b", re.I), "KZT"),
    (re.compile(r"₴|\bгрн\.?|\buah\b", re.I), "UAH"),
    (re.compile(r"¥|\bcny\b", re.I), "CNY"),
]
MARK_SHARE = 0.5  # of an amount column's filled cells carrying a currency mark


def _currency_marks(stripped: _Stripped, index: pd.Index) -> pd.Series | None:
    """The currency typed into each amount cell ("1 200 ₽", "$950"), or None when few have one.

    One currency throughout fills the cells typed bare too; with several, a bare cell's is
    unknown.
    """
    codes, uniq = stripped.codes()
    if len(uniq) == 0:
        return None
    # Every mark has a letter or a sign: values of digits, spaces and separators alone (most
    # amounts, every id) cannot hold one and skip the regexes.
    bare = _mask(uniq, "[\\d\\s.,+\\-−()'\u00a0\u202f\u2007]*")
    found: list[str | None] = [None] * len(uniq)
    for i in np.flatnonzero(~bare).tolist():
        u = uniq[i].as_py()
        found[i] = next((code for rx, code in _MARKS if rx.search(str(u))), None)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
    # Blank cells ("", spaces) count as filled cells without a mark; missing ones do not.
    blank = (codes < 0) & stripped.source.notna().to_numpy(dtype=bool)
    marked = sum(int(c) for c, f in zip(counts, found, strict=True) if f)
    if marked < MARK_SHARE * (counts.sum() + blank.sum()):
        return None
    kinds = {f for f in found if f}
    fill = next(iter(kinds)) if len(kinds) == 1 else None
    table = np.array([f or fill for f in found] + [None], dtype=object)
    out = table[codes]
    out[blank] = fill
    return pd.Series(out, index=index, dtype=object)


def trim_text(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the values of its str columns trimmed (a blank cell stays an empty string,
    apart from a missing one); a column no value changes in is kept as it is (no copy). Hand
    the result to ``coerce_frame(..., trimmed=True)``.

    >>> trim_text(pd.DataFrame({"a": [" x ", "  ", None]}, dtype="str"))["a"].tolist()
    ['x', '', nan]
    """
    out = df.copy(deep=False)
    for i, (_, col) in enumerate(df.items()):
        if isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
            arr = pa.chunked_array(pa.array(col.array, from_pandas=True))
            trimmed = pc.utf8_trim_whitespace(arr)
            if _shorter(trimmed, arr):
                out.isetitem(i, pd.array(trimmed, dtype=col.dtype))
    return out


def coerce_frame(df: pd.DataFrame, *, trimmed: bool = False) -> pd.DataFrame:
    """A new frame with text columns typed: numbers -> float64, dates -> datetime64[ns].

    A text column becomes numbers when at least 90% of its non-empty, non-placeholder values
    parse with :func:`parse_numbers`, unless some value looks like a code or a phone number
    ("00123", "+7916…": those stay text so no digit is lost). Otherwise it becomes dates when it
    holds at least one date and dates plus placeholders («не закрыта», "-") make 90% of its
    non-empty values. Otherwise it stays text: trimmed, empty -> missing. Numeric and datetime
    columns are kept (datetimes as datetime64[ns], time zones dropped); Excel serial numbers
    are left as numbers.

    >>> df = pd.DataFrame({"Бюджет": ["1 200,50", "350 000 ₽"], "Этап": [" Новая ", ""],
    ...                    "Дата": ["01.02.2025", "не закрыта"]})
    >>> out = coerce_frame(df)
    >>> out["Бюджет"].tolist(), out["Этап"].tolist(), out["Дата"].tolist()
    ([1200.5, 350000.0], ['Новая', nan], [Timestamp('2025-02-01 00:00:00'), NaT])

    ``trimmed``: the str columns come from :func:`trim_text` and are not trimmed again.
    """
    columns: list[pd.Series] = []
    names: list[object] = []
    for name, col in df.items():
        if isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(col.dtype):
            columns.append(parse_dates(col))
        elif pd.api.types.is_string_dtype(col.dtype) or col.dtype == object:
            if col.dtype == object and col.map(type).isin([pd.Timestamp]).any():
                columns.append(parse_dates(col))
            else:
                typed, stripped = _coerce_text_column(col, trimmed)
                columns.append(typed)
                if pd.api.types.is_float_dtype(typed.dtype):
                    marks = _currency_marks(stripped, col.index)
                    if marks is not None and str(name) + CURRENCY_SUFFIX not in df.columns:
                        # The money's currency was typed into the cells: kept beside them.
                        names.append(name)
                        columns.append(marks)
                        name = str(name) + CURRENCY_SUFFIX
        else:
            columns.append(col.copy())
        names.append(name)
    out = pd.concat(columns, axis=1, ignore_index=True) if columns else df.copy()
    out.index = df.index
    out.columns = names
    return out


@dataclass(frozen=True)
class Encoded:
    """A label column as integer codes into ``labels``; missing values have their own label."""

    codes: np.ndarray
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)


def encode_labels(values: pd.Series | np.ndarray, *, none_label: str = NONE_LABEL) -> Encoded:
    """Codes for a label column, grouping spellings by :func:`norm_label`.

    Each group is shown in its most common trimmed spelling (ties: the first seen); a missing
    or blank value is the segment ``(none)``, never dropped. Python runs once per distinct
    value, never per row.

    >>> e = encode_labels(pd.Series(["Email", "email ", None, "Звонки", "EMAIL ", "EMAIL"]))
    >>> [e.labels[c] for c in e.codes]
    ['EMAIL', 'EMAIL', '(none)', 'Звонки', 'EMAIL', 'EMAIL']
    """
    raw, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    return encode_factorized(raw, uniques, none_label=none_label)


def encode_picked(column: pd.Series, rows: np.ndarray) -> Encoded:
    """:func:`encode_labels` of ``column``'s values at ``rows`` (-1: missing), the column
    factorized in its own dtype first: no object array of the picked rows is built.

    >>> e = encode_picked(pd.Series(["b", "a ", "A"], dtype="str"), np.array([2, -1, 1, 0]))
    >>> [e.labels[c] for c in e.codes]
    ['A', '(none)', 'A', 'b']
    """
    full, uniques = pd.factorize(column, use_na_sentinel=True)
    picked = np.where(rows >= 0, full[np.clip(rows, 0, None)], -1) if len(full) else rows * 0 - 1
    raw, used = pd.factorize(picked)  # first seen over the picked rows, as on their values
    seen = used >= 0
    remap = np.full(len(used), -1, dtype=np.intp)
    remap[seen] = np.arange(int(seen.sum()))
    return encode_factorized(remap[raw], uniques[used[seen]])


def encode_factorized(raw: np.ndarray, uniques: object, *, none_label: str = NONE_LABEL) -> Encoded:
    """:func:`encode_labels` from ``pd.factorize`` output (codes, -1 missing; uniques)."""
    texts = [str(u).strip() for u in uniques]  # type: ignore[attr-defined]
    counts = np.bincount(raw[raw >= 0], minlength=len(texts))
    uses: dict[str, int] = {}
    for text, n in zip(texts, counts, strict=True):
        uses[text] = uses.get(text, 0) + int(n)
    group_of: dict[str, int] = {}
    labels: list[str] = []
    group_of_unique = np.empty(len(texts) + 1, dtype=np.int32)
    for i, text in enumerate(texts):
        key = norm_label(text)
        g = group_of.get(key)
        if g is None:
            g = group_of[key] = len(labels)
            labels.append(none_label if not key else text)
        elif key and uses[text] > uses[labels[g]]:
            labels[g] = text
        group_of_unique[i] = g
    if (raw < 0).any() and "" not in group_of:
        group_of[""] = len(labels)
        labels.append(none_label)
    group_of_unique[-1] = group_of.get("", 0)
    codes = group_of_unique[raw]  # -1 (missing) picks the last slot: the (none) group
    return Encoded(codes=codes, labels=tuple(labels))


def labels_by_count(*columns: pd.Series) -> list[str]:
    """The labels of one or more columns together, most frequent first, blanks left out.

    >>> labels_by_count(pd.Series(["Won", "won", "Lost"]), pd.Series(["Lost", "Lost", None]))
    ['Lost', 'Won']
    """
    if not columns:
        return []
    same = all(c.dtype == columns[0].dtype for c in columns)
    # Columns of one dtype are joined as they are (Arrow strings factorize many times faster
    # than Python objects); mixed ones as objects, so an int column's 1 stays "1", not "1.0".
    parts = list(columns) if same else [pd.Series(c, dtype=object) for c in columns]
    enc = encode_labels(pd.concat(parts, ignore_index=True))
    counts = np.bincount(enc.codes, minlength=len(enc.labels))
    order = np.argsort(-counts, kind="stable")
    return [enc.labels[i] for i in order if counts[i] > 0 and enc.labels[i] != NONE_LABEL]


def canonical_labels(s: pd.Series) -> pd.Series:
    """Each label replaced by the most common spelling among labels with the same
    :func:`norm_label` key (ties: the spelling seen first); spellings are trimmed and
    missing (or blank) stays missing.

    >>> canonical_labels(pd.Series(["Успешно", "успешно ", "Успешно", None])).tolist()
    ['Успешно', 'Успешно', 'Успешно', nan]
    """
    enc = encode_labels(s, none_label="")
    names = np.array([*enc.labels], dtype=object)
    out = names[enc.codes]
    out[out == ""] = None
    return pd.Series(out, index=s.index, dtype="str", name=s.name)
