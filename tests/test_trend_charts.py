"""Trend and before/after charts checked through chart.to_dict(): the rows drawn, immature
cohorts dashed and faded, words from the caller."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from funnel.charts import changes as change_charts
from funnel.charts import trends as trend_charts
from funnel.overtime.changes import around_change
from funnel.overtime.cohorts import Shift, cohort_trends
from funnel.prepare import prepare
from tests.strategies import SPEC, slow_wins_then_a_change, small_frame

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def trends():
    return cohort_trends(prepare(small_frame(), SPEC), "month")


def _data(chart) -> list[dict]:
    spec = chart.to_dict()
    datasets = spec["datasets"]
    assert len(datasets) == 1
    return next(iter(datasets.values()))


def _layers(spec: dict) -> list[dict]:
    inner = spec.get("spec", spec)
    return inner.get("layer", [inner])


def test_trend_frame_marks_the_dashed_tail(trends):
    frame = trend_charts.trend_frame(trends, steps=[0])
    assert frame["cohort"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert frame["immature"].tolist() == [False, True, True]
    # The dashed part starts at the last mature cohort so the two lines join.
    assert frame["tail"].tolist() == [True, True, True]
    assert frame["value"].tolist() == pytest.approx([3 / 4, 3 / 4, 0.0])
    assert frame["name"].iloc[0] == "A → B"


def test_step_names_use_the_callers_words(trends):
    words = {"won": "Успех", "created": "Создана"}
    frame = trend_charts.trend_frame(trends, text=words)
    names = list(dict.fromkeys(frame.sort_values("step")["name"]))
    assert names == ["A → B", "B → C", "C → Успех", "Создана → Успех"]


def test_cohort_chart_has_a_panel_per_step_dashed_immature_and_shift_levels(trends):
    shift = Shift(
        segment="all",
        step=0,
        from_stage="A",
        to_stage="B",
        first_after="2025-02",
        start=pd.Timestamp("2025-02-01"),
        before_passed=3,
        before_trials=4,
        after_passed=1,
        after_trials=4,
        p_value=0.01,
        p_adjusted=0.02,
        significant=True,
    )
    chart = trend_charts.cohort_trend_chart(trends, shifts=[shift], fmt_pct=lambda v: f"{v:.2f}")
    spec = chart.to_dict()
    assert spec["facet"]["field"] == "name"
    rows = _data(chart)
    points = [r for r in rows if r["kind"] == "point"]
    assert len(points) == 3 * 4  # 3 cohorts x (3 steps + created -> won)
    levels = [r for r in rows if r["kind"] == "level"]
    assert [r["level"] for r in levels] == [0.75, 0.25]
    assert levels[0]["end"] == levels[1]["start"] == "2025-02-01"
    layers = _layers(spec)
    dashes = [la["mark"].get("strokeDash") for la in layers if la["mark"]["type"] == "line"]
    assert [5, 4] in dashes and None in dashes
    point = next(la for la in layers if la["mark"]["type"] == "point")
    assert point["encoding"]["opacity"]["condition"]["test"] == "datum.immature"
    labels = {r["cohort"]: r["label"] for r in points if r["step"] == 0}
    assert labels == {"2025-01": "0.75", "2025-02": "0.75", "2025-03": "0.00"}


def test_volume_chart_stacks_outcomes_and_fades_young_cohorts(trends):
    chart = trend_charts.volume_chart(trends, text={"won": "W", "lost": "L", "open": "O"})
    rows = _data(chart)
    jan = {r["outcome"]: r["count"] for r in rows if r["cohort"] == "2025-01"}
    assert jan == {"W": 2, "L": 2, "O": 0}
    march = {r["outcome"]: r["count"] for r in rows if r["cohort"] == "2025-03"}
    assert march == {"W": 0, "L": 1, "O": 2} and all(
        r["immature"] for r in rows if r["cohort"] == "2025-03"
    )
    assert chart.to_dict()["encoding"]["opacity"]["condition"]["test"] == "datum.immature"


def test_segment_chart_draws_one_line_per_segment():
    trends = cohort_trends(prepare(small_frame(), SPEC), "month", "channel")
    chart = trend_charts.segment_trend_chart(trends, 0, segments=["x", "y"])
    rows = _data(chart)
    assert {r["segment"] for r in rows} == {"x", "y"}
    assert all(r["step"] == 0 for r in rows)
    # every cohort of x and y has under 5 decided attempts: none is drawn
    assert all(r["value"] is None for r in rows)
    loose = _data(trend_charts.segment_trend_chart(trends, 0, segments=["x"], min_trials=1))
    jan = next(r for r in loose if r["cohort"] == "2025-01")
    assert jan["value"] == pytest.approx(1 / 2)  # deals 1 (won) and 3 (lost at A)


def test_before_after_chart_two_dots_per_step():
    d = prepare(small_frame(), SPEC)
    result = around_change(d, date(2025, 2, 1), min_trials=1)
    chart = change_charts.before_after_chart(
        result, text={"before": "До", "after": "После"}, fmt_pct=lambda v: f"{v:.0%}"
    )
    rows = _data(chart)
    assert len(rows) == 2 * 4
    b_to_c = {r["side"]: r["label"] for r in rows if r["step"] == 1}
    assert b_to_c == {"До": "67%", "После": "100%"}
    # the label sits right of whichever dot is further right
    assert {r["label_x"] for r in rows if r["step"] == 2} == {1.0}


def test_before_after_chart_says_too_early_in_place_of_the_after_rate():
    d = prepare(slow_wins_then_a_change(), SPEC)
    result = around_change(d, date(2025, 1, 1))
    chart = change_charts.before_after_chart(result, text={"too_early": "рано судить"})
    rows = _data(chart)
    won = [r for r in rows if r["step"] == len(d.stages)]
    after = next(r for r in won if r["side_key"] == "after")
    assert after["too_early"] and after["value"] is None and after["label"] == "рано судить"
    before = next(r for r in won if r["side_key"] == "before")
    assert before["value"] == pytest.approx(60 / 600)
    # the label layer draws a too-early step even with no after dot
    texts = [layer for layer in _layers(chart.to_dict()) if layer["mark"]["type"] == "text"]
    early = next(layer for layer in texts if layer["mark"]["align"] == "right")
    assert "datum.too_early" in str(early["transform"])
    assert early["encoding"]["x"]["field"] == "left_x"


# ---- the walkthrough's chart defects ----


def test_a_too_early_after_side_is_not_drawn_even_with_a_few_attempts(sample_security):
    result = around_change(sample_security, date(2026, 5, 18))
    table = result.table
    few = table[table["too_early"] & (table["after_trials"] > 0)]
    assert len(few), "a too-early step with a few quick after attempts"
    rows = _data(change_charts.before_after_chart(result, text={"too_early": "рано судить"}))
    for k in few["step"]:
        after = next(r for r in rows if r["step"] == k and r["side_key"] == "after")
        assert after["value"] is None and after["label"] == "рано судить"


def test_long_step_names_wrap_and_the_chart_keeps_room_on_the_left():
    d = prepare(small_frame(), SPEC)
    spec = change_charts.before_after_chart(around_change(d, date(2025, 2, 1))).to_dict()
    assert spec["padding"]["left"] >= 10
    y = next(la for la in _layers(spec) if la["mark"]["type"] == "point")["encoding"]["y"]
    assert "' →'" in y["axis"]["labelExpr"]
    trend = trend_charts.cohort_trend_chart(cohort_trends(d, "month")).to_dict()
    assert "' →'" in trend["facet"]["header"]["labelExpr"]


@pytest.mark.parametrize(
    ("period", "start", "words", "label"),
    [
        ("month", "2026-03-01", {"months_short": "янв|фев|мар|апр|май|июн|июл|авг|сен|окт|ноя|дек"},
         "мар 2026"),
        ("quarter", "2026-01-01", {"quarter_fmt": "{roman} кв. {year}"}, "I кв. 2026"),
        ("week", "2026-03-02", {"week_fmt": "нед. {day}"}, "нед. 02.03"),
    ],
)  # fmt: skip
def test_cohorts_have_one_readable_wording(period, start, words, label):
    assert trend_charts.tick_label(start, period, words) == label


def test_volume_bars_use_the_readable_wording_in_time_order():
    trends = cohort_trends(prepare(small_frame(), SPEC), "week")
    chart = trend_charts.volume_chart(trends, text={"week_fmt": "нед. {day}"})
    rows = _data(chart)
    assert all(r["tick"].startswith("нед. ") and "/" not in r["tick"] for r in rows)
    x = chart.to_dict()["encoding"]["x"]
    assert x["field"] == "tick" and x["sort"]["field"] == "start"


@pytest.mark.parametrize("period", ["week", "month", "quarter"])
def test_time_axis_is_worded_per_period(period):
    trends = cohort_trends(prepare(small_frame(), SPEC), period)
    spec = trend_charts.cohort_trend_chart(trends).to_dict()
    point = next(la for la in _layers(spec) if la["mark"]["type"] == "point")
    axis = point["encoding"]["x"]["axis"]
    if period == "quarter":
        assert (
            axis["tickCount"] == {"interval": "month", "step": 3}
            and "quarter(" in axis["labelExpr"]
        )
    elif period == "week":
        assert "%y" in axis["labelExpr"]  # the year is there
    else:
        assert "'Mar'" in axis["labelExpr"] and "year(" in axis["labelExpr"]


def test_lines_break_over_hidden_cohorts():
    frame = pd.DataFrame(
        {
            "segment": ["x"] * 4 + ["y"] * 2,
            "step": [0] * 6,
            "start": ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"] * 1
            + ["2025-01-01", "2025-04-01"],
            "value": [0.5, 0.4, 0.3, 0.2, 0.5, 0.5],
            "trials": [10, 2, 10, 10, 10, 10],
            "trials_decided": [10, 2, 10, 10, 10, 10],
        }
    )
    out = trend_charts.hide_small(frame, "decided", 5)
    assert np.isnan(out.loc[1, "value"])
    runs = out["run"].tolist()
    assert runs[0] != runs[2] and runs[2] == runs[3]  # broken at the hidden February
    assert runs[4] != runs[5]  # y has no February or March: no line across the gap
    trends = cohort_trends(prepare(small_frame(), SPEC), "month", "channel")
    seg = trend_charts.segment_trend_chart(trends, 0, segments=["x"], min_trials=1).to_dict()
    lines = [la for la in _layers(seg) if la["mark"]["type"] == "line"]
    assert all(la["encoding"]["detail"]["field"] == "run" for la in lines)


def test_main_chart_hides_small_cohorts_and_levels_are_in_the_legend_up_to_mature(trends):
    shift = Shift(
        segment="all", step=0, from_stage="A", to_stage="B", first_after="2025-02",
        start=pd.Timestamp("2025-02-01"), before_passed=3, before_trials=4, after_passed=1,
        after_trials=4, p_value=0.01, p_adjusted=0.02, significant=True,
    )  # fmt: skip
    chart = trend_charts.cohort_trend_chart(trends, shifts=[shift], text={"level": "Уровень"})
    rows = _data(chart)
    points = [r for r in rows if r["kind"] == "point"]
    assert all(r["value"] is None for r in points)  # 4 attempts a cohort: under 5, hidden
    loose = _data(trend_charts.cohort_trend_chart(trends, min_trials=1))
    assert any(r["value"] is not None for r in loose if r["kind"] == "point")
    levels = [r for r in rows if r["kind"] == "level"]
    mature = max(r["start"] for r in points if r["step"] == 0 and not r["immature"])
    assert levels[-1]["end"] == mature  # not across the immature cohorts
    level = next(la for la in _layers(chart.to_dict()) if la["mark"]["type"] == "rule")
    color = level["encoding"]["color"]
    assert color["scale"]["domain"] == ["Уровень"]
    assert color["scale"]["range"] == [trend_charts.LEVEL_COLOR] != [trend_charts.OPEN_COLOR]
    assert trend_charts.small_point_share(trends) == 1.0
