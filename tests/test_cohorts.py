"""Cohort trends on a small hand-counted frame, invariants on random ones, and the sample's
planted doors script change found by the shift finder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.errors import SpecError
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.overtime.cohorts import (
    Shift,
    cohort_trends,
    data_as_of,
    find_shifts,
    maturity,
    near_change,
)
from funnel.prepare import prepare
from funnel.spec import Change, Spec
from tests.strategies import ROWS, SPEC, random_rows, row_strategy, small_frame

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def deals():
    return prepare(small_frame(), SPEC)


def test_maturity_horizon_is_the_80th_percentile_of_days_to_close(deals):
    m = maturity(deals)
    # closed deals' days: 1 2 3 5 15 20 20 30 -> 80th percentile (linear) = 20
    assert m.closed_n == 8
    assert m.horizon_days == pytest.approx(20.0)
    assert m.as_of == pd.Timestamp("2025-03-20")
    assert m.cutoff == pd.Timestamp("2025-02-28")
    assert data_as_of(deals) == m.as_of


@pytest.mark.parametrize(
    ("cohort", "step", "trials", "passed", "open_at", "rate_decided"),
    [
        ("2025-01", 0, 4, 3, 0, 3 / 4),
        ("2025-01", 1, 3, 2, 0, 2 / 3),
        ("2025-01", 2, 2, 2, 0, 1.0),
        ("2025-01", 3, 4, 2, 0, 2 / 4),  # created -> won
        ("2025-02", 0, 4, 3, 0, 3 / 4),
        ("2025-02", 1, 3, 2, 1, 2 / 2),  # deal 7 is open at B
        ("2025-02", 2, 2, 1, 0, 1 / 2),
        ("2025-02", 3, 4, 1, 1, 1 / 3),
        ("2025-03", 0, 3, 0, 2, 0 / 1),
    ],
)
def test_cohort_table_hand_counted(deals, cohort, step, trials, passed, open_at, rate_decided):
    table = cohort_trends(deals, "month").table
    row = table[(table["cohort"] == cohort) & (table["step"] == step)].iloc[0]
    assert (row["trials"], row["passed"], row["open_at"]) == (trials, passed, open_at)
    assert row["rate_decided"] == pytest.approx(rate_decided)
    assert row["rate"] == pytest.approx(passed / trials)


def test_young_cohorts_are_immature(deals):
    cohorts = cohort_trends(deals, "month").cohorts.set_index("cohort")
    # Feb ends on Mar 1: 19 days before the data's last day, under the 20-day horizon.
    assert cohorts["age_days"].to_dict() == {"2025-01": 47.0, "2025-02": 19.0, "2025-03": -12.0}
    assert cohorts["immature"].to_dict() == {"2025-01": False, "2025-02": True, "2025-03": True}
    old = cohort_trends(deals, "month", as_of=pd.Timestamp("2025-06-01")).cohorts
    # Months later only the open-share rule holds Feb (1 of 4 open) and Mar (2 of 3) back;
    # a later cohort with few open deals makes the ones before it mature again.
    assert old.set_index("cohort")["immature"].to_dict() == {
        "2025-01": False,
        "2025-02": True,
        "2025-03": True,
    }
    done = [*ROWS[:8], (12, "2025-03-21", "L", "A", "2025-03-22", "x")]
    late = cohort_trends(
        prepare(small_frame(done), SPEC), "month", as_of=pd.Timestamp("2025-06-01")
    )
    # March has nothing open: Feb's one open deal is a forgotten one, not a young cohort.
    assert late.cohorts["immature"].tolist() == [False, False, False]


def test_open_share_rule_without_close_dates(deals):
    spec = Spec(
        columns={k: v for k, v in SPEC.columns.items() if k != "closed"},
        stages=SPEC.stages,
        won=SPEC.won,
        lost=SPEC.lost,
    )
    trends = cohort_trends(prepare(small_frame(), spec), "month")
    assert trends.maturity.horizon_days is None
    # Jan has none open; Feb (1 of 4) and Mar (2 of 3) are over 10 % and over twice Jan's 0 %.
    assert trends.cohorts["immature"].tolist() == [False, True, True]


def test_segments_and_no_created(deals):
    trends = cohort_trends(deals, "quarter", "channel")
    assert trends.segments() == ["x", "y"]  # 6 deals against 5
    assert set(trends.table["cohort"]) == {"2025Q1"}
    spec = Spec(columns={"stage": "Этап"}, stages=SPEC.stages, won=SPEC.won, lost=SPEC.lost)
    with pytest.raises(SpecError):
        cohort_trends(prepare(small_frame(), spec), "month")
    with pytest.raises(SpecError):
        cohort_trends(deals, "year")  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=40), st.sampled_from(["week", "month"]))
def test_a_cohort_split_sums_to_the_whole(rows, period):
    deals = prepare(small_frame(random_rows(rows)), SPEC)
    whole = funnel(deals)
    trends = cohort_trends(deals, period)
    n = len(deals.stages)
    steps = trends.table.groupby("step")[["trials", "passed", "open_at"]].sum()
    assert steps.loc[list(range(n)), "trials"].tolist() == whole.reached[0].tolist()
    assert steps.loc[list(range(n)), "passed"].tolist() == whole.passed[0].tolist()
    assert steps.loc[list(range(n)), "open_at"].tolist() == whole.open_at[0].tolist()
    assert steps.loc[n, "passed"] == whole.won[0]
    assert trends.cohorts["deals"].sum() == len(deals)
    # ... and the segments of each cohort sum to the cohort.
    by = cohort_trends(deals, period, "channel").table
    summed = by.groupby(["cohort", "step"])[["trials", "passed"]].sum()
    overall = trends.table.set_index(["cohort", "step"])[["trials", "passed"]]
    pd.testing.assert_frame_equal(summed.sort_index(), overall.sort_index(), check_dtype=False)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 40)), min_size=4, max_size=12))
def test_shift_p_values_are_probabilities(cells):
    rows, i = [], 0
    for month, (passed, extra) in enumerate(cells, start=1):
        for j in range(passed + extra):
            state = "W" if j < passed else "L"
            created = f"{2024 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-05"
            rows.append((i, created, state, "A", created, "x"))
            i += 1
    deals = prepare(small_frame(rows), SPEC)
    for s in find_shifts(cohort_trends(deals, "month"), min_side_trials=1):
        assert 0 <= s.p_adjusted <= 1 and 0 <= s.p_value <= 1
        assert s.before_trials + s.after_trials <= i


def test_a_planted_jump_is_found_at_its_month():
    rows, i = [], 0
    # Step A->B passes 30 % for six months, then 70 % for six.
    for month in range(1, 13):
        rate = 0.3 if month <= 6 else 0.7
        for j in range(50):
            passed = j < rate * 50
            created = f"2024-{month:02d}-10"
            rows.append((i, created, "W" if passed else "L", "A", created, "x"))
            i += 1
    deals = prepare(small_frame(rows), SPEC)
    shifts = find_shifts(cohort_trends(deals, "month", as_of=pd.Timestamp("2025-06-01")))
    first = shifts[0]
    assert first.significant and first.step == 0 and first.first_after == "2024-07"
    assert (first.before_passed, first.before_trials) == (90, 300)
    assert (first.after_passed, first.after_trials) == (210, 300)
    assert not [s for s in shifts if s.significant and s.step in (1, 2)]


@pytest.fixture(scope="module")
def doors():
    table = read_table(ROOT / "sample_data" / "amocrm_export.xlsx")
    text = (ROOT / "sample_data" / "amocrm_export.doors.spec.yaml").read_text(encoding="utf-8")
    return prepare(table.frame, Spec.from_yaml(text))


def test_sample_doors_shift_is_found_on_the_payment_step_only(doors):
    trends = cohort_trends(doors, "month")
    assert trends.cohorts["immature"].tolist()[-3:] == [True, True, True]
    assert not trends.cohorts["immature"].iloc[:-3].any()
    significant = [s for s in find_shifts(trends) if s.significant]
    assert [(s.from_stage, s.to_stage) for s in significant] == [
        ("Препятствия устранены", "Оплата получена")
    ]
    shift = significant[0]
    assert shift.after_rate - shift.before_rate > 0.15
    # Between the cohorts of 2026-01 and 2026-03: the script started on 2026-03-01, and
    # the noise of ~20 attempts a month puts the best split near it.
    assert shift.first_after in ("2026-01", "2026-02", "2026-03")


def test_immature_cohorts_are_not_tested(doors):
    trends = cohort_trends(doors, "month", basis="reached")
    young = set(trends.cohorts.loc[trends.cohorts["immature"], "cohort"])
    for s in find_shifts(trends):
        assert s.first_after not in young
    assert np.isfinite(trends.table["low"]).any()


# ---- per-step horizons ----


def _fast_losses_slow_wins(wins=(60, 70, 80, 90, 100)) -> pd.DataFrame:
    """10 deals lost at A after 2 days, 10 lost at B after 10 days, wins after ``wins`` days."""
    rows, i = [], 0
    for stage, days, n in (("A", 2, 10), ("B", 10, 10)):
        for _ in range(n):
            rows.append(
                (
                    i,
                    "2025-01-01",
                    "L",
                    stage,
                    str(pd.Timestamp("2025-01-01") + pd.Timedelta(days=days))[:10],
                    "x",
                )
            )
            i += 1
    for days in wins:
        rows.append(
            (
                i,
                "2025-01-01",
                "W",
                None,
                str(pd.Timestamp("2025-01-01") + pd.Timedelta(days=days))[:10],
                "x",
            )
        )
        i += 1
    return small_frame(rows)


def test_step_horizons_hand_checked():
    m = maturity(prepare(_fast_losses_slow_wins(), SPEC))
    # All 25 closes: 10 x 2, 10 x 10, 60..100 days -> 80th percentile 10 + 0.2 x 50 = 20.
    assert m.horizon_days == pytest.approx(20.0)
    # A -> B: lost at A in 2 days; passed A (no stage dates: bounded by their close) 10 x 10
    # and 60..100 -> 80th percentile 70 + 0.2 x 10 = 72.
    # B -> C: lost in 10; passed = the wins: 92. C -> won: no losses, wins 92.
    # created -> won: losses 10 (80 % of 2s and 10s), wins 92: the slow one.
    assert m.step_days == pytest.approx((72.0, 92.0, 92.0, 92.0))
    assert m.step_n == ((10, 15), (10, 5), (0, 5), (20, 5))
    assert m.step_cutoff(3) == (m.as_of - pd.Timedelta(days=92)).normalize()


def test_step_horizons_fall_back_when_an_outcome_is_rare():
    m = maturity(prepare(_fast_losses_slow_wins(wins=(60, 80, 100)), SPEC))
    # Three wins are too few to trust: C -> won has nothing else, so the overall horizon; the
    # created -> won row keeps its losses' 10 days, raised to the overall horizon.
    overall = m.horizon_days
    assert m.step_n[2] == (0, 3) and m.step_days[2] == pytest.approx(overall)
    assert m.step_days[3] == pytest.approx(overall)


def test_cohort_rows_use_their_steps_horizon(deals):
    trends = cohort_trends(prepare(_fast_losses_slow_wins(), SPEC), "month")
    table = trends.table.set_index("step")
    assert table["horizon_days"].tolist() == pytest.approx([72.0, 92.0, 92.0, 92.0])
    # One cohort, January, ended 69 days before the last close (Apr 11): under every horizon.
    assert table["immature"].all() and trends.cohorts["immature"].all()
    later = cohort_trends(
        prepare(_fast_losses_slow_wins(), SPEC), "month", as_of=pd.Timestamp("2025-05-05")
    ).table.set_index("step")
    # 94 days on: mature for A -> B (72) and for the rest (92).
    assert not later["immature"].any()
    at = cohort_trends(
        prepare(_fast_losses_slow_wins(), SPEC), "month", as_of=pd.Timestamp("2025-04-20")
    ).table.set_index("step")
    # 80 days on: A -> B is mature, the slow steps are not.
    assert at["immature"].tolist() == [False, True, True, True]


@settings(max_examples=40, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=40))
def test_no_step_horizon_is_shorter_than_the_overall_one(rows):
    d = prepare(small_frame(random_rows(rows)), SPEC)
    m = maturity(d)
    if m.horizon_days is None:
        assert m.step_days == ()
        return
    assert len(m.step_days) == len(d.stages) + 1
    assert all(h >= m.horizon_days for h in m.step_days)
    assert all(m.step_cutoff(k) <= m.cutoff for k in range(len(m.step_days)))


@pytest.fixture(scope="module")
def security():
    table = read_table(ROOT / "sample_data" / "amocrm_export.xlsx")
    text = (ROOT / "sample_data" / "amocrm_export.security.spec.yaml").read_text(encoding="utf-8")
    return prepare(table.frame, Spec.from_yaml(text))


def test_sample_security_wins_are_slow_so_recent_months_are_immature(security):
    trends = cohort_trends(security, "month")
    mat = trends.maturity
    # Quick losses set the overall horizon near 37 days; wins take far longer.
    assert mat.horizon_days < 45
    assert 150 < mat.step_days[-1] < 200
    won = trends.table[trends.table["step"] == len(security.stages)]
    young = won.loc[won["immature"], "cohort"].tolist()
    assert young == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert trends.cohorts["immature"].tolist() == won["immature"].tolist()
    assert not [s for s in find_shifts(trends) if s.significant and s.to_stage is None]


def _shift(start: str, first_after: str) -> Shift:
    return Shift(
        "all", 0, "A", "B", first_after, pd.Timestamp(start), 10, 40, 30, 40, 0.01, 0.02, True
    )


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        # The shift's first cohort after: March 2026. Four months before is too far.
        ([date(2025, 11, 30)], None),
        # Three months either way is near; the nearer in days wins (90 days against 91).
        ([date(2025, 11, 30), date(2026, 5, 31), date(2025, 12, 1)], date(2025, 12, 1)),
        # Nine days before it, a month off.
        ([date(2025, 12, 1), date(2026, 2, 20)], date(2026, 2, 20)),
        # As near one way as the other: the first given.
        ([date(2026, 3, 11), date(2026, 2, 19)], date(2026, 3, 11)),
        ([], None),
    ],
)
def test_the_marked_change_near_a_shift(dates, expected):
    changes = [Change(d, f"change {i}") for i, d in enumerate(dates)]
    found = near_change(_shift("2026-03-01", "2026-03"), changes, "month")
    assert (found.date if found else None) == expected


def test_near_is_counted_in_the_shifts_periods():
    shift = _shift("2026-01-01", "2026Q1")
    # 2025Q1 is four quarters back; 2025Q2 three.
    assert near_change(shift, [Change(date(2025, 3, 31), "old")], "quarter") is None
    assert near_change(shift, [Change(date(2025, 4, 1), "q2")], "quarter").label == "q2"
    assert near_change(shift, [Change(date(2025, 4, 1), "q2")], "quarter", within=2) is None
    assert near_change(shift, [Change(date(2025, 12, 1), "dec")], "month", within=0) is None


def test_the_shown_table_rounds_the_horizons_to_whole_days(deals):
    trends = cohort_trends(deals, "month")
    shown = trends.shown_table()
    assert str(shown["horizon_days"].dtype) == "Int64"
    # A -> B 22 days, the rest 20 (hand-counted in test_changes), the same in every cohort.
    assert shown.groupby("step")["horizon_days"].first().tolist() == [22, 20, 20, 20]
    assert shown.drop(columns="horizon_days").equals(trends.table.drop(columns="horizon_days"))
