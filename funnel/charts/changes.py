"""Altair charts of a before/after comparison: one dumbbell per step, before against after.

Pure functions like ``funnel.charts.funnel``: every word and number format comes from the caller. A
step too young to judge on the after side is labelled so, never drawn as a drop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import altair as alt
import numpy as np
import pandas as pd

from funnel.charts.style import (
    AFTER_DOWN,
    AFTER_UP,
    GREY,
    Formatter,
    merge_words,
    plain_pct,
    style,
    wrap_expr,
)
from funnel.charts.trends import DEFAULT_WORDS, step_name
from funnel.overtime.changes import BeforeAfter
from funnel.overtime.cohorts import ALL


def before_after_frame(
    result: BeforeAfter,
    *,
    text: Mapping[str, str] | None = None,
    fmt_pct: Formatter = plain_pct,
) -> pd.DataFrame:
    """One row per (segment, step, side) with the rate, its label and the step's verdict."""
    words = merge_words(DEFAULT_WORDS, text)
    n = len(result.stages)
    rows = []
    for _, r in result.table.iterrows():
        name = step_name(r["from_stage"], r["to_stage"], int(r["step"]), n, words)
        up = bool(r["change"] > 0) if not np.isnan(r["change"]) else False
        early = bool(r.get("too_early", False))
        shown = [r["before_rate"]] if early else [r["before_rate"], r["after_rate"]]
        right = np.nanmax([*shown, 0.0])
        left = np.nanmin([*shown, 1.0])
        for side in ("before", "after"):
            value = float(r[f"{side}_rate"])
            label = fmt_pct(value) + ("*" if side == "after" and r["significant"] else "")
            if side == "after" and early:
                # No after point: a handful of quick losses would read as a drop.
                label = words["too_early"]
                value = float("nan")
            rows.append(
                {
                    "segment": words["all"] if r["segment"] == ALL else r["segment"],
                    "step": int(r["step"]),
                    "name": name,
                    "side": words[side],
                    "side_key": side,
                    "value": None if np.isnan(value) else value,
                    "label_x": float(right),
                    "left_x": float(left),
                    "trials": int(r[f"{side}_trials"]),
                    "label": label,
                    "significant": bool(r["significant"]),
                    "too_small": bool(r["too_small"]),
                    "too_early": early,
                    "up": up,
                    "p": None if np.isnan(r["p_adjusted"]) else float(r["p_adjusted"]),
                }
            )
    return pd.DataFrame(rows)


def before_after_chart(
    result: BeforeAfter,
    *,
    segments: Sequence[str] | None = None,
    text: Mapping[str, str] | None = None,
    fmt_pct: Formatter = plain_pct,
    columns: int = 2,
    panel_width: int = 300,
) -> alt.FacetChart:
    """A dumbbell per step: the before rate (grey) joined to the after rate, green when it rose
    and red when it fell, bold and starred when significant; one panel per segment. A step too
    early to judge says so in place of its after rate."""
    words = merge_words(DEFAULT_WORDS, text)
    data = before_after_frame(result, text=words, fmt_pct=fmt_pct)
    if segments is not None:
        data = data[data["segment"].isin(list(segments))]
    order = list(dict.fromkeys(data.sort_values("step")["name"]))
    seg_order = list(segments) if segments is not None else list(dict.fromkeys(data["segment"]))
    y = alt.Y(
        "name:N",
        sort=order,
        title=None,
        axis=alt.Axis(
            labelLimit=300, ticks=False, domain=False, labelExpr=wrap_expr(), labelPadding=6
        ),
    )
    x = alt.X(
        "value:Q",
        title=None,
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format=".0%", tickCount=5, grid=True),
    )
    verdict = (
        "datum.too_small ? '"
        + GREY
        + "' : (datum.significant ? (datum.up ? '"
        + AFTER_UP
        + "' : '"
        + AFTER_DOWN
        + "') : '#7d8596')"
    )
    base = alt.Chart().transform_filter("isValid(datum.value)").transform_calculate(tone=verdict)
    link = base.mark_line(strokeWidth=3).encode(
        x=x, y=y, detail="name:N", color=alt.Color("tone:N", scale=None), opacity=alt.value(0.7)
    )
    dots = base.mark_point(filled=True, size=90).encode(
        x=x,
        y=y,
        shape=alt.Shape(
            "side:N",
            scale=alt.Scale(domain=[words["before"], words["after"]], range=["circle", "diamond"]),
            legend=alt.Legend(title=None, orient="top"),
        ),
        color=alt.condition(
            "datum.side_key == 'before'", alt.value("#9aa0ab"), alt.Color("tone:N", scale=None)
        ),
        tooltip=[
            alt.Tooltip("name:N", title=words["step"]),
            alt.Tooltip("side:N", title=""),
            alt.Tooltip("label:N", title=words["rate"]),
            alt.Tooltip("trials:Q", title=words["trials"], format=",.0f"),
            alt.Tooltip("p:Q", title="p", format=".3f"),
        ],
    )

    def label_layer(when: str, align: Literal["left", "right"], dx: int, x_field: str) -> alt.Chart:
        return (
            alt.Chart()
            .transform_calculate(tone=verdict)
            .transform_filter(f"datum.side_key == 'after' && {when}")
            .mark_text(align=align, dx=dx, fontSize=11)
            .encode(
                x=alt.X(f"{x_field}:Q", scale=alt.Scale(domain=[0, 1]), axis=None),
                y=y,
                text="label:N",
                color=alt.Color("tone:N", scale=None),
            )
        )

    rates = label_layer("isValid(datum.value) && !datum.too_early", "left", 9, "label_x")
    # "Too early" is long: written left of the leftmost dot, inside the panel.
    early = label_layer("datum.too_early", "right", -9, "left_x")
    chart = (
        alt.layer(link, dots, rates, early, data=data)
        .properties(width=panel_width, height=alt.Step(30))
        .facet(
            facet=alt.Facet(
                "segment:N",
                sort=seg_order,
                title=None,
                header=alt.Header(labelFontSize=12, labelFontWeight="bold", labelLimit=panel_width),
            ),
            columns=columns,
        )
        .resolve_scale(y="shared")
        # Room on the left: long step names were measured short and clipped at the edge.
        .properties(padding={"left": 16, "top": 5, "right": 5, "bottom": 5})
    )
    return style(chart)
