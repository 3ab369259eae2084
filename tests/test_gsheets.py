"""funnel.io.gsheets against a fake Google on 127.0.0.1: the real requests, google-auth and gspread
code runs; only the socket of each Google host is routed to the fake."""

from __future__ import annotations

import numpy as np
import pytest

from funnel.detect.infer import infer_spec
from funnel.errors import InputError
from funnel.io import google_access, gsheets
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.prepare import prepare
from tests.e2e_support import LOST, WON, csv_bytes, small_deals
from tests.fake_google import SA_EMAIL, Spreadsheet, Tab, fake_google, service_account_key

PUBLIC = "1PublicSheetAbCdEfGhIjKlMnOpQrStUvWxYz012"
PRIVATE = "1PrivateSheetAbCdEfGhIjKlMnOpQrStUvWxYz01"
PUBLISHED = "2PACX-1vPublishedAbCdEfGhIjKlMnOp"


def rows_of(frame) -> list[list[str]]:
    return [list(map(str, frame.columns)), *frame.astype(str).values.tolist()]


def url(key: str, gid: int | None = None) -> str:
    return f"https://docs.google.com/spreadsheets/d/{key}/edit" + (f"#gid={gid}" if gid else "")


@pytest.fixture(scope="session")
def sa_key():
    return service_account_key()


@pytest.fixture
def fake(sa_key):
    with fake_google() as fake:
        deals = rows_of(small_deals(40))
        fake.sheets[PUBLIC] = Spreadsheet(
            "Сделки 2025",
            {0: Tab("Апрель", deals[:11]), 77: Tab("Май", deals)},
            published_id=PUBLISHED,
        )
        fake.sheets[PRIVATE] = Spreadsheet(
            "CRM", {5: Tab("Сделки", deals), 9: Tab("Архив", deals[:6])}, public=False
        )
        fake.add_key(sa_key)
        yield fake


@pytest.fixture
def session(fake):
    return google_access.google_session(loopback=fake.address)


def code_of(call) -> InputError:
    with pytest.raises(InputError) as info:
        call()
    return info.value


# ---- links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "key", "gid", "published"),
    [
        (f"https://docs.google.com/spreadsheets/d/{PUBLIC}/edit?usp=sharing", PUBLIC, None, False),
        (f"https://docs.google.com/spreadsheets/d/{PUBLIC}/edit#gid=77", PUBLIC, "77", False),
        (f"https://docs.google.com/spreadsheets/d/{PUBLIC}/edit?gid=7#gid=7", PUBLIC, "7", False),
        (f"  docs.google.com/spreadsheets/d/{PUBLIC}/  ", PUBLIC, None, False),
        (f"https://docs.google.com/spreadsheets/d/{PUBLIC}/htmlview", PUBLIC, None, False),
        (f"https://docs.google.com/spreadsheets/d/e/{PUBLISHED}/pubhtml", PUBLISHED, None, True),
        (
            f"https://docs.google.com/spreadsheets/d/e/{PUBLISHED}/pubhtml?gid=77&single=true",
            PUBLISHED,
            "77",
            True,
        ),
    ],
)
def test_links_give_the_spreadsheet_and_tab(link, key, gid, published):
    parsed = gsheets.parse_link(link)
    assert (parsed.key, parsed.gid, parsed.published) == (key, gid, published)
    assert gsheets.parse_link(parsed.url) == parsed  # the canonical link reads back the same


@pytest.mark.parametrize(
    ("link", "code"),
    [
        ("https://example.com/deals.csv", "not_google"),
        (f"https://docs.google.com.evil.example/spreadsheets/d/{PUBLIC}/edit", "not_google"),
        (f"https://evil.example/docs.google.com/spreadsheets/d/{PUBLIC}", "not_google"),
        ("http://127.0.0.1:8501/_stcore/health", "not_google"),
        ("file:///etc/passwd", "not_google"),
        ("ftp://docs.google.com/spreadsheets/d/x", "not_google"),
        (f"https://docs.google.com/document/d/{PUBLIC}/edit", "gsheet_bad_link"),
        ("https://docs.google.com/spreadsheets/u/0/", "gsheet_bad_link"),
    ],
)
def test_other_links_are_refused_without_a_request(fake, session, link, code):
    assert code_of(lambda: gsheets.read_sheet(link, session=session)).code == code
    assert fake.log == []


def test_the_transport_itself_refuses_other_hosts(fake, session):
    for target in ("https://example.com/", "http://docs.google.com/", "https://169.254.169.254/"):
        assert code_of(lambda t=target: session.get(t)).code == "not_google"
    assert fake.log == []


def test_the_loopback_hook_accepts_only_a_loopback_address(monkeypatch):
    monkeypatch.setenv(google_access.LOOPBACK_ENV, "10.0.0.5:80")
    with pytest.raises(ValueError, match="loopback"):
        google_access.google_session()
    monkeypatch.setenv(google_access.LOOPBACK_ENV, "127.0.0.1:9")
    adapter = google_access.google_session().get_adapter("https://docs.google.com/")
    assert isinstance(adapter, google_access.GoogleOnlyAdapter)
    assert adapter.loopback == "127.0.0.1:9"


# ---- public sheets ------------------------------------------------------------------------


def test_public_link_with_a_tab_gid_reads_that_tab(fake, session):
    table = gsheets.read_sheet(url(PUBLIC, 77), session=session)
    expected = small_deals(40)
    assert len(table.frame) == 40 and list(table.frame.columns) == list(expected.columns)
    assert table.frame["Этап сделки"].tolist() == expected["Этап сделки"].tolist()
    # From the export's Content-Disposition, "Сделки 2025 - Май.csv": title and tab.
    assert (table.name, table.sheet) == ("Сделки 2025 · Май", "Май")
    assert table.header_row == 1 and table.delimiter == ","
    hosts = fake.hosts()
    assert hosts == ["docs.google.com", "doc-0s-6k-sheets.googleusercontent.com"]
    assert fake.log[0][2] == f"/spreadsheets/d/{PUBLIC}/export"


def test_public_link_without_gid_reads_the_first_tab(fake, session):
    table = gsheets.read_sheet(url(PUBLIC), session=session)
    assert len(table.frame) == 10 and table.name == "Сделки 2025 · Апрель"


def test_published_to_the_web_link(fake, session):
    link = f"https://docs.google.com/spreadsheets/d/e/{PUBLISHED}/pubhtml?gid=77&single=true"
    assert len(gsheets.read_sheet(link, session=session).frame) == 40


def test_sheet_read_as_the_same_csv_a_file_gives(fake, session):
    """The same header finding and tidying as an upload: title rows above the header skipped."""
    fake.sheets[PUBLIC].tabs[77].rows[:0] = [["Выгрузка сделок за май"], [""]]
    table = gsheets.read_sheet(url(PUBLIC, 77), session=session)
    assert table.header_row == 3 and len(table.frame) == 40
    assert [n.code for n in table.notes] == ["title_rows_skipped"]


@pytest.mark.parametrize("sign_in", ["redirect", "html"])
def test_not_shared_sheet_is_a_sign_in_page_not_an_error_code(fake, session, sign_in):
    fake.sheets[PRIVATE].sign_in = sign_in
    err = code_of(lambda: gsheets.read_sheet(url(PRIVATE), session=session))
    assert err.code == "gsheet_not_shared" and PRIVATE[:10] in str(err)
    # A redirect to the sign-in page is recognised without loading it.
    assert "accounts.google.com" not in fake.hosts() or sign_in == "html"


def test_not_found_and_missing_tab(fake, session):
    missing = "1NoSuchSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123"
    assert code_of(lambda: gsheets.read_sheet(url(missing), session=session)).code == (
        "gsheet_not_found"
    )
    assert code_of(lambda: gsheets.read_sheet(url(PUBLIC, 999), session=session)).code == (
        "gsheet_tab_not_found"
    )


def test_redirect_to_a_non_google_host_is_not_followed(fake, session):
    fake.sheets[PUBLIC].redirect_to = "https://evil.example"
    err = code_of(lambda: gsheets.read_sheet(url(PUBLIC, 77), session=session))
    assert err.code == "gsheet_foreign_redirect" and err.params == {"host": "evil.example"}
    assert fake.hosts() == ["docs.google.com"]


def test_redirect_followed_by_requests_is_checked_hop_by_hop(fake, session):
    """The transport's own check, for code that lets requests follow redirects."""
    fake.sheets[PUBLIC].redirect_to = "https://evil.example"
    link = gsheets.parse_link(url(PUBLIC, 77))
    assert code_of(lambda: session.get(link.csv_url)).code == "not_google"
    assert fake.hosts() == ["docs.google.com"]


@pytest.mark.parametrize("with_length", [True, False])
def test_oversize_sheet_is_refused(fake, with_length):
    fake.sheets[PUBLIC].omit_length = not with_length
    small = google_access.google_session(loopback=fake.address, max_bytes=2_000)
    err = code_of(lambda: gsheets.read_sheet(url(PUBLIC, 77), session=small))
    assert err.code == "gsheet_too_large" and err.params == {"limit_bytes": 2_000}
    assert err.file == gsheets.parse_link(url(PUBLIC)).label


def test_timeout_and_network_errors_are_messages(fake):
    fake.sheets[PUBLIC].delay = 1.5
    slow = google_access.google_session(loopback=fake.address, timeout=(2.0, 0.3))
    # The sheet answers after 1.5 s: only a read timeout (0.3 s) can make this gsheet_timeout.
    assert code_of(lambda: gsheets.read_sheet(url(PUBLIC), session=slow)).code == "gsheet_timeout"
    from tests.e2e_support import free_port

    down = google_access.google_session(loopback=f"127.0.0.1:{free_port()}")
    err = code_of(lambda: gsheets.read_sheet(url(PUBLIC), session=down))
    assert err.code == "gsheet_unreachable"


def test_quota_429_is_its_own_message(fake, session, sa_key):
    fake.sheets[PUBLIC].status = 429
    assert code_of(lambda: gsheets.read_sheet(url(PUBLIC), session=session)).code == (
        "gsheet_quota"
    )
    fake.sheets[PRIVATE].status = 429
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    err = code_of(lambda: gsheets.read_sheet(url(PRIVATE), credentials=sa_key, session=session))
    assert err.code == "gsheet_quota"


# ---- private sheets with a service account ------------------------------------------------


def test_private_sheet_with_a_service_account(fake, session, sa_key):
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    table = gsheets.read_sheet(url(PRIVATE), credentials=sa_key, session=session)
    assert (table.name, table.sheet, table.sheets) == (
        "CRM · Сделки",
        "Сделки",
        ("Сделки", "Архив"),
    )
    assert len(table.frame) == 40
    # The JWT was signed with the key and checked by the fake's token endpoint first.
    assert fake.log[0] == ("POST", "oauth2.googleapis.com", "/token")
    assert {h for _, h, _ in fake.log[1:]} == {"sheets.googleapis.com"}
    # Tabs: by the link's gid, or by title (the app's tab choice).
    by_gid = gsheets.fetch(url(PRIVATE, 9), credentials=sa_key, session=session)
    assert (by_gid.tab, by_gid.link.gid) == ("Архив", "9")
    assert gsheets.read_sheet(url(PRIVATE), credentials=sa_key, tab="Архив", session=session)
    assert google_access.service_account_email(sa_key) == SA_EMAIL


def test_private_sheet_not_shared_with_the_account_names_it(fake, session, sa_key):
    err = code_of(lambda: gsheets.read_sheet(url(PRIVATE), credentials=sa_key, session=session))
    assert err.code == "gsheet_not_shared_sa" and err.params == {"email": SA_EMAIL}
    missing = "1NoSuchSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123"
    err = code_of(lambda: gsheets.read_sheet(url(missing), credentials=sa_key, session=session))
    assert err.code == "gsheet_not_found"
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    err = code_of(
        lambda: gsheets.read_sheet(url(PRIVATE), credentials=sa_key, tab="Нет", session=session)
    )
    assert err.code == "gsheet_tab_not_found"


def test_a_key_does_not_stop_a_link_shared_sheet_from_opening(fake, session, sa_key):
    fake.sheets[PUBLIC].public = False  # the API refuses the account...
    fake.sheets[PUBLIC].export_public = True  # ...while the link still opens the export
    table = gsheets.read_sheet(url(PUBLIC, 77), credentials=sa_key, session=session)
    assert len(table.frame) == 40
    assert ("GET", "docs.google.com", f"/spreadsheets/d/{PUBLIC}/export") in fake.log


def test_one_name_for_a_sheet_read_by_link_or_by_the_api(fake, session, sa_key):
    """The same tab is "title · tab" whichever way it is read; a title with " - " in it too."""
    fake.sheets[PUBLIC].title = "Сделки CRM - 2025"
    by_link = gsheets.fetch(url(PUBLIC, 77), session=session)
    by_api = gsheets.fetch(url(PUBLIC, 77), credentials=sa_key, session=session)
    assert by_link.name == by_api.name == "Сделки CRM - 2025 · Май"
    assert (
        (by_link.title, by_link.tab) == (by_api.title, by_api.tab) == ("Сделки CRM - 2025", "Май")
    )
    assert gsheets.to_table(by_link).name == gsheets.to_table(by_api).name


def test_a_key_google_rejects_is_not_called_malformed(fake, session, sa_key):
    """A well-formed key Google refuses at the token exchange (deleted, revoked, never issued)
    is gsheet_key_rejected; a key that does not even load stays gsheet_bad_key."""
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    unknown = service_account_key()  # never registered with the fake: invalid_grant
    err = code_of(lambda: gsheets.read_sheet(url(PRIVATE), credentials=unknown, session=session))
    assert err.code == "gsheet_key_rejected" and "invalid_grant" in err.message
    assert unknown["private_key"][40:80] not in str(err)
    assert fake.log == [("POST", "oauth2.googleapis.com", "/token")]

    assert gsheets.read_sheet(url(PRIVATE), credentials=sa_key, session=session)
    fake.revoke_key(sa_key)  # deleted in Google Cloud after it worked
    fresh = google_access.google_session(loopback=fake.address)  # no token kept
    err = code_of(lambda: gsheets.read_sheet(url(PRIVATE), credentials=sa_key, session=fresh))
    assert err.code == "gsheet_key_rejected"

    broken = {**sa_key, "private_key": "-----BEGIN PRIVATE KEY-----\nnot a key\n"}
    err = code_of(lambda: gsheets.read_sheet(url(PRIVATE), credentials=broken, session=session))
    assert err.code == "gsheet_bad_key"


def test_a_key_that_points_elsewhere(fake, session):
    unknown = service_account_key()
    fake.sheets[PRIVATE].shared_with.add(SA_EMAIL)
    fake.log.clear()
    elsewhere = {**unknown, "token_uri": f"http://{fake.address}/token"}
    err = code_of(lambda: gsheets.read_sheet(url(PRIVATE), credentials=elsewhere, session=session))
    assert err.code == "gsheet_bad_key" and "token_uri" in err.message
    assert fake.log == []  # the signed JWT was sent nowhere


@pytest.mark.parametrize(
    "data",
    [b"not json", b'{"type": "authorized_user"}', b'{"type": "service_account"}', b"\xff\xfe"],
)
def test_bad_key_files_are_one_clear_error(data):
    err = code_of(lambda: google_access.parse_key(data))
    assert err.code == "gsheet_bad_key" and err.expected


def test_key_fingerprint_tells_keys_apart_without_showing_them(sa_key):
    other = service_account_key()
    fp = google_access.credentials_fingerprint(sa_key)
    assert fp != google_access.credentials_fingerprint(other) and len(fp) == 16
    assert fp not in sa_key["private_key"]


# ---- a big sheet --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("private", [False, True], ids=["public-csv", "service-account"])
def test_fifty_thousand_rows_load_with_the_right_funnel(fake, session, sa_key, private):
    frame = small_deals(50_000)
    fake.sheets[PUBLIC].tabs[77].rows = rows_of(frame)
    fake.sheets[PUBLIC].shared_with.add(SA_EMAIL)
    table = gsheets.read_sheet(
        url(PUBLIC, 77), credentials=sa_key if private else None, session=session
    )
    assert len(table.frame) == 50_000

    spec = infer_spec(table.frame).spec
    total = funnel(prepare(table.frame, spec))
    stages = frame["Этап сделки"]
    assert int(total.deals[0]) == 50_000
    assert int(total.won[0]) == int((stages == WON).sum()) == 10_000
    assert int(total.lost[0]) == int((stages == LOST).sum()) == 10_000
    # The same numbers as the same rows uploaded as a CSV file.
    as_file = read_table(csv_bytes(frame, encoding="utf-8", sep=","), name="deals.csv").frame
    assert np.array_equal(funnel(prepare(as_file, spec)).at, total.at)
