"""The user's dataset in the session: file bytes, table, detection, spec and prepared deals.

Every engine call goes through :func:`guarded`: a bad file or mapping shows a message in the
user's language and the last good dataset stays loaded. Only reading is cached, keyed by the
file's bytes, so nothing one user loads is visible to another. Opening another sheet or a
Google Sheets link lives in :mod:`ui.sources`, switching pipelines in :mod:`ui.pipelines`; both
store what they build through this module.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from funnel.deals import Deals
from funnel.detect.infer import Inference, infer_spec
from funnel.economics.compute import spend_for
from funnel.errors import FunnelError, SpecError
from funnel.io import guard
from funnel.io.readers import Table, read_table
from funnel.prepare import prepare
from funnel.snapshots import Coverage, history_from_snapshots
from funnel.spec import Spec
from funnel.spec_spend import SpendSpec
from ui import memory
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
PREVIOUS = "previous_dataset"  # the dataset the current source replaced
PENDING = "pending_dataset"  # a Draft waiting for its mapping; the current Dataset stays
ERRORS = "flash_errors"
VERSION = "dataset_version"
LAST_SPEC = "last_spec_by_source"
# What other modules keep built from the current dataset (ui.memo's slots and chart specs,
# ui.filters' mask): their keys, as both read this module (tests/test_app_memory.py checks them).
DERIVED = ("page_memo", "chart_specs", "filters")


@dataclass
class _Observers:
    """Who is told of what the person did, to keep it (ui.workspaces saves into the store):
    ``stored`` of every new source made current or pending, ``applied`` of every mapping
    applied. Set once, by the router, before any page runs."""

    stored: Callable[[Editable], None] | None = None
    applied: Callable[[Dataset], None] | None = None


OBSERVERS = _Observers()


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
    # Earlier exports of the same source (a workspace's snapshots), oldest first, and the day
    # this one was taken: the stage moves between them are the deals' stage history.
    earlier: tuple[tuple[date, pd.DataFrame], ...] = ()
    taken: date | None = None

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
    coverage: Coverage | None = None  # what the earlier snapshots told, when there are some
    # Why earlier snapshots give this source no history (a SpecError of the snapshots' own,
    # e.g. a source that dates its stages itself): the latest export is shown alone.
    history_refused: FunnelError | None = None


@dataclass(frozen=True)
class Draft(Source):
    """A source read and detected that makes no funnel yet (no stage was recognised): shown in
    the mapping editor on the Data page while the last good :class:`Dataset` stays current."""


Editable = Dataset | Draft


def prepared(src: Source, spec: Spec) -> tuple[Deals, Coverage | None, FunnelError | None]:
    """The deals of ``src`` under ``spec``; with earlier snapshots of the source, prepared over
    the stage history their moves give (merged with the source's own stage history). When the
    snapshots can give none (the source dates its stages itself, say), the latest export is
    prepared alone and the reason comes back third."""
    if not src.earlier or src.taken is None:
        return prepare(src.frame, spec, events=src.events_frame, source=src.name), None, None
    try:
        history = history_from_snapshots(
            [*src.earlier, (src.taken, src.frame)], spec, events=src.events_frame
        )
    except SpecError as exc:
        if not exc.code.startswith("snapshots_"):
            raise
        deals = prepare(src.frame, spec, events=src.events_frame, source=src.name)
        return deals, None, exc
    deals = prepare(history.deal_list, history.spec, events=history.events, source=src.name)
    return deals, history.coverage, None


def with_spec(src: Source, spec: Spec) -> Dataset:
    """``src`` shown under ``spec`` (raises what ``prepare`` raises)."""
    deals, coverage, refused = prepared(src, spec)
    fields = {**src.fields(), "spec": spec}
    return Dataset(**fields, deals=deals, coverage=coverage, history_refused=refused)


# ---- reading ----------------------------------------------------------------------------------


def _read(data: bytes, name: str, sheet: str | None) -> Table:
    """A file a person gave, read in a worker process with a memory cap and a time limit
    (:mod:`funnel.io.guard`): a file that defeats every check costs that worker, never the
    server. Nothing is cached: the dataset in the session holds the one copy."""
    return guard.read_table(data, name=name, sheet=sheet)


@st.cache_resource(show_spinner=False)
def _sample_table() -> Table:
    """The bundled sample, a file of ours: read once per server and shared by every session
    (the engine never changes a frame it is given)."""
    return read_table(SAMPLE_PATH.read_bytes(), name=SAMPLE_PATH.name)


@st.cache_resource(show_spinner=False)
def _sample_inference() -> Inference:
    """What detection proposes for the bundled sample, worked out once per server."""
    return infer_spec(_sample_table().frame)


@st.cache_resource(show_spinner=False)
def _sample_spec(path: str) -> Spec:
    """A bundled sample mapping, parsed once per server (a frozen spec, shared)."""
    return Spec.from_file(path)


@st.cache_resource(show_spinner=False)
def _sample_spend(path: str, sheet: str | None, _kept: SpendSpec, _deals: Deals) -> SpendSpec:
    """A sample mapping's spend sheet read into its rows, once per server: every session opens
    on the same sample deals, so reading and recognising the sheet again for each new session
    (0.15 s of its first screen) gives the same rows. Keyed by the file and its sheet: the
    sample's mappings are files of ours, fixed like the sample."""
    table = read_table(Path(path).read_bytes(), name=Path(path).name, sheet=sheet)
    spend = spend_for(_deals, table.with_headings().frame, _kept, source=Path(path).name)
    return dataclasses.replace(_kept, file=None, rows=spend.to_rows(), columns=spend.columns)


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


def reference() -> str:
    """A short id the person can quote and the server log carries beside the traceback."""
    return secrets.token_hex(4)


def guarded(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run an engine call; on any failure flash a translated message and return None."""
    try:
        return fn(*args, **kwargs)
    except FunnelError as exc:
        if exc.params and exc.params.get(
            "detail"
        ):  # a library's own words: the log's, not the page's
            log.warning("%s (%s): %s", exc.code, exc.file, exc.params["detail"])
        flash_error(error_text(exc))
    except Exception:  # no traceback may reach the user; the log keeps it by reference
        ref = reference()
        log.exception("engine call failed; reference %s", ref)
        flash_error(t("error_unexpected", ref=ref))
    return None


# ---- session --------------------------------------------------------------------------------


def current() -> Dataset | None:
    return st.session_state.get(DATASET)


def version() -> int:
    return int(st.session_state.get(VERSION, 0))


def store(ds: Dataset) -> None:
    """Make ``ds`` the current dataset. The bundled sample it replaces is kept as
    :func:`previous`, to go back to when the new one cannot be shown; a file it replaces is let
    go: a session holds one person's file at a time, not every file they tried."""
    old = current()
    if old is not None and old.key != ds.key:
        if old.is_sample:  # its table is shared by every session: keeping it costs nothing
            st.session_state[PREVIOUS] = old
        elif (before := previous()) is not None and before.key == ds.key:
            st.session_state.pop(PREVIOUS)  # gone back to it: it is the current one now
    # Deleted first: an assignment leaves the old value in Streamlit's copy of the state as the
    # run began, which holds it until the next run.
    st.session_state.pop(DATASET, None)
    st.session_state[DATASET] = ds
    st.session_state[VERSION] = version() + 1
    _held()


def _held() -> None:
    """A dataset was stored, another perhaps dropped: the session is freed when it closes, and
    what the build's temporaries and a dropped dataset used goes back to the system now."""
    _forget_pages()
    memory.watch_session()
    memory.trim()


def _forget_pages() -> None:
    """What the pages and the sidebar's filters kept was built from the dataset shown until
    now (a new version makes new keys): dropped now, not when each is drawn again. Deleted, not
    overwritten later: Streamlit keeps an overwritten value until the run after next."""
    for key in DERIVED:
        st.session_state.pop(key, None)


def previous() -> Dataset | None:
    """The dataset shown before the current source was loaded, if any."""
    return st.session_state.get(PREVIOUS)


def restore_previous() -> None:
    """Go back to :func:`previous`, the sample (the file shown is let go)."""
    before = previous()
    if before is not None:
        store(before)


def pending() -> Draft | None:
    """A loaded source waiting for its mapping (the Data page edits it), if any."""
    return st.session_state.get(PENDING)


def editing() -> Editable | None:
    """What the Data page shows and its editor maps: the pending source, else the current."""
    return pending() or current()


def discard_pending() -> None:
    if st.session_state.pop(PENDING, None) is not None:
        st.session_state[VERSION] = version() + 1


def store_new(built: Dataset | Draft) -> None:
    """A newly loaded source: a Dataset replaces the current one (and any pending source); a
    Draft waits in the editor while the last good Dataset stays current for the other pages."""
    if isinstance(built, Draft):
        st.session_state[PENDING] = built
        st.session_state[VERSION] = version() + 1
        _held()
    else:
        st.session_state.pop(PENDING, None)
        store(built)
    if OBSERVERS.stored is not None:
        OBSERVERS.stored(built)


def build(
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
    earlier: tuple[tuple[date, pd.DataFrame], ...] = (),
    taken: date | None = None,
    inference: Inference | None = None,
) -> Dataset | Draft:
    """Everything derived from one source; ``fallback`` lets a remembered ``spec`` that no
    longer fits the data give way to the proposed one instead of failing. A source in which
    detection found no stage comes back as a :class:`Draft` for the mapping editor."""
    if table is None:
        table = _read(data, name, sheet)
    events_table = _read(events[0], events[1], None) if events else None
    ev_frame = events_table.frame if events_table is not None else None
    if inference is None:
        inference = infer_spec(table.frame, ev_frame)
    source = Source(
        data=data,
        name=name,
        table=table,
        inference=inference,
        spec=spec or inference.spec,
        is_sample=is_sample,
        events_data=events[0] if events else None,
        events_name=events[1] if events else None,
        events_table=events_table,
        sheet_source=sheet_source,
        earlier=earlier,
        taken=taken,
    )
    if spec is not None and fallback:
        try:
            return with_spec(source, spec)
        except FunnelError:
            source = dataclasses.replace(source, spec=inference.spec)
            spec = None
    if spec is None and not source.spec.stages:
        # No stage recognised: the file opens into the editor instead of being refused.
        return Draft(**source.fields())
    return with_spec(source, source.spec)


def load(data: bytes, name: str, *, sheet: str | None = None, is_sample: bool = False) -> bool:
    """Read, detect and prepare a new file; keep the old dataset when anything fails."""
    ds = guarded(build, data, name, sheet, is_sample=is_sample)
    if ds is None:
        return False
    store_new(ds)
    return True


def load_sample() -> bool:
    """The bundled export with the mappings a consultant saved for its pipelines (confirmed
    stage order, the article's six blocks), as a returning user would reload last month's."""
    table = guarded(_sample_table)
    if table is None:
        return False
    inference = guarded(_sample_inference)
    if inference is None:
        return False
    ds = guarded(
        build,
        SAMPLE_PATH.read_bytes(),
        SAMPLE_PATH.name,
        None,
        is_sample=True,
        table=table,
        inference=inference,
    )
    if ds is None:
        return False
    store_new(ds)
    specs = [guarded(_sample_spec, str(path)) for path in SAMPLE_SPECS if path.exists()]
    for spec in reversed([s for s in specs if s is not None]):
        # each is remembered for its pipeline; the first stays applied
        if apply_spec(spec) and spec.spend is not None and spec.spend.file:
            _read_sample_spend(spec)
    return True


def _read_sample_spend(spec: Spec) -> None:
    """A sample mapping's spend sheet, read from beside it into the mapping's rows. Only the
    bundled sample's folder is read: a mapping a person uploads never opens a server file."""
    kept = spec.spend
    assert kept is not None and kept.file
    folder = SAMPLE_PATH.parent.resolve()
    path = (folder / kept.file).resolve()
    ds = current()
    if ds is None or path.parent != folder or not path.is_file():
        return
    read = guarded(_sample_spend, str(path), kept.sheet, kept, ds.deals)
    if read is not None:
        apply_kept(dataclasses.replace(ds.spec, spend=read))


def apply_kept(spec: Spec) -> bool:
    """Keep a spec whose change the deals do not depend on (its spend block): remembered and
    saved like any applied mapping, without preparing the deals again."""
    ds = current()
    if ds is None:
        return False
    new = dataclasses.replace(ds, spec=spec, deals=dataclasses.replace(ds.deals, spec=spec))
    _remember(new)
    store(new)
    return True


def ensure_loaded() -> Dataset | None:
    """The first screen opens on the bundled sample."""
    if current() is None and not st.session_state.get("sample_failed") and not load_sample():
        st.session_state["sample_failed"] = True
    return current()


def apply_spec(spec: Spec) -> bool:
    """Re-prepare the current data under an edited or uploaded spec."""
    ds = current()
    if ds is None:
        return False
    new = guarded(with_spec, ds, spec)
    if new is None:
        return False
    _remember(new)
    store(new)
    return True


def apply_edit(spec: Spec) -> bool:
    """Apply a mapping made on the Data page to what it shows: a pending source becomes the
    current dataset (the other pages switch to it only now); else the current one is
    re-prepared. On failure the message is flashed and nothing changes."""
    draft = pending()
    if draft is None:
        return apply_spec(spec)
    new = guarded(with_spec, draft, spec)
    if new is None:
        return False
    st.session_state.pop(PENDING, None)
    _remember(new)
    store(new)
    return True


def saved_key(ds: Editable, pipeline: str | None) -> tuple[str, str]:
    return ds.key, pipeline or ""


def _remember(ds: Dataset) -> None:
    """Keep an applied mapping for this file and pipeline, so switching back restores it."""
    saved = st.session_state.setdefault(SAVED, {})
    saved[saved_key(ds, current_pipeline(ds))] = ds.spec
    st.session_state.setdefault(LAST_SPEC, {})[ds.key] = ds.spec
    if OBSERVERS.applied is not None:
        OBSERVERS.applied(ds)


def load_spec(data: bytes, name: str) -> bool:
    """A saved mapping file for what the Data page shows (the pending source, else the
    current): UTF-8 YAML, no anchors, bounded nesting, checked key by key."""
    spec = guarded(Spec.from_bytes, data, source=name)
    return spec is not None and apply_edit(spec)


def drop_events() -> None:
    """Detach the stage history (a button's callback: nothing to return)."""
    set_events(None, None)


def set_events(data: bytes | None, name: str | None) -> bool:
    """Attach (or, with None, detach) a stage history to what the Data page shows; the mapping
    is proposed anew."""
    ds = editing()
    if ds is None:
        return False
    events = (data, name) if data is not None and name else None
    new = guarded(
        build,
        ds.data,
        ds.name,
        ds.sheet,
        is_sample=ds.is_sample,
        events=events,
        table=ds.table,
        sheet_source=ds.sheet_source,
        earlier=ds.earlier,
        taken=ds.taken,
    )
    if new is None:
        return False
    store_new(new)
    return True


# ---- pipelines ------------------------------------------------------------------------------


def current_pipeline(ds: Editable) -> str | None:
    chosen = ds.spec.filter.get("pipeline") or ()
    return chosen[0] if chosen else None
