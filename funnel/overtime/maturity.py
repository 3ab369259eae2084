"""How long the data has run and how long each step takes to be decided: the maturity horizons
the Trends and Before/after views use to leave out attempts too young to judge.

Definitions (the same in docs/metrics.md):

- "Now" (``as_of``) is the latest creation, close or stage-entry date in the data.
- The *overall horizon* is the time within which ``HORIZON_QUANTILE`` of the closed deals
  (won or lost, with both dates) closed, in days from creation.
- A step attempt k (a deal that reached stage k, passing when it gets to k+1) is dated by its
  *anchor*: the day it entered stage k when the source has stage dates, else its creation.
  It is *decided* when it is lost at k or passes k. The *step horizon* of k is the larger of
  the ``HORIZON_QUANTILE`` of the days from anchor to loss (deals lost at k) and from anchor to
  passing (the entry into the next stage the deal actually entered). One horizon over all
  closed deals would be set by the quick losses, far too short for slow passes (wins), so a
  young period would count its quick losses and miss its slow passes: a false drop.
- Without stage dates the day a deal passed k is unknown; it is bounded above by the close
  date of the deals that passed k and are closed (won, or lost further on). That bound is
  used: conservative, it can only make the horizon longer.
- The created -> won row's horizon is the larger of the quantile of creation -> win days
  (won deals) and creation -> loss days (lost deals).
- An outcome seen fewer than ``MIN_OUTCOME_N`` times is not trusted: the other outcome's
  quantile is used, or the overall horizon when both are that rare. No step horizon is
  shorter than the overall one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from funnel.deals import LOST, LOST_UNKNOWN, OPEN, WON, Deals

Anchor = Literal["created", "entered"]
HORIZON_QUANTILE = 0.8
MIN_OUTCOME_N = 5
NS_PER_DAY = 86_400 * 10**9
NAT_NS = np.iinfo(np.int64).min  # NaT seen as int64 nanoseconds: the smallest int64


@dataclass(frozen=True)
class Maturity:
    """When the data ends and how long deals take to be decided, for judging young attempts.

    ``step_days[k]`` is step k's horizon (k == number of stages: created -> won), empty when
    the data cannot tell; ``step_n[k]`` = (lost, passed) attempts it was measured on.
    """

    as_of: pd.Timestamp | None  # the latest date in the data (creation, close or stage entry)
    horizon_days: float | None  # HORIZON_QUANTILE of creation-to-close days; None when unknown
    closed_n: int  # closed deals the horizon was measured on
    step_days: tuple[float, ...] = ()
    step_n: tuple[tuple[int, int], ...] = ()
    anchor: Anchor = "created"

    @property
    def cutoff(self) -> pd.Timestamp | None:
        """Deals created after this have not had the overall horizon's time to close."""
        return self._cut(self.horizon_days)

    def step_horizon(self, step: int) -> float | None:
        """Step ``step``'s horizon in days (the overall one when steps are unknown)."""
        return self.step_days[step] if self.step_days else self.horizon_days

    def step_cutoff(self, step: int) -> pd.Timestamp | None:
        """Attempts at ``step`` anchored on or after this day are too young to judge."""
        return self._cut(self.step_horizon(step))

    def _cut(self, days: float | None) -> pd.Timestamp | None:
        if self.as_of is None or days is None:
            return None
        return (self.as_of - pd.Timedelta(days=days)).normalize()


def data_as_of(deals: Deals) -> pd.Timestamp | None:
    """The latest creation, close or stage-entry date: "today" as far as the data knows.

    Every over-time view measures from it, not from the clock: an export is a snapshot, and an
    old export read today would make every open deal look stuck and every cohort mature.
    """
    # NaT is the smallest int64: the largest int is the latest date, or NaT when none is set.
    latest = [
        int(np.asarray(a).astype("datetime64[ns]", copy=False).view(np.int64).max())
        for a in (deals.created, deals.closed, deals.entered)
        if a is not None and np.asarray(a).size
    ]
    latest = [v for v in latest if v != NAT_NS]
    return pd.Timestamp(np.datetime64(max(latest), "ns")) if latest else None


def close_dates(deals: Deals) -> np.ndarray | None:
    """When each closed deal closed: the close date, else its last stage entry (NaT if open)."""
    end = deals.closed
    if deals.entered is not None:
        # NaT is the smallest int64, so a row's max over the ints skips it.
        last = deals.entered.view(np.int64).max(axis=1, initial=NAT_NS)
        last = last.view("datetime64[ns]")
        end = last if end is None else np.where(np.isnat(end), last, end)
    if end is None:
        return None
    # Outcomes are OPEN, WON, LOST, LOST_UNKNOWN: every one but OPEN is closed.
    closed = deals.outcome != OPEN
    return np.where(closed, end, np.datetime64("NaT")).astype("datetime64[ns]")


def _first_entry_from(entered: np.ndarray) -> np.ndarray:
    """(deals, stages): the entry date of stage k, else of the first later stage entered (NaT
    if none): the day a deal that skipped stages got at least that far."""
    ints = entered.view(np.int64)
    out = np.full(ints.shape, NAT_NS, dtype=np.int64)
    never = np.iinfo(np.int64).max
    nxt = np.full(len(ints), never, dtype=np.int64)
    for k in range(ints.shape[1] - 1, -1, -1):
        nxt = np.where(ints[:, k] != NAT_NS, ints[:, k], nxt)
        out[:, k] = np.where(nxt != never, nxt, NAT_NS)
    return out.view("datetime64[ns]")


def step_columns(deals: Deals, anchor: Anchor) -> list[np.ndarray]:
    """:func:`step_dates` as one array per step (S + 1 of them). Dated by creation, every step
    is the very same array: callers compute on a date column once, however many steps share it.
    """
    n, s = len(deals), len(deals.stages)
    created = (
        deals.created.astype("datetime64[ns]", copy=False)
        if deals.created is not None
        else np.full(n, np.datetime64("NaT"), "M8[ns]")
    )
    if anchor != "entered" or deals.entered is None:
        return [created] * (s + 1)
    first = _first_entry_from(deals.entered)
    return [np.where(np.isnat(first[:, k]), created, first[:, k]) for k in range(s)] + [created]


def step_dates(deals: Deals, anchor: Anchor) -> np.ndarray:
    """(deals, stages + 1) the date each step attempt is dated by; the last column is the
    whole funnel (creation -> won), dated by creation.

    With ``entered``, a stage the deal skipped is dated by the next stage it entered, and a
    stage with no date at all by the deal's creation.
    """
    return np.stack(step_columns(deals, anchor), axis=1)


def _day_spans(end: np.ndarray, start: np.ndarray) -> np.ndarray:
    """(end - start) in days per deal, NaN where a date is missing or the span is negative."""
    e, b = end.view(np.int64), start.view(np.int64)
    ok = (e != NAT_NS) & (b != NAT_NS)
    days = np.full(len(e), np.nan)
    days[ok] = (e[ok] - b[ok]) / NS_PER_DAY
    days[days < 0] = np.nan
    return days


def _picked(days: np.ndarray, where: np.ndarray) -> np.ndarray:
    picked = days[where]
    return picked[~np.isnan(picked)]


def _combine(lost: np.ndarray, passed: np.ndarray, overall: float, quantile: float) -> float:
    """The slower outcome's quantile, trusting only outcomes seen ``MIN_OUTCOME_N`` times."""
    found = [float(np.quantile(d, quantile)) for d in (lost, passed) if len(d) >= MIN_OUTCOME_N]
    return max([overall, *found])


def step_horizons(
    deals: Deals,
    overall: float,
    *,
    mask: np.ndarray | None = None,
    anchor: Anchor = "created",
    quantile: float = HORIZON_QUANTILE,
) -> tuple[tuple[float, ...], tuple[tuple[int, int], ...]]:
    """(horizon days, (lost, passed) observations) per step k = 0..S (S: created -> won)."""
    end = close_dates(deals)
    if end is None or deals.created is None:
        return (), ()
    keep = np.ones(len(deals), dtype=bool) if mask is None else mask.astype(bool)
    starts = step_columns(deals, anchor)
    whole = _day_spans(end, starts[-1])  # the last step is dated by creation
    return _step_horizons(deals, end, starts, whole, keep, overall, quantile)


def _step_horizons(
    deals: Deals,
    end: np.ndarray,
    starts: list[np.ndarray],
    whole: np.ndarray,
    keep: np.ndarray,
    overall: float,
    quantile: float,
) -> tuple[tuple[float, ...], tuple[tuple[int, int], ...]]:
    """:func:`step_horizons` from the close dates, the step dates and the creation-to-close
    days, which :func:`maturity` has already worked out."""
    s = len(deals.stages)
    lost = ((deals.outcome == LOST) | (deals.outcome == LOST_UNKNOWN)) & keep
    won_all = deals.outcome == WON
    won = won_all & keep
    # When each deal passed stage k: the next stage it entered, else (no stage dates, or
    # none after k) its close, which is no earlier than the pass: an upper bound.
    first = _first_entry_from(deals.entered) if deals.entered is not None else None
    # Days per deal from each (start, end) pair, computed once: dated by creation, every step
    # measures the same spans and only picks other deals from them.
    # The arrays are kept with their spans, so no id is reused while the dict lives.
    spans: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {
        (id(end), id(starts[s])): (end, starts[s], whole)
    }

    def span(stop: np.ndarray, begin: np.ndarray) -> np.ndarray:
        pair = (id(stop), id(begin))
        if pair not in spans:
            spans[pair] = (stop, begin, _day_spans(stop, begin))
        return spans[pair][2]

    horizons: list[float] = []
    counts: list[tuple[int, int]] = []
    for k in range(s):
        at_k = lost & (deals.furthest == k)
        went_on = keep & ((deals.furthest > k) | won_all)
        pass_date = end
        if first is not None and k + 1 < s:
            pass_date = np.where(np.isnat(first[:, k + 1]), end, first[:, k + 1])
        lost_days = _picked(span(end, starts[k]), at_k)
        pass_days = _picked(span(pass_date, starts[k]), went_on)
        horizons.append(_combine(lost_days, pass_days, overall, quantile))
        counts.append((len(lost_days), len(pass_days)))
    lost_days = _picked(whole, lost)
    won_days = _picked(whole, won)
    horizons.append(_combine(lost_days, won_days, overall, quantile))
    counts.append((len(lost_days), len(won_days)))
    return tuple(horizons), tuple(counts)


def maturity(
    deals: Deals,
    *,
    mask: np.ndarray | None = None,
    as_of: pd.Timestamp | None = None,
    quantile: float = HORIZON_QUANTILE,
    anchor: Anchor = "created",
) -> Maturity:
    """The data's last date, the overall maturity horizon and each step's horizon of ``deals``
    (where ``mask``), steps dated by ``anchor``.

    >>> import pandas as pd
    >>> m = Maturity(as_of=pd.Timestamp("2026-11-20"), horizon_days=50.0, closed_n=10,
    ...              step_days=(50.0, 120.0))
    >>> str(m.cutoff.date()), str(m.step_cutoff(1).date())
    ('2026-10-01', '2026-07-23')
    """
    as_of = as_of if as_of is not None else data_as_of(deals)
    end = close_dates(deals)
    if end is None or deals.created is None:
        return Maturity(as_of=as_of, horizon_days=None, closed_n=0, anchor=anchor)
    keep = np.ones(len(deals), dtype=bool) if mask is None else mask.astype(bool)
    starts = step_columns(deals, anchor)
    whole = _day_spans(end, starts[-1])  # creation to close; the last step is dated by creation
    days = _picked(whole, keep)
    if not len(days):
        return Maturity(as_of=as_of, horizon_days=None, closed_n=0, anchor=anchor)
    overall = float(np.quantile(days, quantile))
    steps, counts = _step_horizons(deals, end, starts, whole, keep, overall, quantile)
    return Maturity(
        as_of=as_of,
        horizon_days=overall,
        closed_n=len(days),
        step_days=steps,
        step_n=counts,
        anchor=anchor,
    )
