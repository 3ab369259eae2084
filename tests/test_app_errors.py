"""AppTest: files that read but hold no funnel keep the last good data and say why in Russian."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture
def data_page(at: AppTest) -> AppTest:
    at.switch_page("app_pages/data.py").run()
    return at


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("header_only.csv", "ID;Этап сделки;Бюджет\n".encode(), "нет ни одной сделки"),
        # A file with no stage recognised opens into the mapping editor: tests/test_app_editor.py
    ],
)
def test_no_funnel_in_the_file_keeps_the_previous_data(data_page, name, data, says):
    at = data_page
    before = at.session_state["dataset"]
    at.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any(name in e and says in e for e in errors), errors
    assert at.session_state["dataset"] is before


def test_reading_notes_speak_russian(data_page):
    at = data_page
    grid = "Выгрузка сделок\n\nID;Этап сделки;Бюджет\n1;Переговоры;100\n2;Успешно реализовано;50\n"
    at.file_uploader(key="upload").set_value(("с_заголовком.csv", grid.encode(), "text/csv")).run()
    captions = [c.value for c in at.caption]
    assert any("Пропущено строк заголовка над таблицей: 1" in c for c in captions), captions


# ---- the error boundary every page runs in --------------------------------------------------


def _all_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def _boom(*args, **kwargs):
    raise RuntimeError("/srv/voronka/secret/path.py: something inside broke")


def _crash_funnel_chart(at: AppTest, monkeypatch) -> None:
    """The funnel chart fails to build: nothing guards it but the page's boundary."""
    import funnel.charts.funnel

    monkeypatch.setattr(funnel.charts.funnel, "funnel_spec", _boom)
    at.session_state["page_memo"] = {}  # the chart of the first run would be reused otherwise


def test_an_engine_call_that_fails_says_so_with_a_reference(at, monkeypatch):
    import ui.leaks

    monkeypatch.setattr(ui.leaks, "weak_points", _boom)
    at.session_state["page_memo"] = {}  # what the first run found would be reused otherwise
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("Номер ошибки для поддержки:" in e for e in errors), errors
    assert "RuntimeError" not in _all_text(at) and "/srv/voronka" not in _all_text(at)


def test_a_page_that_fails_says_so_with_a_reference_and_keeps_the_data(at, monkeypatch):
    before = at.session_state["dataset"]
    _crash_funnel_chart(at, monkeypatch)
    at.run()
    assert not at.exception, at.exception  # no traceback reaches the browser
    errors = [e.value for e in at.error]
    assert any("Номер ошибки для поддержки:" in e for e in errors), errors
    text = _all_text(at)
    assert "/srv/voronka" not in text and "RuntimeError" not in text
    assert at.session_state["dataset"] is before
    # the other pages still work with the same data
    monkeypatch.undo()
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception and not at.error
    assert at.session_state["dataset"] is before


def test_after_a_new_file_a_failing_page_offers_the_data_shown_before(at, monkeypatch):
    sample = at.session_state["dataset"]
    at.switch_page("app_pages/data.py").run()
    good = "ID;Этап сделки;Бюджет\n1;Переговоры;100\n2;Успешно реализовано;50\n3;Переговоры;70\n"
    at.file_uploader(key="upload").set_value(("новый.csv", good.encode(), "text/csv")).run()
    assert at.session_state["dataset"].name == "новый.csv"
    _crash_funnel_chart(at, monkeypatch)
    at.switch_page("app_pages/funnel.py").run()
    assert not at.exception, at.exception
    back = next(b for b in at.button if b.key == "error_restore")
    assert sample.name in back.label and "новый.csv" in back.label
    back.click().run()
    assert at.session_state["dataset"].key == sample.key


def test_an_upload_whose_reading_was_interrupted_is_read_on_the_next_run(at, monkeypatch):
    """Many uploads at once interrupt runs mid-read; the file must not be dropped for it."""
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    from ui.workspaces import exports

    real_load = exports.load_upload
    calls = []

    def interrupted_once(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 1:
            raise StopException()  # what a new rerun does to a run in the middle of a read
        return real_load(*args, **kwargs)

    monkeypatch.setattr(exports, "load_upload", interrupted_once)
    at.switch_page("app_pages/data.py").run()
    good = "ID;Этап сделки;Бюджет\n1;Переговоры;100\n2;Успешно реализовано;50\n"
    at.file_uploader(key="upload").set_value(("новый.csv", good.encode(), "text/csv")).run()
    assert calls == ["новый.csv"] and at.session_state["dataset"].name != "новый.csv"
    at.run()  # the next run, as the browser's next message brings it
    assert not at.exception, at.exception
    assert calls == ["новый.csv", "новый.csv"]
    assert at.session_state["dataset"].name == "новый.csv"


def test_a_file_dropped_just_before_another_page_is_clicked_is_read_there(at):
    """The drop and the click reach the server as one run of the other page: the file is read
    before that page is drawn, not lost with the Data page's uploader."""
    at.switch_page("app_pages/data.py").run()
    good = "ID;Этап сделки;Бюджет\n1;Переговоры;100\n2;Успешно реализовано;50\n3;Переговоры;70\n"
    at.file_uploader(key="upload").set_value(("свежий.csv", good.encode(), "text/csv"))
    at.switch_page("app_pages/funnel.py").run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].name == "свежий.csv"
    assert {m.label: m.value for m in at.metric}["Сделок"] == "3"
    assert not any("свежий.csv" in s.value for s in at.success)  # the Data page's note only


def test_a_dropped_file_that_needs_its_mapping_opens_the_data_page(at):
    at.switch_page("app_pages/data.py").run()
    no_stage = "Клиент;Сумма\nАльфа;100\nБета;200\n"
    at.file_uploader(key="upload").set_value(("без_этапов.csv", no_stage.encode(), "text/csv"))
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    assert any("без_этапов.csv" in w.value for w in at.warning)  # the editor's note
    assert at.session_state["dataset"].is_sample  # the other pages keep the data they had
