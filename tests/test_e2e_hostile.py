"""A hostile upload in one browser session while another session works on: the server stays
up, the other session never notices, and the uploader is told why in one line."""

from __future__ import annotations

import urllib.request

from tests import hostile
from tests.e2e_support import (
    ARTIFACTS,
    E2E_MARKS,
    drop,
    expect_metric,
    metric,
    nav,
    open_app,
    see,
    wait_chart,
    wait_idle,
)

pytestmark = E2E_MARKS


def test_a_zip_bomb_in_one_session_leaves_the_others_and_the_server_alone(page, server, tmp_path):
    bomb = hostile.zip_bomb(tmp_path / "выгрузка.xlsx", megabytes=256)
    other = page.context.browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="ru-RU"
    )
    b = other.new_page()
    try:
        open_app(b, server)
        deals_b = metric(b)
        # session A drops the bomb on its Data page
        drop(page, bomb)
        # meanwhile session B goes on working
        nav(b, "Сравнение")
        wait_chart(b)
        nav(b, "Воронка")
        wait_chart(b)
        expect_metric(b, deals_b)
        # A is told why, in one line, and keeps the sample
        see(page, "zip-бомб")
        wait_idle(page)
        assert page.get_by_test_id("stException").count() == 0
        page.screenshot(path=str(ARTIFACTS / "hostile_zip_bomb.png"))
        nav(page, "Воронка")
        wait_chart(page)
        expect_metric(page, deals_b)
        with urllib.request.urlopen(f"{server}/_stcore/health", timeout=10) as answer:
            assert answer.status == 200
    finally:
        other.close()
