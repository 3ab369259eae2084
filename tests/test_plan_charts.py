"""Velocity and planner charts checked through chart.to_dict(): rows, numbers and words."""

from __future__ import annotations

import pandas as pd
import pytest

from funnel.charts import plan as plan_charts
from funnel.overtime.planner import history, plan
from funnel.overtime.velocity import velocity
from funnel.overtime.whatif import StepChange, what_if
from funnel.prepare import prepare
from tests.strategies import REGISTER, REGISTER_SPEC, dated_deals


def _rows(chart) -> list[dict]:
    datasets = chart.to_dict()["datasets"]
    return [row for rows in datasets.values() for row in rows]


@pytest.fixture(scope="module")
def register_velocity():
    return velocity(prepare(REGISTER, REGISTER_SPEC), "channel")


def test_spread_chart_has_a_row_per_stage_and_the_win_row(register_velocity):
    chart = plan_charts.spread_chart(register_velocity, text={"to_win": "До успеха", "all": "Все"})
    rows = _rows(chart)
    assert [r["stage"] for r in rows] == ["A", "B", "C", "До успеха"]
    assert {r["segment"] for r in rows} == {"Все"}
    assert [r["median"] for r in rows] == [5.0, 1.0, 3.0, 10.0]
    assert [r["label"] for r in rows] == ["5", "1", "3", "10"]
    spec = chart.to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "point", "text"]


def test_segment_heatmap_has_a_cell_per_segment_and_stage(register_velocity):
    chart = plan_charts.segment_heatmap(
        register_velocity, ["Email", "Звонки"], fmt_days=lambda v: f"{v:.1f} дн."
    )
    rows = _rows(chart)
    cells = {(r["segment"], r["stage"]): r for r in rows}
    # Email's creation to win: 6, 8, 10 -> median 8 against all deals' 10
    email_win = cells[("Email", "Creation to win")]
    assert email_win["label"] == "8.0 дн."
    assert email_win["vs_all"] == pytest.approx(0.8)
    # Звонки at A: 1, 2, 8, 10, 20 -> median 8 against all deals' 5
    assert cells[("Звонки", "A")]["vs_all"] == pytest.approx(8 / 5)
    assert {r["segment"] for r in rows} == {"All", "Email", "Звонки"}
    assert [layer["mark"]["type"] for layer in chart.to_dict()["layer"]] == [
        "rect",
        "text",
        "text",
    ]


def test_heatmap_greys_out_cells_from_too_few_deals_and_prints_n(register_velocity):
    chart = plan_charts.segment_heatmap(register_velocity, ["Email", "Звонки"], min_n=5)
    cells = {(r["segment"], r["stage"]): r for r in _rows(chart)}
    # Email's creation to win stands on 3 deals (d1..d3): grey; Звонки at A on 5: coloured.
    assert cells[("Email", "Creation to win")]["thin"] is True
    assert cells[("Email", "Creation to win")]["n_label"] == "n=3"
    assert cells[("Звонки", "A")]["thin"] is False
    spec = chart.to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["condition"]["test"] == "datum.thin"
    assert colour["condition"]["value"] == plan_charts.THIN
    assert spec["layer"][2]["encoding"]["text"]["field"] == "n_label"


@pytest.fixture(scope="module")
def base_plan():
    deals = dated_deals()
    hist = history(deals)
    return deals, plan(deals, hist, 10_000)


def test_leads_chart_rows_are_the_plan(base_plan):
    _, p = base_plan
    chart = plan_charts.leads_chart(p, fmt_number=lambda v: f"{v:.0f} шт.")
    rows = _rows(chart)
    assert [r["segment"] for r in rows] == ["A", "B"]
    assert [r["leads"] for r in rows] == [25, 25]
    assert [r["label"] for r in rows] == ["25 шт.", "25 шт."]
    assert all(r["leads_low"] <= r["leads"] <= r["leads_high"] for r in rows)


def test_leads_chart_shows_needed_and_already_both_with_a_legend():
    deals = dated_deals()
    hist = history(deals)
    # A period whose lead window holds the young open deals (created 28.05-01.06.2024).
    p = plan(deals, hist, 10_000, start=pd.Timestamp("2024-06-10"), end=pd.Timestamp("2024-06-30"))
    words = {"leads": "Нужно", "already": "Уже пришло", "already_short": "уже {n}"}
    chart = plan_charts.leads_chart(p, text=words, fmt_number=lambda v: f"{v:.0f}")
    rows = {r["segment"]: r for r in _rows(chart)}
    assert rows["A"]["already"] == 30 and rows["A"]["already_label"] == "уже 30"
    # 30 already against 25 needed: the green bar is the full 30, the label sits past both.
    assert rows["A"]["already_shown"] == 30 and rows["A"]["end"] == 30
    spec = chart.to_dict()
    done, needed = spec["layer"][0], spec["layer"][1]
    assert done["encoding"]["color"]["scale"]["domain"] == ["Нужно", "Уже пришло"]
    assert done["encoding"]["color"]["legend"] is not None
    assert needed["mark"]["fillOpacity"] < 0.5 and "stroke" in needed["encoding"]
    assert [layer["encoding"]["text"]["field"] for layer in spec["layer"][3:]] == [
        "label",
        "already_label",
    ]


def test_windows_chart_puts_each_window_cycle_days_before_the_period(base_plan):
    _, p = base_plan
    chart = plan_charts.windows_chart(p, text={"target_period": "Период", "now": "Конец данных"})
    rows = _rows(chart)
    windows = [r for r in rows if r.get("kind") == "window"]
    target = next(r for r in rows if r.get("kind") == "target")
    assert target["row"] == "Период"
    assert (target["start"], target["end"]) == ("2024-07-01", "2024-09-30")
    assert [(r["row"], r["start"]) for r in windows] == [("A", "2024-06-16"), ("B", "2024-06-15")]
    assert any(r.get("label") == "Конец данных" for r in rows)


def test_windows_chart_pads_the_time_axis_and_prints_the_dates(base_plan):
    _, p = base_plan
    chart = plan_charts.windows_chart(p)
    spec = chart.to_dict()
    domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    # Data from 01.06.2024 (now) to 30.09.2024 (121 days): padded by 14 % = 16.9 days a side.
    assert domain == ["2024-05-15", "2024-10-16"]
    rows = [r for r in _rows(chart) if r.get("kind") == "target"]
    assert (rows[0]["start_label"], rows[0]["end_label"]) == ("01.07", "30.09")
    assert [layer["mark"]["type"] for layer in spec["layer"]][:3] == ["bar", "text", "text"]
    assert spec["padding"]["top"] >= 16  # room for the "now" label above the plot


def test_whatif_chart_shows_before_and_after(base_plan):
    deals, p = base_plan
    result = what_if(deals, p, StepChange(step=0, points=0.1))
    chart = plan_charts.whatif_chart(result, text={"before": "Сейчас", "after": "После"})
    rows = _rows(chart)
    assert [(r["segment"], r["when"]) for r in rows] == [
        ("A", "Сейчас"),
        ("A", "После"),
        ("B", "Сейчас"),
        ("B", "После"),
    ]
    before = [r["leads"] for r in rows if r["when"] == "Сейчас"]
    after = [r["leads"] for r in rows if r["when"] == "После"]
    assert before == [25, 25]
    assert all(a < b for a, b in zip(after, before, strict=True))


def test_whatif_chart_has_room_and_whole_number_ticks_with_two_channels(base_plan):
    deals, p = base_plan
    result = what_if(deals, p, StepChange(step=0, points=0.1))
    spec = plan_charts.whatif_chart(result).to_dict()
    # 40 px per channel (80 px for the whole chart, legend and axis included, with two)
    # collapsed in the browser: a step of 26 px per bar sizes the plot alone.
    assert spec["height"] == {"step": plan_charts.WHATIF_BAR}
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["tickMinStep"] == 1 and axis["format"] == ",d"
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"][1] > 25  # room for labels
