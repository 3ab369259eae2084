"""Which column of a spend table is what, read from its values first and its header second.

The amount is the column of money (a header such as «Расход», «Бюджет», "Spend", "Cost" decides
between several number columns; clicks and impressions are numbers too), the period the column
whose cells read as periods, the channel the text column whose values meet the deals' channels
most, else the one a header names, else the one with the fewest distinct values (campaigns are
many, channels few); a column of rates or codes («1,5%», "0042") names no channel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from funnel.economics.periods import Periods, dotted_months, parse_periods
from funnel.values import CURRENCY_SUFFIX, NONE_LABEL, PLACEHOLDERS, norm_label, parse_numbers

_TOTAL = re.compile(r"^(итог\w*|всего|total\w*|grand total|sum|subtotal|промежуточн\w*)\b")
_HINTS = {
    "amount": r"расход|бюджет|затрат|стоимост|потрач|spend|spent|cost|budget|amount|сумм|sum\b|"
    r"оплачено|инвестиц|invest|ad ?spend|деньги",
    "channel": r"канал|источник|source|channel|medium|площадк|platform|рекламн\w* систем|"
    r"network|сеть|сервис|utm_source|utm_medium|откуда",
    "campaign": r"кампани|campaign|объявлени|ad ?group|группа|креатив|creative|utm_campaign",
    "period": r"месяц|период|дата|date|month|week|недел|квартал|quarter|год|year|day|день",
    "start": r"^(с|от|начал\w*|start\w*|from|date from|дата начала|период с)\b",
    "end": r"^(по|до|конец|оконч\w*|end\w*|to|till|until|date to|дата оконч\w*|период по)\b",
    "currency": r"валют|currency|\bcur\b",
}
# Numbers that are not money: an ad account's report puts them beside the spend.
NOT_MONEY = (
    r"показ|клик|impression|click|\bctr\b|\bcpc\b|\bcpm\b|\bcpa\b|конверс|conversion|лид|lead|"
    r"заяв|сделк|deal|охват|reach|позици|position|%|процент|percent|rate|визит|visit|сеанс|"
    r"session|\bшт\b|колич|count|qty|number|№|\bid\b|номер|год|year|недел|week|"
    # money that came in, not money spent
    r"выручк|доход|продаж|revenue|income|sales"
)


# A header that gives the amounts' unit as a multiple: «Расход, тыс. руб.», "Spend ('000)",
# "Бюджет (млн ₽)", "Cost, k$". The factor turns the written figures into units.
_UNITS = (
    (re.compile(r"\bмлн\b|\bмиллион|\bmillions?\b|\bmln\b|\(mm\)|\$m\b|\bm\$"), 1_000_000.0),
    (
        re.compile(
            r"\bтыс\b|\bтысяч|\bthousands?\b|\(0{3}\)|'0{3}\b|"
            r"(?:^|[\s,(/])k(?:\s*[$€₽£]|\s*(?:rub|usd|eur)\b|\)|$)|[$€₽£]\s*k\b"
        ),
        1_000.0,
    ),
)


def unit_factor(header: str) -> float:
    """What the figures under ``header`` are multiplied by to be money in units (1 when the
    header names no multiple).

    >>> unit_factor("Расход, тыс. руб."), unit_factor("Бюджет (млн ₽)"), unit_factor("Spend")
    (1000.0, 1000000.0, 1.0)
    >>> unit_factor("Cost, k$"), unit_factor("Затраты ('000)"), unit_factor("Клики")
    (1000.0, 1000.0, 1.0)
    """
    text = str(header).casefold().replace("ё", "е")
    return next((factor for rx, factor in _UNITS if rx.search(text)), 1.0)


def hint(role: str, header: str) -> bool:
    return re.search(_HINTS[role], norm_label(header)) is not None


def is_total(value: object) -> bool:
    return isinstance(value, str) and _TOTAL.match(norm_label(value)) is not None


def totals(cells: pd.Series) -> pd.Series:
    """Which cells say «Итого» or "Total": each distinct value looked at once (a daily report
    repeats its channels and dates tens of thousands of times).

    >>> totals(pd.Series(["Итого", "Директ", None, "Итого"])).tolist()
    [True, False, False, True]
    """
    codes, uniques = pd.factorize(cells.astype(object), use_na_sentinel=True)
    flags = np.array([is_total(u) for u in uniques] + [False], dtype=bool)
    return pd.Series(flags[codes], index=cells.index)


def text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        str(c)
        for c in frame.columns
        if (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype))
        and frame[c].notna().any()
        and not str(c).endswith(CURRENCY_SUFFIX)
    ]


def number_columns(frame: pd.DataFrame) -> list[str]:
    return [
        str(c)
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c].dtype)
        and not pd.api.types.is_bool_dtype(frame[c].dtype)
        and frame[c].notna().any()
    ]


def amounts_of(col: pd.Series) -> pd.Series | None:
    """A column's cells as amounts when most of them are numbers: a note or a footer line
    («Источник: бухгалтерия») under the figures keeps a column text, not other than money."""
    if pd.api.types.is_bool_dtype(col.dtype):
        return None
    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.astype(float)
    if not (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)):
        return None
    text = col.dropna().astype(str).str.strip()
    text = text[(text != "") & ~text.str.lower().isin(PLACEHOLDERS)]
    numbers = parse_numbers(col)
    if len(text) and numbers.notna().sum() > 0.5 * len(text):
        return numbers
    return None


def amount_column(frame: pd.DataFrame, exclude: set[str]) -> tuple[str | None, str | None]:
    """(column, reason it is a guess or None)."""
    numbers = [
        c for c in number_columns(frame) if c not in exclude and dotted_months(frame[c]) is None
    ]
    hinted = [c for c in numbers if hint("amount", c) and not re.search(NOT_MONEY, norm_label(c))]
    if hinted:
        return hinted[0], None
    money = [c for c in numbers if not re.search(NOT_MONEY, norm_label(c))]
    if len(money) == 1:
        why = None if len(numbers) == 1 else "the only number column not named as a count"
        return money[0], why
    if money:
        # No header says which: the column with kopecks/cents, else the largest sums.
        fraction = [c for c in money if (frame[c].dropna() % 1 != 0).any()]
        pool = fraction or money
        best = max(pool, key=lambda c: float(np.nansum(np.abs(frame[c].to_numpy(float)))))
        return best, "several number columns, none named as spend"
    return None, None


def period_columns(
    frame: pd.DataFrame, within: tuple[pd.Timestamp, pd.Timestamp] | None, exclude: set[str]
) -> dict[str, Periods]:
    found = {}
    for c in frame.columns:
        c = str(c)
        if c in exclude or c.endswith(CURRENCY_SUFFIX):
            continue
        col = frame[c]
        filled = col.notna() & ~totals(col)
        if not filled.any():
            continue
        numeric = pd.api.types.is_numeric_dtype(col.dtype)
        if numeric and not hint("period", c) and dotted_months(col) is None:
            continue  # amounts and counts are numbers; an Excel serial date is named as a date
        periods = parse_periods(col, within=within)
        share = float(periods.read[filled.to_numpy()].mean())
        # Most cells read as periods: the rest are notes or typos, listed, never a campaign.
        if share > 0.5:
            found[c] = (share, periods)
    return {c: found[c][1] for c in sorted(found, key=lambda c: -found[c][0])}


_NUMBER_LIKE = re.compile(r"^[\d\s.,%()+\-−  ]*\d[\d\s.,%()+\-−  ]*$")


def names_things(col: pd.Series) -> bool:
    """Whether a text column holds names: not rates such as "1,5%" or codes of digits, nor
    mostly placeholders ("na" in 206 of 208 weeks, a name twice)."""
    values = col.dropna().astype(str)
    if not len(values) or values.str.match(_NUMBER_LIKE).mean() >= 0.5:
        return False
    return bool(values.str.strip().str.lower().isin(PLACEHOLDERS).mean() < 0.5)


def channel_column(
    frame: pd.DataFrame, texts: list[str], channels: Sequence[str]
) -> tuple[str | None, str | None]:
    texts = [c for c in texts if names_things(frame[c])]
    if not texts:
        return None, None
    known = {norm_label(c) for c in channels if c and c != NONE_LABEL}
    if known:
        overlap = {
            c: len({norm_label(v) for v in frame[c].dropna().unique()} & known) for c in texts
        }
        best = max(texts, key=lambda c: overlap[c])
        if overlap[best] > 0:
            return best, None
    hinted = [c for c in texts if hint("channel", c) and not hint("campaign", c)]
    if hinted:
        return hinted[0], None
    plain = [c for c in texts if not hint("campaign", c)]
    if not plain:
        return None, None  # campaigns alone: an ad account's report, one channel throughout
    # Every amount has its channel: a column left mostly blank is a comment.
    filled = {c: float(frame[c].notna().mean()) for c in plain}
    plain = [c for c in plain if filled[c] >= 0.8 * max(filled.values())]
    best = min(plain, key=lambda c: frame[c].nunique())
    return best, "no header names the channel and no value is one of the deals' channels"


def currency_column(frame: pd.DataFrame, amount: str, texts: list[str]) -> str | None:
    marks = amount + CURRENCY_SUFFIX
    if marks in frame.columns:
        return marks
    for c in texts:
        values = frame[c].dropna().astype(str).str.strip().str.upper()
        if len(values) and (hint("currency", c) or values.isin(_CODES).mean() >= 0.9):
            return c
    return None


_CODES = {"RUB", "RUR", "USD", "EUR", "KZT", "UAH", "BYN", "CNY", "GBP", "₽", "$", "€", "РУБ",
          "РУБ.", "Р.", "ТГ", "ГРН"}  # fmt: skip
_CODE_OF = {"RUR": "RUB", "₽": "RUB", "$": "USD", "€": "EUR", "РУБ": "RUB", "РУБ.": "RUB",
            "Р.": "RUB", "ТГ": "KZT", "ГРН": "UAH"}  # fmt: skip


def currency_code(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip().upper()
    return _CODE_OF.get(text, text)


def without_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the words of a row under the table that holds nothing else blanked: a
    footer («Источник: бухгалтерия») is no spend, and left in would keep a column of amounts
    from reading as numbers. A lone number (a total) or a period stays.
    """
    cells = frame.astype(object)
    blank = cells.map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
    filled = cells.notna() & ~blank
    # The currency a reader kept beside an amount column is filled down every row.
    marks = [str(c).endswith(CURRENCY_SUFFIX) for c in frame.columns]
    filled.loc[:, marks] = False
    counts = filled.sum(axis=1).to_numpy()
    # Only below the last row of two cells or more: a lone channel higher up is a row of the
    # table (its amount left blank, or its channel written once over the rows below).
    last = int(np.flatnonzero(counts >= 2)[-1]) if (counts >= 2).any() else -1
    lone = pd.Series((counts == 1) & (np.arange(len(counts)) > last), index=frame.index)
    if not lone.any():
        return frame
    out = frame.copy()
    for i in map(int, np.flatnonzero(lone.to_numpy())):
        j = int(np.flatnonzero(filled.iloc[i].to_numpy())[0])
        value = cells.iat[i, j]
        if not isinstance(value, str):
            continue
        one = pd.Series([value], dtype=object)
        if parse_numbers(one).notna().any() or parse_periods(one).read.any():
            continue
        if (cells.iloc[:, j].map(norm_label) == norm_label(value)).sum() > 1:
            continue  # a channel seen above, its amount left blank: a row of the table
        out.iloc[i, j] = None
    return out
