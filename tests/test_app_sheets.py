"""The Data page's Google Sheets box in AppTest, against the fake Google on the loopback:
open a link, refresh keeping the mapping, private sheets by secrets or an uploaded key, errors."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from funnel import google_access
from tests.e2e_support import small_deals
from tests.fake_google import SA_EMAIL, Spreadsheet, Tab, fake_google, service_account_key
from ui import state

PUBLIC = "1PublicSheetAbCdEfGhIjKlMnOpQrStUvWxYz012"
PRIVATE = "1PrivateSheetAbCdEfGhIjKlMnOpQrStUvWxYz01"
PUBLIC_URL = f"https://docs.google.com/spreadsheets/d/{PUBLIC}/edit#gid=77"
PRIVATE_URL = f"https://docs.google.com/spreadsheets/d/{PRIVATE}/edit"


def rows_of(frame) -> list[list[str]]:
    return [list(map(str, frame.columns)), *frame.astype(str).values.tolist()]


@pytest.fixture(scope="module")
def sa_key():
    return service_account_key()


@pytest.fixture
def fake(monkeypatch, sa_key):
    with fake_google() as fake:
        fake.sheets[PUBLIC] = Spreadsheet("Сделки", {77: Tab("Май", rows_of(small_deals(40)))})
        fake.sheets[PRIVATE] = Spreadsheet(
            "CRM",
            {5: Tab("Сделки", rows_of(small_deals(25))), 9: Tab("Архив", rows_of(small_deals(12)))},
            public=False,
        )
        fake.add_key(sa_key)
        monkeypatch.setenv(google_access.LOOPBACK_ENV, fake.address)
        yield fake


@pytest.fixture
def data_page(at, fake):
    # Cached sheets outlive an AppTest (the cache is per process): each test starts clean.
    state._fetch_sheet.clear()
    at.switch_page("app_pages/data.py").run()
    assert not at.exception, at.exception
    return at


def open_link(at, link: str):
    at.text_input(key="gs_url_ru").input(link)
    at.button(key="gs_open").click()
    at.run()
    assert not at.exception, at.exception
    return at


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_paste_a_public_link_and_see_the_funnel(data_page, fake):
    at = open_link(data_page, PUBLIC_URL)
    assert not errors(at)
    ds = at.session_state["dataset"]
    assert ds.name == "Сделки - Май" and len(ds.deals) == 40 and not ds.is_sample
    assert ds.sheet_source.link == PUBLIC_URL
    assert any("Открыта Google Таблица" in s.value for s in at.success)
    assert any("получена из Google в" in c.value for c in at.caption)
    at.switch_page("app_pages/funnel.py").run()
    assert {m.label: m.value for m in at.metric}["Сделок"] == "40"


def test_refresh_after_the_sheet_is_edited_keeps_the_mapping(data_page, fake):
    at = open_link(data_page, PUBLIC_URL)
    ds = at.session_state["dataset"]
    # The user's own mapping: no channel breakdown (the proposal had one).
    assert "channel" in ds.spec.columns
    mine = dataclasses.replace(
        ds.spec, columns={k: v for k, v in ds.spec.columns.items() if k != "channel"}
    )
    at.file_uploader(key="spec_upload").set_value(
        ("mine.yaml", mine.to_yaml().encode(), "application/x-yaml")
    ).run()
    assert at.session_state["dataset"].spec == mine
    first_fetch = at.session_state["dataset"].sheet_source.fetched_at

    fake.sheets[PUBLIC].tabs[77].rows = rows_of(small_deals(55, seed=3))
    at.button(key="gs_refresh").click().run()
    assert not at.exception and not errors(at), errors(at)
    ds = at.session_state["dataset"]
    assert len(ds.deals) == 55 and ds.spec == mine
    assert ds.sheet_source.fetched_at > first_fetch
    assert any("разметка сохранена" in s.value for s in at.success)

    # Pasting the link again later in the session brings the same mapping back.
    at.button(key="sample_button").click().run()
    assert at.session_state["dataset"].is_sample
    at = open_link(at, PUBLIC_URL)
    assert at.session_state["dataset"].spec == mine


def test_a_failed_refresh_keeps_the_last_good_data(data_page, fake):
    at = open_link(data_page, PUBLIC_URL)
    before = at.session_state["dataset"]
    fake.sheets[PUBLIC].status = 429
    at.button(key="gs_refresh").click().run()
    assert not at.exception
    assert any("(квота)" in e and "Оставлены предыдущие данные" in e for e in errors(at)), errors(
        at
    )
    assert at.session_state["dataset"] is before
    assert any("получена из Google в" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("link", "words"),
    [
        (PRIVATE_URL, "закрыта: Google просит войти"),
        ("https://example.com/deals.csv", "не Google Таблица"),
        (f"https://docs.google.com/spreadsheets/d/{'9' * 40}/edit", "не найдена"),
    ],
)
def test_failures_say_what_to_do_and_keep_the_sample(data_page, fake, link, words):
    at = open_link(data_page, link)
    assert any(words in e for e in errors(at)), errors(at)
    assert "Traceback" not in " ".join(errors(at))
    assert at.session_state["dataset"].is_sample
    if "example.com" in link:
        assert fake.log == []


def test_private_sheet_with_the_apps_key_from_secrets(data_page, fake, sa_key):
    at = data_page
    at.secrets[state.SECRETS_SECTION] = sa_key
    at.run()
    assert SA_EMAIL in [c.value for c in at.code], "the e-mail to share with is shown"
    at = open_link(at, PRIVATE_URL)
    assert any(
        "не открыта сервисному аккаунту" in e and f"читателем {SA_EMAIL}." in e for e in errors(at)
    ), errors(at)

    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    at = open_link(at, PRIVATE_URL)
    assert not errors(at), errors(at)
    ds = at.session_state["dataset"]
    assert (ds.name, ds.sheet, len(ds.deals)) == ("CRM", "Сделки", 25)
    # The tabs are offered in the page's sheet choice; another tab is read through the API.
    tabs = next(s for s in at.selectbox if s.options == ["Сделки", "Архив"])
    tabs.set_value("Архив").run()
    ds = at.session_state["dataset"]
    assert (ds.sheet, len(ds.deals)) == ("Архив", 12)
    assert ds.sheet_source.link == f"{PRIVATE_URL}#gid=9"


def test_key_uploaded_for_the_session_is_used_and_never_shown(data_page, fake, sa_key):
    at = data_page
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    at.file_uploader(key="gs_key_upload").set_value(
        ("key.json", json.dumps(sa_key).encode(), "application/json")
    ).run()
    assert not errors(at), errors(at)
    assert at.session_state[state.SHEET_KEY]["client_email"] == SA_EMAIL
    assert any(SA_EMAIL in s.value for s in at.success)
    at = open_link(at, PRIVATE_URL)
    assert at.session_state["dataset"].sheet == "Сделки"
    shown = " ".join(
        str(getattr(el, "value", ""))
        for kind in ("markdown", "caption", "code", "success", "info", "error", "text")
        for el in at.get(kind)
    )
    assert "PRIVATE KEY" not in shown and sa_key["private_key_id"] not in shown

    at.button(key="gs_key_forget").click().run()
    assert state.SHEET_KEY not in at.session_state
    at.file_uploader(key="gs_key_upload").set_value(
        ("notakey.json", b'{"type": "authorized_user"}', "application/json")
    ).run()
    assert any("Ключ сервисного аккаунта не подходит" in e for e in errors(at)), errors(at)


def test_a_sheet_older_than_the_cache_is_fetched_again_on_any_page(data_page, fake):
    at = open_link(data_page, PUBLIC_URL)
    ds = at.session_state["dataset"]
    old = dataclasses.replace(
        ds.sheet_source, fetched_at=ds.sheet_source.fetched_at - timedelta(minutes=10)
    )
    at.session_state["dataset"] = dataclasses.replace(ds, sheet_source=old)
    fake.sheets[PUBLIC].tabs[77].rows = rows_of(small_deals(48, seed=1))
    at.switch_page("app_pages/funnel.py").run()
    assert not at.exception and not errors(at), errors(at)
    ds = at.session_state["dataset"]
    assert len(ds.deals) == 48 and ds.sheet_source.fetched_at > old.fetched_at
    assert at.metric[0].value == "48"
    # A failed automatic refresh is tried once per fetch, not on every rerun.
    older = dataclasses.replace(
        ds.sheet_source, fetched_at=ds.sheet_source.fetched_at - timedelta(minutes=6)
    )
    at.session_state["dataset"] = dataclasses.replace(ds, sheet_source=older)
    fake.sheets[PUBLIC].status = 429
    at.run()
    assert len(errors(at)) == 1
    at.run()
    assert not errors(at) and len(at.session_state["dataset"].deals) == 48


def test_the_typed_link_survives_the_language_switch(data_page, fake):
    at = data_page
    at.text_input(key="gs_url_ru").input(PUBLIC_URL).run()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.text_input(key="gs_url_en").value == PUBLIC_URL
    at.button(key="gs_open").click().run()
    assert at.session_state["dataset"].name == "Сделки - Май"
