"""The Data page's Google Sheets box in AppTest, against the fake Google on the loopback:
open a link, refresh keeping the mapping, private sheets by secrets or an uploaded key, errors."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from funnel.io import google_access
from tests.conftest import APP
from tests.e2e_support import small_deals
from tests.fake_google import SA_EMAIL, Spreadsheet, Tab, fake_google, service_account_key
from ui import sources

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
    sources._fetch_sheet.clear()
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
    assert ds.name == "Сделки · Май" and len(ds.deals) == 40 and not ds.is_sample
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
    at.secrets[sources.SECRETS_SECTION] = sa_key
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
    assert (ds.name, ds.table.sheet, len(ds.deals)) == ("CRM · Сделки", "Сделки", 25)
    # The tabs are offered in the page's sheet choice; another tab is read through the API.
    tabs = next(s for s in at.selectbox if s.options == ["Сделки", "Архив"])
    tabs.set_value("Архив").run()
    ds = at.session_state["dataset"]
    assert (ds.name, ds.table.sheet, len(ds.deals)) == ("CRM · Архив", "Архив", 12)
    assert ds.sheet_source.link == f"{PRIVATE_URL}#gid=9"


def test_key_uploaded_for_the_session_is_used_and_never_shown(data_page, fake, sa_key):
    at = data_page
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    at.file_uploader(key="gs_key_upload").set_value(
        ("key.json", json.dumps(sa_key).encode(), "application/json")
    ).run()
    assert not errors(at), errors(at)
    assert at.session_state[sources.SHEET_KEY]["client_email"] == SA_EMAIL
    assert any(SA_EMAIL in s.value for s in at.success)
    at = open_link(at, PRIVATE_URL)
    assert at.session_state["dataset"].table.sheet == "Сделки"
    shown = " ".join(
        str(getattr(el, "value", ""))
        for kind in ("markdown", "caption", "code", "success", "info", "error", "text")
        for el in at.get(kind)
    )
    assert "PRIVATE KEY" not in shown and sa_key["private_key_id"] not in shown

    at.button(key="gs_key_forget").click().run()
    assert sources.SHEET_KEY not in at.session_state
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
    sources._fetch_sheet.clear()  # the cached copy ages with it
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
    sources._fetch_sheet.clear()
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
    assert at.session_state["dataset"].name == "Сделки · Май"


# ---- the walkthrough's defects ------------------------------------------------------------

JUNK = [["Заметки", "Цвет"], ["купить бумагу", "синий"], ["позвонить", "красный"]]


def new_session(fake) -> AppTest:
    """Another browser tab: its own session, the same process (and cache) as the others."""
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["lang"] = "ru"
    app.run()
    app.switch_page("app_pages/data.py").run()
    assert not app.exception, app.exception
    return app


def test_open_reads_a_fixed_sheet_at_once_in_any_session(data_page, fake):
    """A sheet that failed («не найдено этапов») and was fixed in Google opens on the next
    «Открыть», in the same session or another, without waiting for the cache to expire."""
    fake.sheets[PUBLIC].tabs[77].rows = JUNK
    at = open_link(data_page, PUBLIC_URL)
    # no stage recognised: the sheet waits in the mapping editor, the sample stays
    assert at.session_state["pending_dataset"] is not None and not errors(at), errors(at)
    assert at.session_state["dataset"].is_sample
    fake.sheets[PUBLIC].tabs[77].rows = rows_of(small_deals(40))
    other = open_link(new_session(fake), PUBLIC_URL)
    assert not errors(other), errors(other)
    assert len(other.session_state["dataset"].deals) == 40
    fake.sheets[PUBLIC].tabs[77].rows = rows_of(small_deals(30, seed=2))
    at = open_link(at, PUBLIC_URL)
    assert not errors(at), errors(at)
    assert len(at.session_state["dataset"].deals) == 30


def test_a_copy_no_funnel_is_built_from_leaves_the_cache(data_page, fake):
    """The cache serves only the automatic re-read of a loaded sheet; a copy that failed to
    build is dropped, so that re-read gets the fixed sheet, not the broken copy."""
    loaded = open_link(data_page, PUBLIC_URL)
    fake.sheets[PUBLIC].tabs[77].rows = JUNK
    broken = open_link(new_session(fake), PUBLIC_URL)  # fetched (and cached), no funnel
    assert broken.session_state["pending_dataset"] is not None, errors(broken)
    fake.sheets[PUBLIC].tabs[77].rows = rows_of(small_deals(44, seed=4))
    ds = loaded.session_state["dataset"]
    old = dataclasses.replace(
        ds.sheet_source, fetched_at=ds.sheet_source.fetched_at - timedelta(minutes=10)
    )
    loaded.session_state["dataset"] = dataclasses.replace(ds, sheet_source=old)
    loaded.run()  # the automatic re-read, allowed to take a cached copy
    assert not errors(loaded), errors(loaded)
    assert len(loaded.session_state["dataset"].deals) == 44


def test_the_cache_never_hands_a_private_sheet_to_a_session_without_its_key(
    data_page, fake, sa_key
):
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    at = data_page
    at.file_uploader(key="gs_key_upload").set_value(
        ("key.json", json.dumps(sa_key).encode(), "application/json")
    ).run()
    at = open_link(at, PRIVATE_URL)
    assert len(at.session_state["dataset"].deals) == 25
    other = open_link(new_session(fake), PRIVATE_URL)
    assert any("закрыта" in e for e in errors(other)), errors(other)
    assert other.session_state["dataset"].is_sample
    # Nor through the automatic re-read of a dataset the other session somehow holds.
    stale = dataclasses.replace(
        at.session_state["dataset"].sheet_source,
        fetched_at=at.session_state["dataset"].sheet_source.fetched_at - timedelta(minutes=10),
    )
    other.session_state["dataset"] = dataclasses.replace(
        at.session_state["dataset"], sheet_source=stale
    )
    other.run()
    assert any("закрыта" in e for e in errors(other)), errors(other)


def test_quota_on_a_first_open_says_press_open_again(data_page, fake):
    fake.sheets[PUBLIC].status = 429
    at = open_link(data_page, PUBLIC_URL)
    [message] = errors(at)
    assert "(квота)" in message and "нажмите «Открыть» ещё раз" in message, message
    assert "Обновить сейчас" not in message
    assert not any(b.key == "gs_refresh" for b in at.button)


def test_not_shared_points_up_to_the_private_section_and_names_the_known_title(data_page, fake):
    at = open_link(data_page, PUBLIC_URL)
    fake.sheets[PUBLIC].public = False
    at = open_link(at, PUBLIC_URL)
    [message] = errors(at)
    assert message.startswith("Таблица «Сделки» закрыта"), message  # not "Google Sheets 1Pub…"
    assert "(раздел «Закрытая таблица» выше на странице «Данные»)" in message
    assert "ниже" not in message
    # The section is drawn above the message on the page.
    labels = [type(el).__name__ + ":" + str(getattr(el, "label", "")) for el in _walk(at.main)]
    section = next(i for i, x in enumerate(labels) if "Закрытая таблица" in x)
    error = next(i for i, el in enumerate(_walk(at.main)) if el in at.error)
    assert section < error


def _walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def test_share_with_says_where_to_add_the_address(data_page, fake, sa_key):
    at = data_page
    at.secrets[sources.SECRETS_SECTION] = sa_key
    at.run()
    shown = [m.value for m in at.markdown]
    assert "В «Настройках доступа» таблицы добавьте читателем адрес:" in shown, shown


def test_a_key_google_rejects_is_told_apart_from_a_malformed_file(data_page, fake, sa_key):
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    unknown = service_account_key()  # well formed, but Google never issued it
    at = data_page
    at.file_uploader(key="gs_key_upload").set_value(
        ("old-key.json", json.dumps(unknown).encode(), "application/json")
    ).run()
    assert not errors(at), errors(at)
    at = open_link(at, PRIVATE_URL)
    [message] = errors(at)
    assert message.startswith(
        "Google не принял этот ключ: он удалён или отозван. Создайте новый ключ в Google Cloud "
        "и загрузите его."
    ), message
    assert "не подходит" not in message
    assert at.session_state["dataset"].is_sample


def test_one_name_for_the_sheet_in_every_place(data_page, fake, sa_key):
    fake.sheets[PUBLIC].title = "Сделки CRM"
    at = open_link(data_page, PUBLIC_URL)
    name = "Сделки CRM · Май"
    assert at.session_state["dataset"].name == name
    assert any(s.value == f"Открыта Google Таблица «{name}»." for s in at.success)
    captions = [c.value for c in at.caption]
    assert any(c.startswith(f"Google Таблица «{name}» · получена") for c in captions), captions
    assert any(c.startswith(f"Источник: «{name}» · 40 сделок") for c in captions), captions
    # The same tab read through the API is named the same way.
    at.file_uploader(key="gs_key_upload").set_value(
        ("key.json", json.dumps(sa_key).encode(), "application/json")
    ).run()
    at = open_link(at, PUBLIC_URL)
    assert at.session_state["dataset"].name == name
    captions = [x.value for x in at.caption]
    assert any(c.startswith(f"Источник: «{name}» · 40 сделок") for c in captions), captions


def test_the_preview_note_of_a_sheet_has_no_encoding_or_delimiter(data_page, fake):
    at = open_link(data_page, PUBLIC_URL)
    [note] = [c.value for c in at.caption if c.value.startswith("Заголовок найден")]
    assert "utf-8" not in note and "«,»" not in note, note
    assert note.endswith("пропущено пустых/итоговых: 0."), note


@pytest.mark.parametrize(
    ("section", "words"),
    [
        ({"type": "service_account", "private_key_id": "abc123SECRET"}, "client_email"),
        ({"client_email": "x@y.iam.gserviceaccount.com", "private_key": "SECRET-PEM"}, "type"),
    ],
)
def test_secrets_missing_fields_are_named_never_shown(data_page, fake, section, words):
    at = data_page
    at.secrets[sources.SECRETS_SECTION] = section
    at.run()
    [message] = errors(at)
    assert "[gcp_service_account]" in message and words in message, message
    assert "SECRET" not in message and "abc123" not in message
    at = open_link(at, PUBLIC_URL)  # public links still open
    assert at.session_state["dataset"].name == "Сделки · Май"


def test_a_secrets_file_that_does_not_parse_is_said(data_page, fake, tmp_path, monkeypatch):
    from streamlit import config

    path = tmp_path / "secrets.toml"
    path.write_text(
        '[gcp_service_account]\ntype = "service_account"\nprivate_key = "-----BEGIN SECRET\n',
        encoding="utf-8",
    )
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    import streamlit as st

    st.secrets._reset()
    try:
        at = data_page
        at.run()
        [message] = errors(at)
        assert "secrets.toml" in message and "строке 3" in message, message
        assert "BEGIN" not in message
    finally:
        config.set_option("secrets.files", saved)
        st.secrets._reset()


def test_the_english_box_has_no_guillemets(data_page, fake):
    at = data_page
    at.session_state["lang"] = "en"
    at.run()
    at.text_input(key="gs_url_en").input(PUBLIC_URL)
    at.button(key="gs_open").click().run()
    texts = [s.value for s in at.success] + [c.value for c in at.caption]
    assert 'Google Sheet "Сделки · Май" opened.' in texts, texts
    fake.sheets[PUBLIC].public = False
    at.button(key="gs_open").click().run()
    shown = [*errors(at), *(c.value for c in at.caption), *(m.value for m in at.markdown)]
    assert errors(at) and errors(at)[0].startswith('"Сделки" is not shared'), errors(at)
    gs = [x for x in shown if "Google" in x or "sheet" in x.lower()]
    assert not any("«" in x or "»" in x for x in gs), gs
