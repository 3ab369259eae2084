"""Report page: the client report (HTML and PDF) from the data and filters shown, previewed here."""

from __future__ import annotations

import dataclasses
import time

import streamlit as st
import streamlit.components.v1 as components

from funnel.document import client_report
from funnel.document.content import SECTIONS
from funnel.document.html import to_html
from funnel.document.pdf import to_pdf
from funnel.filters import segment_dims
from ui import filters, memo, widgets
from ui.i18n import LANGS, dim_label, fmt_number, lang, t

BUILT = "report_built"  # (key, html, pdf) of the last report built in this session

ds, deals, mask = widgets.page_data("report_title")
st.caption(t("report_intro"))

name = ds.name.rsplit(".", 1)[0]
c1, c2 = st.columns([3, 1])
title = c1.text_input(t("report_name"), value=t("report_name_default", name=name), key="rp_title")
language = c2.segmented_control(
    t("report_lang"),
    LANGS,
    default=lang(),
    format_func=lambda code: {"ru": "Русский", "en": "English"}[code],
    key="rp_lang",
    required=True,
)
sections = st.multiselect(
    t("report_sections"),
    list(SECTIONS),
    default=list(SECTIONS),
    format_func=lambda s: t(f"report_sec_{s}"),
    key="rp_sections",
)
dims = [d for d in segment_dims(deals) if d != "pipeline"]
c1, c2 = st.columns([3, 2])
by = c1.multiselect(
    t("report_by"),
    dims,
    default=[d for d in ("channel", "product") if d in dims] or dims[:1],
    format_func=dim_label,
    key="rp_by",
)
target = c2.number_input(
    t("report_target"), min_value=0.0, value=0.0, step=100_000.0, key="rp_target"
)

choices = filters.current_choices()
if choices is not None and ds.spec.filter.get("pipeline"):
    values = {"pipeline": tuple(ds.spec.filter["pipeline"]), **choices.values}
    choices = dataclasses.replace(choices, values=values)
settings = (title, language, tuple(sections), tuple(by), float(target))
key = (memo.data_key(mask), settings)

if st.button(t("report_build"), type="primary", key="rp_build"):
    started = time.monotonic()
    with st.status(t("report_step_content"), expanded=False) as status:
        report = client_report(
            deals,
            by=by or None,
            mask=mask,
            title=title,
            source=ds.name,
            language="en" if language == "en" else "ru",
            sections=sections,
            target=float(target) or None,
            filters=choices,
        )
        status.update(label=t("report_step_html"))
        html = to_html(report)
        status.update(label=t("report_step_pdf"))
        pdf = to_pdf(report, html)
        seconds = time.monotonic() - started
        status.update(
            label=t(
                "report_done",
                seconds=fmt_number(seconds, 1),
                html=fmt_number(len(html.encode("utf-8")) / 1024),
                pdf=fmt_number(len(pdf) / 1024),
            ),
            state="complete",
        )
    st.session_state[BUILT] = (key, html, pdf)

built = st.session_state.get(BUILT)
if built is None:
    st.stop()
built_key, html, pdf = built
if built_key != key:
    st.info(t("report_stale"))
file_name = widgets.slug(title or name) or "report"
c1, c2, _ = st.columns([1, 1, 3])
c1.download_button(
    t("report_download_html"),
    data=html.encode("utf-8"),
    file_name=f"{file_name}.html",
    mime="text/html",
    key="rp_html",
)
c2.download_button(
    t("report_download_pdf"),
    data=pdf,
    file_name=f"{file_name}.pdf",
    mime="application/pdf",
    key="rp_pdf",
)
st.subheader(t("report_preview"))
# The report is a closed document (no script, no external address: see funnel/document); the
# preview shows it in a sandboxed frame.
components.html(html, height=900, scrolling=True)
