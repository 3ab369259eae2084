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
