"""The sidebar's saved views of a client: the view shown kept under a name, and opened again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from funnel.store import SavedView, StoreError
from ui import links, state
from ui.i18n import t
from ui.workspaces import opening, workspace


def sidebar(current: str, pages: Mapping[str, Any]) -> None:
    """``current`` is the shown page's url path; ``pages`` every page by its url path."""
    if workspace.active() is None:
        return
    views = saved_views()
    with st.expander(t("views_title"), expanded=False):
        if not views:
            st.caption(t("views_none"))
        for view in views:
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            if c1.button(view.name, key=f"view_open_{view.id}", type="tertiary"):
                st.switch_page(pages[open_view(view, list(pages))])
            if workspace.may_edit():
                c2.button(
                    "✕",
                    key=f"view_del_{view.id}",
                    help=t("views_delete"),
                    on_click=delete_view,
                    args=(view.id,),
                )
        if not workspace.may_edit():
            return
        with st.form("view_save_form", clear_on_submit=True, border=False):
            name = st.text_input(
                t("views_name"), placeholder=t("views_placeholder"), key="view_save_name"
            )
            saved = st.form_submit_button(t("views_save")) and save_view(name, current)
            if saved:
                st.toast(t("views_saved", name=name.strip()))


def saved_views() -> list[SavedView]:
    ws, db = workspace.active(), workspace.store()
    if ws is None or db is None:
        return []
    try:
        return workspace.recent("views", lambda: db.views(ws.id))
    except StoreError:
        return []


def save_view(name: str, page: str) -> bool:
    """Keep the view shown (page, source, pipeline, filters, breakdown, period) under ``name``."""
    ws, db = workspace.active(), workspace.store()
    if ws is None or db is None or not workspace.may_edit() or not name.strip():
        return False
    view = {"page": page, "query": links.current_query()}
    try:
        saved = db.save_view(ws.id, name.strip(), view, version=workspace.version_read())
    except StoreError as exc:
        workspace.write_failed(exc)
        return False
    workspace.keep_version(saved.version)
    return True


def delete_view(view_id: str) -> None:
    ws, db = workspace.active(), workspace.store()
    if ws is None or db is None or not workspace.may_edit():
        return
    try:
        workspace.keep_version(db.delete_view(ws.id, view_id, version=workspace.version_read()))
    except StoreError as exc:
        workspace.write_failed(exc)


def open_view(view: SavedView, pages: Sequence[str]) -> str:
    """Apply a saved view in this session; returns the page to show (the Funnel page when the
    saved one is unknown). What the view names is checked as a link's text is: nothing in it
    is evaluated, values the data lacks are left out with a note."""
    raw = view.state.get("query")
    query: dict[str, list[str]] = {}
    if isinstance(raw, dict):
        for name, values in raw.items():
            items = values if isinstance(values, list) else [values]
            query[str(name)] = [str(v) for v in items if isinstance(v, str | int | float)]
    asked = links.reopen(query)
    if asked.source and asked.source != st.session_state.get(workspace.SOURCE):
        opening.open_source(asked.source)
        links.reopen(query)  # opening a source starts its view afresh
    st.session_state[state.VERSION] = state.version() + 1  # the filters' widgets drawn anew
    st.session_state.pop("filters", None)
    page = view.state.get("page")
    return page if isinstance(page, str) and page in pages else pages[0]
