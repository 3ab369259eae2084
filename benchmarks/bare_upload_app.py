"""The baseline of ``./dev bench uploads``: the least an app can do with the same upload. It
takes the workbook, reads it with fastexcel (header on the third row, as the benchmark's files
have it) and draws one Altair bar chart of the deals per stage, nothing else: what Streamlit and
the browser cost for "upload -> chart" before any of Voronka's work."""

from __future__ import annotations

import altair as alt
import fastexcel
import streamlit as st

uploaded = st.file_uploader("Workbook", type=["xlsx"], key="upload")
if uploaded is not None:
    frame = fastexcel.read_excel(uploaded.getvalue()).load_sheet(0, header_row=2).to_pandas()
    st.caption(f"Источник: {uploaded.name}")
    counts = frame["Этап сделки"].value_counts().rename_axis("stage").reset_index(name="deals")
    st.altair_chart(alt.Chart(counts).mark_bar().encode(x="deals:Q", y=alt.Y("stage:N", sort="-x")))
