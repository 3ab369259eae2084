"""Weak points: the steps that lose the most deals and money, and what fixing each is worth.

A step's rate here is its *decided* conversion: deals still open at the stage are left out, so
young deals do not pass for lost ones. What fixing a step is worth comes from :func:`improve_step`:
the extra deals passing the step at the better rate, carried to a win at the segment's own
downstream rates and priced at its own average won deal. The same engine (:func:`raised`,
:func:`won_per_entrant`) gives the planner's what-if (``funnel.overtime.planner``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from funnel.compare import MIN_DEALS
from funnel.deals import LOST, LOST_UNKNOWN, Deals, main_currency
from funnel.metrics import FunnelCounts, funnel
from funnel.stats import two_proportion_p


@dataclass(frozen=True)
class Uplift:
    extra_passed: float
    extra_won: float
    extra_won_amount: float


# ---- the what-if engine: step rates in, deals won out ----------------------------------------


def raised(
    rates: np.ndarray, step: int, *, points: float = 0.0, to_rate: float | None = None
) -> np.ndarray:
    """``rates`` (the last axis = steps) with ``step`` raised by ``points`` (0.05 = 5 pp) and/or
    to at least ``to_rate``; never lowered, never above 1. NaN rates stay NaN.

    >>> raised(np.array([0.5, 0.4]), 1, points=0.1).round(6).tolist()
    [0.5, 0.5]
    >>> raised(np.array([0.5, 0.9]), 1, to_rate=0.6).tolist()
    [0.5, 0.9]
    """
    out = np.array(rates, dtype=np.float64, copy=True)
    old = out[..., step]
    new = old + max(points, 0.0)
    if to_rate is not None:
        new = np.maximum(new, to_rate)
    out[..., step] = np.where(np.isnan(old), old, np.clip(np.maximum(new, old), 0.0, 1.0))
    return out


def won_per_entrant(rates: np.ndarray, from_step: int = 0) -> np.ndarray:
    """Share of deals entering ``from_step`` that end won: the product of the rates from there
    on (a missing rate, nobody having reached the step, counts as 0).

    >>> float(won_per_entrant(np.array([0.5, 0.4, 0.5])))
    0.1
    """
    rest = np.asarray(rates, dtype=np.float64)[..., from_step:]
    return np.prod(np.nan_to_num(rest, nan=0.0), axis=-1)


def improve_step(
    counts: FunnelCounts, g: int, step: int, new_rate: float, *, currency: int = 0
) -> Uplift:
    """What raising the decided conversion of ``step`` in segment ``g`` to ``new_rate`` brings:
    the deals deciding at the step, carried to a win at the old and the raised rates.

    >>> import numpy as np
    >>> from funnel.metrics import FunnelCounts
    >>> at = np.zeros((1, 2, 4), dtype=np.int64)
    >>> at[0, 0, 2] = 50  # 50 lost at stage 0
    >>> at[0, 1, 1] = 50  # 50 won
    >>> amount = np.zeros((1, 1, 2, 4)); amount[0, 0, 1, 1] = 5000.0
    >>> c = FunnelCounts(("a", "b"), ("a", "b"), (), ((),), at, amount, ("",))
    >>> u = improve_step(c, 0, 0, 0.6)
    >>> round(u.extra_won, 6), round(u.extra_won_amount, 6)
    (10.0, 1000.0)
    """
    trials = float(counts.step_trials_decided[g, step])
    rates = counts.step_conversion_decided[g]
    if not trials or np.isnan(rates[step]) or new_rate <= rates[step]:
        return Uplift(0.0, 0.0, 0.0)
    better = raised(rates, step, to_rate=new_rate)
    extra_passed = trials * float(better[step] - rates[step])
    extra_won = trials * float(won_per_entrant(better, step) - won_per_entrant(rates, step))
    # Over the wins with a known amount: a blank amount is unknown, not a zero-size deal.
    avg_won = float(np.nan_to_num(counts.avg_won_amount[g, currency]))
    return Uplift(extra_passed, extra_won, extra_won * avg_won)


@dataclass(frozen=True)
class Leak:
    """One step of the funnel seen as a leak, with the evidence from its segments."""

    step: int
    stage_from: str
    stage_to: str  # the next stage, or "" for the last step (to won)
    trials: int  # decided deals that reached stage_from
    rate: float  # decided conversion of the step
    lost_deals: int  # deals lost at stage_from
    lost_amount: float
    currency: str
    by: tuple[str, ...]
    best_segment: str | None  # the segment (large enough to judge) doing this step best
    best_rate: float
    worst_segment: str | None
    worst_rate: float
    worst_trials: int
    significant: bool  # best and worst differ beyond noise (two-proportion z-test, 5%)
    extra_won: float  # if the worst segment did the step at the best segment's rate
    extra_won_amount: float
    all_extra_won: float  # if every segment below the best did so
    all_extra_won_amount: float
    too_small: bool  # no two segments large enough to compare
    unknown_lost: int = 0  # lost deals of unknown stage, left out of this step (first only)


def weak_points(
    deals: Deals,
    *,
    by: str | Sequence[str] | None = "channel",
    mask: np.ndarray | None = None,
    min_deals: int = MIN_DEALS,
    grouped: bool = False,
    total: FunnelCounts | None = None,
) -> tuple[Leak, ...]:
    """Every step as a :class:`Leak`, biggest loss of deals first (see :func:`rank`).

    Lost deals of unknown stage are left out of every rate and count here (they are reported
    as ``unknown_lost`` on the first step), so a snapshot's missing information does not pass
    for a leak after the first touch.

    ``total`` is ``funnel(deals, mask=mask)`` when the caller has it already (a page that shows
    the funnel): it is not counted again.
    """
    full = total if total is not None else funnel(deals, mask=mask)
    unknown = int(full.lost_stage_unknown[0])
    total = full.known()
    segs = None
    if by and (not isinstance(by, str) or by in deals.dimensions()):
        segs = funnel(deals, by, mask=mask).known()
    if grouped:
        total = total.grouped()
        segs = segs.grouped() if segs is not None else None
    cur = main_currency(deals)
    stages = total.stages
    lost_amount = total.amount_by_stage(LOST)[0, cur]
    leaks = []
    for k in range(len(stages)):
        trials = int(total.step_trials_decided[0, k])
        if trials == 0:
            continue
        fields = _segment_evidence(segs, k, min_deals, cur) if segs is not None else {}
        leaks.append(
            Leak(
                step=k,
                stage_from=stages[k],
                stage_to=stages[k + 1] if k + 1 < len(stages) else "",
                trials=trials,
                rate=float(total.step_conversion_decided[0, k]),
                lost_deals=int(total.lost_at[0, k]),
                lost_amount=float(lost_amount[k]),
                currency=total.currencies[cur],
                by=segs.by if segs is not None else (),
                unknown_lost=unknown if k == 0 else 0,
                **{**_NO_EVIDENCE, **fields},
            )
        )
    return rank(leaks, "deals")


_NO_EVIDENCE = {
    "best_segment": None,
    "best_rate": float("nan"),
    "worst_segment": None,
    "worst_rate": float("nan"),
    "worst_trials": 0,
    "significant": False,
    "extra_won": 0.0,
    "extra_won_amount": 0.0,
    "all_extra_won": 0.0,
    "all_extra_won_amount": 0.0,
    "too_small": True,
}


def _segment_evidence(segs: FunnelCounts, k: int, min_deals: int, cur: int) -> dict:
    trials = segs.step_trials_decided[:, k]
    rates = segs.step_conversion_decided[:, k]
    judged = np.flatnonzero((trials >= min_deals) & ~np.isnan(rates))
    if len(judged) < 2:
        return {}
    best = judged[np.argmax(rates[judged])]
    worst = judged[np.argmin(rates[judged])]
    p = two_proportion_p(segs.passed[best, k], trials[best], segs.passed[worst, k], trials[worst])
    uplift = improve_step(segs, int(worst), k, float(rates[best]), currency=cur)
    all_won = all_amount = 0.0
    for g in judged:
        u = improve_step(segs, int(g), k, float(rates[best]), currency=cur)
        all_won += u.extra_won
        all_amount += u.extra_won_amount
    return {
        "best_segment": segs.segment_label(int(best)),
        "best_rate": float(rates[best]),
        "worst_segment": segs.segment_label(int(worst)),
        "worst_rate": float(rates[worst]),
        "worst_trials": int(trials[worst]),
        "significant": bool(p < 0.05),
        "extra_won": uplift.extra_won,
        "extra_won_amount": uplift.extra_won_amount,
        "all_extra_won": all_won,
        "all_extra_won_amount": all_amount,
        "too_small": False,
    }


def rank(leaks: Sequence[Leak], key: Literal["deals", "money"] = "deals") -> tuple[Leak, ...]:
    """Leaks ordered by deals lost (or money lost), the step order breaking ties."""
    if key == "money":
        return tuple(sorted(leaks, key=lambda x: (-x.lost_amount, -x.lost_deals, x.step)))
    return tuple(sorted(leaks, key=lambda x: (-x.lost_deals, -x.lost_amount, x.step)))


def lost_deals_at(deals: Deals, step: int, *, mask: np.ndarray | None = None) -> pd.DataFrame:
    """The source rows of the deals lost at stage ``step`` (for a click-through table)."""
    hit = (deals.furthest == step) & np.isin(deals.outcome, (LOST, LOST_UNKNOWN))
    if mask is not None:
        hit &= mask
    rows = deals.rows[hit]
    known = rows[rows >= 0]
    out = deals.source.iloc[known].copy()
    out.insert(0, "stage at loss known", deals.outcome[hit][rows >= 0] == LOST)
    return out.reset_index(drop=True)
