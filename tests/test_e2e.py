"""The app in a real browser: Debian's chromium driven by Playwright, on localhost only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e_support import (
    ARTIFACTS,
    E2E_MARKS,
    app_server,
    browser_page,
    csv_bytes,
    metric,
    nav,
    small_deals,
    wait_chart,
    wait_idle,
    xlsx_bytes,
)

pytestmark = E2E_MARKS


@pytest.fixture(scope="module")
def server():
    with app_server() as url:
        yield url


@pytest.fixture
def page(server):
    with browser_page() as pg:
        yield pg


def _upload(pg, path: Path, name: str) -> None:
    nav(pg, "Данные")
    pg.get_by_text("Предпросмотр").first.wait_for(timeout=60_000)
    # The Data page's run must be over before the file goes in: a file set while it still runs
    # can be dropped by the rerun.
    wait_idle(pg)
    pg.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    pg.get_by_text(f"Источник: {name}").first.wait_for(timeout=60_000)


def test_sample_upload_compare_language(page, server, tmp_path):
    pg = page
    pg.goto(server)
    pg.get_by_text("демо-данные").first.wait_for(timeout=60_000)
    wait_chart(pg)
    sample_deals = metric(pg)
    assert sample_deals.replace("\u00a0", "").isdigit()
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_01_sample_funnel.png"))

    xlsx = tmp_path / "сделки_май.xlsx"
    xlsx.write_bytes(xlsx_bytes(small_deals(30)))
    _upload(pg, xlsx, xlsx.name)
    pg.screenshot(path=str(ARTIFACTS / "e2e_02_data_xlsx.png"))
    nav(pg, "Воронка")
    pg.get_by_text(f"Источник: {xlsx.name}").first.wait_for(timeout=60_000)
    wait_chart(pg)
    assert metric(pg) == "30"
    pg.screenshot(path=str(ARTIFACTS / "e2e_03_funnel_xlsx.png"))

    csv = tmp_path / "выгрузка.csv"
    csv.write_bytes(csv_bytes(small_deals(45, seed=2), encoding="cp1251"))
    _upload(pg, csv, csv.name)
    nav(pg, "Воронка")
    pg.get_by_text(f"Источник: {csv.name}").first.wait_for(timeout=60_000)
    wait_chart(pg)
    assert metric(pg) == "45"
    pg.screenshot(path=str(ARTIFACTS / "e2e_04_funnel_csv_cp1251.png"))

    nav(pg, "Сравнение")
    pg.get_by_text("Воронки рядом").first.wait_for(timeout=60_000)
    wait_chart(pg)
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_05_compare.png"))

    pg.get_by_text("English", exact=True).click()
    pg.get_by_text("Compare segments").first.wait_for(timeout=60_000)
    wait_chart(pg)
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_06_compare_en.png"))
    nav(pg, "Funnel")
    pg.get_by_text("Weak points").first.wait_for(timeout=60_000)
    assert metric(pg) == "45"
    pg.screenshot(path=str(ARTIFACTS / "e2e_07_funnel_en.png"))
