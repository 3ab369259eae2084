"""AppTest: what a page remembers between reruns is never stale. For every widget that shapes a
remembered chart, table or number, changing it changes what the page draws, and the page then
draws exactly what a session that remembers nothing draws for the same choices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

FUNNEL = "app_pages/funnel.py"
COMPARE = "app_pages/compare.py"
TRENDS = "app_pages/trends.py"
CHANGES = "app_pages/changes.py"
VELOCITY = "app_pages/velocity.py"
PLANNER = "app_pages/planner.py"


def _drawn(at: AppTest) -> tuple:
    """Everything the page shows: chart specs and their data, tables (values and the words
    shown for them), tiles, lines of text."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    charts = [
        (c.proto.spec, tuple(d.data.data for d in c.proto.datasets))
        for c in at.get("vega_lite_chart")
    ]
    tables = [
        (d.proto.arrow_data.data, d.proto.arrow_data.styler.display_values) for d in at.dataframe
    ]
    tiles = [(m.label, m.value, m.proto.body) for m in at.metric]
    words = [
        str(getattr(e, "value", ""))
        for kind in ("markdown", "caption", "info", "warning")
        for e in at.get(kind)
    ]
    return charts, tables, tiles, words


def _forgetting(at: AppTest) -> tuple:
    """What the page draws for the same choices with nothing remembered."""
    at.session_state["page_memo"] = {}
    at.session_state["chart_specs"] = {}
    at.run()
    return _drawn(at)


def _changes_and_is_fresh(at: AppTest, change: Callable[[AppTest], object]) -> None:
    at.run()  # a rerun with nothing changed first: what is remembered is what is drawn
    before = _drawn(at)
    change(at)
    at.run()
    after = _drawn(at)
    assert after != before, "the change did not reach the page"
    assert _forgetting(at) == after, "a remembered value outlived the choice that made it"


def _next_option(key: str) -> Callable[[AppTest], object]:
    def change(at: AppTest) -> object:
        box = at.selectbox(key=key)
        shown = 0 if box.index is None else box.index  # None: the first option, «—»
        return box.select_index((shown + 1) % len(box.options))

    return change


def _segmented(key: str, value: object) -> Callable[[AppTest], object]:
    return lambda at: at.segmented_control(key=key).set_value(value)


def _number(key: str, value: float) -> Callable[[AppTest], object]:
    return lambda at: at.number_input(key=key).set_value(value)


@pytest.fixture
def page(at: AppTest, request: pytest.FixtureRequest) -> AppTest:
    at.switch_page(request.param).run()
    assert not at.exception, at.exception
    return at


def _first_channel_only(at: AppTest) -> object:
    box = at.multiselect(key=f"flt_channel_{_version(at)}")
    return box.set_value([box.options[0]])


def _no_channel_filter(at: AppTest) -> object:
    return at.multiselect(key=f"flt_channel_{_version(at)}").set_value([])


@pytest.mark.parametrize("page", [FUNNEL], indirect=True)
def test_the_funnel_follows_its_widgets_and_the_filters(page):
    _changes_and_is_fresh(page, _segmented("funnel_measure_ru", "money"))
    _changes_and_is_fresh(page, _first_channel_only)
    _changes_and_is_fresh(page, _segmented("funnel_detail_ru", "groups"))
    _changes_and_is_fresh(page, _segmented("funnel_measure_ru", "deals"))
    _changes_and_is_fresh(page, _no_channel_filter)
    _changes_and_is_fresh(page, _next_option("weak_by_ru"))


@pytest.mark.parametrize("page", [COMPARE], indirect=True)
@pytest.mark.parametrize(
    "change",
    [
        _next_option("compare_by_ru"),
        _next_option("compare_by2_ru"),
        _number("min_deals", 60),
        _number("max_segments", 2),
    ],
    ids=["by", "by2", "min_deals", "max_segments"],
)
def test_compare_follows_its_widgets(page, change):
    _changes_and_is_fresh(page, change)


@pytest.mark.parametrize("page", [COMPARE], indirect=True)
def test_compare_follows_the_baseline(page):
    by = page.selectbox(key="compare_by_ru").value
    _changes_and_is_fresh(page, _next_option(f"baseline_{by}_ru"))
    _changes_and_is_fresh(page, _next_option(f"baseline_{by}_ru"))


@pytest.mark.parametrize("page", [TRENDS], indirect=True)
@pytest.mark.parametrize(
    "change",
    [
        _segmented("tr_period_ru", "quarter"),
        _segmented("tr_basis_ru", "reached"),
        _next_option("tr_by_ru"),
    ],
    ids=["period", "basis", "by"],
)
def test_trends_follow_their_widgets(page, change):
    _changes_and_is_fresh(page, change)


@pytest.mark.parametrize("page", [TRENDS], indirect=True)
def test_trends_by_segment_follow_the_step_and_the_period(page):
    _changes_and_is_fresh(page, _next_option("tr_by_ru"))
    _changes_and_is_fresh(page, _next_option("tr_seg_step_ru"))
    _changes_and_is_fresh(page, _segmented("tr_period_ru", "quarter"))
    _changes_and_is_fresh(page, _segmented("tr_basis_ru", "reached"))


@pytest.mark.parametrize("page", [CHANGES], indirect=True)
def test_before_after_follows_the_period_widgets(page):
    _changes_and_is_fresh(page, _segmented("ba_mode_ru", "previous"))
    _changes_and_is_fresh(page, _next_option("ba_by_ru"))
    _changes_and_is_fresh(page, _segmented("ba_period_ru", "quarter"))
    _changes_and_is_fresh(page, _next_option("ba_label_quarter_previous_ru"))
    _changes_and_is_fresh(page, _segmented("ba_mode_ru", "last_year"))


def _add_change(at: AppTest, when: date, label: str) -> None:
    at.date_input(key="ba_new_date").set_value(when)
    at.text_input(key="ba_new_label").set_value(label)
    at.button(key="ba_add").click().run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", [CHANGES], indirect=True)
def test_before_after_follows_the_change_widgets(page):
    _add_change(page, date(2025, 11, 3), "Новый скрипт")
    _add_change(page, date(2026, 5, 4), "Новая цена")
    assert len(page.selectbox(key="ba_change_ru").options) == 3  # the sample's and these two
    _changes_and_is_fresh(page, _next_option("ba_change_ru"))
    _changes_and_is_fresh(page, lambda at: at.checkbox(key="ba_equal").check())
    _changes_and_is_fresh(page, lambda at: at.checkbox(key="ba_no_trim").check())
    _changes_and_is_fresh(page, _next_option("ba_by_ru"))


@pytest.mark.parametrize("page", [VELOCITY], indirect=True)
def test_velocity_follows_its_breakdown_and_its_open_table(page):
    _changes_and_is_fresh(page, lambda at: at.session_state.__setitem__("vel_table_open", True))
    _changes_and_is_fresh(page, _next_option("vel_by_ru"))
    _changes_and_is_fresh(page, _next_option("vel_by_ru"))


def _version(at: AppTest) -> int:
    return int(at.session_state["dataset_version"])


def _mix_input(at: AppTest):
    return next(
        n for n in at.number_input if (n.key or "").startswith("plan_mix_") and not n.proto.disabled
    )


@pytest.mark.parametrize("page", [PLANNER], indirect=True)
def test_the_planner_follows_its_widgets(page):
    v = _version(page)
    _changes_and_is_fresh(page, _number(f"plan_target_revenue_{v}", 2_500_000))
    _changes_and_is_fresh(
        page,
        lambda at: at.date_input(key=f"plan_period_{v}").set_value(
            (date(2026, 1, 1), date(2026, 6, 30))
        ),
    )
    _changes_and_is_fresh(page, lambda at: _mix_input(at).set_value(70.0))
    _changes_and_is_fresh(page, _segmented("plan_mix_basis_ru", "revenue"))
    _changes_and_is_fresh(page, _segmented("plan_kind_ru", "won"))
    _changes_and_is_fresh(page, _next_option("plan_by_ru"))


@pytest.mark.parametrize("page", [PLANNER], indirect=True)
def test_the_what_if_follows_its_widgets(page):
    by = page.selectbox(key="plan_by_ru").value
    _changes_and_is_fresh(page, _next_option("whatif_step_ru"))
    _changes_and_is_fresh(page, _number("whatif_points", 15))
    _changes_and_is_fresh(page, _next_option(f"whatif_only_{by}_ru"))
    _changes_and_is_fresh(page, _segmented("whatif_mode_ru", "best"))


# ---- tables: translated once; a large one formatted by the grid --------------------------


def _in_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.tables as tables

    monkeypatch.setattr(tables, "lang", lambda: "ru")
    monkeypatch.setattr("ui.i18n.lang", lambda: "ru")


def test_a_small_table_is_translated_once_and_stays_in_the_language(monkeypatch):
    import pandas as pd

    import ui.tables as tables

    _in_russian(monkeypatch)
    shown = tables.table(pd.DataFrame({"p": [0.1068, 0.5], "n": [1249, 3]}), percent=["p"])
    first = shown.view._translate(False, False)
    assert shown.view._translate(False, False) is first  # a rerun reuses the cells
    cells = {c["display_value"] for row in first["body"] for c in row if "display_value" in c}
    assert {"10,7\u00a0%", "1\u00a0249"} <= cells
    assert shown.view.data["n"].tolist() == [1249, 3]  # numbers: they sort as numbers


def test_a_large_table_stays_numeric_and_the_grid_formats_it(monkeypatch):
    import pandas as pd

    import ui.tables as tables

    _in_russian(monkeypatch)
    rows = tables.STYLED_CELLS // 3 + 1
    frame = pd.DataFrame(
        {
            "p": [0.25] * rows,
            "n": range(rows),
            "day": pd.date_range("2026-01-01", periods=rows, freq="h"),
        }
    )
    shown = tables.table(frame, percent=["p"], decimals={"n": 1})
    assert isinstance(shown.view, pd.DataFrame)  # no Styler
    assert shown.view["p"].tolist()[0] == 25.0 and shown.frame["p"].tolist()[0] == 0.25
    assert shown.config["p"]["type_config"]["format"] == "%.1f%%"
    assert shown.config["n"]["type_config"]["format"] == "%.1f"
    assert shown.config["day"]["type_config"]["format"] == "DD.MM.YYYY"
