"""Where a dataset comes from besides an upload: another sheet of a workbook, and Google
Sheets links, with the app's key settings.

A Google Sheet is cached for :data:`SHEET_TTL` seconds, keyed by its link, tab and a fingerprint
of the key that read it (never the key itself), and its mapping is remembered by link, so a
refresh keeps it. What a person asks for («Открыть», a tab, «Обновить сейчас») is always fetched
anew; the cache serves only the automatic re-read of a loaded sheet, and a fetched copy the app
cannot build a funnel from is dropped from it.
"""

from __future__ import annotations

import copy
import logging
import re
import tomllib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from funnel.errors import FunnelError, InputError
from funnel.io import google_access, gsheets, guard
from funnel.spec import Spec
from ui.i18n import t
from ui.state import (
    LAST_SPEC,
    Dataset,
    Draft,
    Editable,
    SheetSource,
    build,
    current,
    editing,
    guarded,
    load,
    store,
    store_new,
)

log = logging.getLogger(__name__)

SHEET_KEY = "gsheets_key"  # a service account key uploaded for this session only
SECRETS_SECTION = "gcp_service_account"
SHEET_TITLES = "gsheets_titles"  # spreadsheet id -> its title, once a read in this session said
SHEET_TTL = 300  # seconds a fetched sheet is reused before Google is asked again


@st.cache_data(max_entries=16, show_spinner=False)
def _sheets(data: bytes, name: str) -> list[str]:
    return guard.list_sheets(data, name=name)


@st.cache_data(ttl=SHEET_TTL, max_entries=32, show_spinner=False)
def _fetch_sheet(
    url: str, tab: str | None, fingerprint: str, _credentials: Mapping[str, Any] | None
) -> tuple[gsheets.SheetCsv, datetime]:
    # The leading underscore keeps the key out of the cache key; the fingerprint stands in,
    # so a cached private sheet is served only to a session holding the same key.
    return gsheets.fetch(url, credentials=_credentials, tab=tab), datetime.now(UTC)


def sheets(ds: Editable) -> list[str]:
    if ds.table.sheets or ds.sheet_source is not None:
        return list(ds.table.sheets)
    return guarded(_sheets, ds.data, ds.name) or []


def set_sheet(sheet: str) -> bool:
    """Open another sheet of what the Data page shows (a pending file's too)."""
    ds = editing()
    if ds is None or sheet == ds.table.sheet:
        return False
    if ds.sheet_source is not None:
        return load_sheet(ds.sheet_source.url, tab=sheet)
    return load(ds.data, ds.name, sheet=sheet, is_sample=ds.is_sample)


# ---- Google Sheets --------------------------------------------------------------------------


def _secrets_key() -> tuple[dict[str, Any] | None, str | None]:
    """The key in ``st.secrets[gcp_service_account]`` and, when the settings are broken, a
    message naming the file or section and what is wrong (never a value from it)."""
    try:
        section = st.secrets.get(SECRETS_SECTION)
    except Exception as exc:
        cause = exc.__cause__
        if isinstance(cause, tomllib.TOMLDecodeError):
            m = re.search(r"line (\d+)", str(cause))
            return None, t("gs_secrets_toml", line=m.group(1) if m else "?")
        if getattr(exc, "error_id", None) == "no-secrets-found":
            return None, None  # no secrets.toml at all: public links only
        log.warning("secrets cannot be read: %s", type(exc).__name__)
        return None, t("gs_secrets_unreadable")
    if section is None:
        return None, None
    if not isinstance(section, Mapping):
        return None, t("gs_secrets_not_section", section=SECRETS_SECTION)
    info = {k: str(v) for k, v in section.items()}
    problems = google_access.key_problems(info)
    if problems:
        return None, t("gs_secrets_fields", section=SECRETS_SECTION, fields=", ".join(problems))
    return info, None


def secrets_problem() -> str | None:
    """What is wrong with the app's key settings, for the Data page; None when nothing is."""
    return _secrets_key()[1]


def sheet_credentials() -> dict[str, Any] | None:
    """The service account key to read private sheets with: one uploaded in this session,
    else the app's own from ``st.secrets[gcp_service_account]``; None reads public links only
    (also when the secrets are broken: :func:`secrets_problem` says how)."""
    uploaded = st.session_state.get(SHEET_KEY)
    if uploaded:
        return dict(uploaded)
    return _secrets_key()[0]


def _same_spreadsheet(a: str, b: str) -> bool:
    try:
        return gsheets.parse_link(a).key == gsheets.parse_link(b).key
    except FunnelError:
        return False


def _explain(exc: InputError, url: str) -> InputError:
    """A copy of ``exc`` that names the sheet by the title this session already knows instead
    of its link's id, and says which button to press again after a quota answer."""
    try:
        link = gsheets.parse_link(url)
    except FunnelError:
        return exc
    told = copy.copy(exc)
    title = st.session_state.get(SHEET_TITLES, {}).get(link.key)
    if title and exc.file == link.label:
        told.file = title
    ds = current()
    source = ds.sheet_source if ds is not None else None
    if exc.code == "gsheet_quota" and not (source and _same_spreadsheet(source.url, url)):
        told.code = "gsheet_quota_open"  # no «Обновить сейчас» for a sheet that never loaded
    return told


def _build_sheet(
    url: str,
    tab: str | None,
    credentials: Mapping[str, Any] | None,
    *,
    spec: Spec | None,
    events: tuple[bytes, str] | None,
    fresh: bool,
) -> Dataset | Draft:
    # The key's fingerprint is part of the cache key (the key itself is not): a private sheet
    # read with one key is never served to a session holding another key, or none.
    fingerprint = google_access.credentials_fingerprint(credentials) if credentials else ""
    if fresh:
        _fetch_sheet.clear(url, tab, fingerprint, None)
    try:
        fetched, fetched_at = _fetch_sheet(url, tab, fingerprint, credentials)
        if not fresh and (datetime.now(UTC) - fetched_at).total_seconds() >= SHEET_TTL:
            # A copy at the edge of its lifetime would be stale again at once.
            _fetch_sheet.clear(url, tab, fingerprint, None)
            fetched, fetched_at = _fetch_sheet(url, tab, fingerprint, credentials)
    except InputError as exc:
        raise _explain(exc, url) from exc
    if fetched.title != fetched.link.label:
        st.session_state.setdefault(SHEET_TITLES, {})[fetched.link.key] = fetched.title
    try:
        table = guard.sheet_table(fetched)
        source = SheetSource(url=url, tab=tab, link=fetched.link.url, fetched_at=fetched_at)
        remembered = spec is None
        if remembered:
            spec = st.session_state.get(LAST_SPEC, {}).get(source.link)
        built = build(
            fetched.data,
            table.name,
            table.sheet,
            spec=spec,
            events=events,
            table=table,
            sheet_source=source,
            fallback=remembered,
        )
    except Exception:
        # No funnel from this copy: drop it, so that the sheet fixed in Google is read anew
        # by the next read of any session, not served from the cache for minutes.
        _fetch_sheet.clear(url, tab, fingerprint, None)
        raise
    if isinstance(built, Draft):
        # No funnel from this copy either (it waits for a mapping): not one to serve again.
        _fetch_sheet.clear(url, tab, fingerprint, None)
    return built


def load_sheet(url: str, *, tab: str | None = None) -> bool:
    """Open a Google Sheets link (a tab of it by title), always fetched from Google anew; its
    remembered mapping is applied when it still fits. On failure the message is flashed and the
    old dataset stays."""
    ds = guarded(_build_sheet, url, tab, sheet_credentials(), spec=None, events=None, fresh=True)
    if ds is None:
        return False
    store_new(ds)
    return True


def refresh(*, fresh: bool = True) -> bool:
    """Fetch the current sheet from Google again, keeping the mapping and stage history.

    ``fresh=False`` (the automatic re-read of a sheet past its lifetime) takes a copy another
    session fetched with the same key within :data:`SHEET_TTL`, when there is one."""
    ds = current()
    if ds is None or ds.sheet_source is None:
        return False
    events = (ds.events_data, ds.events_name) if ds.events_data and ds.events_name else None
    source = ds.sheet_source
    new = guarded(
        _build_sheet,
        source.url,
        source.tab,
        sheet_credentials(),
        spec=ds.spec,
        events=events,
        fresh=fresh,
    )
    if new is None or isinstance(new, Draft):  # a Draft cannot come of a mapped sheet
        return False
    store(new)  # a file waiting for its mapping keeps waiting
    return True


def is_stale(ds: Dataset, now: datetime | None = None) -> bool:
    """True when a sheet dataset was fetched longer than the cache's time-to-live ago."""
    if ds.sheet_source is None:
        return False
    age = (now or datetime.now(UTC)) - ds.sheet_source.fetched_at
    return age.total_seconds() > SHEET_TTL
