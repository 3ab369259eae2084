"""Arriving by a link (it opens its client, and stops opening it once revoked), the sidebar's
choice of client with the sign-in buttons, and the one-time note the Data page shows."""

from __future__ import annotations

import streamlit as st

from funnel.store import StoreError
from ui import access, links, state
from ui.i18n import lang, t
from ui.view import View
from ui.workspaces.manage import close
from ui.workspaces.opening import open_workspace
from ui.workspaces.workspace import GRANT, NOTE, forget, grant, grant_for, listed, open_id, store


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
        allowed = grant_for(db, ws)
    except StoreError:
        allowed = None
    if allowed is None:
        forget()
        state.load_sample()
        state.flash_error(t("ac_link_invalid"))
    else:
        st.session_state[GRANT] = allowed


def note() -> str | None:
    return st.session_state.pop(NOTE, None)


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
