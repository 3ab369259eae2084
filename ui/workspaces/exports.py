"""A deals file dropped on the Data page, kept in the open client: a later export of one of its
sources (same columns, at least half the deal ids shared) becomes that source's newest
snapshot, its mapping and history coming with it; any other file becomes a new source."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import PurePath

import streamlit as st

from funnel.detect.infer import infer_spec
from funnel.errors import FunnelError
from funnel.io import guard
from funnel.io.readers import Table
from funnel.snapshots import same_source
from funnel.spec import Spec
from funnel.store import Source, Store, StoreError
from ui import state
from ui.i18n import t
from ui.workspaces.keeping import keep_new
from ui.workspaces.manage import create
from ui.workspaces.opening import MAX_EARLIER, earlier_frames, open_source, second_file, sources
from ui.workspaces.workspace import (
    KEPT,
    NOTE,
    SOURCE,
    active,
    keep_version,
    may_edit,
    open_id,
    store,
    version_read,
    write_failed,
)

# Sources a new upload is compared with to find the one it is a later export of.
MAX_COMPARED = 5


def load_upload(data: bytes, name: str) -> bool:
    """A deals file dropped on the Data page: read it; when it is a later export of a source of
    the open workspace, it becomes that source's newest snapshot (its mapping and history come
    with it), else a new source (a workspace named after the file is made when none is open)."""
    table = state.guarded(guard.read_table, data, name=name)
    if table is None:
        return False
    db = store() if may_edit() else None  # a read-only link saves nothing
    if db is not None and active() is None and not state.guarded(new_for_file, name):
        db = None  # the store refused a workspace: the file is shown, not kept
    match = _matching_source(db, table) if db is not None else None
    if db is None or match is None:
        built = state.guarded(state.build, data, name, table.sheet, table=table)
        if built is None:
            return False
        if db is not None:
            keep_new(built)
        state.store_new(built)
        return True
    return _add_snapshot(db, match, data, name, table)


def new_for_file(name: str) -> bool:
    """An upload with no workspace open starts one, named after the file."""
    stem = PurePath(name).stem if "." in name[-6:] else name
    ws = create(stem.replace("_", " ").strip()[:120] or name)
    if ws is not None:
        st.session_state[NOTE] = t("ws_created_for_file", name=ws.name)
    return ws is not None


def _matching_source(db: Store, table: Table) -> tuple[Source, Spec, state.Dataset | None] | None:
    """The file source of the open workspace that ``table`` is a later export of (same columns,
    at least half the deal ids shared), with the mapping to read it by."""
    ws = active()
    if ws is None:
        return None
    files = {s.id: s for s in sources() if s.kind == "file"}
    shown = state.current()
    shown_id = st.session_state.get(KEPT, {}).get(shown.key) if shown is not None else None
    order = sorted(files, key=lambda sid: sid != shown_id)[:MAX_COMPARED]
    for source_id in order:
        if source_id == shown_id and shown is not None:
            old_frame, spec, ds = shown.frame, shown.spec, shown
        else:
            found = _latest_table(db, ws.id, source_id)
            if found is None:
                continue
            old_frame, spec, ds = (
                found.frame,
                _mapping_or_inferred(db, ws.id, source_id, found),
                None,
            )
        try:
            verdict = same_source(old_frame, table.frame, spec)
        except FunnelError:
            continue
        if verdict.same:
            return files[source_id], spec, ds
    return None


def _latest_table(db: Store, workspace_id: str, source_id: str) -> Table | None:
    try:
        shots = db.snapshots(workspace_id, source_id)
        if not shots:
            return None
        data = db.snapshot_bytes(workspace_id, shots[-1].id)
        return guard.read_table(data, name=shots[-1].file_name)
    except FunnelError:
        return None


def _mapping_or_inferred(db: Store, workspace_id: str, source_id: str, table: Table) -> Spec:
    saved = [m for m in db.mappings(workspace_id) if m.source_id == source_id]
    return saved[0].spec if saved else infer_spec(table.frame).spec


def _add_snapshot(
    db: Store,
    match: tuple[Source, Spec, state.Dataset | None],
    data: bytes,
    name: str,
    table: Table,
) -> bool:
    source, spec, shown = match
    ws = active()
    if ws is None:
        return False
    shots = db.snapshots(ws.id, source.id)
    if shots and shots[-1].sha256 == hashlib.sha256(data).hexdigest():
        # The same export again: nothing new to keep; it is shown as it was.
        st.session_state[NOTE] = t("ws_same_export", name=name)
        return open_source(source.id)
    try:
        saved = db.add_snapshot(ws.id, source.id, data, version=version_read(), file_name=name)
    except StoreError as exc:
        write_failed(exc)
        return False
    keep_version(saved.version)
    if shown is not None and shown.taken is not None:
        earlier = (*shown.earlier, (shown.taken, shown.frame))[-MAX_EARLIER:]
    else:
        earlier = earlier_frames(db, ws.id, shots, table.sheet)
    # The second file the source was shown with goes on with its new export (a register kept
    # by hand grows; the person replaces it on the Data page when the CRM exports a new one).
    events = second_file(db, ws.id, shots[-1]) if shots else None
    if events is not None:
        try:
            moved = db.attach_events(
                ws.id, saved.item.id, events[0], events[1], version=version_read()
            )
            keep_version(moved.version)
        except StoreError as exc:
            write_failed(exc)
            events = None
    if events is None and spec.events is not None:
        spec = dataclasses.replace(spec, events=None)
    built = state.guarded(
        state.build,
        data,
        name,
        table.sheet,
        spec=spec,
        events=events,
        table=table,
        fallback=True,
        earlier=earlier,
        taken=saved.item.taken.date(),
    )
    if built is None:
        return False
    st.session_state.setdefault(KEPT, {})[built.key] = source.id
    st.session_state[SOURCE] = source.id
    history = isinstance(built, state.Dataset) and built.coverage is not None
    st.session_state[NOTE] = t(
        "ws_snapshot_added" if history else "ws_snapshot_kept",
        name=name,
        source=source.name,
        n=len(shots) + 1,
    )
    state.store_new(built)
    return True


def dataset_stored(ds: state.Editable) -> None:
    """A new source was made current (a sheet opened, another sheet of a workbook): kept in the
    open workspace unless it is kept already; a Google Sheet opened with no client open starts
    one named after it, as an upload does."""
    if ds.is_sample or store() is None:
        return
    if open_id() is None and (ds.sheet_source is None or not new_for_file(ds.name)):
        return
    keep_new(ds)
