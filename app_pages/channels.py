"""Channels page: the spend per channel in, what a lead, each stage and a won deal cost out."""

from __future__ import annotations

import dataclasses
import datetime
import math

import streamlit as st

from funnel.charts.economics import cac_chart, romi_chart, stage_cost_chart
from funnel.economics.figures import Economics
from funnel.economics.matching import suggest
from funnel.notices import Notice
from ui import charts, filters, memo, spend, state, tables, uploads, widgets
from ui.economics import channels_table, months_table, spend_rows, typed_start
from ui.i18n import (
    currency_sign,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_pct,
    lang,
    plural_deals,
    segment_name,
    t,
)
from ui.notices import notice_text

ds, deals, mask = widgets.page_data("ch_title")
econ = spend.economics(ds, mask, by_month=True)
read = spend.last_read()


def money(value: float | None) -> str:
    cur = econ.currency if econ is not None else ""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return t("ch_not_defined")
    return fmt_money(value, cur)


def with_currency(notice: Notice) -> Notice:
    """A notice whose amounts are in the economics' currency, for its sentence."""
    if econ is None or "currency" in notice.params:
        return notice
    return Notice(notice.code, {**notice.params, "currency": econ.currency})


def spend_inputs(prefix: str) -> None:
    """The three ways in: a file, a Google Sheets link, a table typed into the page."""
    tab_file, tab_sheet, tab_typed = st.tabs([t("ch_in_file"), t("ch_in_sheet"), t("ch_in_typed")])
    with tab_file:
        key = f"{prefix}_{spend.UPLOAD}"
        st.file_uploader(t("ch_upload"), type=uploads.FILE_TYPES, key=key)
        new = uploads.new_upload(key)
        if new is not None:
            name, data, handled = new
            with st.spinner(t("loading")):
                ok = spend.read_file(data, name)
            handled()
            if ok:
                st.rerun()
            state.show_errors()
    with tab_sheet, st.form(f"{prefix}_sheet_form", border=False):
        url = st.text_input(t("ch_sheet_url"), key=f"{prefix}_sheet_url")
        if st.form_submit_button(t("ch_sheet_read")) and url.strip():
            with st.spinner(t("loading")):
                if spend.read_sheet(url):
                    st.rerun()
            state.show_errors()
    with tab_typed:
        st.caption(t("ch_typed_help"))
        words = {
            "channel": t("ch_col_channel"),
            "month": t("ch_col_month"),
            "amount": t("ch_col_amount"),
        }
        channels = (
            [c for c in deals.encode("channel").labels] if "channel" in deals.segments else []
        )
        typed = st.data_editor(
            typed_start(channels, words),
            num_rows="dynamic",
            key=f"{prefix}_typed_{lang()}",
            hide_index=True,
            column_config={words["amount"]: st.column_config.NumberColumn(min_value=0.0)},
        )
        if st.button(t("ch_typed_apply"), key=f"{prefix}_typed_apply"):
            if spend.read_typed(typed, {**words, "source": t("ch_in_typed")}):
                st.rerun()
            state.show_errors()


if econ is None:
    st.info(t("ch_intro_empty"))
    spend_inputs("ch_first")
    st.stop()
shown_econ: Economics = econ  # for the callbacks below: the page has stopped otherwise

# ---- what the reading found (said once after a new table) ----
if read is not None:
    found = read.columns
    shown_cols = {
        "channel": found.get("channel", t("ch_none")),
        "period": found.get("period")
        or " / ".join(c for c in (found.get("start"), found.get("end")) if c)
        or (t("ch_period_headings") if read.dated else t("ch_none")),
        "amount": found.get("amount", "—"),
    }
    # the sentence ends with its own full stop: «Расход, тыс. руб.» does not bring a second
    shown_cols = {role: name.rstrip(".") for role, name in shown_cols.items()}
    if read.layout == "wide":
        st.caption(t("ch_read_wide"))
    else:
        st.caption(t("ch_read_columns", **shown_cols))
    # What needs a person's eye is a warning; what reading did as it should is a note.
    for notice in read.notices:
        said = notice_text(with_currency(notice))
        if notice.code in ("spend_period_unread", "spend_negative", "spend_no_channel"):
            st.warning(said)
        else:
            st.caption(said)
    for role, _why in read.guessed.items():
        if role in found:
            st.warning(t("ch_guessed", column=found[role], role=t(f"ch_role_{role}")))

# ---- the totals ----
total = econ.total()
k = st.columns(5)
k[0].metric(t("ch_kpi_spend"), money(total["spend"]))
k[1].metric(t("ch_kpi_leads"), fmt_number(total["leads"]))
k[2].metric(t("ch_kpi_cpl"), money(total["cost_per_lead"]))
k[3].metric(t("ch_kpi_cac"), money(total["cost_per_won"]))
k[4].metric(t("ch_kpi_romi"), fmt_pct(total["romi"]) if total["romi"] is not None else "—")

if econ.window is not None:
    first, last = econ.window
    # The window ends at midnight after its last day.
    last_day = (last - datetime.timedelta(days=1)).date()
    st.caption(t("ch_window", first=fmt_date(first.date()), last=fmt_date(last_day)))
if econ.spend_outside or econ.deals_outside:
    outside = f"{fmt_number(econ.deals_outside)} {plural_deals(econ.deals_outside)}"
    st.caption(t("ch_outside", amount=money(econ.spend_outside), deals=outside))
codes = {n.code for n in econ.notices}
if econ.other_currency:
    amounts = ", ".join(fmt_money(v, c) for c, v in econ.other_currency.items())
    st.warning(t("ch_other_currency", amounts=amounts, currency=currency_sign(econ.currency)))
if "spend_no_role" in codes:
    st.warning(t("ch_no_role"))
if "spend_no_created" in codes:
    st.info(t("ch_no_created"))
if "spend_outside_data" in codes:
    st.warning(t("ch_outside_all"))
narrowed = filters.current_choices()
if narrowed is not None:
    other_dims = [d for d, v in narrowed.values.items() if v and d != econ.by]
    if other_dims:
        st.caption(t("ch_filter_note", dims=", ".join(other_dims)))

# ---- the headline: the dearest and the cheapest won deal among channels large enough ----
dear, cheap = econ.dearest_and_cheapest()
if dear is not None and cheap is not None:
    st.markdown(
        "**"
        + t(
            "ch_headline",
            dear=segment_name(econ.labels[dear]),
            dear_cac=money(econ.cost_per_won[dear]),
            cheap=segment_name(econ.labels[cheap]),
            cheap_cac=money(econ.cost_per_won[cheap]),
        )
        + "**"
    )
losing = [segment_name(econ.labels[g]) for g in econ.losing()]
if losing:
    st.markdown(t("ch_headline_losing", channels=", ".join(losing)))


# ---- the table ----
st.subheader(t("ch_table_title"))
shown = memo.remember(
    "ch_table",
    memo.data_key(mask),
    lambda: tables.table(
        channels_table(shown_econ),
        percent=[t("ch_col_win_rate"), t("ch_col_romi"), t("ch_col_romi_profit")],
    ),
)
tables.show_table(shown)
st.caption(t("ch_table_note"))

# ---- charts ----
# The charts name channels as the table does («(не указано)» for spend with no channel).
named_econ = dataclasses.replace(shown_econ, labels=tuple(map(segment_name, econ.labels)))
chart_words = {
    "channel": t("ch_col_segment"),
    "cost_per_won": t("ch_col_cac"),
    "range": t("ch_col_cac_range"),
    "romi": t("ch_col_romi"),
    "not_defined": t("ch_not_defined"),
    "too_small": t("ch_verdict_too_small"),
    "no_spend": t("ch_no_spend"),
    "stage": t("ch_stage_axis"),
    "stage_cost": t("ch_stage_cell"),
    "total": t("ch_total_row"),
    "leads": t("ch_col_leads"),
    "won": t("ch_col_won"),
}


def money_label(value: float) -> str:
    return fmt_money(value, econ.currency if econ is not None else "")


def romi_label(value: float) -> str:
    return ("+" if value > 0 else "") + fmt_pct(value)


st.subheader(t("ch_charts_title"))
if not econ.priced:
    st.caption(t("ch_charts_none"))
else:
    left, right = st.columns(2)
    with left:
        charts.show_chart(
            memo.remember(
                "ch_cac_chart",
                memo.data_key(mask),
                lambda: cac_chart(named_econ, text=chart_words, fmt=money_label),
            )
        )
    with right:
        charts.show_chart(
            memo.remember(
                "ch_romi_chart",
                memo.data_key(mask),
                lambda: romi_chart(named_econ, text=chart_words, fmt=romi_label),
            )
        )

st.subheader(t("ch_stage_title"))
st.caption(t("ch_stage_note"))
charts.show_chart(
    memo.remember(
        "ch_stage_chart",
        memo.data_key(mask),
        lambda: stage_cost_chart(named_econ, text=chart_words, fmt=fmt_number),
    )
)
# Where the money went on deals that were then lost: the stage that swallowed the most.
costliest = econ.costliest_loss()
if costliest is not None:
    k_max, lost_amount, lost_share = costliest
    st.markdown(
        t(
            "ch_leak_cost",
            stage=econ.stages[k_max],
            amount=money(lost_amount),
            share=fmt_pct(lost_share),
        )
    )

# ---- matching the spend's names to the deals' channels ----
unmatched = econ.unmatched_spend
if unmatched and econ.by is not None:
    st.subheader(t("ch_unmatched_title"))
    st.caption(t("ch_unmatched_intro"))
    deal_channels = [lab for lab, m in zip(econ.labels, econ.matched, strict=True) if m]
    keep_apart = t("ch_unmatched_keep")
    with st.form("ch_match_form", border=False):
        picked: dict[str, str | None] = {}
        for label, amount in unmatched:
            options = [keep_apart, *deal_channels]
            guess = suggest(label, deal_channels)
            choice = st.selectbox(
                f"{segment_name(label)} — {money(amount)}",
                options,
                index=options.index(guess) if guess in options else 0,
                key=f"ch_match_{label}",
            )
            for written in econ.spend_names.get(label, (label,)):
                picked[written] = None if choice == keep_apart else choice
        if st.form_submit_button(t("ch_match_apply")):
            if spend.match(picked):
                st.rerun()
            state.show_errors()
if econ.without_spend:
    names = ", ".join(segment_name(x) for x in econ.without_spend)
    st.info(t("ch_without_spend", channels=names))

# ---- per month ----
if econ.months is not None and len(econ.months):
    st.subheader(t("ch_months_title"))
    c1, c2 = st.columns([2, 1])
    attribution = c1.radio(
        t("ch_attr"),
        ["cohort", "calendar"],
        format_func=lambda a: t(f"ch_attr_{a}"),
        horizontal=True,
        key="ch_attr",
    )
    month_choices = [None, *econ.labels]
    chosen = c2.selectbox(
        t("ch_months_channel"),
        month_choices,
        format_func=lambda x: t("ch_all_channels") if x is None else segment_name(x),
        key="ch_months_channel",
    )
    calendar = attribution == "calendar"
    frame = months_table(econ, chosen, calendar=calendar)
    if frame is None:
        st.info(t("ch_no_calendar"))
    else:
        tables.show_table(tables.table(frame, percent=[t("ch_col_romi")]))
        young = t("ch_col_young")
        if young in frame and frame[young].any():
            st.caption(t("ch_young_note"))

st.page_link("app_pages/planner.py", label=t("ch_planner_hint"))

# ---- the spend itself: margin, replace, remove ----
with st.expander(t("ch_spend_box")):
    kept = ds.spec.spend
    assert kept is not None
    m1, m2, m3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    margin = m1.number_input(
        t("ch_margin"),
        min_value=1.0,
        max_value=100.0,
        value=float(kept.margin * 100) if kept.margin else 30.0,
        step=1.0,
        key="ch_margin",
    )
    if m2.button(t("ch_margin_apply"), key="ch_margin_apply") and spend.set_margin(
        round(margin / 100, 4)
    ):
        st.rerun()
    cleared = kept.margin is not None and m3.button(t("ch_margin_clear"), key="ch_margin_clear")
    if cleared and spend.set_margin(None):
        st.rerun()
    rows_kept = spend_rows(kept)
    st.caption(t("ch_rows_shown", n=fmt_number(len(rows_kept))))
    st.dataframe(rows_kept, hide_index=True, height=240)
    st.markdown(f"**{t('ch_replace')}**")
    spend_inputs("ch_again")
    if st.button(t("ch_remove"), key="ch_remove") and spend.remove():
        st.toast(t("ch_removed"))
        st.rerun()
