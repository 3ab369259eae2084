"""The store and this session's place in it: which client is open, what the session may do
there (its grant) and the workspace version it last saw.

Each save passes that version: a save made on stale data is refused with a message instead of
overwriting another window's work (:func:`write_failed`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import TypeVar, cast

import streamlit as st

from funnel.errors import FunnelError
from funnel.store import Store, StoreError, Workspace, open_store
from ui import access, links, state
from ui.i18n import t
from ui.notices import error_text

log = logging.getLogger(__name__)
T = TypeVar("T")

OPEN = links.WORKSPACE  # the open workspace's id
GRANT = "workspace_grant"  # what this session may do in it (ui.access.Grant)
SOURCE = links.SOURCE  # the store's id of the source shown
VERSION = "workspace_version"  # the workspace version this session last read or wrote
KEPT = "workspace_sources"  # dataset key -> store source id, in the open workspace
SAVED_YAML = "workspace_saved_yaml"  # (source id, pipeline) -> the mapping's YAML last saved
NEW_LINK = "workspace_new_link"  # a link's token made just now, shown once
NOTE = "workspace_note"  # a one-time note for the Data page (a snapshot was added, ...)
RECENT = "workspace_recent"  # the store's answers of the last seconds (see recent)
RECENT_S = 2.0


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
        forget()
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


def grant_for(db: Store, ws: Workspace) -> access.Grant | None:
    token = st.session_state.get(links.KEY)
    by_link = access.grant_for_link(db, token) if token else None
    if by_link is not None and by_link.workspace_id != ws.id:
        by_link = None
    return access.stronger(access.grant_for_workspace(ws), by_link)


def forget() -> None:
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
