"""Planner page (being built)."""

import streamlit as st

from ui.i18n import t

st.title(t("nav_planner"))
