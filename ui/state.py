"""The user's dataset in the session: file bytes, table, detection, spec and prepared deals.

Every engine call goes through :func:`guarded`: a bad file or mapping shows a message in the
user's language and the last good dataset stays loaded. Only reading is cached, keyed by the
file's bytes, so nothing one user loads is visible to another. A Google Sheet is cached for
:data:`SHEET_TTL` seconds, keyed by its link, tab and a fingerprint of the key that read it
(never the key itself), and its mapping is remembered by link, so a refresh keeps it. What a
person asks for («Открыть», a tab, «Обновить сейчас») is always fetched anew; the cache serves
only the automatic re-read of a loaded sheet, and a fetched copy the app cannot build a funnel
from is dropped from it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from funnel.deals import Deals
from funnel.detect.infer import Inference, infer_spec
from funnel.detect.pipelines import infer_pipeline, pipeline_values
from funnel.errors import FunnelError, InputError
from funnel.io import google_access, gsheets
from funnel.io.readers import Table, list_sheets, read_table
from funnel.prepare import prepare
from funnel.spec import Spec
from ui.i18n import t
from ui.notices import error_text

log = logging.getLogger(__name__)
T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = ROOT / "sample_data" / "amocrm_export.xlsx"
# The sample's confirmed mappings, one per pipeline; the first is the one it opens on.
SAMPLE_SPECS = tuple(
    ROOT / "sample_data" / f"amocrm_export.{slug}.spec.yaml"
    for slug in ("security", "media", "doors")
)
SAVED = "saved_specs"

DATASET = "dataset"
PENDING = "pending_dataset"  # a Draft waiting for its mapping; the current Dataset stays
ERRORS = "flash_errors"
VERSION = "dataset_version"
LAST_SPEC = "last_spec_by_source"
SHEET_KEY = "gsheets_key"  # a service account key uploaded for this session only
SECRETS_SECTION = "gcp_service_account"
SHEET_TITLES = "gsheets_titles"  # spreadsheet id -> its title, once a read in this session said
SHEET_TTL = 300  # seconds a fetched sheet is reused before Google is asked again


@dataclass(frozen=True)
class SheetSource:
    """Where a Google Sheet dataset came from, to fetch it again on refresh."""

    url: str  # the link as pasted (or the CLI/test gave it)
    tab: str | None  # the tab asked for by title; None: the link's tab or the first
    link: str  # the canonical link of the tab read: the key its mapping is remembered by
    fetched_at: datetime  # when Google answered (UTC), cached or not


@dataclass(frozen=True)
class Source:
    """One source read and detected, with the mapping it is shown under; never mutated."""

    data: bytes
    name: str
    table: Table
    inference: Inference
    spec: Spec
    is_sample: bool = False
    events_data: bytes | None = None
    events_name: str | None = None
    events_table: Table | None = None
    sheet_source: SheetSource | None = None

    @cached_property
    def key(self) -> str:
        """The key of saved mappings: a sheet's link (its content changes on refresh), else
        the file's content hash, computed once per source."""
        if self.sheet_source is not None:
            return self.sheet_source.link
        return digest(self.data)

    @property
    def sheet(self) -> str | None:
        """The workbook sheet of a file. A Google Sheet's tab is part of its name already
        ("Сделки CRM · Март"), so it is not named twice; its tab is ``table.sheet``."""
        return None if self.sheet_source is not None else self.table.sheet

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    @property
    def events_frame(self) -> pd.DataFrame | None:
        return self.events_table.frame if self.events_table is not None else None

    def fields(self) -> dict[str, Any]:
        """The source's own fields, to build a :class:`Dataset` or :class:`Draft` from it."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(Source)}


@dataclass(frozen=True, kw_only=True)
class Dataset(Source):
    """A source with its deals: what every page shows."""

    deals: Deals


@dataclass(frozen=True)
class Draft(Source):
    """A source read and detected that makes no funnel yet (no stage was recognised): shown in
    the mapping editor on the Data page while the last good :class:`Dataset` stays current."""


Editable = Dataset | Draft


# ---- cached I/O edge ------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def _read(data: bytes, name: str, sheet: str | None) -> Table:
    return read_table(data, name=name, sheet=sheet)


@st.cache_data(max_entries=16, show_spinner=False)
def _sheets(data: bytes, name: str) -> list[str]:
    return list(list_sheets(data, name=name))


@st.cache_data(ttl=SHEET_TTL, max_entries=32, show_spinner=False)
def _fetch_sheet(
    url: str, tab: str | None, fingerprint: str, _credentials: Mapping[str, Any] | None
) -> tuple[gsheets.SheetCsv, datetime]:
    # The leading underscore keeps the key out of the cache key; the fingerprint stands in,
    # so a cached private sheet is served only to a session holding the same key.
    return gsheets.fetch(url, credentials=_credentials, tab=tab), datetime.now(UTC)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


# ---- errors ---------------------------------------------------------------------------------


def flash_error(message: str) -> None:
    st.session_state.setdefault(ERRORS, []).append(message)


def show_errors() -> None:
    """Render (and clear) the messages of failed operations, with a note that old data stays."""
    messages = st.session_state.get(ERRORS) or []
    for message in messages:
        extra = f" {t('kept_previous')}" if current() is not None else ""
        st.error(message + extra)
    st.session_state[ERRORS] = []


def guarded(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run an engine call; on any failure flash a translated message and return None."""
    try:
        return fn(*args, **kwargs)
    except FunnelError as exc:
        flash_error(error_text(exc))
    except Exception as exc:  # no traceback may reach the user; the log keeps it
        log.exception("engine call failed")
        flash_error(t("error_unexpected", kind=type(exc).__name__))
    return None


# ---- session --------------------------------------------------------------------------------


def current() -> Dataset | None:
    return st.session_state.get(DATASET)


def version() -> int:
    return int(st.session_state.get(VERSION, 0))


def _store(ds: Dataset) -> None:
    st.session_state[DATASET] = ds
    st.session_state[VERSION] = version() + 1


def pending() -> Draft | None:
    """A loaded source waiting for its mapping (the Data page edits it), if any."""
    return st.session_state.get(PENDING)


def editing() -> Editable | None:
    """What the Data page shows and its editor maps: the pending source, else the current."""
    return pending() or current()


def discard_pending() -> None:
    if st.session_state.pop(PENDING, None) is not None:
        st.session_state[VERSION] = version() + 1


def _store_new(built: Dataset | Draft) -> None:
    """A newly loaded source: a Dataset replaces the current one (and any pending source); a
    Draft waits in the editor while the last good Dataset stays current for the other pages."""
    if isinstance(built, Draft):
        st.session_state[PENDING] = built
        st.session_state[VERSION] = version() + 1
        return
    st.session_state.pop(PENDING, None)
    _store(built)


def _build(
    data: bytes,
    name: str,
    sheet: str | None,
    *,
    is_sample: bool = False,
    spec: Spec | None = None,
    events: tuple[bytes, str] | None = None,
    table: Table | None = None,
    sheet_source: SheetSource | None = None,
    fallback: bool = False,
) -> Dataset | Draft:
    """Everything derived from one source; ``fallback`` lets a remembered ``spec`` that no
    longer fits the data give way to the proposed one instead of failing. A source in which
    detection found no stage comes back as a :class:`Draft` for the mapping editor."""
    if table is None:
        table = _read(data, name, sheet)
    events_table = _read(events[0], events[1], None) if events else None
    ev_frame = events_table.frame if events_table is not None else None
    inference = infer_spec(table.frame, ev_frame)
    if spec is not None and fallback:
        try:
            prepare(table.frame, spec, events=ev_frame, source=name)
        except FunnelError:
            spec = None
    proposed = spec is None
    spec = spec or inference.spec
    source = Source(
        data=data,
        name=name,
        table=table,
        inference=inference,
        spec=spec,
        is_sample=is_sample,
        events_data=events[0] if events else None,
        events_name=events[1] if events else None,
        events_table=events_table,
        sheet_source=sheet_source,
    )
    if proposed and not spec.stages:
        # No stage recognised: the file opens into the editor instead of being refused.
        return Draft(**source.fields())
    deals = prepare(table.frame, spec, events=ev_frame, source=name)
    return Dataset(**source.fields(), deals=deals)


def load(data: bytes, name: str, *, sheet: str | None = None, is_sample: bool = False) -> bool:
    """Read, detect and prepare a new file; keep the old dataset when anything fails."""
    ds = guarded(_build, data, name, sheet, is_sample=is_sample)
    if ds is None:
        return False
    _store_new(ds)
    return True


def load_sample() -> bool:
    """The bundled export with the mappings a consultant saved for its pipelines (confirmed
    stage order, the article's six blocks), as a returning user would reload last month's."""
    if not load(SAMPLE_PATH.read_bytes(), SAMPLE_PATH.name, is_sample=True):
        return False
    specs = [
        guarded(Spec.from_yaml, path.read_text(encoding="utf-8"), source=path.name)
        for path in SAMPLE_SPECS
        if path.exists()
    ]
    for spec in reversed([s for s in specs if s is not None]):
        apply_spec(spec)  # each is remembered for its pipeline; the first stays applied
    return True


def ensure_loaded() -> Dataset | None:
    """The first screen opens on the bundled sample."""
    if current() is None and not st.session_state.get("sample_failed") and not load_sample():
        st.session_state["sample_failed"] = True
    return current()


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
        if "no secrets found" in str(exc).lower():
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
    """Name the sheet by the title this session already knows instead of its link's id, and
    say which button to press again after a quota answer."""
    try:
        link = gsheets.parse_link(url)
    except FunnelError:
        return exc
    title = st.session_state.get(SHEET_TITLES, {}).get(link.key)
    if title and exc.file == link.label:
        exc.file = title
    ds = current()
    source = ds.sheet_source if ds is not None else None
    if exc.code == "gsheet_quota" and not (source and _same_spreadsheet(source.url, url)):
        exc.code = "gsheet_quota_open"  # no «Обновить сейчас» for a sheet that never loaded
    return exc


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
        _explain(exc, url)
        raise
    if fetched.title != fetched.link.label:
        st.session_state.setdefault(SHEET_TITLES, {})[fetched.link.key] = fetched.title
    try:
        table = gsheets.to_table(fetched)
        source = SheetSource(url=url, tab=tab, link=fetched.link.url, fetched_at=fetched_at)
        remembered = spec is None
        if remembered:
            spec = st.session_state.get(LAST_SPEC, {}).get(source.link)
        built = _build(
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
    _store_new(ds)
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
    _store(new)  # a file waiting for its mapping keeps waiting
    return True


def is_stale(ds: Dataset, now: datetime | None = None) -> bool:
    """True when a sheet dataset was fetched longer than the cache's time-to-live ago."""
    if ds.sheet_source is None:
        return False
    age = (now or datetime.now(UTC)) - ds.sheet_source.fetched_at
    return age.total_seconds() > SHEET_TTL


def apply_spec(spec: Spec) -> bool:
    """Re-prepare the current data under an edited or uploaded spec."""
    ds = current()
    if ds is None:
        return False
    deals = guarded(prepare, ds.frame, spec, events=ds.events_frame, source=ds.name)
    if deals is None:
        return False
    new = dataclasses.replace(ds, spec=spec, deals=deals)
    _remember(new)
    _store(new)
    return True


def apply_edit(spec: Spec) -> bool:
    """Apply a mapping made on the Data page to what it shows: a pending source becomes the
    current dataset (the other pages switch to it only now); else the current one is
    re-prepared. On failure the message is flashed and nothing changes."""
    draft = pending()
    if draft is None:
        return apply_spec(spec)
    deals = guarded(prepare, draft.frame, spec, events=draft.events_frame, source=draft.name)
    if deals is None:
        return False
    new = Dataset(**{**draft.fields(), "spec": spec}, deals=deals)
    st.session_state.pop(PENDING, None)
    _remember(new)
    _store(new)
    return True


def _saved_key(ds: Editable, pipeline: str | None) -> tuple[str, str]:
    return ds.key, pipeline or ""


def _remember(ds: Dataset) -> None:
    """Keep an applied mapping for this file and pipeline, so switching back restores it."""
    saved = st.session_state.setdefault(SAVED, {})
    saved[_saved_key(ds, current_pipeline(ds))] = ds.spec
    st.session_state.setdefault(LAST_SPEC, {})[ds.key] = ds.spec


def load_spec_yaml(text: str, name: str) -> bool:
    """A saved mapping for what the Data page shows (the pending source, else the current)."""
    spec = guarded(Spec.from_yaml, text, source=name)
    return spec is not None and apply_edit(spec)


def set_events(data: bytes | None, name: str | None) -> bool:
    """Attach (or, with None, detach) a stage history to what the Data page shows; the mapping
    is proposed anew."""
    ds = editing()
    if ds is None:
        return False
    events = (data, name) if data is not None and name else None
    new = guarded(
        _build,
        ds.data,
        ds.name,
        ds.sheet,
        is_sample=ds.is_sample,
        events=events,
        table=ds.table,
        sheet_source=ds.sheet_source,
    )
    if new is None:
        return False
    _store_new(new)
    return True


# ---- pipelines ------------------------------------------------------------------------------


def pipelines(ds: Dataset) -> list[str]:
    """Pipelines of the raw file, largest first, when the spec keeps only one of them."""
    column = ds.spec.columns.get("pipeline")
    if not column or "pipeline" not in ds.spec.filter or column not in ds.frame.columns:
        return []
    return pipeline_values(ds.frame, column)


def current_pipeline(ds: Editable) -> str | None:
    chosen = ds.spec.filter.get("pipeline") or ()
    return chosen[0] if chosen else None


def _infer_pipeline(ds: Dataset, pipeline: str) -> Dataset:
    inference = infer_pipeline(ds.frame, ds.spec.columns["pipeline"], pipeline, ds.events_frame)
    deals = prepare(ds.frame, inference.spec, events=ds.events_frame, source=ds.name)
    return dataclasses.replace(ds, inference=inference, spec=inference.spec, deals=deals)


def switch_pipeline(pipeline: str) -> bool:
    """Show another pipeline of the file: its saved mapping, else stages proposed from its rows."""
    ds = current()
    if ds is None or pipeline == current_pipeline(ds):
        return False
    saved = st.session_state.get(SAVED, {}).get(_saved_key(ds, pipeline))
    if saved is not None:
        deals = guarded(prepare, ds.frame, saved, events=ds.events_frame, source=ds.name)
        new = dataclasses.replace(ds, spec=saved, deals=deals) if deals is not None else None
    else:
        new = guarded(_infer_pipeline, ds, pipeline)
    if new is None:
        return False
    _store(new)
    return True
