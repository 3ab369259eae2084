"""The app in a real browser: Debian's chromium driven by Playwright, on localhost only."""

from __future__ import annotations

from tests.e2e_support import (
    ARTIFACTS,
    E2E_MARKS,
    csv_bytes,
    expect_metric,
    metric,
    nav,
    small_deals,
    upload,
    wait_chart,
    wait_idle,
    xlsx_bytes,
)

pytestmark = E2E_MARKS


def test_sample_upload_compare_language(page, tmp_path):
    pg = page
    sample_deals = metric(pg)
    assert sample_deals.replace("\u00a0", "").isdigit()
    pg.screenshot(path=str(ARTIFACTS / "e2e_01_sample_funnel.png"))

    xlsx = tmp_path / "сделки_май.xlsx"
    xlsx.write_bytes(xlsx_bytes(small_deals(30)))
    upload(pg, xlsx)
    pg.screenshot(path=str(ARTIFACTS / "e2e_02_data_xlsx.png"))
    nav(pg, "Воронка")
    pg.get_by_text(f"Источник: {xlsx.name}").first.wait_for(timeout=60_000)
    wait_chart(pg)
    expect_metric(pg, "30")
    pg.screenshot(path=str(ARTIFACTS / "e2e_03_funnel_xlsx.png"))

    csv = tmp_path / "выгрузка.csv"
    csv.write_bytes(csv_bytes(small_deals(45, seed=2), encoding="cp1251"))
    upload(pg, csv)
    nav(pg, "Воронка")
    pg.get_by_text(f"Источник: {csv.name}").first.wait_for(timeout=60_000)
    wait_chart(pg)
    expect_metric(pg, "45")
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
    expect_metric(pg, "45")
    pg.screenshot(path=str(ARTIFACTS / "e2e_07_funnel_en.png"))
