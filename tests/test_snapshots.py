"""Snapshots of one source: the same-source check, observed moves and the history they give.

Every expected number is counted by hand from the snapshots written out below.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.deals import LOST, LOST_UNKNOWN, OPEN, WON
from funnel.errors import SpecError
from funnel.metrics import funnel
from funnel.prepare import prepare
from funnel.snapshots import (
    deal_keys,
    history_from_snapshots,
    observed_moves,
    same_source,
)
from funnel.spec import Spec

SPEC = Spec.from_yaml(
    """
columns: {deal: ID, stage: Этап, amount: Сумма}
stages: [Новая, КП отправлено, Счёт выставлен]
won: [Успех]
lost: [Отказ]
"""
)
DEC1, DEC8, DEC15 = date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)


def export(ids: list, stages: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"ID": ids, "Этап": stages, "Сумма": [100.0] * len(ids)})


# 1042: КП -> Счёт -> lost (the example). 1043: Новая -> Счёт (skips КП) -> won.
# 1044: vanishes after 1 Dec. 1045: Счёт -> back to Новая -> КП. 1046: new on 8 Dec, lost by
# 15 Dec. 1047: lost in every export (its stage at loss is never seen). The ids are written
# three ways: 1042, " 1042", 1042.0 are one deal.
WEEK1 = export(
    [1042, 1043, 1044, 1045, 1047],
    ["КП отправлено", "Новая", "Новая", "Счёт выставлен", "Отказ"],
)
WEEK2 = export(
    [" 1042", "1043", "1045", "1046", "1047"],
    ["Счёт выставлен", "Счёт выставлен", "Новая", "Новая", "Отказ"],
)
WEEK3 = export(
    [1042.0, 1043.0, 1045.0, 1046.0, 1047.0],
    ["Отказ", "Успех", "КП отправлено", "Отказ", "Отказ"],
)
THREE_WEEKS = [(DEC1, WEEK1), (DEC8, WEEK2), (DEC15, WEEK3)]


@pytest.mark.parametrize(
    "values, expected",
    [
        ([" 1042", 1042.0, "1042", 1042], ["1042"] * 4),
        (["A-7", "a-7 ", "A\u00a0-7"], ["a-7", "a-7", "a -7"]),
        ([None, float("nan"), "  "], [None, None, None]),
        ([1.5, "1.5"], ["1.5", "1.5"]),
    ],
)
def test_deal_keys(values, expected):
    assert deal_keys(pd.Series(values, dtype=object)).tolist() == expected


@pytest.mark.parametrize(
    "series, expected",
    [
        (pd.Series([1042, -7]), ["1042", "-7"]),
        (pd.Series([1042.0, None]), ["1042", None]),
        (pd.Series([1042, None], dtype="Int64"), ["1042", None]),
        (pd.Series([1.5, 2.0]), ["1.5", "2"]),
        (pd.Series([True, False]), ["true", "false"]),
    ],
)
def test_typed_id_columns_give_the_keys_their_text_gives(series, expected):
    # A typed column takes the array-speed way; its keys are those of the same ids as text.
    assert deal_keys(series).tolist() == expected
    assert deal_keys(series.astype(object)).tolist() == expected


def test_ids_are_written_as_a_sheet_shows_them():
    result = history_from_snapshots(THREE_WEEKS, SPEC)
    assert result.deal_list["ID"].tolist() == ["1042", "1043", "1045", "1046", "1047"]
    assert WEEK3["ID"].tolist()[0] == 1042.0  # the export given is left as it was


# ---- same source ---------------------------------------------------------------------------


def test_a_later_export_is_the_same_source_with_its_numbers():
    verdict = same_source(WEEK1, WEEK2, SPEC)
    # ids 1042, 1043, 1045, 1047 are in both; 1046 is new; 1044 vanished; 4 of 5 shared
    assert verdict.same and verdict.reason == "snapshot"
    assert (verdict.shared, verdict.new, verdict.vanished) == (4, 1, 1)
    assert verdict.share == pytest.approx(4 / 5)
    assert verdict.missing_columns == verdict.added_columns == verdict.removed_columns == ()


def test_columns_that_come_and_go_are_named():
    later = WEEK2.rename(columns={"Сумма": "Бюджет"}).assign(Менеджер="Анна")
    verdict = same_source(WEEK1, later, SPEC)
    assert not verdict.same and verdict.reason == "columns_missing"
    assert verdict.missing_columns == ("Сумма",)
    assert verdict.added_columns == ("Бюджет", "Менеджер")
    # A header that only lost its trailing space is the same column.
    resaved = WEEK2.rename(columns={"Этап": "Этап "}).assign(Менеджер="Анна")
    verdict = same_source(WEEK1, resaved, SPEC)
    assert verdict.same and verdict.added_columns == ("Менеджер",)


@pytest.mark.parametrize(
    "old, new, spec, reason, shared",
    [
        (WEEK1, export([1, 2, 3, 1042], ["Новая"] * 4), SPEC, "few_shared", 1),
        (WEEK1, export([1, 2], ["Новая"] * 2), SPEC, "few_shared", 0),
        (WEEK1, WEEK2.drop(columns="ID"), SPEC, "no_deal_column", 0),
        (
            WEEK1,
            WEEK2,
            Spec.from_yaml("{columns: {stage: Этап}, stages: [Новая]}"),
            "no_deal_role",
            0,
        ),
    ],
)
def test_not_the_same_source(old, new, spec, reason, shared):
    verdict = same_source(old, new, spec)
    assert not verdict.same
    assert verdict.reason == reason and verdict.shared == shared


# ---- observed moves ------------------------------------------------------------------------


def test_moves_of_three_weekly_exports():
    moves = observed_moves(THREE_WEEKS, SPEC)
    nat = pd.NaT
    expected = [
        ("1042", "КП отправлено", DEC1, nat, None, "seen"),
        ("1043", "Новая", DEC1, nat, None, "seen"),
        ("1044", "Новая", DEC1, nat, None, "seen"),
        ("1045", "Счёт выставлен", DEC1, nat, None, "seen"),
        ("1047", "Отказ", DEC1, nat, None, "seen"),
        ("1042", "Счёт выставлен", DEC8, DEC1, "КП отправлено", "moved"),
        ("1043", "Счёт выставлен", DEC8, DEC1, "Новая", "moved"),
        ("1045", "Новая", DEC8, DEC1, "Счёт выставлен", "back"),
        ("1046", "Новая", DEC8, nat, None, "seen"),
        ("1042", "Отказ", DEC15, DEC8, "Счёт выставлен", "lost"),
        ("1043", "Успех", DEC15, DEC8, "Счёт выставлен", "won"),
        ("1045", "КП отправлено", DEC15, DEC8, "Новая", "again"),
        ("1046", "Отказ", DEC15, DEC8, "Новая", "lost"),
    ]
    got = [
        (
            r.deal,
            r.stage,
            r.at.date(),
            pd.NaT if pd.isna(r.after) else r.after.date(),
            None if pd.isna(r.from_stage) else r.from_stage,
            r.kind,
        )
        for r in moves.itertuples()
    ]
    assert got == expected


def test_order_given_does_not_matter():
    in_order = observed_moves(THREE_WEEKS, SPEC)
    shuffled = observed_moves([THREE_WEEKS[2], THREE_WEEKS[0], THREE_WEEKS[1]], SPEC)
    pd.testing.assert_frame_equal(in_order, shuffled)


def test_two_exports_of_one_day_are_taken_in_the_order_given():
    morning = export([1], ["Новая"])
    evening = export([1], ["КП отправлено"])
    moves = observed_moves([(DEC8, morning), (DEC8, evening)], SPEC)
    assert moves[["stage", "kind"]].values.tolist() == [
        ["Новая", "seen"],
        ["КП отправлено", "moved"],
    ]
    assert moves["at"].tolist() == [pd.Timestamp(DEC8)] * 2
    assert moves["after"].iloc[1] == pd.Timestamp(DEC8)  # moved that very day
    result = history_from_snapshots([(DEC8, morning), (DEC8, evening)], SPEC)
    assert result.coverage.same_dates == (DEC8,)
    assert result.coverage.watched == 1 and result.coverage.snapshots == 2


def test_a_lost_deal_with_its_stage_column_and_a_won_deal_reopened():
    spec = SPEC.with_changes(columns={**SPEC.columns, "lost_stage": "Этап отказа"})
    week1 = export([1, 2], ["Новая", "Успех"]).assign(**{"Этап отказа": [None, None]})
    week2 = export([1, 2], ["Отказ", "КП отправлено"]).assign(
        **{"Этап отказа": ["Счёт выставлен", None]}
    )
    moves = observed_moves([(DEC1, week1), (DEC8, week2)], spec)
    assert moves[["deal", "stage", "kind"]].values.tolist() == [
        ["1", "Новая", "seen"],
        ["2", "Успех", "seen"],
        ["1", "Счёт выставлен", "moved"],  # the export's stage at loss, reached by 8 Dec
        ["1", "Отказ", "lost"],
        ["2", "КП отправлено", "reopened"],
    ]
    result = history_from_snapshots([(DEC1, week1), (DEC8, week2)], spec)
    deals = prepare(result.deal_list, result.spec, events=result.events)
    # 1 lost at Счёт; 2 was won (every stage reached) and is open again: the furthest is kept.
    assert deals.furthest.tolist() == [2, 2]
    assert deals.outcome.tolist() == [LOST, OPEN]
    assert result.coverage.reopened == 1


def test_no_snapshot_gives_no_moves_and_no_history():
    assert observed_moves([], SPEC).empty
    with pytest.raises(SpecError) as err:
        history_from_snapshots([], SPEC)
    assert err.value.code == "snapshots_none"


# ---- the history through the engine -------------------------------------------------------


def test_history_table_in_the_engine_s_shape():
    result = history_from_snapshots(THREE_WEEKS, SPEC)
    assert result.spec.events is not None and result.spec.events.join == "deal"
    table = result.events
    assert list(table.columns) == ["deal", "stage", "at"]
    got = [
        (str(d), s, None if pd.isna(a) else a.date()) for d, s, a in table.itertuples(index=False)
    ]
    # The deal list is the 15 Dec export, its ids written as text (1042, not 1042.0) here and
    # there. Stages held when first seen are undated; the vanished 1044 and the move back get
    # no row.
    assert got == [
        ("1042", "КП отправлено", None),
        ("1042", "Счёт выставлен", DEC8),
        ("1042", "Отказ", DEC15),
        ("1043", "Новая", None),
        ("1043", "Счёт выставлен", DEC8),
        ("1043", "Успех", DEC15),
        ("1045", "Счёт выставлен", None),
        ("1046", "Новая", None),
        ("1046", "Отказ", DEC15),
        ("1047", "Отказ", None),
    ]


def test_lost_deals_get_their_stage_at_loss_and_the_reached_counts():
    result = history_from_snapshots(THREE_WEEKS, SPEC)
    alone = funnel(prepare(WEEK3, SPEC))
    watched = prepare(result.deal_list, result.spec, events=result.events)
    total = funnel(watched)
    # 15 Dec alone: 1042, 1046, 1047 lost at an unknown stage (counted at Новая), 1045 at КП,
    # 1043 won: reached 5, 2, 1.
    assert alone.reached[0].tolist() == [5, 2, 1]
    assert alone.lost_stage_unknown[0] == 3
    # With the history: 1042 lost at Счёт, 1046 lost at Новая, 1047 still unknown; 1043 won;
    # 1045 keeps Счёт, the furthest it reached (it went back to Новая, then to КП).
    assert total.reached[0].tolist() == [5, 3, 3]
    assert total.lost_at[0].tolist() == [2, 0, 1]
    assert total.lost_stage_unknown[0] == 1
    assert total.open_at[0].tolist() == [0, 0, 1]
    assert total.won[0] == 1
    assert [n.code for n in watched.notices] == ["lost_stage_unknown"]
    assert result.coverage.__dict__ == {
        "snapshots": 3,
        "deals": 5,
        "watched": 5,
        "new": 0,
        "vanished": 1,  # 1044: deleted or filtered in the CRM, not lost
        "skipped": 1,  # 1043: Новая -> Счёт; КП counts as reached
        "moved_back": 1,
        "reopened": 0,
        "lost": 3,
        "lost_stage_known_before": 0,
        "lost_stage_known": 2,
        "moved_back_ids": ("1045",),
        "same_dates": (),
        "duplicate_ids": 0,
        "own_history": 0,
    }


def test_a_deal_only_in_the_later_export():
    week2 = export([1, 2], ["КП отправлено", "Отказ"])
    result = history_from_snapshots([(DEC1, export([1], ["Новая"])), (DEC8, week2)], SPEC)
    assert result.coverage.new == 1 and result.coverage.watched == 1
    rows = result.events[result.events["deal"] == "2"]
    # Lost when first seen: its stage at loss is still unknown, and the row is undated.
    assert rows["stage"].tolist() == ["Отказ"] and rows["at"].isna().all()
    deals = prepare(result.deal_list, result.spec, events=result.events)
    assert sorted(deals.outcome.tolist()) == [OPEN, LOST_UNKNOWN]


def test_an_exported_history_wins_for_its_deals():
    spec = SPEC.with_changes(
        events=Spec.from_yaml(
            """
columns: {deal: ID, stage: Этап}
stages: [Новая]
events: {columns: {deal: Сделка, stage: Куда, at: Когда}}
"""
        ).events
    )
    exported = pd.DataFrame(
        {
            "Сделка": ["1042", "1042"],
            "Куда": ["Новая", "Отказ"],
            "Когда": pd.to_datetime(["2026-11-20", "2026-12-10"]),
        }
    )
    result = history_from_snapshots(THREE_WEEKS, spec, events=exported)
    assert result.spec.events == spec.events
    table = result.events
    assert list(table.columns) == ["Сделка", "Куда", "Когда"]
    mine = table.iloc[2:]
    assert table.iloc[:2]["Куда"].tolist() == ["Новая", "Отказ"]
    assert sorted(set(mine["Сделка"])) == ["1043", "1045", "1046", "1047"]
    deals = prepare(result.deal_list, result.spec, events=table)
    total = funnel(deals)
    # 1042 is lost at Новая by its exported history, not at Счёт as the exports suggest.
    assert total.lost_at[0].tolist() == [3, 0, 0]
    assert total.reached[0].tolist() == [5, 2, 2]
    # before: the exported history already placed 1042; after: 1046 too (1047 never).
    assert result.coverage.lost_stage_known_before == 1
    assert result.coverage.lost_stage_known == 2
    assert result.coverage.own_history == 1


def test_the_filter_applies_to_every_export():
    spec = SPEC.with_changes(
        columns={**SPEC.columns, "pipeline": "Воронка"}, filter={"pipeline": ("Основная",)}
    )
    week1 = export([1, 2], ["Новая", "Новая"]).assign(Воронка=["Основная", "Основная"])
    week2 = export([1, 2], ["КП отправлено", "Отказ"]).assign(Воронка=["Основная", "Другая"])
    result = history_from_snapshots([(DEC1, week1), (DEC8, week2)], spec)
    # Deal 2 left the pipeline: it is not in the latest deal list, so it vanished (not lost).
    assert result.coverage.deals == 1 and result.coverage.vanished == 1
    assert set(result.events["deal"]) == {"1"}


def test_a_deal_listed_twice_in_one_export_is_where_it_got_to():
    week1 = export([1], ["Новая"])
    week2 = export([1, "1 "], ["КП отправлено", "Счёт выставлен"])
    result = history_from_snapshots([(DEC1, week1), (DEC8, week2)], SPEC)
    assert result.coverage.duplicate_ids == 1
    assert result.events["stage"].tolist() == ["Новая", "Счёт выставлен"]


@pytest.mark.parametrize(
    "yaml, code",
    [
        ("{columns: {stage: Этап}, stages: [Новая]}", "snapshots_no_deal"),
        ("{columns: {deal: ID, stage: Этап, at: Дата}, stages: [Новая]}", "snapshots_layout"),
        ("{columns: {deal: ID}, stages: [{name: Новая, column: D}]}", "snapshots_layout"),
        (
            "{columns: {deal: ID, title: T}, stages: [Новая],"
            " events: {columns: {title: T, stage: S, at: A}, join: title}}",
            "snapshots_events",
        ),
        # A register whose outcome is a date: the history would have no value to write a win.
        ("{columns: {deal: ID, stage: Этап, won_at: Оплачено}, stages: [A]}", "snapshots_outcomes"),
    ],
)
def test_specs_snapshots_cannot_serve(yaml, code):
    with pytest.raises(SpecError) as err:
        observed_moves(THREE_WEEKS, Spec.from_yaml(yaml))
    assert err.value.code == code


# ---- property: the history never contradicts a snapshot --------------------------------------

PROPERTY_SPEC = Spec.from_yaml(
    """
columns: {deal: ID, stage: Этап, lost_stage: Этап отказа}
stages: [A, B, C]
won: [W]
lost: [L]
"""
)
REACH = {"A": 0, "B": 1, "C": 2, "W": 2}
OUTCOME = {"W": WON, "L": LOST}
# A deal's state in one export: absent, at a stage, won, lost (with or without its stage).
state = st.sampled_from([None, "A", "B", "C", "W", "L", "L:A", "L:B", "L:C"])
spelling = st.sampled_from([int, float, lambda i: f" {i}"])


@st.composite
def exports(draw):
    n_deals = draw(st.integers(1, 6))
    n_exports = draw(st.integers(1, 4))
    days = draw(st.lists(st.integers(1, 5), min_size=n_exports, max_size=n_exports))
    states = draw(
        st.lists(
            st.lists(state, min_size=n_deals, max_size=n_deals),
            min_size=n_exports,
            max_size=n_exports,
        )
    )
    snapshots = []
    for day, row in zip(days, states, strict=True):
        write = draw(spelling)
        kept = [(i, s) for i, s in enumerate(row, 1) if s is not None]
        frame = pd.DataFrame(
            {
                "ID": pd.Series([write(i) for i, _ in kept], dtype=object),
                "Этап": [s.split(":")[0] for _, s in kept],
                "Этап отказа": [s.split(":")[1] if ":" in s else None for _, s in kept],
            }
        )
        snapshots.append((date(2026, 12, day), frame))
    return snapshots, states, days


def reach_of(s: str) -> int | None:
    return int(REACH[s]) if s in REACH else (REACH[s[2:]] if ":" in s else None)


@settings(max_examples=150, deadline=None)
@given(exports())
def test_history_never_contradicts_a_snapshot(drawn):
    snapshots, states, days = drawn
    # In date order; two exports of one day in the order given.
    order = sorted(range(len(days)), key=lambda i: days[i])
    seen = [states[i] for i in order]
    last = seen[-1]
    result = history_from_snapshots(snapshots, PROPERTY_SPEC)
    deals = prepare(result.deal_list, result.spec, events=result.events)
    keys = deal_keys(result.deal_list["ID"])
    got = {
        int(keys[r]): (int(f), int(o))
        for r, f, o in zip(deals.rows, deals.furthest, deals.outcome, strict=True)
    }
    assert set(got) == {i for i, s in enumerate(last, 1) if s is not None}
    history_stage = {"A": 0, "B": 1, "C": 2, "W": 2}
    table_keys = deal_keys(result.events["deal"])
    for deal, (furthest, outcome) in got.items():
        sightings = [row[deal - 1] for row in seen if row[deal - 1] is not None]
        known = [r for r in map(reach_of, sightings) if r is not None]
        final = sightings[-1]
        if not known:
            assert outcome == LOST_UNKNOWN
            continue
        # At least the stage of every export it is in; beyond the latest only if it moved back.
        assert furthest == max(known)
        latest = reach_of(final)
        if latest is not None and furthest > latest:
            assert any(r > latest for r in known[:-1])
        assert outcome == OUTCOME.get(final[0], OPEN)
        rows = result.events[table_keys == str(deal)]
        in_table = [history_stage[s] for s in rows["stage"] if s in history_stage]
        assert max(in_table) == max(known)
        # Every dated row is dated by an export the deal is in, never before its first.
        present = sorted(days[i] for i in order if states[i][deal - 1] is not None)
        for at in rows["at"].dropna():
            assert at.day in present[1:]
    coverage = result.coverage
    assert coverage.deals == len(got)
    assert coverage.lost == int(np.isin(deals.outcome, (LOST, LOST_UNKNOWN)).sum())


def test_deals_are_listed_in_the_order_of_their_ids_as_text() -> None:
    """The deals moved back are named, and the moves listed, in the order of their ids as
    text ("10" before "9"), whichever way each export typed them; a blank id is no deal."""
    first = export([9, 10, 100, None], ["Счёт выставлен"] * 4)
    later = export(["9", " 10", 100.0, None], ["Новая"] * 4)
    result = history_from_snapshots([(DEC1, first), (DEC8, later)], SPEC)
    assert result.coverage.moved_back_ids == ("10", "100", "9")
    assert result.coverage.deals == 3
    moves = observed_moves([(DEC1, first), (DEC8, later)], SPEC)
    assert moves["deal"].tolist() == ["10", "100", "9", "10", "100", "9"]
    assert moves["kind"].tolist() == ["seen"] * 3 + ["back"] * 3
