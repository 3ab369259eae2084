"""AppTest for every page: the sample on the first screen, uploads, bad files, languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from funnel.metrics import funnel
from tests.e2e_support import XLSX_MIME, csv_bytes, small_deals, xlsx_bytes
from ui.i18n import fmt_number, fmt_pct


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_first_screen_shows_the_sample_funnel_with_engine_numbers(at):
    ds = at.session_state["dataset"]
    assert ds.is_sample and ds.name == "amocrm_export.xlsx"
    total = funnel(ds.deals)
    tiles = _metrics(at)
    assert tiles["Сделок"] == fmt_number(int(total.deals[0]), language="ru")
    assert tiles["Выиграно"] == fmt_number(int(total.won[0]), language="ru")
    assert tiles["Конверсия в успех"] == fmt_pct(float(total.win_rate[0]), 1, language="ru")
    assert any("демо-данные" in i.value for i in at.info)
    assert at.get("vega_lite_chart"), "the funnel chart is drawn"
    assert not at.error


def test_weak_points_are_sentences(at):
    sentences = [m.value for m in at.markdown if "→" in m.value and "теряется" in m.value]
    assert sentences, [m.value for m in at.markdown]


def test_every_page_renders(at):
    for page in ("app_pages/data.py", "app_pages/compare.py", "app_pages/funnel.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
    at.switch_page("app_pages/compare.py").run()
    assert len(at.get("vega_lite_chart")) >= 2


def test_upload_csv_cp1251_changes_the_funnel(at):
    at.switch_page("app_pages/data.py").run()
    frame = small_deals(40)
    at.file_uploader(key="upload").set_value(("сделки.csv", csv_bytes(frame), "text/csv")).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    ds = at.session_state["dataset"]
    assert ds.name == "сделки.csv" and not ds.is_sample
    at.switch_page("app_pages/funnel.py").run()
    assert _metrics(at)["Сделок"] == fmt_number(len(ds.deals), language="ru")
    assert len(ds.deals) == 40


@pytest.mark.parametrize(("n", "words"), [(21, "21 сделка"), (22, "22 сделки"), (25, "25 сделок")])
def test_source_line_says_deals_in_good_russian(at, n, words):
    at.switch_page("app_pages/data.py").run()
    data = csv_bytes(small_deals(n))
    at.file_uploader(key="upload").set_value(("сделки.csv", data, "text/csv")).run()
    at.switch_page("app_pages/funnel.py").run()
    assert any(c.value.startswith(f"Источник: сделки.csv · {words} ·") for c in at.caption)


def test_upload_xlsx(at):
    at.switch_page("app_pages/data.py").run()
    data = xlsx_bytes(small_deals(30))
    at.file_uploader(key="upload").set_value(("deals.xlsx", data, XLSX_MIME)).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].name == "deals.xlsx"
    assert len(at.session_state["dataset"].deals) == 30


def test_bad_file_shows_an_error_and_keeps_the_previous_data(at):
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(("broken.xlsx", b"not a workbook", XLSX_MIME)).run()
    assert not at.exception, at.exception
    assert at.error, "a bad file must say so"
    assert "Traceback" not in at.error[0].value
    assert "broken.xlsx" in at.error[0].value and "повреждён" in at.error[0].value
    assert at.session_state["dataset"].name == "amocrm_export.xlsx"


def test_apply_mapping_keeps_working(at):
    at.switch_page("app_pages/data.py").run()
    before = at.session_state["dataset"].spec
    submit = [b for b in at.button if "Применить" in b.label]
    assert submit
    submit[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].spec.stage_names == before.stage_names


def test_saved_spec_upload_is_applied(at):
    at.switch_page("app_pages/data.py").run()
    spec = at.session_state["dataset"].spec
    text = spec.to_yaml().replace(f"name: {spec.stage_names[0]}\n", "name: Первый\n", 1)
    text = text.replace(
        "stages:\n- name: Первый\n",
        f"stages:\n- name: Первый\n  match:\n  - {spec.stage_names[0]}\n",
        1,
    )
    at.file_uploader(key="spec_upload").set_value(
        ("last.yaml", text.encode(), "application/x-yaml")
    ).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].spec.stage_names[0] == "Первый"


def test_bad_spec_keeps_the_mapping(at):
    at.switch_page("app_pages/data.py").run()
    before = at.session_state["dataset"].spec
    at.file_uploader(key="spec_upload").set_value(
        ("bad.yaml", b"columns: [", "application/x-yaml")
    ).run()
    assert not at.exception, at.exception
    assert at.error and "bad.yaml" in at.error[0].value and "YAML" in at.error[0].value
    assert at.session_state["dataset"].spec == before


def test_data_page_notices_speak_russian(at):
    at.switch_page("app_pages/data.py").run()
    upload = ("сделки.csv", csv_bytes(small_deals(40)), "text/csv")
    at.file_uploader(key="upload").set_value(upload).run()
    shown = [m.value for m in (*at.info, *at.warning)]
    # The stages are read as Megaplan's default pipeline: the note says so, in Russian.
    assert any("Порядок этапов" in text for text in shown), shown
    english = ("The ", "No ", "stage order", "Detection")
    assert not [text for text in shown if any(word in text for word in english)], shown
    # the lower-bound caveat is said once, with its numbers
    assert sum("проигранн" in text.lower() for text in shown) == 1, shown


def test_a_saved_mapping_silences_detection_advice(at):
    at.switch_page("app_pages/data.py").run()
    shown = [m.value for m in (*at.info, *at.warning)]
    assert at.session_state["dataset"].is_sample  # opened with its saved mapping
    assert not any("Порядок этапов угадан" in text for text in shown), shown


def test_english(at):
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert "Deals" in _metrics(at)
    assert at.title[0].value == "Funnel"


def test_sidebar_filter_changes_the_numbers(at):
    ds = at.session_state["dataset"]
    enc = ds.deals.segments["channel"]
    label = enc.labels[0]
    version = at.session_state["dataset_version"]
    at.multiselect(key=f"flt_channel_{version}").set_value([label]).run()
    assert not at.exception, at.exception
    expected = int((enc.codes == 0).sum())
    assert expected < len(ds.deals)
    assert _metrics(at)["Сделок"] == fmt_number(expected, language="ru")


def test_pipeline_switch_uses_the_saved_mapping_and_comes_back(at):
    ds = at.session_state["dataset"]
    security = ds.spec
    assert ds.spec.filter["pipeline"] == ("Системы безопасности",)
    version = at.session_state["dataset_version"]
    at.selectbox(key=f"pipeline_switch_{version}").set_value("Двери").run()
    assert not at.exception, at.exception
    doors = at.session_state["dataset"].spec
    assert doors.filter["pipeline"] == ("Двери",)
    assert doors.stage_names[:3] == ("Интерес уточнён", "Заявка получена", "Счёт выставлен")
    version = at.session_state["dataset_version"]
    at.selectbox(key=f"pipeline_switch_{version}").set_value("Системы безопасности").run()
    assert at.session_state["dataset"].spec == security


# ---- the walkthrough's defects ----------------------------------------------------------


def _sidebar_channels(app: AppTest) -> list[str]:
    return [
        o for m in app.sidebar.multiselect if m.key.startswith("flt_channel_") for o in m.options
    ]


def test_upload_shows_the_new_data_in_the_sidebar_at_once(at):
    at.switch_page("app_pages/data.py").run()
    assert [s for s in at.sidebar.selectbox if s.key.startswith("pipeline_switch_")]
    upload = ("сделки.csv", csv_bytes(small_deals(40)), "text/csv")
    at.file_uploader(key="upload").set_value(upload).run()
    assert not at.exception, at.exception
    # no page change: the sidebar of this very screen belongs to the new file
    assert not [s for s in at.sidebar.selectbox if s.key.startswith("pipeline_switch_")]
    assert sorted(_sidebar_channels(at)) == ["Звонок", "Сайт"]
    assert any("сделки.csv" in s.value for s in at.success)
    at.button(key="sample_button").click().run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].is_sample
    assert [s for s in at.sidebar.selectbox if s.key.startswith("pipeline_switch_")]
    assert "Сайт" not in _sidebar_channels(at)


@pytest.mark.parametrize(("by2", "pick_segment"), [("channel", True), (None, False)])
def test_compare_keeps_its_choices_across_the_language_switch(at, by2, pick_segment):
    # AppTest words the widgets outside the run after a switch, so only one run is checked.
    at.switch_page("app_pages/compare.py").run()
    at.selectbox(key="compare_by_ru").set_value("owner").run()
    at.selectbox(key="compare_by2_ru").set_value(by2).run()
    by = "_".join(["owner", *([by2] if by2 else [])])
    baseline = at.selectbox(key=f"baseline_{by}_ru")
    chosen = baseline.options[2] if pick_segment else None
    baseline.set_value(chosen).run()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Compare segments"
    # the same choices, worded in English
    assert at.selectbox(key="compare_by_en").value == "owner"
    assert at.selectbox(key="compare_by_en").label == "Dimension"
    assert at.selectbox(key="compare_by2_en").value == by2
    assert at.selectbox(key=f"baseline_{by}_en").value == chosen


def test_compare_warns_when_the_baseline_is_too_small_to_judge(at):
    from funnel.compare import compare

    at.switch_page("app_pages/compare.py").run()
    deals = at.session_state["dataset"].deals
    counts = compare(deals, ["channel"]).counts
    sizes = {counts.segment_label(g): int(n) for g, n in enumerate(counts.deals)}
    smallest = min(sizes, key=sizes.__getitem__)
    at.number_input(key="min_deals").set_value(sizes[smallest] + 1).run()
    assert not at.warning
    at.selectbox(key="baseline_channel_ru").set_value(smallest).run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning]
    assert len(warned) == 1 and smallest in warned[0] and "рано" in warned[0], warned
    at.selectbox(key="baseline_channel_ru").set_value(max(sizes, key=sizes.__getitem__)).run()
    assert not at.warning


def test_money_in_blocks_has_no_empty_currency_brackets(at):
    measure = next(b for b in at.button_group if b.key.startswith("funnel_measure"))
    measure.set_value("money").run()
    detail = next(b for b in at.button_group if b.key.startswith("funnel_detail"))
    detail.set_value("groups").run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption if "Ширина полосы" in c.value]
    assert captions and "(" not in captions[0], captions


def test_funnel_choices_survive_the_language_switch(at):
    next(b for b in at.button_group if b.key.startswith("funnel_measure")).set_value("money")
    next(b for b in at.button_group if b.key.startswith("funnel_detail")).set_value("groups")
    at.run()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    values = {b.key.rsplit("_", 1)[0]: b.value for b in at.button_group}
    assert values["funnel_measure"] == "money" and values["funnel_detail"] == "groups", values
    assert any(c.value.startswith("Bar width = amount") for c in at.caption)


@pytest.mark.parametrize("cur", ["", "—", "₽"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_money_caption_reads_well_with_any_currency(cur, language):
    from ui.i18n import STRINGS

    text = STRINGS["chart_caption_money"][language].format(cur=cur)
    assert "()" not in text and "(—)" not in text and "{" not in text


@pytest.mark.parametrize(
    ("currency", "ru", "en"),
    [
        ("Российский рубль", "6\u00a0375\u00a0997\u00a0₽", "₽6,375,997"),
        ("  российский   РУБЛЬ ", "6\u00a0375\u00a0997\u00a0₽", "₽6,375,997"),
        ("RUB", "6\u00a0375\u00a0997\u00a0₽", "₽6,375,997"),
        ("rur", "6\u00a0375\u00a0997\u00a0₽", "₽6,375,997"),
        ("руб", "6\u00a0375\u00a0997\u00a0₽", "₽6,375,997"),
        ("Доллар США", "6\u00a0375\u00a0997\u00a0$", "$6,375,997"),
        ("US Dollar", "6\u00a0375\u00a0997\u00a0$", "$6,375,997"),
        ("Евро", "6\u00a0375\u00a0997\u00a0€", "€6,375,997"),
        ("EUR", "6\u00a0375\u00a0997\u00a0€", "€6,375,997"),
        ("Тенге", "6\u00a0375\u00a0997\u00a0₸", "₸6,375,997"),
        ("KZT", "6\u00a0375\u00a0997\u00a0₸", "₸6,375,997"),
        ("Белорусский рубль", "6\u00a0375\u00a0997\u00a0Br", "6,375,997\u00a0Br"),
        ("BYN", "6\u00a0375\u00a0997\u00a0Br", "6,375,997\u00a0Br"),
        ("UAH", "6\u00a0375\u00a0997\u00a0₴", "₴6,375,997"),
        ("Юань", "6\u00a0375\u00a0997\u00a0Юань", "6,375,997\u00a0Юань"),
        ("", "6\u00a0375\u00a0997", "6,375,997"),
        (None, "6\u00a0375\u00a0997", "6,375,997"),
    ],
)
def test_currency_names_become_signs(currency, ru, en):
    from ui.i18n import fmt_money

    assert fmt_money(6_375_997, currency, language="ru") == ru
    assert fmt_money(6_375_997, currency, language="en") == en


def test_short_money_uses_the_sign():
    from ui.i18n import fmt_money_short

    assert fmt_money_short(-55_700_000, "Российский рубль", "ru") == "−55,7\u00a0млн\u00a0₽"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", {"sep": ";", "decimal": ","}), ("en", {"sep": ",", "decimal": "."})],
)
def test_csv_downloads_follow_the_language(language, expected):
    from ui.tables import csv_options

    assert csv_options(language) == expected


def test_downloads_format_the_rate_columns_as_percent():
    import pandas as pd

    from ui.i18n import STRINGS
    from ui.tables import percent_columns

    keys = ("stage", "reached", "pct_of_top", "step_conversion")
    ru = {key: STRINGS[f"col_{key}"]["ru"] for key in keys}
    frame = pd.DataFrame(columns=[*ru.values(), "win_rate"])
    # the translated names (the pages' tables) and the engine's names (a raw frame) both count
    assert percent_columns(frame) == [ru["pct_of_top"], ru["step_conversion"], "win_rate"]


def test_unused_pipeline_all_string_is_gone():
    from ui.i18n import STRINGS

    assert "pipeline_all" not in STRINGS


@pytest.mark.parametrize(
    ("value", "decimals", "ru", "en"),
    [
        (20.5, 0, "21", "21"),  # half away from zero, as people round (not to even)
        (2.5, 0, "3", "3"),
        (9.5, 0, "10", "10"),
        (2.675, 2, "2,68", "2.68"),  # the decimal text, not the binary value below it
        (-2.5, 0, "−3", "-3"),
        (-0.4, 0, "0", "0"),  # no negative zero
        (1234567.891, 2, "1\u00a0234\u00a0567,89", "1,234,567.89"),
        (float("inf"), 0, "∞", "∞"),
        (float("nan"), 0, "—", "—"),
        (None, 0, "—", "—"),
    ],
)
def test_numbers_round_as_people_do(value, decimals, ru, en):
    from ui.i18n import fmt_number

    assert fmt_number(value, decimals, "ru") == ru
    assert fmt_number(value, decimals, "en") == en
