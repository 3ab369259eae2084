"""Altair charts for velocity and the planner: pure functions, every word passed in."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from funnel.charts import BAR, BAR_WON, FONT, GREY, LOSS_TEXT
from funnel.plan_whatif import WhatIf
from funnel.planner import Plan
from funnel.velocity import Velocity

Formatter = Callable[[float], str]

PLAN_TEXT = {
    "stage": "Stage",
    "segment": "Segment",
    "days": "Days",
    "median": "Median",
    "q1": "Quartile 1",
    "q3": "Quartile 3",
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
}


def _words(text: Mapping[str, str] | None) -> dict[str, str]:
    return {**PLAN_TEXT, **(text or {})}


def _days(value: float) -> str:
    return "—" if value is None or np.isnan(value) else f"{value:.0f}"


def _style(chart: Any) -> Any:
    return (
        chart.configure_view(strokeWidth=0)
        .configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT, grid=False)
        .configure_legend(labelFont=FONT, titleFont=FONT, orient="top")
    )


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
    base = alt.Chart(data)
    spread = base.mark_bar(color=BAR, opacity=0.35, height={"band": 0.7}).encode(
        y=y, x=alt.X("q1:Q", title=words["days"]), x2="q3:Q", tooltip=tooltip
    )
    dots = base.mark_point(color=BAR, filled=True, size=60).encode(
        y=y, x="median:Q", tooltip=tooltip
    )
    labels = base.mark_text(align="left", dx=6, fontSize=11, color="#1f2430").encode(
        y=y, x="q3:Q", text="label:N"
    )
    chart = alt.layer(spread, dots, labels).properties(width=width, height=alt.Step(26))
    return _style(chart)


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
) -> alt.LayerChart:
    """Median days per segment (rows) and stage (columns), all deals first; green where a
    segment is faster than all deals at that stage, red where slower."""
    words = _words(text)
    data = segment_frame(vel, segments, text=words, fmt_days=fmt_days)
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
    base = alt.Chart(data)
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        x=x,
        y=y,
        color=alt.Color(
            "vs_all:Q",
            scale=alt.Scale(
                domain=[0.5, 1, 2], range=["#5fb37c", "#f4f4f2", "#e07b6a"], clamp=True, type="log"
            ),
            legend=None,
        ),
        tooltip=tooltip,
    )
    labels = base.mark_text(fontSize=12, color="#1f2430").encode(x=x, y=y, text="label:N")
    chart = alt.layer(cells, labels).properties(width=alt.Step(cell), height=alt.Step(30))
    return _style(chart)


def leads_frame(plan: Plan, *, fmt_number: Formatter = lambda v: f"{v:,.0f}") -> pd.DataFrame:
    """One row per segment the plan counts on: leads needed, range, and those already in."""
    table = plan.table()
    table = table[(table["part"] > 0) & np.isfinite(table["leads"])].copy()
    table["label"] = [fmt_number(v) for v in table["leads"]]
    table["already_shown"] = np.minimum(table["already"], table["leads"])
    return table.reset_index(drop=True)


def leads_chart(
    plan: Plan,
    *,
    text: Mapping[str, str] | None = None,
    fmt_number: Formatter = lambda v: f"{v:,.0f}",
    width: int = 560,
) -> alt.LayerChart:
    """Leads each segment must bring (bar, labelled), the range from the win rate's interval
    (a line) and, darker, the part already created in the lead window."""
    words = _words(text)
    data = leads_frame(plan, fmt_number=fmt_number)
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
    base = alt.Chart(data)
    x = alt.X("leads:Q", title=words["leads"])
    bars = base.mark_bar(color=BAR, height={"band": 0.6}).encode(y=y, x=x, tooltip=tooltip)
    done = base.mark_bar(color=BAR_WON, height={"band": 0.6}).encode(
        y=y, x="already_shown:Q", tooltip=tooltip
    )
    rng = base.mark_rule(color=LOSS_TEXT, strokeWidth=2).encode(
        y=y, x="leads_low:Q", x2="leads_high:Q"
    )
    labels = base.mark_text(align="left", dx=6, dy=-9, fontSize=12).encode(
        y=y, x="leads:Q", text="label:N"
    )
    chart = alt.layer(bars, done, rng, labels).properties(width=width, height=alt.Step(38))
    return _style(chart)


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
    period, with the data's last date as a line."""
    words = _words(text)
    data = windows_frame(plan, text=words)
    order = list(data["row"])
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, ticks=False))
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=["window", "target"], range=[BAR, BAR_WON]),
        legend=None,
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.6}, cornerRadius=2)
        .encode(
            y=y,
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%d.%m.%Y")),
            x2="end:T",
            color=colour,
            tooltip=[
                alt.Tooltip("row:N", title=words["segment"]),
                alt.Tooltip("start:T", title=words["window"], format="%d.%m.%Y"),
                alt.Tooltip("end:T", title="→", format="%d.%m.%Y"),
            ],
        )
    )
    layers: list[Any] = [bars]
    if plan.history.now is not None:
        now = pd.DataFrame(
            {"now": [plan.history.now.strftime("%Y-%m-%d")], "label": [words["now"]]}
        )
        layers.append(alt.Chart(now).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x="now:T"))
        layers.append(
            alt.Chart(now)
            .mark_text(align="left", dx=4, dy=-4, baseline="bottom", color="#555")
            .encode(x="now:T", y=alt.value(0), text="label:N")
        )
    chart = alt.layer(*layers).properties(width=width, height=alt.Step(30))
    return _style(chart)


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
    base = alt.Chart(data)
    bars = base.mark_bar(height={"band": 0.8}).encode(
        y=y,
        yOffset=alt.YOffset("when:N", sort=when),
        x=alt.X("leads:Q", title=words["leads"]),
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
    chart = alt.layer(bars, labels).properties(width=width, height=40 * max(len(order), 1))
    return _style(chart)
