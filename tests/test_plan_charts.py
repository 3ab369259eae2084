"""Velocity and planner charts checked through chart.to_dict(): rows, numbers and words."""

from __future__ import annotations

import pytest

from funnel import plan_charts
from funnel.plan_whatif import StepChange, what_if
from funnel.planner import history, plan
from funnel.prepare import prepare
from funnel.velocity import velocity
from tests.test_planner import dated_deals
from tests.test_velocity import REGISTER, REGISTER_SPEC


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
    assert [layer["mark"]["type"] for layer in chart.to_dict()["layer"]] == ["rect", "text"]


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
