"""The client report's appendix: every segment's step conversions, every weak point, the cohorts
and each before/after table, after the method."""

from __future__ import annotations

from typing import Any

from funnel.document import blocks, words
from funnel.document.blocks import Block, Formats, Part, Row, kept
from funnel.document.parts import ClientReport, ComparePart
from funnel.document.sections import LEAK_ROWS, leaks_table

SIGNS = {"better": " ▲", "worse": " ▼", "too_small": " ·"}
MATRIX_COLUMNS = 5  # segments per table of the appendix: wider would not fit A4


def _step_matrix(cmp: ComparePart, f: Formats) -> list[Block]:
    """Each segment's step conversions side by side (steps down, segments across), marked
    ▲/▼ where reliably above/below the rest: the heatmap's numbers, every segment."""
    sizes = cmp.segments.set_index("segment")["deals"]
    order = list(sizes.sort_values(ascending=False, kind="stable").index)
    steps = list(dict.fromkeys(cmp.steps["step"]))
    cell = {
        (r.segment, r.step): f.pct(r.rate, 1) + SIGNS.get(str(r.verdict), "")
        for r in cmp.steps.itertuples(index=False)
    }
    out: list[Block] = []
    for start in range(0, len(order), MATRIX_COLUMNS):
        chunk = order[start : start + MATRIX_COLUMNS]
        head = [f.w("col_step")] + [f"{blocks.label(s, f)} ({f.n(sizes[s])})" for s in chunk]
        rows = [Row([step, *(cell.get((s, step), "") for s in chunk)]) for step in steps]
        numeric = [False] + [True] * len(chunk)
        out.append(Block("table", head=head, numeric=numeric, rows=rows, cls=kept(rows)))
    return out


def appendix(report: ClientReport, f: Formats) -> Part | None:
    part = Part("appendix", f.w("sec_appendix"))
    for cmp in report.comparisons:
        part.blocks.append(
            Block("h3", text=f"{f.w('sec_compare')}: {words.role(cmp.by, f.language)}")
        )
        part.blocks.append(Block("note", text=f.w("appendix_compare_note", n=cmp.min_deals)))
        part.blocks += _step_matrix(cmp, f)
    if (
        report.leaks is not None
        and "leaks" in report.sections
        and len(report.leaks.leaks) > LEAK_ROWS
    ):
        part.blocks.append(Block("h3", text=f.w("sec_leaks")))
        part.blocks += leaks_table(report, f, limit=None)
    if report.trends is not None:
        part.blocks.append(Block("h3", text=f.w("sec_trends")))
        part.blocks += blocks.table(
            [
                f.w("col_cohort"),
                f.w("col_deals"),
                f.w("col_won"),
                f.w("col_lost"),
                f.w("col_open"),
                f.w("col_young"),
            ],
            report.trends.cohorts,
            [
                lambda r: str(r.cohort),
                lambda r: f.n(r.deals),
                lambda r: f.n(r.won),
                lambda r: f.n(r.lost),
                lambda r: f.n(r.open),
                lambda r: f.w("yes") if r.immature else "",
            ],
            [False, True, True, True, True, False],
        )
    for change in report.changes:
        part.blocks.append(Block("h3", text=f"{f.w('sec_changes')}: {change.label}"))
        part.blocks += blocks.table(
            [
                f.w("col_step"),
                f.w("col_before"),
                f.w("col_after"),
                f.w("col_change"),
                f.w("col_verdict"),
            ],
            change.table,
            [
                lambda r: _change_step(r, report, f),
                lambda r: (
                    f"{f.pct(r.before_rate, 1)} ({f.n(r.before_passed)}/{f.n(r.before_trials)})"
                ),
                lambda r: f"{f.pct(r.after_rate, 1)} ({f.n(r.after_passed)}/{f.n(r.after_trials)})",
                lambda r: f.pct(r.change, 1),
                lambda r: (
                    f.w("too_early")
                    if r.too_early
                    else f.w("too_small")
                    if r.too_small
                    else f.w("significant")
                    if r.significant
                    else f.w("not_significant")
                ),
            ],
            [False, True, True, True, False],
        )
    return part if part.blocks else None


def _side(rate: float, passed: int, trials: int, f: Formats) -> str:
    return f"{f.pct(rate, 1)} ({f.n(passed)}/{f.n(trials)})"


def _change_step(r: Any, report: ClientReport, f: Formats) -> str:
    if int(r.step) == len(report.stages):  # the whole funnel, as the chart names it
        return words.stage_step(f.w("created"), None, f.language)
    return words.stage_step(
        r.from_stage, r.to_stage if isinstance(r.to_stage, str) else None, f.language
    )
