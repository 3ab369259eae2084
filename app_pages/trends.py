"""Trends page: step conversion by creation cohort, immature cohorts marked, shifts in words."""

from __future__ import annotations

import dataclasses
from functools import partial

import streamlit as st

from funnel.charts import trends as trend_charts
from funnel.filters import segment_dims
from funnel.overtime.cohorts import ALL, Period, cohort_trends, find_shifts, near_change
from ui import charts, memo, state, tables, widgets
from ui.i18n import dim_label, fmt_date, fmt_number, fmt_pct, lang, plural_deals, segment_name, t
from ui.strings.trends import cohort_since, cohort_words

TOP_SEGMENTS = 6

PERIOD_ORDER: list[Period] = ["week", "month", "quarter"]
title = st.empty()  # worded after the period is chosen
ds, deals, mask = widgets.page_data(None)
if deals.created is None:
    st.info(t("tr_no_created"))
    st.stop()
st.caption(t("tr_intro"))

c1, c2, c3 = st.columns([1.3, 2.3, 1.3])
st.session_state.setdefault("tr_period_chosen", "month")
period = widgets.remembered_segmented(
    t("tr_period"),
    PERIOD_ORDER,
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
dims = segment_dims(deals)
by = widgets.remembered_selectbox(
    t("tr_by"),
    [None, *dims],
    key="tr_by",
    format_func=lambda d: t("tr_no_by") if d is None else dim_label(d),
    container=c3,
)
title.title(t("tr_title", unit=t(f"tr_title_unit_{period}")))
# What the page computes is reused while the widgets that shape it stay as they are.
here = (memo.data_key(mask), period, basis)
trends = memo.remember(
    "tr_trends", here, lambda: state.guarded(cohort_trends, deals, period, mask=mask, basis=basis)
)
if trends is None or not len(trends.cohorts):
    st.warning(t("no_deals_filter"))
    st.stop()
if len(trends.cohorts) < 2:
    st.info(t("tr_one_cohort"))
language = lang()
pct = tables.pct_formatter()
words = {
    key: t(f"tw_{key}")
    for key in (
        "created", "cohort", "rate", "passed", "trials", "immature", "mature",
        "open", "lost", "won", "outcome", "before", "after", "change", "level",
        "months_short", "quarter_fmt", "week_fmt",
    )
}  # fmt: skip
words.update(step=t("tr_step"), deals=t("kpi_deals"), segment=t("col_segment"))


def step_words(from_stage: str, to_stage: str | None, step: int) -> str:
    return trend_charts.step_name(from_stage, to_stage, step, len(deals.stages), words)


# ---- the steps by cohort ----
mat = trends.maturity
if mat.step_days and mat.as_of is not None:
    steps_days = mat.step_days[:-1] or mat.step_days
    low, high = fmt_number(min(steps_days)), fmt_number(max(steps_days))
    rule = t(
        "tr_rule_age",
        days=t("tr_days_one", a=low) if low == high else t("tr_days_range", a=low, b=high),
        won_days=fmt_number(mat.step_days[-1]),
        date=fmt_date(mat.as_of),
    )
else:
    rule = t("tr_rule_open")
shifts = memo.remember("tr_shifts", here, partial(find_shifts, trends))
st.subheader(t("tr_steps_title"))
st.caption(t("tr_caption"))
with st.expander(t("tr_more")):
    st.caption(t("tr_caption_more", rule=rule))
chart = memo.remember(
    "tr_chart",
    here,
    partial(trend_charts.cohort_trend_chart, trends, shifts=shifts, text=words, fmt_pct=pct),
)
charts.show_chart(chart)
# Weeks (or a narrow filter) leave cohorts of a few deals: their points are hidden as noise.
small = memo.remember("tr_small", here, partial(trend_charts.small_point_share, trends))
if small > 0:
    st.caption(t("tr_small_hidden", n=trend_charts.MIN_POINT_TRIALS))
if period == "week" and small >= 0.3:
    st.info(t("tr_try_month"))
charts.chart_downloads(chart, f"trends_{period}", key="tr_chart", title=t("tr_title"))

st.subheader(t("tr_shifts_title"), help=t("tr_shift_note"))
significant = [s for s in shifts if s.significant]
for s in significant:
    lines = [
        t(
            "tr_shift_up" if s.after_rate > s.before_rate else "tr_shift_down",
            step=step_words(s.from_stage, s.to_stage, s.step),
            when=cohort_since(s.first_after, period, language),
            before=fmt_pct(s.before_rate),
            after=fmt_pct(s.after_rate),
            n_before=fmt_number(s.before_trials),
            n_after=fmt_number(s.after_trials),
            p=fmt_pct(s.p_adjusted, 1),
        )
    ]
    near = near_change(s, ds.spec.changes, period)
    if near is not None:
        lines.append(t("tr_shift_near", date=fmt_date(near.date), label=near.label))
    st.markdown("  \n".join(lines))
if not significant:
    st.info(t("tr_no_shift"))
else:
    unit = t(f"tr_shift_unit_{period}")
    st.caption(t("tr_shift_precision", unit=unit))

st.subheader(t("tr_volume_title"))
st.caption(t("tr_volume_caption"))
volume = memo.remember("tr_volume", here, partial(trend_charts.volume_chart, trends, text=words))
charts.show_chart(volume)
if trends.undated:
    st.caption(t("tr_undated", n=f"{fmt_number(trends.undated)} {plural_deals(trends.undated)}"))

# ---- one step by segment ----


def segment_trends(by: str):
    # The same deals and filters: the overall trends' maturity is theirs too.
    found = state.guarded(cohort_trends, deals, period, by, mask=mask, basis=basis, mat=mat)
    if found is None:
        return None
    # Segments by their names for people (no «(none)»): the chart, the table, the export.
    return dataclasses.replace(
        found,
        table=found.table.assign(segment=found.table["segment"].map(segment_name)),
        cohorts=found.cohorts.assign(segment=found.cohorts["segment"].map(segment_name)),
    )


shown = trends
if by is not None:
    by_trends = memo.remember("tr_by_trends", (*here, by), partial(segment_trends, by))
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
        seg_chart = memo.remember(
            "tr_seg_chart",
            (*here, by, step),
            lambda: trend_charts.segment_trend_chart(
                by_trends, step, segments=top, text=words, fmt_pct=pct
            ),
        )
        charts.show_chart(seg_chart)
        charts.chart_downloads(
            seg_chart, f"trends_{period}_{by}", key="tr_seg_chart", title=t("tr_title")
        )

# ---- the table ----
rates = [t("tc_rate"), t("tc_rate_decided")]


def cohort_table() -> tables.Table:
    table = shown.shown_table()
    table["step"] = [
        step_words(f, s_to, k)
        for f, s_to, k in zip(table["from_stage"], table["to_stage"], table["step"], strict=True)
    ]
    columns = [
        "segment", "cohort", "step", "deals", "trials", "open_at", "passed",
        "rate", "rate_decided", "horizon_days", "immature",
    ]  # fmt: skip
    table["segment"] = [t("tr_no_by") if s == ALL else segment_name(s) for s in table["segment"]]
    table["cohort"] = [cohort_words(c, period, language) for c in table["cohort"]]
    table["immature"] = table["immature"].map({True: t("ba_yes"), False: t("ba_no")})
    table = table[columns].rename(columns={c: t(f"tc_{c}") for c in columns})
    return tables.table(table, percent=rates)


st.subheader(t("tr_table_title"))
# The table shows the segments when there are any (``shown`` is then ``by_trends``).
table = memo.remember("tr_table", (*here, by, shown is not trends), cohort_table)
tables.show_table(table)
tables.table_downloads(
    table.frame, f"cohorts_{period}", key="tr_table", sheet="cohorts", percent=rates
)
