"""The client report's conclusions and caveats as finding codes with their parameters.

Each :class:`~funnel.document.parts.Finding` is worded by ``funnel.document.sentences``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from funnel.deals import Deals
from funnel.document.parts import ChangePart, ComparePart, Finding, LeakPart, TrendPart
from funnel.metrics import FunnelCounts

TOP_LEAKS = 3  # leaks worded in the conclusions
TOP_SEGMENTS = 3  # better (and worse) segments worded per breakdown


def conclusions(
    leaks: LeakPart | None,
    comparisons: Sequence[ComparePart],
    changes: Sequence[ChangePart],
    trends: TrendPart | None,
    total: FunnelCounts,
) -> tuple[Finding, ...]:
    out: list[Finding] = []
    if not int(total.deals[0]):
        return (Finding("no_deals"),)
    if leaks is None and int(total.lost_stage_unknown[0]):
        # Every loss is of unknown stage: no leak can be placed, and the reader is told why.
        out.append(Finding("leaks_unknown", {"lost": int(total.lost[0])}))
    if leaks is not None:
        worth = {int(r["step"]): r for r in leaks.worth.to_dict("records")}
        for leak in leaks.leaks[:TOP_LEAKS]:
            w = worth[leak.step]
            out.append(
                Finding(
                    "leak",
                    {
                        "from": leak.stage_from,
                        "to": leak.stage_to,
                        "lost": leak.lost_deals,
                        "trials": leak.trials,
                        "rate": leak.rate,
                        "basis": w["basis"],
                        "to_rate": float(w["to_rate"]),
                        "best": leak.best_segment,
                        "extra_won": float(w["extra_won"]),
                        "extra_won_amount": float(w["extra_won_amount"]),
                        "reasons": leaks.reasons.get(leak.step, ()),
                        "lost_spend": float(leaks.lost_spend.get(leak.step, 0.0)),
                    },
                )
            )
    for part in comparisons:
        judged = part.steps[part.steps["verdict"].isin(("better", "worse"))].copy()
        if judged.empty:
            continue
        judged["gap"] = (judged["rate"] - judged["other_rate"]).abs()
        judged = judged.sort_values(["gap", "trials"], ascending=False, kind="stable")
        for verdict in ("better", "worse"):
            rows = judged[judged["verdict"] == verdict].drop_duplicates("segment")
            for _, r in rows.head(TOP_SEGMENTS).iterrows():
                out.append(
                    Finding(
                        verdict,
                        {
                            "by": part.by,
                            "segment": r["segment"],
                            "step": r["step"],
                            "rate": float(r["rate"]),
                            "other_rate": float(r["other_rate"]),
                            "trials": int(r["trials"]),
                        },
                    )
                )
    for change in changes:
        out.append(_change_finding(change))
    if trends is not None:
        for s in trends.shifts[:2]:
            out.append(
                Finding(
                    "shift",
                    {
                        "from": s.from_stage,
                        "to": s.to_stage,
                        "step": s.step,
                        "since": s.start.date(),
                        "before_rate": s.before_rate,
                        "after_rate": s.after_rate,
                    },
                )
            )
    return tuple(out)


def _change_finding(change: ChangePart) -> Finding:
    table = change.table
    base = {"label": change.label, "when": change.when}
    moved = table[table["significant"]]
    if not moved.empty:
        r = moved.iloc[int(np.argmax(moved["change"].abs().to_numpy()))]
        return Finding(
            "change_moved",
            {
                **base,
                "from": r["from_stage"],
                "to": r["to_stage"],
                "whole": int(r["step"]) == len(change.table["step"].unique()) - 1,
                "before_rate": float(r["before_rate"]),
                "after_rate": float(r["after_rate"]),
                "moved": len(moved),
            },
        )
    early = table[table["too_early"]]
    judged = table[~table["too_small"]]
    if judged.empty and not early.empty:
        first = early["judge_from"].dropna()
        return Finding(
            "change_early",
            {**base, "judge_from": first.min().date() if len(first) else None},
        )
    return Finding("change_none", {**base, "judged": len(judged)})


def caveats(
    deals: Deals,
    total: FunnelCounts,
    mask: np.ndarray | None,
    comparisons: Sequence[ComparePart],
    trends: TrendPart | None,
) -> tuple[Finding, ...]:
    out: list[Finding] = []
    unknown = int(total.lost_stage_unknown[0])
    if unknown:
        out.append(Finding("lower_bound", {"unknown": unknown, "lost": int(total.lost[0])}))
    if trends is not None:
        young = trends.cohorts[trends.cohorts["immature"]]
        if len(young):
            out.append(
                Finding(
                    "young",
                    {
                        "cohorts": len(young),
                        "deals": int(young["deals"].sum()),
                        "since": pd.Timestamp(young["start"].min()).date(),
                    },
                )
            )
    elif int(total.open[0]):
        out.append(
            Finding(
                "open", {"open": int(total.open[0]), "share": float(total.open[0] / total.deals[0])}
            )
        )
    for part in comparisons:
        small = part.segments[part.segments["too_small"]]
        if len(small):
            out.append(
                Finding(
                    "small_segments",
                    {"by": part.by, "segments": len(small), "min_deals": part.min_deals},
                )
            )
    amounts = deals.amount if mask is None else deals.amount[mask]
    blank = int(np.isnan(amounts).sum())
    if blank and len(amounts):
        out.append(Finding("no_amount", {"deals": blank, "share": blank / len(amounts)}))
    if deals.spec.guessed.get("stage_order"):
        out.append(Finding("order_guessed", {}))
    return tuple(out)
