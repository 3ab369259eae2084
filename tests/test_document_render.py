"""The client report as HTML (read back with the standard library's parser) and as PDF (read
back with pypdf): the numbers and names are there, every chart is an inline SVG, nothing from
the file runs or reaches the network, in both languages."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from funnel.document.content import client_report
from funnel.document.html import to_html
from funnel.document.pdf import FetchRefused, html_to_pdf, refuse, refusing_fetcher, to_pdf
from funnel.prepare import prepare
from tests.test_document import SPEC, small_frame

HOSTILE = {
    "Сайт": "<script>alert(1)</script>",
    "Звонки": "<img src=http://x/y.png>",
}
TEMPLATE_PROBE = "{{7*7}}"


class Page(HTMLParser):
    """Tags, URL-bearing attributes and the visible text of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.anchors: list[str] = []  # href="#id": a link within the document
        self.urls: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and value and re.fullmatch(r"#[a-z]+", value):
                self.anchors.append(value[1:])
                continue
            if name in ("src", "href", "xlink:href", "action", "srcset", "data") or (
                name.startswith("on")
            ):
                self.urls.append((tag, name, value or ""))
        if tag in ("style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "svg"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        """The text with runs of ASCII white space as one space (no-break spaces kept: they are
        part of the locale's number formats)."""
        return re.sub(r"[ \t\r\n]+", " ", " ".join(self.text))


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def small():
    return prepare(small_frame(), SPEC)


@pytest.fixture(scope="module")
def hostile():
    frame = small_frame(HOSTILE)
    frame["Продукт"] = [TEMPLATE_PROBE, "Окна"] * (len(frame) // 2)
    frame["Причина"] = "<iframe src=//x.example/>"  # quoted in the conclusions' leaks
    spec = dataclasses.replace(SPEC, columns={**SPEC.columns, "loss_reason": "Причина"})
    return prepare(frame, spec)


@pytest.mark.parametrize(
    ("language", "won", "deals_word"),
    [("ru", "Выиграно", "Сделок"), ("en", "Won", "Deals")],
)
def test_html_holds_the_totals_stages_and_one_svg_per_chart(small, language, won, deals_word):
    report = client_report(small, title="Отчёт", language=language, made=date(2026, 12, 4))
    html = to_html(report)
    page = parsed(html)
    text = page.visible
    # funnel + small multiples + heatmap: three charts, each an inline <svg>.
    assert page.tags.count("svg") == 3
    # The cover's contents link to the sections, within the document only.
    assert page.anchors == [*report.sections, "appendix"]
    assert set(page.anchors) <= page.ids
    assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    assert page.urls == []
    for name in ("A", "B", "C", won, deals_word, "Сайт", "Звонки"):
        assert name in text
    assert "80" in text and "14" in text  # deals and wins
    if language == "ru":
        assert "04.12.2026" in text and "17,5\u00a0%" in text  # 14 of 80, Russian format
        assert "1\u00a0400\u00a0000" in text  # won revenue, Russian grouping
    else:
        assert "2026-12-04" in text and "17.5%" in text
        assert "1,400,000" in text


def test_svg_urls_are_the_svg_namespace_only(small):
    html = to_html(client_report(small, language="en"))
    for url in ("http://", "https://"):
        rest = html.replace("http://www.w3.org/2000/svg", "").replace(
            "http://www.w3.org/1999/xlink", ""
        )
        assert url not in rest


def test_names_from_the_file_stay_text(hostile):
    for language in ("ru", "en"):
        html = to_html(client_report(hostile, language=language, by=["channel", "product"]))
        page = parsed(html)
        assert "script" not in page.tags and "img" not in page.tags
        assert page.urls == []
        assert "<script>alert(1)</script>" not in html
        assert "<img src=http://x/y.png>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
        assert "<script>alert(1)</script>" in page.visible  # the reader sees the name
        assert TEMPLATE_PROBE in page.visible  # shown as written, never evaluated
        assert "<iframe src=//x.example/>" in page.visible and "iframe" not in page.tags


def test_a_hostile_title_and_source_stay_text(small):
    report = client_report(
        small, title="<b onload=alert(1)>Ромашка</b>", source="<a href=http://x>f.xlsx</a>"
    )
    html = to_html(report)
    page = parsed(html)
    # No link but the contents' own, no onload.
    assert page.tags.count("a") == len(page.anchors) and page.urls == []
    assert "<b onload=alert(1)>Ромашка</b>" in page.visible
    assert "<a href=http://x>f.xlsx</a>" in page.visible


def test_the_pdf_maker_fetches_nothing():
    with pytest.raises(FetchRefused):
        refuse("http://x/y.png")
    with pytest.raises(FetchRefused):
        refusing_fetcher().fetch("file:///etc/passwd")
    # A page that asks for a picture still renders: the picture is refused, not fetched.
    pdf = html_to_pdf('<html><body><p>ok</p><img src="http://127.0.0.1:9/y.png"></body></html>')
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "won", "kpi"),
    [("ru", "Выиграно", "Конверсия в продажу"), ("en", "Won", "Win rate")],
)
def test_pdf_text_has_the_totals_and_stages(small, language, won, kpi):
    report = client_report(small, title="Ромашка", language=language, made=date(2026, 12, 4))
    pdf = to_pdf(report)
    reader = PdfReader(io.BytesIO(pdf))
    # Cover, conclusions, funnel, comparison, weak points, method, appendix: a few pages, A4.
    assert 5 <= len(reader.pages) <= 12
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for name in ("Ромашка", won, kpi, "Сайт", "Звонки", "A → B"):
        assert name in text
    assert "80" in text and "14" in text
    # Page numbers "2 / N" from the @page counters.
    assert f"2 / {len(reader.pages)}" in text
    # Charts stay vectors (no raster image on any page), in DejaVu (Cyrillic included).
    assert sum(len(page.images) for page in reader.pages) == 0
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all(name.startswith("DejaVu") for name in fonts)


def test_pdf_of_the_sample_in_russian(sample_doors):
    report = client_report(sample_doors, title="Двери", language="ru", made=date(2026, 12, 4))
    html = to_html(report)
    page = parsed(html)
    # funnel, 2 comparisons x 2, trends, one before/after: 7 charts.
    assert page.tags.count("svg") == 7
    reader = PdfReader(io.BytesIO(to_pdf(report, html)))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for stage in sample_doors.stages:
        assert stage in text
    assert "Новый скрипт закрытия" in text


def test_the_cover_names_a_pages_filters(small):
    from funnel.filters import Filters, mask

    chosen = Filters(created_from=date(2026, 1, 1), values={"channel": ("Сайт",)})
    html = to_html(client_report(small, mask=mask(small, chosen), filters=chosen))
    assert "созданы 01.01.2026 – …; Канал: Сайт" in parsed(html).visible
