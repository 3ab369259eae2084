"""In a real browser: paste a Google Sheets link on the Data page and see its funnel; edit the
sheet, refresh, see the new numbers. The app server reaches the fake Google on the loopback
through VORONKA_GOOGLE_LOOPBACK; the browser itself stays on localhost."""

from __future__ import annotations

import pytest

from funnel.io.google_access import LOOPBACK_ENV
from tests.e2e_support import (
    ARTIFACTS,
    E2E_MARKS,
    expect_metric,
    nav,
    see,
    small_deals,
    wait_chart,
    wait_idle,
)
from tests.fake_google import Spreadsheet, Tab, fake_google

pytestmark = E2E_MARKS

KEY = "1PublicSheetAbCdEfGhIjKlMnOpQrStUvWxYz012"
LINK = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=77"


def rows_of(frame) -> list[list[str]]:
    return [list(map(str, frame.columns)), *frame.astype(str).values.tolist()]


@pytest.fixture(scope="module")
def fake():
    with fake_google() as fake:
        fake.sheets[KEY] = Spreadsheet("Сделки CRM", {77: Tab("Май", rows_of(small_deals(40)))})
        yield fake


@pytest.fixture(scope="module")
def app_env(fake):
    """The module's app server reaches the fake Google on the loopback."""
    return {LOOPBACK_ENV: fake.address}


def test_paste_a_link_see_the_funnel_refresh_after_an_edit(page, fake):
    pg = page
    nav(pg, "Данные")
    see(pg, "Предпросмотр")
    # typed into a field the Data page's run is still drawing, the link can be lost
    wait_idle(pg)
    box = pg.get_by_label("Ссылка на Google Таблицу", exact=True)
    box.fill(LINK)
    box.press("Enter")
    pg.get_by_role("button", name="Открыть").click()
    pg.get_by_text("Открыта Google Таблица «Сделки CRM · Май»").first.wait_for(timeout=60_000)
    pg.get_by_text("получена из Google в").first.wait_for(timeout=60_000)
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_sheets_01_data.png"))

    nav(pg, "Воронка")
    pg.get_by_text("Источник: «Сделки CRM · Май»").first.wait_for(timeout=60_000)
    wait_chart(pg)
    expect_metric(pg, "40")
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / "e2e_sheets_02_funnel.png"))

    fake.sheets[KEY].tabs[77].rows = rows_of(small_deals(55, seed=3))
    nav(pg, "Данные")
    see(pg, "Предпросмотр")
    wait_idle(pg)
    pg.get_by_role("button", name="Обновить сейчас").click()
    pg.get_by_text("разметка сохранена").first.wait_for(timeout=60_000)
    nav(pg, "Воронка")
    wait_chart(pg)
    expect_metric(pg, "55")
    hosts = {host for _, host, _ in fake.log}
    assert hosts == {"docs.google.com", "doc-0s-6k-sheets.googleusercontent.com"}
