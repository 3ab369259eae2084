"""A client's workspace in a real browser: an upload, a marked change and a filter survive a
reload, a fresh browser opened on the link, and a restart of the server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.e2e_support import (
    E2E_MARKS,
    app_server,
    browser_page,
    csv_bytes,
    expect_metric,
    nav,
    open_app,
    see,
    small_deals,
    upload,
    wait_idle,
)

pytestmark = E2E_MARKS

CHANGE = "Новый скрипт продаж для e2e"


def submit_until_taken(pg, label) -> None:
    """Submit the change form until the app has taken it: the form clears its label when it is
    submitted. On a busy machine a click that lands while the page is still being redrawn can
    be lost; the label still holding the text says so, and the click is made again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(4):
        pg.get_by_role("button", name="Добавить изменение").click(timeout=60_000)
        try:
            pg.wait_for_function(
                """(text) => ![...document.querySelectorAll('[data-testid=stForm] input')]
                    .some((el) => el.value === text)""",
                arg=CHANGE,
                timeout=20_000,
            )
            return
        except PlaywrightTimeout:
            if label.input_value(timeout=60_000) != CHANGE:
                return
    raise AssertionError("the change form was never submitted")


def chosen_change(pg) -> None:
    """The Before/after page lists the marked change (in its folded list of changes)."""
    see(pg, "Изменения в продажах")
    wait_idle(pg)
    pg.get_by_test_id("stExpander").filter(has_text="Изменения в продажах").locator(
        "summary"
    ).click()
    see(pg, CHANGE)


def test_a_client_survives_a_reload_a_fresh_browser_and_a_restart(tmp_path):
    export = tmp_path / "klient_dveri.csv"
    export.write_bytes(csv_bytes(small_deals(40)))
    env = {"VORONKA_DATA_DIR": str(tmp_path / "data")}
    with app_server(env) as url, browser_page() as pg:
        open_app(pg, url)
        upload(pg, export)
        see(pg, "klient dveri")  # the client made for the file, named after it
        query = parse_qs(urlparse(pg.url).query)
        assert "ws" in query and "src" in query, pg.url

        # A dated change marked on the Before/after page (an applied mapping, saved at once).
        nav(pg, "До и после")
        see(pg, "Добавить изменение")
        wait_idle(pg)
        # The date field is three spin buttons (day, month, year) that advance as digits come.
        day = pg.get_by_test_id("stForm").get_by_role("spinbutton").first
        day.click()
        pg.keyboard.type("15052025")
        # The field takes the date a moment later on a busy machine: submit only once it has.
        pg.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid=stForm] input[type=date]')]
                .some((el) => el.value === '2025-05-15')""",
            timeout=60_000,
        )
        label = pg.get_by_placeholder("Новый скрипт продаж")
        label.fill(CHANGE)
        submit_until_taken(pg, label)
        see(pg, CHANGE)
        wait_idle(pg)
        link = pg.url

        pg.reload()
        see(pg, "Источник: klient_dveri.csv")
        chosen_change(pg)
        nav(pg, "Воронка")
        expect_metric(pg, "40")

    # The server restarted; a fresh browser (no cookie, no session) has only the link.
    with app_server(env) as url, browser_page() as pg:
        parts = urlparse(link)
        pg.goto(f"{url}{parts.path}?{parts.query}")
        see(pg, "Источник: klient_dveri.csv")
        chosen_change(pg)
        nav(pg, "Воронка")
        expect_metric(pg, "40")
        nav(pg, "Клиенты")
        see(pg, "Все клиенты")
        see(pg, "klient dveri")


def test_on_a_shared_server_a_client_is_out_of_reach_without_its_link(tmp_path):
    export = tmp_path / "klient_okna.csv"
    export.write_bytes(csv_bytes(small_deals(30)))
    env = {"VORONKA_DATA_DIR": str(tmp_path / "data"), "VORONKA_MODE": "shared"}
    with app_server(env) as url:
        with browser_page() as pg:
            open_app(pg, url)
            upload(pg, export)
            see(pg, "Сохраните эту ссылку")
            query = parse_qs(urlparse(pg.url).query)
            ws, key = query["ws"][0], query["key"][0]

        with browser_page() as stranger:  # another person, who learnt the client's id
            stranger.goto(f"{url}/?ws={ws}")
            see(stranger, "Этот клиент вам недоступен")
            see(stranger, "демо-данные")

        with browser_page() as holder:  # the person the link was sent to
            holder.goto(f"{url}/?key={key}")
            see(holder, "Источник: klient_okna.csv")
            expect_metric(holder, "30")
