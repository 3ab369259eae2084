"""The plan's budget and moving budget between channels: hand-counted, then invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.compare import MIN_DEALS
from funnel.economics.budget import VOLUME_SHARE, apply, budget, shift
from funnel.economics.figures import Economics
from funnel.overtime.planner import Plan, PlanHistory
from funnel.stats import wilson


def econ_of(rows: dict[str, tuple[float, float, float, float]]) -> Economics:
    """Economics by channel from label -> (spend, leads, won, won amount), one stage."""
    labels = tuple(rows)
    spend, leads, won, amount = (np.array([r[i] for r in rows.values()], float) for i in range(4))
    return Economics(
        by="channel",
        stages=("Заявка",),
        currency="RUB",
        labels=labels,
        spend=spend,
        reached=leads[:, None],
        won=won,
        won_amount=amount,
        lost_at=(leads - won)[:, None],
        matched=leads > 0,
        total_spend=float(spend.sum()),
        total_reached=np.array([leads.sum()]),
        total_won=int(won.sum()),
        total_won_amount=float(amount.sum()),
        total_lost_at=np.array([(leads - won).sum()]),
    )


def plan_of(rows: dict[str, tuple[float, float, float, float, float]]) -> Plan:
    """A revenue plan from label -> (win rate, leads, leads low, leads high, part)."""
    labels = tuple(rows)
    rate, leads, low, high, part = (
        np.array([r[i] for r in rows.values()], float) for i in range(5)
    )
    g = len(labels)
    hist = PlanHistory(
        by="channel",
        labels=labels,
        stages=("Заявка",),
        rates=rate[:, None],
        trials=np.full((g, 1), 100.0),
        deals=np.full(g, 100.0),
        won=rate * 100,
        win_low=rate,
        win_high=rate,
        avg_won=np.full(g, 1000.0),
        cycle=np.full(g, np.nan),
        cycle_own=np.zeros(g, bool),
        lead_share=np.full(g, 1 / g),
        revenue_share=np.full(g, 1 / g),
        basis="decided",
        mature_days=math.nan,
        now=None,
        currency="RUB",
        min_deals=MIN_DEALS,
    )
    return Plan(
        kind="revenue",
        target=float(part.sum()),
        start=None,  # type: ignore[arg-type]  # the budget reads no dates
        end=None,  # type: ignore[arg-type]
        history=hist,
        mix=part / max(part.sum(), 1.0),
        mix_basis="revenue",
        part=part,
        leads=leads,
        leads_low=low,
        leads_high=high,
        lead_from=(None,) * g,
        lead_to=(None,) * g,
        already=np.zeros(g, np.int64),
    )


# spend, leads, won, won amount. Costs per lead: Ads 10 000 / 100 = 100, Email 2 000 / 40 = 50,
# Calls 3 000 / 0 (not defined), Referrals no spend, Tiny 100 / 10 = 10 (too small to judge).
# Win rates: Ads 10 / 100 = 10 %, Email 8 / 40 = 20 %; average won deal: Ads 50 000, Email
# 20 000. Totals: spend 15 100, won revenue 500 000 + 160 000 + 300 000 + 5 000 = 965 000.
ECON = econ_of(
    {
        "Ads": (10_000, 100, 10, 500_000),
        "Email": (2_000, 40, 8, 160_000),
        "Calls": (3_000, 0, 0, 0),
        "Referrals": (0, 30, 6, 300_000),
        "Tiny": (100, 10, 1, 5_000),
    }
)
# win rate, leads (the plan's float), low, high, part of the target
PLAN = plan_of(
    {
        "Ads": (0.1, 20.3, 15, 30, 1),
        "Email": (0.2, 10, 8, 14, 1),
        "Referrals": (0.2, 5, 4, 7, 1),
        "Calls": (0.1, 3, 2, 4, 1),
        "Site": (0.1, 0, 0, 0, 0),
    }
)


def test_budget_by_hand():
    made = budget(PLAN, ECON)
    assert made.status == ("priced", "priced", "no_spend", "no_leads", "not_planned")
    # Ads: 21 whole leads x 100 = 2 100 (15 x 100 to 30 x 100); Email: 10 x 50 = 500 (400-700)
    assert made.budget[:2].tolist() == [2_100, 500]
    assert made.budget_low[:2].tolist() == [1_500, 400]
    assert made.budget_high[:2].tolist() == [3_000, 700]
    assert np.isnan(made.budget[2:]).all()  # never priced at 0
    assert made.leads.tolist() == [21, 10, 5, 3, 0]  # the unknown ones keep their leads
    assert (made.total, made.total_low, made.total_high) == (2_600, 1_900, 3_700)
    assert made.unknown == ("Referrals", "Calls")
    # wins of the priced: 21 x 10 % + 10 x 20 % = 4.1; CAC 2 600 / 4.1
    assert made.priced_wins == pytest.approx(4.1)
    assert made.cac == pytest.approx(2_600 / 4.1)
    assert made.cac_range == pytest.approx((1_900 / 4.1, 3_700 / 4.1))


def test_budget_table_lists_the_segments_the_plan_needs():
    table = budget(PLAN, ECON).table()
    # Site needs no lead (not planned): left out; the unknown ones stay with their leads.
    assert table["segment"].tolist() == ["Ads", "Email", "Referrals", "Calls"]
    assert table["leads"].tolist() == [21, 10, 5, 3]
    assert table["budget"][:2].tolist() == [2_100, 500]
    assert table["status"].tolist() == ["priced", "priced", "no_spend", "no_leads"]
    assert np.isnan(table["budget_low"][2:]).all()


def test_a_plan_by_another_segment_is_refused():
    other = plan_of({"Ads": (0.1, 1, 1, 1, 1)})
    other = Plan(**{**other.__dict__, "history": PlanHistory(**{**other.history.__dict__,
                                                                  "by": "city"})})  # fmt: skip
    with pytest.raises(ValueError):
        budget(other, ECON)


def test_budget_with_no_priced_segment_has_no_cac():
    made = budget(plan_of({"Referrals": (0.2, 5, 4, 7, 1)}), ECON)
    assert made.total == 0 and made.cac is None and made.unknown == ("Referrals",)


def test_shift_by_hand():
    moved = shift(ECON, "Ads", "Email", 1_000)
    assert moved.refused is None and moved.lost is not None and moved.gained is not None
    # Ads: 1 000 / 100 = 10 leads lost, 10 % -> 1 win, x 50 000 = 50 000 lost
    assert (moved.lost.leads, moved.lost.wins, moved.lost.revenue) == (10, 1, 50_000)
    # Email: 1 000 / 50 = 20 leads, 20 % -> 4 wins, x 20 000 = 80 000 gained
    assert (moved.gained.leads, moved.gained.wins, moved.gained.revenue) == (20, 4, 80_000)
    assert moved.leads_change == 10 and moved.wins_change == 3
    assert moved.revenue_change == 30_000
    # ROMI (965 000 - 15 100) / 15 100; the spend stays, so +30 000 / 15 100
    assert moved.romi_before == pytest.approx((965_000 - 15_100) / 15_100)
    assert moved.romi_change == pytest.approx(30_000 / 15_100)
    assert moved.romi_after == pytest.approx((995_000 - 15_100) / 15_100)
    # ranges from each channel's Wilson range, the ends taken apart
    (a_low, e_low), (a_high, e_high) = wilson(np.array([10, 8]), np.array([100, 40]))
    low, high = moved.revenue_change_range
    assert low == pytest.approx(20 * e_low * 20_000 - 10 * a_high * 50_000)
    assert high == pytest.approx(20 * e_high * 20_000 - 10 * a_low * 50_000)
    assert low < moved.revenue_change < high
    # 1 000 is half of Email's 2 000: not beyond; a rouble more is
    assert not moved.beyond_volume
    assert shift(ECON, "Ads", "Email", 1_001).beyond_volume


@pytest.mark.parametrize(
    ("source", "target", "amount", "code", "channel"),
    [
        ("Ads", "Ads", 100, "same_channel", "Ads"),
        ("Ads", "Nowhere", 100, "unknown_channel", "Nowhere"),
        ("Ads", "Email", -1, "bad_amount", None),
        ("Ads", "Email", math.nan, "bad_amount", None),
        ("Ads", "Referrals", 100, "no_cost", "Referrals"),  # no spend recorded
        ("Calls", "Ads", 100, "no_cost", "Calls"),  # spend with no leads
        ("Ads", "Tiny", 100, "too_small", "Tiny"),  # 10 leads < MIN_DEALS
        ("Email", "Ads", 2_500, "over_spend", "Email"),  # Email spent 2 000
    ],
)
def test_shift_refusals(source, target, amount, code, channel):
    moved = shift(ECON, source, target, amount)
    assert (moved.refused, moved.refused_channel) == (code, channel)
    assert moved.lost is None and moved.revenue_change == 0 and apply(ECON, moved) is ECON


def test_a_channel_with_no_wins_is_refused():
    econ = econ_of({"Ads": (1_000, 50, 5, 5_000), "Cold": (1_000, 50, 0, 0)})
    assert shift(econ, "Cold", "Ads", 10).refused == "no_wins"


def test_apply_moves_the_spend_at_constant_rates():
    after = apply(ECON, shift(ECON, "Ads", "Email", 1_000))
    assert after.spend[:2].tolist() == [9_000, 3_000]
    # Ads 90 leads, 9 wins, 450 000; Email 60 leads, 12 wins, 240 000; costs per lead kept
    assert after.leads[:2].tolist() == [90, 60] and after.won[:2].tolist() == [9, 12]
    assert after.won_amount[:2].tolist() == [450_000, 240_000]
    assert after.cost_per_lead[:2].tolist() == [100, 50]
    assert after.total_spend == ECON.total_spend
    assert after.total_won_amount == ECON.total_won_amount + 30_000


# ---- invariants -------------------------------------------------------------------------------


@st.composite
def economics(draw) -> Economics:
    """2-4 channels, each large enough to judge and with wins; one may have no spend."""
    n = draw(st.integers(2, 4))
    rows = {}
    for i in range(n):
        leads = draw(st.integers(2 * MIN_DEALS, 500))
        won = draw(st.integers(1, leads))
        spend = draw(st.sampled_from([0.0, 1.0]) if i == n - 1 else st.just(1.0))
        spend *= draw(st.floats(100, 1e7))
        rows[f"c{i}"] = (spend, leads, won, won * draw(st.floats(1, 1e6)))
    return econ_of(rows)


@settings(max_examples=60, deadline=None)
@given(economics(), st.data())
def test_total_budget_is_the_sum_of_the_priced_segments(econ, data):
    g = len(econ.labels)
    leads = data.draw(st.lists(st.floats(0, 1e4), min_size=g, max_size=g))
    rows = {lab: (0.1, n, n * 0.8, n * 1.5, 1.0 if n > 0 else 0.0)
            for lab, n in zip(econ.labels, leads, strict=True)}  # fmt: skip
    made = budget(plan_of(rows), econ)
    priced = [b for b, s in zip(made.budget, made.status, strict=True) if s == "priced"]
    assert made.total == pytest.approx(sum(priced))
    assert all(b >= 0 for b in priced)
    assert made.total_low <= made.total + 1e-6 <= made.total_high + 2e-6
    assert all(np.isnan(b) for b, s in zip(made.budget, made.status, strict=True) if s != "priced")


@settings(max_examples=60, deadline=None)
@given(economics(), st.data())
def test_shifting_nothing_changes_nothing(econ, data):
    a, b = data.draw(st.permutations(econ.labels))[:2]
    moved = shift(econ, a, b, 0.0)
    if moved.refused is not None:  # a channel with no spend
        assert moved.refused == "no_cost"
        return
    assert moved.leads_change == moved.wins_change == moved.revenue_change == 0
    assert moved.revenue_change_range == (0, 0) and moved.romi_change == 0
    after = apply(econ, moved)
    assert np.allclose(after.spend, econ.spend) and np.allclose(after.won_amount, econ.won_amount)


@settings(max_examples=60, deadline=None)
@given(economics(), st.data())
def test_there_and_back_returns_the_start(econ, data):
    a, b = data.draw(st.permutations(econ.labels))[:2]
    share = data.draw(st.floats(0.0, 0.5))
    amount = share * float(econ.spend[econ.labels.index(a)])
    there = shift(econ, a, b, amount)
    if there.refused is not None:
        assert there.refused == "no_cost"
        return
    moved = apply(econ, there)
    back = shift(moved, b, a, amount)
    assert back.refused is None
    # at constant rates the way back undoes the way there
    assert back.revenue_change == pytest.approx(-there.revenue_change, rel=1e-9, abs=1e-6)
    assert back.leads_change == pytest.approx(-there.leads_change, rel=1e-9, abs=1e-9)
    start = apply(moved, back)
    for field in ("spend", "leads", "won", "won_amount"):
        assert np.allclose(getattr(start, field), getattr(econ, field)), field
    assert start.total_won_amount == pytest.approx(econ.total_won_amount)
    assert there.beyond_volume == (amount > VOLUME_SHARE * econ.spend[econ.labels.index(b)])
