"""Velocity page: days per stage and to win, per segment, and the deals stuck now."""

from __future__ import annotations

import math

import streamlit as st

from funnel.charts import plan as plan_charts
from funnel.filters import segment_dims
from funnel.overtime.velocity import (
    MIN_MOVED,
    STUCK_PERCENTILE,
    shown_stuck,
    stuck_deals,
    velocity,
)
from ui import charts, memo, state, tables, widgets
from ui.i18n import (
    currency_sign,
    dim_label,
    fmt_date,
    fmt_money,
    fmt_number,
    lang,
    segment_name,
    t,
)
from ui.strings.planner import forms

TOP_SEGMENTS = 6

ds, deals, mask = widgets.page_data("vel_title")

dims = segment_dims(deals)
by = widgets.remembered_selectbox(
    t("vel_by"),
    [None, *dims],
    key="vel_by",
    format_func=lambda d: t("vel_by_none") if d is None else dim_label(d),
    container=st.columns([1.2, 3])[0],
)
# What the page computes is reused while the widgets that shape it stay as they are.
here = memo.data_key(mask)
vel = memo.remember(
    "vel_velocity", (here, by), lambda: state.guarded(velocity, deals, by, mask=mask)
)
if vel is None:
    st.stop()
if vel.now is not None:
    st.caption(t("vel_now", date=fmt_date(vel.now)))
if not vel.has_stage_dates and not vel.has_cycle:
    st.info(t("vel_no_dates"))
    st.stop()
if not vel.has_stage_dates:
    st.info(t("vel_snapshot"))

q1, med, q3, n = vel.to_win[0]
k = st.columns([2, 1, 1])  # the label and the spread are long: room so they are not cut
k[0].metric(
    t("vel_kpi_to_win"),
    fmt_number(med) if n else "—",
    t("vel_kpi_spread", q1=fmt_number(q1), q3=fmt_number(q3)) if n else None,
    delta_color="off",
    delta_arrow="off",
)

# ---- the spread chart ----
st.subheader(t("vel_chart_title"))
shown = ["", *vel.segments(top=TOP_SEGMENTS)]
words = {
    "stage": t("vel_col_stage"),
    "segment": t("vel_col_segment"),
    "days": t("vel_days"),
    "median": t("vel_col_median"),
    "q1": t("vel_col_q1"),
    "q3": t("vel_col_q3"),
    "n": t("vel_col_n"),
    "to_win": t("vel_to_win"),
    "all": t("vel_all"),
    "n_short": "n={n}",
}
days = lambda v: fmt_number(v)  # noqa: E731


def spread():
    assert vel is not None  # stopped above otherwise; a closure is not narrowed
    if by:
        return plan_charts.segment_heatmap(
            vel, shown[1:], text=words, fmt_days=days, min_n=MIN_MOVED
        )
    return plan_charts.spread_chart(vel, text=words, fmt_days=days)


chart = memo.remember("vel_chart", (here, by), spread)
charts.show_chart(chart)
st.caption(t("vel_heatmap_caption", n=TOP_SEGMENTS, m=MIN_MOVED) if by else t("vel_chart_caption"))
charts.chart_downloads(
    chart, f"velocity_{widgets.slug(ds.name)}", key="vel_chart", title=t("vel_title")
)


def days_table() -> tables.Table:
    assert vel is not None  # stopped above otherwise; a closure is not narrowed
    table = vel.shown_table()
    table["segment"] = [t("vel_all") if s == "" else segment_name(s) for s in table["segment"]]
    table["stage"] = table["stage"].fillna(t("vel_to_win"))
    table = table.rename(columns={c: t(f"vel_col_{c}") for c in table.columns})
    days_cols = {t(f"vel_col_{c}"): 1 for c in ("q1", "median", "q3")}
    return tables.table(table, decimals=days_cols)


# The table is made only while its section is open: a closed one costs a rerun nothing.
days_section = st.expander(t("vel_table"), key="vel_table_open", on_change="rerun")
if days_section.open:
    with days_section:
        table = memo.remember("vel_table", (here, by), days_table)
        tables.show_table(table, height=320)
        tables.table_downloads(
            table.frame, f"velocity_{widgets.slug(ds.name)}", key="vel_table", sheet="velocity"
        )

# ---- stuck deals ----
st.subheader(t("stuck_title"))
stuck = memo.remember("vel_stuck", here, lambda: state.guarded(stuck_deals, deals, mask=mask))
if stuck is None:
    st.info(t("vel_no_dates"))
    st.stop()
if stuck.basis == "stage":
    st.caption(t("stuck_rule_stage", p=STUCK_PERCENTILE, m=MIN_MOVED))
else:
    norm = float(stuck.norms[0])
    st.caption(
        t(
            "stuck_rule_age",
            p=STUCK_PERCENTILE,
            norm=fmt_number(norm) if not math.isnan(norm) else "—",
        )
    )
if stuck.basis == "stage":
    norms_section = st.expander(t("stuck_norms"), key="stuck_norms_open", on_change="rerun")
if stuck.basis == "stage" and norms_section.open:
    with norms_section:
        norms = stuck.norms_table(deals.stages).rename(
            columns={
                "stage": t("vel_col_stage"),
                "norm_days": t("stuck_col_norm_days"),
                "norm_n": t("stuck_norm_n"),
            }
        )
        st.dataframe(norms, hide_index=True)
language = lang()
frame = stuck.deals
rule_words = {r: t(f"stuck_rule_word_{r}") for r in ("stage", "age")}


def plain_frame(rows):
    assert stuck is not None  # stopped above otherwise; a closure is not narrowed
    out = shown_stuck(rows)
    out["rule"] = out["rule"].map(rule_words)
    if "channel" in out:
        out["channel"] = out["channel"].map(segment_name)
    if "deal" in out:
        # an ID, not a number to group in thousands
        out["deal"] = tables.source_rows(out[["deal"]])["deal"].astype(str)
    days_key = "stuck_col_days" if stuck.basis == "stage" and stuck.by_age == 0 else None
    names = {
        c: t(days_key or "stuck_col_days_age") if c == "days" else t(f"stuck_col_{c}")
        for c in out.columns
    }
    if stuck.basis == "stage" and stuck.by_age:
        names["days"] = f"{t('stuck_col_days')} / {t('stuck_col_days_age').lower()}"
    return out.rename(columns=names)


ratio_places = {t("stuck_col_over_ratio"): 1}
summary = t(
    "stuck_summary",
    stuck=fmt_number(len(frame)),
    n=fmt_number(stuck.open_checked),
    word=forms("w_judged", stuck.open_checked, language),
)
if stuck.not_judged and stuck.basis == "stage":
    summary += t(
        "stuck_summary_rest",
        n=fmt_number(stuck.not_judged),
        word=forms("w_open", stuck.not_judged, language),
        m=fmt_number(MIN_MOVED),
        deals=forms("w_deals_gen", MIN_MOVED, language),
    )
if stuck.not_judged:  # otherwise the tile below says it all
    st.markdown(summary + ".")
if stuck.by_age:
    st.caption(
        t(
            "stuck_by_age",
            n=fmt_number(stuck.by_age),
            word=forms("w_deal_nom", stuck.by_age, language),
            p=STUCK_PERCENTILE,
            norm=fmt_number(stuck.age_norm),
        )
    )


def missed_table() -> tables.Table:
    assert stuck is not None and stuck.unjudged is not None  # checked before it is asked for
    missed = plain_frame(stuck.unjudged).drop(
        columns=[t(f"stuck_col_{c}") for c in ("norm_days", "over_days", "over_ratio", "rule")]
    )
    return tables.table(missed, decimals=ratio_places)


if stuck.not_judged and stuck.unjudged is not None and not stuck.unjudged.empty:
    missed_section = st.expander(
        t("stuck_unjudged", n=fmt_number(stuck.not_judged)),
        key="stuck_unjudged_open",
        on_change="rerun",
    )
    if missed_section.open:
        with missed_section:
            st.caption(t("stuck_unjudged_caption", m=MIN_MOVED))
            tables.show_table(memo.remember("vel_missed", here, missed_table))
if not stuck.open_checked:
    st.info(t("stuck_none_judged"))
    st.stop()
sign = currency_sign(stuck.currency)
k = list(st.columns(4))
k[0].metric(
    t("stuck_kpi"),
    fmt_number(len(frame)),
    t(
        "stuck_kpi_of",
        n=fmt_number(stuck.open_checked),
        word=forms("w_judged", stuck.open_checked, language),
    ),
    delta_color="off",
    delta_arrow="off",
)
k[1].metric(
    t("stuck_kpi_money") + (f", {sign}" if sign else ""),
    fmt_money(stuck.at_risk, stuck.currency),
    help=t("stuck_money_help", cur=stuck.currency) if stuck.currency else None,
)
if stuck.other_currency:
    st.caption(
        t(
            "stuck_other_currency",
            n=fmt_number(stuck.other_currency),
            word=forms("w_deal_nom", stuck.other_currency, language),
        )
    )
if frame.empty:
    st.success(t("stuck_none"))
    st.stop()
st.caption(t("stuck_sorted"))
stuck_table = memo.remember(
    "vel_stuck_table", here, lambda: tables.table(plain_frame(frame), decimals=ratio_places)
)
tables.show_table(stuck_table, height=360)
tables.table_downloads(
    stuck_table.frame, f"stuck_{widgets.slug(ds.name)}", key="stuck_table", sheet="stuck"
)
