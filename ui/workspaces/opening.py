"""Opening a client: the latest export of one of its sources, read again, with its mapping and
the stage history its earlier exports give (:func:`funnel.snapshots.history_from_snapshots`);
and what the Clients page lists of it."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import streamlit as st

from funnel.errors import FunnelError
from funnel.io import guard
from funnel.snapshots import Coverage
from funnel.spec import Change, Spec
from funnel.store import Snapshot, Source, Store, StoreError, Workspace
from ui import links, state
from ui import sources as sheets
from ui.i18n import fmt_number, t
from ui.workspaces.workspace import (
    GRANT,
    KEPT,
    NOTE,
    OPEN,
    SAVED_YAML,
    SOURCE,
    active,
    forget,
    grant_for,
    keep_version,
    store,
)

log = logging.getLogger(__name__)

# Earlier snapshots read back to build a source's stage history: a quarter of weekly exports.
MAX_EARLIER = 12


def sources() -> list[Source]:
    ws, db = active(), store()
    if ws is None or db is None:
        return []
    try:
        return db.sources(ws.id)
    except StoreError:
        return []


@dataclass(frozen=True)
class SourceRow:
    """A source of the open workspace as the Clients page lists it."""

    id: str
    name: str
    kind: str
    snapshots: int
    last: datetime | None


def source_rows() -> list[SourceRow]:
    ws, db = active(), store()
    if ws is None or db is None:
        return []
    try:
        shots = db.snapshots(ws.id)
        kept = db.sources(ws.id)
    except StoreError:
        return []
    rows = []
    for source in kept:
        own = [s for s in shots if s.source_id == source.id]
        last = own[-1].taken if own else None
        rows.append(SourceRow(source.id, source.name, source.kind, len(own), last))
    return rows


def size() -> tuple[int, int]:
    """Bytes of files the open workspace holds, and the most it may hold."""
    ws, db = active(), store()
    if ws is None or db is None:
        return 0, 0
    try:
        return db.size(ws.id), db.limits.workspace_bytes
    except StoreError:
        return 0, 0


def snapshots() -> list[Snapshot]:
    """The snapshots of the source shown, oldest first."""
    ws, db, source_id = active(), store(), st.session_state.get(SOURCE)
    if ws is None or db is None or source_id is None:
        return []
    try:
        return db.snapshots(ws.id, source_id)
    except StoreError:
        return []


def open_workspace(
    workspace_id: str, source_id: str | None = None, pipeline: str | None = None
) -> bool:
    """Open a workspace on one of its sources (the one named, else the one exported last)."""
    db = store()
    if db is None:
        return False
    try:
        ws = db.workspace(workspace_id)
        allowed = grant_for(db, ws)
        if allowed is None:
            return False  # in shared mode: neither its owner nor its link
        kept = db.sources(ws.id)
        shots = db.snapshots(ws.id)
    except StoreError:
        return False
    token = st.session_state.get(links.KEY) if allowed.role != "owner" else None
    forget()
    st.session_state[OPEN] = ws.id
    st.session_state[GRANT] = allowed
    if token:
        st.session_state[links.KEY] = token
    keep_version(ws.version)
    files = {s.id: s for s in kept}
    if source_id not in files:
        latest = [s for s in shots if s.source_id in files]
        source_id = latest[-1].source_id if latest else None
    if source_id is None:
        return True  # an empty workspace: what is shown stays until its first upload
    return _open_source(db, ws, files[source_id], pipeline)


def open_source(source_id: str) -> bool:
    ws, db = active(), store()
    if ws is None or db is None:
        return False
    found = {s.id: s for s in sources()}.get(source_id)
    return found is not None and _open_source(db, ws, found, None)


def _open_source(db: Store, ws: Workspace, source: Source, pipeline: str | None) -> bool:
    shots = db.snapshots(ws.id, source.id)
    if not shots:
        return False
    if source.kind == "sheet" and source.url and _open_sheet(db, ws, source, pipeline):
        return True  # read anew from Google; else its last fetch below
    latest = shots[-1]
    data = db.snapshot_bytes(ws.id, latest.id)
    table = state.guarded(guard.read_table, data, name=latest.file_name)
    if table is None:
        return False
    mappings = {m.pipeline: m.spec for m in db.mappings(ws.id) if m.source_id == source.id}
    spec = mappings.get(pipeline or "") or _first(mappings, pipeline)
    events = second_file(db, ws.id, latest)
    if spec is not None and spec.events is not None and events is None:
        # The second file (a stage history, closed deals) it was mapped with cannot be read:
        # the mapping is tried without it, and the Data page asks for the file again.
        spec = dataclasses.replace(spec, events=None)
        st.session_state[NOTE] = t("ws_events_again")
    earlier = earlier_frames(db, ws.id, shots[:-1], table.sheet)
    built = state.guarded(
        state.build,
        data,
        latest.file_name,
        table.sheet,
        spec=_with_changes(spec, db, ws.id),
        events=events,
        table=table,
        fallback=True,
        earlier=earlier,
        taken=latest.taken.date(),
    )
    if built is None:
        return False
    key = built.key
    st.session_state.setdefault(KEPT, {})[key] = source.id
    st.session_state[SOURCE] = source.id
    remembered = st.session_state.setdefault(state.SAVED, {})
    for name, saved in mappings.items():
        remembered[(key, name)] = saved
        st.session_state.setdefault(SAVED_YAML, {})[(source.id, name)] = saved.to_yaml()
    state.store_new(built)
    return True


def second_file(db: Store, workspace_id: str, shot: Snapshot) -> tuple[bytes, str] | None:
    """The second file kept with an export (a stage history, closed deals), if any."""
    if not shot.events_sha256:
        return None
    try:
        data = db.events_bytes(workspace_id, shot.id)
    except StoreError:
        return None
    return (data, shot.events_file_name or "events") if data is not None else None


def _open_sheet(db: Store, ws: Workspace, source: Source, pipeline: str | None) -> bool:
    """A Google Sheets source is read from Google again (it changes there), with its mapping."""
    assert source.url is not None
    mappings = {m.pipeline: m.spec for m in db.mappings(ws.id) if m.source_id == source.id}
    spec = mappings.get(pipeline or "") or _first(mappings, pipeline)
    if spec is not None:
        st.session_state.setdefault(state.LAST_SPEC, {})[source.url] = spec
    st.session_state.setdefault(KEPT, {})[source.url] = source.id
    st.session_state[SOURCE] = source.id
    if not sheets.load_sheet(source.url, tab=source.tab or None):
        return False
    remembered = st.session_state.setdefault(state.SAVED, {})
    for name, saved in mappings.items():
        remembered[(source.url, name)] = saved
        st.session_state.setdefault(SAVED_YAML, {})[(source.id, name)] = saved.to_yaml()
    return True


def _first(mappings: dict[str, Spec], pipeline: str | None) -> Spec | None:
    if pipeline is None and mappings:
        return next(iter(mappings.values()))
    return None


def earlier_frames(
    db: Store, workspace_id: str, shots: Sequence[Snapshot], sheet: str | None
) -> tuple[tuple[date, pd.DataFrame], ...]:
    """The earlier snapshots' tables, oldest first (at most :data:`MAX_EARLIER`); one that can no
    longer be read is left out of the history, not fatal."""
    out: list[tuple[date, pd.DataFrame]] = []
    for shot in shots[-MAX_EARLIER:]:
        try:
            data = db.snapshot_bytes(workspace_id, shot.id)
            table = guard.read_table(data, name=shot.file_name, sheet=sheet)
        except FunnelError as exc:
            log.warning("snapshot %s is left out of the history: %s", shot.id, exc.code)
            continue
        out.append((shot.taken.date(), table.frame))
    return tuple(out)


def _with_changes(spec: Spec | None, db: Store, workspace_id: str) -> Spec | None:
    """The workspace's marked changes belong to the client, not to one file: a mapping without
    changes of its own takes them."""
    if spec is None or spec.changes:
        return spec
    marked = tuple(Change(date=c.on, label=c.label) for c in db.changes(workspace_id))
    return dataclasses.replace(spec, changes=marked) if marked else spec


def coverage_words(coverage: Coverage | None) -> str | None:
    """How far the snapshots' history reaches, for the Funnel and Data pages."""
    if coverage is None or coverage.snapshots < 2:
        return None
    text = t(
        "coverage_line",
        snapshots=coverage.snapshots,
        watched=fmt_number(coverage.watched),
        deals=fmt_number(coverage.deals),
        known=fmt_number(coverage.lost_stage_known),
        lost=fmt_number(coverage.lost),
        before=fmt_number(coverage.lost_stage_known_before),
    )
    return f"{text} {t('coverage_same_day')}" if coverage.same_dates else text
