"""A spend table as people keep it -> tidy rows (channel, campaign, start, end, amount, currency).

Which column is what is read from the values first and the headers second
(:mod:`funnel.economics.columns`); a long or wide table becomes rows
(:mod:`funnel.economics.layouts`); here the rows are finished. Rows of totals («Итого», "Total")
are left out and said so, so that nothing is counted twice; rows whose amount or period cannot
be read are listed, never dropped in silence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from funnel.economics.columns import is_total, totals, unit_factor, without_notes
from funnel.economics.layouts import Read, listed, read_long, read_wide
from funnel.economics.periods import Grain
from funnel.errors import InputError
from funnel.notices import Notice
from funnel.spec_spend import MAX_INLINE_ROWS, SpendLayout, SpendRow, SpendSpec
from funnel.values import NONE_LABEL, coerce_frame

COLUMNS = ("channel", "campaign", "start", "end", "amount", "currency")


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
    typed = coerce_frame(without_notes(frame))
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
        confirmed = tuple(spec.channels) if spec is not None else ()
        wide = read_wide(typed, channels, within, confirmed)
        if wide is not None:
            # the amounts are across the top: the corner or a total's header gives their unit
            # («Канал, тыс. руб.», «Итого, тыс.»), never a channel's or a month's name
            said = [*wide.columns.values(), *(h for h in typed.columns if is_total(h))]
            return _finish(_in_units(wide, said), spec, source)
    read = read_long(typed, named, channels, within, source, spec)
    amount = read.columns.get("amount")
    return _finish(_in_units(read, [amount] if amount else []), spec, source)


def _in_units(read: Read, headers: Sequence[str]) -> Read:
    """The amounts in units of money when a header writes them in thousands or millions
    («Расход, тыс. руб.»), and a notice that says so."""
    factor, header = next(((f, h) for h in headers if (f := unit_factor(h)) != 1.0), (1.0, None))
    if header is None:
        return read
    rows = read.rows.assign(amount=read.rows["amount"] * factor)
    unit = "millions" if factor == 1_000_000 else "thousands"
    notice = Notice("spend_scaled", {"column": header, "factor": factor, "unit": unit})
    return dataclasses.replace(read, rows=rows, notices=[*read.notices, notice])


def _finish(read: Read, spec: SpendSpec | None, source: str) -> Spend:
    rows = read.rows
    notices = list(read.notices)
    total = totals(rows["channel"]) | totals(rows["campaign"])
    # A subtotal line: an amount with neither a channel nor a period beside it, under others.
    loose = rows["channel"].isna() & rows["start"].isna() & rows["amount"].notna() & ~total
    if read.layout == "long" and loose.any() and len(rows) > int((loose | total).sum()):
        total |= loose
    if total.any():
        notices.append(listed("spend_total_rows", rows[total]))
        rows = rows[~total]
    rows = rows[rows["amount"].notna() & (rows["amount"] != 0)]
    rows = rows.assign(
        channel=rows["channel"].where(rows["channel"].notna(), NONE_LABEL).astype(str).str.strip(),
        campaign=rows["campaign"].fillna("").astype(str).str.strip(),
        currency=rows["currency"].fillna("").astype(str),
    )
    negative = rows["amount"] < 0
    if negative.any():
        notices.append(listed("spend_negative", rows[negative]))
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
