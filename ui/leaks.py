"""The weak-points section: ranked leaks said in one sentence each, with the deals lost."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from functools import partial
from typing import Literal

import numpy as np
import streamlit as st

from funnel.compare import MIN_DEALS
from funnel.diagnostics import Leak, lost_deals_at, rank, weak_points
from funnel.economics.figures import Economics
from funnel.filters import segment_dims
from funnel.metrics import FunnelCounts
from ui import memo, spend, state, tables, widgets
from ui.i18n import (
    dim_label,
    fmt_money_short,
    fmt_number,
    fmt_pct,
    lang,
    plural_deals,
    segment_name,
    t,
)

TOP = 5


def leak_sentence(leak: Leak, language: str | None = None) -> str:
    """'Счёт выставлен → Оплата: теряется 52% (94 сделки, 14,2 млн ₽). Email проходит …'."""
    language = language or lang()
    to = leak.stage_to or t("won_row")
    loss = 1 - leak.rate if not math.isnan(leak.rate) else math.nan
    money = (
        ", " + fmt_money_short(leak.lost_amount, leak.currency, language)
        if leak.lost_amount and leak.lost_amount > 0
        else ""
    )
    text = t(
        "leak_head",
        from_=leak.stage_from,
        to=to,
        pct=fmt_pct(loss, 0, language),
        n=fmt_number(leak.lost_deals, 0, language),
        deals_word=plural_deals(leak.lost_deals, language),
        money=money,
    )
    if leak.unknown_lost:
        text += t("leak_unknown", n=fmt_number(leak.unknown_lost, 0, language))
    if leak.too_small or not leak.best_segment:
        return text + (t("leak_too_small") if leak.by else "")
    text += t(
        "leak_best",
        best=segment_name(leak.best_segment),
        best_rate=fmt_pct(leak.best_rate, 0, language),
    )
    extra = round(leak.extra_won)
    if extra >= 1 and leak.worst_segment:
        gain = (
            f" (+{fmt_money_short(leak.extra_won_amount, leak.currency, language)})"
            if leak.extra_won_amount > 0
            else ""
        )
        text += t(
            "leak_uplift_segment",
            segment=segment_name(leak.worst_segment),
            extra=fmt_number(extra, 0, language),
            deals_word=plural_deals(extra, language, accusative=True),
            money=gain,
        )
        if leak.worst_trials < 2 * MIN_DEALS:
            text = text.removesuffix(".") + t("leak_segment_small") + "."
    else:
        text += "."
    return text


def _spent_on(econ: Economics | None, step: int) -> str:
    """' На сделки, потерянные на этом шаге, ушло 340 000 ₽ рекламы.' when spend is known."""
    if econ is None or econ.total_spend <= 0:
        return ""
    lost = float(np.nansum(econ.lost_spend[:, step]))
    if lost <= 0:
        return ""
    return " " + t("leak_spend", amount=fmt_money_short(lost, econ.currency))


def _worded(found: Sequence[Leak], key: Literal["deals", "money"]) -> tuple[list[Leak], list[str]]:
    """The first ``TOP`` leaks by ``key`` that lost deals, and their sentences: made once per
    data, filters, breakdown and ranking, then reused while other widgets change."""
    ranked = [x for x in rank(found, key) if x.lost_deals > 0][:TOP]
    return ranked, [leak_sentence(leak) for leak in ranked]


def section(
    ds: state.Dataset,
    mask: np.ndarray | None,
    here: tuple[Hashable, ...] | None = None,
    total: FunnelCounts | None = None,
) -> None:
    """The weak points of ``ds`` where ``mask``; ``here`` is :func:`ui.memo.data_key` of the
    mask and ``total`` the funnel of those deals when the page has them already."""
    deals = ds.deals
    st.subheader(t("weak_title"))
    if "stage_order" in ds.spec.guessed:
        st.warning(t("guess_weak"))
    dims = memo.remember("weak_dims", state.version(), partial(segment_dims, deals))
    c1, c2, _ = st.columns([1.2, 1.8, 1.5])
    by = (
        c1.selectbox(
            t("weak_by"), dims, format_func=dim_label, key=f"weak_by_{lang()}", disabled=not dims
        )
        if dims
        else None
    )
    ranks: list[Literal["deals", "money"]] = ["deals", "money"]
    key = c2.segmented_control(
        t("weak_rank"),
        ranks,
        format_func=lambda k: t(f"weak_rank_{k}"),
        default="deals",
        required=True,
        key=f"weak_rank_{lang()}",
    )
    slot = (here if here is not None else memo.data_key(mask), by)
    found = memo.remember(
        "weak_points",
        slot,
        lambda: state.guarded(weak_points, deals, by=by, mask=mask, total=total),
    )
    if found is None:
        state.show_errors()
        return
    ranked, sentences = memo.remember(
        "weak_sentences", (*slot, key), partial(_worded, found, key or "deals")
    )
    if not ranked:
        unknown = sum(x.unknown_lost for x in found)
        st.info(t("weak_unknown", n=fmt_number(unknown)) if unknown else t("weak_none"))
        return
    econ = spend.economics(ds, mask)
    lines = (
        f":{'red' if i <= 2 else 'orange'}[**{i}.**] {sentence}{_spent_on(econ, leak.step)}"
        for i, (leak, sentence) in enumerate(zip(ranked, sentences, strict=True), 1)
    )
    st.markdown("\n\n".join(lines))  # one element: a rerun draws it once
    # The deals are listed only while the section is open: a closed one costs a rerun nothing.
    listing = st.expander(t("leak_deals_title"), key="leak_deals_open", on_change="rerun")
    if not listing.open:
        return
    labels = {
        leak.step: f"{leak.stage_from} → {leak.stage_to or t('won_row')} "
        f"({fmt_number(leak.lost_deals)})"
        for leak in ranked
    }
    with listing:
        step = st.selectbox(
            t("leak_pick"), list(labels), format_func=lambda k: labels[k], key=f"leak_step_{lang()}"
        )
        if step is None:
            return
        lost = state.guarded(lost_deals_at, deals, step, mask=mask)
        if lost is not None:
            lost = lost.rename(columns={"stage at loss known": t("col_stage_known")})
            # the amount as a number in the UI's language; IDs and other numbers as filed
            amount = deals.spec.columns.get("amount")
            raw = [c for c in lost.columns if c != amount]
            shown, config = tables.shown_table(lost, raw=raw)
            st.dataframe(shown, column_config=config, hide_index=True, height=300)
            tables.table_downloads(
                lost, f"lost_at_{widgets.slug(deals.stages[step])}", key="lost", sheet="lost"
            )
