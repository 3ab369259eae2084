"""Client workspaces in the app: what a consultant uploads, maps and marks is saved at once into
the store (:mod:`funnel.store`), so a reload, another browser or a server restart brings it back.

A session shows at most one workspace. Its datasets are tied to the store's sources through
:data:`KEPT` (the dataset's key, a file's content hash or a sheet's link, to the source id):
an upload of a new export of a source already kept becomes a dated snapshot of it, and the
moves between the snapshots are the deals' stage history
(:func:`funnel.snapshots.history_from_snapshots`).
Each save passes the workspace version the session last saw: a save made on stale data is
refused with a message instead of overwriting another window's work.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import TypeVar, cast

import pandas as pd
import streamlit as st

from funnel.detect.infer import infer_spec
from funnel.errors import FunnelError
from funnel.io import guard
from funnel.io.readers import Table
from funnel.snapshots import Coverage, same_source
from funnel.spec import Change, Spec
from funnel.store import (
    Snapshot,
    Source,
    Store,
    StoreError,
    Workspace,
    open_store,
)
from ui import access, links, state
from ui import sources as sheets
from ui.i18n import fmt_number, lang, t
from ui.notices import error_text
from ui.view import View

log = logging.getLogger(__name__)
T = TypeVar("T")

OPEN = links.WORKSPACE  # the open workspace's id
GRANT = "workspace_grant"  # what this session may do in it (ui.access.Grant)
SOURCE = links.SOURCE  # the store's id of the source shown
VERSION = "workspace_version"  # the workspace version this session last read or wrote
KEPT = "workspace_sources"  # dataset key -> store source id, in the open workspace
SAVED_YAML = "workspace_saved_yaml"  # (source id, pipeline) -> the mapping's YAML last saved
NEW_LINK = "workspace_new_link"  # a link's token made just now, shown once
NOTE = "workspace_note"
RECENT = "workspace_recent"  # the store's answers of the last seconds (see recent)
RECENT_S = 2.0  # a one-time note for the Data page (a snapshot was added, ...)
# Earlier snapshots read back to build a source's stage history: a quarter of weekly exports.
MAX_EARLIER = 12
# Sources a new upload is compared with to find the one it is a later export of.
MAX_COMPARED = 5


# ---- the store ------------------------------------------------------------------------------


def _configured_url() -> str | None:
    """``VORONKA_DB_URL``, else ``db_url`` in the ``[voronka]`` section of the secrets, else
    None (the SQLite file in the data folder)."""
    if os.environ.get("VORONKA_DB_URL"):
        return None  # open_store reads it itself
    try:
        section = st.secrets.get("voronka")
    except Exception:  # no secrets file, or a broken one: the Data page says so for Sheets
        return None
    url = section.get("db_url") if section is not None and hasattr(section, "get") else None
    return str(url) if url else None


@st.cache_resource(show_spinner=False)
def _opened() -> tuple[Store | None, str | None]:
    """The server's one store, or None with the reason (the app then works without saving)."""
    try:
        return open_store(_configured_url()), None
    except FunnelError as exc:
        log.warning("the workspace store cannot be opened: %s", exc)
        return None, error_text(exc)
    except Exception:
        log.exception("the workspace store cannot be opened")
        return None, t("ws_store_broken")


def store() -> Store | None:
    return _opened()[0]


def store_problem() -> str | None:
    """Why workspaces are not saved on this server, when they are not."""
    return _opened()[1]


# ---- the open workspace ---------------------------------------------------------------------


def open_id() -> str | None:
    return st.session_state.get(OPEN)


def recent(name: str, read: Callable[[], T]) -> T:
    """What ``read`` gave this session less than :data:`RECENT_S` seconds ago for the same
    workspace and version, else a fresh read: the sidebar, the pages and their widgets ask the
    store the same things several times per run, and every run."""
    key = (name, open_id(), version_read())
    kept = st.session_state.get(RECENT)
    now = time.monotonic()
    if isinstance(kept, dict) and key in kept and now - kept[key][0] < RECENT_S:
        return cast(T, kept[key][1])
    value = read()
    fresh = {k: v for k, v in (kept or {}).items() if now - v[0] < RECENT_S}
    fresh[key] = (now, value)
    st.session_state[RECENT] = fresh
    return value


def active() -> Workspace | None:
    """The open workspace as the store has it now (None when none is open or it was deleted)."""
    ws_id, db = open_id(), store()
    if ws_id is None or db is None:
        return None
    found = recent("workspace", lambda: _workspace_or_none(db, ws_id))
    if found is None:
        _forget()
    return found


def _workspace_or_none(db: Store, ws_id: str) -> Workspace | None:
    try:
        return db.workspace(ws_id)
    except StoreError:
        return None


def listed() -> list[Workspace]:
    """The clients this session may choose from: every one in local mode; on a shared server
    the signed-in person's, and the one opened by its link."""
    return list(recent("listed", _listed))


def _listed() -> list[Workspace]:
    db = store()
    if db is None:
        return []
    try:
        shown = access.visible_workspaces(db)
    except StoreError as exc:
        state.flash_error(error_text(exc))
        return []
    ws = active()
    if ws is not None and ws.id not in {w.id for w in shown}:
        shown.append(ws)
    return shown


def grant() -> access.Grant | None:
    """What this session may do in the open workspace (None when none is open)."""
    found = st.session_state.get(GRANT)
    return found if isinstance(found, access.Grant) and found.workspace_id == open_id() else None


def may_edit() -> bool:
    """Uploads, mappings, marked changes are saved (the owner, an edit link); a read-only link
    shows the dashboards only. With no client open there is nothing to guard."""
    return open_id() is None or access.can_edit(grant())


def may_manage() -> bool:
    ws = active()
    return ws is not None and access.can_manage(grant(), ws)


def _grant_for(db: Store, ws: Workspace) -> access.Grant | None:
    token = st.session_state.get(links.KEY)
    by_link = access.grant_for_link(db, token) if token else None
    if by_link is not None and by_link.workspace_id != ws.id:
        by_link = None
    return access.stronger(access.grant_for_workspace(ws), by_link)


def _forget() -> None:
    """Leave the open workspace (and the link that opened it)."""
    for key in (OPEN, SOURCE, VERSION, KEPT, SAVED_YAML, GRANT, links.KEY, RECENT):
        st.session_state.pop(key, None)


def keep_version(version: int) -> None:
    """The workspace version a save returned: the next save passes it."""
    st.session_state[VERSION] = version


def version_read() -> int:
    """The workspace version this session last read or wrote."""
    return int(st.session_state.get(VERSION, 0))


def write_failed(exc: FunnelError) -> None:
    """A save refused: the data stays shown, the message says it was not kept and why."""
    if exc.code == "stale_version":
        state.flash_error(t("ws_stale"))
    else:
        state.flash_error(f"{error_text(exc)} {t('ws_not_saved')}")


def create(name: str) -> Workspace | None:
    """A new workspace, opened at once; what is shown now (a file, not the sample) goes in."""
    db = store()
    if db is None:
        return None
    who = access.signed_in()
    where = access.mode()
    if not access.can_create(mode=where, identity=who, login=access.login_configured()):
        state.flash_error(t("ac_sign_in_needed"))
        return None
    try:
        ws = db.create_workspace(name.strip(), owner=who)
        token = None
        if where == "shared" and who is None:
            # Nobody signs in on this server: the client opens by its links only, and its
            # maker gets an edit link at once (kept in the address: a reload needs it).
            made = db.create_link(ws.id, "edit", version=ws.version, label=t("ac_link_maker"))
            ws, token = db.workspace(ws.id), made.item[1]
    except StoreError as exc:
        state.flash_error(error_text(exc))
        return None
    # A file shown outside any workspace is this client's; one of another client's is not.
    ds = state.editing() if open_id() is None else None
    _forget()
    st.session_state[OPEN] = ws.id
    if token is not None:
        st.session_state[links.KEY] = token
        st.session_state[NEW_LINK] = token
    st.session_state[GRANT] = _grant_for(db, ws)
    keep_version(ws.version)
    if ds is not None and not ds.is_sample:
        _keep_new(ds)
    return ws


def rename(name: str) -> bool:
    ws, db = active(), store()
    if ws is None or db is None or not may_manage():
        return False
    try:
        renamed = db.rename_workspace(ws.id, name.strip(), version=version_read())
    except StoreError as exc:
        write_failed(exc)
        return False
    keep_version(renamed.version)
    return True


def delete() -> bool:
    """Delete the open workspace with its files; the sample is shown again."""
    ws, db = active(), store()
    if ws is None or db is None or not may_manage():
        return False
    try:
        db.delete_workspace(ws.id, version=version_read())
    except StoreError as exc:
        write_failed(exc)
        return False
    _forget()
    state.load_sample()
    return True


def close() -> None:
    """Leave the workspace (nothing is deleted): the sample is shown."""
    if open_id() is None:
        return
    _forget()
    state.load_sample()


def export() -> tuple[str, bytes] | None:
    """The open workspace as one zip file (sources, mappings as YAML, changes, views)."""
    ws, db = active(), store()
    if ws is None or db is None or not access.can_see_files(grant()):
        return None
    try:
        return f"{_file_stem(ws.name)}.voronka.zip", db.export_workspace(ws.id)
    except StoreError as exc:
        state.flash_error(error_text(exc))
        return None


def import_zip(data: bytes) -> bool:
    db = store()
    if db is None:
        return False
    try:
        ws = db.import_workspace(data, owner=access.signed_in())
    except StoreError as exc:
        state.flash_error(error_text(exc))
        return False
    return open_workspace(ws.id)


def _file_stem(name: str) -> str:
    kept = "".join(c if c.isalnum() or c in "-_ " else "_" for c in name).strip()
    return kept.replace(" ", "_") or "workspace"


# ---- opening: the latest export of a source, its mapping and its history --------------------


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
        allowed = _grant_for(db, ws)
        if allowed is None:
            return False  # in shared mode: neither its owner nor its link
        kept = db.sources(ws.id)
        shots = db.snapshots(ws.id)
    except StoreError:
        return False
    token = st.session_state.get(links.KEY) if allowed.role != "owner" else None
    _forget()
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
    events = _second_file(db, ws.id, latest)
    if spec is not None and spec.events is not None and events is None:
        # The second file (a stage history, closed deals) it was mapped with cannot be read:
        # the mapping is tried without it, and the Data page asks for the file again.
        spec = dataclasses.replace(spec, events=None)
        st.session_state[NOTE] = t("ws_events_again")
    earlier = _earlier_frames(db, ws.id, shots[:-1], table.sheet)
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


def _second_file(db: Store, workspace_id: str, shot: Snapshot) -> tuple[bytes, str] | None:
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


def _earlier_frames(
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


# ---- saving what the person does -------------------------------------------------------------


def load_upload(data: bytes, name: str) -> bool:
    """A deals file dropped on the Data page: read it; when it is a later export of a source of
    the open workspace, it becomes that source's newest snapshot (its mapping and history come
    with it), else a new source (a workspace named after the file is made when none is open)."""
    table = state.guarded(guard.read_table, data, name=name)
    if table is None:
        return False
    db = store() if may_edit() else None  # a read-only link saves nothing
    if db is not None and active() is None and not state.guarded(_new_for_file, name):
        db = None  # the store refused a workspace: the file is shown, not kept
    match = _matching_source(db, table) if db is not None else None
    if db is None or match is None:
        built = state.guarded(state.build, data, name, table.sheet, table=table)
        if built is None:
            return False
        if db is not None:
            _keep_new(built)
        state.store_new(built)
        return True
    return _add_snapshot(db, match, data, name, table)


def _new_for_file(name: str) -> bool:
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
        earlier = _earlier_frames(db, ws.id, shots, table.sheet)
    # The second file the source was shown with goes on with its new export (a register kept
    # by hand grows; the person replaces it on the Data page when the CRM exports a new one).
    events = _second_file(db, ws.id, shots[-1]) if shots else None
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


def _keep_new(ds: state.Editable) -> None:
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
        _keep_new(ds)
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


def dataset_stored(ds: state.Editable) -> None:
    """A new source was made current (a sheet opened, another sheet of a workbook): kept in the
    open workspace unless it is kept already; a Google Sheet opened with no client open starts
    one named after it, as an upload does."""
    if ds.is_sample or store() is None:
        return
    if open_id() is None and (ds.sheet_source is None or not _new_for_file(ds.name)):
        return
    _keep_new(ds)


# ---- arriving by a link ------------------------------------------------------------------------


def arrive() -> None:
    """Open the workspace a link names, once per session (before the sample would be loaded)."""
    if st.session_state.get("workspace_arrived"):
        return
    st.session_state["workspace_arrived"] = True
    view = links.arrived()
    token, db = st.session_state.get(links.KEY), store()
    wanted = view.workspace
    if db is None:
        if wanted or token:
            links.ignore("ws")
        return
    if token:
        by_link = state.guarded(access.grant_for_link, db, token)
        if by_link is None:
            st.session_state.pop(links.KEY, None)
            state.flash_error(t("ac_link_invalid"))
        elif by_link.workspace_id != wanted:
            wanted, view = by_link.workspace_id, View()  # the link's client, as it opens
    if wanted is None:
        return
    if not open_workspace(wanted, view.source, view.pipeline):
        links.ignore("ws")
        if access.mode() == "shared":
            state.flash_error(t("ac_not_yours"))


def recheck() -> None:
    """A session opened by a link keeps the client only while the link is valid: revoked, it
    stops opening it at the session's next action (one indexed lookup per run)."""
    ws_id, token, db = open_id(), st.session_state.get(links.KEY), store()
    if ws_id is None or db is None or not token or not st.session_state.get("workspace_arrived"):
        return
    try:
        ws = db.workspace(ws_id)
        allowed = _grant_for(db, ws)
    except StoreError:
        allowed = None
    if allowed is None:
        _forget()
        state.load_sample()
        state.flash_error(t("ac_link_invalid"))
    else:
        st.session_state[GRANT] = allowed


def note() -> str | None:
    return st.session_state.pop(NOTE, None)


# ---- the sidebar's choice ----------------------------------------------------------------------


def sidebar() -> None:
    """Which client is open (nothing before the first client exists: the sample is shown), who
    is signed in on a shared server, and a read-only link's note."""
    if store() is None:
        return
    _sign_in()
    if (given := grant()) is not None and not access.can_edit(given):
        st.caption(t("ac_read_only_note"))
        return  # a read link opens one client: nothing to choose
    kept = listed()
    current = open_id() or ""
    if not kept and not current:
        return
    names = {w.id: w.name for w in kept}
    ids = ["", *names]
    # A new widget per workspace (a switch made elsewhere shows) and language (the options'
    # words are part of the widget's value).
    key = f"ws_pick_{current}_{lang()}"
    st.selectbox(
        t("ws_label"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=lambda i: names.get(i, "?") if i else t("ws_none"),
        key=key,
        on_change=_picked,
        args=(key,),
    )


def _sign_in() -> None:
    """Sign-in buttons on a shared server where an OIDC provider is configured (st.login)."""
    if access.mode() != "shared" or not access.login_configured():
        return
    if (name := access.signed_in_name()) is not None:
        st.caption(t("ac_signed_in_as", name=name))
        st.button(t("ac_sign_out"), key="ac_sign_out", on_click=st.logout)
        return
    for i, provider in enumerate(access.login_provider_choices()):
        label = t("ac_sign_in_with", provider=provider) if provider else t("ac_sign_in")
        args = (provider,) if provider else ()
        st.button(label, key=f"ac_sign_in_{i}", on_click=st.login, args=args)


def _picked(key: str) -> None:
    chosen = st.session_state.get(key)
    if chosen:
        open_workspace(str(chosen))
    else:
        close()


def show_sample() -> bool:
    """The sample asked for: it belongs to no client, so the open one is left."""
    _forget()
    return state.load_sample()


# ---- what the snapshots tell -------------------------------------------------------------------


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
