"""The two layouts of a spend table turned into rows: long (a row per amount) and wide (periods
across the top and channels down the side, or channels across and periods down)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel.economics.columns import (
    NOT_MONEY,
    amount_column,
    channel_column,
    currency_code,
    currency_column,
    hint,
    is_total,
    number_columns,
    period_columns,
    text_columns,
)
from funnel.economics.periods import Grain, Periods, parse_periods
from funnel.errors import InputError
from funnel.notices import Notice
from funnel.spec_spend import SpendLayout, SpendSpec
from funnel.values import NONE_LABEL, norm_label, parse_numbers


@dataclass
class Read:
    rows: pd.DataFrame  # channel, campaign, start, end, amount, currency + "_row" (1-based)
    columns: dict[str, str]
    layout: SpendLayout
    grain: Grain | None
    guessed: dict[str, str]
    notices: list[Notice]


def read_long(
    typed: pd.DataFrame,
    named: dict[str, str],
    channels: Sequence[str],
    within: tuple[pd.Timestamp, pd.Timestamp] | None,
    source: str,
    spec: SpendSpec | None,
) -> Read:
    guessed: dict[str, str] = {}
    texts = text_columns(typed)
    amount = named.get("amount")
    if amount is None:
        amount, why = amount_column(typed, set(named.values()))
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
        found = period_columns(typed, within, taken)
        starts = [c for c in found if hint("start", c)]
        ends = [c for c in found if hint("end", c)]
        if starts and ends:
            periods = {"start": found[starts[0]], "end": found[ends[0]]}
            named.update(start=starts[0], end=ends[0])
        elif found:
            best = next((c for c in found if hint("period", c)), next(iter(found)))
            periods = {"period": found[best]}
            named["period"] = best
        taken |= set(named.values())
    texts = [c for c in texts if c not in taken]
    channel = named.get("channel")
    fixed = spec.channel if spec is not None else None
    if channel is None and fixed is None:
        channel, why = channel_column(typed, texts, channels)
        if channel is not None:
            named["channel"] = channel
            if why:
                guessed["channel"] = why
    rest = [c for c in texts if c != channel]
    campaign = named.get("campaign") or next((c for c in rest if hint("campaign", c)), None)
    if campaign is None and channel is not None:
        more = [c for c in rest if typed[c].nunique() > typed[channel].nunique()]
        campaign = more[0] if len(more) == 1 else None
    if campaign is not None:
        named["campaign"] = campaign
    currency = named.get("currency") or currency_column(
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
            "currency": typed[currency].map(currency_code) if currency is not None else "",
            "_row": np.arange(n) + 1,
            "_period": typed[named["period"]] if "period" in named else None,
        }
    )
    notices = []
    period_cells = rows.pop("_period")
    if periods:
        # A row with an amount and a period cell that is not a period (a note, a typo).
        unread = rows["start"].isna() & rows["amount"].notna() & period_cells.notna()
        unread &= ~period_cells.map(is_total) & ~rows["channel"].map(is_total)
        if unread.any():
            notices.append(listed("spend_period_unread", rows[unread], period_cells[unread]))
            rows = rows[~unread]
    return Read(rows, named, "long", grain, guessed, notices)


def read_wide(
    typed: pd.DataFrame,
    channels: Sequence[str],
    within: tuple[pd.Timestamp, pd.Timestamp] | None,
) -> Read | None:
    """Months across the top (channels down the side), or channels across the top."""
    headers = pd.Series([str(c) for c in typed.columns], dtype="object")
    numbers = set(number_columns(typed))
    as_periods = parse_periods(headers, within=within)
    period_cols = [
        str(c)
        for c, ok in zip(typed.columns, as_periods.read, strict=True)
        if ok and (str(c) in numbers or typed[c].isna().all())
    ]
    if len(period_cols) >= 2:
        texts = [c for c in text_columns(typed) if c not in period_cols]
        channel, why = channel_column(typed, texts, channels)
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
        return Read(rows, {"channel": channel}, "wide", as_periods.grain, guessed, [])
    # Periods down the side, channels across the top: every other header is a channel.
    known = {norm_label(c) for c in channels}
    found = period_columns(typed, within, set())
    if not found:
        return None
    period = next(iter(found))
    across = [
        str(c)
        for c in typed.columns
        if str(c) in numbers
        and c != period
        and not is_total(c)
        and not re.search(NOT_MONEY, norm_label(c))
        and not hint("amount", c)
    ]
    if len(across) < 2 and not (across and norm_label(across[0]) in known):
        return None
    beside = [c for c in text_columns(typed) if c != period]
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
    rows.loc[np.tile(typed[period].map(is_total).to_numpy(), len(across)), "channel"] = "Итого"
    return Read(rows, {"period": period}, "wide", periods.grain, {}, [])


def listed(code: str, rows: pd.DataFrame, cells: pd.Series | None = None) -> Notice:
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
