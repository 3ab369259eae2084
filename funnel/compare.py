"""Segments side by side: which step conversions differ from the rest beyond noise.

Each cell (segment, step) is tested with a two-proportion z-test against the pooled rest of the
segments (or against a chosen baseline segment); p-values over the whole table are adjusted with
Benjamini-Hochberg so that a wide table does not light up by chance. Segments with fewer than
``min_deals`` deals are marked too small to judge and never marked significant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from funnel.deals import Deals
from funnel.metrics import FunnelCounts, funnel
from funnel.stats import two_proportion_p, wilson

MIN_DEALS = 30
ALPHA = 0.05


@dataclass(frozen=True)
class Comparison:
    counts: FunnelCounts
    successes: np.ndarray  # (G, S) deals that passed step k
    trials: np.ndarray  # (G, S) deals that reached stage k (decided only when decided=True)
    rate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    other_rate: np.ndarray  # the rate it is compared with: the rest, or the baseline
    p_value: np.ndarray  # adjusted (Benjamini-Hochberg)
    significant: np.ndarray  # (G, S) bool
    too_small: np.ndarray  # (G,) bool
    baseline: int | None
    method: str  # "rest" or "baseline"
    decided: bool


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Adjusted p-values (same shape; nan stays nan).

    >>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, np.nan])).round(3).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    flat = p.ravel()
    ok = np.flatnonzero(~np.isnan(flat))
    out = np.full_like(flat, np.nan, dtype=np.float64)
    if len(ok):
        order = ok[np.argsort(flat[ok])]
        m = len(order)
        ranked = flat[order] * m / np.arange(1, m + 1)
        ranked = np.minimum.accumulate(ranked[::-1])[::-1]
        # Mathematically never below the raw p (m / rank >= 1); p * m / m can land one ulp
        # under it in floating point, which made an adjusted p smaller than its raw p.
        out[order] = np.clip(ranked, flat[order], 1.0)
    return out.reshape(p.shape)


def compare(
    deals: Deals,
    by: str | Sequence[str],
    *,
    mask: np.ndarray | None = None,
    baseline: str | None = None,
    min_deals: int = MIN_DEALS,
    decided: bool = False,
    grouped: bool = False,
) -> Comparison:
    """Step conversion of each segment against the rest (or ``baseline``), with significance.

    ``baseline`` is a segment label as ``FunnelCounts.segment_label`` writes it.
    """
    counts = funnel(deals, by, mask=mask)
    if grouped:
        counts = counts.grouped()
    successes = counts.passed
    trials = counts.step_trials_decided if decided else counts.reached
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = successes / trials
    low, high = wilson(successes, trials)
    too_small = counts.deals < min_deals
    base_idx = None
    if baseline is not None:
        names = [counts.segment_label(g) for g in range(len(counts.labels))]
        base_idx = names.index(baseline) if baseline in names else None
    if base_idx is not None:
        other_k = np.broadcast_to(successes[base_idx], successes.shape)
        other_n = np.broadcast_to(trials[base_idx], trials.shape)
        method = "baseline"
    else:
        # Only segments large enough to judge make up "the rest".
        big = ~too_small
        other_k = successes[big].sum(axis=0) - np.where(big[:, None], successes, 0)
        other_n = trials[big].sum(axis=0) - np.where(big[:, None], trials, 0)
        method = "rest"
    raw_p = two_proportion_p(successes, trials, other_k, other_n)
    raw_p[too_small] = np.nan
    if base_idx is not None:
        raw_p[base_idx] = np.nan
        if too_small[base_idx]:
            raw_p[:] = np.nan
    p_value = benjamini_hochberg(raw_p)
    with np.errstate(divide="ignore", invalid="ignore"):
        other_rate = other_k / other_n
    significant = np.nan_to_num(p_value, nan=1.0) < ALPHA
    return Comparison(
        counts=counts,
        successes=successes,
        trials=trials,
        rate=rate,
        low=low,
        high=high,
        other_rate=other_rate,
        p_value=p_value,
        significant=significant,
        too_small=too_small,
        baseline=base_idx,
        method=method,
        decided=decided,
    )


Verdict = Literal["better", "worse", "no_difference", "too_small", "baseline"]


def step_table(comparison: Comparison, *, won_label: str = "Won") -> pd.DataFrame:
    """One row per (segment, step): the step conversion, its 95 % range, what it is compared
    with, the adjusted p-value and a verdict code (better / worse / no_difference / too_small /
    baseline). The last step is the one into ``won_label``.

    >>> from funnel.prepare import prepare
    >>> from funnel.spec import Spec, Stage
    >>> frame = pd.DataFrame({"Канал": ["x"] * 100 + ["y"] * 100,
    ...     "Этап": ["W"] * 30 + ["L"] * 70 + ["W"] * 5 + ["L"] * 95})
    >>> spec = Spec(columns={"channel": "Канал", "stage": "Этап"}, stages=(Stage("A"),),
    ...     won=("W",), lost=("L",))
    >>> table = step_table(compare(prepare(frame, spec), "channel"))
    >>> table[["segment", "step", "successes", "trials", "verdict"]].values.tolist()
    [['x', 'A → Won', 30, 100, 'better'], ['y', 'A → Won', 5, 100, 'worse']]
    """
    counts = comparison.counts
    stages = list(counts.stages)
    nexts = [*stages[1:], won_label]
    rows = []
    for g in range(len(counts.labels)):
        for k, stage in enumerate(stages):
            verdict: Verdict
            if comparison.baseline == g:
                verdict = "baseline"
            elif comparison.too_small[g]:
                verdict = "too_small"
            elif comparison.significant[g, k]:
                better = comparison.rate[g, k] > comparison.other_rate[g, k]
                verdict = "better" if better else "worse"
            else:
                verdict = "no_difference"
            rows.append(
                {
                    "segment": counts.segment_label(g),
                    "step": f"{stage} → {nexts[k]}",
                    "successes": int(comparison.successes[g, k]),
                    "trials": int(comparison.trials[g, k]),
                    "rate": float(comparison.rate[g, k]),
                    "rate_low": float(comparison.low[g, k]),
                    "rate_high": float(comparison.high[g, k]),
                    "other_rate": float(comparison.other_rate[g, k]),
                    "p_adjusted": float(comparison.p_value[g, k]),
                    "verdict": verdict,
                }
            )
    return pd.DataFrame(rows)


def top_segments(comparison: Comparison, n: int) -> Comparison:
    """The ``n`` largest segments of a comparison (the baseline always kept), largest first."""
    deals = comparison.counts.deals
    order = list(np.argsort(-deals, kind="stable")[:n])
    if comparison.baseline is not None and comparison.baseline not in order:
        order = [comparison.baseline, *order[: n - 1]]
    idx = np.array(order, dtype=np.int64)
    baseline = order.index(comparison.baseline) if comparison.baseline is not None else None
    per_segment = {
        f.name: getattr(comparison, f.name)[idx]
        for f in dataclasses.fields(comparison)
        if isinstance(getattr(comparison, f.name), np.ndarray)
        and getattr(comparison, f.name).shape[:1] == deals.shape
    }
    return dataclasses.replace(
        comparison, counts=comparison.counts.select(idx), baseline=baseline, **per_segment
    )
