"""The funnel's Vega-Lite dict written directly (what the Funnel page draws) is the chart Altair
builds: equal to ``funnel_chart(...).to_dict()``, valid against Vega-Lite's schema, the same once
localised and once stamped for a download."""

from __future__ import annotations

import json
import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from funnel.charts import funnel as funnel_charts
from funnel.metrics import FunnelCounts, funnel
from funnel.prepare import prepare
from funnel.spec import Spec, Stage
from tests.e2e_support import LOST, STAGES, WON, small_deals

RU_WORDS = {
    "won": "Успешно",
    "stage": "Этап",
    "reached": "Дошли",
    "pct_prev": "% от предыдущего",
    "pct_top": "% от первого",
    "lost_prev": "Проиграны на пред. этапе",
    "open_prev": "В работе на пред. этапе",
}


def ru_number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0")


def ru_money(value: float) -> str:
    return f"{value / 1e6:.1f}".replace(".", ",") + "\u00a0млн\u00a0₽"


def ru_pct(value: float) -> str:
    return "—" if math.isnan(value) else f"{value * 100:.0f}\u00a0%"


def _deals(keep: set[str] | None = None):
    """The small deal list over three stages (two groups) with won, lost and open deals, or
    only those whose stage is in ``keep``."""
    frame = small_deals(60)
    if keep is not None:
        frame = frame[frame["Этап сделки"].isin(keep)].reset_index(drop=True)
    spec = Spec(
        columns={"stage": "Этап сделки", "amount": "Бюджет", "channel": "Источник"},
        stages=tuple(Stage(name=s, group="A" if i < 2 else "B") for i, s in enumerate(STAGES)),
        won=(WON,),
        lost=(LOST,),
    )
    return prepare(frame, spec)


def _counts(case: str) -> FunnelCounts:
    if case == "no_lost":
        return funnel(_deals({*STAGES, WON}))
    if case == "no_open":
        return funnel(_deals({WON, LOST}))
    counts = funnel(_deals())
    return counts.grouped() if case == "grouped" else counts


CASES = {
    "deals": ("all", {}),
    "money": ("all", {"measure": "money", "fmt_value": ru_money}),
    "grouped": ("grouped", {}),
    "russian": ("all", {"text": RU_WORDS, "fmt_value": ru_number, "fmt_pct": ru_pct}),
    "no lost deals": ("no_lost", {"text": RU_WORDS}),
    "no open deals": ("no_open", {"measure": "money"}),
    "titled and narrow": ("all", {"title": "Воронка", "width": 520}),
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request: pytest.FixtureRequest) -> tuple[FunnelCounts, dict]:
    name, kwargs = CASES[request.param]
    return _counts(name), kwargs


def test_the_written_dict_is_the_chart_altair_builds(case):
    counts, kwargs = case
    assert funnel_charts.funnel_spec(counts, **kwargs) == funnel_charts.funnel_chart(
        counts, **kwargs
    ).to_dict(validate=False)


def test_the_written_dict_is_valid_vega_lite(case):
    counts, kwargs = case
    spec = funnel_charts.funnel_spec(counts, **kwargs)
    alt.LayerChart.validate(spec)  # raises on anything Vega-Lite's schema refuses
    json.dumps(spec, allow_nan=False)  # no NaN, which JSON (and the browser) cannot read


def test_the_cases_hold_what_they_are_named_for():
    """The funnels compared above differ where the chart does: lost and open bands, money."""
    assert _counts("no_lost").lost_at.sum() == 0 and _counts("no_lost").open_at.sum() > 0
    assert _counts("no_open").open_at.sum() == 0 and _counts("no_open").lost_at.sum() > 0
    everything = _counts("all")
    assert everything.lost_at.sum() > 0 and everything.open_at.sum() > 0
    assert _counts("grouped").stages == ("A", "B")


def test_the_records_of_a_funnel_counted_by_hand():
    """Ten deals: five lost at a, two lost at b (stage unknown), three won."""
    at = np.zeros((1, 2, 4), dtype=np.int64)
    at[0, 0, 2], at[0, 1, 1], at[0, 1, 3] = 5, 3, 2
    counts = FunnelCounts(("a", "b"), ("a", "b"), (), ((),), at, np.zeros((1, 1, 2, 4)), ("",))
    spec = funnel_charts.funnel_spec(counts)
    ((name, records),) = spec["datasets"].items()
    assert spec["data"] == {"name": name}
    assert [r["stage"] for r in records] == ["a", "b", "Won"]
    assert [r["value"] for r in records] == [10.0, 5.0, 3.0]
    assert [r["prev_half"] for r in records] == [None, 5.0, 2.5]
    assert [r["pct_prev"] for r in records] == [None, 0.5, 0.6]
    assert [r["pct_top"] for r in records] == [1.0, 0.5, 0.3]
    assert [r["drop_off"] for r in records] == [5.0, 2.0, None]
    assert [r["lost_prev"] for r in records] == [None, 5.0, 2.0]
    assert [r["open_prev"] for r in records] == [None, 0.0, 0.0]
    assert [r["label"] for r in records] == ["10", "5 · 50% · 50%", "3 · 60% · 30%"]
    assert [r["drop_label"] for r in records] == ["", "−5", "−2"]
    assert [r["is_won"] for r in records] == [False, False, True]
    assert [r["order"] for r in records] == [0, 1, 2]


def test_the_frame_holds_what_the_records_hold():
    counts = _counts("all")
    frame = funnel_charts.funnel_frame(counts, measure="money", fmt_value=ru_money)
    spec = funnel_charts.funnel_spec(counts, measure="money", fmt_value=ru_money)
    records = next(iter(spec["datasets"].values()))
    pd.testing.assert_frame_equal(frame, pd.DataFrame(records), check_dtype=False)


# ---- what the page does with the dict: the UI's number locale, the download's title ------


@pytest.fixture
def russian(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.charts as charts

    monkeypatch.setattr(charts, "lang", lambda: "ru")
    monkeypatch.setattr("ui.i18n.lang", lambda: "ru")


@pytest.mark.usefixtures("russian")
def test_localised_dict_is_the_localised_chart(case):
    import ui.charts as charts

    counts, kwargs = case
    spec = funnel_charts.funnel_spec(counts, **kwargs)
    localised = charts.localised(spec)
    assert localised == charts.localised(funnel_charts.funnel_chart(counts, **kwargs)).to_dict()
    assert localised["config"]["locale"]["number"]["decimal"] == ","
    assert "locale" not in spec["config"]  # the remembered dict itself untouched
    alt.LayerChart.validate(localised)


@pytest.mark.usefixtures("russian")
def test_a_downloaded_dict_carries_the_same_title_as_the_chart():
    import ui.charts as charts

    counts = _counts("all")
    lines = ["Источник: образец", "Фильтры: нет"]
    from_dict = charts._stamped_json(funnel_charts.funnel_spec(counts), "Воронка", lines)
    from_chart = charts._stamped_json(funnel_charts.funnel_chart(counts), "Воронка", lines)
    assert json.loads(from_dict) == json.loads(from_chart)
    assert json.loads(from_dict)["title"]["subtitle"] == lines


def test_the_rows_sent_to_the_browser_are_the_records(case):
    """show_chart hands Streamlit the dict's datasets as Arrow tables: the browser gets the
    same rows, columns and types (text, whole numbers, fractions, yes/no) as from records."""
    import pyarrow as pa
    from streamlit import dataframe_util

    import ui.charts as charts

    counts, kwargs = case
    spec = funnel_charts.funnel_spec(counts, **kwargs)
    sent = charts._arrow_datasets(spec)
    assert sent["datasets"].keys() == spec["datasets"].keys()
    for name, records in spec["datasets"].items():
        ours = pa.ipc.open_stream(
            dataframe_util.convert_anything_to_arrow_bytes(sent["datasets"][name])
        )
        theirs = pa.ipc.open_stream(dataframe_util.convert_anything_to_arrow_bytes(records))
        ours_table, theirs_table = ours.read_all(), theirs.read_all()
        assert ours_table.to_pylist() == theirs_table.to_pylist() == records
        assert [str(t).replace("large_", "") for t in ours_table.schema.types] == [
            str(t).replace("large_", "") for t in theirs_table.schema.types
        ]
    assert isinstance(spec["datasets"][next(iter(spec["datasets"]))], list)  # left as it was


@pytest.mark.usefixtures("russian")
def test_a_downloaded_dict_renders_offline_with_its_title():
    import vl_convert as vlc

    import ui.charts as charts

    spec = funnel_charts.funnel_spec(_counts("all"), text=RU_WORDS)
    svg = vlc.vegalite_to_svg(charts._stamped_json(spec, "Воронка продаж", ["Фильтры: нет"]))
    assert svg.startswith("<svg") and "Воронка продаж" in svg and "Переговоры" in svg
