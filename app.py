"""Voronka: the router. Page config, navigation, the shared sidebar and state defaults."""

from __future__ import annotations

import streamlit as st

from ui import boundary, filters, links, saved_views, sheets, state, uploads
from ui.i18n import LANGS, default_lang, t
from ui.workspaces import arriving, exports, keeping, workspace

st.set_page_config(page_title="Voronka", page_icon="📊", layout="wide")

links.arrive()  # a link's language first: every word below depends on it
st.session_state.setdefault("lang", default_lang())
st.session_state.setdefault(state.ERRORS, [])

state.OBSERVERS.stored = exports.dataset_stored
state.OBSERVERS.applied = keeping.mapping_applied

with st.spinner(t("loading")):
    arriving.arrive()  # a link to a client's workspace opens it instead of the sample
    arriving.recheck()  # a revoked link stops opening its client at once
    state.ensure_loaded()
    sheets.refresh_if_stale()

# A read-only link shows the dashboards: no Data page (the raw file, the mapping editor) and no
# Clients page.
editing = workspace.may_edit()
data_page = st.Page("app_pages/data.py", title=t("nav_data"))
pages = [
    st.Page("app_pages/funnel.py", title=t("nav_funnel"), default=True),
    *([data_page] if editing else []),
    st.Page("app_pages/compare.py", title=t("nav_compare")),
    st.Page("app_pages/trends.py", title=t("nav_trends")),
    st.Page("app_pages/changes.py", title=t("nav_changes")),
    st.Page("app_pages/velocity.py", title=t("nav_velocity")),
    st.Page("app_pages/channels.py", title=t("nav_channels")),
    st.Page("app_pages/planner.py", title=t("nav_planner")),
    st.Page("app_pages/report.py", title=t("nav_report")),
    *([st.Page("app_pages/workspaces.py", title=t("nav_workspaces"))] if editing else []),
]
page = st.navigation(pages)
on_data_page = page.url_path == data_page.url_path

# A file dropped on the Data page is read before the sidebar shows the data, so this run
# draws it; dropped just before another page was clicked, it is read on that page.
loaded = editing and uploads.take_deals_file(flash=on_data_page)
if loaded and not on_data_page and state.pending() is not None:
    st.switch_page(data_page)  # it needs its mapping, which the Data page edits

with st.sidebar:
    st.segmented_control(
        "Язык / Language",
        LANGS,
        format_func=lambda code: {"ru": "Русский", "en": "English"}[code],
        key="lang",
        required=True,
    )

with st.sidebar:
    arriving.sidebar()

with st.sidebar:
    filters.sidebar()
    saved_views.sidebar(page.url_path, {p.url_path: p for p in pages})

boundary.run(page)
