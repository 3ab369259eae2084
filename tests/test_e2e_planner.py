"""Velocity and Planner in a real browser on the sample and on the doors register."""

from __future__ import annotations

from pathlib import Path

from tests.e2e_support import (
    ARTIFACTS,
    E2E_MARKS,
    MESSY_CSV,
    metric,
    nav,
    upload,
    wait_chart,
    wait_count,
    wait_idle,
)

pytestmark = E2E_MARKS

REGISTER = Path(__file__).resolve().parent.parent / "sample_data" / "register_doors.xlsx"


def _shot(pg, name: str, scroll_to: str | None = None) -> None:
    """A viewport screenshot, scrolled to ``scroll_to`` (Streamlit scrolls inside the page)."""
    if scroll_to:
        pg.get_by_text(scroll_to).first.scroll_into_view_if_needed()
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / name))


def test_velocity_and_planner_on_the_sample_and_the_register(page):
    pg = page
    nav(pg, "Скорость")
    pg.get_by_text("Зависшие сделки").first.wait_for(timeout=60_000)
    wait_chart(pg)
    stuck = metric(pg, 1)
    assert stuck.replace("\u00a0", "").isdigit() and int(stuck.replace("\u00a0", "")) > 0
    _shot(pg, "e2e_planner_01_velocity_sample.png")
    _shot(pg, "e2e_planner_01b_stuck_sample.png", scroll_to="Сначала — самые крупные суммы")

    nav(pg, "План")
    pg.get_by_text("Заявок нужно по каналам").first.wait_for(timeout=60_000)
    wait_chart(pg)
    leads = metric(pg, 0)
    assert leads.replace("\u00a0", "").isdigit()
    _shot(pg, "e2e_planner_02_planner_sample.png")
    _shot(pg, "e2e_planner_02b_table_sample.png", scroll_to="План по каналам")
    _shot(pg, "e2e_planner_02c_whatif_sample.png", scroll_to="Заявок нужно: сейчас и после")

    upload(pg, REGISTER)

    nav(pg, "Скорость")
    pg.get_by_text("Дней на этапе и до успеха").first.wait_for(timeout=60_000)
    pg.get_by_text(f"Источник: {REGISTER.name}").first.wait_for(timeout=60_000)
    wait_chart(pg)
    pg.get_by_text("дольше, чем 80").first.wait_for(timeout=60_000)
    _shot(pg, "e2e_planner_03_velocity_register.png", scroll_to="Дней на этапе и до успеха")
    _shot(pg, "e2e_planner_03b_stuck_register.png", scroll_to="Сначала — самые крупные суммы")

    nav(pg, "План")
    pg.get_by_text("Заявок нужно по каналам").first.wait_for(timeout=60_000)
    pg.get_by_text(f"Источник: {REGISTER.name}").first.wait_for(timeout=60_000)
    wait_chart(pg)
    _shot(pg, "e2e_planner_04_planner_register.png")

    pg.get_by_text("English", exact=True).click()
    pg.get_by_text("Planner: how many leads").first.wait_for(timeout=60_000)
    wait_chart(pg)
    _shot(pg, "e2e_planner_05_planner_en.png")


def test_planner_charts_on_the_hand_check_file_in_a_browser(page, tmp_path):
    """Two planned channels: the what-if chart used to collapse to a line (40 px a channel)."""
    data = tmp_path / "messy12.csv"
    data.write_bytes(MESSY_CSV.encode("cp1251"))
    pg = page
    upload(pg, data)
    nav(pg, "План")
    pg.get_by_text("Заявок нужно: сейчас и после").first.wait_for(timeout=60_000)
    wait_chart(pg)
    charts = pg.get_by_test_id("stVegaLiteChart")
    wait_count(charts, 3)
    whatif = charts.nth(2)
    whatif.scroll_into_view_if_needed()
    whatif.locator("canvas, svg").first.wait_for(timeout=60_000)
    wait_idle(pg)
    box = whatif.bounding_box()
    # four bars of 26 px (~120 px with the gaps) + axis + legend; it was 80 px in all
    assert box is not None and box["height"] >= 170, box
    whatif.screenshot(path=str(ARTIFACTS / "e2e_planner_06_whatif_messy.png"))
    charts.nth(0).screenshot(path=str(ARTIFACTS / "e2e_planner_06b_leads_messy.png"))
    charts.nth(1).screenshot(path=str(ARTIFACTS / "e2e_planner_06c_windows_messy.png"))
    pg.get_by_text("Сайт — по 2 сделкам с суммой").first.wait_for(timeout=60_000)
