"""Before/after a change and period comparisons: hand-counted cases, invariants on random
frames, and the sample's planted doors script change (2026-03-01) found on the step it
improved and on no other."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.detect.infer import infer_spec
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.overtime.changes import (
    Window,
    around_change,
    before_after,
    bounding_changes,
    change_windows,
    compared_label,
    date_outside,
    period_change,
    period_choices,
    period_windows,
    periods,
    shown_tables,
    step_dates,
)
from funnel.prepare import prepare
from funnel.spec import Change, Spec, Stage
from tests.strategies import SPEC, random_rows, row_strategy, slow_wins_then_a_change, small_frame

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "sample_data" / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def deals():
    return prepare(small_frame(), SPEC)


@pytest.mark.parametrize(
    ("step", "before", "after"),
    [
        (0, (3, 4), (3, 4)),  # A -> B
        (1, (2, 3), (2, 2)),  # B -> C: deal 7, open at B, left out after
        (2, (2, 2), (1, 2)),  # C -> won
        (3, (2, 4), (1, 3)),  # created -> won, decided: won / (won + lost)
    ],
)
def test_before_after_a_change_hand_counted(deals, step, before, after):
    # The change on Feb 1: before = January's deals; after = February's (March's are younger
    # than the 20-day horizon before the last day, Mar 20, so left out). Step A -> B waits
    # longer: its passes closed 5, 15, 20, 20, 30 days after creation (80 %: 22 days), and its
    # three losses are too few to count.
    result = around_change(deals, date(2025, 2, 1), min_trials=1)
    assert result.anchor == "created"
    assert result.cutoff == pd.Timestamp("2025-02-26")
    cutoffs = result.table["cutoff"].dt.strftime("%m-%d").tolist()
    assert cutoffs == ["02-26", "02-28", "02-28", "02-28"]
    row = result.table.set_index("step").loc[step]
    assert (row["before_passed"], row["before_trials"]) == before
    assert (row["after_passed"], row["after_trials"]) == after
    assert row["change"] == pytest.approx(after[0] / after[1] - before[0] / before[1])


def test_equal_rates_are_no_change_and_small_sides_are_not_tested(deals):
    table = around_change(deals, date(2025, 2, 1), min_trials=1).table.set_index("step")
    assert table.loc[0, "p_value"] == pytest.approx(1.0)
    assert not table["significant"].any()
    default = around_change(deals, date(2025, 2, 1)).table  # 30 attempts a side at least
    assert default["too_small"].all() and default["p_value"].isna().all()


def test_change_windows_are_bounded_by_other_changes_and_the_data(deals):
    before, after = change_windows(deals, date(2025, 2, 1))
    assert before == Window(pd.Timestamp("2025-01-05"), pd.Timestamp("2025-02-01"))
    assert after == Window(pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-21"))
    before, after = change_windows(
        deals, date(2025, 2, 1), others=[date(2025, 1, 10), date(2025, 3, 1)]
    )
    assert (before.start, after.end) == (pd.Timestamp("2025-01-10"), pd.Timestamp("2025-03-01"))
    # Equal: the after side counts up to the cutoff (Feb 28): 27 days, so 27 days before too.
    before, after = change_windows(deals, date(2025, 2, 1), equal=True)
    assert before.days == after.days == 27


@pytest.mark.parametrize(
    ("label", "period", "against", "before", "after"),
    [
        ("2026-03", "month", "previous", "2026-02-01", "2026-03-01"),
        ("2026-01", "month", "previous", "2025-12-01", "2026-01-01"),
        ("2026Q1", "quarter", "last_year", "2025-01-01", "2026-01-01"),
        ("2026-03", "month", "last_year", "2025-03-01", "2026-03-01"),
    ],
)
def test_period_windows(label, period, against, before, after):
    b, a = period_windows(label, period, against)
    assert (str(b.start.date()), str(a.start.date())) == (before, after)
    # each window is the whole period: the previous one ends where this one starts
    assert b.end == (a.start if against == "previous" else b.end)
    assert a.end == pd.Period(label).end_time.normalize() + pd.Timedelta(days=1)


def test_period_change_is_before_after_of_its_windows(deals):
    assert periods(deals, "month") == ["2025-01", "2025-02", "2025-03"]
    got = period_change(deals, "2025-02", "month", "previous", min_trials=1).table
    want = around_change(deals, date(2025, 2, 1), min_trials=1).table
    # The change's after side runs on into March, whose attempts are all too young to count:
    # only the count of young attempts so far differs.
    young = ["after_reached"]
    pd.testing.assert_frame_equal(got.drop(columns=young), want.drop(columns=young))
    assert (got["after_reached"] <= want["after_reached"]).all()


def test_step_dates_use_the_stage_entry_or_the_next_one():
    frame = pd.DataFrame(
        {
            "A": pd.to_datetime(["2025-01-05", "2025-01-07"]),
            "B": pd.to_datetime([None, "2025-01-09"]),
            "C": pd.to_datetime(["2025-01-20", None]),
            "Статус": ["W", "L"],
        }
    )
    spec = Spec(
        columns={"status": "Статус"},
        stages=(Stage("A", column="A"), Stage("B", column="B"), Stage("C", column="C")),
        won=("W",),
        lost=("L",),
    )
    d = prepare(frame, spec)
    dates = step_dates(d, "entered").astype("datetime64[D]").astype(str)
    # deal 1 skipped B: its B step is dated by C; the last column is the creation date
    assert dates[0].tolist() == ["2025-01-05", "2025-01-20", "2025-01-20", "2025-01-05"]
    assert dates[1].tolist() == ["2025-01-07", "2025-01-09", "2025-01-07", "2025-01-07"]


@settings(max_examples=40, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=40), st.integers(2, 8))
def test_before_and_after_split_the_whole(rows, month):
    d = prepare(small_frame(random_rows(rows)), SPEC)
    split = pd.Timestamp(f"2025-{month:02d}-01")
    everything = Window(pd.Timestamp("2024-01-01"), pd.Timestamp("2026-01-01"))
    result = before_after(
        d,
        Window(everything.start, split),
        Window(split, everything.end),
        mature_only=False,
        min_trials=1,
    ).table
    whole = funnel(d)
    n = len(d.stages)
    decided = whole.step_trials_decided[0]
    summed = (result["before_trials"] + result["after_trials"]).tolist()
    assert summed[:n] == decided.tolist()
    assert summed[n] == int(whole.won[0] + whole.lost[0])
    passed = (result["before_passed"] + result["after_passed"]).tolist()
    assert passed[:n] == whole.passed[0].tolist()
    assert ((result["p_adjusted"] >= result["p_value"]) | result["p_value"].isna()).all()


# ---- the sample's planted change ----


@pytest.fixture(scope="module")
def amo_doors():
    table = read_table(ROOT / "sample_data" / "amocrm_export.xlsx")
    text = (ROOT / "sample_data" / "amocrm_export.doors.spec.yaml").read_text(encoding="utf-8")
    return prepare(table.frame, Spec.from_yaml(text))


@pytest.fixture(scope="module")
def register():
    frame = read_table(ROOT / "sample_data" / "register_doors.xlsx").frame
    return prepare(frame, infer_spec(frame).spec)


SCRIPT = date.fromisoformat(TRUTH["leaks"]["Двери"]["script_change"]["date"])
IMPROVED = ("Препятствия устранены", "Оплата получена")
UNTOUCHED = {0, 1, 4, 5, 6}  # first touch, request -> invoice, and everything after payment


@pytest.mark.parametrize("source", ["amo_doors", "register"])
@pytest.mark.parametrize("equal", [False, True])
def test_sample_script_change_found_on_the_step_it_improved(source, equal, request):
    d = request.getfixturevalue(source)
    result = around_change(d, SCRIPT, equal=equal)
    assert result.anchor == ("entered" if source == "register" else "created")
    table = result.table.set_index("step")
    significant = table[table["significant"]]
    assert [(r.from_stage, r.to_stage) for r in significant.itertuples()] == [IMPROVED]
    row = significant.iloc[0]
    assert row["after_rate"] - row["before_rate"] > 0.1 and row["p_adjusted"] < 0.05
    # The invoice step the script also touched rose, but within noise at this size.
    assert table.loc[2, "after_rate"] > table.loc[2, "before_rate"]
    assert not table.loc[sorted(UNTOUCHED), "significant"].any()


def test_sample_invoice_to_payment_matches_the_truth(register):
    """Invoice -> payment (two steps) by invoice date, as the generator counts it: reached-based
    over every deal, no maturity cut."""
    want = TRUTH["leaks"]["Двери"]["script_change"]["by_invoice_date"]
    at = pd.Timestamp(SCRIPT)
    invoice = step_dates(register, "entered")[:, 2]
    reached = register.furthest >= 2
    paid = register.furthest >= 4
    for side, inside in (("before", invoice < at), ("after", invoice >= at)):
        assert int((reached & inside).sum()) == want[side]["from"]
        assert int((paid & reached & inside).sum()) == want[side]["to"]


def test_sample_per_channel_finds_the_cold_calls(register):
    table = around_change(register, SCRIPT, by="channel").table
    hits = table[table["significant"]]
    assert set(hits["segment"]) <= {"Холодные звонки"}
    calls = table[(table["segment"] == "Холодные звонки") & (table["step"] == 2)].iloc[0]
    assert calls["after_rate"] > calls["before_rate"]
    assert np.isfinite(table["before_rate"]).any()


# ---- a young after side with slow wins ----


def test_a_young_after_side_with_slow_wins_is_too_early_not_a_drop():
    d = prepare(slow_wins_then_a_change(), SPEC)
    result = around_change(d, date(2025, 1, 1))
    won = result.table.set_index("step").loc[len(d.stages)]
    # One horizon over all closes (80 % of them are 3-day losses) would have counted January's
    # quick losses against none of its wins: 10 % -> 0 %.
    assert result.maturity.cutoff > pd.Timestamp("2025-01-01")
    assert won["horizon_days"] == pytest.approx(90.0)
    assert won["cutoff"] < pd.Timestamp("2025-01-01")
    assert won["after_trials"] == 0 and won["before_trials"] >= 30
    assert won["too_small"] and won["too_early"] and not won["significant"]
    # Two deals a day Jan 1-10, then one: the 30th is created on Jan 20, mature 90 days later.
    assert won["judge_from"] == pd.Timestamp("2025-04-20")
    assert won["after_reached"] == 60
    assert not result.table["significant"].any()


# ---- the sample's security pipeline: a change planted to do nothing ----


@pytest.fixture(scope="module")
def security():
    table = read_table(ROOT / "sample_data" / "amocrm_export.xlsx")
    text = (ROOT / "sample_data" / "amocrm_export.security.spec.yaml").read_text(encoding="utf-8")
    return prepare(table.frame, Spec.from_yaml(text))


@pytest.mark.parametrize("equal", [False, True])
def test_sample_security_landing_changed_nothing(security, equal):
    (landing,) = security.spec.changes
    assert landing.date == date(2026, 1, 12)
    result = around_change(security, landing.date, equal=equal)
    assert not result.table["significant"].any()
    # the earliest cutoff is the created -> won row's (slow wins), about half a year back
    assert result.cutoff == result.table["cutoff"].min()
    assert result.cutoff < pd.Timestamp("2026-06-01")


def test_sample_security_recent_change_is_too_early_not_a_drop(security):
    result = around_change(security, date(2026, 5, 18))
    table = result.table.set_index("step")
    won = table.loc[len(security.stages)]
    assert won["too_small"] and won["too_early"] and not won["significant"]
    assert won["judge_from"] > pd.Timestamp("2026-11-20")  # after the data's last day
    assert not table["significant"].any()
    # every step cut short on the after side is reported as too early, never as a drop
    assert (table.loc[table["too_small"], "too_early"]).all()


def test_judge_from_only_where_too_early_and_never_in_the_past(security):
    for when in (date(2026, 1, 12), date(2026, 5, 18), date(2026, 9, 1)):
        table = around_change(security, when).table
        assert table.loc[~table["too_early"], "judge_from"].isna().all()
        dates = table.loc[table["too_early"], "judge_from"].dropna()
        assert (dates > pd.Timestamp("2026-11-19")).all()


# ---- the page's rules, in the engine ----


@pytest.mark.parametrize(
    ("when", "side"),
    [
        (date(2025, 1, 4), "before"),
        (date(2025, 1, 5), "before"),  # the first day: nothing would be before it
        (date(2025, 1, 6), None),
        (date(2025, 3, 20), None),  # the last creation day
        (date(2025, 3, 21), "after"),
    ],
)
def test_a_change_date_outside_the_creation_days(deals, when, side):
    assert date_outside(deals, when) == side


@pytest.mark.parametrize(
    ("label", "period", "against", "expected"),
    [
        ("2026-01", "month", "previous", "2025-12"),
        ("2026-03", "month", "last_year", "2025-03"),
        ("2026Q1", "quarter", "previous", "2025Q4"),
        ("2026Q1", "quarter", "last_year", "2025Q1"),
        ("2026-03-02/2026-03-08", "week", "last_year", "2025-03-03/2025-03-09"),
    ],
)
def test_the_compared_period_label(label, period, against, expected):
    assert compared_label(label, period, against) == expected
    assert (
        period_windows(label, period, against)[0] == period_windows(expected, period, "previous")[1]
    )


@pytest.mark.parametrize(
    ("as_of", "against", "offered", "default"),
    [
        # Data to 20.03: the overall cutoff (20 days) is 28.02, so March is not offered; the
        # slowest step's (A -> B, 22 days) is 26.02: February ends after it, January has no
        # month before it in the data. Nothing is settled.
        (None, "previous", ("2025-02", "2025-01"), None),
        # On 15.04 the cutoffs are 26.03 and 24.03: March is offered but ends after 24.03;
        # February ends before it and January is in the data: February first.
        ("2025-04-15", "previous", ("2025-03", "2025-02", "2025-01"), "2025-02"),
        ("2025-04-15", "last_year", ("2025-03", "2025-02", "2025-01"), None),
        ("2025-06-01", "previous", ("2025-03", "2025-02", "2025-01"), "2025-03"),
    ],
)
def test_the_periods_offered_and_the_one_shown_first(deals, as_of, against, offered, default):
    when = None if as_of is None else pd.Timestamp(as_of)
    choice = period_choices(deals, "month", against, as_of=when)
    assert choice.labels == offered
    assert choice.default == default


def test_no_creation_dates_offer_no_period():
    spec = dataclasses.replace(
        SPEC, columns={k: v for k, v in SPEC.columns.items() if k != "created"}
    )
    deals = prepare(small_frame().drop(columns=["Создана"]), spec)
    choice = period_choices(deals, "month", "previous")
    assert choice.labels == () and choice.default is None


def test_the_verdict_rows_of_a_change_hand_counted(deals):
    result = around_change(deals, date(2025, 2, 1), min_trials=1)
    assert not result.one_side_empty
    assert result.after_immature  # after = 01.02-21.03, past the earliest cutoff 26.02
    assert result.after.last_day == pd.Timestamp("2025-03-20")
    # Horizons: A -> B 22 days, B -> C and C -> won 20, created -> won 20.
    h = result.horizons()
    assert h is not None
    assert (h.step_min, h.step_max, h.won, h.longest) == (20, 22, 20, 22)
    assert result.moved().empty
    assert len(result.judged()) == 4
    # Attempts on both sides: 4 + 4, 3 + 2, 2 + 2, 4 + 3: A -> B is the most telling.
    top = result.most_tried()
    assert top is not None and top["step"] == 0
    strict = around_change(deals, date(2025, 2, 1))  # 30 a side: nothing judged, none too early
    assert strict.most_tried() is None
    assert strict.too_small()["step"].tolist() == [0, 1, 2, 3]
    assert strict.too_early().empty


def test_the_shown_table_in_points_whole_days_and_four_places(deals):
    result = around_change(deals, date(2025, 2, 1), min_trials=1)
    shown = result.shown_table().set_index("step")
    assert shown.loc[1, "change"] == pytest.approx((2 / 2 - 2 / 3) * 100)
    assert shown["horizon_days"].tolist() == [22, 20, 20, 20]
    assert str(shown["horizon_days"].dtype) == "Int64"
    assert shown.loc[0, "p_adjusted"] == 1.0
    assert result.table.loc[1, "change"] == pytest.approx(2 / 2 - 2 / 3)  # untouched


def test_empty_sides(deals):
    before = Window(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01"))  # no deal
    after = Window(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01"))
    assert before_after(deals, before, after, min_trials=1).one_side_empty
    assert before_after(deals, after, before, min_trials=1).one_side_empty
    assert not before_after(deals, after, after, min_trials=1).one_side_empty


def test_too_early_rows_name_their_day_or_none(deals):
    result = around_change(deals, date(2025, 2, 1), min_trials=1)
    table = result.table.copy()
    table.loc[[0, 1], "too_early"] = True
    table.loc[0, "judge_from"] = pd.Timestamp("2025-04-11")
    early = dataclasses.replace(result, table=table).too_early()
    assert early["step"].tolist() == [0, 1]
    assert early["judge_from"].tolist() == [pd.Timestamp("2025-04-11"), None]


def test_segments_by_the_smaller_sides_largest_step(deals):
    result = around_change(deals, date(2025, 2, 1), min_trials=1)
    # a: 10 before, 2 after at most -> 2; b: 5 and 5 -> 5; c: 1 and 9 -> 1.
    table = pd.DataFrame(
        {
            "segment": ["a", "a", "b", "b", "c"],
            "before_trials": [10, 8, 5, 3, 1],
            "after_trials": [2, 1, 5, 4, 9],
        }
    )
    ranked = dataclasses.replace(result, table=table)
    assert ranked.segments() == ["b", "a", "c"]
    assert ranked.segments(top=2) == ["b", "a"]


def test_the_changes_that_bound_the_windows(deals):
    first, last = Change(date(2025, 1, 10), "price"), Change(date(2025, 3, 1), "script")
    others = [first, last]
    result = around_change(deals, date(2025, 2, 1), others=[c.date for c in others])
    assert bounding_changes(result, others) == (first, last)
    whole = around_change(deals, date(2025, 2, 1))  # the data's first and last days bound it
    assert bounding_changes(whole, others) == (None, None)


def test_the_shown_tables_of_the_whole_and_by_segment_one_under_another(deals):
    whole = around_change(deals, date(2025, 2, 1), min_trials=1)
    by = around_change(deals, date(2025, 2, 1), min_trials=1, by="channel")
    shown = shown_tables([whole, by])
    assert shown["segment"].tolist() == ["all"] * 4 + ["x"] * 4 + ["y"] * 4
    assert shown.index.tolist() == list(range(12))
    assert shown["horizon_days"].tolist() == [22, 20, 20, 20] * 3
