"""Planner page: a target for a period -> leads per channel and when; what if a step improves."""

from __future__ import annotations

import dataclasses
import math
from functools import partial

import streamlit as st

from funnel.charts import plan as plan_charts
from funnel.economics.budget import Budget, budget, shift
from funnel.economics.compute import economics_of
from funnel.economics.figures import Economics
from funnel.filters import segment_dims
from funnel.overtime.planner import (
    MixBasis,
    Plan,
    TargetKind,
    actual,
    default_mix,
    default_period,
    default_target,
    history,
    mix_from_inputs,
    plan,
    shown_table,
)
from funnel.overtime.whatif import StepChange, best_rate
from funnel.overtime.whatif import what_if as run_what_if
from ui import charts, memo, state, tables, widgets
from ui.economics import budget_tables
from ui.i18n import (
    currency_sign,
    dim_label,
    fmt_date,
    fmt_money,
    fmt_money_short,
    fmt_number,
    fmt_pct,
    lang,
    plural_deals,
    segment_name,
    t,
)
from ui.strings.planner import forms


def named_plan(made: Plan) -> Plan:
    """The plan with its segments named for people, for its charts and table."""
    named = tuple(segment_name(lab) for lab in made.history.labels)
    return dataclasses.replace(made, history=dataclasses.replace(made.history, labels=named))


# ---- budget for the target and moving budget (shown under the plan when spend is known) ----


def signed_money(value: float, currency: str) -> str:
    """+1 200 ₽ / −1 200 ₽: a change, its sign always written."""
    return ("+" if value > 0 else "") + fmt_money(value, currency)


def signed_number(value: float) -> str:
    """+12,8 / −0,04: one decimal, two under one (a shift's few wins are not «+0,0»)."""
    return ("+" if value > 0 else "") + fmt_number(value, 1 if abs(value) >= 1 else 2)


def show_budget(costs: Budget) -> None:
    """The table per channel, the total and its range, and the channels with no known cost."""
    cur = costs.currency
    st.subheader(t("plan_budget_title"))
    k = st.columns(2)
    k[0].metric(
        t("plan_budget_total"),
        fmt_money(costs.total, cur),
        t(
            "plan_budget_total_range",
            low=fmt_money(costs.total_low, cur),
            high=fmt_money(costs.total_high, cur),
        ),
        delta_color="off",
        delta_arrow="off",
    )
    cac = costs.cac
    if cac is not None:
        low, high = costs.cac_range or (cac, cac)
        k[1].metric(
            t("plan_budget_cac"),
            fmt_money(cac, cur),
            t("plan_budget_total_range", low=fmt_money(low, cur), high=fmt_money(high, cur)),
            delta_color="off",
            delta_arrow="off",
            help=t("plan_budget_cac_help"),
        )
    frame, download = budget_tables(costs, dim_label(by))
    tables.show_table(tables.text_table(frame))
    tables.table_downloads(
        download, f"plan_budget_{widgets.slug(ds.name)}", key="plan_budget", sheet="plan"
    )
    st.caption(t("plan_budget_caption"))
    unknown = [
        t(
            "plan_budget_unknown_item",
            name=segment_name(name),
            leads=fmt_number(n),
            word=forms("w_leads", n, language),
        )
        for name, n, s in zip(costs.labels, costs.leads, costs.status, strict=True)
        if s in ("no_spend", "no_leads")
    ]
    if unknown:
        st.caption(t("plan_budget_unknown", items="; ".join(unknown)))


def show_move(econ: Economics) -> None:
    """Two channels and an amount -> what moving it would give, in words and numbers."""
    st.subheader(t("plan_move_title"))
    cur = econ.currency
    known = [lab for lab, c in zip(econ.labels, econ.cost_per_lead, strict=True) if c > 0]
    if len(known) < 2:
        st.caption(t("plan_move_too_few"))
        return
    c1, c2, c3 = st.columns([1.5, 1.5, 1.2])
    source = widgets.remembered_selectbox(
        t("plan_move_from"), known, key="plan_move_from", format_func=segment_name, container=c1
    )
    targets = [lab for lab in known if lab != source]
    target = widgets.remembered_selectbox(
        t("plan_move_to"),
        targets,
        key=f"plan_move_to_{source}",
        format_func=segment_name,
        container=c2,
    )
    spend = float(econ.spend[econ.labels.index(source)])
    amount = c3.number_input(
        t("plan_move_amount") + (f", {currency_sign(cur)}" if cur else ""),
        min_value=0.0,
        max_value=spend,
        value=float(round(spend * 0.1)),
        step=float(10 ** max(int(math.log10(max(spend, 1))) - 2, 0)),
        format="%.0f",
        help=t("plan_move_amount_help"),
        key=f"plan_move_amount_{v}_{source}",
    )
    c3.caption(t("plan_move_spend", name=segment_name(source), spend=fmt_money(spend, cur)))
    moved = shift(econ, source, target, float(amount))
    if moved.refused is not None:
        st.info(
            t(f"plan_move_refused_{moved.refused}", name=segment_name(moved.refused_channel or ""))
        )
        return
    assert moved.lost is not None and moved.gained is not None
    low, high = moved.revenue_change_range
    romi_low, romi_high = moved.romi_change_range or (None, None)
    before = moved.romi_before
    k = st.columns(4)
    k[0].metric(t("plan_move_leads"), signed_number(moved.leads_change))
    wins_low = moved.gained.wins_low - moved.lost.wins_high
    wins_high = moved.gained.wins_high - moved.lost.wins_low
    k[1].metric(
        t("plan_move_wins"),
        signed_number(moved.wins_change),
        t("plan_move_range", low=signed_number(wins_low), high=signed_number(wins_high)),
        delta_color="off",
        delta_arrow="off",
    )
    k[2].metric(
        t("plan_move_revenue"),
        signed_money(moved.revenue_change, cur),
        t("plan_move_range", low=signed_money(low, cur), high=signed_money(high, cur)),
        delta_color="off",
        delta_arrow="off",
    )
    k[3].metric(
        t("plan_move_romi"),
        fmt_pct(moved.romi_after, 1),
        t(
            "plan_move_romi_delta",
            before=fmt_pct(before, 1),
            low=fmt_pct(None if before is None or romi_low is None else before + romi_low, 1),
            high=fmt_pct(None if before is None or romi_high is None else before + romi_high, 1),
        ),
        delta_color="off",
        delta_arrow="off",
    )
    st.markdown(
        t(
            "plan_move_result",
            amount=fmt_money(moved.amount, cur),
            source=segment_name(source),
            target=segment_name(target),
            lost_leads=signed_number(-moved.lost.leads),
            lost_wins=signed_number(-moved.lost.wins),
            lost_revenue=signed_money(-moved.lost.revenue, cur),
            gained_leads=signed_number(moved.gained.leads),
            gained_wins=signed_number(moved.gained.wins),
            gained_revenue=signed_money(moved.gained.revenue, cur),
            revenue=signed_money(moved.revenue_change, cur),
            revenue_low=signed_money(low, cur),
            revenue_high=signed_money(high, cur),
            romi_before=fmt_pct(before, 1),
            romi_after=fmt_pct(moved.romi_after, 1),
            romi_low=fmt_pct(None if before is None or romi_low is None else before + romi_low, 1),
            romi_high=fmt_pct(
                None if before is None or romi_high is None else before + romi_high, 1
            ),
        )
    )
    if moved.beyond_volume:
        tspend = float(econ.spend[econ.labels.index(target)])
        st.warning(t("plan_move_beyond", name=segment_name(target), spend=fmt_money(tspend, cur)))
    st.caption(t("plan_move_caveat"))


ds, deals, mask = widgets.page_data("plan_title")

dims = segment_dims(deals)
if not dims:
    st.info(t("compare_no_dims"))
    st.stop()
c1, c2, c3 = st.columns([1.2, 1.3, 1.6])
by = widgets.remembered_selectbox(
    t("plan_by"), dims, key="plan_by", format_func=dim_label, container=c1
)
kinds: list[TargetKind] = ["revenue", "won"]
kind = widgets.remembered_segmented(
    t("plan_kind"),
    kinds,
    key="plan_kind",
    format_func=lambda k: t(f"plan_kind_{k}"),
    container=c2,
)
mix_bases: list[MixBasis] = ["leads", "revenue"]
mix_basis = widgets.remembered_segmented(
    t("plan_mix"),
    mix_bases,
    key="plan_mix_basis",
    format_func=lambda k: t(f"plan_mix_{k}"),
    container=c3,
)
# What the page computes is reused while the widgets that shape it stay as they are.
here = memo.data_key(mask)
hist = memo.remember("plan_hist", (here, by), lambda: state.guarded(history, deals, by, mask=mask))
if hist is None:
    st.stop()
usable = hist.plannable(kind)
if not any(usable):
    st.info(t("plan_nothing"))
    st.stop()

sign = currency_sign(hist.currency)
language = lang()
v = state.version()
c1, c2 = st.columns([1.2, 2])
guess = memo.remember(
    "plan_guess", (here, kind), lambda: default_target(deals, kind, mask=mask)
) or (1_000_000.0 if kind == "revenue" else 10.0)
target = c1.number_input(
    t(f"plan_target_{kind}") + (f", {sign}" if sign and kind == "revenue" else ""),
    min_value=0.0 if kind == "revenue" else 1.0,
    value=float(guess),
    step=float(10 ** max(int(math.log10(guess)) - 1, 0)),
    format="%.0f",
    help=t("plan_target_help"),
    key=f"plan_target_{kind}_{v}",
)
# Streamlit's number_input cannot group digits (its sprintf format has no separator flag):
# the grouped value is shown under it.
c1.caption(
    t(
        "plan_target_shown",
        value=fmt_money(float(target), hist.currency)
        if kind == "revenue"
        else fmt_number(float(target)),
    )
)
start0, end0 = default_period(hist)
period = c2.date_input(
    t("plan_period"),
    value=(start0.date(), end0.date()),
    help=t("plan_period_help"),
    format="DD.MM.YYYY" if lang() == "ru" else "YYYY-MM-DD",
    key=f"plan_period_{v}",
)
# While the second day is not picked yet, the default period stands.
start, end = period if isinstance(period, tuple | list) and len(period) == 2 else (start0, end0)

if hist.mature_since is not None:
    n = hist.basis_deals
    st.caption(
        t(
            "plan_basis_mature",
            date=fmt_date(hist.mature_since),
            days=fmt_number(hist.mature_days),
            n=f"{fmt_number(n)} {plural_deals(n)}",
        )
    )
else:
    st.caption(t("plan_basis_decided"))

# ---- the mix, editable ----
start_mix = default_mix(hist, mix_basis, kind)
inputs: dict[str, float] = {}
# Segments by their names for people (no «(none)»); the engine keeps its own labels.
names = [segment_name(lab) for lab in hist.labels]
locked = [name for name, ok in zip(names, usable, strict=True) if not ok]
with st.expander(t("plan_mix_edit")):
    st.caption(t("plan_mix_caption"))
    if locked:
        st.caption(t("plan_mix_locked", names=", ".join(locked)))
    cols = st.columns(min(len(hist.labels), 4) or 1)
    for i, label in enumerate(hist.labels):
        # a channel that brings nothing per lead cannot carry a share: its input is locked at 0
        inputs[label] = cols[i % len(cols)].number_input(
            names[i],
            min_value=0.0,
            max_value=100.0,
            value=round(start_mix[label] * 100, 1),
            step=1.0,
            format="%.1f",
            disabled=not usable[i],
            key=f"plan_mix_{v}_{by}_{mix_basis}_{kind}_{hist.basis}_{i}",
        )
# The inputs show the shares rounded to 0.1 %: fed back unedited they would shift the parts
# from the CLI's; the unrounded default is used until a share is actually changed.
mix = mix_from_inputs(
    {lab: (x if ok else 0.0) for (lab, x), ok in zip(inputs.items(), usable, strict=True)},
    start_mix,
)

# Every choice above shapes the plan: the history (data, filters, segments), the target,
# the period and the mix.
plan_key = (here, by, kind, mix_basis, float(target), start, end, tuple(mix.items()))
base = memo.remember(
    "plan_base",
    plan_key,
    lambda: state.guarded(
        plan,
        deals,
        hist,
        float(target),
        kind=kind,
        start=start,
        end=end,
        mix=mix,
        mix_basis=mix_basis,
        mask=mask,
    ),
)
if base is None:
    st.stop()


def fmt_won(value: float) -> str:
    """14,5 продажи / 1 продажа: a whole number without decimals, the word agreeing."""
    value = round(float(value), 1)
    decimals = 0 if value == int(value) else 1
    return f"{fmt_number(value, decimals)} {forms('w_won', value, language)}"


def fmt_result(value: float) -> str:
    assert hist is not None  # stopped above otherwise; a closure is not narrowed
    if kind == "won":
        return fmt_won(value)
    return fmt_money(value, hist.currency)


totals = base.totals()
total = totals.leads
k = st.columns(3)
k[0].metric(
    t("plan_total_leads"),
    fmt_number(total),
    t(
        "plan_total_range",
        low=fmt_number(totals.low),
        high=fmt_number(totals.high) if math.isfinite(totals.high) else "∞",
    ),
    delta_color="off",
    delta_arrow="off",
)
k[1].metric(
    t("plan_to_bring"),
    fmt_number(totals.to_bring),
    help=t("plan_to_bring_help"),
)
k[2].metric(
    t("plan_check"),
    fmt_result(base.forecast_total),
    t(
        "plan_check_value",
        leads=fmt_number(total),
        word=forms("w_leads", total, language),
        verb=forms("w_bring", total, language),
        result=fmt_result(base.forecast_total),
    ),
    delta_color="off",
    delta_arrow="off",
)

status = hist.status(kind)
no_wins = [lab for lab, s in zip(names, status, strict=True) if s in ("no_wins", "no_amount")]
few = [lab for lab, s in zip(names, status, strict=True) if s == "few"]
past = [
    lab for lab, w, p in zip(names, base.window, base.part, strict=True) if w == "past" and p > 0
]
if base.passed:
    done = memo.remember(
        "plan_actual", (here, kind, start, end), lambda: actual(deals, kind, start, end, mask=mask)
    )
    if done is None:
        st.info(t("plan_passed_no_dates"))
    else:
        st.info(
            t(
                "plan_passed",
                actual=fmt_result(done[0]),
                target=fmt_result(float(target)),
                n=fmt_number(done[1]),
                deals=plural_deals(done[1]),
            )
        )
if base.uncovered > 0:
    st.warning(
        t(
            "plan_uncovered",
            gap=fmt_result(base.uncovered),
            forecast=fmt_result(base.forecast_total),
            target=fmt_result(float(target)),
        )
    )
if base.unplannable_share > 0:
    st.caption(t("plan_mix_dropped", share=fmt_pct(base.unplannable_share, 1)))
if kind == "revenue":
    priced = [
        t(
            "plan_avg_item",
            name=lab,
            n=fmt_number(int(n)),
            word=forms("w_deals_dat", int(n), language),
        )
        for lab, n, w, p in zip(names, hist.avg_won_n, hist.won_main_n, base.part, strict=True)
        if p > 0 and 0 < n < w
    ]
    if priced:
        st.caption(t("plan_avg_few", items="; ".join(priced)))
if no_wins:
    st.warning(t("plan_note_no_wins", names=", ".join(no_wins)))
if few:
    st.warning(t("plan_note_few", n=hist.min_deals, names=", ".join(few)))
if past:
    st.warning(t("plan_note_past", names=", ".join(past)))
if all(w == "unknown" for w in base.window):
    st.info(t("plan_note_no_dates"))

words = {
    "segment": dim_label(by),
    "leads": t("plan_col_leads"),
    "range": t("plan_range"),
    "already": t("plan_col_already"),
    "to_bring": t("plan_col_to_bring"),
    "window": t("plan_col_lead_from"),
    "target_period": t("plan_period"),
    "now": fmt_date(hist.now) if hist.now is not None else "",
    "before": t("whatif_before"),
    "after": t("whatif_after"),
    "already_short": t("plan_already_short"),
}
number = lambda value: fmt_number(value)  # noqa: E731


def plan_views() -> tuple[object, object, tables.Table]:
    assert base is not None  # stopped above otherwise; a closure is not narrowed
    named = named_plan(base)
    leads = plan_charts.leads_chart(named, text=words, fmt_number=number, width=640)
    windows = plan_charts.windows_chart(named, text=words, width=640)
    # The same values in the table, the CSV and the XLSX.
    table = shown_table(named.table())
    table["status"] = [t(f"plan_status_{s}") for s in table["status"]]
    table["window"] = [t(f"plan_window_{w}") for w in table["window"]]
    for col in ("lead_from", "lead_to"):
        table[col] = [fmt_date(d) if d is not None else "—" for d in table[col]]
    table = table.rename(columns={c: t(f"plan_col_{c}") for c in table.columns})
    table = table.rename(columns={t("plan_col_segment"): dim_label(by)})
    one_place = ("win_rate", "win_rate_low", "win_rate_high", "mix", "cycle_days")
    return leads, windows, tables.table(table, decimals={t(f"plan_col_{c}"): 1 for c in one_place})


chart, timeline, table = memo.remember("plan_views", plan_key, plan_views)
st.subheader(t("plan_leads_title"))
charts.show_chart(chart)
st.caption(t("plan_leads_caption"))
charts.chart_downloads(chart, "plan_leads", key="plan_leads_chart", title=t("plan_leads_title"))
st.subheader(t("plan_windows_title"))
charts.show_chart(timeline)
st.caption(t("plan_windows_caption"))
charts.chart_downloads(
    timeline, "plan_windows", key="plan_windows_chart", title=t("plan_windows_title")
)

st.subheader(t("plan_table"))
tables.show_table(table)
tables.table_downloads(table.frame, f"plan_{widgets.slug(ds.name)}", key="plan_table", sheet="plan")

# ---- budget for the target (with spend) ----
econ = memo.remember("plan_econ", here, lambda: state.guarded(economics_of, deals, mask=mask))
if econ is None:
    st.caption(t("plan_budget_no_spend"))
elif econ.by != by:
    st.caption(t("plan_budget_other_by", by=dim_label(econ.by or "channel")))
else:
    costs = memo.remember(
        "plan_budget", (plan_key, "budget"), lambda: state.guarded(budget, base, econ)
    )
    if costs is not None:
        show_budget(costs)
        show_move(econ)

# ---- what-if ----
st.subheader(t("whatif_title"))
steps = list(range(len(hist.stages)))
step_names = {
    k: f"{hist.stages[k]} → {hist.stages[k + 1] if k + 1 < len(hist.stages) else t('won_row')}"
    for k in steps
}
c1, c2, c3, c4 = st.columns([2.0, 2.9, 1.1, 1.4])
step = widgets.remembered_selectbox(
    t("whatif_step"), steps, key="whatif_step", format_func=lambda k: step_names[k], container=c1
)
mode = widgets.remembered_segmented(
    t("whatif_mode"),
    ["points", "best"],
    key="whatif_mode",
    format_func=lambda m: t(f"whatif_mode_{m}"),
    container=c2,
)
points = c3.number_input(
    t("whatif_points"), 1, 50, 5, step=1, key="whatif_points", disabled=mode != "points"
)
only = widgets.remembered_selectbox(
    t("whatif_only"),
    [None, *hist.labels],
    key=f"whatif_only_{by}",
    format_func=lambda x: t("whatif_only_all") if x is None else segment_name(x),
    container=c4,
)
best_name, best = memo.remember(
    "plan_best", (here, by, int(step)), partial(best_rate, hist, int(step))
)
if mode == "best":
    st.caption(
        t("whatif_best", name=segment_name(best_name), rate=fmt_pct(best, 1))
        if best_name is not None
        else t("whatif_no_best")
    )
change = StepChange(
    step=int(step),
    points=float(points) / 100 if mode == "points" else 0.0,
    to_best=mode == "best",
    only=only,
)
result = memo.remember(
    "plan_whatif",
    (plan_key, change),
    lambda: state.guarded(run_what_if, deals, base, change, mask=mask),
)
if result is None:
    st.stop()
after_total = result.after_leads
more = result.extra
k = st.columns(3)
k[0].metric(
    t("whatif_leads"),
    fmt_number(after_total),
    int(after_total - total) if after_total != total else None,
    delta_color="inverse",
)
before_value = base.forecast_total
k[1].metric(
    t("whatif_more"),
    fmt_result(before_value + more),
    ("+" + (fmt_money_short(more, hist.currency) if kind == "revenue" else fmt_won(more)))
    if more > 0
    else None,
)
rates = ", ".join(
    f"{lab} {fmt_pct(a, 1)} → {fmt_pct(b, 1)}"
    for lab, a, b, p in zip(names, result.old_rate, result.new_rate, base.part, strict=True)
    if p > 0 and b > a
)
if rates:
    st.caption(t("whatif_rates", step=step_names[int(step)], rates=rates))


def whatif_chart():
    assert result is not None  # stopped above otherwise; a closure is not narrowed
    shown_result = dataclasses.replace(
        result, before=named_plan(result.before), after=named_plan(result.after)
    )
    return plan_charts.whatif_chart(shown_result, text=words, fmt_number=number, width=560)


chart = memo.remember("plan_whatif_chart", (plan_key, change), whatif_chart)
st.markdown(f"**{t('whatif_chart_title')}**")
charts.show_chart(chart)
charts.chart_downloads(chart, "plan_whatif", key="plan_whatif_chart", title=t("whatif_chart_title"))
