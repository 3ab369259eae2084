"""Altair charts for velocity and the planner: pure functions, every word passed in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from funnel.charts.style import BAR, BAR_WON, GREY, LOSS_TEXT, Formatter, merge_words, style
from funnel.overtime.planner import Plan
from funnel.overtime.velocity import Velocity
from funnel.overtime.whatif import WhatIf

PLAN_TEXT = {
    "stage": "Stage",
    "segment": "Segment",
    "days": "Days",
    "median": "Median",
    "q1": "Fastest 25%: up to",
    "q3": "Slowest 25%: from",
    "n": "Deals",
    "to_win": "Creation to win",
    "all": "All",
    "leads": "New leads needed",
    "range": "Range",
    "already": "Already in",
    "to_bring": "Still to bring",
    "window": "Leads must come in",
    "target_period": "Target period",
    "now": "Data ends",
    "before": "Now",
    "after": "After the change",
    "n_short": "n={n}",
    "already_short": "already {n}",
}
MIN_CELL = 5  # heatmap cells from fewer deals are greyed out
THIN = "#e9e9e6"
WHATIF_BAR = 26  # px per bar (before, after) in the what-if chart


def _words(text: Mapping[str, str] | None) -> dict[str, str]:
    return merge_words(PLAN_TEXT, text)


def _days(value: float) -> str:
    return "—" if value is None or np.isnan(value) else f"{value:.0f}"


def _padded_max(values: Any, share: float = 0.15) -> float:
    """An axis end a little past the largest value (at least 1), so end labels fit."""
    top = float(np.nanmax(values)) if len(values) else 0.0
    top = top if np.isfinite(top) else 0.0
    return max(top * (1 + share), top + 0.5, 1.0)


def spread_frame(
    vel: Velocity,
    *,
    segments: Sequence[str] | None = None,
    text: Mapping[str, str] | None = None,
    fmt_days: Formatter = _days,
) -> pd.DataFrame:
    """One row per (segment, stage) with quartiles, the creation-to-win row last."""
    words = _words(text)
    table = vel.table()
    keep = [""] if segments is None else list(segments)
    table = table[table["segment"].isin(keep)].copy()
    table["segment"] = table["segment"].replace("", words["all"])
    table["stage"] = table["stage"].fillna(words["to_win"])
    table = table[table["n"] > 0]
    table["label"] = [fmt_days(m) for m in table["median"]]
    return table.reset_index(drop=True)


def spread_chart(
    vel: Velocity,
    *,
    text: Mapping[str, str] | None = None,
    fmt_days: Formatter = _days,
    width: int = 640,
) -> alt.LayerChart:
    """Median days per stage of all deals (a dot, labelled) with the middle half of the deals
    (the q1-q3 bar); the creation-to-win row last."""
    words = _words(text)
    data = spread_frame(vel, text=words, fmt_days=fmt_days)
    order = [*vel.stages, words["to_win"]] if vel.has_stage_dates else [words["to_win"]]
    y = alt.Y("stage:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, ticks=False))
    tooltip = [
        alt.Tooltip("stage:N", title=words["stage"]),
        alt.Tooltip("median:Q", title=words["median"], format=".1f"),
        alt.Tooltip("q1:Q", title=words["q1"], format=".1f"),
        alt.Tooltip("q3:Q", title=words["q3"], format=".1f"),
        alt.Tooltip("n:Q", title=words["n"]),
    ]
    base = alt.Chart()  # the data sits on the layer: Altair hashes each chart's own copy
    spread = base.mark_bar(color=BAR, opacity=0.35, height={"band": 0.7}).encode(
        y=y, x=alt.X("q1:Q", title=words["days"]), x2="q3:Q", tooltip=tooltip
    )
    dots = base.mark_point(color=BAR, filled=True, size=60).encode(
        y=y, x="median:Q", tooltip=tooltip
    )
    labels = base.mark_text(align="left", dx=6, fontSize=11, color="#1f2430").encode(
        y=y, x="q3:Q", text="label:N"
    )
    chart = alt.layer(spread, dots, labels, data=data).properties(width=width, height=alt.Step(26))
    return style(chart, legend_on_top=True)


def segment_frame(
    vel: Velocity,
    segments: Sequence[str],
    *,
    text: Mapping[str, str] | None = None,
    fmt_days: Formatter = _days,
) -> pd.DataFrame:
    """Median days per (segment, stage), and each median against all deals' at that stage."""
    words = _words(text)
    table = spread_frame(vel, segments=["", *segments], text=words, fmt_days=fmt_days)
    overall = table[table["segment"] == words["all"]].set_index("stage")["median"]
    table["vs_all"] = table["median"] / table["stage"].map(overall)
    return table.reset_index(drop=True)


def segment_heatmap(
    vel: Velocity,
    segments: Sequence[str],
    *,
    text: Mapping[str, str] | None = None,
    fmt_days: Formatter = _days,
    cell: int = 86,
    min_n: int = MIN_CELL,
) -> alt.LayerChart:
    """Median days per segment (rows) and stage (columns), all deals first; green where a
    segment is faster than all deals at that stage, red where slower; grey where fewer than
    ``min_n`` deals stand behind the cell. Every cell prints its deal count under the days."""
    words = _words(text)
    data = segment_frame(vel, segments, text=words, fmt_days=fmt_days)
    data["thin"] = data["n"] < min_n
    data["n_label"] = [words["n_short"].format(n=int(n)) for n in data["n"]]
    columns = [*vel.stages, words["to_win"]] if vel.has_stage_dates else [words["to_win"]]
    rows = [words["all"], *segments]
    x = alt.X(
        "stage:N",
        sort=columns,
        title=None,
        axis=alt.Axis(orient="top", labelAngle=-30, labelLimit=220, ticks=False, domain=False),
    )
    y = alt.Y("segment:N", sort=rows, title=None, axis=alt.Axis(labelLimit=220, ticks=False))
    tooltip = [
        alt.Tooltip("segment:N", title=words["segment"]),
        alt.Tooltip("stage:N", title=words["stage"]),
        alt.Tooltip("median:Q", title=words["median"], format=".1f"),
        alt.Tooltip("q1:Q", title=words["q1"], format=".1f"),
        alt.Tooltip("q3:Q", title=words["q3"], format=".1f"),
        alt.Tooltip("n:Q", title=words["n"]),
    ]
    base = alt.Chart()  # the data sits on the layer: Altair hashes each chart's own copy
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        x=x,
        y=y,
        color=alt.condition(
            "datum.thin",
            alt.value(THIN),
            alt.Color(
                "vs_all:Q",
                scale=alt.Scale(
                    domain=[0.5, 1, 2],
                    range=["#5fb37c", "#f4f4f2", "#e07b6a"],
                    clamp=True,
                    type="log",
                ),
                legend=None,
            ),
        ),
        tooltip=tooltip,
    )
    labels = base.mark_text(fontSize=12, dy=-6).encode(
        x=x,
        y=y,
        text="label:N",
        color=alt.condition("datum.thin", alt.value("#8a8a8a"), alt.value("#1f2430")),
        tooltip=tooltip,
    )
    counts = base.mark_text(fontSize=9, dy=9, color="#6b6b6b").encode(
        x=x, y=y, text="n_label:N", tooltip=tooltip
    )
    chart = alt.layer(cells, labels, counts, data=data).properties(
        width=alt.Step(cell), height=alt.Step(38)
    )
    return style(chart, legend_on_top=True)


def leads_frame(
    plan: Plan,
    *,
    fmt_number: Formatter = lambda v: f"{v:,.0f}",
    text: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per segment the plan counts on: leads needed, range, and those already in."""
    words = _words(text)
    table = plan.table()
    table = table[(table["part"] > 0) & np.isfinite(table["leads"])].copy()
    table["label"] = [fmt_number(v) for v in table["leads"]]
    table["already_label"] = [
        words["already_short"].format(n=fmt_number(v)) if v > 0 else "" for v in table["already"]
    ]
    table["already_shown"] = table["already"].astype(np.float64)
    table["end"] = np.maximum(table["leads"], table["already_shown"])
    table["needed_kind"] = words["leads"]
    table["already_kind"] = words["already"]
    return table.reset_index(drop=True)


def leads_chart(
    plan: Plan,
    *,
    text: Mapping[str, str] | None = None,
    fmt_number: Formatter = lambda v: f"{v:,.0f}",
    width: int = 560,
) -> alt.LayerChart:
    """Leads each segment must bring (an outlined bar, labelled), the leads already created in
    the lead window (a green bar inside it, labelled "already N"), and the range from the win
    rate's interval (a line); a legend names the two bars."""
    words = _words(text)
    data = leads_frame(plan, fmt_number=fmt_number, text=words)
    order = list(data["segment"])
    y = alt.Y("segment:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, ticks=False))
    tooltip = [
        alt.Tooltip("segment:N", title=words["segment"]),
        alt.Tooltip("leads:Q", title=words["leads"], format=",.0f"),
        alt.Tooltip("leads_low:Q", title=f"{words['range']} ↓", format=",.0f"),
        alt.Tooltip("leads_high:Q", title=f"{words['range']} ↑", format=",.0f"),
        alt.Tooltip("already:Q", title=words["already"], format=",.0f"),
        alt.Tooltip("to_bring:Q", title=words["to_bring"], format=",.0f"),
    ]
    kinds = [words["leads"], words["already"]]
    scale = alt.Scale(domain=kinds, range=[BAR, BAR_WON])
    legend = alt.Legend(title=None, orient="top", symbolType="square")
    base = alt.Chart()  # the data sits on the layer: Altair hashes each chart's own copy
    x = alt.X(
        "leads:Q", title=words["leads"], axis=alt.Axis(tickMinStep=1, format=",d"), stack=None
    )
    done = base.mark_bar(height={"band": 0.6}).encode(
        y=y,
        x=alt.X("already_shown:Q", stack=None),
        color=alt.Color("already_kind:N", scale=scale, legend=legend),
        tooltip=tooltip,
    )
    needed = base.mark_bar(height={"band": 0.6}, fillOpacity=0.12, strokeWidth=2).encode(
        y=y,
        x=x,
        color=alt.Color("needed_kind:N", scale=scale, legend=legend),
        stroke=alt.Color("needed_kind:N", scale=scale, legend=None),
        tooltip=tooltip,
    )
    rng = base.mark_rule(color=LOSS_TEXT, strokeWidth=2).encode(
        y=y, x="leads_low:Q", x2="leads_high:Q"
    )
    labels = base.mark_text(align="left", dx=6, dy=-6, fontSize=12, fontWeight="bold").encode(
        y=y, x="end:Q", text="label:N"
    )
    already = base.mark_text(align="left", dx=6, dy=8, fontSize=11, color=BAR_WON).encode(
        y=y, x="end:Q", text="already_label:N"
    )
    chart = alt.layer(done, needed, rng, labels, already, data=data).properties(
        width=width, height=alt.Step(44)
    )
    return style(chart, legend_on_top=True)


def windows_frame(plan: Plan, *, text: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Rows for the timeline: each segment's lead window, then the target period."""
    words = _words(text)
    rows = [
        {"row": seg, "start": a, "end": b, "kind": "window"}
        for seg, a, b, part in zip(
            plan.history.labels, plan.lead_from, plan.lead_to, plan.part, strict=True
        )
        if a is not None and b is not None and part > 0
    ]
    rows.append(
        {"row": words["target_period"], "start": plan.start, "end": plan.end, "kind": "target"}
    )
    frame = pd.DataFrame(rows)
    frame["start"] = pd.to_datetime(frame["start"]).dt.strftime("%Y-%m-%d")
    frame["end"] = pd.to_datetime(frame["end"]).dt.strftime("%Y-%m-%d")
    return frame


def windows_chart(
    plan: Plan, *, text: Mapping[str, str] | None = None, width: int = 640
) -> alt.LayerChart:
    """When leads must come in, per segment (start - cycle .. end - cycle), against the target
    period, with the data's last date as a line. Each bar prints its first and last day; the
    time axis is padded so those labels and the bars are never cut at the edges."""
    words = _words(text)
    data = windows_frame(plan, text=words)
    data["start_label"] = pd.to_datetime(data["start"]).dt.strftime("%d.%m")
    data["end_label"] = pd.to_datetime(data["end"]).dt.strftime("%d.%m")
    order = list(data["row"])
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, ticks=False))
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=["window", "target"], range=[BAR, BAR_WON]),
        legend=None,
    )
    dates = [*pd.to_datetime(data["start"]), *pd.to_datetime(data["end"])]
    if plan.history.now is not None:
        dates.append(plan.history.now.normalize())
    first, last = min(dates), max(dates)
    pad = pd.Timedelta(days=max((last - first).days * 0.14, 12))
    domain = [(first - pad).strftime("%Y-%m-%d"), (last + pad).strftime("%Y-%m-%d")]
    x = alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(domain=domain),
        axis=alt.Axis(format="%d.%m.%Y", tickCount=8, labelOverlap=True, grid=True),
    )
    base = alt.Chart()  # the data sits on the layer: Altair hashes each chart's own copy
    bars = base.mark_bar(height={"band": 0.6}, cornerRadius=2).encode(
        y=y,
        x=x,
        x2="end:T",
        color=colour,
        tooltip=[
            alt.Tooltip("row:N", title=words["segment"]),
            alt.Tooltip("start:T", title=words["window"], format="%d.%m.%Y"),
            alt.Tooltip("end:T", title="→", format="%d.%m.%Y"),
        ],
    )
    starts = base.mark_text(align="right", dx=-4, fontSize=10, color="#555").encode(
        y=y, x="start:T", text="start_label:N"
    )
    ends = base.mark_text(align="left", dx=4, fontSize=10, color="#555").encode(
        y=y, x="end:T", text="end_label:N"
    )
    layers: list[Any] = [bars, starts, ends]
    if plan.history.now is not None:
        now = pd.DataFrame(
            {"now": [plan.history.now.strftime("%Y-%m-%d")], "label": [words["now"]]}
        )
        layers.append(alt.Chart(now).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x="now:T"))
        layers.append(
            alt.Chart(now)
            .mark_text(align="center", dy=-6, baseline="bottom", color="#555", fontSize=11)
            .encode(x="now:T", y=alt.value(0), text="label:N")
        )
    chart = alt.layer(*layers, data=data).properties(
        width=width, height=alt.Step(34), padding={"top": 22, "left": 5, "right": 12, "bottom": 5}
    )
    return style(chart, legend_on_top=True)


def whatif_frame(
    result: WhatIf,
    *,
    text: Mapping[str, str] | None = None,
    fmt_number: Formatter = lambda v: f"{v:,.0f}",
) -> pd.DataFrame:
    """Leads needed per segment before and after the change (segments the plan counts on)."""
    words = _words(text)
    rows = []
    for g, seg in enumerate(result.before.history.labels):
        before, after = result.before.leads_rounded[g], result.after.leads_rounded[g]
        if result.before.part[g] <= 0 or not np.isfinite(before):
            continue
        for when, leads in ((words["before"], before), (words["after"], after)):
            rows.append(
                {"segment": seg, "when": when, "leads": float(leads), "label": fmt_number(leads)}
            )
    return pd.DataFrame(rows, columns=["segment", "when", "leads", "label"])


def whatif_chart(
    result: WhatIf,
    *,
    text: Mapping[str, str] | None = None,
    fmt_number: Formatter = lambda v: f"{v:,.0f}",
    width: int = 560,
) -> alt.LayerChart:
    """Leads needed for the same target, now and after the change, side by side."""
    words = _words(text)
    data = whatif_frame(result, text=words, fmt_number=fmt_number)
    order = list(dict.fromkeys(data["segment"]))
    when = [words["before"], words["after"]]
    y = alt.Y("segment:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, ticks=False))
    colour = alt.Color(
        "when:N", sort=when, title=None, scale=alt.Scale(domain=when, range=[GREY, BAR_WON])
    )
    base = alt.Chart()  # the data sits on the layer: Altair hashes each chart's own copy
    bars = base.mark_bar(height={"band": 0.9}).encode(
        y=y,
        yOffset=alt.YOffset("when:N", sort=when),
        x=alt.X(
            "leads:Q",
            title=words["leads"],
            axis=alt.Axis(tickMinStep=1, format=",d"),
            # room on the right for the labels at the bars' ends
            scale=alt.Scale(domain=[0, _padded_max(data["leads"])], nice=False),
        ),
        color=colour,
        tooltip=[
            alt.Tooltip("segment:N", title=words["segment"]),
            alt.Tooltip("when:N", title=" "),
            alt.Tooltip("leads:Q", title=words["leads"], format=",.0f"),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        y=y, yOffset=alt.YOffset("when:N", sort=when), x="leads:Q", text="label:N"
    )
    # A fixed height is the whole chart's in Streamlit (legend and axis included): 40 px a
    # segment left the bars no room with two segments. A step (Vega-Lite applies it to each
    # before/after bar of the yOffset) sizes the plot; legend and axis come on top of it.
    chart = alt.layer(bars, labels, data=data).properties(width=width, height=alt.Step(WHATIF_BAR))
    return style(chart, legend_on_top=True)
