"""The sidebar's saved views of a client: the view shown kept under a name, and opened again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from ui import workspaces
from ui.i18n import t


def sidebar(current: str, pages: Mapping[str, Any]) -> None:
    """``current`` is the shown page's url path; ``pages`` every page by its url path."""
    if workspaces.active() is None:
        return
    views = workspaces.saved_views()
    with st.expander(t("views_title"), expanded=False):
        if not views:
            st.caption(t("views_none"))
        for view in views:
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            if c1.button(view.name, key=f"view_open_{view.id}", type="tertiary"):
                st.switch_page(pages[workspaces.open_view(view, list(pages))])
            if workspaces.may_edit():
                c2.button(
                    "✕",
                    key=f"view_del_{view.id}",
                    help=t("views_delete"),
                    on_click=workspaces.delete_view,
                    args=(view.id,),
                )
        if not workspaces.may_edit():
            return
        with st.form("view_save_form", clear_on_submit=True, border=False):
            name = st.text_input(
                t("views_name"), placeholder=t("views_placeholder"), key="view_save_name"
            )
            saved = st.form_submit_button(t("views_save")) and workspaces.save_view(name, current)
            if saved:
                st.toast(t("views_saved", name=name.strip()))
