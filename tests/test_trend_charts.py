"""Trend and before/after charts checked through chart.to_dict(): the rows drawn, immature
cohorts dashed and faded, words from the caller."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from funnel import change_charts, trend_charts
from funnel.changes import around_change
from funnel.cohorts import Shift, cohort_trends
from funnel.prepare import prepare
from tests.test_changes import _slow_wins_then_a_change
from tests.test_cohorts import SPEC, small_frame


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
    d = prepare(_slow_wins_then_a_change(), SPEC)
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
