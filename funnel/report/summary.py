"""The funnel report as data: a JSON-ready dict and flat tables, shared by the CLI and the app."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from funnel.deals import Deals, main_currency
from funnel.metrics import FunnelCounts, funnel
from funnel.overtime.velocity import Durations, durations
from funnel.report.words import notice_text


def _num(x: Any) -> Any:
    """Plain Python numbers for JSON: ints stay ints, NaN becomes None."""
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating | float):
        return None if math.isnan(x) else round(float(x), 6)
    return x


def segment_dict(counts: FunnelCounts, g: int, *, cur: int = 0) -> dict[str, Any]:
    stages = counts.stages
    low, high = counts.step_interval

    def per_stage(values: np.ndarray) -> dict[str, Any]:
        return {s: _num(v) for s, v in zip(stages, values, strict=True)}

    out: dict[str, Any] = {
        "segment": counts.segment_label(g),
        "labels": dict(zip(counts.by, counts.labels[g], strict=True)),
        "deals": _num(counts.deals[g]),
        "reached": per_stage(counts.reached[g]),
        "won": _num(counts.won[g]),
        "lost": _num(counts.lost[g]),
        "open": _num(counts.open[g]),
        "won_amount": _num(counts.won_amount[g, cur]),
        "open_amount": _num(counts.open_amount[g, cur]),
        "lost_amount": _num(counts.lost_amount[g, cur]),
        "lost_stage_unknown": _num(counts.lost_stage_unknown[g]),
        "win_rate": _num(counts.win_rate[g]),
        "lost_at": per_stage(counts.lost_at[g]),
        "open_at": per_stage(counts.open_at[g]),
        "pct_of_top": per_stage(counts.pct_of_top[g]),
        "step_conversion": per_stage(counts.step_conversion[g]),
        "step_conversion_decided": per_stage(counts.step_conversion_decided[g]),
        "step_interval": {
            s: [_num(lo), _num(hi)] for s, lo, hi in zip(stages, low[g], high[g], strict=True)
        },
        "drop_off": per_stage(counts.drop_off[g]),
    }
    if len(counts.currencies) > 1:
        out["won_amount_by_currency"] = {
            c: _num(v) for c, v in zip(counts.currencies, counts.won_amount[g], strict=True)
        }
        out["open_amount_by_currency"] = {
            c: _num(v) for c, v in zip(counts.currencies, counts.open_amount[g], strict=True)
        }
    return out


def warnings(deals: Deals, total: FunnelCounts) -> list[str]:
    """The notices of the data in English, and the currency caveat when amounts are mixed."""
    out = [notice_text(n) for n in deals.notices]
    out += [
        f"the stage order is a guess: {reason}; check it in the spec"
        if subject == "stage_order"
        else f"{subject.replace('_', ' ')}: {reason}; check it in the spec"
        for subject, reason in deals.spec.guessed.items()
    ]
    if len(total.currencies) > 1:
        main = total.currencies[main_currency(deals)]
        out.append(
            f"amounts are in {len(total.currencies)} currencies; won_amount and open_amount are "
            f"in {main} only, see *_by_currency for the others"
        )
    return out


def build_report(
    deals: Deals,
    by: str | list[str] | None = None,
    *,
    mask: np.ndarray | None = None,
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole report: stages, warnings, the total and each segment (see docs/cli.md)."""
    total = funnel(deals, mask=mask)
    cur = main_currency(deals)
    notices = list(deals.notices)
    report: dict[str, Any] = {
        "source": source or {},
        "layout": deals.spec.layout,
        "stages": list(deals.stages),
        "groups": list(deals.stage_groups),
        "currency": total.currencies[cur] or None,
        "currencies": [c for c in total.currencies if c],
        "warnings": warnings(deals, total),
        "guessed": dict(deals.spec.guessed),
        "notices": [
            {"code": n.code, "message": notice_text(n), "params": n.params} for n in notices
        ],
        "reached_is_lower_bound": bool(total.lost_stage_unknown[0] > 0),
        "total": segment_dict(total, 0, cur=cur),
        "by": [],
        "segments": [],
    }
    times = durations(deals, mask=mask)
    if times is not None:
        report["total"]["median_days_to_next_stage"] = {
            s: _num(v) for s, v in zip(deals.stages[:-1], times.step_median, strict=True)
        }
        report["total"]["median_days_to_win"] = _num(times.to_win_median)
    if by:
        counts = funnel(deals, by, mask=mask)
        report["by"] = list(counts.by)
        report["segments"] = [segment_dict(counts, g, cur=cur) for g in range(len(counts.labels))]
    return report


def funnel_table(deals: Deals, by: str | list[str] | None = None, **kw: Any) -> pd.DataFrame:
    """A long table, one row per (segment, stage): the total first, then each segment."""
    parts = []
    total = funnel(deals, **kw)
    t = total.table(0)
    t.insert(0, "segment", "all")
    parts.append(t)
    if by:
        counts = funnel(deals, by, **kw)
        for g in range(len(counts.labels)):
            t = counts.table(g)
            t.insert(0, "segment", counts.segment_label(g))
            parts.append(t)
    return pd.concat(parts, ignore_index=True)


def stage_table(
    counts: FunnelCounts,
    g: int = 0,
    *,
    currency: int = 0,
    times: Durations | None = None,
    won_label: str | None = None,
) -> pd.DataFrame:
    """Every figure per stage of segment ``g``, with the money reached and, where the source has
    stage dates, the median days to the next stage (the funnel page's table and its download).

    With ``won_label``, a last row holds the won deals, as the chart's last bar does: the
    figures a won row has no value for are missing there.
    """
    low, high = counts.step_interval
    # The columns of FunnelCounts.table, made as arrays: one frame is built, none concatenated
    # (the table is made anew on every filter change).
    columns: dict[str, Any] = {
        "stage": list(counts.stages),
        "group": list(counts.stage_groups),
        "reached": counts.reached[g],
        "pct_of_previous": counts.pct_of_previous[g],
        "pct_of_top": counts.pct_of_top[g],
        "step_conversion": counts.step_conversion[g],
        "step_conversion_low": low[g],
        "step_conversion_high": high[g],
        "step_conversion_decided": counts.step_conversion_decided[g],
        "drop_off": counts.drop_off[g],
        "lost_at": counts.lost_at[g],
        "open_at": counts.open_at[g],
        "reached_amount": counts.reached_amount[g, currency],
    }
    if times is not None and len(times.step_median) == len(counts.stages) - 1:
        columns["median_days"] = [*times.step_median, math.nan]
    if won_label is not None:
        won = int(counts.won[g])
        last = int(counts.reached[g, -1])
        top = int(counts.reached[g, 0])
        row = {
            "stage": won_label,
            "group": won_label,
            "reached": won,
            "pct_of_previous": won / last if last else math.nan,
            "pct_of_top": won / top if top else math.nan,
            "reached_amount": counts.won_amount[g, currency],
        }
        columns = {name: _appended(values, row.get(name)) for name, values in columns.items()}
    return pd.DataFrame(columns)


def _appended(values: Any, value: Any) -> Any:
    """``values`` with ``value`` after them; a missing value makes whole numbers floats."""
    if isinstance(values, list):
        return [*values, math.nan if value is None else value]
    if value is None:
        return np.append(values.astype(np.float64), math.nan)
    return np.append(values, value)


def segments_table(counts: FunnelCounts, *, currency: int = 0) -> pd.DataFrame:
    """One row per segment: deals, won, lost, open, win rate and money."""
    return pd.DataFrame(
        {
            "segment": [counts.segment_label(g) for g in range(len(counts.labels))],
            "deals": counts.deals,
            "won": counts.won,
            "lost": counts.lost,
            "open": counts.open,
            "win_rate": counts.win_rate,
            "won_amount": counts.won_amount[:, currency],
            "open_amount": counts.open_amount[:, currency],
            "lost_stage_unknown": counts.lost_stage_unknown,
        }
    )
