"""AppTest for the Trends and Before/after pages on the sample: charts drawn, engine numbers in
the words, a change added on the page kept in the spec, both languages."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from funnel.overtime.changes import around_change
from funnel.overtime.cohorts import cohort_trends, find_shifts
from ui.i18n import fmt_pct

TRENDS, CHANGES = "app_pages/trends.py", "app_pages/changes.py"
SCRIPT = date(2026, 3, 1)  # the doors sample's marked script change
MONTHS = "January February March April May June July August September October November December"
MONTHS = MONTHS.split()  # type: ignore[assignment]


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


def test_the_marked_script_change_shows_its_rise(at):
    _doors(at)
    at.switch_page(CHANGES).run()
    _ok(at)
    ds = at.session_state["dataset"]
    # the sample's doors mapping keeps the consultant's dated change
    assert [c.date for c in ds.spec.changes] == [SCRIPT]
    expected = around_change(ds.deals, SCRIPT).table
    moved = expected[expected["significant"]]
    assert len(moved) >= 1
    text = " ".join(m.value for m in at.markdown)
    for _, row in moved.iterrows():
        assert fmt_pct(row["after_rate"], 0, "ru") in text
    assert "значимый рост" in text
    assert not [w for w in at.warning if "Рано судить" in w.value]
    assert len(at.get("vega_lite_chart")) >= 2  # overall and by channel


def test_adding_a_recent_change_says_too_early_not_a_drop(at):
    _doors(at)
    at.switch_page(CHANGES).run()
    at.date_input(key="ba_new_date").set_value(date(2026, 10, 1))
    at.text_input(key="ba_new_label").input("Новый прайс")
    at.button[[b.label for b in at.button].index("Добавить изменение")].click().run()
    _ok(at)
    ds = at.session_state["dataset"]
    assert (date(2026, 10, 1), "Новый прайс") in [(c.date, c.label) for c in ds.spec.changes]
    assert "changes:" in ds.spec.to_yaml()
    expected = around_change(ds.deals, date(2026, 10, 1), others=[SCRIPT]).table
    assert expected["too_early"].any() and not expected["significant"].any()
    warning = next(w.value for w in at.warning if "Рано судить" in w.value)
    assert "Создана → Успех" in warning and "не раньше" in warning
    text = " ".join(m.value for m in at.markdown)
    assert "значимое падение" not in text

    remove = [i for i, b in enumerate(at.button) if b.label == "Удалить"]
    at.button[remove[-1]].click().run()  # the newest change is listed last
    _ok(at)
    assert [c.date for c in at.session_state["dataset"].spec.changes] == [SCRIPT]


def test_before_after_in_english(at):
    _doors(at)
    at.switch_page(CHANGES).run()
    at.session_state["lang"] = "en"
    at.run()
    _ok(at)
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
    # the periods are named, not "Before / After" with raw dates
    windows = [c.value for c in at.caption if re.match(r"[A-Z][a-z]+ \d{4}: ", c.value)]
    assert len(windows) == 1, [c.value for c in at.caption]
    before, after = windows[0].split(" · ")
    b_month, b_year = before.split(":")[0].split()
    a_month, a_year = after.split(":")[0].split()
    assert b_month in MONTHS and a_month in MONTHS
    if mode == "last_year":
        # the same month a year apart
        assert (b_month, int(b_year)) == (a_month, int(a_year) - 1)
    else:
        assert MONTHS.index(b_month) == (MONTHS.index(a_month) - 1) % 12
    assert at.get("vega_lite_chart")
    early = [w.value for w in at.warning if "Too early" in w.value]
    if mode == "previous":
        # the first period offered is one every step can judge: no "too early" notice
        assert not early
    else:
        # the sample spans 16 months: a period with a year-old twin is too young for the
        # slow steps, and the page says so instead of showing a drop
        assert early and "Created → Won" in early[0]
    assert [c.date for c in ds.spec.changes] == [date(2026, 1, 12)]  # the security landing


# ---- the walkthrough's defects ----


def _add_change(at: AppTest, when: date, label: str) -> AppTest:
    at.date_input(key="ba_new_date").set_value(when)
    at.text_input(key="ba_new_label").input(label)
    at.button[[b.label for b in at.button].index("Добавить изменение")].click().run()
    _ok(at)
    return at


@pytest.mark.parametrize(
    ("when", "side"),
    [(date(2027, 1, 1), "после него нет сделок"), (date(2020, 1, 1), "до изменения нет сделок")],
)
def test_a_change_date_outside_the_data_is_refused_not_moved(at, when, side):
    _doors(at)
    at.switch_page(CHANGES).run()
    assert at.date_input(key="ba_new_date").value is None  # no default to the last data day
    _add_change(at, when, "Новый прайс")
    assert [c.date for c in at.session_state["dataset"].spec.changes] == [SCRIPT]
    warning = next(w.value for w in at.warning if "Дата вне данных" in w.value)
    assert "(01.08.2025–19.11.2026)" in warning and side in warning


def test_changes_say_where_they_are_kept_and_offer_the_yaml(at):
    _doors(at)
    at.switch_page(CHANGES).run()
    _ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "изменения сохраняются сразу; на демо-данных — пока открыта вкладка" in captions
    assert "сохраняются в спецификации" not in captions
    buttons = [b for b in at.get("download_button") if b.proto.label == "Скачать разметку (YAML)"]
    assert len(buttons) == 1


def test_a_later_change_cuts_the_after_window_and_says_so(at):
    _doors(at)
    at.switch_page(CHANGES).run()
    _add_change(at, date(2026, 5, 15), "Новый прайс")
    at.selectbox(key="ba_change_ru").set_value(
        next(c for c in at.session_state["dataset"].spec.changes if c.date == SCRIPT)
    ).run()
    _ok(at)
    cut = "Период «после» обрезан 14.05.2026 — там следующее изменение «Новый прайс»."
    assert cut in [c.value for c in at.caption]
    at.checkbox(key="ba_no_trim").check().run()
    _ok(at)
    assert cut not in [c.value for c in at.caption]
    window = next(c.value for c in at.caption if c.value.startswith("До: "))
    assert window.endswith("19.11.2026")  # the after side runs to the data's end again


def test_the_landing_verdict_leads_with_one_named_line(at):
    at.switch_page(CHANGES).run()
    _ok(at)
    lead = next(i.value for i in at.info if "заметного эффекта нет" in i.value)
    assert lead.startswith("**Новый лендинг (12.01.2026)**: заметного эффекта нет — ")
    assert ": 5" in lead  # "<step>: 53 % → 48 %"
    assert "в пределах шума" in lead
    ds = at.session_state["dataset"]
    table = around_change(ds.deals, date(2026, 1, 12)).table
    judged = table[~table["too_small"]]
    top = judged.loc[(judged["before_trials"] + judged["after_trials"]).idxmax()]
    assert f"{fmt_pct(top['before_rate'], 0, 'ru')} → {fmt_pct(top['after_rate'], 0, 'ru')}" in lead
    # the steps not judgeable yet are listed, the too small ones too
    listed = " ".join(w.value for w in at.warning)
    for _, r in table[table["too_small"]].iterrows():
        assert r["from_stage"] in listed or "Создана" in listed


def test_before_after_export_reads_as_the_page(at):
    at.switch_page(CHANGES).run()
    _ok(at)
    frame = at.dataframe[-1].value
    assert set(frame["Заметно"]) <= {"да", "нет"} and set(frame["Рано судить"]) <= {"да", "нет"}
    assert "Вся воронка" in set(frame["Сегмент"]) and "all" not in set(frame["Сегмент"])
    horizons = frame["Срок шага, дн."].dropna()
    assert (horizons == horizons.round()).all()
    # a date to wait for only where it is too early, never in the past; a dash, not "None",
    # where there is none, and the date written the Russian way
    early = frame["Рано судить"] == "да"
    judge = frame["Оценить не раньше"]
    assert (judge[~early] == "—").all()
    dates = pd.to_datetime(judge[early & (judge != "—")], format="%d.%m.%Y")
    assert (dates > pd.Timestamp("2026-11-19")).all()


def test_channel_changes_are_said_in_words(at):
    _doors(at)
    at.switch_page(CHANGES).run()
    _ok(at)
    ds = at.session_state["dataset"]
    by = around_change(ds.deals, SCRIPT, by="channel").table
    moved = by[by["significant"]]
    assert len(moved), "the doors script change moved a channel"
    text = " ".join(m.value for m in at.markdown)
    for seg in set(moved["segment"]):
        assert f"В канале «{seg}»: " in text
    assert "p = " not in text and "вероятность случайности" in text


def test_trends_speak_plainly(at):
    _doors(at)
    at.switch_page(TRENDS).run()
    _ok(at)
    assert at.title[0].value == "Как менялась конверсия: по месяцу создания сделки"
    text = " ".join(m.value for m in at.markdown)
    assert "у сделок, созданных с января 2026" in text
    assert "начиная с когорты" not in text and "p = " not in text
    assert "надёжно: вероятность случайности" in text
    # the noisy split names the marked change nearby and says how precise it is
    assert "отмечено изменение 01.03.2026 «Новый скрипт закрытия»" in text
    captions = [c.value for c in at.caption]
    assert "Месяц указан с точностью ±1–2 периода." in captions
    assert "Пунктир — когорты, которым ещё рано: их конверсия вырастет." in captions
    assert not any(": :" in c or "что дольше" in c or "от 50 до 50" in c for c in captions)
    assert "перестал их терять" in " ".join(captions)
    options = at.get("button_group")[1].proto.options
    assert [o.content for o in options] == ["Без открытых на этом шаге", "Все дошедшие до шага"]
    assert "Незрелая" not in set(at.dataframe[-1].value.columns)
    at.segmented_control(key="tr_period_ru").set_value("week").run()
    _ok(at)
    assert at.title[0].value == "Как менялась конверсия: по неделе создания сделки"
    assert any("Выберите «Месяц»" in i.value for i in at.info)
