"""The client report from the browser: built on the Report page, both files downloaded and
read back (the PDF's text, the HTML's numbers), the page looked at."""

from __future__ import annotations

from pypdf import PdfReader

from tests.e2e_support import ARTIFACTS, E2E_MARKS, metric, nav, see, wait_idle

pytestmark = E2E_MARKS


def test_build_and_download_the_report(page, tmp_path):
    deals = metric(page)  # the Funnel page's count of the sample's deals
    nav(page, "Отчёт")
    see(page, "Собрать отчёт")
    wait_idle(page)
    page.get_by_role("button", name="Собрать отчёт").click()
    see(page, "Отчёт готов", timeout=180_000)
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / "e2e_report_page.png"))
    files = {}
    for kind in ("HTML", "PDF"):
        with page.expect_download() as download:
            page.get_by_role("button", name=f"Скачать {kind}").click()
        files[kind] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[kind])
        # a download button reruns the page; while that run drew, the page once held two
        # "Скачать PDF" buttons at a time: take the next one once the run is over
        wait_idle(page)
    html = files["HTML"].read_text(encoding="utf-8")
    assert files["HTML"].suffix == ".html" and "<script" not in html and deals in html
    reader = PdfReader(files["PDF"])
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Выводы" in text and "amocrm_export.xlsx" in text and len(reader.pages) >= 3
