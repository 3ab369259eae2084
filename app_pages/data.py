"""Data page: upload or Google Sheets link, sheet, preview, the mapping, saved specs, history."""

from __future__ import annotations

import streamlit as st

from funnel.charts.snapshots import timeline
from ui import sharing, sources, spec_editor, state, tables, uploads, widgets
from ui import sheets as google_sheets
from ui.i18n import fmt_date, fmt_number, lang, t
from ui.notices import error_text, notice_text, render
from ui.workspaces import arriving, keeping, manage, opening

FILE_TYPES = uploads.FILE_TYPES


st.title(t("data_title"))

c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
# a file given here is read by the router, before the sidebar shows the data (ui/uploads.py)
c1.file_uploader(t("upload_label"), type=FILE_TYPES, key="upload", max_upload_size=200)
# The sidebar (filters, pipeline, dates) was drawn before this page ran: after a new dataset
# the run starts over so that it shows the new data's.
if c2.button(t("sample_button"), key="sample_button"):
    with st.spinner(t("loading")):
        if manage.show_sample():
            st.rerun()

google_sheets.show()

state.show_errors()
if (msg := st.session_state.pop("flash_ok", None)) is not None:
    st.success(msg)
if (msg := arriving.note()) is not None:
    st.info(msg)
sharing.show_new_link()

ds = state.editing()
if ds is None:
    st.warning(t("no_data"))
    st.stop()

if isinstance(ds, state.Draft):
    # A file that makes no funnel yet is mapped here; the other pages keep the last good data.
    kept = state.current()
    c1, c2 = st.columns([5, 1.2], vertical_alignment="center")
    c1.warning(
        t("pending_note", name=ds.name, current=kept.name)
        if kept is not None
        else t("pending_note_first", name=ds.name)
    )
    if kept is not None and c2.button(t("pending_discard"), key="pending_discard"):
        state.discard_pending()
        st.rerun()
else:
    widgets.source_banner(ds, offer_upload=False)

# ---- sheet and preview ----
sheets = sources.sheets(ds)
if len(sheets) > 1:
    # table.sheet: a Google Sheet's tab too (ds.sheet leaves it to the sheet's name)
    index = sheets.index(ds.table.sheet) if ds.table.sheet in sheets else 0
    sheet = st.selectbox(t("sheet"), sheets, index=index, key=f"sheet_{state.version()}")
    if sheet != ds.table.sheet:
        with st.spinner(t("loading")):
            if sources.set_sheet(sheet):
                st.rerun()
        state.show_errors()

st.subheader(t("preview"))
table = ds.table
# The encoding and delimiter are those of a file; a Google Sheet's CSV is the app's own.
enc = f"; {table.encoding}" if table.encoding and ds.sheet_source is None else ""
if table.delimiter and ds.sheet_source is None:
    enc += f", «{table.delimiter}»" if lang() == "ru" else f', "{table.delimiter}"'
st.caption(
    t(
        "preview_caption",
        row=table.header_row,
        rows=fmt_number(len(ds.frame)),
        dropped=fmt_number(table.dropped_rows),
        enc=enc,
    )
)
st.dataframe(tables.source_rows(ds.frame.head(20)), height=280)
for note in table.notes:
    st.caption(notice_text(note))
with st.expander(t("columns_title"), expanded=isinstance(ds, state.Draft)):
    st.dataframe(spec_editor.columns_table(ds), hide_index=True)

# ---- what to know ----
layout = t(f"layout_{ds.spec.layout}")
st.subheader(t("warnings_title"))
st.caption(t("layout", layout=layout))
# Detection's advice is about its own proposal; once a saved or edited mapping is applied it
# no longer applies (the stage order it guessed, say, has been confirmed).
proposed = ds.spec == ds.inference.spec
advice = [n for n in ds.inference.warnings if proposed]
if isinstance(ds, state.Draft):
    # the editor asks for the stage in plain words; the notice would say it twice
    render([n for n in advice if n.code != "detect_no_stage"])
else:
    render([*advice, *ds.deals.notices])

# ---- the mapping ----
spec_editor.show(ds)
state.show_errors()

st.subheader(t("spec_title"))
c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
widgets.spec_download(ds, label=t("spec_download"), key="spec_download", container=c1)
c2.file_uploader(t("spec_upload"), type=["yaml", "yml"], key="spec_upload")
if (new := uploads.new_upload("spec_upload")) is not None:
    name, data, handled = new
    loaded = state.load_spec(data, name)
    handled()
    if loaded:
        st.session_state["flash_ok"] = t("spec_loaded", name=name)
        st.rerun()
    state.show_errors()
with st.expander("YAML"):
    st.code(ds.spec.to_yaml(), language="yaml")

# ---- stage history ----
st.subheader(t("events_title"))
st.caption(t("events_caption"))
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
c1.file_uploader(t("events_upload"), type=FILE_TYPES, key="events_upload", max_upload_size=200)
if ds.events_name:
    c2.button(t("events_drop"), key="events_drop", on_click=keeping.drop_events)
    st.success(t("events_loaded", name=ds.events_name))
if (new := uploads.new_upload("events_upload")) is not None:
    name, data, handled = new
    with st.spinner(t("loading")):
        attached = keeping.set_events(data, name)
        handled()
        if attached:
            st.rerun()
    state.show_errors()

# ---- exports of this source over time (a client's workspace) ----
shots = opening.snapshots()
if shots:
    st.subheader(t("snap_title"))
    st.caption(t("snap_help"))
    if len(shots) == 1:
        st.info(t("snap_one", date=fmt_date(shots[0].taken)))
    else:
        words = {"taken": t("snap_col_taken"), "file": t("snap_col_file")}
        chart = timeline([s.taken for s in shots], [s.file_name for s in shots], words=words)
        st.altair_chart(chart, width="stretch")
        if isinstance(ds, state.Dataset) and (said := opening.coverage_words(ds.coverage)):
            st.caption(said)
        if isinstance(ds, state.Dataset) and ds.history_refused is not None:
            st.info(t("snap_no_history", why=error_text(ds.history_refused)))
