"""The reverse funnel on hand-counted frames: leads reach the target at the stated rates; the
what-if (the weak-point finder's engine) never lowers a forecast."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.diagnostics import improve_step, raised, won_per_entrant
from funnel.metrics import funnel
from funnel.overtime.planner import (
    actual,
    default_mix,
    default_period,
    default_target,
    history,
    mix_from_inputs,
    next_quarter,
    plan,
    shown_table,
    whole_leads,
)
from funnel.overtime.whatif import StepChange, best_rate, changed, what_if
from funnel.prepare import prepare
from tests.strategies import MESSY_SPEC, dated_deals, messy_frame
from tests.strategies import PLANNER_SPEC as SPEC


def frame() -> pd.DataFrame:
    """X: 10 deals, 2 won at 1000, 8 lost at Новая. Y: 10 deals, 5 won at 200, 5 lost at КП.
    Z: 5 deals, all lost at Новая."""
    rows = [("X", "Успех", 1000.0, None)] * 2 + [("X", "Отказ", 50.0, "Новая")] * 8
    rows += [("Y", "Успех", 200.0, None)] * 5 + [("Y", "Отказ", 10.0, "КП")] * 5
    rows += [("Z", "Отказ", 10.0, "Новая")] * 5
    out = pd.DataFrame(rows, columns=["Канал", "Этап", "Сумма", "Этап отказа"])
    out.insert(0, "ID", range(1, len(out) + 1))
    return out


@pytest.fixture(scope="module")
def deals():
    spec = dataclasses.replace(SPEC, columns={**SPEC.columns, "lost_stage": "Этап отказа"})
    return prepare(frame(), spec)


@pytest.fixture(scope="module")
def hist(deals):
    return history(deals)


def test_history_rates_hand_counted(hist):
    # No dates: decided rates. X: 2 of 10 pass Новая, both win -> 0.2; Y: 10 pass Новая, 5 of
    # 10 win at КП -> 0.5; Z: none pass.
    assert hist.basis == "decided"
    assert hist.labels == ("X", "Y", "Z")
    np.testing.assert_allclose(hist.rates, [[0.2, 1.0], [1.0, 0.5], [0.0, 0.0]])
    np.testing.assert_allclose(hist.win_rate, [0.2, 0.5, 0.0])
    np.testing.assert_allclose(hist.avg_won, [1000.0, 200.0, np.nan])
    assert hist.status("revenue") == ("few", "few", "no_wins")
    np.testing.assert_allclose(hist.lead_share, [0.4, 0.4, 0.2])
    np.testing.assert_allclose(hist.revenue_share, [2 / 3, 1 / 3, 0.0])
    assert np.isnan(hist.cycle).all()  # no dates: no timing


def test_default_mix_leaves_out_a_channel_with_no_wins(hist):
    assert default_mix(hist, "leads") == pytest.approx({"X": 0.5, "Y": 0.5, "Z": 0.0})
    assert default_mix(hist, "revenue") == pytest.approx({"X": 2 / 3, "Y": 1 / 3, "Z": 0.0})


# (kind, target, mix, mix_basis, leads needed per channel, by hand)
CASES = [
    # 200 and 100 per lead; half the leads each: 150 per lead -> 20 leads, 10 + 10.
    ("revenue", 3000, None, "leads", [10, 10, 0]),
    # current revenue shares 2/3, 1/3: 2000 / 200 = 10, 1000 / 100 = 10
    ("revenue", 3000, None, "revenue", [10, 10, 0]),
    # half of the target each: 1500 / 200 = 7.5 -> 8, 1500 / 100 = 15
    ("revenue", 3000, {"X": 1, "Y": 1}, "revenue", [8, 15, 0]),
    # all from Y: 3000 / 100
    ("revenue", 3000, {"Y": 1}, "leads", [0, 30, 0]),
    # won deals: 0.35 won per lead -> 8.57 leads, 4.29 each -> 5 + 5
    ("won", 3, None, "leads", [5, 5, 0]),
    # a quarter X, three quarters Y: 0.05 + 0.375 per lead -> 23.5 leads: 5.88, 17.6
    ("won", 10, {"X": 1, "Y": 3}, "leads", [6, 18, 0]),
]


@pytest.mark.parametrize(("kind", "target", "mix", "basis", "expected"), CASES)
def test_plan_hand_counted_and_reaches_the_target(deals, hist, kind, target, mix, basis, expected):
    result = plan(deals, hist, target, kind=kind, mix=mix, mix_basis=basis)
    assert result.leads_rounded.tolist() == expected
    # The target is reached from the computed lead counts at the stated conversions: exactly
    # before rounding up, and by less than one lead per channel's worth after it.
    per_lead = np.array([0.2 * 1000, 0.5 * 200, 0]) if kind == "revenue" else [0.2, 0.5, 0]
    exact = np.where(np.isfinite(result.leads), result.leads, 0) @ per_lead
    assert exact == pytest.approx(target)
    reached = result.forecast().sum()
    assert target <= reached + 1e-9 < target + sum(per_lead)


def test_plan_range_from_the_wilson_interval(deals, hist):
    result = plan(deals, hist, 3000)
    # X's win rate 2/10 has a Wilson interval (0.057, 0.510): 10 leads at 0.2 -> 4..36
    assert result.leads_low[0] == pytest.approx(10 * 0.2 / hist.win_high[0])
    assert result.leads_high[0] == pytest.approx(10 * 0.2 / hist.win_low[0])
    assert result.leads_low[0] < result.leads[0] < result.leads_high[0]
    table = result.table()
    assert table.loc[2, "leads"] == 0 and table.loc[2, "status"] == "no_wins"


def test_a_channel_with_no_wins_given_a_share_of_the_target_cannot_be_met(deals, hist):
    result = plan(deals, hist, 3000, mix={"X": 1, "Z": 1}, mix_basis="revenue")
    assert result.leads[0] == pytest.approx(1500 / 200)
    assert np.isinf(result.leads[2]) and np.isinf(result.leads_rounded[2])
    assert result.forecast().sum() == pytest.approx(8 * 200)


def test_next_quarter_and_the_default_period():
    assert next_quarter(pd.Timestamp("2026-03-31 23:00")) == (
        pd.Timestamp("2026-04-01"),
        pd.Timestamp("2026-06-30"),
    )


def test_mature_rates_are_not_dragged_down_by_young_open_deals():
    deals = dated_deals()
    hist = history(deals)
    assert hist.basis == "mature"
    # 12 of the 60 old deals won (A: i = 0, 10, .., 50 -> 6 of 30; B: i = 5, 15, .. -> 6 of 30)
    np.testing.assert_allclose(hist.win_rate, [0.2, 0.2])
    all_rate = funnel(deals).win_rate[0]
    assert all_rate == pytest.approx(12 / 120)
    # cycles 10..21 (two per value of i // 5): median per channel, creation to win
    np.testing.assert_allclose(hist.cycle, [15.0, 16.0])
    assert hist.cycle_own.all()
    result = plan(deals, hist, 10_000, mask=None)
    # 200 per lead -> 50 leads, 25 each (current lead shares: 60/120 each in the last year)
    assert result.leads_rounded.tolist() == [25, 25]
    q_start, q_end = next_quarter(hist.now)
    assert (result.start, result.end) == (q_start, q_end)
    assert result.lead_from[0] == q_start - pd.Timedelta(days=15)
    assert result.lead_to[1] == q_end - pd.Timedelta(days=16)
    assert result.window == ("future", "future")


def test_decided_basis_when_too_few_mature_deals():
    deals = dated_deals()
    hist = history(deals, min_deals=40)  # 60 mature deals < 2 * 40
    assert hist.basis == "decided" and np.isnan(hist.mature_days)


def test_default_target_is_the_last_full_quarter(deals):
    dated = dated_deals()
    # The data ends 01.06.2024 (Q2): the last full quarter is Q1, all 12 wins closed in it.
    assert default_target(dated, "won") == 12
    assert default_target(dated, "revenue") == 12_000
    # No dates: all the wins (2000 + 1000 = 3000) as one quarter
    assert default_target(deals, "revenue") == 3000


# ---- the what-if ----


def test_what_if_points_hand_counted(deals, hist):
    base = plan(deals, hist, 3000)
    result = what_if(deals, base, StepChange(step=0, points=0.1))
    # X: 0.2 -> 0.3 at Новая: 300 per lead; Y is at 1.0 already. Lead mix 0.5/0.5:
    # 0.5 * 300 + 0.5 * 100 = 200 per lead -> 15 leads: 7.5 + 7.5 -> 8 + 8.
    # Z's first step rises too, but nothing passes its next one: it still wins nothing.
    np.testing.assert_allclose(result.new_rate, [0.3, 1.0, 0.1])
    assert result.after.history.win_rate[2] == 0
    assert result.after.leads_rounded.tolist() == [8, 8, 0]
    # From the same 10 X leads: 1 more passes Новая and wins: +1000
    assert result.uplift[0].extra_passed == pytest.approx(1.0)
    assert result.uplift[0].extra_won == pytest.approx(1.0)
    assert result.uplift[0].extra_won_amount == pytest.approx(1000.0)
    assert result.extra == pytest.approx(1000.0)


def test_what_if_to_the_best_segment(deals, hist):
    name, rate = best_rate(dataclasses.replace(hist, min_deals=10), 1)
    assert (name, rate) == ("Y", 0.5)  # X has 2 deals at КП, too few; Y 10
    judged = dataclasses.replace(hist, min_deals=10)
    better = changed(judged, StepChange(step=1, to_best=True))
    # X (1.0) is above the best judged rate and keeps it; Z rises to it (and still wins nothing)
    np.testing.assert_allclose(better.rates[:, 1], [1.0, 0.5, 0.5])
    np.testing.assert_allclose(better.win_rate, hist.win_rate)
    only = changed(hist, StepChange(step=0, points=0.5, only="X"))
    np.testing.assert_allclose(only.rates[:, 0], [0.7, 1.0, 0.0])


def test_improve_step_is_the_same_engine():
    at = np.zeros((1, 3, 4), dtype=np.int64)
    at[0, 0, 2] = 40  # 40 lost at a
    at[0, 1, 2] = 30  # 30 lost at b
    at[0, 2, 1] = 30  # 30 won
    amount = np.zeros((1, 1, 3, 4))
    amount[0, 0, 2, 1] = 3000.0
    from funnel.metrics import FunnelCounts

    counts = FunnelCounts(("a", "b", "c"), ("a", "b", "c"), (), ((),), at, amount, ("",))
    # a: 60/100 pass; b: 30/60; c: 30/30. Raise a to 0.7: 10 more pass, half win -> 5, 500.
    u = improve_step(counts, 0, 0, 0.7)
    assert (u.extra_passed, u.extra_won, u.extra_won_amount) == pytest.approx((10, 5, 500))
    # of the deals past a, half go on to win
    assert won_per_entrant(counts.step_conversion_decided[0], 1) == pytest.approx(0.5)


RATES = st.lists(st.floats(0, 1), min_size=2, max_size=6)


@settings(max_examples=200, deadline=None)
@given(rates=RATES, step=st.integers(0, 5), points=st.floats(0, 0.5), to=st.floats(0, 1))
def test_raising_a_step_never_lowers_the_win_rate(rates, step, points, to):
    r = np.array(rates)
    step = step % len(r)
    new = raised(r, step, points=points, to_rate=to)
    assert (new >= r).all() and (new <= 1).all()
    assert won_per_entrant(new) >= won_per_entrant(r) - 1e-12


@settings(max_examples=60, deadline=None)
@given(
    rates=st.lists(st.lists(st.floats(0.01, 1), min_size=2, max_size=2), min_size=3, max_size=3),
    amounts=st.lists(st.floats(1, 1e6), min_size=3, max_size=3),
    step=st.integers(0, 1),
    points=st.floats(0, 0.5),
    to_best=st.booleans(),
    kind=st.sampled_from(["revenue", "won"]),
    basis=st.sampled_from(["leads", "revenue"]),
)
def test_an_improvement_never_lowers_the_forecast_nor_raises_the_leads(
    deals, hist, rates, amounts, step, points, to_best, kind, basis
):
    h = dataclasses.replace(
        hist,
        rates=np.array(rates),
        won=np.array([5.0, 5.0, 5.0]),
        deals=np.array([50.0, 50.0, 50.0]),
        trials=np.full((3, 2), 50.0),
        avg_won=np.array(amounts),
    )
    mix = {"X": 1.0, "Y": 2.0, "Z": 1.0}
    base = plan(deals, h, 1e6 if kind == "revenue" else 50, kind=kind, mix=mix, mix_basis=basis)
    result = what_if(deals, base, StepChange(step=step, points=points, to_best=to_best))
    assert (result.after.leads <= base.leads * (1 + 1e-9)).all()
    assert result.after.leads_rounded.sum() <= base.leads_rounded.sum()
    assert result.extra >= -1e-6
    assert all(u.extra_won >= -1e-9 for u in result.uplift)
    # Both plans reach the target at their own rates.
    target = base.target
    for p in (base, result.after):
        exact = (p.leads * p.history.value_per_lead(kind)).sum()
        assert exact == pytest.approx(target, rel=1e-9)


# ---- the walkthrough's hand-check file (messy12.csv): 12 deals, 3 channels, blank amounts ----
@pytest.fixture(scope="module")
def messy():
    return prepare(messy_frame(), MESSY_SPEC)


def test_average_deal_leaves_out_wins_with_a_blank_amount(messy):
    hist = history(messy)
    at = {label: g for g, label in enumerate(hist.labels)}
    # Сайт won 1 (100 000), 2 (200 000) and 4 (no amount): 300 000 / 2, not / 3.
    assert hist.avg_won[at["Сайт"]] == pytest.approx(150_000)
    assert hist.avg_won[at["Звонок"]] == pytest.approx(50_000)
    assert np.isnan(hist.avg_won[at["Выставка"]])
    assert hist.avg_won_n[at["Сайт"]] == 2 and hist.won_main_n[at["Сайт"]] == 3
    assert hist.avg_won_n[at["Звонок"]] == 1 and hist.won_main_n[at["Звонок"]] == 1
    table = plan(messy, hist, 350_000).table().set_index("segment")
    assert table.loc["Сайт", "avg_won"] == 150_000 and table.loc["Сайт", "avg_won_n"] == 2


def test_average_deal_is_the_main_currencys_own():
    # X: two RUB wins of 100 and one USD win of 5: the RUB average is 100 (not 205 / 3, nor
    # 200 / 3 over every win).
    rows = [("X", "Успех", 100.0, "RUB")] * 2 + [("X", "Успех", 5.0, "USD")]
    rows += [("X", "Отказ", 10.0, "RUB")] * 3
    out = pd.DataFrame(rows, columns=["Канал", "Этап", "Сумма", "Валюта"])
    out.insert(0, "ID", range(1, len(out) + 1))
    spec = dataclasses.replace(SPEC, columns={**SPEC.columns, "currency": "Валюта"})
    hist = history(prepare(out, spec))
    assert hist.currency == "RUB"
    assert hist.avg_won.tolist() == [100.0]
    assert hist.avg_won_n.tolist() == [2] and hist.won_main_n.tolist() == [2]


def test_a_share_on_a_channel_with_no_wins_leaves_the_target_uncovered(deals, hist):
    # Revenue mix: half of 3000 on Z (no wins) is dropped; X's 1500 / 200 = 7.5 -> 8 leads
    # bring 1600, so 1400 is not covered.
    result = plan(deals, hist, 3000, mix={"X": 1, "Z": 1}, mix_basis="revenue")
    assert result.uncovered == pytest.approx(1400)
    assert result.unplannable_share == pytest.approx(0.5)
    # Leads mix: Z's half of the leads would bring nothing; X carries the whole 3000 (15 leads).
    result = plan(deals, hist, 3000, mix={"X": 1, "Z": 1}, mix_basis="leads")
    assert result.leads_rounded.tolist() == [15, 0, 0]
    assert result.uncovered == 0 and result.unplannable_share == pytest.approx(0.5)
    assert plan(deals, hist, 3000).uncovered == 0


def test_lead_counts_have_no_negative_zero(messy):
    hist = history(messy)
    result = plan(messy, hist, 350_000, mix={"Сайт": 25, "Звонок": 25, "Выставка": 50})
    table = result.table()
    for col in ("leads", "leads_low", "leads_high"):
        assert not np.signbit(table[col]).any(), col  # was -0.0 for Выставка
    assert table.set_index("segment").loc["Выставка", "leads"] == 0


def test_unedited_rounded_inputs_give_the_unrounded_default_mix(deals, hist):
    start = default_mix(hist, "revenue")  # X 2/3, Y 1/3
    shown = {k: round(v * 100, 1) for k, v in start.items()}  # 66.7, 33.3, 0.0
    cli = plan(deals, hist, 3001, mix_basis="revenue")
    page = plan(deals, hist, 3001, mix=mix_from_inputs(shown, start), mix_basis="revenue")
    np.testing.assert_array_equal(page.part, cli.part)
    rounded = plan(deals, hist, 3001, mix=shown, mix_basis="revenue")
    assert not np.array_equal(rounded.part, cli.part)  # what the page used to feed back
    edited = mix_from_inputs({**shown, "X": 50.0}, start)
    assert edited == {"X": 50.0, "Y": 33.3, "Z": 0.0}


def test_a_period_in_the_past_and_what_it_actually_won(messy):
    hist = history(messy)
    march = (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31"))
    result = plan(messy, hist, 400_000, start=march[0], end=march[1])
    assert result.passed  # the data ends 20.04.2025
    # Won and closed in March: 1 (100 000), 2 (200 000), 4 (no amount), 5 (50 000).
    assert actual(messy, "revenue", *march) == (350_000.0, 4)
    assert actual(messy, "won", *march) == (4.0, 4)
    assert not plan(messy, hist, 400_000).passed  # the default: the next quarter
    assert actual(messy, "won", pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30")) == (
        0.0,
        0,
    )


# ---- one rounding of leads, and the totals the page and the CLI show ----


@pytest.mark.parametrize(
    ("leads", "whole"),
    [
        (2.1, 3.0),
        (3.0, 3.0),
        (3.0000000001, 3.0),  # a float error above a whole number is no extra lead
        (3.00001, 4.0),
        (0.0, 0.0),
        (-0.0, 0.0),
        (np.inf, np.inf),
        (np.nan, np.inf),
    ],
)
def test_whole_leads(leads, whole):
    got = whole_leads(np.array([leads]))[0]
    assert got == whole and not np.signbit(got)


def test_plan_totals_hand_counted(deals, hist):
    result = plan(deals, hist, 3000)
    # X carries 2000 at 200 a lead, Y 1000 at 100: 10 + 10 leads; Z carries nothing.
    assert result.planned.tolist() == [True, True, False]
    # Wilson 95 % of 2/10: (0.0567, 0.5098); of 5/10: (0.2366, 0.7634).
    # Low: 2000 / 509.8 = 3.9 -> 4, 1000 / 152.7 = 6.5 -> 7. High: 2000 / 56.7 = 35.3 -> 36,
    # 1000 / 47.3 = 21.1 -> 22. No dates: nothing already created, all to bring.
    totals = result.totals()
    assert (totals.leads, totals.low, totals.high, totals.to_bring) == (20, 11, 58, 20)
    assert result.forecast_total == pytest.approx(3000)
    # The table rounds the same way, segment by segment.
    table = result.table()
    assert table.loc[[0, 1], "leads_low"].sum() == totals.low
    assert table.loc[[0, 1], "leads_high"].sum() == totals.high


def test_plan_totals_round_once_and_say_an_open_range(deals, hist):
    result = plan(deals, hist, 3000)
    near_whole = dataclasses.replace(result, leads_low=np.array([3.0000000001, 7.0, 0.0]))
    assert near_whole.totals().low == 10  # not 11: the page once rounded this up
    assert near_whole.table()["leads_low"].tolist() == [3, 7, 0]
    unbounded = dataclasses.replace(result, leads_high=np.array([np.inf, 22.0, 0.0]))
    assert unbounded.totals().high == np.inf
    assert unbounded.table()["leads_high"].tolist() == [1e15, 22, 0]  # an export holds a number
    # Over the segments asked for: only Y.
    assert result.totals(np.array([False, True, False])).leads == 10


def test_a_segment_that_cannot_be_met_is_left_out_of_the_totals(deals, hist):
    result = plan(deals, hist, 3000, mix={"X": 1, "Z": 1}, mix_basis="revenue")
    assert result.planned.tolist() == [True, False, False]
    assert result.totals().leads == 8  # 1500 / 200 = 7.5 -> 8; Z's share cannot be met


def test_what_if_totals_over_the_segments_planned_before(deals, hist):
    base = plan(deals, hist, 3000)
    result = what_if(deals, base, StepChange(step=0, points=0.1))
    assert result.after_leads == 16  # 8 + 8 (hand-counted above)


def test_the_history_facts_the_page_states(deals, hist):
    assert hist.plannable("revenue") == (True, True, False)
    assert hist.plannable("won") == (True, True, False)
    assert hist.basis_deals == 25  # decided: X 10, Y 10, Z 5
    assert hist.mature_since is None  # no dates: the decided basis
    dated = history(dated_deals())
    assert dated.basis == "mature"
    assert dated.mature_since == dated.now - pd.Timedelta(days=dated.mature_days)
    assert default_period(dated) == next_quarter(dated.now)


def test_a_plan_for_dates_as_a_date_picker_gives_them(deals, hist):
    by_date = plan(deals, hist, 3000, start=date(2026, 4, 1), end=date(2026, 6, 30))
    assert (by_date.start, by_date.end) == (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-06-30"))
    messy = prepare(messy_frame(), MESSY_SPEC)
    march = (date(2025, 3, 1), date(2025, 3, 31))
    assert actual(messy, "won", *march) == actual(messy, "won", *map(pd.Timestamp, march))


def test_the_shown_table_in_percent_and_whole_counts(deals, hist):
    shown = shown_table(plan(deals, hist, 3000).table())
    assert shown["win_rate"].tolist() == [20.0, 50.0, 0.0]
    assert shown["mix"].tolist() == [50.0, 50.0, 0.0]
    assert shown["leads"].tolist() == [10, 10, 0]
    assert str(shown["leads"].dtype) == "Int64"
    assert shown["avg_won"].tolist()[:2] == [1000, 200] and shown["avg_won"].isna().tolist()[2]
    assert shown["part"].tolist() == [2000, 1000, 0]


def test_wins_that_overflow_give_an_infinite_starting_target_not_an_error():
    from funnel.overtime.planner import default_target
    from funnel.prepare import prepare
    from funnel.spec import Spec, Stage

    frame = pd.DataFrame(
        {
            "ID": [1, 2, 3],
            "Stage": ["Lead", "Lead", "Lead"],
            "Status": ["Won", "Won", "Lost"],
            "Amount": [1e308, 1e308, 5.0],
            "Created": pd.to_datetime(["2025-01-10", "2025-01-11", "2025-01-12"]),
        }
    )
    spec = Spec(
        columns={
            "deal": "ID",
            "stage": "Stage",
            "status": "Status",
            "amount": "Amount",
            "created": "Created",
        },
        stages=(Stage("Lead"),),
        won=("Won",),
        lost=("Lost",),
    )
    assert default_target(prepare(frame, spec), "revenue") == math.inf
