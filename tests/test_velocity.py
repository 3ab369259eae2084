"""Velocity and stuck deals on small hand-dated frames: stage dates, and a created/closed
snapshot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from funnel.overtime.maturity import data_as_of
from funnel.overtime.velocity import (
    STUCK_COLUMNS,
    cycle_days,
    durations,
    shown_stuck,
    stage_days,
    stuck_deals,
    velocity,
)
from funnel.prepare import prepare
from funnel.spec import Spec
from tests.strategies import MESSY_SPEC, REGISTER, REGISTER_SPEC, D, messy_frame


@pytest.fixture(scope="module")
def register():
    return prepare(REGISTER, REGISTER_SPEC)


def test_now_is_the_latest_date_in_the_data(register):
    assert data_as_of(register) == pd.Timestamp("2025-02-10")
    assert velocity(register).now == pd.Timestamp("2025-02-10")


def test_stage_days_hand_counted(register):
    days = stage_days(register)
    assert days is not None
    # A: five won 2..10, d6 20, o2 2, o3 1; the open o1, o4 have not moved on.
    a = days[:, 0]
    assert sorted(a[~np.isnan(a)].tolist()) == [1, 2, 2, 4, 6, 8, 10, 20]
    # B: won deals 1 day each, o3 20 days (16.01 -> 05.02); d6 lost at B did not move on.
    b = days[:, 1]
    assert sorted(b[~np.isnan(b)].tolist()) == [1, 1, 1, 1, 1, 20]
    # C, the last stage: to the close of a won deal, 3 days each.
    c = days[:, 2]
    assert c[~np.isnan(c)].tolist() == [3, 3, 3, 3, 3]


def test_cycle_days_creation_to_win(register):
    cycle = cycle_days(register)
    assert cycle is not None
    assert cycle[~np.isnan(cycle)].tolist() == [6, 8, 10, 12, 14]


@pytest.mark.parametrize(
    ("segment", "stage", "median", "q1", "q3", "n"),
    [
        ("", "A", 5.0, 2.0, 8.5, 8),  # [1,2,2,4,6,8,10,20]
        ("", "B", 1.0, 1.0, 1.0, 6),
        ("", "C", 3.0, 3.0, 3.0, 5),
        ("", None, 10.0, 8.0, 12.0, 5),  # creation to win: 6,8,10,12,14
        ("Email", None, 8.0, 7.0, 9.0, 3),  # d1..d3: 6,8,10
        ("Звонки", None, 13.0, 12.5, 13.5, 2),  # d4, d5: 12, 14
        ("Звонки", "A", 8.0, 2.0, 10.0, 5),  # d4 8, d5 10, d6 20, o2 2, o3 1
    ],
)
def test_velocity_per_segment(register, segment, stage, median, q1, q3, n):
    table = velocity(register, "channel").table()
    row = table[(table["segment"] == segment) & (table["stage"].fillna("-") == (stage or "-"))]
    assert len(row) == 1
    got = row.iloc[0]
    assert (got["median"], got["q1"], got["q3"], got["n"]) == pytest.approx((median, q1, q3, n))


def test_stuck_deals_by_stage_hand_counted(register):
    stuck = stuck_deals(register)
    assert stuck is not None and stuck.basis == "stage"
    # 80th percentiles: A over 8 values -> 8 + 0.6 * (10 - 8) = 9.2; B 1; C 3.
    np.testing.assert_allclose(stuck.norms, [9.2, 1.0, 3.0])
    assert stuck.norm_n.tolist() == [8, 6, 5]
    assert stuck.open_checked == 4
    frame = stuck.deals
    assert list(frame.columns) == list(STUCK_COLUMNS)
    # o2 (300) 29 days at B, o3 (200) 5 days at C, o1 (100) 21 days at A; o4 5 < 9.2 is fine.
    assert frame["deal"].tolist() == ["o2", "o3", "o1"]
    assert frame["stage"].tolist() == ["B", "C", "A"]
    assert frame["days"].tolist() == [29, 5, 21]
    np.testing.assert_allclose(frame["over_days"], [28, 2, 11.8])
    np.testing.assert_allclose(frame["over_ratio"], [29, 5 / 3, 21 / 9.2])
    assert frame["owner"].tolist() == ["Игорь", "Игорь", "Игорь"]
    assert frame["channel"].tolist() == ["Звонки", "Звонки", "Email"]


def test_stuck_respects_the_mask_and_the_minimum(register):
    only_email = register.segments["channel"].codes == register.segments["channel"].labels.index(
        "Email"
    )
    stuck = stuck_deals(register, mask=only_email)
    assert stuck is not None
    # Email's A times: 2, 4, 6 -> fewer than 5 moved on: no norm, nothing judged.
    assert stuck.deals.empty and stuck.open_checked == 0
    stuck = stuck_deals(register, mask=only_email, min_moved=3)
    assert stuck is not None
    assert stuck.deals["deal"].tolist() == ["o1"]  # 21 days > 80th pct of 2,4,6 = 5.2


def test_durations_moved_keeps_the_funnel_page_figures(register):
    times = durations(register)
    assert times is not None
    assert times.step_median.tolist() == [5.0, 1.0]
    assert times.step_n.tolist() == [8, 6]
    assert times.to_win_median == 10.0 and times.to_win_n == 5


# ---- a snapshot: created and closed only ----
SNAPSHOT = pd.DataFrame(
    {
        "ID": list(range(1, 10)),
        "Этап": ["Успех"] * 5 + ["Отказ", "Новая", "КП", "КП"],
        "Создана": D(
            [
                *["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01"],
                *["2025-01-10", "2025-01-10", "2025-02-09", "2025-01-20"],
            ]
        ),
        "Закрыта": D(
            [
                *["2025-01-11", "2025-01-21", "2025-01-31", "2025-02-10", "2025-02-20"],
                *["2025-01-12", None, None, None],
            ]
        ),
        "Сумма": [1.0, 2, 3, 4, 5, 6, 70, 80, 90],
        "Канал": ["a"] * 9,
    }
)
SNAPSHOT_SPEC = Spec.from_yaml(
    """
columns: {deal: ID, stage: Этап, created: Создана, closed: Закрыта, amount: Сумма, channel: Канал}
stages: [Новая, КП]
won: [Успех]
lost: [Отказ]
"""
)


def test_snapshot_has_no_stage_times_but_has_the_cycle():
    deals = prepare(SNAPSHOT, SNAPSHOT_SPEC)
    vel = velocity(deals)
    assert not vel.has_stage_dates and vel.has_cycle
    assert vel.table()["stage"].isna().all()  # only the creation-to-win row
    assert vel.to_win[0].tolist() == [20.0, 30.0, 40.0, 5]


def test_snapshot_stuck_by_age_against_the_win_cycle():
    deals = prepare(SNAPSHOT, SNAPSHOT_SPEC)
    stuck = stuck_deals(deals)
    assert stuck is not None and stuck.basis == "age"
    # Cycles 10, 20, 30, 40, 50 -> 80th percentile 42. Now = 20.02: ages 41, 11, 31.
    assert stuck.now == pd.Timestamp("2025-02-20")
    np.testing.assert_allclose(stuck.norms, [42.0])
    assert stuck.open_checked == 3
    assert stuck.deals.empty
    later = SNAPSHOT.copy()
    later.loc[0, "Закрыта"] = pd.Timestamp("2025-02-25")  # now 25.02: deal 7 is 46 days old
    stuck = stuck_deals(prepare(later, SNAPSHOT_SPEC))
    assert stuck is not None
    # cycles 55, 20, 30, 40, 50 -> 80th percentile 51: only deal 7 (46) ... is not over either
    np.testing.assert_allclose(stuck.norms, [51.0])
    assert stuck.deals.empty
    later.loc[6, "Создана"] = pd.Timestamp("2024-12-01")  # 86 days old
    stuck = stuck_deals(prepare(later, SNAPSHOT_SPEC))
    assert stuck is not None
    assert stuck.deals["deal"].tolist() == [7]
    np.testing.assert_allclose(stuck.deals["over_days"], [86 - 51])


def test_no_dates_at_all_gives_nothing_to_judge():
    frame = SNAPSHOT.drop(columns=["Создана", "Закрыта"])
    spec = Spec.from_yaml(
        """
columns: {deal: ID, stage: Этап, amount: Сумма, channel: Канал}
stages: [Новая, КП]
won: [Успех]
lost: [Отказ]
"""
    )
    deals = prepare(frame, spec)
    assert stuck_deals(deals) is None
    assert durations(deals) is None
    vel = velocity(deals, "channel")
    assert not vel.has_stage_dates and not vel.has_cycle and vel.now is None


# ---- deals that cannot be judged by their stage ----
def test_open_deals_at_stages_without_a_norm_are_counted_not_hidden():
    stuck = stuck_deals(prepare(messy_frame(), MESSY_SPEC))
    assert stuck is not None and stuck.basis == "stage"
    # Open: 7 and 8 at КП отправлено (4 deals moved on: no norm), 9 and 10 at Квалификация
    # (8 moved on: norm 7.2 days). Only 4 wins have a creation-to-win time (< 5): no age norm.
    assert stuck.norm_n.tolist() == [8, 4, 4]
    assert (stuck.open_total, stuck.open_checked, stuck.not_judged) == (4, 2, 2)
    assert stuck.by_age == 0 and np.isnan(stuck.age_norm)
    assert stuck.deals["deal"].tolist() == ["10"]  # 19 days at Квалификация > 7.2
    assert stuck.unjudged is not None
    assert sorted(stuck.unjudged["deal"].tolist()) == ["7", "8"]
    assert stuck.unjudged["norm_days"].isna().all()
    assert stuck.at_risk == 300_000 and stuck.other_currency == 0


def test_a_stage_without_a_norm_falls_back_to_the_age_rule():
    # The register with creation dates (= entry into A) and a seventh win d7 that skipped C.
    frame = REGISTER.copy()
    extra = {
        "№": "d7",
        "Клиент": "Client 7",
        "Канал": "Email",
        "Менеджер": "Анна",
        "Сумма": 5.0,
        "A": pd.Timestamp("2025-01-01"),
        "B": pd.Timestamp("2025-01-05"),
        "C": pd.NaT,
        "Закрыта": pd.Timestamp("2025-01-09"),
        "Статус": "Успех",
    }
    frame = pd.concat([frame, pd.DataFrame([extra])], ignore_index=True)
    frame["Создана"] = frame["A"]
    spec = Spec.from_yaml(
        REGISTER_SPEC.to_yaml().replace("closed: Закрыта", "closed: Закрыта\n  created: Создана")
    )
    deals = prepare(frame, spec)
    stuck = stuck_deals(deals, min_moved=6)
    assert stuck is not None and stuck.basis == "stage"
    # C: 5 deals moved on (< 6): no norm. Six wins: 6, 8, 10, 12, 14, 8 days -> 80th pct 12.
    assert np.isnan(stuck.norms[2]) and stuck.age_norm == pytest.approx(12.0)
    assert (stuck.open_total, stuck.open_checked, stuck.by_age) == (4, 4, 1)
    row = stuck.deals.set_index("deal").loc["o3"]
    # o3 at C, created 15.01, now 10.02: 26 days old against 12.
    assert (row["rule"], row["days"], row["norm_days"]) == ("age", 26.0, 12.0)
    assert set(stuck.deals.loc[stuck.deals["deal"] != "o3", "rule"]) == {"stage"}


def test_money_at_risk_is_the_main_currencys_only():
    frame = REGISTER.copy()
    frame["Валюта"] = ["RUB"] * 9 + ["USD"]  # o4 (1000) in USD; most deals are in RUB
    frame.loc[9, "A"] = pd.Timestamp("2025-01-05")  # o4 now 36 days at A: stuck too
    spec = Spec.from_yaml(
        REGISTER_SPEC.to_yaml().replace("closed: Закрыта", "closed: Закрыта\n  currency: Валюта")
    )
    stuck = stuck_deals(prepare(frame, spec))
    assert stuck is not None
    assert sorted(stuck.deals["deal"]) == ["o1", "o2", "o3", "o4"]
    # o2 300 + o3 200 + o1 100 in RUB; o4's 1000 USD is left out and counted apart.
    assert stuck.at_risk == 600 and stuck.currency == "RUB" and stuck.other_currency == 1


def test_segments_most_measured_first(register):
    # Timed in stage A (moved on to a later stage): Email d1 d2 d3 = 3; Звонки d4 d5 d6 o2 o3 = 5.
    vel = velocity(register, "channel")
    assert vel.stage[1:, 0, 3].tolist() == [3, 5]  # in label order: Email, Звонки
    assert vel.segments() == ["Звонки", "Email"]
    assert vel.segments(top=1) == ["Звонки"]
    assert velocity(register).segments() == []  # the whole is no segment


def test_segments_without_stage_dates_by_the_wins_timed():
    frame = SNAPSHOT.assign(Канал=["a", "b", "b", "c", "c", "c", "c", "c", "c"])
    vel = velocity(prepare(frame, SNAPSHOT_SPEC), "channel")
    # Wins with both dates: a 1, b 2, c 2 (deals 4, 5); c's others are lost or open. A tie
    # keeps the label order; a segment with no win timed is left out.
    assert vel.segments() == ["b", "c", "a"]
    only_open = SNAPSHOT.assign(Канал=["a"] * 5 + ["z"] * 4)
    assert velocity(prepare(only_open, SNAPSHOT_SPEC), "channel").segments() == ["a"]


def test_norms_and_stuck_rows_as_shown(register):
    stuck = stuck_deals(register)
    assert stuck is not None
    norms = stuck.norms_table(register.stages)
    assert norms.to_dict("list") == {
        "stage": ["A", "B", "C"],
        "norm_days": [9.2, 1.0, 3.0],
        "norm_n": [8, 6, 5],
    }
    shown = shown_stuck(stuck.deals)
    # o2: 29 days against 1; o3: 5 against 3; o1: 21 against 9.2.
    assert shown["days"].tolist() == [29, 5, 21]
    assert shown["norm_days"].tolist() == [1, 3, 9]
    assert shown["over_days"].tolist() == [28, 2, 12]
    assert shown["over_ratio"].tolist() == [29.0, 1.7, 2.3]
    assert stuck.deals["over_ratio"].tolist()[1] == pytest.approx(5 / 3)  # the source untouched


def test_the_shown_table_gives_days_to_one_decimal(register):
    vel = velocity(register, "channel")
    shown, table = vel.shown_table(), vel.table()
    # A: 8 values 1 2 2 4 6 8 10 20 -> the first quartile 2, median 5, third 8.5.
    assert shown.loc[0, ["q1", "median", "q3", "n"]].tolist() == [2.0, 5.0, 8.5, 8]
    assert (shown[["q1", "median", "q3"]] == table[["q1", "median", "q3"]].round(1)).all().all()
    assert shown["n"].tolist() == table["n"].tolist()
