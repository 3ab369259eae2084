"""The Google Sheets box of the Data page: link, open, the key for private sheets, refresh."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from funnel.io import google_access
from ui import sources, state
from ui.i18n import lang, t

LINK = "gs_url"
LINK_TYPED = "gs_url_typed"
KEY_UPLOAD = "gs_key_upload"
AUTO_TRIED = "gs_auto_refresh_tried"  # the fetch time an automatic refresh was tried for


def _local_time(moment: datetime) -> str:
    """The fetch time in the browser's time zone when it is known, else UTC."""
    try:
        zone = st.context.timezone
        local = moment.astimezone(ZoneInfo(zone)) if zone else moment
    except (ZoneInfoNotFoundError, ValueError, AttributeError):
        local = moment
    suffix = "" if local.tzinfo is not UTC else " UTC"
    return local.strftime("%H:%M:%S") + suffix


def _take_key_upload() -> None:
    """Parse a newly uploaded key into the session (memory only; the bytes are not kept)."""
    uploaded = st.session_state.get(KEY_UPLOAD)
    if uploaded is None or st.session_state.get(f"{KEY_UPLOAD}_seen") == uploaded.file_id:
        return
    st.session_state[f"{KEY_UPLOAD}_seen"] = uploaded.file_id
    info = state.guarded(google_access.parse_key, uploaded.getvalue())
    if info is not None:
        st.session_state[sources.SHEET_KEY] = info
        email = google_access.service_account_email(info)
        st.session_state["flash_ok"] = t("gs_key_loaded", email=email)


def _forget_key() -> None:
    st.session_state.pop(sources.SHEET_KEY, None)


def _private_access() -> None:
    """Whom to share with, where the key comes from, and the session-only upload."""
    credentials = sources.sheet_credentials()
    with st.expander(t("gs_private_title"), expanded=credentials is not None):
        if credentials is not None:
            email = state.guarded(google_access.service_account_email, credentials)
            if email:
                st.markdown(t("gs_share_with"))
                st.code(email, language=None)
            uploaded = bool(st.session_state.get(sources.SHEET_KEY))
            st.caption(t("gs_key_from_upload" if uploaded else "gs_key_from_secrets"))
            if uploaded:
                st.button(t("gs_key_forget"), key="gs_key_forget", on_click=_forget_key)
        else:
            st.caption(t("gs_key_none"))
        # A key file is about 2 KB; the page-wide 200 MB limit makes no sense here.
        st.file_uploader(t("gs_key_upload"), type=["json"], key=KEY_UPLOAD, max_upload_size=1)


def _refresh_row(ds: state.Dataset) -> None:
    source = ds.sheet_source
    assert source is not None
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.caption(
        t(
            "gs_source",
            name=ds.name,
            time=_local_time(source.fetched_at),
            minutes=sources.SHEET_TTL // 60,
        )
    )
    if c2.button(t("gs_refresh"), key="gs_refresh"):
        with st.spinner(t("loading")):
            if sources.refresh():
                st.session_state["flash_ok"] = t("gs_refreshed")
                st.rerun()


def refresh_if_stale() -> None:
    """Fetch a linked sheet again when it is older than the cache's lifetime (the app runs this
    before any page, so every page stays current); a failure is shown once, not on every click,
    and the last data stays."""
    ds = state.current()
    if ds is None or ds.sheet_source is None or not sources.is_stale(ds):
        return
    if st.session_state.get(AUTO_TRIED) == ds.sheet_source.fetched_at:
        return
    st.session_state[AUTO_TRIED] = ds.sheet_source.fetched_at
    with st.spinner(t("loading")):
        sources.refresh(fresh=False)  # a copy another session fetched meanwhile will do


def show() -> None:
    """The box; errors are flashed through ``state`` for the page's ``show_errors``."""
    st.subheader(t("gs_title"))
    _take_key_upload()
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    # The box is made anew when the language changes its label; it starts from the last link
    # typed, which lives under a key of its own (as widgets.remembered_selectbox does).
    url = c1.text_input(
        t("gs_link_label"),
        value=st.session_state.get(LINK_TYPED, ""),
        key=f"{LINK}_{lang()}",
        placeholder=t("gs_link_placeholder"),
        help=t("gs_link_help"),
    )
    st.session_state[LINK_TYPED] = url
    if c2.button(t("gs_open"), key="gs_open", type="primary"):
        if not url.strip():
            st.warning(t("gs_no_link"))
        else:
            with st.spinner(t("loading")):
                if sources.load_sheet(url.strip()):
                    ds = state.current()
                    st.session_state["flash_ok"] = t("gs_loaded", name=ds.name if ds else "")
                    st.rerun()

    ds = state.current()
    if ds is not None and ds.sheet_source is not None:
        _refresh_row(ds)
        if not ds.table.sheets:
            st.caption(t("gs_public_hint"))
    else:
        st.caption(t("gs_public_hint"))
    if (problem := sources.secrets_problem()) is not None:
        st.error(problem)
    _private_access()
