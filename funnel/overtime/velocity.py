"""Velocity: days in each stage and from creation to win, per segment, and the deals stuck now.

Time in stage k is measured from entering k to entering the next stage the deal actually
entered (skipped stages are not waited in); for the last stage, to the close date of a won
deal. Creation to win is ``closed - created`` of won deals (or the last stage's entry date
when the source has no close date).

"Now" is the latest date in the data (:func:`funnel.overtime.maturity.data_as_of`), not
today's clock: an export is a snapshot, and an old export read today would make every open deal
look stuck.

Stuck rule: an open deal whose days at its current stage (now - entry into it) exceed the
``STUCK_PERCENTILE`` of time in that stage among the deals that moved on from it, where at
least ``MIN_MOVED`` deals did. Without stage entry dates (a snapshot with created/closed only)
the deal's age (now - created) is held against the same percentile of creation-to-win days.
With stage dates, an open deal at a stage that has no norm (fewer than ``MIN_MOVED`` deals moved
on from it, or no entry date) is judged by that age rule when the creation-to-win norm exists
(at least ``MIN_MOVED`` wins with both dates); otherwise it is counted as not judged
(:attr:`Stuck.unjudged`), never silently dropped.

Money at risk is summed in the main currency only (:func:`funnel.deals.main_currency`); stuck
deals in other currencies are counted apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from funnel.deals import OPEN, WON, Deals, main_currency
from funnel.overtime.maturity import NAT_NS, NS_PER_DAY, data_as_of

STUCK_PERCENTILE = 80
MIN_MOVED = 5  # fewer deals that moved on than this give no norm for a stage
_NEVER = np.iinfo(np.int64).max


def _ns(values: np.ndarray) -> np.ndarray:
    return values.astype("datetime64[ns]").view(np.int64)


def _days(later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """(later - earlier) in days as float, NaN where either is missing (int64 ns inputs)."""
    ok = (later != NAT_NS) & (earlier != NAT_NS)
    out = np.full(later.shape, np.nan)
    out[ok] = (later[ok] - earlier[ok]) / NS_PER_DAY
    return out


def stage_days(deals: Deals) -> np.ndarray | None:
    """(deals, stages) days each deal spent in each stage before moving on; NaN where it did not
    move on (still there, lost there, skipped it) or the dates are missing. None without stage
    entry dates.

    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> e = np.array([["2025-01-01", "2025-01-11", "NaT"]], dtype="datetime64[ns]")
    >>> d = SimpleNamespace(entered=e, stages=("a", "b", "c"), outcome=np.array([0]),
    ...                     closed=None)
    >>> stage_days(d).tolist()
    [[10.0, nan, nan]]
    """
    if deals.entered is None:
        return None
    entered = _ns(deals.entered)
    n, s = entered.shape
    out = np.full((n, s), np.nan)
    for k in range(s - 1):
        later = entered[:, k + 1 :]
        nxt = np.where(later == NAT_NS, _NEVER, later).min(axis=1)
        nxt = np.where(nxt == _NEVER, NAT_NS, nxt)
        out[:, k] = _days(nxt, entered[:, k])
    if s and deals.closed is not None:
        won = deals.outcome == WON
        last = _days(_ns(deals.closed), entered[:, s - 1])
        out[:, s - 1] = np.where(won, last, np.nan)
    out[out < 0] = np.nan  # a date typed before the previous one is no duration
    return out


def cycle_days(deals: Deals) -> np.ndarray | None:
    """Days from creation to win per deal (NaN unless won with both dates); None without a
    creation date."""
    if deals.created is None:
        return None
    end = deals.closed
    if end is None and deals.entered is not None:
        end = deals.entered[:, -1]
    if end is None:
        return None
    days = _days(_ns(end), _ns(deals.created))
    days[(deals.outcome != WON) | (days < 0)] = np.nan
    return days


@dataclass(frozen=True)
class Durations:
    """Median and quartiles of days from entering stage k to entering stage k+1, and to win."""

    stages: tuple[str, ...]
    step_median: np.ndarray  # (S-1,)
    step_q1: np.ndarray
    step_q3: np.ndarray
    step_n: np.ndarray
    to_win_median: float
    to_win_n: int


def durations(deals: Deals, *, mask: np.ndarray | None = None) -> Durations | None:
    """Time in stage where the source has stage dates, and creation to win where it has dates
    (the funnel page's figures; :func:`velocity` gives them per segment)."""
    n_stages = len(deals.stages)
    q1, med, q3 = (np.full(max(n_stages - 1, 0), np.nan) for _ in range(3))
    cnt = np.zeros(max(n_stages - 1, 0), dtype=np.int64)
    per_stage = stage_days(deals)
    if per_stage is not None:
        rows = per_stage if mask is None else per_stage[mask]
        for k in range(n_stages - 1):
            q1[k], med[k], q3[k], cnt[k] = _spread(rows[:, k])
    cycle = cycle_days(deals)
    to_win = np.array([]) if cycle is None else cycle if mask is None else cycle[mask]
    to_win = to_win[~np.isnan(to_win)]
    if deals.entered is None and not len(to_win):
        return None
    return Durations(
        stages=deals.stages,
        step_median=med,
        step_q1=q1,
        step_q3=q3,
        step_n=cnt,
        to_win_median=float(np.median(to_win)) if len(to_win) else float("nan"),
        to_win_n=len(to_win),
    )


def _spread(days: np.ndarray) -> tuple[float, float, float, int]:
    days = days[~np.isnan(days)]
    if not len(days):
        return (np.nan, np.nan, np.nan, 0)
    q1, med, q3 = np.percentile(days, [25, 50, 75])
    return (float(q1), float(med), float(q3), len(days))


@dataclass(frozen=True)
class Velocity:
    """Days per stage and creation to win, for the whole (row 0, label "") and each segment."""

    stages: tuple[str, ...]
    by: str | None
    labels: tuple[str, ...]  # "" for the whole, then each segment
    stage: np.ndarray  # (G, S, 4): q1, median, q3, n of days in stage before moving on
    to_win: np.ndarray  # (G, 4): q1, median, q3, n of creation-to-win days
    has_stage_dates: bool
    has_cycle: bool
    now: pd.Timestamp | None

    def segments(self, top: int | None = None) -> list[str]:
        """Segment labels (the whole left out), most measured deals first: those timed in the
        first stage, or from creation to win without stage dates; none measured, left out."""
        sizes = self.stage[:, 0, 3] if self.has_stage_dates else self.to_win[:, 3]
        order = [g for g in np.argsort(-sizes, kind="stable") if g > 0 and sizes[g] > 0]
        return [self.labels[g] for g in order][:top]

    def table(self) -> pd.DataFrame:
        """A long table: one row per (segment, stage) plus a 'to win' row per segment
        (stage is None there)."""
        rows = []
        for g, label in enumerate(self.labels):
            names: list[str | None] = [*self.stages, None] if self.has_stage_dates else [None]
            for k, name in enumerate(names):
                q1, med, q3, n = self.to_win[g] if name is None else self.stage[g, k]
                rows.append(
                    {"segment": label, "stage": name, "q1": q1, "median": med, "q3": q3, "n": n}
                )
        out = pd.DataFrame(rows)
        out["n"] = out["n"].astype(np.int64)
        return out

    def shown_table(self) -> pd.DataFrame:
        """:meth:`table` as the page and its export show it: days to one decimal."""
        return self.table().round({"q1": 1, "median": 1, "q3": 1})


def velocity(deals: Deals, by: str | None = None, *, mask: np.ndarray | None = None) -> Velocity:
    """Quartiles of days in stage and of creation to win, overall and per value of ``by``.

    ``by`` is a role or column (see ``Deals.encode``); segments with no deals are left out.
    """
    keep = np.ones(len(deals), dtype=bool) if mask is None else mask
    groups: list[tuple[str, np.ndarray]] = [("", keep)]
    if by is not None:
        enc = deals.encode(by)
        for code, label in enumerate(enc.labels):
            sel = keep & (enc.codes == code)
            if sel.any():
                groups.append((label, sel))
    per_stage = stage_days(deals)
    cycle = cycle_days(deals)
    s = len(deals.stages)
    stage = np.full((len(groups), s, 4), np.nan)
    to_win = np.full((len(groups), 4), np.nan)
    for g, (_, sel) in enumerate(groups):
        if per_stage is not None:
            for k in range(s):
                stage[g, k] = _spread(per_stage[sel, k])
        to_win[g] = _spread(cycle[sel]) if cycle is not None else (np.nan, np.nan, np.nan, 0)
    stage[..., 3] = np.nan_to_num(stage[..., 3])
    return Velocity(
        stages=deals.stages,
        by=by,
        labels=tuple(label for label, _ in groups),
        stage=stage,
        to_win=to_win,
        has_stage_dates=per_stage is not None,
        has_cycle=cycle is not None and bool((~np.isnan(cycle)).any()),
        now=data_as_of(deals),
    )


StuckRule = Literal["stage", "age"]


@dataclass(frozen=True)
class Stuck:
    """The open deals held too long, with the norm each was held against."""

    basis: StuckRule  # "stage": days at the current stage; "age": days since creation
    now: pd.Timestamp | None
    percentile: int
    norms: np.ndarray  # (S,) days per stage ("stage") or one creation-to-win norm ("age")
    norm_n: np.ndarray  # deals the norms were taken from
    deals: pd.DataFrame  # one row per stuck deal, most money at risk first
    open_checked: int  # open deals that could be judged (had a date and a norm)
    open_total: int = 0  # every open deal under the mask
    by_age: int = 0  # of open_checked, judged by the age rule (stage basis, stage had no norm)
    age_norm: float = float("nan")  # the creation-to-win norm (NaN: fewer than min_moved wins)
    unjudged: pd.DataFrame | None = None  # open deals that could not be judged (norm_days NaN)
    at_risk: float = 0.0  # the stuck deals' amounts in the main currency
    currency: str = ""  # the main currency ("" when the source has no currency column)
    other_currency: int = 0  # stuck deals in another currency, left out of at_risk

    @property
    def not_judged(self) -> int:
        return self.open_total - self.open_checked

    def norms_table(self, stages: tuple[str, ...]) -> pd.DataFrame:
        """Per stage (``basis`` "stage"): the norm in days to one decimal, and how many deals
        that moved on it was taken from."""
        return pd.DataFrame(
            {"stage": stages, "norm_days": np.round(self.norms, 1), "norm_n": self.norm_n}
        )


def shown_stuck(frame: pd.DataFrame) -> pd.DataFrame:
    """Stuck (or unjudged) deals as the page and its export show them: whole days, the ratio
    to one decimal."""
    out = frame.copy()
    for col in ("days", "norm_days", "over_days"):
        out[col] = out[col].round(0)
    out["over_ratio"] = out["over_ratio"].round(1)
    return out


STUCK_COLUMNS = (
    "deal",
    "title",
    "owner",
    "channel",
    "amount",
    "stage",
    "days",
    "norm_days",
    "over_days",
    "over_ratio",
    "rule",
)


def stuck_deals(
    deals: Deals,
    *,
    mask: np.ndarray | None = None,
    percentile: int = STUCK_PERCENTILE,
    min_moved: int = MIN_MOVED,
) -> Stuck | None:
    """Open deals now longer at their stage than ``percentile`` % of the deals that moved on.

    The norms come from every deal under ``mask``; None when the source has no dates to judge
    by (no stage entry dates and no creation-to-win times). ``rule`` per row says which norm a
    deal was held against: "stage" or "age" (days since creation against creation to win).
    """
    keep = np.ones(len(deals), dtype=bool) if mask is None else mask
    now = data_as_of(deals)
    per_stage = stage_days(deals)
    s = len(deals.stages)
    open_ = keep & (deals.outcome == OPEN)
    at = deals.furthest.astype(np.int64)
    cycle = cycle_days(deals)
    age_norm, age_n = float("nan"), 0
    age = np.full(len(deals), np.nan)
    if cycle is not None and now is not None and deals.created is not None:
        won = cycle[keep]
        won = won[~np.isnan(won)]
        age_n = len(won)
        age_norm = float(np.percentile(won, percentile)) if age_n >= min_moved else np.nan
        age = _days_to(now, _ns(deals.created))
    # Per deal: judged by the age rule (else by its stage's norm). Booleans, not a million
    # strings: the rule's words are written for the listed deals only.
    aged = np.zeros(len(deals), dtype=bool)
    if per_stage is not None and now is not None:
        basis: StuckRule = "stage"
        norms, norm_n = np.full(s, np.nan), np.zeros(s, dtype=np.int64)
        for k in range(s):
            moved = per_stage[keep, k]
            moved = moved[~np.isnan(moved)]
            norm_n[k] = len(moved)
            if len(moved) >= min_moved:
                norms[k] = np.percentile(moved, percentile)
        assert deals.entered is not None  # stage_days gave days, so there are entry dates
        since = _ns(deals.entered)[np.arange(len(deals)), at]
        days = _days_to(now, since)
        norm = norms[at]
        fallback = open_ & (np.isnan(days) | np.isnan(norm)) & ~np.isnan(age)
        if not np.isnan(age_norm) and fallback.any():
            days = np.where(fallback, age, days)
            norm = np.where(fallback, age_norm, norm)
            aged = fallback
        else:
            fallback[:] = False
    else:
        if cycle is None or now is None or deals.created is None:
            return None
        basis = "age"
        norms, norm_n = np.array([age_norm]), np.array([age_n], dtype=np.int64)
        days, norm = age, np.full(len(deals), age_norm)
        fallback = np.zeros(len(deals), dtype=bool)
        aged = np.ones(len(deals), dtype=bool)
    judged = open_ & ~np.isnan(days) & ~np.isnan(norm)
    hit = np.flatnonzero(judged & (days > norm))
    # Most money at risk first, then most days over; NaN last, ties in deal order. Sorted on
    # the numbers before the frame is built, so no column is taken twice.
    with np.errstate(invalid="ignore"):
        order = np.lexsort((-(days[hit] - norm[hit]), -deals.amount[hit]))
    hit = hit[order]
    frame = _frame(deals, hit, at, days, norm, aged)
    missed = np.flatnonzero(open_ & ~judged)
    unjudged = _frame(deals, missed, at, days, np.full(len(deals), np.nan), aged)
    cur = main_currency(deals)
    currency, in_main = "", np.ones(len(hit), dtype=bool)
    if deals.currency is not None and deals.currency.labels:
        currency = str(deals.currency.labels[cur])
        in_main = deals.currency.codes[hit] == cur
    return Stuck(
        basis,
        now,
        percentile,
        norms,
        norm_n,
        frame,
        int(judged.sum()),
        open_total=int(open_.sum()),
        by_age=int((judged & fallback).sum()),
        age_norm=age_norm,
        unjudged=unjudged,
        at_risk=float(np.nansum(deals.amount[hit][in_main])),
        currency=currency,
        other_currency=int((~in_main).sum()),
    )


def _days_to(now: pd.Timestamp, earlier: np.ndarray) -> np.ndarray:
    """(now - earlier) in days as float, NaN where earlier is missing (int64 ns input)."""
    out = np.full(earlier.shape, np.nan)
    ok = earlier != NAT_NS
    out[ok] = (now.value - earlier[ok]) / NS_PER_DAY
    return out


def _frame(
    deals: Deals,
    idx: np.ndarray,
    at: np.ndarray,
    days: np.ndarray,
    norm: np.ndarray,
    aged: np.ndarray,
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "deal": _column(deals, "deal", idx),
            "title": _column(deals, "title", idx),
            "owner": _segment(deals, "owner", idx),
            "channel": _segment(deals, "channel", idx),
            "amount": deals.amount[idx],
            "stage": _labels(deals.stages, at[idx]),
            "days": days[idx],
            "norm_days": norm[idx],
        },
        columns=list(STUCK_COLUMNS[:8]),
    )
    frame["over_days"] = frame["days"] - frame["norm_days"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["over_ratio"] = frame["days"] / frame["norm_days"]
    frame["rule"] = _labels(("stage", "age"), aged[idx].astype(np.int64))
    return frame


def _labels(labels: Sequence[str], codes: np.ndarray) -> np.ndarray | ExtensionArray:
    """``labels[codes]`` as a column: the few labels are made a column once and taken from, not
    a Python string per deal turned into a column again (the column type is the one a list of
    them gives)."""
    if not len(codes) or not all(isinstance(label, str) for label in labels):
        return np.asarray(labels, dtype=object)[codes]
    return pd.Series(list(labels)).array.take(codes)


def _column(deals: Deals, role: str, idx: np.ndarray) -> list | ExtensionArray | np.ndarray:
    """The source's ``role`` column at deals ``idx`` (None for deals only in a history).

    Taken for the hits only: a million-row source is never turned into Python objects whole.
    Text and whole numbers come as they are when every deal has a row: a list of them would
    give the same column, a string per deal later.
    """
    column = deals.spec.columns.get(role)
    if not column or column not in deals.source.columns:
        return [None] * len(idx)
    rows = deals.rows[idx]
    known = rows >= 0
    picked = deals.source[column].iloc[rows[known]]
    if known.all() and len(idx) and _kept_as_is(picked.dtype):
        return (
            picked.array.copy() if isinstance(picked.dtype, pd.StringDtype) else picked.to_numpy()
        )
    out = np.full(len(idx), None, dtype=object)
    out[known] = picked.to_numpy(dtype=object)
    if pd.api.types.is_float_dtype(picked.dtype):
        return [_plain(v) for v in out]
    return out.tolist()


def _kept_as_is(dtype: object) -> bool:
    """Would a list of this column's values be a column of this very type again?"""
    return dtype == pd.Series(["text"]).dtype or dtype == np.dtype(np.int64)


def _plain(value: object) -> object:
    """An ID read as 24331925.0 shows as 24331925."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _segment(deals: Deals, role: str, idx: np.ndarray) -> list | ExtensionArray:
    enc = deals.segments.get(role)
    if enc is None:
        return [None] * len(idx)
    picked = _labels(enc.labels, enc.codes[idx])
    return list(picked) if isinstance(picked, np.ndarray) else picked
