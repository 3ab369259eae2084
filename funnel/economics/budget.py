"""What a plan costs per channel at today's cost per lead, and what moving budget would give.

Definitions (the same words as :mod:`funnel.economics.figures` and
:mod:`funnel.overtime.planner`):

- A plan's *budget* for a segment = the whole new leads it needs x the segment's cost per lead
  today; its range comes from the plan's lead range (the Wilson range of the win rate). A
  segment whose cost per lead is not defined (no spend recorded, as for referrals, or spend
  with no leads) is *unknown*: its leads are still listed, it is never priced at 0, and the
  total is the sum of the priced segments only.
- *Expected CAC at the plan* = the total budget / the wins the priced segments' leads bring at
  the plan's rates (the range: the budget's range over the same wins, since the target fixes
  the wins and the rate's uncertainty moves the leads it takes).
- A *shift* moves an amount of spend from one channel to another at each channel's cost per
  lead, lead -> won rate and average won deal today (ranges from the Wilson range of each
  channel's win rate; the lost and gained ends taken apart, so the net range is wide rather
  than falsely narrow). ROMI is the whole window's: the total spend is unchanged, the won
  revenue moves by the net change.

Caveat: costs per lead rise with volume. Each channel's cheapest leads are bought first, so
more money into a channel buys leads dearer than its average today, and less money out of one
saves its dearest. A shift beyond a fraction of today's spend is therefore optimistic;
:attr:`Shift.beyond_volume` is set when the amount passes ``VOLUME_SHARE`` of the receiving
channel's current spend.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from funnel.economics.figures import Economics
from funnel.overtime.planner import Plan, whole_leads

VOLUME_SHARE = 0.5  # a shift past this share of the receiving channel's spend is optimistic

Priced = Literal["priced", "no_spend", "no_leads", "not_planned"]
Refusal = Literal["same_channel", "unknown_channel", "bad_amount", "no_cost", "too_small",
                  "no_wins", "over_spend"]  # fmt: skip


@dataclass(frozen=True)
class Budget:
    """A plan's budget per segment (the plan's order) and in total; money in ``currency``."""

    labels: tuple[str, ...]
    currency: str
    status: tuple[Priced, ...]  # priced, or why not (not_planned: the plan needs no leads)
    leads: np.ndarray  # (G,) whole new leads the plan needs
    leads_low: np.ndarray  # (G,) at the Wilson high win rate
    leads_high: np.ndarray  # (G,) at the Wilson low win rate (inf when it is 0)
    cost_per_lead: np.ndarray  # (G,) today's; NaN where not defined
    budget: np.ndarray  # (G,) leads x cost per lead; NaN where not priced
    budget_low: np.ndarray
    budget_high: np.ndarray  # inf where the leads' high end is
    wins: np.ndarray  # (G,) won deals the leads bring at the plan's rates

    @property
    def priced(self) -> np.ndarray:
        """(G,) bool: the segments the total counts."""
        return np.array([s == "priced" for s in self.status], dtype=bool)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Segments the plan needs leads from whose cost is not known."""
        return tuple(lab for lab, s in zip(self.labels, self.status, strict=True)
                     if s in ("no_spend", "no_leads"))  # fmt: skip

    @property
    def total(self) -> float:
        return float(self.budget[self.priced].sum())

    @property
    def total_low(self) -> float:
        return float(self.budget_low[self.priced].sum())

    @property
    def total_high(self) -> float:
        return float(self.budget_high[self.priced].sum())

    @property
    def priced_wins(self) -> float:
        return float(self.wins[self.priced].sum())

    def table(self) -> pd.DataFrame:
        """One row per segment the plan needs leads from: segment, leads, cost_per_lead,
        budget, budget_low, budget_high, status."""
        planned = np.array([s != "not_planned" for s in self.status], dtype=bool)
        frame = pd.DataFrame(
            {
                "segment": self.labels,
                "leads": self.leads,
                "cost_per_lead": self.cost_per_lead,
                "budget": self.budget,
                "budget_low": self.budget_low,
                "budget_high": self.budget_high,
                "status": self.status,
            }
        )
        return frame[planned].reset_index(drop=True)

    @property
    def cac(self) -> float | None:
        """Expected cost per won deal at the plan, over the priced segments (None: no wins)."""
        wins = self.priced_wins
        return self.total / wins if wins > 0 else None

    @property
    def cac_range(self) -> tuple[float, float] | None:
        wins = self.priced_wins
        return (self.total_low / wins, self.total_high / wins) if wins > 0 else None


def budget(plan: Plan, econ: Economics) -> Budget:
    """The budget ``plan`` needs at ``econ``'s cost per lead, matched by segment label.

    ``econ`` must be by the plan's segments (its ``by``); a plan segment ``econ`` does not list
    has no spend recorded.
    """
    hist = plan.history
    if econ.by is not None and econ.by != hist.by:
        raise ValueError(f"economics by {econ.by!r}, plan by {hist.by!r}")
    where = {lab: g for g, lab in enumerate(econ.labels)}
    cost = np.full(len(hist.labels), np.nan)
    status: list[Priced] = []
    planned = plan.planned
    for i, lab in enumerate(hist.labels):
        g = where.get(lab)
        if g is not None:
            cost[i] = econ.cost_per_lead[g]
        if not planned[i]:
            status.append("not_planned")
        elif np.isfinite(cost[i]):
            status.append("priced")
        elif g is None or econ.spend[g] == 0:
            status.append("no_spend")
        else:
            status.append("no_leads")
    priced = np.array([s == "priced" for s in status], dtype=bool)
    leads = np.where(planned, plan.leads_rounded, 0.0)
    low = np.where(planned, whole_leads(plan.leads_low), 0.0)
    high = np.where(planned, whole_leads(plan.leads_high), 0.0)

    def price(n: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.where(priced, n * np.where(priced, cost, 0.0), np.nan)

    return Budget(
        labels=hist.labels,
        currency=econ.currency,
        status=tuple(status),
        leads=leads,
        leads_low=low,
        leads_high=high,
        cost_per_lead=cost,
        budget=price(leads),
        budget_low=price(low),
        budget_high=price(high),
        wins=leads * hist.win_rate,
    )


# ---- moving budget between channels -----------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One side of a shift: a channel's leads, wins and revenue (with their ranges)."""

    channel: str
    leads: float
    wins: float
    wins_low: float
    wins_high: float
    revenue: float
    revenue_low: float
    revenue_high: float


@dataclass(frozen=True)
class Shift:
    """What moving ``amount`` from ``source`` to ``target`` would give (see the module's
    caveat). When ``refused`` is set (a code; ``refused_channel`` names the channel it is
    about), the figures are not computed and stay None."""

    source: str
    target: str
    amount: float
    currency: str
    refused: Refusal | None = None
    refused_channel: str | None = None
    lost: Move | None = None  # what the source no longer brings
    gained: Move | None = None  # what the target brings on top
    romi_before: float | None = None
    total_spend: float = 0.0
    beyond_volume: bool = False  # amount > VOLUME_SHARE of the target's spend today

    @property
    def leads_change(self) -> float:
        return (
            0.0 if self.lost is None or self.gained is None else self.gained.leads - self.lost.leads
        )

    @property
    def wins_change(self) -> float:
        return (
            0.0 if self.lost is None or self.gained is None else self.gained.wins - self.lost.wins
        )

    @property
    def revenue_change(self) -> float:
        if self.lost is None or self.gained is None:
            return 0.0
        return self.gained.revenue - self.lost.revenue

    @property
    def revenue_change_range(self) -> tuple[float, float]:
        """The net change's range: the target at its low rate and the source at its high one,
        and the other way round."""
        if self.lost is None or self.gained is None:
            return 0.0, 0.0
        return (
            self.gained.revenue_low - self.lost.revenue_high,
            self.gained.revenue_high - self.lost.revenue_low,
        )

    @property
    def romi_change(self) -> float | None:
        """ROMI points of the whole window (the spend total stays, revenue moves by the net)."""
        return self.revenue_change / self.total_spend if self.total_spend > 0 else None

    @property
    def romi_change_range(self) -> tuple[float, float] | None:
        if self.total_spend <= 0:
            return None
        low, high = self.revenue_change_range
        return low / self.total_spend, high / self.total_spend

    @property
    def romi_after(self) -> float | None:
        change = self.romi_change
        return None if self.romi_before is None or change is None else self.romi_before + change


def _move(econ: Economics, g: int, amount: float) -> Move:
    leads = amount / float(econ.cost_per_lead[g])
    low, high = (float(x[g]) for x in econ.win_interval)
    average = float(econ.won_amount[g] / econ.won[g])
    wins = leads * float(econ.win_rate[g])
    return Move(
        channel=econ.labels[g],
        leads=leads,
        wins=wins,
        wins_low=leads * low,
        wins_high=leads * high,
        revenue=wins * average,
        revenue_low=leads * low * average,
        revenue_high=leads * high * average,
    )


def shift(econ: Economics, source: str, target: str, amount: float) -> Shift:
    """What moving ``amount`` of spend from ``source`` to ``target`` would give at today's
    cost per lead, lead -> won rate and average won deal of each channel.

    Refused (``Shift.refused``) when the channels are the same or not in ``econ``, the amount
    is negative or not a number, a channel has no cost per lead (no spend, or no leads), is
    too small to judge (fewer than MIN_DEALS leads) or won nothing (no average won deal), or
    the amount exceeds the source's spend. Costs per lead rise with volume (the cheapest leads
    are bought first): a shift beyond a fraction of today's spend is optimistic, and
    ``beyond_volume`` says when it passes VOLUME_SHARE of the target's spend.

    >>> import numpy as np
    >>> from funnel.economics.figures import Economics
    >>> econ = Economics(by="channel", stages=("Заявка",), currency="RUB", labels=("A", "B"),
    ...     spend=np.array([1000.0, 1000.0]), reached=np.array([[100.0], [50.0]]),
    ...     won=np.array([10.0, 10.0]), won_amount=np.array([10000.0, 20000.0]),
    ...     lost_at=np.zeros((2, 1)), matched=np.array([True, True]), total_spend=2000.0,
    ...     total_reached=np.array([150.0]), total_won=20, total_won_amount=30000.0,
    ...     total_lost_at=np.zeros(1))
    >>> moved = shift(econ, "B", "A", 100)
    >>> moved.lost.leads, moved.gained.leads, moved.revenue_change
    (5.0, 10.0, -1000.0)
    """
    out = Shift(source=source, target=target, amount=float(amount), currency=econ.currency)
    where = {lab: g for g, lab in enumerate(econ.labels)}

    def refuse(code: Refusal, channel: str | None = None) -> Shift:
        return replace(out, refused=code, refused_channel=channel)

    if source == target:
        return refuse("same_channel", source)
    for name in (source, target):
        if name not in where:
            return refuse("unknown_channel", name)
    if not np.isfinite(amount) or amount < 0:
        return refuse("bad_amount")
    s, t = where[source], where[target]
    for name, g in ((source, s), (target, t)):
        if not np.isfinite(econ.cost_per_lead[g]):
            return refuse("no_cost", name)
    for name, g in ((source, s), (target, t)):
        if econ.too_small[g]:
            return refuse("too_small", name)
    for name, g in ((source, s), (target, t)):
        if econ.won[g] == 0:
            return refuse("no_wins", name)
    if amount > econ.spend[s]:
        return refuse("over_spend", source)
    total = econ.total()
    return replace(
        out,
        lost=_move(econ, s, float(amount)),
        gained=_move(econ, t, float(amount)),
        romi_before=total["romi"],
        total_spend=float(econ.total_spend),
        beyond_volume=bool(amount > VOLUME_SHARE * econ.spend[t]),
    )


def apply(econ: Economics, moved: Shift) -> Economics:
    """``econ`` as it would be after ``moved`` at constant rates: the two channels' spend
    changed, and their leads, stages, wins and revenue scaled with it (fractions of deals, as
    the shift's figures are). A refused shift changes nothing."""
    if moved.refused is not None or moved.lost is None:
        return econ
    where = {lab: g for g, lab in enumerate(econ.labels)}
    factor = np.ones(len(econ.labels))
    spend = econ.spend.astype(float).copy()
    for name, delta in ((moved.source, -moved.amount), (moved.target, moved.amount)):
        g = where[name]
        factor[g] = (spend[g] + delta) / spend[g]
        spend[g] += delta
    reached = econ.reached * factor[:, None]
    won = econ.won * factor
    won_amount = econ.won_amount * factor
    lost_at = econ.lost_at * factor[:, None]
    return replace(
        econ,
        spend=spend,
        reached=reached,
        won=won,
        won_amount=won_amount,
        lost_at=lost_at,
        total_reached=econ.total_reached + (reached - econ.reached).sum(axis=0),
        total_won=econ.total_won + float((won - econ.won).sum()),  # type: ignore[arg-type]
        total_won_amount=econ.total_won_amount + float((won_amount - econ.won_amount).sum()),
        total_lost_at=econ.total_lost_at + (lost_at - econ.lost_at).sum(axis=0),
    )
