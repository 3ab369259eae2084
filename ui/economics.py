"""The channel economics and the planner's budget as tables in the user's words.

The engine's frames (``Economics.table``, ``Economics.month_view``, ``Budget.table``) name
their columns by code; here they get the user's words, units and verdicts, so the pages stay
widgets -> one call -> table.
"""

from __future__ import annotations

import math

import pandas as pd

from funnel.economics.budget import Budget
from funnel.economics.figures import Economics
from funnel.spec_spend import SpendSpec
from ui.i18n import currency_sign, fmt_money, fmt_number, segment_name, t


def _unit(currency: str) -> str:
    sign = currency_sign(currency)
    return f", {sign}" if sign else ""


def channels_table(econ: Economics) -> pd.DataFrame:
    """One row per channel: spend, leads, each cost, won, rate, CAC and its range, revenue,
    ROMI (profit with a margin) and the verdict."""
    unit = _unit(econ.currency)
    low, high = econ.cac_range
    frame = pd.DataFrame(
        {
            t("ch_col_segment"): [segment_name(x) for x in econ.labels],
            t("ch_col_spend") + unit: econ.spend,
            t("ch_col_leads"): econ.leads.astype(int),
            t("ch_col_cpl") + unit: econ.cost_per_lead,
            t("ch_col_won"): econ.won.astype(int),
            t("ch_col_win_rate"): econ.win_rate,
            t("ch_col_cac") + unit: econ.cost_per_won,
            t("ch_col_cac_range") + unit: [
                f"{fmt_number(a)} – {fmt_number(b)}"
                if math.isfinite(a) and math.isfinite(b)
                else "—"
                for a, b in zip(low, high, strict=True)
            ],
            t("ch_col_revenue") + unit: econ.won_amount,
            t("ch_col_romi"): econ.romi,
        }
    )
    if econ.profit is not None and econ.romi_profit is not None:
        frame[t("ch_col_profit") + unit] = econ.profit
        frame[t("ch_col_romi_profit")] = econ.romi_profit
    frame[t("ch_col_verdict")] = [t(f"ch_verdict_{v}") for v in econ.verdict]
    return frame


def months_table(econ: Economics, segment: str | None, *, calendar: bool) -> pd.DataFrame | None:
    """The months of one channel (None: all) by lead month or by calendar month; None when
    that attribution cannot be made."""
    view = econ.month_view(segment, calendar=calendar)
    if view is None:
        return None
    unit = _unit(econ.currency)
    words = {
        "month": t("ch_col_month_name"),
        "spend": t("ch_col_spend") + unit,
        "leads": t("ch_col_leads"),
        "cost_per_lead": t("ch_col_cpl") + unit,
        "won": t("ch_col_won"),
        "cost_per_won": t("ch_col_cac") + unit,
        "won_amount": t("ch_col_revenue") + unit,
        "romi": t("ch_col_romi"),
        "young": t("ch_col_young"),
    }
    return view.rename(columns=words)


def spend_rows(kept: SpendSpec) -> pd.DataFrame:
    """The spend rows kept with the mapping, as they are saved."""
    return pd.DataFrame([r.to_dict() for r in kept.rows])


def typed_start(channels: list[str], words: dict[str, str]) -> pd.DataFrame:
    """The table a user types spend into: the first channels written in, months and amounts
    blank."""
    return pd.DataFrame(
        {words["channel"]: channels[:4] or [""], words["month"]: "", words["amount"]: None}
    )


def budget_tables(costs: Budget, by_word: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The planner's budget per segment: (shown, with money written out; for download, with
    whole numbers and both ends of the range)."""
    rows = costs.table()
    cur = costs.currency
    names = [segment_name(lab) for lab in rows["segment"]]
    notes = [t(f"plan_budget_status_{s}") for s in rows["status"]]
    shown = pd.DataFrame(
        {
            by_word: names,
            t("plan_budget_col_leads"): rows["leads"].astype("int64"),
            t("plan_budget_col_cost"): [fmt_money(c, cur) for c in rows["cost_per_lead"]],
            t("plan_budget_col_budget"): [fmt_money(b, cur) for b in rows["budget"]],
            t("plan_budget_col_range"): [
                t("plan_budget_range", low=fmt_money(a, cur), high=fmt_money(b, cur))
                if math.isfinite(a)
                else "—"
                for a, b in zip(rows["budget_low"], rows["budget_high"], strict=True)
            ],
            t("plan_budget_col_note"): notes,
        }
    )
    download = pd.DataFrame(
        {
            by_word: names,
            t("plan_budget_col_leads"): rows["leads"],
            t("plan_budget_col_cost"): rows["cost_per_lead"].round(0),
            t("plan_budget_col_budget"): rows["budget"].round(0),
            t("plan_budget_col_budget_low"): rows["budget_low"].round(0),
            t("plan_budget_col_budget_high"): rows["budget_high"].round(0),
            t("plan_budget_col_note"): notes,
        }
    )
    return shown, download
