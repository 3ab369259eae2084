"""The planner's what-if: raise one step (by N points, or to the best segment's rate) and redo
the plan: fewer leads for the same target, more won from the same leads.

It runs on the weak-point finder's engine (:func:`funnel.diagnostics.raised`,
:func:`funnel.diagnostics.won_per_entrant`, :class:`funnel.diagnostics.Uplift`), so "what
fixing it is worth" on the Funnel page and here are the same arithmetic.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from funnel.deals import Deals
from funnel.diagnostics import Uplift, raised, won_per_entrant
from funnel.overtime.planner import Plan, PlanHistory, plan


@dataclass(frozen=True)
class StepChange:
    """Raise one step: by ``points`` (0.05 = 5 pp) and/or to the best judged segment's rate;
    in every segment, or in ``only`` one."""

    step: int
    points: float = 0.0
    to_best: bool = False
    only: str | None = None


def best_rate(hist: PlanHistory, step: int) -> tuple[str | None, float]:
    """The segment with the best rate at ``step`` among those with at least min_deals trials."""
    trials = hist.trials[:, step]
    judged = np.flatnonzero(trials >= hist.min_deals)
    if not len(judged):
        return None, float("nan")
    g = int(judged[np.argmax(hist.rates[judged, step])])
    return hist.labels[g], float(hist.rates[g, step])


def changed(hist: PlanHistory, change: StepChange) -> PlanHistory:
    """The history as if ``change`` had been made: rates raised, Wilson bounds scaled along."""
    to_rate = best_rate(hist, change.step)[1] if change.to_best else None
    to_rate = None if to_rate is not None and np.isnan(to_rate) else to_rate
    new = raised(hist.rates, change.step, points=change.points, to_rate=to_rate)
    if change.only is not None:
        pick = np.array([label == change.only for label in hist.labels])
        new = np.where(pick[:, None], new, hist.rates)
    old_w, new_w = won_per_entrant(hist.rates), won_per_entrant(new)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(old_w > 0, new_w / old_w, 1.0)
    return dataclasses.replace(
        hist,
        rates=new,
        win_low=np.clip(hist.win_low * ratio, 0.0, 1.0),
        win_high=np.clip(hist.win_high * ratio, 0.0, 1.0),
    )


@dataclass(frozen=True)
class WhatIf:
    """A step improved: the same target with fewer leads, and more from the same leads."""

    change: StepChange
    before: Plan
    after: Plan  # the same target at the raised rates
    old_rate: np.ndarray  # (G,) the step's rate before and after
    new_rate: np.ndarray
    uplift: tuple[Uplift, ...]  # per segment, from the leads of the plan before

    @property
    def after_leads(self) -> float:
        """Whole leads the same target needs at the raised rates, over the segments the plan
        before counts on (so the two totals compare)."""
        return self.after.totals(self.before.planned).leads

    @property
    def extra(self) -> float:
        """More won deals (or money, by the plan's kind) from the same leads."""
        return float(
            self.after.forecast(self.before.leads_rounded).sum() - self.before.forecast().sum()
        )


def what_if(
    deals: Deals, base: Plan, change: StepChange, *, mask: np.ndarray | None = None
) -> WhatIf:
    """``base`` redone after ``change``: leads for the same target, and the uplift per segment
    from the same leads (extra passed the step, extra won, extra money)."""
    hist = changed(base.history, change)
    mix = dict(zip(base.history.labels, base.mix.tolist(), strict=True))
    after = plan(
        deals,
        hist,
        base.target,
        kind=base.kind,
        start=base.start,
        end=base.end,
        mix=mix,
        mix_basis=base.mix_basis,
        mask=mask,
    )
    leads = np.where(np.isfinite(base.leads_rounded), base.leads_rounded, 0.0)
    k = change.step
    old, new = base.history.rates, hist.rates
    reach_old = leads * won_per_entrant(old[:, :k]) if k else leads
    uplift = []
    avg = np.nan_to_num(base.history.avg_won)
    for g in range(len(leads)):
        extra_won = float(leads[g] * (won_per_entrant(new[g]) - won_per_entrant(old[g])))
        uplift.append(
            Uplift(
                extra_passed=float(reach_old[g] * (new[g, k] - old[g, k])),
                extra_won=extra_won,
                extra_won_amount=extra_won * float(avg[g]),
            )
        )
    return WhatIf(change, base, after, old[:, k].copy(), new[:, k].copy(), tuple(uplift))
