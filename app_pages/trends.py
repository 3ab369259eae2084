"""Trends page: step conversion by creation cohort, immature cohorts marked, shifts in words."""

from __future__ import annotations

import streamlit as st

from funnel import trend_charts
from funnel.cohorts import cohort_trends, find_shifts
from funnel.spec import SEGMENT_ROLES
from ui import filters, state, widgets
from ui.i18n import dim_label, fmt_date, fmt_number, fmt_pct, lang, plural_deals, t
from ui.strings.trends import cohort_words

TOP_SEGMENTS = 6

st.title(t("tr_title"))
state.show_errors()
ds = state.current()
if ds is None:
    st.warning(t("no_data"))
    st.stop()
widgets.source_banner(ds)
deals = ds.deals
if deals.created is None:
    st.info(t("tr_no_created"))
    st.stop()
st.caption(t("tr_intro"))

c1, c2, c3 = st.columns([1.4, 1.6, 1.4])
st.session_state.setdefault("tr_period_chosen", "month")
period = widgets.remembered_segmented(
    t("tr_period"),
    ["week", "month", "quarter"],
    key="tr_period",
    format_func=lambda p: t(f"tr_period_{p}"),
    container=c1,
)
basis = widgets.remembered_segmented(
    t("tr_basis"),
    ["decided", "reached"],
    key="tr_basis",
    format_func=lambda b: t(f"tr_basis_{b}"),
    container=c2,
    help=t("tr_basis_help"),
)
dims = [r for r in SEGMENT_ROLES if r in deals.segments]
by = widgets.remembered_selectbox(
    t("tr_by"),
    [None, *dims],
    key="tr_by",
    format_func=lambda d: t("tr_no_by") if d is None else dim_label(d),
    container=c3,
)
mask = filters.current_mask(deals)
trends = state.guarded(cohort_trends, deals, period, mask=mask, basis=basis)
if trends is None or not len(trends.cohorts):
    st.warning(t("no_deals_filter"))
    st.stop()
if len(trends.cohorts) < 2:
    st.info(t("tr_one_cohort"))
language = lang()
pct = widgets.pct_formatter()
words = {
    key: t(f"tw_{key}")
    for key in (
        "created", "cohort", "rate", "passed", "trials", "immature", "mature",
        "open", "lost", "won", "outcome", "before", "after", "change",
    )
}  # fmt: skip
words.update(step=t("tr_step"), deals=t("kpi_deals"), segment=t("col_segment"))


def step_words(from_stage: str, to_stage: str | None, step: int) -> str:
    return trend_charts.step_name(from_stage, to_stage, step, len(deals.stages), words)


# ---- the steps by cohort ----
mat = trends.maturity
if mat.step_days and mat.as_of is not None:
    steps_days = mat.step_days[:-1] or mat.step_days
    rule = t(
        "tr_rule_age",
        min_days=fmt_number(min(steps_days)),
        max_days=fmt_number(max(steps_days)),
        won_days=fmt_number(mat.step_days[-1]),
        date=fmt_date(mat.as_of),
    )
else:
    rule = t("tr_rule_open")
shifts = find_shifts(trends)
st.subheader(t("tr_steps_title"))
st.caption(t("tr_caption", rule=rule))
chart = trend_charts.cohort_trend_chart(trends, shifts=shifts, text=words, fmt_pct=pct)
st.altair_chart(chart, width="content", theme=None)
widgets.chart_downloads(chart, f"trends_{period}", key="tr_chart")

st.subheader(t("tr_shifts_title"))
significant = [s for s in shifts if s.significant]
for s in significant:
    st.markdown(
        t(
            "tr_shift_up" if s.after_rate > s.before_rate else "tr_shift_down",
            step=step_words(s.from_stage, s.to_stage, s.step),
            when=cohort_words(s.first_after, period, language, genitive=True),
            before=fmt_pct(s.before_rate),
            after=fmt_pct(s.after_rate),
            n_before=fmt_number(s.before_trials),
            n_after=fmt_number(s.after_trials),
            p=fmt_number(s.p_adjusted, 3),
        )
    )
if not significant:
    st.info(t("tr_no_shift"))
st.caption(t("tr_shift_note"))

st.subheader(t("tr_volume_title"))
st.caption(t("tr_volume_caption"))
volume = trend_charts.volume_chart(trends, text=words)
st.altair_chart(volume, width="content", theme=None)
if trends.undated:
    st.caption(t("tr_undated", n=f"{fmt_number(trends.undated)} {plural_deals(trends.undated)}"))

# ---- one step by segment ----
shown = trends
if by is not None:
    by_trends = state.guarded(cohort_trends, deals, period, by, mask=mask, basis=basis)
    if by_trends is not None and len(by_trends.cohorts):
        shown = by_trends
        st.subheader(t("tr_segments_title"))
        n_steps = len(deals.stages) + 1
        steps = list(range(n_steps))
        names = {
            k: step_words(
                deals.stages[k] if k < len(deals.stages) else deals.stages[0],
                deals.stages[k + 1] if k + 1 < len(deals.stages) else None,
                k,
            )
            for k in steps
        }
        default_step = significant[0].step if significant else 0
        step = widgets.remembered_selectbox(
            t("tr_step"),
            [default_step, *[k for k in steps if k != default_step]],
            key="tr_seg_step",
            format_func=lambda k: names[k],
        )
        st.caption(t("tr_segments_caption", n=trend_charts.MIN_POINT_TRIALS))
        segments = by_trends.segments()
        top = segments[:TOP_SEGMENTS]
        if len(segments) > len(top):
            st.caption(t("tr_top_note", n=len(top), total=len(segments)))
        seg_chart = trend_charts.segment_trend_chart(
            by_trends, step, segments=top, text=words, fmt_pct=pct
        )
        st.altair_chart(seg_chart, width="content", theme=None)
        widgets.chart_downloads(seg_chart, f"trends_{period}_{by}", key="tr_seg_chart")

# ---- the table ----
st.subheader(t("tr_table_title"))
table = shown.table.copy()
table["step"] = [
    step_words(f, s_to, k)
    for f, s_to, k in zip(table["from_stage"], table["to_stage"], table["step"], strict=True)
]
columns = [
    "segment", "cohort", "step", "deals", "trials", "open_at", "passed",
    "rate", "rate_decided", "horizon_days", "immature",
]  # fmt: skip
table = table[columns].rename(columns={c: t(f"tc_{c}") for c in columns})
st.dataframe(
    table,
    hide_index=True,
    column_config={
        t("tc_rate"): st.column_config.NumberColumn(format="percent"),
        t("tc_rate_decided"): st.column_config.NumberColumn(format="percent"),
        t("tc_horizon_days"): st.column_config.NumberColumn(format="%.0f"),
    },
)
widgets.table_downloads(table, f"cohorts_{period}", key="tr_table", sheet="cohorts")
