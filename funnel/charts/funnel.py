"""Altair chart builders over funnel numbers: pure functions, every word passed in by the caller."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import numpy as np
import pandas as pd

from funnel.charts.style import (
    BAR,
    BAR_WON,
    BETTER,
    GHOST,
    GHOST_OPEN,
    GREY,
    LOSS_TEXT,
    WORSE,
    Formatter,
    merge_words,
    plain_number,
    plain_pct,
    style,
    style_config,
)
from funnel.deals import LOST, OPEN
from funnel.metrics import FunnelCounts

Measure = Literal["deals", "money"]

# The heatmap fits the wide page next to the sidebar (about 940 px in a 1400 px window);
# cells narrow down to HEATMAP_MIN_CELL for that.
HEATMAP_WIDTH = 920
HEATMAP_MIN_CELL = 42
HEATMAP_MAX_CELL = 84
SEGMENT_JOIN = " × "  # how FunnelCounts.segment_label joins the dimensions
SEGMENT_COLUMNS = 6  # more segments than this go on the rows (unless the steps are more)
DROP_FONT = 11  # the red drop-off numbers of the funnel
DROP_GAP = 6
STAGE_LIMIT = 260  # the funnel's stage names are cut beyond this many pixels
MIN_PLOT = 240
TEXT = "#1f2430"  # the funnel's labels

DEFAULT_TEXT = {
    "won": "Won",
    "stage": "Stage",
    "reached": "Reached",
    "pct_prev": "% of previous",
    "pct_top": "% of top",
    "drop_off": "Lost before next",
    "lost_prev": "Lost at the previous stage",
    "open_prev": "Still open at the previous stage",
    "segment": "Segment",
    "step": "Step",
    "rate": "Step conversion",
    "significant": "Significant",
    "too_small": "Too small to judge",
    "deals": "Deals",
    "verdict": "Verdict",
    "verdict_better": "▲ reliably higher",
    "verdict_worse": "▼ reliably lower",
    "verdict_no_difference": "within noise",
    "verdict_too_small": "too small to judge",
    "verdict_baseline": "the baseline",
}


def _words(text: Mapping[str, str] | None) -> dict[str, str]:
    return merge_words(DEFAULT_TEXT, text)


def _text_px(texts: Sequence[str], size: float) -> float:
    """A generous guess of the widest of ``texts`` in pixels (no font metrics offline)."""
    return max((len(x) for x in texts), default=0) * size * 0.62


def _funnel_columns(
    counts: FunnelCounts,
    g: int,
    *,
    measure: Measure,
    currency: int,
    won_label: str,
    fmt_value: Formatter,
    fmt_pct: Formatter,
) -> dict[str, Any]:
    """The funnel's data by column, one entry per stage plus the won row: what both the frame
    of :func:`funnel_frame` and the records of :func:`funnel_spec` are made of."""
    if measure == "money":
        values = counts.reached_amount[g, currency].astype(float)
        won = float(counts.won_amount[g, currency])
        lost_at = counts.amount_by_stage(LOST)[g, currency].astype(float)
        open_at = counts.amount_by_stage(OPEN)[g, currency].astype(float)
    else:
        values = counts.reached[g].astype(float)
        won = float(counts.won[g])
        lost_at = counts.lost_at[g].astype(float)
        open_at = counts.open_at[g].astype(float)
    values = np.append(values, won)
    names = [*counts.stages, won_label]
    top = values[0] if len(values) and values[0] > 0 else float("nan")
    prev = np.concatenate([[np.nan], values[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_prev = values / prev
        pct_top = values / top
    drop = np.concatenate([values[:-1] - values[1:], [np.nan]])
    # Of what the previous stage did not pass on: lost there, and still open there.
    lost_prev = np.concatenate([[np.nan], lost_at])
    open_prev = np.concatenate([[np.nan], open_at])
    labels, drop_labels = [], []
    for k in range(len(names)):
        label = fmt_value(values[k])
        if k > 0:
            label += f" · {fmt_pct(pct_prev[k])} · {fmt_pct(pct_top[k])}"
        labels.append(label)
        drop_labels.append(
            ("−" + fmt_value(lost_at[k - 1])) if k > 0 and lost_at[k - 1] > 0 else ""
        )
    label_x = prev / 2
    label_x[0] = values[0] / 2
    return {
        "order": np.arange(len(names)),
        "stage": names,
        "value": values,
        "half": values / 2,
        "prev_half": prev / 2,
        # Labels sit right of the pale previous-stage bar, so they never cover it.
        "label_x": label_x,
        "pct_prev": pct_prev,
        "pct_top": pct_top,
        "drop_off": drop,
        "lost_prev": lost_prev,
        "open_prev": open_prev,
        "open_half": (values + open_prev) / 2,
        "label": labels,
        "drop_label": drop_labels,
        "is_won": np.arange(len(names)) == len(names) - 1,
    }


def funnel_frame(
    counts: FunnelCounts,
    g: int = 0,
    *,
    measure: Measure = "deals",
    currency: int = 0,
    won_label: str = "Won",
    fmt_value: Formatter = plain_number,
    fmt_pct: Formatter = plain_pct,
) -> pd.DataFrame:
    """One row per stage (plus the won row): the value, its neighbours' values, and labels."""
    return pd.DataFrame(
        _funnel_columns(
            counts,
            g,
            measure=measure,
            currency=currency,
            won_label=won_label,
            fmt_value=fmt_value,
            fmt_pct=fmt_pct,
        )
    )


def _json_records(columns: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The columns as the records Altair writes for a frame: Python numbers, None for a
    missing or infinite one."""
    lists = []
    for values in columns.values():
        if isinstance(values, np.ndarray) and values.dtype.kind == "f":
            lists.append([x if math.isfinite(x) else None for x in values.tolist()])
        elif isinstance(values, np.ndarray):
            lists.append(values.tolist())
        else:
            lists.append(list(values))
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*lists, strict=True)]


def _dataset_name(records: list[dict[str, Any]]) -> str:
    """The name Altair gives a dataset: a hash of its values (Streamlit keys a chart's data by
    it)."""
    text = json.dumps(records, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class _Layout:
    order: list[str]  # the stages top to bottom, the won row last
    step: int  # pixels per bar
    plot_px: int
    domain: list[float]  # of the x scale, in data units


def _funnel_layout(columns: Mapping[str, Any], width: int) -> _Layout:
    values = np.asarray(columns["value"], dtype=float)
    top = float(np.nanmax(values)) if len(values) and np.nanmax(values) > 0 else 1.0
    order = list(columns["stage"])
    # The plot gets what the stage names on its left and the labels running out of it on the
    # right leave of ``width``.
    stage_px = min(STAGE_LIMIT, _text_px(order, 12)) + 8
    label_px = _text_px(list(columns["label"]), 12) + 6
    plot_px = int(max(MIN_PLOT, width - stage_px - label_px))
    # The drop-off numbers sit left of the pale bars and the widest of those reaches the plot's
    # left half's edge: the longest number needs a margin of its own (in data units) there, or
    # it runs into the stage names.
    drop_px = _text_px(list(columns["drop_label"]), DROP_FONT) + DROP_GAP + 8
    margin = max(top * 0.12, drop_px * top / max(plot_px - drop_px, 1.0))
    return _Layout(
        order=order,
        step=30 if len(order) <= 10 else 24,
        plot_px=plot_px,
        domain=[-top / 2 - margin, top / 2],
    )


def funnel_chart(
    counts: FunnelCounts,
    g: int = 0,
    *,
    measure: Measure = "deals",
    currency: int = 0,
    text: Mapping[str, str] | None = None,
    fmt_value: Formatter = plain_number,
    fmt_pct: Formatter = plain_pct,
    width: int = 860,
    title: str | None = None,
) -> alt.LayerChart:
    """A centred funnel: one bar per stage shrinking to the won bar.

    Each bar is labelled "count · % of previous · % of top"; behind it a pale bar as wide as the
    previous stage shows what that stage did not pass on: in grey next to the bar the deals
    still open there, in red outside them the deals lost there, whose number is written in red
    on the left. ``width`` is that of the whole chart, stage names and labels included.
    :func:`funnel_spec` writes the same chart's Vega-Lite dict without Altair.
    """
    words = _words(text)
    columns = _funnel_columns(
        counts,
        g,
        measure=measure,
        currency=currency,
        won_label=words["won"],
        fmt_value=fmt_value,
        fmt_pct=fmt_pct,
    )
    data = pd.DataFrame(columns)
    layout = _funnel_layout(columns, width)
    y = alt.Y(
        "stage:N",
        sort=layout.order,
        title=None,
        axis=alt.Axis(
            labelLimit=STAGE_LIMIT, labelFontSize=12, ticks=False, domain=False, labelPadding=8
        ),
    )
    x_scale = alt.Scale(domain=layout.domain, nice=False)
    x = alt.X("neg_half:Q", scale=x_scale, axis=None, title=None)
    tooltip = [
        alt.Tooltip("stage:N", title=words["stage"]),
        alt.Tooltip("value:Q", title=words["reached"], format=",.0f"),
        alt.Tooltip("pct_prev:Q", title=words["pct_prev"], format=".1%"),
        alt.Tooltip("pct_top:Q", title=words["pct_top"], format=".1%"),
        alt.Tooltip("lost_prev:Q", title=words["lost_prev"], format=",.0f"),
        alt.Tooltip("open_prev:Q", title=words["open_prev"], format=",.0f"),
    ]
    # The data sits on the layer, not on each of its charts: Altair would hash each chart's
    # copy of the frame (by printing it) to find they are the same.
    base = alt.Chart().transform_calculate(
        neg_half="-datum.half", neg_prev="-datum.prev_half", neg_open="-datum.open_half"
    )
    # A legend names the two pale bands, so that the chart read alone (a PNG) still says which
    # is lost and which is still open.
    band = alt.Scale(domain=[words["lost_prev"], words["open_prev"]], range=[GHOST, GHOST_OPEN])
    legend = alt.Legend(title=None, orient="top", symbolType="square", labelFontSize=11)
    ghost = (
        base.transform_filter("isValid(datum.prev_half)")
        .transform_calculate(band=json.dumps(words["lost_prev"]))
        .mark_bar(color=GHOST, height={"band": 0.78})
        .encode(
            y=y,
            x=alt.X("neg_prev:Q", scale=x_scale, axis=None),
            x2="prev_half:Q",
            color=alt.Color("band:N", scale=band, legend=legend),
        )
    )
    still_open = (
        base.transform_filter("isValid(datum.open_half) && datum.open_prev > 0")
        .transform_calculate(band=json.dumps(words["open_prev"]))
        .mark_bar(color=GHOST_OPEN, height={"band": 0.78})
        .encode(
            y=y,
            x=alt.X("neg_open:Q", scale=x_scale, axis=None),
            x2="open_half:Q",
            color=alt.Color("band:N", scale=band, legend=legend),
            tooltip=tooltip,
        )
    )
    bars = base.mark_bar(height={"band": 0.78}, cornerRadius=2).encode(
        y=y,
        x=x,
        x2="half:Q",
        color=alt.condition("datum.is_won", alt.value(BAR_WON), alt.value(BAR)),
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=6, fontSize=12, color=TEXT).encode(
        y=y, x=alt.X("label_x:Q", scale=x_scale, axis=None), text="label:N"
    )
    drops = (
        base.transform_filter("datum.drop_label != ''")
        .mark_text(align="right", dx=-DROP_GAP, fontSize=DROP_FONT, color=LOSS_TEXT)
        .encode(
            y=y,
            x=alt.X("neg_prev:Q", scale=x_scale, axis=None),
            text="drop_label:N",
        )
    )
    # Step heights: Streamlit fits a fixed height around the axes, squeezing the bars. Padding,
    # not Streamlit's default fit: the plot keeps the width the margins above were made for.
    chart = alt.layer(ghost, still_open, bars, labels, drops, data=data).properties(
        width=layout.plot_px,
        height=alt.Step(layout.step),
        autosize=alt.AutoSizeParams(type="pad", contains="padding"),
    )
    if title:
        chart = chart.properties(title=title)
    return style(chart)


def funnel_spec(
    counts: FunnelCounts,
    g: int = 0,
    *,
    measure: Measure = "deals",
    currency: int = 0,
    text: Mapping[str, str] | None = None,
    fmt_value: Formatter = plain_number,
    fmt_pct: Formatter = plain_pct,
    width: int = 860,
    title: str | None = None,
) -> dict[str, Any]:
    """The Vega-Lite dict of :func:`funnel_chart` (the same arguments), written directly.

    A page redraws the funnel on every change of a filter: building the Altair chart and
    turning it into a dict took most of such a rerun. The dict equals the chart's
    ``to_dict()`` (tests compare them and validate it against Vega-Lite's schema), so the two
    must change together.
    """
    words = _words(text)
    columns = _funnel_columns(
        counts,
        g,
        measure=measure,
        currency=currency,
        won_label=words["won"],
        fmt_value=fmt_value,
        fmt_pct=fmt_pct,
    )
    layout = _funnel_layout(columns, width)
    records = _json_records(columns)
    name = _dataset_name(records)
    y = {
        "axis": {
            "domain": False,
            "labelFontSize": 12,
            "labelLimit": STAGE_LIMIT,
            "labelPadding": 8,
            "ticks": False,
        },
        "field": "stage",
        "sort": layout.order,
        "title": None,
        "type": "nominal",
    }
    scale = {"domain": layout.domain, "nice": False}

    def x(field: str, **more: Any) -> dict[str, Any]:
        return {"axis": None, "field": field, "scale": scale, **more, "type": "quantitative"}

    tooltip = [
        {"field": "stage", "title": words["stage"], "type": "nominal"},
        *(
            {"field": field, "format": fmt, "title": words[word], "type": "quantitative"}
            for field, word, fmt in (
                ("value", "reached", ",.0f"),
                ("pct_prev", "pct_prev", ".1%"),
                ("pct_top", "pct_top", ".1%"),
                ("lost_prev", "lost_prev", ",.0f"),
                ("open_prev", "open_prev", ",.0f"),
            )
        ),
    ]
    band = {
        "field": "band",
        "legend": {"labelFontSize": 11, "orient": "top", "symbolType": "square", "title": None},
        "scale": {"domain": [words["lost_prev"], words["open_prev"]], "range": [GHOST, GHOST_OPEN]},
        "type": "nominal",
    }
    halves = [
        {"calculate": "-datum.half", "as": "neg_half"},
        {"calculate": "-datum.prev_half", "as": "neg_prev"},
        {"calculate": "-datum.open_half", "as": "neg_open"},
    ]
    layers = [
        {
            "mark": {"type": "bar", "color": GHOST, "height": {"band": 0.78}},
            "encoding": {
                "color": band,
                "x": x("neg_prev"),
                "x2": {"field": "prev_half"},
                "y": y,
            },
            "transform": [
                *halves,
                {"filter": "isValid(datum.prev_half)"},
                {"calculate": json.dumps(words["lost_prev"]), "as": "band"},
            ],
        },
        {
            "mark": {"type": "bar", "color": GHOST_OPEN, "height": {"band": 0.78}},
            "encoding": {
                "color": band,
                "tooltip": tooltip,
                "x": x("neg_open"),
                "x2": {"field": "open_half"},
                "y": y,
            },
            "transform": [
                *halves,
                {"filter": "isValid(datum.open_half) && datum.open_prev > 0"},
                {"calculate": json.dumps(words["open_prev"]), "as": "band"},
            ],
        },
        {
            "mark": {"type": "bar", "cornerRadius": 2, "height": {"band": 0.78}},
            "encoding": {
                "color": {"condition": {"test": "datum.is_won", "value": BAR_WON}, "value": BAR},
                "tooltip": tooltip,
                "x": x("neg_half", title=None),
                "x2": {"field": "half"},
                "y": y,
            },
            "transform": halves,
        },
        {
            "mark": {"type": "text", "align": "left", "color": TEXT, "dx": 6, "fontSize": 12},
            "encoding": {
                "text": {"field": "label", "type": "nominal"},
                "x": x("label_x"),
                "y": y,
            },
            "transform": halves,
        },
        {
            "mark": {
                "type": "text",
                "align": "right",
                "color": LOSS_TEXT,
                "dx": -DROP_GAP,
                "fontSize": DROP_FONT,
            },
            "encoding": {
                "text": {"field": "drop_label", "type": "nominal"},
                "x": x("neg_prev"),
                "y": y,
            },
            "transform": [*halves, {"filter": "datum.drop_label != ''"}],
        },
    ]
    spec: dict[str, Any] = {
        "config": style_config(),
        "layer": layers,
        "autosize": {"contains": "padding", "type": "pad"},
        "data": {"name": name},
        "height": {"step": layout.step},
        "width": layout.plot_px,
    }
    if title:
        spec["title"] = title
    spec["$schema"] = alt.SCHEMA_URL
    spec["datasets"] = {name: records}
    return spec


def small_multiples(
    counts: FunnelCounts,
    *,
    too_small: Sequence[bool] | np.ndarray | None = None,
    text: Mapping[str, str] | None = None,
    fmt_pct: Formatter = plain_pct,
    columns: int = 3,
    panel_width: int = 220,
) -> alt.FacetChart:
    """One centred funnel per segment, all on one scale (% of top), ending in its won row (green);
    too-small segments grey."""
    words = _words(text)
    small = np.zeros(len(counts.labels), dtype=bool) if too_small is None else np.asarray(too_small)
    rows = []
    seg_order = []
    for g in range(len(counts.labels)):
        seg = f"{counts.segment_label(g)} ({int(counts.deals[g])})"
        seg_order.append(seg)
        pct = counts.pct_of_top[g]
        top = float(counts.reached[g, 0]) if len(counts.stages) else 0.0
        won_pct = float(counts.won[g]) / top if top > 0 else 0.0
        steps = [
            (stage, float(pct[k]), int(counts.reached[g, k]))
            for k, stage in enumerate(counts.stages)
        ]
        steps.append((words["won"], won_pct, int(counts.won[g])))
        for k, (stage, pct_k, reached_k) in enumerate(steps):
            value = pct_k if not math.isnan(pct_k) else 0.0
            rows.append(
                {
                    "segment": seg,
                    "order": k,
                    "stage": stage,
                    "pct": value,
                    "half": value / 2,
                    "reached": reached_k,
                    "label": fmt_pct(value),
                    "small": bool(small[g]),
                    "is_won": k == len(steps) - 1,
                }
            )
    data = pd.DataFrame(rows)
    order = [*counts.stages, words["won"]]
    height = alt.Step(max(12, min(22, 360 // max(len(order), 1))))
    x_scale = alt.Scale(domain=[-0.5, 0.5], nice=False)
    y = alt.Y(
        "stage:N", sort=order, title=None, axis=alt.Axis(labelLimit=170, ticks=False, domain=False)
    )
    base = alt.Chart().transform_calculate(
        neg_half="-datum.half",
        colour=f"datum.small ? '{GREY}' : datum.is_won ? '{BAR_WON}' : '{BAR}'",
    )
    bars = base.mark_bar(height={"band": 0.8}).encode(
        y=y,
        x=alt.X("neg_half:Q", scale=x_scale, axis=None),
        x2="half:Q",
        color=alt.Color("colour:N", scale=None, legend=None),
        tooltip=[
            alt.Tooltip("segment:N", title=words["segment"]),
            alt.Tooltip("stage:N", title=words["stage"]),
            alt.Tooltip("reached:Q", title=words["reached"], format=",.0f"),
            alt.Tooltip("pct:Q", title=words["pct_top"], format=".1%"),
        ],
    )
    labels = base.mark_text(fontSize=10, color="#1f2430", align="left", dx=3).encode(
        y=y, x=alt.X("half:Q", scale=x_scale, axis=None), text="label:N"
    )
    chart = (
        alt.layer(bars, labels, data=data)
        .properties(width=panel_width, height=height)
        .facet(
            facet=alt.Facet(
                "segment:N",
                sort=seg_order,
                title=None,
                # "Channel × Owner (n)" is often wider than a panel: one line per part.
                header=alt.Header(
                    labelFontSize=12,
                    labelFontWeight="bold",
                    labelLimit=panel_width,
                    labelExpr=f"split(datum.label, '{SEGMENT_JOIN}')",
                ),
            ),
            columns=columns,
        )
        .resolve_scale(x="shared", y="shared")
    )
    return style(chart)


def heatmap_frame(
    comparison: Any,
    *,
    fmt_pct: Formatter = plain_pct,
    arrow: str = " → ",
    text: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Long table of the heatmap cells: step, segment, rate, significance, too-small flag, and
    the verdict in words (for the tooltip: no bare true/false)."""
    words = _words(text)
    counts: FunnelCounts = comparison.counts
    stages = list(counts.stages)
    rate = np.asarray(comparison.rate, dtype=float)
    other = np.asarray(comparison.other_rate, dtype=float)
    sig = np.asarray(comparison.significant, dtype=bool)
    small = np.asarray(comparison.too_small, dtype=bool)
    rows = []
    # The last stage's conversion is to won; steps are "stage → next".
    nexts = [*stages[1:], None]
    for g in range(len(counts.labels)):
        seg = counts.segment_label(g)
        for k, stage in enumerate(stages):
            value = rate[g, k]
            step = f"{stage}{arrow}{nexts[k]}" if nexts[k] else stage
            real = bool(sig[g, k]) and not bool(small[g])
            # Better or worse than what it is compared with: a sign, not only a colour.
            better = real and bool(value > other[g, k])
            sign = ("▲" if better else "▼") if real else ""
            if small[g]:
                verdict = "too_small"
            elif comparison.baseline == g:
                verdict = "baseline"
            else:
                verdict = ("better" if better else "worse") if real else "no_difference"
            rows.append(
                {
                    "segment": seg,
                    "order": k,
                    "step": step,
                    "rate": None if math.isnan(value) else float(value),
                    "reached": int(counts.reached[g, k]),
                    "significant": real,
                    "better": better,
                    "worse": real and not better,
                    "too_small": bool(small[g]),
                    "label": ("" if math.isnan(value) else fmt_pct(value)) + sign,
                    "verdict": words[f"verdict_{verdict}"],
                }
            )
    return pd.DataFrame(rows)


def heatmap(
    comparison: Any,
    *,
    text: Mapping[str, str] | None = None,
    fmt_pct: Formatter = plain_pct,
    won_label: str = "Won",
    max_width: int = HEATMAP_WIDTH,
    segments_on_rows: bool | None = None,
) -> alt.LayerChart:
    """Step x segment step conversion, small segments grey. A cell reliably better than what it
    is compared with is framed green with ▲, a worse one dashed red with ▼.

    Steps run down the rows and segments across, unless there are more than
    ``SEGMENT_COLUMNS`` segments and no more steps than segments: then segments are the rows
    (``segments_on_rows`` forces either). Cells narrow so that the chart, labels included,
    stays within ``max_width`` pixels.
    """
    words = _words(text)
    data = heatmap_frame(comparison, fmt_pct=fmt_pct, text=words)
    # The last step is the one into won.
    stages = list(comparison.counts.stages)
    last = stages[-1] if stages else ""
    data.loc[data["step"] == last, "step"] = f"{last} → {won_label}"
    steps = list(dict.fromkeys(data.sort_values("order")["step"]))
    segments = list(dict.fromkeys(data["segment"]))
    if segments_on_rows is None:
        segments_on_rows = len(segments) > SEGMENT_COLUMNS and len(segments) >= len(steps)
    row_field, row_order = ("segment", segments) if segments_on_rows else ("step", steps)
    col_field, col_order = ("step", steps) if segments_on_rows else ("segment", segments)

    label_size = 11
    row_limit = 360
    col_limit = 300
    col_angle = -45
    row_px = min(row_limit, _text_px(row_order, label_size)) + 10
    # Slanted column labels reach right past the last column by their width times cos(angle).
    overhang = min(col_limit, _text_px(col_order, label_size)) * math.cos(math.radians(col_angle))
    room = (max_width - row_px - overhang) / max(len(col_order), 1)
    cell_width = int(max(HEATMAP_MIN_CELL, min(HEATMAP_MAX_CELL, room)))

    y = alt.Y(
        f"{row_field}:N",
        sort=row_order,
        title=None,
        axis=alt.Axis(labelLimit=row_limit, labelFontSize=label_size, ticks=False),
    )
    x = alt.X(
        f"{col_field}:N",
        sort=col_order,
        title=None,
        axis=alt.Axis(
            orient="top",
            labelAngle=col_angle,
            labelLimit=col_limit,
            labelFontSize=label_size,
            ticks=False,
        ),
    )
    tooltip = [
        alt.Tooltip("segment:N", title=words["segment"]),
        alt.Tooltip("step:N", title=words["step"]),
        alt.Tooltip("rate:Q", title=words["rate"], format=".1%"),
        alt.Tooltip("reached:Q", title=words["reached"], format=",.0f"),
        alt.Tooltip("verdict:N", title=words["verdict"]),
    ]
    base = alt.Chart()  # the data sits on the layer (see funnel_chart)
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        x=x,
        y=y,
        color=alt.condition(
            "datum.too_small || !isValid(datum.rate)",
            alt.value("#e6e7ea"),
            alt.Color(
                "rate:Q",
                scale=alt.Scale(scheme="blues", domain=[0, 1]),
                legend=alt.Legend(
                    title=words["rate"],
                    orient="bottom",
                    # three labels in the locale's own form, far enough apart never to overlap
                    values=[0, 0.5, 1],
                    labelExpr=(
                        f"datum.value < 0.25 ? '{fmt_pct(0.0)}' : "
                        f"datum.value < 0.75 ? '{fmt_pct(0.5)}' : '{fmt_pct(1.0)}'"
                    ),
                    gradientLength=160,
                    labelOverlap="greedy",
                ),
            ),
        ),
        tooltip=tooltip,
    )
    better = (
        base.transform_filter("datum.better")
        .mark_rect(fill=None, stroke=BETTER, strokeWidth=2.5)
        .encode(x=x, y=y)
    )
    worse = (
        base.transform_filter("datum.worse")
        .mark_rect(fill=None, stroke=WORSE, strokeWidth=2.5, strokeDash=[4, 2])
        .encode(x=x, y=y)
    )
    labels = base.mark_text(fontSize=11 if cell_width >= 52 else 10).encode(
        x=x,
        y=y,
        text="label:N",
        color=alt.condition(
            "datum.rate > 0.6 && !datum.too_small", alt.value("white"), alt.value("#1f2430")
        ),
    )
    chart = alt.layer(cells, better, worse, labels, data=data).properties(
        width=alt.Step(cell_width), height=alt.Step(24)
    )
    return style(chart)
