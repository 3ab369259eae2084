"""Clients page: create, open, rename, delete a client's workspace; its sources; its archive."""

from __future__ import annotations

import streamlit as st

from ui import access, sharing, state, uploads
from ui.i18n import fmt_date, fmt_number, quoted, t
from ui.workspaces import manage, opening, workspace


def megabytes(size: int, decimals: int = 0) -> str:
    return t("megabytes", n=fmt_number(size / 2**20, decimals))


def links_section(ws_id: str) -> None:
    """Secret links to this client: make one (to work in it, or to view it only), see which
    exist, revoke one. A link's address is shown once, when it is made."""
    st.markdown(f"**{t('ac_links_title')}**")
    st.caption(t("ac_links_intro"))
    with st.form("ac_link_form", clear_on_submit=True, border=False):
        c1, c2, c3 = st.columns([2.4, 2, 1.6], vertical_alignment="bottom")
        label = c1.text_input(
            t("ac_link_label"), placeholder=t("ac_link_label_placeholder"), key="ac_link_label"
        )
        role = None
        if c2.form_submit_button(t("ac_link_create_read")):
            role = "read"
        if c3.form_submit_button(t("ac_link_create_edit")):
            role = "edit"
    if role is not None and (token := sharing.make_link(role, label)) is not None:
        st.session_state["ac_made"] = token
    state.show_errors()
    if (made := st.session_state.pop("ac_made", None)) is not None:
        st.success(t("ac_link_created"))
        st.code(sharing.link_address(made), language=None)
    rows = sharing.link_rows()
    if not rows:
        st.caption(t("ac_no_links"))
    for link in rows:
        c1, c2, c3, c4 = st.columns([3, 2, 2, 1.4], vertical_alignment="center")
        c1.markdown(link.label or "—")
        c2.caption(t(f"ac_role_{link.role}"))
        c3.caption(f"{t('ac_col_created')}: {fmt_date(link.created)}")
        if c4.button(t("ac_link_revoke"), key=f"ac_revoke_{link.id}"):
            if sharing.revoke_link(link.id):
                st.toast(t("ac_link_revoked"))
            st.rerun()


st.title(t("ws_title"))
st.caption(t("ws_intro"))
st.caption(t(f"ac_mode_{access.mode()}"))
state.show_errors()
if (msg := st.session_state.pop("ws_flash", None)) is not None:
    st.success(msg)
if (problem := workspace.store_problem()) is not None:
    st.warning(t("ws_store_off", reason=problem))
    st.stop()

# ---- a new client ----
with st.form("ws_new_form", clear_on_submit=True, border=True):
    st.markdown(f"**{t('ws_new')}**")
    name = st.text_input(t("ws_new_name"), placeholder=t("ws_new_placeholder"), key="ws_new_name")
    if st.form_submit_button(t("ws_create"), type="primary"):
        if not name.strip():
            st.warning(t("ws_name_empty"))
        elif (made := manage.create(name)) is not None:
            st.session_state["ws_flash"] = t("ws_created", name=quoted(made.name))
            st.rerun()
        else:
            state.show_errors()

sharing.show_new_link()

# ---- the open client ----
ws = workspace.active()
can_manage = workspace.may_manage()
if ws is not None:
    st.subheader(t("ws_current", name=quoted(ws.name)))
if ws is not None and can_manage:
    with st.form("ws_rename_form", border=False):
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        new_name = c1.text_input(t("ws_new_name"), value=ws.name, key=f"ws_rename_{ws.version}")
        if c2.form_submit_button(t("ws_rename")) and new_name.strip() != ws.name:
            if manage.rename(new_name):
                st.session_state["ws_flash"] = t("ws_renamed")
            st.rerun()

if ws is not None:
    st.markdown(f"**{t('ws_sources')}**")
    rows = opening.source_rows()
    if not rows:
        st.info(t("ws_no_sources"))
    shown = st.session_state.get(workspace.SOURCE)
    for row in rows:
        c1, c2, c3, c4 = st.columns([4, 2, 2, 1.4], vertical_alignment="center")
        c1.markdown(f"**{row.name}**" if row.id == shown else row.name)
        c2.caption(t(f"ws_kind_{row.kind}"))
        c3.caption(
            f"{t('ws_col_snapshots')}: {row.snapshots} · {t('ws_col_last')}: {fmt_date(row.last)}"
        )
        if row.id != shown and c4.button(t("ws_open_source"), key=f"ws_src_{row.id}"):
            with st.spinner(t("loading")):
                opening.open_source(row.id)
            st.rerun()
    size, limit = opening.size()
    st.caption(t("ws_size", size=megabytes(size, 1), limit=megabytes(limit)))

    st.markdown(f"**{t('ws_archive')}**")
    st.caption(t("ws_archive_help"))
    c1, c2, c3 = st.columns(3)
    if c1.button(t("ws_export"), key="ws_export"):
        st.session_state["ws_archive"] = manage.export()
    archive = st.session_state.get("ws_archive")
    if archive is not None:
        file_name, data = archive
        c2.download_button(
            t("ws_download", name=file_name),
            data=data,
            file_name=file_name,
            mime="application/zip",
            key="ws_download",
            on_click="ignore",
        )
    if c3.button(t("ws_close"), key="ws_close"):
        manage.close()
        st.session_state.pop("ws_archive", None)
        st.rerun()

if ws is not None and can_manage:
    links_section(ws.id)
    with st.expander(t("ws_delete")):
        sure = st.checkbox(t("ws_delete_confirm", name=quoted(ws.name)), key=f"ws_sure_{ws.id}")
        if st.button(t("ws_delete"), key="ws_delete", disabled=not sure, type="primary"):
            if manage.delete():
                st.session_state["ws_flash"] = t("ws_deleted", name=quoted(ws.name))
                st.session_state.pop("ws_archive", None)
            st.rerun()

# ---- every client ----
st.subheader(t("ws_all"))
every = workspace.listed()
if not every:
    st.info(t("ws_none_yet"))
for other in every:
    c1, c2, c3 = st.columns([4, 3, 1.4], vertical_alignment="center")
    c1.markdown(f"**{other.name}**" if ws is not None and other.id == ws.id else other.name)
    c2.caption(f"{t('ws_col_updated')}: {fmt_date(other.updated)}")
    if (ws is None or other.id != ws.id) and c3.button(t("ws_open"), key=f"ws_open_{other.id}"):
        with st.spinner(t("loading")):
            opening.open_workspace(other.id)
        st.rerun()

st.file_uploader(t("ws_import"), type=["zip"], key="ws_import", max_upload_size=600)
if (new := uploads.new_upload("ws_import")) is not None:
    _, data, handled = new
    with st.spinner(t("loading")):
        imported = manage.import_zip(data)
        handled()
    if imported and (opened := workspace.active()) is not None:
        st.session_state["ws_flash"] = t("ws_imported", name=quoted(opened.name))
    st.rerun()
