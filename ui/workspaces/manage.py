"""A client made, renamed, deleted, left, exported as a zip or brought back from one."""

from __future__ import annotations

import streamlit as st

from funnel.store import StoreError, Workspace
from ui import access, links, state
from ui.i18n import t
from ui.notices import error_text
from ui.workspaces.keeping import keep_new
from ui.workspaces.opening import open_workspace
from ui.workspaces.workspace import (
    GRANT,
    NEW_LINK,
    OPEN,
    active,
    forget,
    grant,
    grant_for,
    keep_version,
    may_manage,
    open_id,
    store,
    version_read,
    write_failed,
)


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
    forget()
    st.session_state[OPEN] = ws.id
    if token is not None:
        st.session_state[links.KEY] = token
        st.session_state[NEW_LINK] = token
    st.session_state[GRANT] = grant_for(db, ws)
    keep_version(ws.version)
    if ds is not None and not ds.is_sample:
        keep_new(ds)
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
    forget()
    state.load_sample()
    return True


def close() -> None:
    """Leave the workspace (nothing is deleted): the sample is shown."""
    if open_id() is None:
        return
    forget()
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


def show_sample() -> bool:
    """The sample asked for: it belongs to no client, so the open one is left."""
    forget()
    return state.load_sample()
