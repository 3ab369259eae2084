"""The client report's sections as blocks: one builder per section, then the appendix."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from funnel.document import blocks, economics, sentences, words
from funnel.document.blocks import Block, Formats, Part, svg
from funnel.document.parts import ClientReport, ComparePart, FunnelPart

LEAK_ROWS = 8  # weak points in the section; the appendix (funnel.document.appendix) lists all


def _conclusions(report: ClientReport, f: Formats) -> Part:
    part = Part("conclusions", f.w("sec_conclusions"))
    total = report.funnels[0] if report.funnels else None
    if total is not None:
        part.blocks.append(Block("kpis", items=_kpis(total, f)))
    say = lambda x: sentences.finding_text(x.code, x.params, f.language, f.currency)  # noqa: E731
    leaks = [say(x) for x in report.conclusions if x.code in ("leak", "leaks_unknown")]
    if [x.code for x in report.conclusions] == ["no_deals"]:
        part.blocks.append(Block("p", text=say(report.conclusions[0])))
    segs = [say(x) for x in report.conclusions if x.code in ("better", "worse")]
    changes = [
        say(x) for x in report.conclusions if x.code.startswith("change") or x.code == "shift"
    ]
    if leaks:
        part.blocks += [Block("h3", text=f.w("leaks_head")), Block("list", items=leaks)]
    if report.comparisons:
        part.blocks.append(Block("h3", text=f.w("segments_head")))
        part.blocks.append(
            Block("list", items=segs) if segs else Block("p", text=f.w("nothing_reliable"))
        )
    if report.economics is not None and "economics" in report.sections:
        econ = report.economics
        money = Formats(f.language, econ.econ.currency or f.currency)
        said = economics.headline(econ.econ, econ.dear, econ.cheap, money)
        part.blocks += [Block("h3", text=f.w("econ_head")), Block("list", items=said)]
    if changes:
        part.blocks += [Block("h3", text=f.w("changes_head")), Block("list", items=changes)]
    if report.caveats:
        part.blocks.append(Block("h3", text=f.w("caveats_head")))
        part.blocks.append(Block("list", cls="caveats", items=[say(x) for x in report.caveats]))
    return part


def _kpis(total: FunnelPart, f: Formats) -> list[tuple[str, str]]:
    items = [
        (f.w("kpi_deals"), f.n(total.deals)),
        (f.w("kpi_won"), f.n(total.won)),
        (f.w("kpi_lost"), f.n(total.lost)),
        (f.w("kpi_open"), f.n(total.open)),
        (
            f.w("kpi_win_rate") + f" ({f.w('kpi_win_rate_decided')}: "
            f"{f.pct(total.win_rate_decided, 1)})",
            f.pct(total.win_rate, 1),
        ),
    ]
    if total.won_amount or total.open_amount:
        items.append((f.w("kpi_won_amount"), f.money_short(total.won_amount)))
        items.append((f.w("kpi_open_amount"), f.money_short(total.open_amount)))
    return items


def _funnel_table(part: FunnelPart, f: Formats) -> list[Block]:
    table = part.table
    won = f.w("won")
    money = bool(table["reached_amount"].fillna(0).any())
    head = [
        f.w("col_stage"),
        f.w("col_reached"),
        f.w("col_pct_prev"),
        f.w("col_pct_top"),
        f.w("col_lost_at"),
        f.w("col_open_at"),
    ]
    cells: list[Callable[[Any], str]] = [
        lambda r: str(r.stage),
        lambda r: f.n(r.reached),
        lambda r: f.pct(r.pct_of_previous, 1),
        lambda r: f.pct(r.pct_of_top, 1),
        lambda r: "" if r.stage == won and pd.isna(r.lost_at) else f.n(r.lost_at),
        lambda r: "" if r.stage == won and pd.isna(r.open_at) else f.n(r.open_at),
    ]
    numeric = [False, True, True, True, True, True]
    if money:
        head.append(f.w("col_amount"))
        cells.append(lambda r: f.money(r.reached_amount))
        numeric.append(True)
    last = len(table) - 1
    marked = table.assign(is_won=[i == last for i in range(len(table))])
    return blocks.table(head, marked, cells, numeric, row_class=lambda r: "won" if r.is_won else "")


def _funnel(report: ClientReport, f: Formats) -> Part:
    part = Part("funnel", f.w("sec_funnel"))
    for i, one in enumerate(report.funnels):
        if i:
            part.blocks.append(Block("h3", text=f.w("pipeline", name=one.name)))
            part.blocks.append(Block("kpis", items=_kpis(one, f)[:5]))
        part.blocks.append(Block("chart", svg=svg(one.chart, f.language)))
        if i == 0:
            part.blocks.append(Block("caption", text=f.w("funnel_caption")))
        part.blocks += _funnel_table(one, f)
    return part


def _segments_table(cmp: ComparePart, f: Formats) -> list[Block]:
    table = cmp.segments.sort_values("deals", ascending=False, kind="stable")
    money = bool(table["won_amount"].fillna(0).any())
    head = [
        words.role(cmp.by, f.language),
        f.w("col_deals"),
        f.w("col_won"),
        f.w("col_open"),
        f.w("col_win_rate"),
    ]
    cells: list[Callable[[Any], str]] = [
        lambda r: blocks.label(r.segment, f),
        lambda r: f.n(r.deals),
        lambda r: f.n(r.won),
        lambda r: f.n(r.open),
        lambda r: f.pct(r.win_rate, 1) + (f" ({f.w('too_small')})" if r.too_small else ""),
    ]
    numeric = [False, True, True, True, True]
    if money:
        head.append(f.w("col_won_amount"))
        cells.append(lambda r: f.money(r.won_amount))
        numeric.append(True)
    return blocks.table(head, table, cells, numeric)


def _compare(report: ClientReport, f: Formats) -> Part:
    part = Part("compare", f.w("sec_compare"))
    for cmp in report.comparisons:
        part.blocks.append(Block("h3", text=words.role(cmp.by, f.language)))
        total = len(cmp.segments)
        if cmp.shown < total:
            part.blocks.append(Block("note", text=f.w("shown_of", shown=cmp.shown, total=total)))
        part.blocks.append(Block("chart", svg=svg(cmp.multiples, f.language)))
        part.blocks.append(Block("caption", text=f.w("multiples_caption", n=cmp.min_deals)))
        part.blocks.append(Block("chart", svg=svg(cmp.heatmap, f.language)))
        part.blocks.append(Block("caption", text=f.w("heatmap_caption")))
        part.blocks += _segments_table(cmp, f)
    return part


def leaks_table(report: ClientReport, f: Formats, limit: int | None = None) -> list[Block]:
    assert report.leaks is not None
    worth = report.leaks.worth.set_index("step")
    frame = pd.DataFrame(
        [
            {
                "step": words.stage_step(x.stage_from, x.stage_to or None, f.language),
                "trials": x.trials,
                "rate": x.rate,
                "lost": x.lost_deals,
                "lost_amount": x.lost_amount,
                "best": ""
                if x.best_segment is None
                else f"{x.best_segment} ({f.pct(x.best_rate)})",
                "worst": ""
                if x.worst_segment is None
                else f"{x.worst_segment} ({f.pct(x.worst_rate)})",
                "extra_won": worth.loc[x.step, "extra_won"],
                "extra_amount": worth.loc[x.step, "extra_won_amount"],
                "lost_spend": report.leaks.lost_spend.get(x.step, 0.0),
            }
            for x in report.leaks.leaks
        ]
    )
    money = bool(frame["lost_amount"].fillna(0).any())
    head = [f.w("col_step"), f.w("col_trials"), f.w("col_rate"), f.w("col_lost_deals")]
    cells: list[Callable[[Any], str]] = [
        lambda r: r.step,
        lambda r: f.n(r.trials),
        lambda r: f.pct(r.rate, 1),
        lambda r: f.n(r.lost),
    ]
    numeric = [False, True, True, True]
    if report.leaks.by:
        head += [f.w("col_best"), f.w("col_worst")]
        cells += [lambda r: blocks.label(r.best, f), lambda r: blocks.label(r.worst, f)]
        numeric += [False, False]
    head.append(f.w("col_worth_deals"))
    cells.append(lambda r: f.n(r.extra_won, 1))
    numeric.append(True)
    if money:
        head.append(f.w("col_worth_money"))
        cells.append(lambda r: f.money_short(r.extra_amount))
        numeric.append(True)
    if report.leaks.lost_spend:
        head.append(f.w("col_lost_spend"))
        cells.append(lambda r: f.money_short(r.lost_spend) if r.lost_spend > 0 else "—")
        numeric.append(True)
    return blocks.table(head, frame, cells, numeric, limit=limit, more=f.w("more_in_appendix"))


def _with_rate(segment: str | None, rate: float, f: Formats) -> str:
    return "" if segment is None else f"{blocks.label(segment, f)} ({f.pct(rate)})"


def _leaks_part(report: ClientReport, f: Formats) -> Part:
    part = Part("leaks", f.w("sec_leaks"))
    part.blocks.append(Block("caption", text=f.w("leaks_caption")))
    # The appendix (with the method) lists every step; without it, so does the section.
    part.blocks += leaks_table(report, f, limit=LEAK_ROWS if "method" in report.sections else None)
    return part


def _trends(report: ClientReport, f: Formats) -> Part:
    assert report.trends is not None
    part = Part("trends", f.w("sec_trends"))
    part.blocks.append(Block("chart", svg=svg(report.trends.chart, f.language)))
    part.blocks.append(Block("caption", text=f.w("trend_caption")))
    shifts = [x for x in report.conclusions if x.code == "shift"]
    if shifts:
        part.blocks.append(
            Block(
                "list",
                items=[
                    sentences.finding_text(x.code, x.params, f.language, f.currency) for x in shifts
                ],
            )
        )
    return part


def _changes(report: ClientReport, f: Formats) -> Part:
    part = Part("changes", f.w("sec_changes"))
    for change in report.changes:
        part.blocks.append(Block("h3", text=f"{change.label} — {f.day(change.when)}"))
        found = [
            x
            for x in report.conclusions
            if x.code.startswith("change") and x.params.get("when") == change.when
        ]
        for x in found:
            part.blocks.append(
                Block("p", text=sentences.finding_text(x.code, x.params, f.language, f.currency))
            )
        if change.chart is not None:
            part.blocks.append(Block("chart", svg=svg(change.chart, f.language)))
        part.blocks.append(
            Block(
                "caption",
                text=f.w(
                    "change_caption",
                    label=change.label,
                    date=f.day(change.when),
                    before=f"{f.day(change.before[0])} – {f.day(change.before[1])}",
                    after=f"{f.day(change.after[0])} – {f.day(change.after[1])}",
                ),
            )
        )
    return part


def _velocity(report: ClientReport, f: Formats) -> Part:
    speed = report.velocity
    assert speed is not None
    part = Part("velocity", f.w("sec_velocity"))
    q1, med, q3, n = speed.to_win
    if n:
        part.blocks.append(
            Block(
                "p",
                text=f.w(
                    "velocity_to_win",
                    median=f.n(med),
                    days_word=words.days_word(round(med), f.language),
                    q1=f.n(q1),
                    q3=f.n(q3),
                    n=f.n(n),
                    deals_word=words.deals_dative(n, f.language),
                ),
            )
        )
    if speed.open_checked:
        text = (
            f.w(
                "stuck_age" if speed.stuck_basis == "age" else "stuck",
                stuck=f.n(speed.stuck),
                checked=f.n(speed.open_checked),
                deals_word=words.deals_genitive(speed.open_checked, f.language),
                amount=f.money_short(speed.stuck_amount),
            )
            if speed.stuck
            else f.w("no_stuck")
        )
        part.blocks.append(Block("p", text=text))
    if len(speed.stages):
        part.blocks += blocks.table(
            [f.w("col_stage"), f.w("col_median"), f.w("col_quartiles"), f.w("col_timed")],
            speed.stages,
            [
                lambda r: str(r.stage),
                lambda r: f.n(r.median, 1),
                lambda r: f"{f.n(r.q1, 1)} – {f.n(r.q3, 1)}",
                lambda r: f.n(r.n),
            ],
            [False, True, True, True],
        )
    if len(speed.stuck_deals):
        part.blocks.append(Block("h3", text=f.w("stuck_head")))
        part.blocks += _stuck_table(speed.stuck_deals, f, speed.stuck_basis)
    return part


def _stuck_table(frame: pd.DataFrame, f: Formats, basis: str) -> list[Block]:
    def text(value: Any) -> str:
        return (
            "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        )

    return blocks.table(
        [
            f.w("col_deal"),
            f.w("col_stage"),
            f.w("col_days_age" if basis == "age" else "col_days"),
            f.w("col_norm"),
            words.role("owner", f.language),
            f.w("col_deal_amount"),
        ],
        frame,
        [
            lambda r: text(r.title) or text(r.deal),
            lambda r: text(r.stage),
            lambda r: f.n(r.days),
            lambda r: f.n(r.norm_days),
            lambda r: text(r.owner),
            lambda r: f.money(r.amount),
        ],
        [False, False, True, True, False, True],
    )


def _plan(report: ClientReport, f: Formats) -> Part:
    plan = report.plan
    assert plan is not None
    part = Part("plan", f.w("sec_plan"))
    target = f.money(plan.target) if plan.kind == "revenue" else f.n(plan.target)
    forecast = f.money(plan.forecast) if plan.kind == "revenue" else f.n(plan.forecast, 1)
    part.blocks.append(
        Block(
            "p",
            text=f.w(
                "plan_summary",
                target=target,
                start=f.day(plan.start),
                end=f.day(plan.end),
                leads=f.n(plan.leads),
                leads_word=words.leads_word(plan.leads, f.language),
                to_bring=f.n(plan.to_bring),
                forecast=forecast,
            ),
        )
    )
    if plan.chart is not None:
        part.blocks.append(Block("chart", svg=svg(plan.chart, f.language)))
        part.blocks.append(Block("caption", text=f.w("plan_caption")))
    part.blocks += blocks.table(
        [
            words.role(plan.by, f.language),
            f.w("col_win_rate"),
            f.w("col_avg_won"),
            f.w("col_part"),
            f.w("col_leads"),
            f.w("col_to_bring"),
        ],
        plan.table,
        [
            lambda r: blocks.label(r.segment, f),
            lambda r: f.pct(r.win_rate, 1),
            lambda r: f.money(r.avg_won),
            lambda r: f.money(r.part) if plan.kind == "revenue" else f.n(r.part, 1),
            lambda r: f.n(r.leads),
            lambda r: f.n(r.to_bring),
        ],
        [False, True, True, True, True, True],
    )
    return part


def _method(report: ClientReport, f: Formats) -> Part:
    part = Part("method", f.w("sec_method"))
    part.blocks.append(Block("list", cls="method", items=sentences.METHOD[f.language]))
    return part


BUILDERS: dict[str, Callable[[ClientReport, Formats], Part]] = {
    "conclusions": _conclusions,
    "funnel": _funnel,
    "compare": _compare,
    "leaks": _leaks_part,
    "economics": economics.section,
    "trends": _trends,
    "changes": _changes,
    "velocity": _velocity,
    "plan": _plan,
    "method": _method,
}
