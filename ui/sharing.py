"""Secret links to a client: made (to work in it, or to view it only), listed, revoked, and
the address a link's holder opens. Who may make them is :func:`workspace.may_manage`."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from funnel.store import Link, StoreError
from ui import links
from ui.i18n import t
from ui.workspaces import workspace

NEW_LINK = workspace.NEW_LINK


def link_rows() -> list[Link]:
    ws, db = workspace.active(), workspace.store()
    if ws is None or db is None or not workspace.may_manage():
        return []
    try:
        return db.links(ws.id)
    except StoreError:
        return []


def make_link(role: str, label: str) -> str | None:
    """A new secret link's token (shown once: the store keeps only its hash)."""
    ws, db = workspace.active(), workspace.store()
    if ws is None or db is None or not workspace.may_manage() or role not in ("edit", "read"):
        return None
    try:
        made = db.create_link(ws.id, role, version=workspace.version_read(), label=label.strip())  # type: ignore[arg-type]
    except StoreError as exc:
        workspace.write_failed(exc)
        return None
    workspace.keep_version(made.version)
    return made.item[1]


def revoke_link(link_id: str) -> bool:
    ws, db = workspace.active(), workspace.store()
    if ws is None or db is None or not workspace.may_manage():
        return False
    try:
        workspace.keep_version(db.revoke_link(ws.id, link_id, version=workspace.version_read()))
    except StoreError as exc:
        workspace.write_failed(exc)
        return False
    return True


def link_address(token: str) -> str:
    """The address a link's holder opens: this server's first page, with the token as
    ``?key=`` (not the page shown now: a read-only link has no Clients page)."""
    shown = urlsplit(str(getattr(st.context, "url", "") or ""))
    base = f"{shown.scheme}://{shown.netloc}" if shown.netloc else ""
    return f"{base}/?{links.KEY_PARAM}={token}"


def show_new_link() -> None:
    """The link made for this session just now (a client created where nobody signs in), once:
    on such a server it is the only way back to the client."""
    token = st.session_state.pop(NEW_LINK, None)
    if token is not None:
        st.warning(t("ac_link_keep"))
        st.code(link_address(token), language=None)
