"""AppTest for every page: the sample on the first screen, uploads, bad files, languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from funnel.metrics import funnel
from tests.e2e_support import XLSX_MIME, csv_bytes, small_deals, xlsx_bytes
from ui.i18n import fmt_number, fmt_pct

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["lang"] = "ru"
    app.run()
    assert not app.exception, app.exception
    return app


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
    assert any("Порядок этапов угадан" in text for text in shown), shown
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
