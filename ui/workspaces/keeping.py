"""Keeping what the person does in the open client at once: a dataset shown for the first time
becomes a source, an applied mapping is saved for its source and pipeline, a second file goes
with the source's latest export."""

from __future__ import annotations

import streamlit as st

from funnel.spec import Spec
from funnel.store import Store, StoreError
from ui import state
from ui.workspaces.workspace import (
    KEPT,
    SAVED_YAML,
    SOURCE,
    active,
    keep_version,
    may_edit,
    store,
    version_read,
    write_failed,
)


def keep_new(ds: state.Editable) -> None:
    """Keep a dataset the workspace does not hold yet as a new source (a file, or a sheet with
    its first fetch)."""
    ws, db = active(), store()
    if ws is None or db is None or ds.is_sample or not may_edit():
        return
    kept: dict[str, str] = st.session_state.setdefault(KEPT, {})
    if ds.key in kept:
        st.session_state[SOURCE] = kept[ds.key]
        return
    try:
        if ds.sheet_source is not None:
            added = db.add_sheet(
                ws.id,
                ds.sheet_source.link,  # the tab's canonical link: the dataset's key
                ds.table.sheet or "",
                version=version_read(),
                name=ds.name,
            )
            keep_version(added.version)
            source_id = added.item.id
            shot = db.add_snapshot(
                ws.id, source_id, ds.data, version=version_read(), file_name=ds.name
            )
            keep_version(shot.version)
        else:
            saved = db.add_file(ws.id, ds.name, ds.data, version=version_read())
            keep_version(saved.version)
            source_id = saved.item.source_id
    except StoreError as exc:
        write_failed(exc)
        return
    kept[ds.key] = source_id
    st.session_state[SOURCE] = source_id


def set_events(data: bytes, name: str) -> bool:
    """Attach a second file on the Data page (:func:`ui.state.set_events`) and keep it with
    the latest export of the client's source."""
    if not state.set_events(data, name):
        return False
    _keep_events(data, name)
    return True


def drop_events() -> None:
    """Detach the second file (a button's callback), in the store too."""
    state.drop_events()
    _keep_events(None, None)


def _keep_events(data: bytes | None, name: str | None) -> None:
    ws, db, ds = active(), store(), state.editing()
    if ws is None or db is None or ds is None or ds.is_sample or not may_edit():
        return
    source_id = st.session_state.get(KEPT, {}).get(ds.key)
    shots = db.snapshots(ws.id, source_id) if source_id else []
    if not shots:
        return
    try:
        saved = db.attach_events(ws.id, shots[-1].id, data, name, version=version_read())
    except StoreError as exc:
        write_failed(exc)
        return
    keep_version(saved.version)


def mapping_applied(ds: state.Dataset) -> None:
    """A mapping was applied (the editor, a pipeline's, a marked change): kept for the source
    and pipeline, and the workspace's marked changes follow the spec's."""
    ws, db = active(), store()
    if ws is None or db is None or ds.is_sample or not may_edit():
        return
    source_id = st.session_state.get(KEPT, {}).get(ds.key)
    if source_id is None:
        keep_new(ds)
        source_id = st.session_state.get(KEPT, {}).get(ds.key)
        if source_id is None:
            return
    pipeline = state.current_pipeline(ds) or ""
    text = ds.spec.to_yaml()
    said: dict[tuple[str, str], str] = st.session_state.setdefault(SAVED_YAML, {})
    if said.get((source_id, pipeline)) == text:
        return
    try:
        saved = db.save_mapping(
            ws.id, source_id, ds.spec, version=version_read(), pipeline=pipeline
        )
        keep_version(saved.version)
        _sync_changes(db, ws.id, ds.spec)
    except StoreError as exc:
        write_failed(exc)
        return
    said[(source_id, pipeline)] = text


def _sync_changes(db: Store, workspace_id: str, spec: Spec) -> None:
    have = {(c.on, c.label): c.id for c in db.changes(workspace_id)}
    want = {(c.date, c.label) for c in spec.changes}
    for key, change_id in have.items():
        if key not in want:
            keep_version(db.delete_change(workspace_id, change_id, version=version_read()))
    for on, label in sorted(want - have.keys()):
        keep_version(db.add_change(workspace_id, on, label, version=version_read()).version)
