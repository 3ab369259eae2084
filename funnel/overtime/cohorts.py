"""Conversion by creation cohort (week, month, quarter), which cohorts are too young to judge,
and where a step's conversion shifted between cohorts.

Definitions (the same in docs/metrics.md):

- A *cohort* is the deals created in one period. Its step k rate is passed[k] / reached[k];
  the *decided* rate leaves out the deals still open at stage k.
- Each step has its own *maturity horizon* (``funnel.overtime.maturity``): the time from creation
  within which ``HORIZON_QUANTILE`` of its attempts were decided, the slower of losing there
  and passing on; created -> won takes the slower of winning and losing. A cohort is
  *immature for a step* while its youngest deals (created on its last day) are younger than
  that step's horizon on the data's last date, or while it is among the youngest cohorts in a
  row whose share of deals still open is over ``OPEN_SHARE_FLOOR`` and over twice that of the
  older half of the cohorts (which shows how many deals stay open for good). The cohort as a
  whole is immature when its created -> won row is: wins are the slowest outcome.
- A *shift* of a step is the split of the mature cohorts into before/after (each side with at
  least ``MIN_SIDE_TRIALS`` decided deals) whose two-proportion test gives the smallest p.
  That p is multiplied by the number of splits tried (Bonferroni), then Benjamini-Hochberg
  adjusts over all steps (and segments).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from funnel.compare import ALPHA, benjamini_hochberg
from funnel.deals import PERIODS, Deals
from funnel.errors import SpecError
from funnel.metrics import funnel

# Re-exported: maturity lived here first, and callers import it from here.
from funnel.overtime.maturity import HORIZON_QUANTILE as HORIZON_QUANTILE
from funnel.overtime.maturity import Maturity as Maturity
from funnel.overtime.maturity import close_dates as close_dates
from funnel.overtime.maturity import data_as_of as data_as_of
from funnel.overtime.maturity import maturity as maturity
from funnel.spec import Change
from funnel.stats import two_proportion_p, wilson
from funnel.values import NONE_LABEL

Period = Literal["week", "month", "quarter"]
Denominator = Literal["decided", "reached"]  # of a step rate: decided attempts, or all
OPEN_SHARE_FLOOR = 0.1
MIN_SIDE_TRIALS = 30
MIN_SIDE_COHORTS = 2
ALL = "all"  # the segment label of the whole funnel (FunnelCounts.segment_label)


@dataclass(frozen=True)
class CohortTrends:
    """Step rates per (segment, cohort), long: one row per segment, cohort and step.

    ``table`` columns: segment, cohort (label), start, end (exclusive), step (k; k == S is
    created -> won), from_stage, to_stage (None = won), deals, trials (reached k), passed,
    open_at, trials_decided, rate, rate_decided, low/high (Wilson of the chosen basis), age_days,
    horizon_days (the step's), immature (for that step). ``cohorts``: one row per (segment,
    cohort) with deals, won, lost, open, open_share, age_days, immature (its created -> won
    row's flag).
    """

    period: Period
    by: str | None
    basis: Denominator
    stages: tuple[str, ...]
    maturity: Maturity
    table: pd.DataFrame
    cohorts: pd.DataFrame
    undated: int  # deals with no creation date, in no cohort

    def segments(self) -> list[str]:
        """Segment labels, most deals first."""
        sizes = self.cohorts.groupby("segment", sort=False)["deals"].sum()
        return list(sizes.sort_values(ascending=False, kind="stable").index)

    def shown_table(self) -> pd.DataFrame:
        """The step table as the page and its export show it: horizons in whole days."""
        return self.table.assign(horizon_days=self.table["horizon_days"].round().astype("Int64"))


def _immature_by_open_share(cohorts: pd.DataFrame) -> np.ndarray:
    """Immature while the open share is well above that of the older cohorts."""
    out = np.zeros(len(cohorts), dtype=bool)
    for _, part in cohorts.groupby("segment", sort=False):
        part = part.sort_values("start")
        older = part.iloc[: max(len(part) // 2, 1)]
        base = older["open"].sum() / max(older["deals"].sum(), 1)
        limit = max(OPEN_SHARE_FLOOR, 2 * base)
        high = part["open_share"].to_numpy() > limit
        # Only the youngest cohorts in a row: an old cohort with a few forgotten deals is done.
        trailing = np.flip(np.logical_and.accumulate(np.flip(high)))
        out[part.index.to_numpy()] = trailing
    return out


def cohort_trends(
    deals: Deals,
    period: Period = "month",
    by: str | None = None,
    *,
    mask: np.ndarray | None = None,
    basis: Denominator = "decided",
    as_of: pd.Timestamp | None = None,
    mat: Maturity | None = None,
) -> CohortTrends:
    """Step conversion per creation cohort, overall (``by=None``) or per segment of ``by``.

    Counts come from ``funnel(deals, [by, period])``: the Funnel and Compare pages' numbers.
    ``mat`` is the maturity of these deals where ``mask`` (dated by creation) when the caller
    has it already, as the overall trends hold it for the trends by segment.
    """
    if period not in PERIODS:
        raise SpecError(
            f"unknown cohort period {period!r}",
            code="unknown_period",
            expected=", ".join(PERIODS),
        )
    if deals.created is None:
        raise SpecError(
            "cohorts need a creation date",
            code="no_created",
            expected="a 'created' column in the spec",
        )
    dims = [period] if by is None else [by, period]
    counts = funnel(deals, dims, mask=mask)
    if mat is None or mat.anchor != "created":
        mat = maturity(deals, mask=mask, as_of=as_of)
    stages = counts.stages
    n_stages = len(stages)
    step_rows: list[dict] = []
    cohort_rows: list[dict] = []
    undated = 0
    reached, passed, open_at = counts.reached, counts.passed, counts.open_at
    for g, labels in enumerate(counts.labels):
        segment = ALL if by is None else labels[0]
        label = labels[-1]
        if label == NONE_LABEL:
            undated += int(counts.deals[g])
            continue
        p = pd.Period(label, freq=PERIODS[period])
        start, end = p.start_time.normalize(), (p + 1).start_time.normalize()
        age = (mat.as_of - end).total_seconds() / 86_400 if mat.as_of is not None else np.nan
        n = int(counts.deals[g])
        won, lost, n_open = int(counts.won[g]), int(counts.lost[g]), int(counts.open[g])
        cohort_rows.append(
            {
                "segment": segment,
                "cohort": label,
                "start": start,
                "end": end,
                "deals": n,
                "won": won,
                "lost": lost,
                "open": n_open,
                "open_share": n_open / n if n else np.nan,
                "age_days": age,
            }
        )
        trials = [*reached[g], n]
        wins = [*passed[g], won]
        opens = [*open_at[g], n_open]
        for k in range(n_stages + 1):
            step_rows.append(
                {
                    "segment": segment,
                    "cohort": label,
                    "start": start,
                    "end": end,
                    "step": k,
                    "from_stage": stages[k] if k < n_stages else stages[0],
                    "to_stage": stages[k + 1] if k + 1 < n_stages else None,
                    "deals": n,
                    "trials": int(trials[k]),
                    "passed": int(wins[k]),
                    "open_at": int(opens[k]),
                }
            )
    cohorts = pd.DataFrame(cohort_rows)
    table = pd.DataFrame(step_rows)
    key = ["segment", "cohort"]
    if not len(cohorts):
        return CohortTrends(period, by, basis, stages, mat, table, cohorts, undated)
    # Too young for the step's slower outcome, or still holding far more open deals than
    # older cohorts do. No horizon (no close dates) is NaN, which no age is under.
    cohorts["immature"] = _immature_by_open_share(cohorts)
    table = table.merge(cohorts[[*key, "age_days", "immature"]], on=key, how="left")
    horizons = [mat.step_horizon(k) for k in range(n_stages + 1)]
    by_step = np.array([np.nan if h is None else h for h in horizons], dtype=float)
    table["horizon_days"] = by_step[table["step"].to_numpy()]
    table["immature"] = table["immature"] | (table["age_days"] < table["horizon_days"])
    # Rows come cohort by cohort, steps 0..S: the created -> won rows line up with cohorts.
    cohorts["immature"] = table.loc[table["step"] == n_stages, "immature"].to_numpy(dtype=bool)
    table["trials_decided"] = table["trials"] - table["open_at"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["rate"] = table["passed"] / table["trials"]
        table["rate_decided"] = table["passed"] / table["trials_decided"]
    base = table["trials_decided"] if basis == "decided" else table["trials"]
    low, high = wilson(table["passed"].to_numpy(), base.to_numpy())
    table["low"], table["high"] = low, high
    return CohortTrends(period, by, basis, stages, mat, table, cohorts, undated)


@dataclass(frozen=True)
class Shift:
    """The most significant before/after split of one step's conversion across cohorts."""

    segment: str
    step: int
    from_stage: str
    to_stage: str | None  # None: won
    first_after: str  # the first cohort of the "after" side
    start: pd.Timestamp  # its first day
    before_passed: int
    before_trials: int
    after_passed: int
    after_trials: int
    p_value: float  # the split's raw p times the number of splits tried
    p_adjusted: float  # then Benjamini-Hochberg over every step and segment
    significant: bool

    @property
    def before_rate(self) -> float:
        return self.before_passed / self.before_trials

    @property
    def after_rate(self) -> float:
        return self.after_passed / self.after_trials


def _best_split(part: pd.DataFrame, trials_col: str, min_trials: int, min_cohorts: int):
    passed = part["passed"].to_numpy(dtype=np.int64)
    trials = part[trials_col].to_numpy(dtype=np.int64)
    k_left, n_left = np.cumsum(passed)[:-1], np.cumsum(trials)[:-1]
    k_right, n_right = passed.sum() - k_left, trials.sum() - n_left
    at = np.arange(1, len(part))
    ok = (
        (n_left >= min_trials)
        & (n_right >= min_trials)
        & (at >= min_cohorts)
        & (len(part) - at >= min_cohorts)
    )
    if not ok.any():
        return None
    p = np.where(ok, two_proportion_p(k_left, n_left, k_right, n_right), np.nan)
    if np.isnan(p).all():
        return None
    i = int(np.nanargmin(p))
    tried = int(ok.sum())
    return i + 1, min(1.0, float(p[i]) * tried), (k_left[i], n_left[i], k_right[i], n_right[i])


def find_shifts(
    trends: CohortTrends,
    *,
    min_side_trials: int = MIN_SIDE_TRIALS,
    min_side_cohorts: int = MIN_SIDE_COHORTS,
    alpha: float = ALPHA,
) -> tuple[Shift, ...]:
    """Per segment and step, the before/after split of the mature cohorts that differs most;
    significant shifts first, then by adjusted p.

    Immature (cohort, step) rows are left out: their open deals would show as a false drop.
    """
    if not len(trends.table):
        return ()
    trials_col = "trials_decided" if trends.basis == "decided" else "trials"
    mature = trends.table[~trends.table["immature"]]
    found = []
    for (segment, _), part in mature.groupby(["segment", "step"], sort=False):
        part = part.sort_values("start").reset_index(drop=True)
        best = _best_split(part, trials_col, min_side_trials, min_side_cohorts)
        if best is None:
            continue
        at, p, (k1, n1, k2, n2) = best
        row = part.iloc[at]
        found.append(
            {
                "segment": str(segment),
                "step": int(row["step"]),
                "from_stage": row["from_stage"],
                "to_stage": row["to_stage"] if isinstance(row["to_stage"], str) else None,
                "first_after": row["cohort"],
                "start": row["start"],
                "before_passed": int(k1),
                "before_trials": int(n1),
                "after_passed": int(k2),
                "after_trials": int(n2),
                "p_value": p,
            }
        )
    if not found:
        return ()
    adjusted = benjamini_hochberg(np.array([f["p_value"] for f in found], dtype=float))
    shifts = [
        Shift(**f, p_adjusted=float(q), significant=bool(q < alpha))
        for f, q in zip(found, adjusted, strict=True)
    ]
    return tuple(sorted(shifts, key=lambda s: (not s.significant, s.p_adjusted)))


NEAR_PERIODS = 3  # a split is a month or two off at ~20 attempts a month


def near_change(
    shift: Shift, changes: Iterable[Change], period: Period, *, within: int = NEAR_PERIODS
) -> Change | None:
    """The marked change nearest a shift, if one lies within ``within`` periods of the first
    cohort after it: the likelier cause, which the before/after view tests directly. The split
    itself is noisy, so an exact match is not asked for; of two as near, the first given.

    >>> from datetime import date
    >>> s = Shift("all", 0, "a", "b", "2026-03", pd.Timestamp("2026-03-01"), 1, 2, 1, 2, 0.0, 0.0,
    ...           True)
    >>> near_change(s, [Change(date(2025, 10, 1), "far"), Change(date(2026, 1, 15), "new")],
    ...             "month").label
    'new'
    """
    freq = PERIODS[period]
    split = pd.Timestamp(shift.start).to_period(freq)
    near = [c for c in changes if abs((pd.Timestamp(c.date).to_period(freq) - split).n) <= within]
    near.sort(key=lambda c: abs((pd.Timestamp(c.date) - shift.start).days))
    return near[0] if near else None
