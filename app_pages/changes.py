"""Before/after page: dated changes kept in the spec, the funnel on both sides of one, or this
period against the previous one or the same period a year before."""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import partial
from typing import Any, Literal

import streamlit as st

from funnel.charts import changes as change_charts
from funnel.charts import trends as trend_charts
from funnel.compare import MIN_DEALS
from funnel.filters import segment_dims
from funnel.overtime.changes import (
    Against,
    BeforeAfter,
    around_change,
    bounding_changes,
    compared_label,
    date_outside,
    period_change,
    period_choices,
    shown_tables,
)
from funnel.overtime.cohorts import ALL, Period
from funnel.overtime.maturity import Anchor, Maturity, maturity
from funnel.spec import Change
from ui import charts, filters, memo, state, tables, widgets
from ui.i18n import dim_label, fmt_date, fmt_number, fmt_pct, lang, segment_name, t
from ui.strings.trends import cohort_title, cohort_words

ds, deals, mask = widgets.page_data("ba_title")
here = memo.data_key(mask)


def matured() -> Maturity | None:
    """The maturity of the deals shown, dated as the comparisons date their steps: made once
    per data and filters, then shared by the periods offered, the result and its breakdown."""

    def build() -> Maturity | None:
        anchor: Anchor = "entered" if deals.entered is not None else "created"
        try:
            return maturity(deals, mask=mask, anchor=anchor)
        except Exception:  # the engine calls that need it compute it again and say why
            return None

    return memo.remember("ba_maturity", here, build)


bounds = filters.created_bounds(deals)
if bounds is None:
    st.info(t("ba_no_dates"))
    st.stop()
language = lang()


def chance(p: float) -> str:
    """An adjusted p as "the chance of a fluke": 0.006 -> "0,6 %"."""
    return fmt_pct(p, 1) if p >= 0.001 else t("tr_chance_tiny")


# ---- the changes kept in the spec ----
changes = tuple(sorted(ds.spec.changes, key=lambda c: c.date))
with st.expander(t("ba_changes_title"), expanded=not changes):
    st.caption(t("ba_changes_help"))
    widgets.spec_download(ds, label=t("ba_spec_download"), key="ba_spec_download")
    for i, change in enumerate(changes):
        row = st.columns([1.2, 4, 1], vertical_alignment="center")
        row[0].write(fmt_date(change.date))
        row[1].write(change.label)
        if row[2].button(t("ba_remove"), key=f"ba_remove_{i}_{change.date}"):
            rest = tuple(c for c in changes if c != change)
            if state.apply_spec(dataclasses.replace(ds.spec, changes=rest)):
                st.rerun()
    if not changes:
        st.info(t("ba_no_changes"))
    with st.form("ba_add_form", clear_on_submit=True, border=False):
        f1, f2, f3 = st.columns([1.2, 4, 1.4], vertical_alignment="bottom")
        # Not clamped to the data: a date outside it is refused on submit, never moved.
        when = f1.date_input(
            t("ba_date"),
            value=None,
            min_value=date(2000, 1, 1),
            max_value=date(2100, 12, 31),
            format="DD.MM.YYYY" if language == "ru" else "YYYY-MM-DD",
            key="ba_new_date",
        )
        label = f2.text_input(
            t("ba_label"), placeholder=t("ba_label_placeholder"), key="ba_new_label"
        )
        if f3.form_submit_button(t("ba_add"), type="primary", key="ba_add"):
            outside = None if when is None else date_outside(deals, when)
            if when is None:
                st.warning(t("ba_need_date"))
            elif outside is not None:
                st.warning(
                    t(
                        "ba_date_outside",
                        first=fmt_date(bounds[0]),
                        last=fmt_date(bounds[1]),
                        side=t(f"ba_outside_{outside}"),
                    )
                )
            elif not label.strip():
                st.warning(t("ba_need_label"))
            else:
                new = Change(date=when, label=label.strip())
                kept = tuple(sorted({*changes, new}, key=lambda c: (c.date, c.label)))
                if state.apply_spec(dataclasses.replace(ds.spec, changes=kept)):
                    # Show what was just marked.
                    for key, value in (("ba_mode", "change"), ("ba_change", new)):
                        st.session_state[f"{key}_chosen"] = value
                        st.session_state[f"{key}_{language}"] = value
                    st.rerun()

# ---- what to compare ----
modes: list[Literal["change"] | Against] = ["change", "previous", "last_year"]
st.session_state.setdefault("ba_mode_chosen", "change" if changes else "previous")
mode = widgets.remembered_segmented(
    t("ba_mode"), modes, key="ba_mode", format_func=lambda m: t(f"ba_mode_{m}")
)
c2, c3, c4 = st.columns([2, 1.6, 1.6], vertical_alignment="bottom")
if mode == "change" and not changes:
    st.info(t("ba_no_changes"))
    st.stop()
if mode == "change":
    chosen = widgets.remembered_selectbox(
        t("ba_pick_change"),
        list(reversed(changes)),
        key="ba_change",
        format_func=lambda c: f"{fmt_date(c.date)} — {c.label}",
        container=c2,
    )
    equal = c3.checkbox(t("ba_equal"), key="ba_equal")
    whole = c4.checkbox(t("ba_no_trim"), key="ba_no_trim")
    # Another change bounds this one's windows unless asked not to; either way the page says so.
    others = [] if whole else [c.date for c in changes if c != chosen]
    # The changes kept in the spec (the others bound the windows) are in the dataset version.
    asked: tuple[object, ...] = (here, mode, chosen, equal, whole)

    def run(by: str | None):
        return state.guarded(
            around_change,
            deals,
            chosen.date,
            others=others,
            equal=equal,
            by=by,
            mask=mask,
            mat=matured(),
        )
else:
    periods: list[Period] = ["month", "quarter"]
    period = widgets.remembered_segmented(
        t("ba_period"),
        periods,
        key="ba_period",
        format_func=lambda p: t(f"tr_period_{p}"),
        container=c2,
    )
    against: Against = mode
    offer = memo.remember(
        "ba_offer",
        (here, period, mode),
        lambda: period_choices(deals, period, against, mask=mask, mat=matured()),
    )
    if offer.default is not None:
        st.session_state.setdefault(f"ba_label_{period}_{mode}_chosen", offer.default)
    label = widgets.remembered_selectbox(
        t("ba_this_period"),
        list(offer.labels),
        key=f"ba_label_{period}_{mode}",  # each mode has its own best period
        format_func=lambda p: cohort_words(p, period, language),
        container=c3,
    )

    asked = (here, mode, period, label)

    def run(by: str | None):
        return state.guarded(
            period_change, deals, label, period, mode, by=by, mask=mask, mat=matured()
        )


# What the page computes is reused while the widgets that shape it stay as they are.
result = memo.remember("ba_result", asked, lambda: run(None))
if result is None:
    st.stop()
if mode == "change":
    side_names = {"before": t("tw_before"), "after": t("tw_after")}
    head = f"{chosen.label} ({fmt_date(chosen.date)})"
else:
    before_label = compared_label(label, period, mode)
    side_names = {
        "before": cohort_title(before_label, period, language),
        "after": cohort_title(label, period, language),
    }
    head = t("ba_head_periods", a=side_names["after"], b=side_names["before"])
if result.one_side_empty:
    st.warning(t("ba_empty_side"))
    st.stop()

st.caption(
    t(
        "ba_periods",
        b=side_names["before"],
        a=side_names["after"],
        b0=fmt_date(result.before.start),
        b1=fmt_date(result.before.last_day),
        a0=fmt_date(result.after.start),
        a1=fmt_date(result.after.last_day),
    )
)
if mode == "change" and not whole:
    prev, nxt = bounding_changes(result, [c for c in changes if c != chosen])
    if nxt is not None:
        st.caption(t("ba_trimmed_after", date=fmt_date(result.after.last_day), label=nxt.label))
    if prev is not None:
        st.caption(t("ba_trimmed_before", date=fmt_date(prev.date), label=prev.label))
horizons = result.horizons()
if result.cutoff is not None and horizons is not None:
    rule_key = "ba_rule_entered" if result.anchor == "entered" else "ba_rule_created"
    st.caption(
        t(
            rule_key,
            min_days=fmt_number(horizons.step_min),
            max_days=fmt_number(horizons.step_max),
            won_days=fmt_number(horizons.won),
            cutoff=fmt_date(result.last_judged_day),
        )
    )
    if result.after_immature:
        st.caption(t("ba_immature_period", days=fmt_number(horizons.longest)))
else:
    st.caption(t("ba_rule_nocut", anchor=t(f"ba_anchor_{result.anchor}")))

words = {
    key: t(f"tw_{key}")
    for key in ("created", "rate", "trials", "won", "before", "after", "change", "too_early")
}
words.update(step=t("tr_step"), segment=t("col_segment"), all=t("tr_no_by"), **side_names)
pct = tables.pct_formatter()
n = len(deals.stages)

# ---- the funnel on both sides ----
st.subheader(t("ba_chart_title"))
st.caption(t("ba_chart_caption", n=MIN_DEALS))
chart = memo.remember(
    "ba_chart",
    asked,
    lambda: change_charts.before_after_chart(
        result, text=words, fmt_pct=pct, columns=1, panel_width=560
    ),
)
charts.show_chart(chart)
charts.chart_downloads(chart, "before_after", key="ba_chart", title=t("ba_chart_title"))

st.subheader(t("ba_verdict_title"), help=t("ba_significance_help"))


def verdict(found: BeforeAfter) -> tuple[Any, Any, Any, Any]:
    """The steps that moved, the most tried one, those too early and those too small."""
    return found.moved(), found.most_tried(), found.too_early(), found.too_small()


def name_of(r) -> str:
    return trend_charts.step_name(r["from_stage"], r["to_stage"], int(r["step"]), n, words)


def moved_line(r) -> str:
    return t(
        "ba_up" if r["change"] > 0 else "ba_down",
        step=name_of(r),
        before=fmt_pct(r["before_rate"]),
        after=fmt_pct(r["after_rate"]),
        p=chance(r["p_adjusted"]),
    )


moved, top, early, small = memo.remember("ba_verdict", asked, partial(verdict, result))
if len(moved):
    st.markdown(t("ba_lead_moved", head=head))
    for _, r in moved.iterrows():
        st.markdown("- " + moved_line(r))
elif top is not None:
    st.info(
        t(
            "ba_lead_none",
            head=head,
            step=name_of(top),
            before=fmt_pct(top["before_rate"]),
            after=fmt_pct(top["after_rate"]),
        )
    )
else:
    st.info(t("ba_none_judgeable", n=MIN_DEALS))
channel_box = st.container()  # the channels' clear changes, in words, filled below
if len(early) or (len(small) and top is not None):
    # The honest answer for a young change: not a drop, just not yet known.
    lines = [t("ba_too_early" if mode == "change" else "ba_too_early_period", n=MIN_DEALS)]
    if not len(early):
        lines = [t("ba_not_judged")]
    for _, r in early.iterrows():
        days = fmt_number(r["horizon_days"])
        if r["judge_from"] is not None:
            lines.append(
                "- "
                + t("ba_too_early_date", step=name_of(r), date=fmt_date(r["judge_from"]), days=days)
            )
        else:
            reached = int(r["after_reached"])
            lines.append(
                "- " + t("ba_too_early_wait", step=name_of(r), n=MIN_DEALS, k=reached, days=days)
            )
    for _, r in small.iterrows():
        lines.append(
            "- "
            + t(
                "ba_small_step",
                step=name_of(r),
                b=fmt_number(r["before_trials"]),
                a=fmt_number(r["after_trials"]),
                n=MIN_DEALS,
            )
        )
    st.warning("\n".join(lines))

# ---- the same by channel ----
dims = segment_dims(deals)
shown = [result]
if dims:
    st.subheader(t("ba_by_channel"))
    by = widgets.remembered_selectbox(t("ba_by"), dims, key="ba_by", format_func=dim_label)

    def by_segment(by: str):
        found = run(by)
        if found is None:
            return None
        # Segments by their names for people (no «(none)»): the chart, the lines, the table.
        named_table = found.table.assign(segment=[segment_name(s) for s in found.table["segment"]])
        return dataclasses.replace(found, table=named_table)

    by_result = memo.remember("ba_by_result", (*asked, by), lambda: by_segment(by))
    if by_result is not None and not by_result.table.empty:
        by_chart = memo.remember(
            "ba_by_chart",
            (*asked, by),
            lambda: change_charts.before_after_chart(
                by_result,
                segments=by_result.segments(top=6),
                text=words,
                fmt_pct=pct,
                columns=2,
                panel_width=200,
            ),
        )
        charts.show_chart(by_chart)
        charts.chart_downloads(
            by_chart, f"before_after_{by}", key="ba_by_chart", title=t("ba_chart_title")
        )
        shown.append(by_result)
        prefix = "ba_in_segment" if by == "channel" else f"ba_in_segment_{by}"
        for _, r in by_result.moved().iterrows():
            channel_box.markdown("- " + t(prefix, seg=r["segment"]) + moved_line(r))

# ---- the table ----
rates = [t("tc_before_rate"), t("tc_after_rate")]


def changes_table() -> tables.Table:
    # The export reads as the page does: whole days, yes/no, the whole funnel named.
    out = shown_tables(shown)
    out["step"] = [
        trend_charts.step_name(f, s_to, k, n, words)
        for f, s_to, k in zip(out["from_stage"], out["to_stage"], out["step"], strict=True)
    ]
    out["segment"] = [t("tr_no_by") if s == ALL else segment_name(s) for s in out["segment"]]
    for col in ("significant", "too_small", "too_early"):
        out[col] = out[col].map({True: t("ba_yes"), False: t("ba_no")})
    columns = [
        "segment", "step", "before_passed", "before_trials", "before_rate", "after_passed",
        "after_trials", "after_rate", "change", "p_adjusted", "significant", "too_small",
        "too_early", "horizon_days", "judge_from",
    ]  # fmt: skip
    out = out[columns].rename(columns={c: t(f"tc_{c}") for c in columns})
    return tables.table(out, percent=rates, decimals={t("tc_change"): 1, t("tc_p_adjusted"): 4})


st.subheader(t("ba_table_title"))
# The table holds the segments' rows when they are shown (``shown`` has two results then).
table = memo.remember("ba_table", (*asked, by if len(shown) > 1 else None), changes_table)
tables.show_table(table)
tables.table_downloads(
    table.frame, "before_after", key="ba_table", sheet="before_after", percent=rates
)
