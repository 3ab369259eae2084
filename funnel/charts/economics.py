"""Altair charts for channel economics: cost per won deal with its range, ROMI, the cost of
each funnel stage per channel. Pure functions over :class:`funnel.economics.figures.Economics`;
every word is passed in."""

from __future__ import annotations

import math
from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from funnel.charts.style import (
    BAR,
    BAR_WON,
    GREY,
    LOSS_TEXT,
    Formatter,
    merge_words,
    plain_number,
    style,
)
from funnel.economics.figures import Economics

ECONOMICS_TEXT = {
    "channel": "Channel",
    "cost_per_won": "Cost per won deal",
    "range": "95 % range",
    "romi": "ROMI",
    "not_defined": "not defined",
    "too_small": "too few leads to judge",
    "no_spend": "no spend",
    "stage": "Stage",
    "stage_cost": "Spend per deal at the stage",
    "leads": "Leads",
    "won": "Won",
}
LABEL_LIMIT = 320  # px of a channel name before it is cut: Russian names run long
# A chart's width, channel names included: two fit side by side on the page's wide layout.
WIDTH = 380


def _pct(value: float) -> str:
    return f"{value * 100:+.0f}%"


def _shown(econ: Economics) -> list[int]:
    """The channels a chart draws: those with leads or spend (spend alone: no leads to price)."""
    return [g for g in range(len(econ.labels)) if econ.leads[g] > 0 or econ.spend[g] > 0]


def cac_frame(
    econ: Economics, *, text: Mapping[str, str] | None = None, fmt: Formatter | None = None
) -> pd.DataFrame:
    """One row per channel: cost per won deal, its range, and the label written at the bar's
    end; rows whose cost is not defined last, with the reason as their label."""
    words = merge_words(ECONOMICS_TEXT, text)
    fmt = fmt or plain_number
    low, high = econ.cac_range
    rows = []
    for g in _shown(econ):
        value = float(econ.cost_per_won[g])
        defined = math.isfinite(value)
        if defined:
            label = fmt(value) + (f" ({words['too_small']})" if econ.too_small[g] else "")
        elif econ.spend[g] == 0:
            label = words["no_spend"]
        else:
            label = words["not_defined"]
        rows.append(
            {
                "channel": econ.labels[g],
                "value": value if defined else 0.0,
                "low": float(low[g]) if defined and math.isfinite(low[g]) else None,
                "high": float(high[g]) if defined and math.isfinite(high[g]) else None,
                "defined": defined,
                "judged": defined and not bool(econ.too_small[g]),
                "label": label,
                "leads": int(econ.leads[g]),
                "won": int(econ.won[g]),
            }
        )
    frame = pd.DataFrame(rows, columns=["channel", "value", "low", "high", "defined", "judged",
                                        "label", "leads", "won"])  # fmt: skip
    return frame.sort_values(["defined", "value"], ascending=[False, True], kind="stable")


def cac_chart(
    econ: Economics, *, text: Mapping[str, str] | None = None, fmt: Formatter | None = None
) -> alt.LayerChart:
    """Cost per won deal per channel, cheapest first, with its 95 % range; channels too small
    to judge in grey; where it is not defined (no spend, no win) a word instead of a bar."""
    words = merge_words(ECONOMICS_TEXT, text)
    data = cac_frame(econ, text=words, fmt=fmt)
    order = data["channel"].tolist()
    # The range's far end can be many times the value (few wins): the axis stops at twice the
    # dearest value so the bars stay readable; the rule runs to the edge.
    top = float(data["value"].max() or 1.0) * 2.0
    data = data.assign(high_shown=data["high"].clip(upper=top), label_at=data["value"])
    y = alt.Y("channel:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    x = alt.X(
        "value:Q",
        title=words["cost_per_won"],
        scale=alt.Scale(domain=[0, top]),
        axis=alt.Axis(tickCount=4, labelOverlap=True),
    )
    tooltip = [
        alt.Tooltip("channel:N", title=words["channel"]),
        alt.Tooltip("label:N", title=words["cost_per_won"]),
        alt.Tooltip("leads:Q", title=words["leads"]),
        alt.Tooltip("won:Q", title=words["won"]),
    ]
    base = alt.Chart()
    bars = base.mark_bar(height={"band": 0.6}).encode(
        y=y,
        x=x,
        color=alt.condition("datum.judged", alt.value(BAR), alt.value(GREY)),
        tooltip=tooltip,
    )
    ranges = base.mark_rule(color="#1f2430", opacity=0.6).encode(y=y, x="low:Q", x2="high_shown:Q")
    labels = base.mark_text(align="left", dx=6, dy=-9, fontSize=11, color="#1f2430").encode(
        y=y, x="label_at:Q", text="label:N"
    )
    chart = alt.layer(bars, ranges, labels, data=data).properties(width=WIDTH, height=alt.Step(34))
    return style(chart)


def romi_frame(
    econ: Economics, *, text: Mapping[str, str] | None = None, fmt: Formatter | None = None
) -> pd.DataFrame:
    words = merge_words(ECONOMICS_TEXT, text)
    fmt = fmt or _pct
    rows = []
    for g in _shown(econ):
        value = float(econ.romi[g])
        defined = math.isfinite(value)
        rows.append(
            {
                "channel": econ.labels[g],
                "romi": value if defined else 0.0,
                "defined": defined,
                "loses": defined and value < 0,
                "label": fmt(value) if defined else words["no_spend"],
            }
        )
    frame = pd.DataFrame(rows, columns=["channel", "romi", "defined", "loses", "label"])
    return frame.sort_values(["defined", "romi"], ascending=[False, False], kind="stable")


def romi_chart(
    econ: Economics, *, text: Mapping[str, str] | None = None, fmt: Formatter | None = None
) -> alt.LayerChart:
    """ROMI per channel around zero, the best first; a losing channel in the loss colour."""
    words = merge_words(ECONOMICS_TEXT, text)
    data = romi_frame(econ, text=words, fmt=fmt)
    order = data["channel"].tolist()
    y = alt.Y("channel:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    # Room on both sides for the labels written beside the bars' ends.
    low, high = min(float(data["romi"].min()), 0.0), max(float(data["romi"].max()), 0.0)
    span = (high - low) or 1.0
    # A row with no ROMI writes its word right of zero: room for it when every bar is a loss.
    words_room = 0.75 * span if not data["defined"].all() else 0.0
    domain = [low - (0.45 * span if low < 0 else 0.0), high + max(0.3 * span, words_room)]
    x = alt.X(
        "romi:Q",
        title=words["romi"],
        axis=alt.Axis(format="%", tickCount=5, labelOverlap=True),
        scale=alt.Scale(domain=domain, nice=False),
    )
    base = alt.Chart()
    bars = base.mark_bar(height={"band": 0.6}).encode(
        y=y,
        x=x,
        color=alt.condition("datum.loses", alt.value(LOSS_TEXT), alt.value(BAR_WON)),
        tooltip=[
            alt.Tooltip("channel:N", title=words["channel"]),
            alt.Tooltip("label:N", title=words["romi"]),
        ],
    )
    zero = base.mark_rule(color="#1f2430").encode(x=alt.datum(0))
    right = (
        base.mark_text(dx=6, align="left", fontSize=11, color="#1f2430")
        .encode(y=y, x=alt.X("romi:Q"), text="label:N")
        .transform_filter("!datum.loses")
    )
    left = (
        base.mark_text(dx=-6, align="right", fontSize=11, color=LOSS_TEXT)
        .encode(y=y, x=alt.X("romi:Q"), text="label:N")
        .transform_filter("datum.loses")
    )
    chart = alt.layer(bars, zero, right, left, data=data).properties(
        width=WIDTH, height=alt.Step(34)
    )
    return style(chart)


def _columns(econ: Economics) -> list[tuple[int, str]]:
    """(stage index, name) of each column: the funnel's blocks when it folds its stages into
    fewer (a deal reached a block when it reached the block's first stage), else each stage."""
    groups = econ.stage_groups
    if not groups or len(set(groups)) == len(econ.stages):
        return list(enumerate(econ.stages))
    first: dict[str, int] = {}
    for k, group in enumerate(groups):
        first.setdefault(group, k)
    return [(k, group) for group, k in first.items()]


def stage_cost_frame(
    econ: Economics, *, text: Mapping[str, str] | None = None, fmt: Formatter | None = None
) -> pd.DataFrame:
    """Channel x stage: the channel's spend per deal that reached the stage (channels with
    spend and leads only; the total first)."""
    words = merge_words(ECONOMICS_TEXT, text)
    fmt = fmt or plain_number
    rows = []
    total = econ.total_stage_cost
    for k, stage in _columns(econ):
        value = float(total[k])
        if math.isfinite(value):
            rows.append({"channel": words.get("total", "Total"), "stage": stage, "k": k,
                         "cost": value, "label": fmt(value)})  # fmt: skip
    costs = econ.stage_cost
    for g in range(len(econ.labels)):
        if econ.spend[g] <= 0 or econ.leads[g] <= 0:
            continue
        for k, stage in _columns(econ):
            value = float(costs[g, k])
            if math.isfinite(value):
                rows.append({"channel": econ.labels[g], "stage": stage, "k": k, "cost": value,
                             "label": fmt(value)})  # fmt: skip
    return pd.DataFrame(rows, columns=["channel", "stage", "k", "cost", "label"])


def stage_cost_chart(
    econ: Economics, *, text: Mapping[str, str] | None = None, fmt: Formatter | None = None
) -> alt.LayerChart:
    """A heatmap: channels down, funnel stages across in order, each cell the spend per deal
    that reached the stage; darker where a stage costs more."""
    words = merge_words(ECONOMICS_TEXT, text)
    data = stage_cost_frame(econ, text=words, fmt=fmt)
    channels = list(dict.fromkeys(data["channel"]))
    stages = [name for _, name in _columns(econ)]
    # A log scale: the last stages cost tens of times the first; a linear one would show one
    # dark column and the rest blank.
    positive = data["cost"][data["cost"] > 0]
    domain = [float(positive.min()), float(positive.max())] if len(positive) else [1.0, 10.0]
    x = alt.X(
        "stage:N",
        sort=stages,
        title=None,
        axis=alt.Axis(labelAngle=-35, labelLimit=180, orient="top"),
    )
    y = alt.Y("channel:N", sort=channels, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    base = alt.Chart()
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        x=x,
        y=y,
        color=alt.Color(
            "cost:Q",
            scale=alt.Scale(type="log", scheme="blues", domain=domain),
            legend=alt.Legend(title=words["stage_cost"], orient="bottom", format=",.0f"),
        ),
        tooltip=[
            alt.Tooltip("channel:N", title=words["channel"]),
            alt.Tooltip("stage:N", title=words["stage"]),
            alt.Tooltip("label:N", title=words["stage_cost"]),
        ],
    )
    middle = float(np.sqrt(domain[0] * domain[1]))
    labels = base.mark_text(fontSize=10).encode(
        x=x,
        y=y,
        text="label:N",
        color=alt.condition(f"datum.cost > {middle * 2}", alt.value("white"), alt.value("#1f2430")),
    )
    # The page draws a chart at its width, labels included: room for the channel names too.
    width = 170 + 84 * len(stages)
    chart = alt.layer(cells, labels, data=data).properties(width=width, height=alt.Step(30))
    return style(chart)
