"""Compare page: segments side by side on one scale, and where their step conversions differ."""

from __future__ import annotations

import dataclasses

import streamlit as st

from funnel.charts import funnel as funnel_charts
from funnel.compare import MIN_DEALS, compare, step_table, top_segments
from funnel.deals import main_currency
from funnel.filters import segment_dims
from funnel.report.summary import segments_table
from ui import charts, guesses, memo, state, tables, widgets
from ui.i18n import dim_label, fmt_number, plural_deals, quoted, segment_name, t

ds, deals, mask = widgets.page_data("compare_title")
guesses.flash()
guesses.note(ds, key="compare")
dims = segment_dims(deals, periods=True)
if not dims:
    st.info(t("compare_no_dims"))
    st.stop()

c1, c2, c3, c4 = st.columns([1.2, 1.2, 1, 1])
# Options are codes, segment labels and None, worded by format_func: the choices survive the
# language switch (see widgets.remembered_selectbox).
by1 = widgets.remembered_selectbox(
    t("compare_by"), dims, key="compare_by", format_func=dim_label, container=c1
)
by2 = widgets.remembered_selectbox(
    t("compare_by2"),
    [None, *[d for d in dims if d != by1]],
    key="compare_by2",
    format_func=lambda d: "—" if d is None else dim_label(d),
    container=c2,
)
min_deals = c3.number_input(t("min_deals"), 1, 10_000, MIN_DEALS, key="min_deals")
max_segments = c4.number_input(t("max_segments"), 2, 40, 12, key="max_segments")
by = [by1] if by2 is None else [by1, by2]

# What the page computes is reused while the widgets that shape it stay as they are.
chosen_by = (memo.data_key(mask), tuple(by), int(min_deals))
first = memo.remember(
    "compare_first",
    chosen_by,
    lambda: state.guarded(compare, deals, by, mask=mask, min_deals=int(min_deals)),
)
if first is None:
    st.stop()
names = [first.counts.segment_label(g) for g in range(len(first.counts.labels))]
baseline = widgets.remembered_selectbox(
    t("baseline"),
    [None, *names],
    key=f"baseline_{'_'.join(by)}",
    format_func=lambda b: t("baseline_rest") if b is None else segment_name(b),
)
result = first
if baseline is not None:
    chosen = memo.remember(
        "compare_chosen",
        (*chosen_by, baseline),
        lambda: state.guarded(
            compare, deals, by, mask=mask, baseline=baseline, min_deals=int(min_deals)
        ),
    )
    if chosen is None:
        st.stop()
    result = chosen
    if result.baseline is not None and result.too_small[result.baseline]:
        size = int(result.counts.deals[result.baseline])
        st.warning(
            t(
                "baseline_too_small",
                name=segment_name(baseline),
                deals=f"{fmt_number(size)} {plural_deals(size)}",
                n=fmt_number(int(min_deals)),
            )
        )
here = (*chosen_by, baseline)


def made_charts() -> tuple[object, object]:
    shown = top_segments(result, int(max_segments))
    shown = dataclasses.replace(shown, counts=tables.named(shown.counts))
    pct = tables.pct_formatter()
    words = charts.chart_words()
    multiples = funnel_charts.small_multiples(
        shown.counts,
        too_small=shown.too_small,
        text=words,
        fmt_pct=pct,
        columns=3,
        panel_width=200,
    )
    heat = funnel_charts.heatmap(shown, text=words, fmt_pct=pct, won_label=t("won_row"))
    return multiples, heat


multiples, heat = memo.remember("compare_charts", (*here, int(max_segments)), made_charts)
st.subheader(t("small_multiples"))
st.caption(t("small_caption", n=int(min_deals)))
charts.show_chart(multiples)
charts.chart_downloads(
    multiples, f"compare_{'_'.join(by)}", key="multiples", title=t("small_multiples")
)

st.subheader(t("heatmap_title"))
against = segment_name(baseline) if baseline is not None else t("baseline_rest")
st.caption(t("heatmap_caption", against=quoted(against), n=int(min_deals)))
charts.show_chart(heat)
charts.chart_downloads(heat, f"heatmap_{'_'.join(by)}", key="heatmap", title=t("heatmap_title"))


def summary_table() -> tables.Table:
    summary = segments_table(tables.named(result.counts), currency=main_currency(deals))
    summary["too_small"] = result.too_small
    summary = summary.rename(columns={c: t(f"col_{c}") for c in summary.columns})
    if len(result.counts.currencies) > 1:
        # Amounts are never added across currencies: a column per currency, each named by it.
        money = {"won_amount": result.counts.won_amount, "open_amount": result.counts.open_amount}
        place = list(summary.columns).index(t("col_won_amount"))
        summary = summary.drop(columns=[t(f"col_{c}") for c in money])
        for name, amounts in reversed(money.items()):
            for i, code in reversed(list(enumerate(result.counts.currencies))):
                column = f"{t(f'col_{name}')}, {widgets.currency_name(code)}"
                summary.insert(place, column, amounts[:, i])
    return tables.table(summary, percent=[t("col_win_rate")])


def steps_table() -> tables.Table:
    steps = step_table(
        dataclasses.replace(result, counts=tables.named(result.counts)), won_label=t("won_row")
    )
    steps["verdict"] = steps["verdict"].map(lambda v: t(f"verdict_{v}"))
    steps = steps.rename(columns={c: t(f"col_{c}") for c in steps.columns})
    rates = [t(f"col_{c}") for c in ("rate", "rate_low", "rate_high", "other_rate")]
    return tables.table(steps, percent=rates)


st.subheader(t("compare_table"))
summary = memo.remember("compare_summary", here, summary_table)
tables.show_table(summary)
tables.table_downloads(
    summary.frame, f"segments_{'_'.join(by)}", key="compare_table", sheet="segments"
)

st.subheader(t("compare_steps"))
st.caption(t("compare_steps_caption", against=quoted(against)))
steps = memo.remember("compare_steps", here, steps_table)
tables.show_table(steps, height=320)
tables.table_downloads(steps.frame, f"steps_{'_'.join(by)}", key="compare_steps", sheet="steps")
