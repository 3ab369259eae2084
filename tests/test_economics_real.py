"""Channel economics on real public data: Olist's qualified leads and closed deals (the deal
side, tests/data/real/olist_marketing_funnel), read with no mapping made by hand, against a
consultant's monthly spend table for its origins. Leads and wins per channel come from the
dataset's expected.json (plain pandas); the spend's totals are counted here by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from funnel.detect.infer import infer_spec
from funnel.economics.compute import economics, spend_for
from funnel.io.readers import read_table
from funnel.prepare import prepare

DATA = Path(__file__).resolve().parent / "data" / "real" / "olist_marketing_funnel"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))

# Twelve months of paid channels as a consultant types them: «paid search» with a space where
# the CRM writes paid_search is NOT the same label, so it is written the CRM's way here; the
# social budget is in a different case; «Display» stops after three months.
MONTHS = pd.period_range("2017-06", "2018-05", freq="M")
SPEND = pd.DataFrame(
    [(f"{m.month:02d}.{m.year}", "paid_search", "10 000") for m in MONTHS]
    + [(f"{m.month:02d}.{m.year}", "SOCIAL", "4 000") for m in MONTHS]
    + [(f"{m.month:02d}.{m.year}", "display", "3 000") for m in MONTHS[:3]]
    + [("01.2018", "Affiliates", "7 500")],
    columns=["Período", "Canal", "Custo (R$)"],
)


@pytest.fixture(scope="module")
def deals():
    leads = read_table((DATA / "olist_marketing_qualified_leads_dataset.csv").read_bytes(),
                       name="leads.csv")  # fmt: skip
    won = read_table((DATA / "olist_closed_deals_dataset.csv").read_bytes(), name="won.csv")
    inference = infer_spec(leads.frame, won.frame)
    return prepare(leads.frame, inference.spec, events=won.frame)


@pytest.fixture(scope="module")
def result(deals):
    return economics(deals, spend_for(deals, SPEND), by_month=True)


def test_leads_and_wins_per_channel_are_the_datasets(result):
    table = result.table().set_index("segment")
    for channel, figures in EXPECTED["by_channel"].items():
        assert table.loc[channel, "leads"] == figures["leads"], channel
        assert table.loc[channel, "won"] == figures["won"], channel
    assert result.total_leads == EXPECTED["total"]["leads"]
    assert result.total_won == EXPECTED["total"]["won"]


def test_spend_and_costs_by_hand(result):
    table = result.table().set_index("segment")
    # paid_search: 12 x 10 000 = 120 000 over 1 586 leads and 195 wins.
    paid = table.loc["paid_search"]
    assert paid["spend"] == 120_000
    assert paid["cost_per_lead"] == pytest.approx(120_000 / 1586)
    assert paid["cost_per_won"] == pytest.approx(120_000 / 195)
    # social, typed SOCIAL: 12 x 4 000 = 48 000 over 1 350 leads and 75 wins.
    assert table.loc["social", "spend"] == 48_000
    assert table.loc["social", "cost_per_won"] == pytest.approx(48_000 / 75)
    # display: 3 x 3 000 over 118 leads, 6 wins: too few leads to judge? 118 >= 30: judged.
    assert table.loc["display", "cost_per_won"] == pytest.approx(9_000 / 6)
    # Affiliates has spend and no lead; organic_search has leads and no spend.
    assert result.unmatched_spend == [("Affiliates", 7_500.0)]
    assert "organic_search" in result.without_spend
    assert math.isnan(table.loc["organic_search", "cost_per_lead"])
    assert result.total_spend == 120_000 + 48_000 + 9_000 + 7_500
    # The deals carry no amounts: revenue is 0, so ROMI is -100 % wherever spend is known.
    assert table.loc["paid_search", "romi"] == -1.0


def test_months_by_lead_month(result):
    months = result.months
    paid = months[months["segment"] == "paid_search"].set_index("month")
    lead_months = EXPECTED["by_channel"]["paid_search"]["leads_by_month"]
    for month, leads in lead_months.items():
        assert paid.loc[month, "leads"] == leads, month
        assert paid.loc[month, "spend"] == pytest.approx(10_000)
    won_by_lead_month = EXPECTED["by_channel"]["paid_search"]["won_by_lead_month"]
    for month, won in won_by_lead_month.items():
        assert paid.loc[month, "won"] == won, month
