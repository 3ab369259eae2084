"""The client report's channel economics: its content (figures, charts, the dearest and the
cheapest won deal) and its section (KPI tiles, the sentences, the table, the three charts)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from funnel.compare import MIN_DEALS
from funnel.deals import Deals
from funnel.document import blocks, words, words_economics
from funnel.document.blocks import Block, Formats, Part, svg
from funnel.document.parts import ClientReport, EconomicsPart, Language
from funnel.economics.compute import economics_of
from funnel.economics.figures import Economics
from funnel.report import formats

CHART_WIDTH = 360  # px of the bars: the channel names take the rest of the page's width
STAGES_WIDTH = 440  # px of the heatmap's cells, most: names and slanted stages beside them


# ---- content ----------------------------------------------------------------------------------


def lost_spend_by_step(econ: Economics | None) -> dict[int, float]:
    """Per stage, the spend that went on the deals lost there, over every channel."""
    if econ is None or econ.total_spend <= 0:
        return {}
    return {k: float(v) for k, v in enumerate(econ.lost_spend_by_stage()) if v > 0}


def chart_words(language: str) -> dict[str, str]:
    """Labels of ``funnel.charts.economics``."""
    w = lambda key: words.word(key, language)  # noqa: E731
    return {
        "channel": words.role("channel", language),
        "cost_per_won": w("chart_cac"),
        "range": w("col_range"),
        "romi": w("col_romi"),
        "not_defined": w("chart_not_defined"),
        "too_small": w("few_leads"),
        "no_spend": w("chart_no_spend"),
        "stage": w("col_stage"),
        "stage_cost": w("chart_stage_cost"),
        "leads": w("col_leads_n"),
        "won": w("col_won"),
        "total": w("all_channels"),
    }


def economics_part(
    deals: Deals, mask: np.ndarray | None, language: Language, econ: Economics | None = None
) -> EconomicsPart | None:
    """The section's content when the deals' spec keeps spend (``econ``: already computed)."""
    from funnel.charts.economics import cac_chart, romi_chart, stage_cost_chart

    econ = econ if econ is not None else economics_of(deals, mask=mask)
    if econ is None or econ.total_spend <= 0:
        return None
    sign = words.currency_sign(econ.currency)
    text = chart_words(language)
    money = lambda v: formats.money(v, sign, 0, language)  # noqa: E731
    signed = lambda v: ("+" if v > 0 else "") + formats.percent(v, 0, language)  # noqa: E731
    number = lambda v: formats.number(v, 0, language)  # noqa: E731
    dear, cheap = econ.dearest_and_cheapest()
    return EconomicsPart(
        econ=econ,
        cac_chart=_wider(cac_chart(econ, text=text, fmt=money).to_dict()),
        romi_chart=_wider(romi_chart(econ, text=text, fmt=signed).to_dict()),
        stage_chart=_cells_fit(stage_cost_chart(econ, text=text, fmt=number).to_dict()),
        dear=dear,
        cheap=cheap,
    )


def _wider(chart: dict[str, Any]) -> dict[str, Any]:
    """The bar charts a little narrower than on screen: the page's width holds the names too."""
    chart["width"] = CHART_WIDTH
    return chart


def _cells_fit(chart: dict[str, Any]) -> dict[str, Any]:
    """The heatmap as wide as the page holds with the channel names and the slanted stage
    names (the page would scale a wider one down, and its numbers with it)."""
    encoding = chart["layer"][0]["encoding"]
    chart["width"] = min(STAGES_WIDTH, max(240, 72 * len(encoding["x"]["sort"])))
    # Every cell carries its number, and the PDF maker leaves this log scale's gradient legend
    # blank (the linear one of the comparison heatmap draws): no colour legend.
    encoding["color"]["legend"] = None
    return chart


# ---- sentences --------------------------------------------------------------------------------


def _q(name: str, f: Formats) -> str:
    return f"«{blocks.label(name, f)}»" if f.language == "ru" else f"“{blocks.label(name, f)}”"


def cac_sentence(econ: Economics, dear: int | None, cheap: int | None, f: Formats) -> str:
    """«Контекстная реклама»: 58 000 ₽ на выигранную сделку, у канала «Рекомендации» — ..."""
    if dear is None:
        return f.w("econ_cac_none", n=f.n(MIN_DEALS))
    name = lambda g: blocks.label(econ.labels[g], f)  # noqa: E731
    if cheap is None:
        return f.w("econ_cac_one", dear=name(dear), dear_cac=f.money(econ.cost_per_won[dear]))
    ratio = float(econ.cost_per_won[dear] / econ.cost_per_won[cheap])
    times = round(ratio) if ratio >= 10 else round(ratio, 1)
    return f.w(
        "econ_cac_two",
        dear=name(dear),
        dear_cac=f.money(econ.cost_per_won[dear]),
        cheap=name(cheap),
        cheap_cac=f.money(econ.cost_per_won[cheap]),
        times=f.n(times, 0 if times == int(times) else 1),
        times_word=formats.plural(times, words_economics.TIMES[f.language], f.language),
    )


def headline(econ: Economics, dear: int | None, cheap: int | None, f: Formats) -> list[str]:
    """What the conclusions say: the dearest and cheapest won deal, the channels that do not
    pay back."""
    out = [cac_sentence(econ, dear, cheap, f)]
    losing = [_q(econ.labels[g], f) for g in econ.losing()]
    if losing:
        out.append(f.w("econ_losing", channels=", ".join(losing)))
    return out


def said_in_words(econ: Economics, dear: int | None, cheap: int | None, f: Formats) -> list[str]:
    """The section's sentences: the headline, then the spend with no lead and the leads with
    no spend."""
    out = headline(econ, dear, cheap, f)
    idle = [g for g in range(len(econ.labels)) if econ.spend[g] > 0 and econ.leads[g] == 0]
    if idle:
        items = ", ".join(f"{_q(econ.labels[g], f)} ({f.money(econ.spend[g])})" for g in idle)
        text = f.w("econ_spend_no_leads", items=items)
        unmatched = [_q(econ.labels[g], f) for g in idle if not econ.matched[g]]
        if unmatched:
            text += " " + f.w("econ_unmatched", names=", ".join(unmatched))
        out.append(text)
    free = [g for g in range(len(econ.labels)) if econ.spend[g] == 0 and econ.leads[g] > 0]
    if free:
        items = ", ".join(
            f"{_q(econ.labels[g], f)} ({f.n(econ.leads[g])} "
            f"{words.leads_word(econ.leads[g], f.language)})"
            for g in free
        )
        out.append(f.w("econ_leads_no_spend", items=items))
    return out


# ---- the section ------------------------------------------------------------------------------


def _kpis(econ: Economics, f: Formats) -> list[tuple[str, str]]:
    total = econ.total()
    items = [
        (f.w("kpi_spend"), f.money_short(total["spend"])),
        (f.w("kpi_cpl"), f.money(total["cost_per_lead"])),
        (f.w("kpi_cac"), f.money(total["cost_per_won"])),
        (f.w("kpi_romi"), f.pct(total["romi"])),
    ]
    if total["profit"] is not None:
        items.append((f.w("kpi_profit"), f.money_short(total["profit"])))
    return items


def _window(econ: Economics, f: Formats) -> str:
    if econ.window is None:
        return ""
    start, end = econ.window
    text = f.w("econ_window", start=f.day(start), end=f.day(end - pd.Timedelta(days=1)))
    if econ.deals_outside or econ.spend_outside:
        text += " " + f.w(
            "econ_outside",
            deals=f.n(econ.deals_outside),
            deals_word=words.deals_word(econ.deals_outside, f.language),
            spend=f.money(econ.spend_outside),
        )
    return text


def _table(econ: Economics, f: Formats) -> list[Block]:
    table = econ.table()
    total = econ.total()
    rows = [
        *table.assign(total=False)
        .sort_values(["spend", "leads"], ascending=False, kind="stable")
        .to_dict("records"),
        {
            **total,
            "segment": f.w("all_channels"),
            "cost_per_won_low": math.nan,
            "cost_per_won_high": math.nan,
            "too_small": False,
            "total": True,
        },
    ]
    frame = pd.DataFrame(rows)
    margin = econ.margin is not None

    def money(value: Any) -> str:
        return "—" if value is None or not math.isfinite(float(value)) else f.money(value)

    def pct(value: Any) -> str:
        return "—" if value is None or not math.isfinite(float(value)) else f.pct(value)

    def cac(r: Any) -> str:
        text = money(r.cost_per_won)
        if text != "—" and math.isfinite(r.cost_per_won_low) and math.isfinite(r.cost_per_won_high):
            text += f" ({f.n(r.cost_per_won_low)} – {f.n(r.cost_per_won_high)})"
        if r.too_small and r.leads > 0:
            text += f" · {f.w('few_leads')}"
        return text

    head = [
        words.role("channel", f.language),
        f.w("col_spend"),
        f.w("col_leads_n"),
        f.w("col_cpl"),
        f.w("col_won"),
        f.w("col_cac") + f" ({f.w('col_range')})",
        f.w("col_won_amount"),
        f.w("col_romi"),
    ]
    cells: list[Callable[[Any], str]] = [
        lambda r: blocks.label(r.segment, f),
        lambda r: money(r.spend),
        lambda r: f.n(r.leads),
        lambda r: money(r.cost_per_lead),
        lambda r: f.n(r.won),
        cac,
        lambda r: f.money(r.won_amount),
        lambda r: pct(r.romi),
    ]
    numeric = [False, True, True, True, True, True, True, True]
    if margin:
        head += [f.w("col_profit"), f.w("col_romi_profit")]
        cells += [lambda r: money(r.profit), lambda r: pct(r.romi_profit)]
        numeric += [True, True]
    return blocks.table(head, frame, cells, numeric, row_class=lambda r: "total" if r.total else "")


def section(report: ClientReport, f: Formats) -> Part:
    part_ = report.economics
    assert part_ is not None
    econ = part_.econ
    f = Formats(f.language, econ.currency or f.currency)
    part = Part("economics", f.w("sec_economics"))
    part.blocks.append(Block("kpis", items=_kpis(econ, f)))
    window = _window(econ, f)
    if window:
        part.blocks.append(Block("note", text=window))
    part.blocks.append(Block("list", items=said_in_words(econ, part_.dear, part_.cheap, f)))
    part.blocks += _table(econ, f)
    part.blocks.append(Block("caption", text=f.w("econ_table_caption", n=f.n(MIN_DEALS))))
    for chart, caption in (
        (part_.cac_chart, "econ_cac_caption"),
        (part_.romi_chart, "econ_romi_caption"),
        (part_.stage_chart, "econ_stage_caption"),
    ):
        part.blocks.append(Block("chart", svg=svg(chart, f.language)))
        part.blocks.append(Block("caption", text=f.w(caption)))
    return part


def leak_spend_text(lost: float, f: Formats) -> str:
    """' На сделки, потерянные на этом шаге, ушло 340 000 ₽ рекламы.' (empty: none)."""
    return f.w("leak_spend", amount=f.money_short(lost)) if lost > 0 else ""


__all__: Sequence[str] = (
    "chart_words",
    "economics_part",
    "headline",
    "lost_spend_by_step",
    "said_in_words",
    "section",
)
