"""Altair charts of the funnel over time: step rates by cohort and cohort volume (before/after
charts live in ``funnel.charts.changes``).

Pure functions like ``funnel.charts.funnel``: every word and number format comes from the caller.
Immature cohorts are drawn faded with a dashed line, so a young cohort's open deals never read
as a drop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from funnel.charts.style import (
    BAR,
    BAR_WON,
    GREY,
    Formatter,
    merge_words,
    plain_pct,
    style,
    wrap_expr,
)
from funnel.overtime.cohorts import CohortTrends, Shift

OPEN_COLOR = "#f0b429"
LEVEL_COLOR = "#7b3fb8"  # the before/after levels of a shift: far from the blue line and yellow
FADED = 0.35
MIN_POINT_TRIALS = 5
# Streamlit otherwise fits a fixed height around the axes and squeezes the plot.
PAD = alt.AutoSizeParams(type="pad", contains="padding")

DEFAULT_WORDS = {
    "won": "Won",
    "created": "Created",
    "cohort": "Cohort",
    "step": "Step",
    "rate": "Conversion",
    "deals": "Deals",
    "passed": "Passed",
    "trials": "Attempts",
    "immature": "Immature",
    "mature": "Mature",
    "open": "Open",
    "lost": "Lost",
    "outcome": "Outcome",
    "before": "Before",
    "after": "After",
    "segment": "Segment",
    "significant": "Significant",
    "change": "Change",
    "all": "All deals",
    "too_early": "too early",
    "level": "Level before / after the shift",
    "months_short": "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
    "quarter_fmt": "Q{q} {year}",
    "week_fmt": "wk {day}",
}
_ROMAN = ("I", "II", "III", "IV")


def tick_label(
    start: pd.Timestamp | str, period: str, text: Mapping[str, str] | None = None
) -> str:
    """A cohort in a few characters, one wording for every chart: "Mar 2026", "Q1 2026",
    "wk 02.03" (the caller's words: "мар 2026", "I кв. 2026", "нед. 02.03").

    >>> tick_label("2026-03-01", "month"), tick_label("2026-01-01", "quarter")
    ('Mar 2026', 'Q1 2026')
    >>> tick_label("2026-03-02", "week")
    'wk 02.03'
    """
    words = _words(text)
    day = pd.Timestamp(start)
    if period == "quarter":
        return words["quarter_fmt"].format(
            q=day.quarter, roman=_ROMAN[day.quarter - 1], year=day.year
        )
    if period == "week":
        return words["week_fmt"].format(day=f"{day:%d.%m}", year=day.year)
    return f"{words['months_short'].split('|')[day.month - 1]} {day.year}"


def _words(text: Mapping[str, str] | None) -> dict[str, str]:
    return merge_words(DEFAULT_WORDS, text)


def step_name(from_stage: str, to_stage: str | None, step: int, n_stages: int, words: dict) -> str:
    """ "A → B"; the last step is "A → won", the whole funnel "created → won"."""
    if step >= n_stages:
        return f"{words['created']} → {words['won']}"
    return f"{from_stage} → {words['won'] if to_stage is None or pd.isna(to_stage) else to_stage}"


def trend_frame(
    trends: CohortTrends,
    *,
    steps: Sequence[int] | None = None,
    segments: Sequence[str] | None = None,
    text: Mapping[str, str] | None = None,
    fmt_pct: Formatter = plain_pct,
) -> pd.DataFrame:
    """The rows the trend charts draw: one per (segment, step, cohort), with the rate of the
    trends' basis, its label, and ``tail`` marking the dashed part (the immature cohorts and the
    last mature one before them)."""
    words = _words(text)
    table = trends.table
    if steps is not None:
        table = table[table["step"].isin(list(steps))]
    if segments is not None:
        table = table[table["segment"].isin(list(segments))]
    data = table.sort_values(["segment", "step", "start"]).copy()
    n = len(trends.stages)
    rate_col = "rate_decided" if trends.basis == "decided" else "rate"
    data["value"] = data[rate_col].astype(float)
    data["name"] = [
        step_name(f, t, k, n, words)
        for f, t, k in zip(data["from_stage"], data["to_stage"], data["step"], strict=True)
    ]
    data["label"] = [fmt_pct(v) for v in data["value"]]
    data["state"] = np.where(data["immature"], words["immature"], words["mature"])
    tail = data["immature"].to_numpy(dtype=bool).copy()
    # The dashed line starts at the last mature cohort, so the two parts join.
    nxt = np.append(tail[1:], False)
    same = np.append(
        (data["segment"].to_numpy()[1:] == data["segment"].to_numpy()[:-1])
        & (data["step"].to_numpy()[1:] == data["step"].to_numpy()[:-1]),
        False,
    )
    data["tail"] = tail | (nxt & same & ~tail)
    data["tick"] = [tick_label(d, trends.period, words) for d in data["start"]]
    for col in ("start", "end"):
        data[col] = pd.to_datetime(data[col]).dt.strftime("%Y-%m-%d")
    return data.reset_index(drop=True)


def hide_small(data: pd.DataFrame, basis: str, min_trials: int) -> pd.DataFrame:
    """Blank the rate of cohorts with fewer than ``min_trials`` attempts at the step (one deal
    out of one is not 100 %), and number the unbroken runs of drawn points per (segment, step)
    in ``run``, so a line breaks over a hidden or missing cohort instead of jumping across it.
    """
    data = data.copy()
    trials = data["trials_decided" if basis == "decided" else "trials"]
    data.loc[trials < min_trials, "value"] = np.nan
    data["small"] = (trials < min_trials) & (data["trials"] > 0)
    starts = sorted(set(data["start"]))
    index = {d: i for i, d in enumerate(starts)}
    runs = []
    run = 0
    prev: tuple | None = None
    for seg, step, start, value in zip(
        data["segment"], data["step"], data["start"], data["value"], strict=True
    ):
        i = index[start]
        if np.isnan(value):
            run += 1
            prev = None
        elif prev is None or prev[:2] != (seg, step) or i - prev[2] > 1:
            run += 1
        if not np.isnan(value):
            prev = (seg, step, i)
        runs.append(run)
    data["run"] = runs
    return data


def small_point_share(
    trends: CohortTrends, *, segment: str | None = None, min_trials: int = MIN_POINT_TRIALS
) -> float:
    """The share of a segment's (step, cohort) points hidden for having too few attempts."""
    segment = segment if segment is not None else (trends.segments() or ["all"])[0]
    table = trends.table[trends.table["segment"] == segment]
    trials = table["trials_decided" if trends.basis == "decided" else "trials"]
    return float((trials < min_trials).mean()) if len(table) else 0.0


def _x(period: str, words: dict) -> alt.X:
    """A time axis ticked and worded per period: months "Mar 2026", quarters "Q1 2026" on
    quarter starts, weeks as "02.03.26" (with the year)."""
    months = "[" + ",".join(f"'{m}'" for m in words["months_short"].split("|")) + "]"
    month_word = f"{months}[month(datum.value)] + ' ' + year(datum.value)"
    if period == "quarter":
        roman = "['I','II','III','IV'][quarter(datum.value) - 1]"
        fmt = words["quarter_fmt"].replace("{roman}", "' + " + roman + " + '")
        fmt = fmt.replace("{q}", "' + quarter(datum.value) + '")
        fmt = fmt.replace("{year}", "' + year(datum.value) + '")
        axis = alt.Axis(
            labelExpr=f"'{fmt}'", labelAngle=0, tickCount={"interval": "month", "step": 3}
        )
    elif period == "week":
        axis = alt.Axis(labelExpr="timeFormat(datum.value, '%d.%m.%y')", labelAngle=0, tickCount=4)
    else:
        axis = alt.Axis(
            labelExpr=month_word, labelAngle=0, tickCount={"interval": "month", "step": 3}
        )
    return alt.X("start:T", title=None, axis=axis)


def cohort_trend_chart(
    trends: CohortTrends,
    *,
    steps: Sequence[int] | None = None,
    shifts: Sequence[Shift] = (),
    segment: str | None = None,
    text: Mapping[str, str] | None = None,
    fmt_pct: Formatter = plain_pct,
    columns: int = 3,
    panel_width: int = 260,
    panel_height: int = 150,
    min_trials: int = MIN_POINT_TRIALS,
) -> alt.FacetChart:
    """One panel per step: its rate per cohort, a solid line over the mature cohorts, dashed
    and faded over the immature ones; a significant shift drawn as its before/after levels
    (up to the last mature cohort). Cohorts with fewer than ``min_trials`` attempts at a step
    are not drawn and break the line."""
    words = _words(text)
    segment = segment if segment is not None else (trends.segments() or ["all"])[0]
    data = trend_frame(trends, steps=steps, segments=[segment], text=words, fmt_pct=fmt_pct)
    data = hide_small(data, trends.basis, min_trials)
    data["kind"] = "point"
    order = list(dict.fromkeys(data.sort_values("step")["name"]))
    levels = []
    first = data["start"].min() if len(data) else None
    last = data["start"].max() if len(data) else None
    n = len(trends.stages)
    for s in shifts:
        if not s.significant or s.segment != segment or (steps is not None and s.step not in steps):
            continue
        name = step_name(s.from_stage, s.to_stage, s.step, n, words)
        split = pd.Timestamp(s.start).strftime("%Y-%m-%d")
        mature = data[(data["step"] == s.step) & ~data["immature"].astype(bool)]["start"]
        end = mature.max() if len(mature) else last
        for x0, x1, rate in ((first, split, s.before_rate), (split, end, s.after_rate)):
            levels.append(
                {
                    "kind": "level",
                    "name": name,
                    "start": x0,
                    "end": x1,
                    "level": rate,
                    "level_name": words["level"],
                }
            )
    frame = pd.concat([data, pd.DataFrame(levels)], ignore_index=True)
    x = _x(trends.period, words)
    y = alt.Y(
        "value:Q",
        title=None,
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format=".0%", tickCount=5, grid=True),
    )
    tooltip = [
        alt.Tooltip("tick:N", title=words["cohort"]),
        alt.Tooltip("name:N", title=words["step"]),
        alt.Tooltip("label:N", title=words["rate"]),
        alt.Tooltip("passed:Q", title=words["passed"], format=",.0f"),
        alt.Tooltip("trials_decided:Q", title=words["trials"], format=",.0f"),
        alt.Tooltip("deals:Q", title=words["deals"], format=",.0f"),
        alt.Tooltip("state:N", title=words["immature"]),
    ]
    base = alt.Chart().transform_filter("datum.kind == 'point' && isValid(datum.value)")
    solid = base.transform_filter("!datum.immature").mark_line(color=BAR, strokeWidth=2)
    dashed = base.transform_filter("datum.tail").mark_line(
        color=BAR, strokeWidth=2, strokeDash=[5, 4], opacity=0.6
    )
    points = base.mark_point(filled=True, size=45, color=BAR).encode(
        x=x,
        y=y,
        opacity=alt.condition("datum.immature", alt.value(FADED), alt.value(1.0)),
        shape=alt.Shape(
            "state:N",
            scale=alt.Scale(
                domain=[words["mature"], words["immature"]], range=["circle", "triangle-down"]
            ),
            legend=alt.Legend(title=None, orient="top"),
        ),
        tooltip=tooltip,
    )
    level = (
        alt.Chart()
        .transform_filter("datum.kind == 'level'")
        .mark_rule(strokeWidth=3, opacity=0.85, strokeDash=[8, 3])
        .encode(
            x=alt.X("start:T"),
            x2="end:T",
            y=alt.Y("level:Q"),
            color=alt.Color(
                "level_name:N",
                scale=alt.Scale(domain=[words["level"]], range=[LEVEL_COLOR]),
                legend=alt.Legend(title=None, orient="top", symbolType="stroke"),
            ),
        )
    )
    layers = [solid.encode(x=x, y=y, detail="run:N"), dashed.encode(x=x, y=y, detail="run:N")]
    if levels:
        layers.insert(0, level)
    chart = (
        alt.layer(*layers, points, data=frame)
        .properties(width=panel_width, height=panel_height)
        .facet(
            facet=alt.Facet(
                "name:N",
                sort=order,
                title=None,
                header=alt.Header(
                    labelFontSize=12,
                    labelFontWeight="bold",
                    labelLimit=panel_width + 20,
                    labelExpr=wrap_expr("datum.value", 34),
                ),
            ),
            columns=columns,
        )
    )
    return style(chart)


def segment_trend_chart(
    trends: CohortTrends,
    step: int,
    *,
    segments: Sequence[str],
    text: Mapping[str, str] | None = None,
    fmt_pct: Formatter = plain_pct,
    min_trials: int = MIN_POINT_TRIALS,
    width: int = 760,
    height: int = 280,
) -> alt.LayerChart:
    """One step's rate per cohort, one line per segment; immature cohorts dashed and faded.

    A cohort of a segment with fewer than ``min_trials`` attempts at the step is not drawn:
    one deal out of one would read as 100 %.
    """
    words = _words(text)
    data = trend_frame(trends, steps=[step], segments=segments, text=words, fmt_pct=fmt_pct)
    data = hide_small(data, trends.basis, min_trials)
    x = _x(trends.period, words)
    y = alt.Y(
        "value:Q",
        title=None,
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format=".0%", tickCount=5, grid=True),
    )
    color = alt.Color(
        "segment:N",
        sort=list(segments),
        title=words["segment"],
        legend=alt.Legend(orient="right", labelLimit=220),
    )
    base = alt.Chart().transform_filter("isValid(datum.value)")
    solid = base.transform_filter("!datum.immature").mark_line(strokeWidth=2)
    dashed = base.transform_filter("datum.tail").mark_line(
        strokeWidth=2, strokeDash=[5, 4], opacity=0.5
    )
    points = base.mark_point(filled=True, size=40).encode(
        x=x,
        y=y,
        color=color,
        opacity=alt.condition("datum.immature", alt.value(FADED), alt.value(1.0)),
        tooltip=[
            alt.Tooltip("segment:N", title=words["segment"]),
            alt.Tooltip("tick:N", title=words["cohort"]),
            alt.Tooltip("label:N", title=words["rate"]),
            alt.Tooltip("trials_decided:Q", title=words["trials"], format=",.0f"),
            alt.Tooltip("state:N", title=words["immature"]),
        ],
    )
    chart = alt.layer(
        solid.encode(x=x, y=y, color=color, detail="run:N"),
        dashed.encode(x=x, y=y, color=color, detail="run:N"),
        points,
        data=data,
    ).properties(width=width, height=height, autosize=PAD)
    return style(chart)


def volume_chart(
    trends: CohortTrends,
    *,
    segment: str | None = None,
    text: Mapping[str, str] | None = None,
    width: int = 760,
    height: int = 170,
) -> alt.Chart:
    """Deals created per cohort, split into won, lost and still open; immature cohorts faded."""
    words = _words(text)
    segment = segment if segment is not None else (trends.segments() or ["all"])[0]
    cohorts = trends.cohorts[trends.cohorts["segment"] == segment]
    rows = []
    names = {"won": words["won"], "lost": words["lost"], "open": words["open"]}
    for _, c in cohorts.iterrows():
        for i, key in enumerate(("won", "lost", "open")):
            rows.append(
                {
                    "cohort": c["cohort"],
                    "tick": tick_label(c["start"], trends.period, words),
                    "start": pd.Timestamp(c["start"]).strftime("%Y-%m-%d"),
                    "outcome": names[key],
                    "order": i,
                    "count": int(c[key]),
                    "deals": int(c["deals"]),
                    "immature": bool(c["immature"]),
                    "state": words["immature"] if c["immature"] else words["mature"],
                }
            )
    data = pd.DataFrame(rows)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "tick:O",
                title=None,
                sort=alt.EncodingSortField(field="start", op="min"),
                axis=alt.Axis(labelAngle=-45 if len(cohorts) > 8 else 0, labelOverlap=True),
            ),
            y=alt.Y("count:Q", title=words["deals"], stack="zero"),
            color=alt.Color(
                "outcome:N",
                scale=alt.Scale(domain=list(names.values()), range=[BAR_WON, GREY, OPEN_COLOR]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            order=alt.Order("order:Q"),
            opacity=alt.condition("datum.immature", alt.value(0.45), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("tick:N", title=words["cohort"]),
                alt.Tooltip("outcome:N", title=words["outcome"]),
                alt.Tooltip("count:Q", title=words["deals"], format=",.0f"),
                alt.Tooltip("deals:Q", title=words["deals"] + " Σ", format=",.0f"),
                alt.Tooltip("state:N", title=words["immature"]),
            ],
        )
        .properties(width=width, height=height, autosize=PAD)
    )
    return style(chart)
