"""Trends and Before/after in a real browser on the sample's security and doors pipelines:
charts drawn, a recent change added through the form and reported as too early to judge, the
doors script change found, screenshots into test-artifacts/."""

from __future__ import annotations

from typing import Any

from tests.e2e_support import (
    ARTIFACTS,
    E2E_MARKS,
    absent,
    chosen,
    nav,
    pick,
    wait_chart,
    wait_count,
    wait_idle,
)

pytestmark = E2E_MARKS
TITLE = "Как менялась конверсия: по месяцу создания сделки"


def _doors(pg: Any) -> None:
    # the pipeline's box by its label: the sidebar may hold other boxes (the workspace's)
    sidebar = pg.get_by_test_id("stSidebar")
    box = sidebar.get_by_test_id("stSelectbox").filter(
        has=pg.get_by_text("Воронка в CRM", exact=True)
    )
    # Under load a choice made while a rerun was redrawing the sidebar (its widgets are keyed
    # by the data's version, which the change just added bumped) was dropped: the box showed
    # it, the next run drew the old pipeline again. What proves the switch is the doors
    # funnel's first stage on the page, not the box: choose again until it shows, at most
    # three times.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        if not chosen(box.first, "Двери"):
            pick(pg, "stSelectbox", "Воронка в CRM", "Двери", within=sidebar)
        wait_idle(pg)
        try:
            pg.get_by_text("Интерес уточнён").first.wait_for(timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    wait_idle(pg)


def test_trends_and_before_after_on_the_doors_pipeline(page):
    pg = page
    # Security first: slow wins, so recent cohorts are immature and a recent change is
    # too early to judge, not a drop.
    nav(pg, "Динамика")
    pg.get_by_text(TITLE).first.wait_for(timeout=60_000)
    wait_chart(pg)
    pg.get_by_text("Пунктир — когорты, которым ещё рано").first.wait_for(timeout=60_000)
    pg.get_by_text("Подробнее", exact=True).first.click()
    pg.get_by_text("у каждого шага свой срок").first.wait_for(timeout=60_000)
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_trends_00_security.png"), full_page=True)

    nav(pg, "До и после")
    pg.get_by_text("До и после изменения").first.wait_for(timeout=60_000)
    wait_chart(pg)
    pg.get_by_text("Изменения в продажах").first.wait_for(timeout=60_000)
    # the verdict is drawn before the table: no drop once the table is there
    absent(pg, "значимое падение (надёжно", after="Таблица до и после")
    # The marked changes sit in a folded expander once there is one.
    pg.get_by_text("Изменения в продажах").first.click()
    # The date field is three spin buttons: type day, month and year into the first.
    field = pg.get_by_test_id("stMain").get_by_test_id("stDateInput").first
    field.get_by_role("spinbutton").first.click()
    pg.keyboard.type("01102026")
    pg.keyboard.press("Tab")
    pg.wait_for_function(
        "el => el.value === '2026-10-01'", arg=field.locator("input").element_handle()
    )
    pg.get_by_placeholder("Новый скрипт продаж").fill("Новый прайс")
    pg.get_by_role("button", name="Добавить изменение").click()
    pg.get_by_text("Рано судить.").first.wait_for(timeout=60_000)
    wait_chart(pg)
    absent(pg, "значимое падение (надёжно", after="Таблица до и после")
    pg.screenshot(path=str(ARTIFACTS / "e2e_trends_01_security_too_early.png"), full_page=True)

    _doors(pg)
    nav(pg, "Динамика")
    pg.get_by_text(TITLE).first.wait_for(timeout=60_000)
    wait_chart(pg)
    pg.get_by_text("у сделок, созданных с").first.wait_for(timeout=60_000)
    pg.get_by_text("отмечено изменение 01.03.2026").first.wait_for(timeout=60_000)
    wait_count(pg.locator("[data-testid=stVegaLiteChart]"), 2)
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_trends_01_doors.png"), full_page=True)

    # The doors mapping keeps the consultant's script change (2026-03-01): its rise shows.
    nav(pg, "До и после")
    pg.get_by_text("До и после изменения").first.wait_for(timeout=60_000)
    pg.get_by_text("значимый рост (надёжно").first.wait_for(timeout=60_000)
    wait_chart(pg)
    pg.get_by_text("Препятствия устранены → Оплата получена").first.wait_for(timeout=60_000)
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_trends_02_before_after.png"), full_page=True)

    pg.get_by_text("С прошлым периодом", exact=True).click()
    pg.get_by_text("Этот период").first.wait_for(timeout=60_000)
    wait_chart(pg)
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_trends_03_previous.png"), full_page=True)

    pg.get_by_text("English", exact=True).click()
    pg.get_by_text("Before and after a change").first.wait_for(timeout=60_000)
    wait_chart(pg)
