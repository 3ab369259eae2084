"""A spend table as people keep it -> tidy rows (channel, campaign, start, end, amount, currency).

The columns are found by what they hold first and by their headers second: the amount is the
column of money (a header such as «Расход», «Бюджет», "Spend", "Cost" decides between several
number columns; clicks and impressions are numbers too), the period the column whose cells read
as periods (:mod:`funnel.economics.periods`; two date columns are a range), the channel the text
column whose values meet the deals' channels most, else the one a header names, else the one
with the fewest distinct values (campaigns are many, channels few). A table with months across
the top and channels down the side (wide) is turned long; one with channels across the top and
periods down the side too. Rows of totals («Итого», "Total") are left out and said so, so that
nothing is counted twice; rows whose amount or period cannot be read are listed, never dropped
in silence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from funnel.economics.periods import Grain, Periods, parse_periods
from funnel.errors import InputError
from funnel.notices import Notice
from funnel.spec_spend import MAX_INLINE_ROWS, SpendLayout, SpendRow, SpendSpec
from funnel.values import CURRENCY_SUFFIX, NONE_LABEL, coerce_frame, norm_label, parse_numbers

COLUMNS = ("channel", "campaign", "start", "end", "amount", "currency")

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
_NOT_MONEY = (
    r"показ|клик|impression|click|\bctr\b|\bcpc\b|\bcpm\b|\bcpa\b|конверс|conversion|лид|lead|"
    r"заяв|сделк|deal|охват|reach|позици|position|%|процент|percent|rate|визит|visit|сеанс|"
    r"session|\bшт\b|колич|count|qty|number|№|\bid\b|номер|год|year|недел|week"
)


def _hint(role: str, header: str) -> bool:
    return re.search(_HINTS[role], norm_label(header)) is not None


def _is_total(value: object) -> bool:
    return isinstance(value, str) and _TOTAL.match(norm_label(value)) is not None


@dataclass(frozen=True)
class Spend:
    """A spend table, tidy: one row per amount (start/end NaT: spent over no stated period)."""

    rows: pd.DataFrame
    columns: Mapping[str, str] = field(default_factory=dict)
    layout: SpendLayout = "long"
    grain: Grain | None = None
    notices: tuple[Notice, ...] = ()
    guessed: Mapping[str, str] = field(default_factory=dict)

    @property
    def dated(self) -> bool:
        return bool(self.rows["start"].notna().any())

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(sorted({c for c in self.rows["currency"] if c}))

    @classmethod
    def from_rows(cls, rows: Sequence[SpendRow]) -> Spend:
        """A spend kept as rows (the spec's ``spend.rows``)."""
        frame = pd.DataFrame(
            {
                "channel": [r.channel for r in rows],
                "campaign": [r.campaign for r in rows],
                "start": pd.to_datetime(pd.Series([r.start for r in rows], dtype=object)),
                "end": pd.to_datetime(pd.Series([r.end for r in rows], dtype=object)),
                "amount": np.array([r.amount for r in rows], dtype=float),
                "currency": [r.currency for r in rows],
            }
        )
        return cls(rows=frame, grain=_grain_of(frame))

    def to_rows(self) -> tuple[SpendRow, ...]:
        """The rows to keep with the mapping; a long daily table is folded into months first."""
        frame = self.rows
        if len(frame) > MAX_INLINE_ROWS and self.dated:
            frame = monthly(frame)
        grouped = (
            frame.assign(start=frame["start"].astype("object"), end=frame["end"].astype("object"))
            .groupby(["channel", "campaign", "start", "end", "currency"], dropna=False, sort=False)[
                "amount"
            ]
            .sum()
            .reset_index()
        )

        def day(value: Any) -> date | None:
            return None if pd.isna(value) else pd.Timestamp(value).date()

        return tuple(
            SpendRow(
                channel=str(r.channel),
                amount=float(r.amount),  # type: ignore[arg-type]
                start=day(r.start),
                end=day(r.end),
                currency=str(r.currency or ""),
                campaign=str(r.campaign or ""),
            )
            for r in grouped.itertuples(index=False)
        )


def _grain_of(frame: pd.DataFrame) -> Grain | None:
    if not frame["start"].notna().any():
        return None
    days = (frame["end"] - frame["start"]).dt.days.dropna()
    if days.between(28, 31).all():
        return "month"
    if (days == 7).all():
        return "week"
    if (days == 1).all():
        return "day"
    return "range"


def monthly(frame: pd.DataFrame) -> pd.DataFrame:
    """The same spend over calendar months: each row split by days where it crosses one."""
    dated = frame[frame["start"].notna()]
    undated = frame[frame["start"].isna()]
    if dated.empty:
        return frame
    first = dated["start"].min().to_period("M").to_timestamp()
    last = (dated["end"].max() - pd.Timedelta(days=1)).to_period("M").to_timestamp()
    months = pd.date_range(first, last, freq="MS")
    parts = []
    for month in months:
        part = split_into(dated, month, month + pd.offsets.MonthBegin(1))
        parts.append(part[part["amount"] != 0])
    out = pd.concat([*parts, undated], ignore_index=True)
    return (
        out.groupby([*COLUMNS[:4], "currency"], dropna=False, sort=False)["amount"]
        .sum()
        .reset_index()[list(COLUMNS)]
    )


def split_into(rows: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The share of each dated row spent within [start, end), pro rata by days."""
    begin = rows["start"].where(rows["start"] > start, start)
    finish = rows["end"].where(rows["end"] < end, end)
    inside = (finish - begin).dt.days.clip(lower=0)
    whole = (rows["end"] - rows["start"]).dt.days.clip(lower=1)
    return rows.assign(start=begin.where(inside > 0, start), end=finish.where(inside > 0, end),
                       amount=rows["amount"] * inside / whole)  # fmt: skip


# ---- recognition ------------------------------------------------------------------------------


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        str(c)
        for c in frame.columns
        if (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype))
        and frame[c].notna().any()
        and not str(c).endswith(CURRENCY_SUFFIX)
    ]


def _number_columns(frame: pd.DataFrame) -> list[str]:
    return [
        str(c)
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c].dtype)
        and not pd.api.types.is_bool_dtype(frame[c].dtype)
        and frame[c].notna().any()
    ]


def _amount_column(frame: pd.DataFrame, exclude: set[str]) -> tuple[str | None, str | None]:
    """(column, reason it is a guess or None)."""
    numbers = [c for c in _number_columns(frame) if c not in exclude]
    hinted = [c for c in numbers if _hint("amount", c) and not re.search(_NOT_MONEY, norm_label(c))]
    if hinted:
        return hinted[0], None
    money = [c for c in numbers if not re.search(_NOT_MONEY, norm_label(c))]
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


def _period_columns(
    frame: pd.DataFrame, within: tuple[pd.Timestamp, pd.Timestamp] | None, exclude: set[str]
) -> dict[str, Periods]:
    found = {}
    for c in frame.columns:
        c = str(c)
        if c in exclude or c.endswith(CURRENCY_SUFFIX):
            continue
        col = frame[c]
        filled = col.notna() & ~col.map(_is_total)
        if not filled.any():
            continue
        if pd.api.types.is_numeric_dtype(col.dtype) and not _hint("period", c):
            continue  # amounts and counts are numbers; an Excel serial date is named as a date
        periods = parse_periods(col, within=within)
        share = float(periods.read[filled.to_numpy()].mean())
        # Most cells read as periods: the rest are notes or typos, listed, never a campaign.
        if share > 0.5:
            found[c] = (share, periods)
    return {c: found[c][1] for c in sorted(found, key=lambda c: -found[c][0])}


_NUMBER_LIKE = re.compile(r"^[\d\s.,%()+\-−  ]*\d[\d\s.,%()+\-−  ]*$")


def _names_things(col: pd.Series) -> bool:
    """Whether a text column holds names (not rates such as "1,5%" or codes of digits)."""
    values = col.dropna().astype(str)
    return bool(len(values)) and values.str.match(_NUMBER_LIKE).mean() < 0.5


def _channel_column(
    frame: pd.DataFrame, texts: list[str], channels: Sequence[str]
) -> tuple[str | None, str | None]:
    texts = [c for c in texts if _names_things(frame[c])]
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
    hinted = [c for c in texts if _hint("channel", c) and not _hint("campaign", c)]
    if hinted:
        return hinted[0], None
    plain = [c for c in texts if not _hint("campaign", c)]
    if not plain:
        return None, None  # campaigns alone: an ad account's report, one channel throughout
    best = min(plain, key=lambda c: frame[c].nunique())
    return best, "no header names the channel and no value is one of the deals' channels"


def _currency_column(frame: pd.DataFrame, amount: str, texts: list[str]) -> str | None:
    marks = amount + CURRENCY_SUFFIX
    if marks in frame.columns:
        return marks
    for c in texts:
        values = frame[c].dropna().astype(str).str.strip().str.upper()
        if len(values) and (_hint("currency", c) or values.isin(_CODES).mean() >= 0.9):
            return c
    return None


_CODES = {"RUB", "RUR", "USD", "EUR", "KZT", "UAH", "BYN", "CNY", "GBP", "₽", "$", "€", "РУБ",
          "РУБ.", "Р.", "ТГ", "ГРН"}  # fmt: skip
_CODE_OF = {"RUR": "RUB", "₽": "RUB", "$": "USD", "€": "EUR", "РУБ": "RUB", "РУБ.": "RUB",
            "Р.": "RUB", "ТГ": "KZT", "ГРН": "UAH"}  # fmt: skip


def _currency_code(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip().upper()
    return _CODE_OF.get(text, text)


# ---- reading -----------------------------------------------------------------------------------


def read_spend(
    frame: pd.DataFrame,
    *,
    channels: Sequence[str] = (),
    spec: SpendSpec | None = None,
    within: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    source: str = "spend",
) -> Spend:
    """The spend in ``frame`` (as a reader returns it), recognised or as ``spec.columns`` say.

    ``channels`` are the deals' channel labels (they tell the channel column); ``within`` the
    deals' first and last dates (a month written without a year takes its year from them).
    """
    if frame.empty or not len(frame.columns):
        raise InputError("the spend table is empty", code="spend_empty", file=source)
    typed = coerce_frame(frame)
    # A header typed as a date (a month's first or last day across the top) is named by its text.
    typed.columns = [str(c) for c in typed.columns]
    named = dict(spec.columns) if spec is not None else {}
    missing = [h for h in named.values() if h not in typed.columns]
    if missing:
        raise InputError(
            f"the spend table has no column {missing[0]!r}",
            code="spend_column_missing",
            file=source,
            column=missing[0],
            expected="the columns named in the mapping's spend block",
            params={"column": missing[0]},
        )
    layout = spec.layout if spec is not None else None
    if layout == "wide" or (layout is None and not named):
        wide = _wide(typed, channels, within)
        if wide is not None:
            return _finish(wide, spec, source)
    return _finish(_long(typed, named, channels, within, source, spec), spec, source)


@dataclass
class _Read:
    rows: pd.DataFrame  # channel, campaign, start, end, amount, currency + "_row" (1-based)
    columns: dict[str, str]
    layout: SpendLayout
    grain: Grain | None
    guessed: dict[str, str]
    notices: list[Notice]


def _long(
    typed: pd.DataFrame,
    named: dict[str, str],
    channels: Sequence[str],
    within: tuple[pd.Timestamp, pd.Timestamp] | None,
    source: str,
    spec: SpendSpec | None,
) -> _Read:
    guessed: dict[str, str] = {}
    texts = _text_columns(typed)
    amount = named.get("amount")
    if amount is None:
        amount, why = _amount_column(typed, set(named.values()))
        if why:
            guessed["amount"] = why
    if amount is None:
        raise InputError(
            "no column of amounts spent",
            code="spend_no_amount",
            file=source,
            expected="a column such as Расход, Бюджет, Spend or Cost with numbers",
        )
    if not pd.api.types.is_numeric_dtype(typed[amount].dtype):
        typed = typed.assign(**{amount: parse_numbers(typed[amount])})
    taken = {amount, *named.values()}
    periods: dict[str, Periods] = {}
    for role in ("period", "start", "end"):
        if role in named:
            periods[role] = parse_periods(typed[named[role]], within=within)
    if not periods:
        found = _period_columns(typed, within, taken)
        starts = [c for c in found if _hint("start", c)]
        ends = [c for c in found if _hint("end", c)]
        if starts and ends:
            periods = {"start": found[starts[0]], "end": found[ends[0]]}
            named.update(start=starts[0], end=ends[0])
        elif found:
            best = next((c for c in found if _hint("period", c)), next(iter(found)))
            periods = {"period": found[best]}
            named["period"] = best
        taken |= set(named.values())
    texts = [c for c in texts if c not in taken]
    channel = named.get("channel")
    fixed = spec.channel if spec is not None else None
    if channel is None and fixed is None:
        channel, why = _channel_column(typed, texts, channels)
        if channel is not None:
            named["channel"] = channel
            if why:
                guessed["channel"] = why
    rest = [c for c in texts if c != channel]
    campaign = named.get("campaign") or next((c for c in rest if _hint("campaign", c)), None)
    if campaign is None and channel is not None:
        more = [c for c in rest if typed[c].nunique() > typed[channel].nunique()]
        campaign = more[0] if len(more) == 1 else None
    if campaign is not None:
        named["campaign"] = campaign
    currency = named.get("currency") or _currency_column(
        typed, amount, [c for c in rest if c != campaign]
    )
    if currency is not None:
        named["currency"] = currency
    named["amount"] = amount
    n = len(typed)
    nat = np.full(n, np.datetime64("NaT", "ns"))
    if "start" in periods and "end" in periods:
        start = periods["start"].start
        end = periods["end"].end
        grain: Grain | None = "range"
    elif "period" in periods:
        start, end, grain = periods["period"].start, periods["period"].end, periods["period"].grain
    else:
        start, end, grain = nat, nat.copy(), None
    rows = pd.DataFrame(
        {
            "channel": typed[channel] if channel is not None else fixed or NONE_LABEL,
            "campaign": typed[campaign] if campaign is not None else "",
            "start": start,
            "end": end,
            "amount": typed[amount].to_numpy(dtype=float),
            "currency": typed[currency].map(_currency_code) if currency is not None else "",
            "_row": np.arange(n) + 1,
            "_period": typed[named["period"]] if "period" in named else None,
        }
    )
    notices = []
    period_cells = rows.pop("_period")
    if periods:
        # A row with an amount and a period cell that is not a period (a note, a typo).
        unread = rows["start"].isna() & rows["amount"].notna() & period_cells.notna()
        unread &= ~period_cells.map(_is_total) & ~rows["channel"].map(_is_total)
        if unread.any():
            notices.append(_listed("spend_period_unread", rows[unread], period_cells[unread]))
            rows = rows[~unread]
    return _Read(rows, named, "long", grain, guessed, notices)


def _wide(
    typed: pd.DataFrame,
    channels: Sequence[str],
    within: tuple[pd.Timestamp, pd.Timestamp] | None,
) -> _Read | None:
    """Months across the top (channels down the side), or channels across the top."""
    headers = pd.Series([str(c) for c in typed.columns], dtype="object")
    numbers = set(_number_columns(typed))
    as_periods = parse_periods(headers, within=within)
    period_cols = [
        str(c)
        for c, ok in zip(typed.columns, as_periods.read, strict=True)
        if ok and (str(c) in numbers or typed[c].isna().all())
    ]
    if len(period_cols) >= 2:
        texts = [c for c in _text_columns(typed) if c not in period_cols]
        channel, why = _channel_column(typed, texts, channels)
        if channel is None:
            return None
        index = {str(c): i for i, c in enumerate(typed.columns)}
        parts = []
        for c in period_cols:
            i = index[c]
            amounts = parse_numbers(typed[c]) if c not in numbers else typed[c].astype(float)
            parts.append(
                pd.DataFrame(
                    {
                        "channel": typed[channel],
                        "campaign": "",
                        "start": as_periods.start[i],
                        "end": as_periods.end[i],
                        "amount": amounts.to_numpy(dtype=float),
                        "currency": "",
                        "_row": np.arange(len(typed)) + 1,
                    }
                )
            )
        rows = pd.concat(parts, ignore_index=True)
        guessed = {"channel": why} if why else {}
        return _Read(rows, {"channel": channel}, "wide", as_periods.grain, guessed, [])
    # Periods down the side, channels across the top: every other header is a channel.
    known = {norm_label(c) for c in channels}
    found = _period_columns(typed, within, set())
    if not found:
        return None
    period = next(iter(found))
    across = [
        str(c)
        for c in typed.columns
        if str(c) in numbers
        and c != period
        and not _is_total(c)
        and not re.search(_NOT_MONEY, norm_label(c))
        and not _hint("amount", c)
    ]
    if len(across) < 2 and not (across and norm_label(across[0]) in known):
        return None
    beside = [c for c in _text_columns(typed) if c != period]
    if beside and not any(norm_label(c) in known for c in across):
        return None  # a text column beside the numbers: a long table with a channel column
    periods = found[period]
    parts = [
        pd.DataFrame(
            {
                "channel": c,
                "campaign": "",
                "start": periods.start,
                "end": periods.end,
                "amount": typed[c].to_numpy(dtype=float),
                "currency": "",
                "_row": np.arange(len(typed)) + 1,
            }
        )
        for c in across
    ]
    rows = pd.concat(parts, ignore_index=True)
    # The period cells that are totals ("Итого" down the side) are left out below.
    rows.loc[np.tile(typed[period].map(_is_total).to_numpy(), len(across)), "channel"] = "Итого"
    return _Read(rows, {"period": period}, "wide", periods.grain, {}, [])


def _listed(code: str, rows: pd.DataFrame, cells: pd.Series | None = None) -> Notice:
    if cells is None:
        cells = rows["channel"].where(rows["channel"].notna(), rows["campaign"])
    shown = cells.dropna().astype(str).drop_duplicates().head(5).tolist()
    return Notice(
        code,
        {
            "rows": int(rows["_row"].nunique()),
            "amount": float(rows["amount"].sum()),
            "first_rows": sorted(set(rows["_row"].astype(int)))[:5],
            "values": shown,
        },
    )


def _finish(read: _Read, spec: SpendSpec | None, source: str) -> Spend:
    rows = read.rows
    notices = list(read.notices)
    total = rows["channel"].map(_is_total) | rows["campaign"].map(_is_total)
    # A subtotal line: an amount with neither a channel nor a period beside it, under others.
    loose = rows["channel"].isna() & rows["start"].isna() & rows["amount"].notna() & ~total
    if read.layout == "long" and loose.any() and len(rows) > int((loose | total).sum()):
        total |= loose
    if total.any():
        notices.append(_listed("spend_total_rows", rows[total]))
        rows = rows[~total]
    rows = rows[rows["amount"].notna() & (rows["amount"] != 0)]
    rows = rows.assign(
        channel=rows["channel"].where(rows["channel"].notna(), NONE_LABEL).astype(str).str.strip(),
        campaign=rows["campaign"].fillna("").astype(str).str.strip(),
        currency=rows["currency"].fillna("").astype(str),
    )
    negative = rows["amount"] < 0
    if negative.any():
        notices.append(_listed("spend_negative", rows[negative]))
    if rows.empty:
        raise InputError(
            "no amount spent could be read from the spend table",
            code="spend_no_rows",
            file=source,
            expected="rows with a channel, a period and an amount",
        )
    if (rows["channel"] == NONE_LABEL).any() and "channel" not in read.columns:
        notices.append(Notice("spend_no_channel", {"amount": float(rows["amount"].sum())}))
    return Spend(
        rows=rows[list(COLUMNS)].reset_index(drop=True),
        columns=read.columns,
        layout=read.layout,
        grain=read.grain,
        notices=tuple(notices),
        guessed=read.guessed,
    )
