"""Funnel page: KPI tiles, the funnel chart, its table, and the weak points."""

from __future__ import annotations

import math
from functools import partial

import streamlit as st

from funnel.charts import funnel as funnel_charts
from funnel.deals import main_currency
from funnel.metrics import FunnelCounts, funnel
from funnel.overtime.velocity import durations
from funnel.report.summary import stage_table
from ui import charts, guesses, leaks, memo, state, tables, widgets
from ui.i18n import fmt_money_short, fmt_number, fmt_pct, lang, t
from ui.notices import render

ds, deals, mask = widgets.page_data("funnel_title")
guesses.flash()
guesses.note(ds, key="funnel")
# What the page computes from the data and the filters is reused while only its widgets change.
here = memo.data_key(mask)
total = memo.remember("funnel_total", here, lambda: state.guarded(funnel, deals, mask=mask))
if total is None or int(total.deals[0]) == 0:
    st.warning(t("no_deals_filter"))
    st.stop()

cur = main_currency(deals)
currency = total.currencies[cur]
times = memo.remember("funnel_times", here, lambda: state.guarded(durations, deals, mask=mask))

# ---- KPI tiles ----


def tiles(total: FunnelCounts) -> list[dict]:
    """What each tile says, as st.metric's arguments: worded once per data and filters."""
    deals_n, won_n = int(total.deals[0]), int(total.won[0])
    won_text, won_help, won_others = widgets.won_amount_headline(deals, total, cur)
    days = times.to_win_median if times is not None else math.nan
    quiet = {"delta_color": "off", "delta_arrow": "off"}
    return [
        {
            "label": t("kpi_deals"),
            "value": fmt_number(deals_n),
            "delta": t("kpi_open", n=fmt_number(int(total.open[0]))),
            **quiet,
        },
        {"label": t("kpi_won"), "value": fmt_number(won_n)},
        {
            "label": t("kpi_win_rate"),
            "value": fmt_pct(float(total.win_rate[0]), 1),
            "delta": t("kpi_decided", p=fmt_pct(float(total.win_rate_decided[0]), 1)),
            **quiet,
        },
        {
            "label": t("kpi_won_amount"),
            "value": won_text,
            "delta": won_others,
            "help": won_help,
            **quiet,
        },
        {
            "label": t("kpi_days_to_win"),
            "value": fmt_number(days, 0) if not math.isnan(days) else "—",
            "delta": t("kpi_days_n", n=fmt_number(times.to_win_n))
            if times is not None and times.to_win_n
            else None,
            **quiet,
        },
    ]


# Without stage times (their engine call failed) the tiles are worded again on the next run.
words = partial(tiles, total)
shown_tiles = memo.remember("funnel_tiles", (here, cur), words) if times is not None else words()
tiles_row = st.container(horizontal=True)  # five tiles side by side, no column blocks
for tile in shown_tiles:
    tiles_row.metric(**tile)

render(deals.notices)

# ---- the funnel ----
has_groups = len(set(deals.stage_groups)) < len(deals.stages)
controls = st.container(horizontal=True, gap="medium")
measures: list[funnel_charts.Measure] = ["deals", "money"]
measure = widgets.remembered_segmented(
    t("measure"),
    measures,
    format_func=lambda m: t(f"measure_{m}"),
    key="funnel_measure",
    container=controls,
)
detail = widgets.remembered_segmented(
    t("detail"),
    ["steps", "groups"],
    format_func=lambda d: t(f"detail_{d}"),
    key="funnel_detail",
    container=controls,
    disabled=not has_groups,
    help=None if has_groups else t("groups_none"),
)
view = total.grouped() if detail == "groups" and has_groups else total
# Amounts are never added across currencies: with several, the money view and the table's
# amounts are those of the currency chosen here (the main one first), and the caption names
# the others left out of them.
if len(total.currencies) > 1:
    codes = [currency, *[c for c in total.currencies if c != currency]]
    currency = widgets.remembered_selectbox(
        t("currency_pick"),
        codes,
        key="funnel_currency",
        format_func=widgets.currency_name,
        container=controls,
        width=260,
    )
    cur = total.currencies.index(currency)
language = lang()
if measure == "money":
    value_fmt = lambda v: fmt_money_short(v, currency, language)  # noqa: E731
else:
    value_fmt = lambda v: fmt_number(v, 0, language)  # noqa: E731
# The chart's Vega-Lite dict is written directly: no Altair chart is built on a rerun. One
# slot per measure: switching between deals and money back and forth reuses both.
chart = memo.remember(
    f"funnel_chart_{measure}",
    (here, measure, detail, cur),
    lambda: funnel_charts.funnel_spec(
        view,
        measure=measure,
        currency=cur,
        text=charts.chart_words(),
        fmt_value=value_fmt,
        fmt_pct=tables.pct_formatter(),
    ),
)
charts.show_chart(chart)
st.caption(
    t("chart_caption") if measure == "deals" else t("chart_caption_money", cur=currency or "—")
)
if measure == "money" and len(total.currencies) > 1:
    others = [widgets.currency_name(c) for c in total.currencies if c != currency]
    st.caption(
        t("money_other_currencies", cur=widgets.currency_name(currency), others=", ".join(others))
    )
charts.chart_downloads(
    chart, f"funnel_{widgets.slug(ds.name)}", key="funnel_chart", title=t("funnel_title")
)

# ---- the table ----
st.subheader(t("table_title"))


def stage_rows() -> tables.Table:
    table = stage_table(
        view,
        currency=cur,
        times=times if detail != "groups" else None,
        won_label=t("won_row"),
    )
    names = {c: t(f"col_{c}") for c in table.columns}
    if len(view.currencies) > 1:  # which currency the amounts are in
        names["reached_amount"] = f"{names['reached_amount']}, {widgets.currency_name(currency)}"
    table.columns = [names[c] for c in table.columns]  # the table is this page's own
    pct_cols = [
        t(f"col_{c}")
        for c in (
            "pct_of_previous",
            "pct_of_top",
            "step_conversion",
            "step_conversion_low",
            "step_conversion_high",
            "step_conversion_decided",
        )
    ]
    return tables.text_table(table, percent=pct_cols, decimals={t("col_median_days"): 1})


# Made once per data, filters, detail and currency: the measure switch does not change it.
shown = memo.remember("funnel_table", (here, detail, cur), stage_rows)
tables.show_table(shown)
if int(total.lost_stage_unknown[0]):
    st.caption(t("lower_bound"))
tables.table_downloads(
    shown.frame, f"funnel_table_{widgets.slug(ds.name)}", key="funnel_table", sheet="funnel"
)

# ---- weak points ----
leaks.section(ds, mask, here, total)
