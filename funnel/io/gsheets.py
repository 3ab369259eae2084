"""Google Sheets links to tables: link parsing, the public CSV export and gspread reads.

A tab is turned into CSV bytes and read by :func:`funnel.io.readers.read_table`, so a sheet gets
the same header finding and tidying as an uploaded CSV. Every request goes through
:func:`funnel.io.google_access.google_session`, which reaches Google's hosts only.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import requests

from funnel.errors import InputError
from funnel.io.google_access import (
    MAX_REDIRECTS,
    SIGN_IN_HOSTS,
    bad_key,
    google_session,
    is_google_host,
    key_rejected,
    service_account_email,
)
from funnel.io.readers import Table, read_table

SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)

_ID = re.compile(r"^/spreadsheets/d/([A-Za-z0-9_-]{20,})")
_PUBLISHED = re.compile(r"^/spreadsheets/d/e/(2PACX-[A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class SheetLink:
    """What a pasted link points at: a spreadsheet (or a published copy) and maybe one tab.

    >>> link = parse_link("https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWx/edit#gid=42")
    >>> link.key, link.gid, link.published
    ('1AbCdEfGhIjKlMnOpQrStUvWx', '42', False)
    >>> link.csv_url
    'https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWx/export?format=csv&gid=42'
    """

    key: str  # the spreadsheet id, or the 2PACX- id of a published-to-web copy
    gid: str | None = None  # the tab's numeric id; None means the first tab
    published: bool = False

    @property
    def url(self) -> str:
        """The canonical link of this tab: the key the app remembers a mapping by."""
        if self.published:
            base = f"https://docs.google.com/spreadsheets/d/e/{self.key}/pubhtml"
            return base + (f"?gid={self.gid}" if self.gid else "")
        base = f"https://docs.google.com/spreadsheets/d/{self.key}/edit"
        return base + (f"#gid={self.gid}" if self.gid else "")

    @property
    def csv_url(self) -> str:
        gid = f"&gid={self.gid}" if self.gid else ""
        if self.published:
            single = "&single=true" if self.gid else ""
            return (
                f"https://docs.google.com/spreadsheets/d/e/{self.key}/pub?output=csv{gid}{single}"
            )
        return f"https://docs.google.com/spreadsheets/d/{self.key}/export?format=csv{gid}"

    @property
    def label(self) -> str:
        """A short name for messages before the sheet's title is known."""
        return f"Google Sheets {self.key[:10]}…"

    def with_gid(self, gid: str | None) -> SheetLink:
        return dataclasses.replace(self, gid=gid)


TAB_SEPARATOR = " · "


def sheet_name(title: str, tab: str | None) -> str:
    """The one way a Google Sheet is named everywhere: "Сделки CRM · Март" (title, tab).

    >>> sheet_name("Сделки CRM", "Март"), sheet_name("Сделки CRM", None)
    ('Сделки CRM · Март', 'Сделки CRM')
    """
    return f"{title}{TAB_SEPARATOR}{tab}" if tab else title


@dataclass(frozen=True)
class SheetCsv:
    """One tab fetched as CSV bytes, with what is known of where it came from."""

    link: SheetLink  # gid filled in when the tab is known
    title: str  # the spreadsheet's title (the link's label when Google did not say)
    data: bytes
    tab: str | None = None  # the tab's title, when known
    tabs: tuple[str, ...] = ()  # every tab's title (the API path only)

    @property
    def name(self) -> str:
        """The sheet as the app names it: see :func:`sheet_name`."""
        return sheet_name(self.title, self.tab)


def parse_link(url: str) -> SheetLink:
    """The spreadsheet and tab a Google Sheets link points at.

    Share links, ``/edit#gid=`` links of a tab, ``?gid=`` links and published-to-web links
    (``/d/e/2PACX-.../pubhtml``) are understood. Anything not on docs.google.com is refused
    with code ``not_google`` before any request is made.
    """
    text = url.strip()
    parts = urlsplit(text if "://" in text else "https://" + text)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host != "docs.google.com":
        raise InputError(
            "Only Google Sheets links (https://docs.google.com/spreadsheets/...) can be opened.",
            code="not_google",
            file=host or text[:60],
            expected="a link starting with https://docs.google.com/spreadsheets/",
        )
    query = parse_qs(parts.query)
    fragment = parse_qs(parts.fragment)
    found = fragment.get("gid") or query.get("gid") or []
    gid = found[0] if found and found[0].isdigit() else None
    path = unquote(parts.path)
    if m := _PUBLISHED.match(path):
        return SheetLink(m.group(1), gid, published=True)
    if m := _ID.match(path):
        return SheetLink(m.group(1), gid)
    raise InputError(
        "This Google link is not a spreadsheet.",
        code="gsheet_bad_link",
        file=text[:80],
        expected="a link of the form https://docs.google.com/spreadsheets/d/<id>/edit",
    )


# ---- public links: the CSV export ----------------------------------------------------------


def _network_error(link: SheetLink, exc: requests.RequestException) -> InputError:
    if isinstance(exc, requests.Timeout):
        return InputError("Google did not answer in time.", code="gsheet_timeout", file=link.label)
    return InputError(
        f"Google cannot be reached: {type(exc).__name__}.",
        code="gsheet_unreachable",
        file=link.label,
    )


def _status_error(link: SheetLink, status: int) -> InputError:
    if status == 429:
        return InputError(
            "Google's request quota is used up; try again in a minute.",
            code="gsheet_quota",
            file=link.label,
        )
    if status in (401, 403):
        return _not_shared(link)
    if status == 404:
        return InputError("No such spreadsheet.", code="gsheet_not_found", file=link.label)
    if status == 400 and link.gid:
        return InputError(
            f"The spreadsheet has no tab with gid {link.gid}.",
            code="gsheet_tab_not_found",
            file=link.label,
        )
    return InputError(
        f"Google answered with HTTP {status}.", code="gsheet_unreachable", file=link.label
    )


def _not_shared(link: SheetLink) -> InputError:
    return InputError(
        "The spreadsheet is not shared: Google asks to sign in.",
        code="gsheet_not_shared",
        file=link.label,
        expected="sharing set to 'Anyone with the link can view', or a service account",
    )


_FILENAME_STAR = re.compile(r"filename\*\s*=\s*UTF-8''([^;]+)", re.IGNORECASE)
_FILENAME = re.compile(r'filename\s*=\s*"([^"]+)"', re.IGNORECASE)


def _download_name(response: requests.Response) -> tuple[str, str | None] | None:
    """The spreadsheet's title and tab from the export's file name, "<title> - <tab>.csv".

    A title holds " - " more often than a tab name does, so the last one splits them.
    """
    disposition = response.headers.get("Content-Disposition", "")
    if m := _FILENAME_STAR.search(disposition):
        name = unquote(m.group(1))
    elif m := _FILENAME.search(disposition):
        name = m.group(1)
    else:
        return None
    name = re.sub(r"\.csv$", "", name.strip(), flags=re.IGNORECASE).strip()
    if not name:
        return None
    title, sep, tab = name.rpartition(" - ")
    if sep and title.strip() and tab.strip():
        return title.strip(), tab.strip()
    return name, None


def fetch_public(link: SheetLink, *, session: requests.Session | None = None) -> SheetCsv:
    """The tab of a sheet shared "anyone with the link" (or published), through its CSV export.

    Google answers a sheet that is not shared with a sign-in page (a redirect to
    accounts.google.com, or HTML with status 200), which becomes code ``gsheet_not_shared``.
    """
    session = session or google_session()
    url = link.csv_url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = session.get(url, allow_redirects=False)
            if not response.is_redirect:
                break
            url = urljoin(url, response.headers.get("Location", ""))
            host = (urlsplit(url).hostname or "").lower()
            if host in SIGN_IN_HOSTS:
                raise _not_shared(link)
            if not is_google_host(host) or urlsplit(url).scheme != "https":
                raise InputError(
                    f"Google redirected the sheet to {host or url[:60]}, which is not Google's; "
                    "it was not fetched.",
                    code="gsheet_foreign_redirect",
                    file=link.label,
                    params={"host": host},
                )
        else:
            raise InputError(
                "Google redirected too many times.", code="gsheet_unreachable", file=link.label
            )
    except requests.RequestException as exc:
        raise _network_error(link, exc) from exc
    if response.status_code != 200:
        raise _status_error(link, response.status_code)
    content_type = response.headers.get("Content-Type", "").lower()
    if "html" in content_type or response.content.lstrip()[:15].lower().startswith(
        (b"<!doctype html", b"<html")
    ):
        raise _not_shared(link)
    title, tab = _download_name(response) or (link.label, None)
    return SheetCsv(link=link, title=title, data=response.content, tab=tab)


# ---- private sheets: gspread with a service account ----------------------------------------


def _client(info: Mapping[str, Any], session: requests.Session) -> Any:
    import gspread
    from google.auth.transport.requests import AuthorizedSession, Request
    from google.oauth2.service_account import Credentials

    token_host = urlsplit(str(info.get("token_uri", ""))).hostname or ""
    if not is_google_host(token_host):
        # The key names where its signed token request goes: Google's, or nowhere.
        raise bad_key(f"its token_uri points at {token_host or '?'}, not at Google")
    try:
        creds = Credentials.from_service_account_info(dict(info), scopes=list(SCOPES))
    except (ValueError, KeyError, TypeError) as exc:
        raise bad_key("the private key does not load") from exc
    authed = AuthorizedSession(creds, auth_request=Request(session))
    for prefix, adapter in session.adapters.items():
        authed.mount(prefix, adapter)
    authed.max_redirects = session.max_redirects
    return gspread.Client(auth=None, session=authed)  # type: ignore[arg-type]


def _api_error(link: SheetLink, exc: Exception, email: str) -> InputError:
    import google.auth.exceptions as gexc
    import gspread

    if isinstance(exc, gspread.SpreadsheetNotFound):
        return InputError("No such spreadsheet.", code="gsheet_not_found", file=link.label)
    if isinstance(exc, gspread.WorksheetNotFound):
        return InputError(
            f"The spreadsheet has no such tab ({exc}).",
            code="gsheet_tab_not_found",
            file=link.label,
        )
    if isinstance(exc, PermissionError) or (
        isinstance(exc, gspread.exceptions.APIError) and exc.response.status_code == 403
    ):
        return InputError(
            f"The spreadsheet is not shared with {email}.",
            code="gsheet_not_shared_sa",
            file=link.label,
            expected=f"the sheet shared with {email} (Viewer)",
            params={"email": email},
        )
    if isinstance(exc, gspread.exceptions.APIError):
        return _status_error(link, exc.response.status_code)
    if isinstance(exc, gexc.RefreshError):
        # The token exchange: a key that loads and signs but that Google does not accept
        # (deleted, disabled, its account removed) is "invalid_grant"; a server error Google
        # would retry is not the key's fault.
        if exc.retryable:
            return InputError(
                "Google's sign-in service failed; try again.",
                code="gsheet_unreachable",
                file=link.label,
            )
        data = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], Mapping) else {}
        return key_rejected(str(data.get("error") or "refused"))
    if isinstance(exc, gexc.TransportError | requests.RequestException):
        inner = exc.__cause__ if isinstance(exc.__cause__, requests.RequestException) else exc
        if isinstance(inner, requests.RequestException):
            return _network_error(link, inner)
        return InputError("Google cannot be reached.", code="gsheet_unreachable", file=link.label)
    raise exc


def fetch_private(
    link: SheetLink,
    info: Mapping[str, Any],
    *,
    tab: str | None = None,
    session: requests.Session | None = None,
) -> SheetCsv:
    """One tab of a sheet shared with the service account of ``info``, through the Sheets API.

    The tab is ``tab`` (a title), else the link's gid, else the first tab.
    """
    import google.auth.exceptions as gexc
    import gspread

    if link.published:
        # A published copy has no spreadsheet id the API knows; its CSV is public anyway.
        return fetch_public(link, session=session)
    email = service_account_email(info)
    session = session or google_session()
    try:
        spreadsheet = _client(info, session).open_by_key(link.key)
        worksheets = spreadsheet.worksheets(exclude_hidden=False)
        if tab is not None:
            worksheet = spreadsheet.worksheet(tab)
        elif link.gid is not None:
            worksheet = spreadsheet.get_worksheet_by_id(int(link.gid))
        else:
            worksheet = worksheets[0]
        rows = worksheet.get_all_values()
    except (
        gspread.exceptions.GSpreadException,
        PermissionError,
        gexc.GoogleAuthError,
        requests.RequestException,
    ) as exc:
        raise _api_error(link, exc, email) from exc
    return SheetCsv(
        link=link.with_gid(str(worksheet.id)),
        title=spreadsheet.title,
        data=rows_to_csv(rows),
        tab=worksheet.title,
        tabs=tuple(w.title for w in worksheets),
    )


def rows_to_csv(rows: Iterable[Iterable[object]]) -> bytes:
    """Cell values as CSV text, so a sheet read through the API takes the CSV reading path."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


# ---- the whole read ------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    credentials: Mapping[str, Any] | None = None,
    tab: str | None = None,
    session: requests.Session | None = None,
) -> SheetCsv:
    """The tab a link points at as CSV bytes: with ``credentials`` through the Sheets API,
    else through the public CSV export."""
    link = parse_link(url)
    try:
        if credentials is None:
            return fetch_public(link, session=session)
        try:
            return fetch_private(link, credentials, tab=tab, session=session)
        except InputError as exc:
            if exc.code != "gsheet_not_shared_sa" or tab is not None:
                raise
            # Shared by link but not with the account: the public export still reads it.
            try:
                return fetch_public(link, session=session)
            except InputError:
                raise exc from None
    except InputError as exc:
        if exc.code == "gsheet_too_large":
            exc.file = link.label  # the transport only knew the download host
        raise


def to_table(sheet: SheetCsv) -> Table:
    """Read fetched CSV bytes as a :class:`Table` named after the spreadsheet and tab."""
    if not sheet.data.strip():
        raise InputError("The tab is empty.", code="empty_sheet", file=sheet.name)
    as_file = f"{sheet.name}.csv"  # the reader picks the CSV path by the extension
    try:
        table = read_table(sheet.data, name=as_file)
    except InputError as exc:
        if exc.file == as_file:
            exc.file = sheet.name  # the sheet, not a file name the user never saw
        raise
    return dataclasses.replace(table, name=sheet.name, sheet=sheet.tab, sheets=sheet.tabs)


def read_sheet(
    url: str,
    *,
    credentials: Mapping[str, Any] | None = None,
    tab: str | None = None,
    session: requests.Session | None = None,
) -> Table:
    """Read the tab a Google Sheets link points at, as the file readers read a CSV.

    Every failure is an :class:`InputError`; codes: ``not_google``, ``gsheet_bad_link``,
    ``gsheet_not_shared``, ``gsheet_not_shared_sa``, ``gsheet_not_found``,
    ``gsheet_tab_not_found``, ``gsheet_quota``, ``gsheet_timeout``, ``gsheet_unreachable``,
    ``gsheet_too_large``, ``gsheet_bad_key`` (a malformed key), ``gsheet_key_rejected`` (a key
    Google refused at sign-in), plus the CSV reader's own.
    """
    return to_table(fetch(url, credentials=credentials, tab=tab, session=session))
