"""AppTest for the Trends and Before/after pages on the sample: charts drawn, engine numbers in
the words, a change added on the page kept in the spec, both languages."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from funnel.changes import around_change
from funnel.cohorts import cohort_trends, find_shifts
from ui.i18n import fmt_pct

TRENDS, CHANGES = "app_pages/trends.py", "app_pages/changes.py"


def _doors(at: AppTest) -> AppTest:
    version = at.session_state["dataset_version"]
    at.selectbox(key=f"pipeline_switch_{version}").set_value("Двери").run()
    assert at.session_state["dataset"].spec.filter["pipeline"] == ("Двери",)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_trends_page_draws_and_names_the_shift(at, language):
    _doors(at)
    at.switch_page(TRENDS).run()
    at.session_state["lang"] = language
    at.run()
    _ok(at)
    assert len(at.get("vega_lite_chart")) >= 2  # the steps and the volume
    deals = at.session_state["dataset"].deals
    shifts = [s for s in find_shifts(cohort_trends(deals, "month")) if s.significant]
    assert shifts, "the sample's doors pipeline has a shift"
    text = " ".join(m.value for m in at.markdown)
    first = shifts[0]
    assert fmt_pct(first.before_rate, 0, language) in text
    assert fmt_pct(first.after_rate, 0, language) in text
    assert ("янв" in text or "январ" in text) if language == "ru" else "January" in text


def test_trends_by_channel_adds_a_segment_chart(at):
    at.switch_page(TRENDS).run()
    charts_before = len(at.get("vega_lite_chart"))
    at.selectbox(key="tr_by_ru").set_value("channel").run()
    _ok(at)
    assert len(at.get("vega_lite_chart")) == charts_before + 1


def test_adding_a_change_keeps_it_in_the_spec_and_shows_before_after(at):
    _doors(at)
    at.switch_page(CHANGES).run()
    _ok(at)
    assert not at.session_state["dataset"].spec.changes
    at.date_input(key="ba_new_date").set_value(date(2026, 3, 1))
    at.text_input(key="ba_new_label").input("Новый скрипт")
    at.button[[b.label for b in at.button].index("Добавить изменение")].click().run()
    _ok(at)
    ds = at.session_state["dataset"]
    assert [(c.date, c.label) for c in ds.spec.changes] == [(date(2026, 3, 1), "Новый скрипт")]
    assert "changes:" in ds.spec.to_yaml()
    expected = around_change(ds.deals, date(2026, 3, 1)).table
    moved = expected[expected["significant"]]
    assert len(moved) >= 1
    text = " ".join(m.value for m in at.markdown)
    for _, row in moved.iterrows():
        assert fmt_pct(row["after_rate"], 0, "ru") in text
    assert "значимый рост" in text
    assert len(at.get("vega_lite_chart")) >= 2  # overall and by channel

    at.button[[b.label for b in at.button].index("Удалить")].click().run()
    _ok(at)
    assert not at.session_state["dataset"].spec.changes


def test_before_after_in_english(at):
    _doors(at)
    at.switch_page(CHANGES).run()
    # AppTest words selectbox values in the test's language, so English gets one run only.
    at.date_input(key="ba_new_date").set_value(date(2026, 3, 1))
    at.text_input(key="ba_new_label").input("New script")
    at.button[[b.label for b in at.button].index("Добавить изменение")].click().run()
    at.session_state["lang"] = "en"
    at.run()
    _ok(at)
    assert at.session_state["dataset"].spec.changes[0].label == "New script"
    text = " ".join(m.value for m in at.markdown)
    assert "a significant rise" in text and "Obstacles" not in text  # stage names stay as named


@pytest.mark.parametrize("mode", ["previous", "last_year"])
def test_period_comparisons_in_one_click(at, mode):
    at.switch_page(CHANGES).run()
    buttons = at.get("button_group")
    assert any(b.key == "ba_mode_ru" for b in buttons), "the mode control is drawn"
    at.session_state["ba_mode_chosen"] = mode
    at.session_state["lang"] = "en"
    at.run()
    _ok(at)
    ds = at.session_state["dataset"]
    windows = [c.value for c in at.caption if c.value.startswith("Before:")]
    assert len(windows) == 1
    before, after = windows[0].split(" · ")
    if mode == "last_year":
        # the same months a year apart
        assert before.split()[1][:4] == str(int(after.split()[1][:4]) - 1)
        assert before.split()[1][4:] == after.split()[1][4:]
    assert at.get("vega_lite_chart")
    assert not ds.spec.changes
