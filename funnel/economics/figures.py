"""What each channel costs and returns: spend against the funnel's leads, stages and won deals.

Definitions (the same in docs/metrics.md):

- The *window* is the span of the spend rows that overlap the deals' dates (the first deal's
  creation to the data's last date). A row is taken whole or left out whole (a month's budget
  is not cut because the export's first deal came on the 5th); what is left out is reported.
  Deals count when created inside the window. Spend with no period is all used: against all
  deals when the whole table has no period, against the window's deals when dated rows stand
  beside it; it has no month, so the monthly figures leave it out (``spend_undated`` says how
  much).
- *Leads* of a channel are its deals created in the window, counted as the funnel counts them
  (the first stage's reached); *reached*, *won* and *won revenue* likewise. Revenue is in the
  deals' main currency; spend in another currency is kept apart, never added.
- cost per lead = spend / leads; cost of stage k = spend / reached[k]; cost per won deal (CAC)
  = spend / won; ROMI = (won revenue - spend) / spend; with a gross margin m: profit = won
  revenue * m - spend and ROMI on profit = profit / spend. Each is *not defined* (NaN, never
  infinity) when its denominator is 0.
- The CAC range comes from the Wilson 95 % range of the lead -> won rate (spend is known, the
  rate is what is uncertain); channels with fewer than ``MIN_DEALS`` leads are too small to
  judge; each channel's lead -> won rate is tested against the rest (two proportions,
  Benjamini-Hochberg over the channels), as Compare does.
- Spend of a channel with no deals in the window is a segment with 0 leads (listed, never
  dropped); channels with leads and no spend are listed too. The total is the sum of the
  segments: all spend in the window against all leads in it.
- Per month, two attributions: *by lead month* (the month's spend against the leads created in
  it and what those leads brought, however late; months younger than the maturity horizon are
  marked young, their figures still growing) and *by calendar month* (the month's spend against
  the revenue of deals won in it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from funnel.compare import MIN_DEALS, benjamini_hochberg
from funnel.notices import Notice
from funnel.stats import two_proportion_p, wilson

ALPHA = 0.05


def ratio(top: ArrayLike, bottom: ArrayLike) -> np.ndarray:
    top, bottom = np.asarray(top, dtype=float), np.asarray(bottom, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)


def cost_per(spend: ArrayLike, count: ArrayLike) -> np.ndarray:
    """Spend per unit; not defined where nothing was spent (a channel whose spend is not in
    the table is not free) or nothing was counted."""
    spend = np.asarray(spend, dtype=float)
    return np.where(spend != 0, ratio(spend, count), np.nan)


@dataclass(frozen=True)
class Economics:
    """Spend against the funnel for G segments (and the total); arrays are per segment."""

    by: str | None
    stages: tuple[str, ...]
    currency: str  # what spend and revenue are counted in ("" when the data names none)
    labels: tuple[str, ...]
    spend: np.ndarray  # (G,)
    reached: np.ndarray  # (G, S)
    won: np.ndarray  # (G,)
    won_amount: np.ndarray  # (G,)
    lost_at: np.ndarray  # (G, S) deals lost at stage k
    matched: np.ndarray  # (G,) bool: the label is the deals' (False: spend on no deal label)
    total_spend: float
    total_reached: np.ndarray  # (S,)
    total_won: int
    total_won_amount: float
    total_lost_at: np.ndarray
    margin: float | None = None
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    spend_outside: float = 0.0  # in the window's currency, outside the window
    spend_undated: float = 0.0  # spend with no period: in the totals, in no month
    other_currency: Mapping[str, float] = field(default_factory=dict)
    deals_outside: int = 0  # deals created outside the window (or with no creation date)
    spend_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # label -> as written
    notices: tuple[Notice, ...] = ()
    months: pd.DataFrame | None = None  # see ``by_month``
    stage_groups: tuple[str, ...] = ()  # each stage's block, as the funnel folds them

    # ---- per segment ----
    @property
    def leads(self) -> np.ndarray:
        return self.reached[:, 0] if self.reached.shape[1] else np.zeros(len(self.labels))

    @property
    def cost_per_lead(self) -> np.ndarray:
        return cost_per(self.spend, self.leads)

    @property
    def stage_cost(self) -> np.ndarray:
        """(G, S) spend per deal that reached stage k."""
        return cost_per(self.spend[:, None], self.reached)

    @property
    def cost_per_won(self) -> np.ndarray:
        return cost_per(self.spend, self.won)

    @property
    def romi(self) -> np.ndarray:
        return ratio(self.won_amount - self.spend, self.spend)

    @property
    def profit(self) -> np.ndarray | None:
        """Won revenue times the margin less the spend; not defined where no spend is recorded
        (a channel missing from the spend table is not free)."""
        if self.margin is None:
            return None
        return np.where(self.spend != 0, self.won_amount * self.margin - self.spend, np.nan)

    @property
    def romi_profit(self) -> np.ndarray | None:
        profit = self.profit
        return None if profit is None else ratio(profit, self.spend)

    @property
    def lost_spend(self) -> np.ndarray:
        """(G, S) the spend that went on the deals lost at stage k (a leak in money spent)."""
        return ratio(self.spend[:, None] * self.lost_at, self.leads[:, None])

    @cached_property
    def win_interval(self) -> tuple[np.ndarray, np.ndarray]:
        return wilson(self.won, self.leads)

    @property
    def win_rate(self) -> np.ndarray:
        return ratio(self.won, self.leads)

    @property
    def cac_range(self) -> tuple[np.ndarray, np.ndarray]:
        """(low, high) cost per won deal from the lead -> won rate's 95 % range (NaN: unbounded)."""
        low, high = self.win_interval
        cheap = cost_per(self.spend, self.leads * high)
        dear = cost_per(self.spend, self.leads * low)
        return cheap, dear

    @property
    def too_small(self) -> np.ndarray:
        return self.leads < MIN_DEALS

    @cached_property
    def verdict(self) -> tuple[str, ...]:
        """Per segment, its lead -> won rate against the rest's: better / worse /
        no_difference / too_small / no_leads (the same test as Compare)."""
        judged = ~self.too_small & self.matched
        k, n = self.won.astype(float), self.leads.astype(float)
        rest_k = k[judged].sum() - np.where(judged, k, 0)
        rest_n = n[judged].sum() - np.where(judged, n, 0)
        raw = np.where(judged, two_proportion_p(k, n, rest_k, rest_n), np.nan)
        p = benjamini_hochberg(raw)
        out = []
        for g in range(len(self.labels)):
            if not self.matched[g] or self.leads[g] == 0:
                out.append("no_leads")
            elif self.too_small[g]:
                out.append("too_small")
            elif np.nan_to_num(p[g], nan=1.0) < ALPHA:
                rest = rest_k[g] / rest_n[g] if rest_n[g] else np.nan
                out.append("better" if self.win_rate[g] > rest else "worse")
            else:
                out.append("no_difference")
        return tuple(out)

    # ---- the total ----
    @property
    def total_leads(self) -> int:
        return int(self.total_reached[0]) if len(self.total_reached) else 0

    def total(self) -> dict[str, float | None]:
        """The whole window's figures (every segment's spend against every lead)."""
        spend = self.total_spend
        leads = self.total_leads

        def div(a: float, b: float) -> float | None:
            return a / b if b else None

        profit = None if self.margin is None else self.total_won_amount * self.margin - spend
        return {
            "spend": spend,
            "leads": leads,
            "cost_per_lead": div(spend, leads) if spend else None,
            "won": self.total_won,
            "cost_per_won": div(spend, self.total_won) if spend else None,
            "won_amount": self.total_won_amount,
            "romi": div(self.total_won_amount - spend, spend),
            "profit": profit,
            "romi_profit": None if profit is None else div(profit, spend),
        }

    @property
    def total_stage_cost(self) -> np.ndarray:
        return ratio(np.full(len(self.total_reached), self.total_spend), self.total_reached)

    @property
    def unmatched_spend(self) -> list[tuple[str, float]]:
        return [(lab, float(s)) for lab, s, m in zip(self.labels, self.spend, self.matched,
                strict=True) if not m]  # fmt: skip

    @property
    def without_spend(self) -> list[str]:
        return [lab for lab, s, n in zip(self.labels, self.spend, self.leads, strict=True)
                if s == 0 and n > 0]  # fmt: skip

    # ---- what is said first: the dearest and cheapest won deal, who does not pay back ----
    def judged(self) -> list[int]:
        """The segments whose cost per won deal can be compared: spend on a deal label, a won
        deal, and enough leads to judge."""
        return [
            g
            for g in range(len(self.labels))
            if self.matched[g]
            and self.spend[g] > 0
            and not self.too_small[g]
            and np.isfinite(self.cost_per_won[g])
        ]

    def dearest_and_cheapest(self) -> tuple[int | None, int | None]:
        """The segment with the dearest won deal and the one with the cheapest (None when no
        segment can be judged, or only one); ties go to the first."""
        found = self.judged()
        if not found:
            return None, None
        cost = self.cost_per_won
        dear = max(found, key=lambda g: (cost[g], -g))
        cheap = min(found, key=lambda g: (cost[g], g))
        return dear, (cheap if cheap != dear else None)

    def losing(self) -> list[int]:
        """The segments whose won revenue does not pay back their spend (ROMI below 0)."""
        romi = self.romi
        return [
            g
            for g in range(len(self.labels))
            if self.matched[g] and self.spend[g] > 0 and self.leads[g] > 0 and romi[g] < 0
        ]

    @property
    def priced(self) -> bool:
        """Whether any deal label has a cost per won deal (so its cost can be charted)."""
        return bool((np.isfinite(self.cost_per_won) & self.matched).any())

    def lost_spend_by_stage(self) -> np.ndarray:
        """(S,) the spend that went on the deals lost at each stage, over every segment."""
        if not self.lost_spend.size:
            return np.zeros(len(self.stages))
        return np.nansum(self.lost_spend, axis=0)

    def costliest_loss(self) -> tuple[int, float, float] | None:
        """(stage, spend, its share of all spend) for the stage whose lost deals took the most
        spend; None when no spend went on a lost deal."""
        lost = self.lost_spend_by_stage()
        if self.total_spend <= 0 or not lost.size or not np.nanmax(lost) > 0:
            return None
        k = int(np.nanargmax(lost))
        return k, float(lost[k]), float(lost[k]) / self.total_spend

    def month_view(self, segment: str | None, *, calendar: bool) -> pd.DataFrame | None:
        """The months of one segment (None: all) under one attribution: month, spend, leads,
        cost_per_lead, won, cost_per_won, won_amount, romi (and young by lead month). None
        when the months were not computed, or by calendar month with no close dates."""
        months = self.months
        if months is None or (calendar and "won_closed" not in months):
            return None
        rows = months[months["segment"].isna() if segment is None else months["segment"] == segment]
        won = rows["won_closed"] if calendar else rows["won"]
        out = pd.DataFrame(
            {
                "month": rows["month"].to_numpy(),
                "spend": rows["spend"].to_numpy(),
                "leads": rows["leads"].to_numpy(),
                "cost_per_lead": rows["cost_per_lead"].to_numpy(),
                "won": won.to_numpy(),
                "cost_per_won": cost_per(rows["spend"], won),
                "won_amount": rows["won_closed_amount" if calendar else "won_amount"].to_numpy(),
                "romi": rows["romi_calendar" if calendar else "romi"].to_numpy(),
            }
        )
        if not calendar:
            out["young"] = rows["young"].to_numpy()
        return out

    def table(self) -> pd.DataFrame:
        """One row per segment with every figure, for display and export."""
        cheap, dear = self.cac_range
        low, high = self.win_interval
        out = pd.DataFrame(
            {
                "segment": self.labels,
                "spend": self.spend,
                "leads": self.leads,
                "cost_per_lead": self.cost_per_lead,
                "won": self.won,
                "win_rate": self.win_rate,
                "win_rate_low": np.where(self.leads > 0, low, np.nan),
                "win_rate_high": np.where(self.leads > 0, high, np.nan),
                "cost_per_won": self.cost_per_won,
                "cost_per_won_low": cheap,
                "cost_per_won_high": dear,
                "won_amount": self.won_amount,
                "romi": self.romi,
                "too_small": self.too_small,
                "verdict": self.verdict,
            }
        )
        if self.margin is not None:
            out["profit"] = self.profit
            out["romi_profit"] = self.romi_profit
        for k, stage in enumerate(self.stages):
            out[f"cost: {stage}"] = self.stage_cost[:, k]
        return out
