"""The two layouts of a spend table turned into rows: long (a row per amount) and wide (periods
across the top and channels down the side, or channels across and periods down).

A long table may write a period or a channel once over the rows it heads (filled down), a
period as a heading row of its own over its channels' rows, or a range in two date columns.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel.economics.columns import (
    NOT_MONEY,
    amount_column,
    amounts_of,
    channel_column,
    currency_code,
    currency_column,
    hint,
    is_total,
    names_things,
    period_columns,
    text_columns,
    totals,
)
from funnel.economics.periods import Grain, Periods, parse_periods
from funnel.errors import InputError
from funnel.notices import Notice
from funnel.spec_spend import SpendLayout, SpendSpec
from funnel.values import CURRENCY_SUFFIX, NONE_LABEL, norm_label, parse_numbers


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
    typed = _mostly_numbers(typed, set(named.values()), within)
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
        pair = (starts[0], ends[0]) if starts and ends else _range_pair(typed, found)
        if pair is not None:
            periods = {"start": found[pair[0]], "end": found[pair[1]]}
            named.update(start=pair[0], end=pair[1])
        elif found:
            best = next((c for c in found if hint("period", c)), next(iter(found)))
            periods = {"period": found[best]}
            named["period"] = best
        else:
            sections = _sections(typed, amount, within)
            periods = {"section": sections} if sections is not None else {}
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
    typed, periods = _filled_down(typed, named, periods, amount, within)
    rest = [c for c in texts if c != channel]
    campaign = named.get("campaign") or next((c for c in rest if hint("campaign", c)), None)
    if campaign is None and channel is not None:
        more = [
            c
            for c in rest
            if names_things(typed[c]) and typed[c].nunique() > typed[channel].nunique()
        ]
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
        start, end = _range_ends(typed, named, periods)
        grain: Grain | None = "range"
    elif "period" in periods or "section" in periods:
        read = periods.get("period") or periods["section"]
        start, end, grain = read.start, read.end, read.grain
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
        unread &= ~totals(period_cells) & ~totals(rows["channel"])
        if unread.any():
            notices.append(listed("spend_period_unread", rows[unread], period_cells[unread]))
            rows = rows[~unread]
    return Read(rows, named, "long", grain, guessed, notices)


def _mostly_numbers(
    typed: pd.DataFrame, named: set[str], within: tuple[pd.Timestamp, pd.Timestamp] | None
) -> pd.DataFrame:
    """Text columns whose cells are mostly numbers (a footer line under the amounts), as
    numbers; not one whose cells read as periods ("10.2025" is a month, not ten and a bit)."""
    out = {}
    for c in text_columns(typed):
        if c in named:
            continue
        numbers = amounts_of(typed[c])
        if numbers is None:
            continue
        periods = parse_periods(typed[c], within=within)
        if periods.read.sum() * 2 <= typed[c].notna().sum():
            out[c] = numbers
    return typed.assign(**out) if out else typed


def _sections(
    typed: pd.DataFrame, amount: str, within: tuple[pd.Timestamp, pd.Timestamp] | None
) -> Periods | None:
    """Periods as section headings: a row holding only «Январь 2026» over the rows it heads
    (channel and amount, no period), as a month's block in a hand-kept table."""
    marks = [c for c in typed.columns if str(c).endswith(CURRENCY_SUFFIX)]
    body = typed.drop(columns=[*marks, amount])
    lone = body.notna().sum(axis=1).eq(1) & typed[amount].isna()
    if not lone.any() or not lone.iloc[0]:
        return None
    cells = body[lone].bfill(axis=1).iloc[:, 0]
    heads = cells[parse_periods(cells.astype(object), within=within).read]
    if not len(heads) or heads.index[0] != typed.index[0]:
        return None  # the first row heads the rest, or this is no table of sections
    label = pd.Series(None, index=typed.index, dtype=object)
    label[heads.index] = heads
    below = label.ffill().where(label.isna())
    return parse_periods(below, within=within)


def _range_pair(typed: pd.DataFrame, found: dict[str, Periods]) -> tuple[str, str] | None:
    """Two period columns that are a range by their values: in every row the second starts no
    earlier than the first, and in some row later (a flight from the 5th to the 20th)."""
    for a, b in itertools.permutations(found, 2):
        both = found[a].read & found[b].read
        if both.sum() < 1:
            continue
        first, second = found[a].start[both], found[b].start[both]
        if (second >= first).all() and (second > first).any():
            return a, b
    return None


def _range_ends(
    typed: pd.DataFrame, named: dict[str, str], periods: dict[str, Periods]
) -> tuple[np.ndarray, np.ndarray]:
    """[start, end) of a range in two columns: a date is a day, its end the day after (a
    column of month-ends is months to the period reader, but «по 31.01» is a day)."""
    ends = typed[named["end"]]
    if pd.api.types.is_datetime64_any_dtype(ends.dtype):
        end = (ends.dt.normalize() + pd.Timedelta(days=1)).to_numpy(dtype="datetime64[ns]")
    else:
        end = periods["end"].end
    starts = typed[named["start"]]
    if pd.api.types.is_datetime64_any_dtype(starts.dtype):
        return starts.dt.normalize().to_numpy(dtype="datetime64[ns]"), end
    return periods["start"].start, end


def _filled_down(
    typed: pd.DataFrame,
    named: dict[str, str],
    periods: dict[str, Periods],
    amount: str,
    within: tuple[pd.Timestamp, pd.Timestamp] | None,
) -> tuple[pd.DataFrame, dict[str, Periods]]:
    """A period or a channel written once over the rows it heads («Январь 2026» on the first of
    five channels' rows, blank below), written into those rows.

    Told by the values: each of the column's filled values stands once, the blanks are rows
    with an amount and the other key, and there are at least as many blanks as heads (a group
    has rows under its head; one blank among filled cells is a value not known). A total line
    (neither key) gets nothing.
    """
    keys = [named[r] for r in ("period", "channel") if r in named]
    if len(keys) != 2:
        return typed, periods
    out = typed
    for column, other in (keys, keys[::-1]):
        cells = typed[column]
        filled = cells.notna()
        # a total line whose word stands in the other key's column («Total» under the months)
        # is no row of the group above it
        gaps = ~filled & typed[other].notna() & ~totals(typed[other]) & typed[amount].notna()
        heads = cells.where(~totals(cells))  # a subtotal («Итого VK») heads nothing
        if (
            not gaps.any()
            or not filled.iloc[0]
            or heads.dropna().map(norm_label).duplicated().any()
        ):
            continue  # a value again: a long table with a few cells left blank, not groups
        under = ~filled & typed[other].notna()  # rows under a head, with or without amount
        if under.sum() < heads.notna().sum():
            continue  # fewer blanks than heads: cells left blank here and there, not groups
        out = out.assign(**{column: cells.where(filled, heads.ffill().where(gaps))})
        if column == named.get("period"):
            periods = {"period": parse_periods(out[column], within=within)}
    return out, periods


def read_wide(
    typed: pd.DataFrame,
    channels: Sequence[str],
    within: tuple[pd.Timestamp, pd.Timestamp] | None,
    confirmed: Sequence[str] = (),
) -> Read | None:
    """Months across the top (channels down the side), or channels across the top.

    ``confirmed`` are spend labels a person named (the spec's ``channels``): with channels
    across, the columns among them are the spend and the other number columns are not
    (a marketing-mix table keeps impressions, clicks and outside figures beside the spend).
    """
    headers = pd.Series([str(c) for c in typed.columns], dtype="object")
    found_amounts = {str(c): amounts_of(typed[c]) for c in typed.columns}
    amounts = {c: a for c, a in found_amounts.items() if a is not None and a.notna().any()}
    numbers = set(amounts)
    as_periods = parse_periods(headers, within=within)
    period_cols = [
        str(c)
        for c, ok in zip(typed.columns, as_periods.read, strict=True)
        if ok and (str(c) in numbers or typed[c].isna().all())
    ]
    if len(period_cols) >= 2:
        texts = [c for c in text_columns(typed) if c not in period_cols and c not in numbers]
        channel, why = channel_column(typed, texts, channels)
        if channel is None:
            return None
        index = {str(c): i for i, c in enumerate(typed.columns)}
        parts = []
        for c in period_cols:
            i = index[c]
            cells = amounts.get(c, pd.Series(np.nan, index=typed.index))
            parts.append(
                pd.DataFrame(
                    {
                        "channel": typed[channel],
                        "campaign": "",
                        "start": as_periods.start[i],
                        "end": as_periods.end[i],
                        "amount": cells.to_numpy(dtype=float),
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
    named = {norm_label(c) for c in confirmed}
    if any(norm_label(c) in named for c in across):
        across = [c for c in across if norm_label(c) in named]
    if len(across) < 2 and not (across and norm_label(across[0]) in known | named):
        return None
    beside = [
        c
        for c in text_columns(typed)
        if c != period and c not in numbers and names_things(typed[c])
    ]
    once = not typed[period].dropna().map(str).duplicated().any()
    if beside and not once and not any(norm_label(c) in known | named for c in across):
        # A text column beside the numbers and periods that repeat: a long table whose
        # channel column is that text (a period once per row is a wide table's side).
        return None
    periods = found[period]
    parts = [
        pd.DataFrame(
            {
                "channel": c,
                "campaign": "",
                "start": periods.start,
                "end": periods.end,
                "amount": amounts[c].to_numpy(dtype=float),
                "currency": "",
                "_row": np.arange(len(typed)) + 1,
            }
        )
        for c in across
    ]
    rows = pd.concat(parts, ignore_index=True)
    # The period cells that are totals ("Итого" down the side) are left out below.
    rows.loc[np.tile(totals(typed[period]).to_numpy(), len(across)), "channel"] = "Итого"
    guessed = {}
    if not any(norm_label(c) in known | named for c in across):
        guessed["channel"] = "every number column across is taken for a channel's spend"
    return Read(rows, {"period": period}, "wide", periods.grain, guessed, [])


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
