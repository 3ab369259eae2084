"""What the client report holds: numbers, small tables, finding codes and chart dicts, no prose.

:func:`client_report` computes every section from the same engine calls as the app's pages
(``funnel``, ``weak_points``, ``compare``, ``cohort_trends``, ``around_change``, ``velocity``,
``stuck_deals``, ``plan``); the renderers in ``funnel.document.html`` word and draw it. A section
the data cannot fill is None (or empty), never a blank page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from funnel.compare import MIN_DEALS, compare, step_table
from funnel.deals import LOST, Deals, main_currency
from funnel.diagnostics import improve_step, weak_points
from funnel.document import words
from funnel.document.economics import economics_part, lost_spend_by_step
from funnel.document.findings import caveats, conclusions
from funnel.document.parts import (
    SECTIONS,
    ChangePart,
    ClientReport,
    ComparePart,
    Cover,
    EconomicsPart,
    FunnelPart,
    Language,
    LeakPart,
    PlanPart,
    Section,
    TrendPart,
    VelocityPart,
)
from funnel.economics.compute import economics_of
from funnel.economics.figures import Economics
from funnel.errors import FunnelError
from funnel.filters import Filters
from funnel.metrics import FunnelCounts, funnel
from funnel.report.summary import segments_table, stage_table
from funnel.values import NONE_LABEL

__all__ = ["SECTIONS", "ClientReport", "Section", "client_report"]

# Roles compared side by side when the caller names none.
DEFAULT_BY = ("channel", "product")
TOP_REASONS = 3
MAX_PANELS = 9  # segments drawn in the small multiples and the heatmap (the table holds all)
# Without segments to learn a better rate from, a leak's worth is that of this many points more.
FLAT_UPLIFT = 0.10


def _dims(deals: Deals, by: str | Sequence[str] | None) -> tuple[str, ...]:
    """The breakdowns to compare: those asked for (or channel and product) with two values."""
    wanted = DEFAULT_BY if by is None else (by,) if isinstance(by, str) else tuple(by)
    out = []
    for dim in wanted:
        try:
            labels = [x for x in deals.encode(dim).labels if x != NONE_LABEL]
        except FunnelError:
            continue
        if len(labels) >= 2:
            out.append(dim)
    return tuple(out)


def _period(deals: Deals, mask: np.ndarray | None) -> tuple[date | None, date | None]:
    if deals.created is None:
        return None, None
    created = deals.created if mask is None else deals.created[mask]
    created = created[~np.isnat(created)]
    if not len(created):
        return None, None
    return pd.Timestamp(created.min()).date(), pd.Timestamp(created.max()).date()


def _funnel_part(
    counts: FunnelCounts, g: int, name: str, cur: int, language: Language
) -> FunnelPart:
    from funnel.charts.funnel import funnel_spec

    chart = funnel_spec(
        counts,
        g,
        text=words.chart_words(language),
        fmt_value=lambda v: words.number(v, language),
        fmt_pct=lambda v: words.pct(v, language),
        width=680,
    )
    return FunnelPart(
        name=name,
        deals=int(counts.deals[g]),
        won=int(counts.won[g]),
        lost=int(counts.lost[g]),
        open=int(counts.open[g]),
        lost_stage_unknown=int(counts.lost_stage_unknown[g]),
        win_rate=float(counts.win_rate[g]),
        win_rate_decided=float(counts.win_rate_decided[g]),
        won_amount=float(counts.won_amount[g, cur]),
        open_amount=float(counts.open_amount[g, cur]),
        lost_amount=float(counts.lost_amount[g, cur]),
        table=stage_table(counts, g, currency=cur, won_label=words.word("won", language)),
        chart=chart,
    )


def _funnels(
    deals: Deals, mask: np.ndarray | None, total: FunnelCounts, cur: int, language: Language
) -> tuple[FunnelPart, ...]:
    parts = [_funnel_part(total, 0, "", cur, language)]
    if "pipeline" in deals.segments:
        per = funnel(deals, "pipeline", mask=mask)
        named = [g for g in range(len(per.labels)) if per.labels[g][0] != NONE_LABEL]
        if len(named) > 1:
            parts += [_funnel_part(per, g, per.labels[g][0], cur, language) for g in named]
    return tuple(parts)


def _comparison(
    deals: Deals, dim: str, mask: np.ndarray | None, cur: int, language: Language
) -> ComparePart | None:
    import dataclasses

    from funnel.charts.funnel import heatmap, small_multiples
    from funnel.compare import top_segments

    result = compare(deals, dim, mask=mask)
    if len(result.counts.labels) < 2:
        return None
    won = words.word("won", language)
    steps = step_table(result, won_label=won)
    table = segments_table(result.counts, currency=cur)
    table["too_small"] = result.too_small
    shown = top_segments(result, MAX_PANELS)
    shown = dataclasses.replace(shown, counts=_named(shown.counts, language))
    pct = words.pct_formatter(language)
    text = words.chart_words(language)
    multiples = small_multiples(
        shown.counts, too_small=shown.too_small, text=text, fmt_pct=pct, columns=3, panel_width=190
    )
    heat = heatmap(shown, text=text, fmt_pct=pct, won_label=won, max_width=680)
    return ComparePart(
        by=dim,
        segments=table,
        steps=steps,
        multiples=multiples.to_dict(),
        heatmap=heat.to_dict(),
        shown=len(shown.counts.labels),
        min_deals=MIN_DEALS,
    )


def _named(counts: FunnelCounts, language: Language) -> FunnelCounts:
    """The segment "(none)" named in the document's language."""
    import dataclasses

    none = words.word("none_segment", language)
    labels = tuple(tuple(none if x == NONE_LABEL else x for x in lab) for lab in counts.labels)
    return dataclasses.replace(counts, labels=labels)


def _leaks(
    deals: Deals, by: str | None, mask: np.ndarray | None, econ: Economics | None = None
) -> LeakPart | None:
    leaks = tuple(x for x in weak_points(deals, by=by, mask=mask) if x.lost_deals > 0)
    if not leaks:
        return None
    known = funnel(deals, mask=mask).known()
    cur = main_currency(deals)
    rows = []
    for leak in leaks:
        if not leak.too_small and leak.best_rate > leak.rate:
            rows.append(
                {
                    "step": leak.step,
                    "extra_won": leak.all_extra_won,
                    "extra_won_amount": leak.all_extra_won_amount,
                    "basis": "best",
                    "to_rate": leak.best_rate,
                }
            )
            continue
        to_rate = min(1.0, leak.rate + FLAT_UPLIFT)
        uplift = improve_step(known, 0, leak.step, to_rate, currency=cur)
        rows.append(
            {
                "step": leak.step,
                "extra_won": uplift.extra_won,
                "extra_won_amount": uplift.extra_won_amount,
                "basis": "flat",
                "to_rate": to_rate,
            }
        )
    reasons = {leak.step: _reasons(deals, leak.step, mask) for leak in leaks}
    return LeakPart(
        by=by,
        leaks=leaks,
        worth=pd.DataFrame(rows),
        reasons=reasons,
        lost_spend=lost_spend_by_step(econ),
    )


def _reasons(deals: Deals, step: int, mask: np.ndarray | None) -> tuple[tuple[str, int], ...]:
    """The commonest loss reasons of the deals lost at stage ``step`` (blank ones left out)."""
    enc = deals.segments.get("loss_reason")
    if enc is None:
        return ()
    hit = (deals.furthest == step) & (deals.outcome == LOST)
    if mask is not None:
        hit &= mask
    counts = np.bincount(enc.codes[hit], minlength=len(enc.labels))
    order = np.argsort(-counts, kind="stable")
    found = [(enc.labels[i], int(counts[i])) for i in order if counts[i] > 0]
    return tuple((r, n) for r, n in found if r != NONE_LABEL)[:TOP_REASONS]


def _trends(
    deals: Deals, mask: np.ndarray | None, leak_steps: Sequence[int], language: Language
) -> TrendPart | None:
    from funnel.charts.trends import cohort_trend_chart
    from funnel.overtime.cohorts import cohort_trends, find_shifts

    if deals.created is None:
        return None
    n_created = int((~np.isnat(deals.created if mask is None else deals.created[mask])).sum())
    if n_created == 0:
        return None
    period: Literal["month"] = "month"
    try:
        trends = cohort_trends(deals, period, mask=mask)
    except FunnelError:
        return None
    if trends.cohorts["cohort"].nunique() < 3:
        return None
    shifts = tuple(s for s in find_shifts(trends) if s.significant and s.segment == "all")
    n = len(deals.stages)
    # The two biggest leaks, the steps that shifted (the conclusions name them), the whole.
    steps = sorted({*leak_steps[:2], *(s.step for s in shifts[:2]), n})
    chart = cohort_trend_chart(
        trends,
        steps=steps,
        shifts=shifts,
        text=words.trend_words(language),
        fmt_pct=words.pct_formatter(language),
        columns=2,
        panel_width=290,
        panel_height=140,
    )
    table = trends.table[trends.table["step"].isin(steps)]
    return TrendPart(
        period=period,
        cohorts=trends.cohorts.drop(columns=["segment"], errors="ignore"),
        steps=table,
        shifts=shifts,
        chart=chart.to_dict(),
    )


def _changes(deals: Deals, mask: np.ndarray | None, language: Language) -> tuple[ChangePart, ...]:
    from funnel.charts.changes import before_after_chart
    from funnel.overtime.changes import around_change

    marked = deals.spec.changes
    if not marked or (deals.created is None and deals.entered is None):
        return ()
    parts = []
    for change in marked:
        others = [c.date for c in marked if c.date != change.date]
        try:
            result = around_change(deals, change.date, others=others, mask=mask)
        except FunnelError:
            continue
        if result.one_side_empty:
            continue
        chart = before_after_chart(
            result,
            text=words.trend_words(language),
            fmt_pct=words.pct_formatter(language),
            columns=1,
            panel_width=420,
        )
        parts.append(
            ChangePart(
                label=change.label,
                when=change.date,
                before=(result.before.start.date(), result.before.last_day.date()),
                after=(result.after.start.date(), result.after.last_day.date()),
                table=result.table,
                chart=chart.to_dict(),
            )
        )
    return tuple(parts)


def _velocity(deals: Deals, mask: np.ndarray | None) -> VelocityPart | None:
    from funnel.overtime.velocity import stuck_deals, velocity

    speed = velocity(deals, mask=mask)
    if not speed.has_stage_dates and not speed.has_cycle:
        return None
    table = speed.table()
    whole = table[table["segment"] == ""]
    per_stage = whole[whole["stage"].notna() & (whole["n"] > 0)].drop(columns=["segment"])
    q1, med, q3, n = (float(x) for x in speed.to_win[0])
    stuck = stuck_deals(deals, mask=mask)
    stuck_frame = stuck.deals.head(15) if stuck is not None else pd.DataFrame()
    return VelocityPart(
        stages=per_stage.reset_index(drop=True),
        to_win=(q1, med, q3, int(n)),
        stuck=len(stuck.deals) if stuck is not None else 0,
        stuck_amount=float(stuck.at_risk) if stuck is not None else 0.0,
        open_checked=stuck.open_checked if stuck is not None else 0,
        open_total=stuck.open_total if stuck is not None else 0,
        stuck_deals=stuck_frame,
        stuck_basis=stuck.basis if stuck is not None else "stage",
    )


def _plan(
    deals: Deals, target: float, by: str, mask: np.ndarray | None, kind: str, language: Language
) -> PlanPart | None:
    from funnel.charts.plan import leads_chart
    from funnel.overtime.planner import history, plan

    try:
        hist = history(deals, by, mask=mask)
        result = plan(deals, hist, target, kind=kind, mask=mask)  # type: ignore[arg-type]
    except FunnelError:
        return None
    totals = result.totals()
    fmt = lambda v: words.number(v, language)  # noqa: E731
    chart = leads_chart(result, text=words.plan_words(language), fmt_number=fmt, width=520)
    return PlanPart(
        target=target,
        kind=kind,
        start=result.start.date(),
        end=result.end.date(),
        by=hist.by,
        leads=int(totals.leads),
        to_bring=int(totals.to_bring),
        forecast=float(result.forecast_total),
        table=result.table(),
        chart=chart.to_dict(),
    )


def client_report(
    deals: Deals,
    *,
    by: str | Sequence[str] | None = None,
    mask: np.ndarray | None = None,
    title: str = "",
    source: str = "",
    language: Language = "ru",
    sections: Sequence[Section] = SECTIONS,
    target: float | None = None,
    target_kind: Literal["revenue", "won"] = "revenue",
    filters: Filters | Mapping[str, Sequence[str]] | None = None,
    made: date | None = None,
) -> ClientReport:
    """The client report's content for ``deals`` (where ``mask``), as the pages compute it.

    ``by``: the breakdowns compared side by side (default: channel and product, those the file
    has); the first one also carries the weak points' evidence and the plan. ``filters``: what
    the caller filtered on, named on the cover (the mask is what applies them): a page's
    ``funnel.filters.Filters`` or the spec's ``filter``. ``target``: a
    revenue (or, with ``target_kind="won"``, a count of wins) to plan for over the next quarter.
    """
    asked = tuple(s for s in SECTIONS if s in sections)
    total = funnel(deals, mask=mask)
    cur = main_currency(deals)
    currency = total.currencies[cur]
    dims = _dims(deals, by)
    wanted = set(asked)
    if not int(total.deals[0]):  # a filter kept no deal: the totals say so, nothing to compare
        dims, wanted = (), wanted & {"conclusions", "method"}
    needs_leaks = wanted & {"conclusions", "leaks", "trends"}
    # Spend, when the spec keeps it: the economics section, and what each leak cost in spend.
    spent = wanted & {"conclusions", "leaks", "economics"}
    econ = economics_of(deals, mask=mask) if spent else None
    leaks = _leaks(deals, dims[0] if dims else None, mask, econ) if needs_leaks else None
    channels: EconomicsPart | None = None
    if "economics" in wanted:
        channels = economics_part(deals, mask, language, econ)
    comparisons: tuple[ComparePart, ...] = ()
    if wanted & {"conclusions", "compare"}:
        found = (_comparison(deals, d, mask, cur, language) for d in dims)
        comparisons = tuple(p for p in found if p is not None)
    leak_steps = [x.step for x in leaks.leaks] if leaks is not None else []
    trends = _trends(deals, mask, leak_steps, language) if wanted & {"trends"} else None
    changes = _changes(deals, mask, language) if wanted & {"conclusions", "changes"} else ()
    speed = _velocity(deals, mask) if "velocity" in wanted else None
    planned = None
    if target is not None and "plan" in wanted:
        by_plan = dims[0] if dims else "channel"
        planned = _plan(deals, target, by_plan, mask, target_kind, language)
    period_from, period_to = _period(deals, mask)
    created: tuple[date | None, date | None] = (None, None)
    if isinstance(filters, Filters):
        created = (filters.created_from, filters.created_to)
        filters = filters.values
    cover = Cover(
        title=title,
        source=source,
        language=language,
        made=made or date.today(),
        period_from=period_from,
        period_to=period_to,
        filters=tuple((k, tuple(v)) for k, v in (filters or {}).items() if v),
        created_from=created[0],
        created_to=created[1],
        deals=int(total.deals[0]),
        currency=currency,
    )
    present = {
        "conclusions": True,
        "funnel": int(total.deals[0]) > 0,
        "compare": bool(comparisons),
        "leaks": leaks is not None,
        "economics": channels is not None,
        "trends": trends is not None,
        "changes": bool(changes),
        "velocity": speed is not None,
        "plan": planned is not None,
        "method": True,
    }
    return ClientReport(
        cover=cover,
        stages=deals.stages,
        currency=currency,
        conclusions=conclusions(leaks, comparisons, changes, trends, total),
        caveats=caveats(deals, total, mask, comparisons, trends),
        funnels=_funnels(deals, mask, total, cur, language) if "funnel" in wanted else (),
        comparisons=comparisons if "compare" in wanted else (),
        leaks=leaks if "leaks" in wanted else None,
        trends=trends,
        changes=changes if "changes" in wanted else (),
        velocity=speed,
        plan=planned,
        sections=tuple(s for s in asked if present[s]),
        economics=channels,
    )
