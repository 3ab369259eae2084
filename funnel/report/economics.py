"""Channel economics in the JSON report: what each channel cost and returned (docs/cli.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from funnel.economics.figures import Economics
from funnel.economics.matching import suggest
from funnel.report.summary import _num
from funnel.report.words import notice_text

# The per-month figures, in the order the report lists them.
MONTH_KEYS = (
    "segment",
    "month",
    "spend",
    "leads",
    "won",
    "won_amount",
    "cost_per_lead",
    "cost_per_won",
    "romi",
    "young",
    "won_closed",
    "won_closed_amount",
    "romi_calendar",
)


def _per_stage(stages: tuple[str, ...], values: np.ndarray) -> dict[str, Any]:
    return {s: _num(v) for s, v in zip(stages, values, strict=True)}


def _window(econ: Economics) -> dict[str, str] | None:
    """The window's first and last day, both included (the core's end is exclusive)."""
    if econ.window is None:
        return None
    first, end = econ.window
    last = (end - timedelta(days=1)).date()
    return {"from": first.date().isoformat(), "to": last.isoformat()}


def _segments(econ: Economics) -> list[dict[str, Any]]:
    cheap, dear = econ.cac_range
    profit, romi_profit = econ.profit, econ.romi_profit
    out = []
    for g, label in enumerate(econ.labels):
        row: dict[str, Any] = {
            "segment": label,
            "spend": _num(econ.spend[g]),
            "leads": int(econ.leads[g]),
            "cost_per_lead": _num(econ.cost_per_lead[g]),
            "won": int(econ.won[g]),
            "cost_per_won": _num(econ.cost_per_won[g]),
            "cost_per_won_range": [_num(cheap[g]), _num(dear[g])],
            "won_amount": _num(econ.won_amount[g]),
            "romi": _num(econ.romi[g]),
        }
        if profit is not None and romi_profit is not None:
            row["profit"] = _num(profit[g])
            row["romi_profit"] = _num(romi_profit[g])
        row |= {
            "too_small": bool(econ.too_small[g]),
            "verdict": econ.verdict[g],
            "stage_cost": _per_stage(econ.stages, econ.stage_cost[g]),
            "lost_spend": _per_stage(econ.stages, econ.lost_spend[g]),
            "spend_names": list(econ.spend_names.get(label, ())),
        }
        out.append(row)
    return out


def _total(econ: Economics) -> dict[str, Any]:
    total = {k: _num(v) for k, v in econ.total().items()}
    if econ.margin is None:
        total.pop("profit")
        total.pop("romi_profit")
    total["stage_cost"] = _per_stage(econ.stages, econ.total_stage_cost)
    return total


def _unmatched(econ: Economics) -> list[dict[str, Any]]:
    """Spend on a name no deal carries, with the deal name it most likely means."""
    known = [lab for lab, m in zip(econ.labels, econ.matched, strict=True) if m]
    return [
        {"channel": label, "spend": _num(amount), "suggestion": suggest(label, known)}
        for label, amount in econ.unmatched_spend
    ]


def months_records(months: pd.DataFrame) -> list[dict[str, Any]]:
    """The per-month frame as records; ``segment`` None is the row of all segments."""
    out = []
    for rec in months.to_dict("records"):
        row: dict[str, Any] = {}
        for key in MONTH_KEYS:
            if key not in rec:
                continue
            value = rec[key]
            if key == "segment":
                row[key] = None if value is None or pd.isna(value) else str(value)
            elif key == "young":
                row[key] = bool(value)
            else:
                row[key] = _num(value)
        out.append(row)
    return out


def economics_section(econ: Economics) -> dict[str, Any]:
    """The report's ``economics`` block: the total, each segment, what did not match, the
    window, the notices, and with monthly figures a ``months`` list."""
    section: dict[str, Any] = {
        "by": econ.by,
        "currency": econ.currency or None,
        "margin": econ.margin,
        "window": _window(econ),
        "total": _total(econ),
        "segments": _segments(econ),
        "unmatched_spend": _unmatched(econ),
        "channels_without_spend": list(econ.without_spend),
        "other_currency": {k: _num(v) for k, v in econ.other_currency.items()},
        "spend_outside_window": _num(econ.spend_outside),
        "spend_undated": _num(econ.spend_undated),
        "deals_outside_window": int(econ.deals_outside),
        "notices": [
            {"code": n.code, "message": notice_text(n), "params": n.params} for n in econ.notices
        ],
    }
    if econ.months is not None:
        section["months"] = months_records(econ.months)
    return section


def months_table(months: pd.DataFrame) -> pd.DataFrame:
    """The per-month frame for export: the row of all segments named ``all``."""
    frame = months.assign(segment=months["segment"].where(months["segment"].notna(), "all"))
    return frame[[k for k in MONTH_KEYS if k in frame]]


def economics_sheets(econ: Economics) -> dict[str, pd.DataFrame]:
    """The xlsx report's sheets: ``Economics``, and ``Economics by month`` when computed."""
    sheets = {"Economics": econ.table()}
    if econ.months is not None:
        sheets["Economics by month"] = months_table(econ.months)
    return sheets
