"""Channel economics on a file small enough to count by hand (every expected figure below is
worked out in the comments, not by the engine)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnel.economics.compute import economics, place, spend_for
from funnel.economics.figures import Economics
from funnel.economics.matching import match_channels
from funnel.economics.table import Spend, read_spend
from funnel.prepare import prepare
from funnel.spec import Spec, Stage
from funnel.spec_spend import SpendRow, SpendSpec
from tests.strategies import SPEC as STRATEGY_SPEC
from tests.strategies import random_rows, row_strategy, small_frame

# Eleven deals, three channels; stages Lead -> Meeting -> Proposal, then Won / Lost.
DEALS = pd.DataFrame(
    {
        "ID": list(range(1, 12)),
        "Stage": ["Lead", "Meeting", "Won", "Won", "Lost", "Proposal",
                  "Won", "Lead", "Lost", "Won", "Meeting"],
        "Channel": ["Ads"] * 6 + ["Email"] * 3 + ["Referral"] * 2,
        "Amount": [100, 200, 1000, 2000, 300, 400, 500, 50, 60, 3000, 70],
        "Created": ["05.01.2026", "10.01.2026", "12.01.2026", "03.02.2026", "04.02.2026",
                    "20.02.2026", "15.01.2026", "18.02.2026", "20.01.2026", "21.01.2026",
                    "19.02.2026"],
    }
)  # fmt: skip
SPEC = Spec(
    columns={"deal": "ID", "stage": "Stage", "channel": "Channel", "amount": "Amount",
             "created": "Created"},
    stages=(Stage("Lead"), Stage("Meeting"), Stage("Proposal")),
    won=("Won",),
    lost=("Lost",),
)  # fmt: skip
# Spend as typed: the channel's case and spaces differ from the deals', a total row, a channel
# with spend and no deals (Billboards), one with deals and no spend (Referral), a zero.
SPEND = pd.DataFrame(
    {
        "Месяц": ["Январь 2026", "Февраль 2026", "Январь 2026", "Февраль 2026", "Январь 2026",
                  "Итого"],
        "Канал": ["ads", " ADS ", "Email", "email", "Billboards", None],
        "Расход, ₽": ["600", "400", "90", "0", "250", "1 340"],
    }
)  # fmt: skip


@pytest.fixture(scope="module")
def deals():
    return prepare(DEALS, SPEC)


@pytest.fixture(scope="module")
def result(deals):
    return economics(deals, spend_for(deals, SPEND), by_month=True)


def row(result, label):
    table = result.table().set_index("segment")
    return table.loc[label]


def test_spend_is_matched_and_the_total_row_left_out(deals):
    spend = spend_for(deals, SPEND)
    assert spend.rows["amount"].sum() == 1340  # 600 + 400 + 90 + 250 (the zero and Итого out)
    assert [n.code for n in spend.notices] == ["spend_total_rows"]
    assert spend.notices[0].params["amount"] == 1340
    assert dict(spend.columns) == {"period": "Месяц", "channel": "Канал", "amount": "Расход, ₽"}


def test_ads_by_hand(result):
    ads = row(result, "Ads")
    # spend 600 + 400; leads 6; reached Meeting: deals 2, 3, 4, 6 -> 4; Proposal: 3, 4, 6 -> 3
    # (a lost deal's stage at loss is unknown in a snapshot: it counts at the first stage).
    assert ads["spend"] == 1000 and ads["leads"] == 6 and ads["won"] == 2
    assert ads["cost_per_lead"] == pytest.approx(1000 / 6)
    assert ads["cost_per_won"] == 500
    assert ads["won_amount"] == 3000
    assert ads["romi"] == pytest.approx((3000 - 1000) / 1000)
    assert ads["cost: Meeting"] == 250 and ads["cost: Proposal"] == pytest.approx(1000 / 3)


def test_email_and_the_channel_without_spend(result):
    email = row(result, "Email")
    assert (email["spend"], email["leads"], email["won"], email["won_amount"]) == (90, 3, 1, 500)
    assert email["cost_per_lead"] == 30 and email["cost_per_won"] == 90
    assert email["romi"] == pytest.approx((500 - 90) / 90)
    referral = row(result, "Referral")
    assert referral["spend"] == 0 and referral["leads"] == 2 and referral["won"] == 1
    # No spend recorded is not free: every cost and the ROMI are not defined, never 0 or inf.
    assert math.isnan(referral["cost_per_lead"]) and math.isnan(referral["romi"])
    assert result.without_spend == ["Referral"]


def test_spend_with_no_leads_is_listed_not_dropped(result):
    billboards = row(result, "Billboards")
    assert billboards["spend"] == 250 and billboards["leads"] == 0
    assert math.isnan(billboards["cost_per_lead"]) and billboards["romi"] == -1.0
    assert result.unmatched_spend == [("Billboards", 250.0)]


def test_total_is_every_lead_against_every_spend(result):
    total = result.total()
    assert total["spend"] == 1340 == result.spend.sum()
    assert total["leads"] == 11 and total["won"] == 4 and total["won_amount"] == 6500
    assert total["cost_per_lead"] == pytest.approx(1340 / 11)
    assert total["cost_per_won"] == pytest.approx(1340 / 4)
    assert total["romi"] == pytest.approx((6500 - 1340) / 1340)
    assert total["profit"] is None


def test_months_two_attributions(result):
    months = result.months.set_index(["segment", "month"])
    # Ads in January: spend 600, leads 1, 2, 3 (created 5, 10, 12 Jan), won of them: 3 (1000).
    jan = months.loc[("Ads", "2026-01")]
    assert (jan["spend"], jan["leads"], jan["won"], jan["won_amount"]) == (600, 3, 1, 1000)
    feb = months.loc[("Ads", "2026-02")]
    assert (feb["spend"], feb["leads"], feb["won"], feb["won_amount"]) == (400, 3, 1, 2000)


def test_month_view_by_lead_month(result):
    ads = result.month_view("Ads", calendar=False).set_index("month")
    # January: 600 spent, leads 1, 2, 3, of which 3 won 1000 -> 200 a lead, 600 a won deal.
    jan = ads.loc["2026-01"]
    assert (jan["spend"], jan["leads"], jan["won"], jan["won_amount"]) == (600, 3, 1, 1000)
    assert jan["cost_per_lead"] == 200 and jan["cost_per_won"] == 600
    assert jan["romi"] == pytest.approx((1000 - 600) / 600)
    every = result.month_view(None, calendar=False).set_index("month")
    # All channels in January: 600 + 90 + 250 spent; leads 1, 2, 3, 7, 9, 10; won 3, 7, 10.
    assert every.loc["2026-01", "spend"] == 940 and every.loc["2026-01", "leads"] == 6
    assert every.loc["2026-01", "won_amount"] == 1000 + 500 + 3000
    # The file has no close dates: by calendar month cannot be told.
    assert result.month_view("Ads", calendar=True) is None


def test_spend_on_lost_deals_by_hand(result):
    # Deal 5 (Ads) and deal 9 (Email) are lost, at the first stage in a snapshot:
    # Ads 1000 / 6 leads, Email 90 / 3 leads; Referral spent nothing; Billboards has no lead.
    lost = result.lost_spend_by_stage()
    assert lost[0] == pytest.approx(1000 / 6 + 90 / 3) and list(lost[1:]) == [0, 0]
    stage, amount, share = result.costliest_loss()
    assert stage == 0 and amount == pytest.approx(1000 / 6 + 90 / 3)
    assert share == pytest.approx((1000 / 6 + 90 / 3) / 1340)


def _by_hand(labels, spend, leads, won, won_amount, matched) -> Economics:
    """Economics of one-stage funnels given by hand (leads, won and revenue per channel)."""
    leads = np.asarray(leads, dtype=float)
    return Economics(
        by="channel",
        stages=("Lead",),
        currency="RUB",
        labels=tuple(labels),
        spend=np.asarray(spend, dtype=float),
        reached=leads[:, None],
        won=np.asarray(won, dtype=float),
        won_amount=np.asarray(won_amount, dtype=float),
        lost_at=np.zeros((len(labels), 1)),
        matched=np.asarray(matched, dtype=bool),
        total_spend=float(sum(spend)),
        total_reached=np.array([leads.sum()]),
        total_won=int(sum(won)),
        total_won_amount=float(sum(won_amount)),
        total_lost_at=np.zeros(1),
    )


def test_dearest_cheapest_and_losing_by_hand():
    econ = _by_hand(
        ["A", "B", "C", "D", "E"],
        spend=[3000, 1000, 500, 800, 0],
        leads=[40, 50, 10, 0, 35],
        won=[4, 10, 5, 0, 3],
        won_amount=[2000, 5000, 4000, 0, 900],
        matched=[True, True, True, False, True],
    )
    # A: 3000 / 4 = 750 a won deal, B: 1000 / 10 = 100; C has 10 leads (too few to judge), D is
    # spend on no channel of the deals, E has no spend: neither is compared.
    assert econ.judged() == [0, 1]
    assert econ.dearest_and_cheapest() == (0, 1)
    # A returns 2000 for 3000 (ROMI -1/3); D's -1 is spend on no channel, not a channel losing.
    assert econ.losing() == [0]
    assert econ.priced
    one = _by_hand(["A", "C"], [3000, 500], [40, 10], [4, 5], [2000, 4000], [True, True])
    assert one.dearest_and_cheapest() == (0, None)
    none = _by_hand(["E"], [0], [35], [3], [900], [True])
    assert none.dearest_and_cheapest() == (None, None) and not none.priced
    assert none.costliest_loss() is None


@pytest.mark.parametrize("step", [1, 2, 3])
def test_spend_placed_once_gives_the_same_figures_under_any_filter(deals, step):
    """What a filter change reuses (the spend laid against the deals) changes nothing."""
    spend = spend_for(deals, SPEND)
    placed = place(deals, spend)
    mask = np.zeros(len(deals), dtype=bool)
    mask[::step] = True
    again = economics(deals, placed, mask=mask, by_month=True)
    fresh = economics(deals, spend, mask=mask, by_month=True)
    pd.testing.assert_frame_equal(again.table(), fresh.table())
    pd.testing.assert_frame_equal(again.months, fresh.months)
    assert (again.deals_outside, again.notices) == (fresh.deals_outside, fresh.notices)


def test_margin_gives_profit(deals):
    spec = SpendSpec(margin=0.5)
    result = economics(deals, spend_for(deals, SPEND), spec=spec)
    ads = row(result, "Ads")
    assert ads["profit"] == 3000 * 0.5 - 1000
    assert ads["romi_profit"] == pytest.approx(0.5)
    assert result.total()["profit"] == 6500 * 0.5 - 1340


def test_aliases_join_a_name_written_otherwise(deals):
    spec = SpendSpec(channels={"Billboards": "Referral"})
    result = economics(deals, spend_for(deals, SPEND, spec), spec=spec)
    assert row(result, "Referral")["spend"] == 250
    assert result.unmatched_spend == []


def test_other_currency_is_kept_apart(deals):
    rows = (
        SpendRow("Ads", 1000, currency="RUB"),
        SpendRow("Ads", 50, currency="USD"),
        SpendRow("Email", 90),
    )
    spend = Spend.from_rows(rows)
    # The deals name no currency: the spend's own (RUB, the larger) is the one counted.
    result = economics(deals, spend)
    assert result.currency == "RUB"
    assert dict(result.other_currency) == {"USD": 50.0}
    assert result.total_spend == 1090
    assert "spend_other_currency" in [n.code for n in result.notices]


def test_spend_outside_the_deals_dates_is_reported(deals):
    rows = (
        SpendRow("Ads", 700, start=pd.Timestamp("2025-06-01").date(),
                 end=pd.Timestamp("2025-07-01").date()),
        SpendRow("Ads", 600, start=pd.Timestamp("2026-01-01").date(),
                 end=pd.Timestamp("2026-02-01").date()),
    )  # fmt: skip
    result = economics(deals, Spend.from_rows(rows))
    assert result.spend_outside == 700
    assert result.total_spend == 600
    # Only January's deals count against January's spend: 1, 2, 3, 7, 9, 10.
    assert result.total_leads == 6 and result.deals_outside == 5


def test_zero_spend_channel_romi_is_not_defined(deals):
    result = economics(deals, Spend.from_rows((SpendRow("Ads", 0.0), SpendRow("Email", 10.0))))
    ads = row(result, "Ads")
    assert math.isnan(ads["romi"]) and not np.isinf(ads["romi"])


def test_match_channels_normalises_case_spaces_and_yo():
    got = match_channels(["  ЁЛКА ", "Нет"], ["елка"], {})
    assert got == {"  ЁЛКА ": "елка", "Нет": None}


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        # wide: months across the top, a total column and row
        (
            pd.DataFrame({"Канал": ["A", "B", "Итого"], "Январь 2026": [10.0, 5, 15],
                          "Февраль 2026": [20.0, None, 20], "Итого": [30.0, 5, 35]}),
            {("A", "2026-01"): 10, ("A", "2026-02"): 20, ("B", "2026-01"): 5},
        ),
        # channels across the top, months down the side
        (
            pd.DataFrame({"Month": ["2026-01", "2026-02"], "A": [1.0, 2], "B": [3.0, 4]}),
            {("A", "2026-01"): 1, ("A", "2026-02"): 2, ("B", "2026-01"): 3, ("B", "2026-02"): 4},
        ),
        # an ad account's report: dates, a campaign, clicks and the spend
        (
            pd.DataFrame({"Дата": ["01.01.2026", "02.01.2026"], "Кампания": ["brand", "brand"],
                          "Клики": [10, 20], "Расход (руб.)": [500.5, 600.0]}),
            {("(none)", "2026-01"): 1100.5},
        ),
        # a range of dates in two columns, US money
        (
            pd.DataFrame({"Source": ["A", "B"], "Start": ["2026-01-01", "2026-01-01"],
                          "End": ["2026-01-31", "2026-01-31"], "Cost": ["$1,200.50", "$900"]}),
            {("A", "2026-01"): 1200.5, ("B", "2026-01"): 900},
        ),
    ],
)  # fmt: skip
def test_layouts(frame, expected):
    spend = read_spend(frame)
    got = spend.rows.groupby(["channel", spend.rows["start"].dt.strftime("%Y-%m")])["amount"].sum()
    assert {k: float(v) for k, v in got.items()} == expected


def test_rows_survive_the_spec_round_trip(deals):
    spend = spend_for(deals, SPEND)
    spec = Spec.from_yaml(
        SPEC.__class__(columns=SPEC.columns, stages=SPEC.stages, won=SPEC.won, lost=SPEC.lost,
                       spend=SpendSpec(rows=spend.to_rows())).to_yaml()
    )  # fmt: skip
    again = spend_for(deals, None, spec.spend)
    assert again.rows["amount"].sum() == 1340
    first = economics(deals, spend).table()
    second = economics(deals, again).table()
    pd.testing.assert_frame_equal(first, second)


def test_undated_spend_is_in_the_totals_and_said_to_be_in_no_month(deals):
    rows = (
        SpendRow("Ads", 1000, start=pd.Timestamp("2026-01-01").date(),
                 end=pd.Timestamp("2026-02-01").date()),
        SpendRow("Email", 600),
    )  # fmt: skip
    result = economics(deals, Spend.from_rows(rows), by_month=True)
    assert result.total_spend == 1600 and result.spend_undated == 600
    months = result.months
    assert months.loc[months["segment"].isna(), "spend"].sum() == 1000


def test_profit_of_a_channel_with_no_spend_is_not_defined(deals):
    result = economics(deals, spend_for(deals, SPEND), spec=SpendSpec(margin=0.5))
    assert math.isnan(row(result, "Referral")["profit"])


# ---- invariants on random deals and random spend ----
spend_row = st.tuples(
    st.sampled_from(["x", "y", "z", "w"]),  # w: a channel the deals do not have
    st.integers(1, 12),
    st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 2)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row_strategy, min_size=1, max_size=60), st.lists(spend_row, max_size=20),
       st.booleans())  # fmt: skip
def test_invariants(draw_rows, draw_spend, by_month):
    deals = prepare(small_frame(random_rows(draw_rows)), STRATEGY_SPEC)
    rows = tuple(
        SpendRow(ch, amount, start=pd.Timestamp(f"2025-{m:02d}-01").date(),
                 end=(pd.Timestamp(f"2025-{m:02d}-01") + pd.offsets.MonthBegin(1)).date())
        for ch, m, amount in draw_spend
    )  # fmt: skip
    result = economics(deals, Spend.from_rows(rows), by_month=by_month)
    # The total spend is the sum of the segments; with what was left out, all that was given.
    assert result.total_spend == pytest.approx(result.spend.sum())
    given_total = sum(r.amount for r in rows)
    assert result.total_spend + result.spend_outside == pytest.approx(given_total)
    # Cost per won >= cost per lead wherever both are defined; nothing is infinite.
    table = result.table()
    both = table["cost_per_won"].notna() & table["cost_per_lead"].notna()
    assert (table.loc[both, "cost_per_won"] >= table.loc[both, "cost_per_lead"] - 1e-9).all()
    numbers = table.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(numbers).any()
    # Leads of the segments add up to the total's; a label is never listed twice.
    assert result.leads.sum() == result.total_leads
    assert len(set(result.labels)) == len(result.labels)
    if by_month and result.months is not None:
        months = result.months
        assert months.loc[months["segment"].isna(), "spend"].sum() == pytest.approx(
            result.total_spend - result.spend_undated
        )
