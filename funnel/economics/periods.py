"""Periods as people write them in a spend table: each cell -> [start, end) and its grain.

A month is «Январь 2026», «янв. 26», "Jan-26", "2026-01", "01.2026" or the 1st of the month as
a date; a week "2026-W05" or «5 неделя 2026»; a quarter "Q1 2026" or «I кв. 2026»; a range
«01.01.2026 – 31.01.2026» or «с 1 по 7 января 2026»; a year "2026". A column of dates is read
as months when every date is the first (or every one the last) day of its month, as weeks when
the dates fall on one weekday a whole number of weeks apart, and as days otherwise. A column
of numbers such as 10.2026 is months typed "10.2026" that the sheet took for numbers. A month
written without a year («Январь») takes its year from the deals' dates (``within``): the one
year they allow, else the run of months ending at their last date.
Month names come from CLDR (Babel), in Russian and English, full or cut to three letters.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
import pandas as pd
from babel.dates import get_month_names

from funnel.values import PLACEHOLDERS, parse_dates

Grain = Literal["day", "week", "month", "quarter", "year", "range"]
_NAT = np.datetime64("NaT", "ns")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_WORD = r"[a-zа-яё]+\.?"
_YEAR = r"(?:'|’)?(\d{4}|\d{2})(?:\s*(?:г\.?|года?|г\b))?"


@cache
def _month_names() -> tuple[tuple[str, int], ...]:
    """(name, month) for every CLDR month name in Russian and English, lower-cased, no dots."""
    names: dict[str, int] = {}
    for locale in ("ru", "en"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale).items():
                    names[str(name).lower().replace("ё", "е").rstrip(".")] = int(month)
    return tuple(sorted(names.items(), key=lambda kv: -len(kv[0])))


def month_of_word(word: str) -> int | None:
    """The month a word names: a CLDR name or its first three letters or more.

    >>> [month_of_word(w) for w in ("Январь", "янв.", "фев", "мая", "Sept", "ма", "окно")]
    [1, 1, 2, 5, 9, None, None]
    """
    token = word.lower().replace("ё", "е").rstrip(".")
    if len(token) < 3:
        return None
    # A cut name ("фев", "Sept" is "Sep" + t) or a whole name with an ending («январе»).
    found = {m for name, m in _month_names() if name.startswith(token)} or {
        m for name, m in _month_names() if len(name) >= 3 and token.startswith(name)
    }
    return found.pop() if len(found) == 1 else None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


@dataclass(frozen=True)
class Periods:
    """Per cell: the start and (exclusive) end, NaT where the cell is no period; one grain."""

    start: np.ndarray  # datetime64[ns]
    end: np.ndarray
    grain: Grain | None  # the column's (the most common one), None when nothing was read

    @property
    def read(self) -> np.ndarray:
        return ~np.isnat(self.start)


def _month(year: int, month: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(year=year, month=month, day=1)
    return start, start + pd.offsets.MonthBegin(1)


_Cell = tuple[pd.Timestamp, pd.Timestamp, Grain] | tuple[int, None, None] | None


def _one(text: str) -> _Cell:
    """One cell's period; (month, None, None) for a month name without a year."""
    t = re.sub(r"[\s\u00a0\u202f]+", " ", text.strip().lower()).replace("ё", "е")
    t = re.sub(r"^(?:за|c|с|from|period|период|месяц|month)\s*[:\-]?\s+", "", t)
    if not t or t in PLACEHOLDERS:
        return None
    m = re.fullmatch(r"(\d{4})", t)
    if m and 1990 <= int(m.group(1)) <= 2100:
        start = pd.Timestamp(year=int(m.group(1)), month=1, day=1)
        return start, start + pd.offsets.YearBegin(1), "year"
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", t) or re.fullmatch(r"(\d{1,2})[-/.](\d{4})", t)
    if m:
        a, b = m.groups()
        year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        return (*_month(year, month), "month") if 1 <= month <= 12 else None
    m = (
        re.fullmatch(r"(\d{4})[- ]?w(?:eek)?\s?(\d{1,2})", t)
        or re.fullmatch(r"(?:w|wk|week|нед\w*\.?)\s?(\d{1,2})[,/ ]+(\d{4})", t)
        or re.fullmatch(r"(\d{1,2})(?:-?я)? ?(?:нед\w*\.?|week|wk) ?(\d{4})", t)
    )
    if m:
        a, b = m.groups()
        year, week = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        if 1 <= week <= 53:
            start = pd.Timestamp.fromisocalendar(year, week, 1)
            return start, start + pd.Timedelta(days=7), "week"
        return None
    m = re.fullmatch(
        r"(?:q|кв\.?|квартал)\s?([1-4]|i{1,3}|iv)[ ,/-]*(\d{4})|"
        r"(\d{4})[ ,/-]*(?:q|кв\.?)\s?([1-4])|"
        r"([1-4]|i{1,3}|iv)[ -]?(?:й|ый)? ?(?:q|кв\.?|квартал) ?(\d{4})(?: ?г\.?)?",
        t,
    )
    if m:
        groups = [g for g in m.groups() if g is not None]
        q_text, y_text = (groups[1], groups[0]) if len(groups[0]) == 4 else groups
        q = _ROMAN.get(q_text) or int(q_text)
        start = pd.Timestamp(year=int(y_text), month=3 * q - 2, day=1)
        return start, start + pd.offsets.QuarterBegin(1, startingMonth=1), "quarter"
    # «1-7 января 2026», "с 1 по 7 янв 2026": days of one month
    m = re.fullmatch(rf"(?:с )?(\d{{1,2}}) ?(?:-|–|—|по|to) ?(\d{{1,2}}) ({_WORD}) ?{_YEAR}", t)
    named = month_of_word(m.group(3)) if m else None
    if m and named:
        year = _year(m.group(4))
        try:
            start = pd.Timestamp(year=year, month=named, day=int(m.group(1)))
            end = pd.Timestamp(year=year, month=named, day=int(m.group(2)))
        except ValueError:
            return None
        return (start, end + pd.Timedelta(days=1), "range") if end >= start else None
    # a month name with a year, either way round: «Январь 2026», "Jan-26", «2026 янв.»
    m = re.fullmatch(rf"({_WORD})[ ,\-/']*{_YEAR}", t) or re.fullmatch(
        rf"(\d{{4}})[ ,\-/]*({_WORD})", t
    )
    if m:
        word, year_text = (m.group(1), m.group(2)) if not m.group(1).isdigit() else m.groups()[::-1]
        named = month_of_word(word)
        return (*_month(_year(year_text), named), "month") if named else None
    if re.fullmatch(_WORD, t):
        named = month_of_word(t)
        return (named, None, None) if named else None
    # a range of two dates: «01.01.2026 – 31.01.2026», "2026-01-01 to 2026-01-31"
    parts = re.split(r" ?(?:–|—| - |-(?=\d{1,2}[./]\d)| по | to | till | until |\.\.) ?", t)
    parts = [re.sub(r"^(?:с|from) ", "", p) for p in parts if p]
    if len(parts) == 2:
        days = parse_dates(pd.Series(parts, dtype="str"))
        if days.notna().all() and days.iloc[1] >= days.iloc[0]:
            return (
                days.iloc[0].normalize(),
                days.iloc[1].normalize() + pd.Timedelta(days=1),
                "range",
            )
    return None


def _place_years(months: list[int], within: tuple[pd.Timestamp, pd.Timestamp] | None) -> list[int]:
    """Years for month names written without one.

    Where the deals' dates span a year or less, each month takes the one year that puts it
    inside them, whatever order the months stand in (a long table repeats them per channel,
    a wide one may be sorted by hand). Otherwise the distinct months in the order first seen
    make a run that ends at the latest month not after the deals' last date, a new year
    wherever a month goes back.
    """
    if not months:
        return []
    if within is not None:
        first, last = within
        inside = {
            m: [y for y in range(first.year, last.year + 1) if _overlaps(y, m, first, last)]
            for m in set(months)
        }
        if all(len(years) == 1 for years in inside.values()):
            return [inside[m][0] for m in months]
    last = within[1] if within is not None else pd.Timestamp.today()
    # Months one after another (a header across more than a year) are a run as they stand;
    # repeated otherwise (a column, a month per channel) they are the same months again.
    consecutive = all(b == a % 12 + 1 for a, b in itertools.pairwise(months))
    run = months if consecutive else list(dict.fromkeys(months))
    wraps = [0]
    for before, after in itertools.pairwise(run):
        wraps.append(wraps[-1] + (1 if after < before else 0))
    end_year = last.year if run[-1] <= last.month else last.year - 1
    years = [end_year - (wraps[-1] - w) for w in wraps]
    if consecutive:
        return years
    year_of = dict(zip(run, years, strict=True))
    return [year_of[m] for m in months]


def _overlaps(year: int, month: int, first: pd.Timestamp, last: pd.Timestamp) -> bool:
    start, end = _month(year, month)
    return bool(start <= last and end > first)


def parse_periods(
    cells: pd.Series, *, within: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> Periods:
    """Each cell's period; see the module docstring.

    >>> p = parse_periods(pd.Series(["Январь 2026", "2026-02", "Q2 2026", "2026-W05", "-"]))
    >>> [str(s)[:10] for s in p.start], [str(e)[:10] for e in p.end]
    (['2026-01-01', '2026-02-01', '2026-04-01', '2026-01-26', 'NaT'], \
['2026-02-01', '2026-03-01', '2026-07-01', '2026-02-02', 'NaT'])
    """
    n = len(cells)
    start = np.full(n, _NAT)
    end = np.full(n, _NAT)
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        months = dotted_months(cells)
        if months is not None:
            return months
    if pd.api.types.is_datetime64_any_dtype(cells.dtype) or pd.api.types.is_numeric_dtype(
        cells.dtype
    ):
        return _of_dates(parse_dates(cells))
    values = cells.astype("object").where(cells.notna(), None).tolist()
    typed = [v for v in values if isinstance(v, pd.Timestamp | np.datetime64)] or [
        v for v in values if hasattr(v, "year") and hasattr(v, "month")
    ]
    if typed and len(typed) >= 0.5 * sum(v is not None for v in values):
        return _of_dates(parse_dates(cells))
    grains: list[str] = []
    bare: list[tuple[int, int]] = []  # (position, month) of month names without a year
    seen: dict[str, _Cell] = {}  # a daily report repeats each date once per campaign
    for i, value in enumerate(values):
        if value is None:
            continue
        text = str(value)
        if text not in seen:
            seen[text] = _one(text)
        found = seen[text]
        if found is None:
            continue
        if found[1] is None:
            bare.append((i, int(found[0])))
            continue
        s, e, g = found
        start[i], end[i] = np.datetime64(s, "ns"), np.datetime64(e, "ns")
        grains.append(str(g))
    if bare:
        years = _place_years([m for _, m in bare], within)
        for (i, month), year in zip(bare, years, strict=True):
            s, e = _month(year, month)
            start[i], end[i] = np.datetime64(s, "ns"), np.datetime64(e, "ns")
            grains.append("month")
    if not grains:
        dates = parse_dates(cells)
        if dates.notna().any():
            return _of_dates(dates)
    grain = max(set(grains), key=grains.count) if grains else None
    return Periods(start=start, end=end, grain=grain)  # type: ignore[arg-type]


def dotted_months(cells: pd.Series) -> Periods | None:
    """Months typed as "10.2026" that a sheet or a reader took for numbers (10.2026, and
    10.202 for "10.2020"): every number a month 1-12 before the point and a year after it.

    >>> [str(s)[:7] for s in dotted_months(pd.Series([10.2026, 11.2026, 12.202])).start]
    ['2026-10', '2026-11', '2020-12']
    """
    values = cells.to_numpy(dtype=float)
    known = ~np.isnan(values)
    if not known.any():
        return None
    month = np.floor(values[known])
    year = np.round((values[known] - month) * 10_000)
    # The fraction must be exactly the year: 10.2026 has no fifth decimal.
    exact = np.abs(month + year / 10_000 - values[known]) < 1e-9
    if not ((month >= 1) & (month <= 12) & (year >= 1990) & (year <= 2100) & exact).all():
        return None
    start = np.full(len(values), _NAT)
    end = np.full(len(values), _NAT)
    for i, m, y in zip(np.flatnonzero(known), month.astype(int), year.astype(int), strict=True):
        s, e = _month(int(y), int(m))
        start[i], end[i] = np.datetime64(s, "ns"), np.datetime64(e, "ns")
    return Periods(start=start, end=end, grain="month")


def _of_dates(dates: pd.Series) -> Periods:
    """A column of dates as periods: months, weeks or days, read from all of them together."""
    day = dates.dt.normalize()
    ok = day.notna().to_numpy()
    start = day.to_numpy(dtype="datetime64[ns]")
    known = day[ok]
    if not len(known):
        return Periods(start=start, end=start.copy(), grain=None)
    grain: Grain = "day"
    if (known.dt.day == 1).all():
        grain = "month"
    elif known.dt.is_month_end.all():
        grain = "month"
        start = (
            (day - pd.offsets.MonthBegin(1))
            .where(~day.dt.is_month_start, day)
            .to_numpy(dtype="datetime64[ns]")
        )
    else:
        distinct = np.sort(known.unique())
        gaps = np.diff(distinct).astype("timedelta64[D]").astype(int)
        if len(distinct) > 1 and known.dt.day_of_week.nunique() == 1 and (gaps % 7 == 0).all():
            grain = "week"
    spans = {
        "day": pd.Timedelta(days=1),
        "week": pd.Timedelta(days=7),
    }
    begin = pd.Series(start)
    finish = begin + (pd.offsets.MonthBegin(1) if grain == "month" else spans[grain])
    return Periods(start=start, end=finish.to_numpy(dtype="datetime64[ns]"), grain=grain)
