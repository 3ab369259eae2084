"""The Report page: the client report built from the data and filters shown, in either
language, previewed and offered as HTML and PDF."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.conftest import APP
from tests.e2e_support import small_deals, xlsx_bytes

REPORT = "app_pages/report.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def _open(lang: str = "ru") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=180)
    app.session_state["lang"] = lang
    app.switch_page(REPORT)
    app.run()
    assert not app.exception, app.exception
    return app


def _built(app: AppTest) -> tuple[str, bytes]:
    app.button(key="rp_build").click().run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    _, html, pdf = app.session_state["report_built"]
    return html, pdf


def test_the_report_of_an_upload_holds_its_numbers_in_html_and_pdf():
    frame = small_deals(40, seed=3)
    app = _open()
    app.switch_page("app_pages/data.py").run()
    app.file_uploader(key="upload").set_value(("клиент.xlsx", xlsx_bytes(frame), XLSX)).run()
    app.switch_page(REPORT).run()
    html, pdf = _built(app)
    text = _Text()
    text.feed(html)
    words = " ".join(text.parts)
    assert "script" not in text.tags and "svg" in text.tags
    assert "клиент.xlsx" in words and "Воронка продаж: клиент" in words
    won = int((frame["Этап сделки"] == "Успешно реализовано").sum())  # counted without the engine
    assert str(len(frame)) in words and str(won) in words
    pages = PdfReader(io.BytesIO(pdf)).pages
    pdf_text = " ".join(p.extract_text() for p in pages)
    assert "клиент.xlsx" in pdf_text and len(pages) >= 2
    assert app.get("download_button")  # HTML and PDF offered


def test_the_cover_names_the_sidebar_filter_and_the_numbers_are_the_filtered_ones():
    app = _open()
    box = next(w for w in app.multiselect if w.key and w.key.startswith("flt_channel_"))
    channel = box.options[0]
    box.set_value([channel]).run()
    html, _ = _built(app)
    app.switch_page("app_pages/funnel.py").run()
    shown = {m.label: m.value for m in app.metric}["Сделок"]  # what the Funnel page says
    assert channel in html
    assert f">{shown}<" in html or f" {shown} " in html, shown


def test_an_english_report_from_the_russian_ui_and_a_stale_note_after_a_change():
    app = _open()
    app.segmented_control(key="rp_lang").set_value("en").run()
    html, _ = _built(app)
    assert "Conclusions" in html and "Выводы" not in html
    app.text_input(key="rp_title").set_value("Другой заголовок").run()
    assert any("соберите отчёт заново" in i.value for i in app.info)
