"""The spec's mapping applied to source columns (funnel/mapping.py), one helper at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnel.deals import LOST, LOST_UNKNOWN, OPEN, WON
from funnel.errors import SpecError
from funnel.mapping import (
    StageMap,
    align_headers,
    as_dates,
    as_numbers,
    column,
    deal_columns,
    lost_unknown_notice,
    never_seen,
    norm_keys,
    segments,
    settle,
    suggest,
    unmapped_notice,
)
from funnel.report.words import notice_text
from funnel.spec import Spec, Stage
from funnel.values import NONE_LABEL

SPEC = Spec(
    columns={"deal": "ID", "stage": "Этап", "channel": "Канал"},
    stages=(Stage("Новая"), Stage("КП", match=("КП", "Коммерческое предложение")), Stage("Счёт")),
    won=("Успех",),
    lost=("Отказ", "Слив"),
)
U, W, L = StageMap.UNMAPPED, StageMap.WON_CODE, StageMap.LOST_CODE
NAT = np.datetime64("NaT", "ns")


def day(text: str) -> np.datetime64:
    return np.datetime64(text, "ns")


def days(values: np.ndarray, unit: str = "D") -> list[str]:
    """Dates as ISO text ("NaT" for none), to compare with a hand-written list."""
    return np.datetime_as_string(values, unit=unit).tolist()


# ---- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "columns", "expected"),
    [
        # contained either way after norm_label, then difflib's close matches
        ("Бюджет", ["Бюджет ", "ID", "Бюджет сделки", "Этап"], ["Бюджет ", "Бюджет сделки"]),
        ("Stage", ["stage", "Stages", "Status", "Owner"], ["stage", "Stages", "Status"]),
        ("Сумма", ["Сумма", "сумма", "СУММА ", "Сумма, руб."], ["Сумма", "сумма", "СУММА "]),
        ("xyz", ["ID", "Этап"], []),
        # an empty header matches nothing, and a blank column is never offered
        ("", ["ID", "Этап", " "], []),
    ],
)
def test_suggest(header, columns, expected):
    assert suggest(header, columns) == expected


def test_column_returns_the_named_column():
    frame = pd.DataFrame({"Этап": ["a"], "ID": [1]})
    assert column(frame, "Этап", "stage", "deals.csv").tolist() == ["a"]


def test_a_missing_column_says_which_role_which_file_and_what_is_near():
    frame = pd.DataFrame({"Этап сделки": ["a"], "ID": [1]})
    with pytest.raises(SpecError) as caught:
        column(frame, "Этап", "stage", "deals.csv")
    err = caught.value
    assert err.code == "missing_column"
    assert err.file == "deals.csv" and err.column == "Этап"
    assert err.params == {"role": "stage", "suggestions": ["Этап сделки"]}
    assert "did you mean 'Этап сделки'?" in err.message


def test_a_missing_column_with_nothing_near_gives_no_hint():
    frame = pd.DataFrame({"ID": [1]})
    with pytest.raises(SpecError) as caught:
        column(frame, "Воронка", "pipeline", "x.xlsx")
    assert caught.value.params == {"role": "pipeline", "suggestions": []}
    assert "did you mean" not in caught.value.message


def test_align_headers_renames_what_differs_in_spacing_or_case_only():
    frame = pd.DataFrame(columns=["Бюджет ", "ЭТАП  сделки", "ID", "Канал"])
    aligned = align_headers(frame, ["Бюджет", "Этап сделки", "ID", "Источник"])
    assert list(aligned.columns) == ["Бюджет", "Этап сделки", "ID", "Канал"]
    assert list(frame.columns) == ["Бюджет ", "ЭТАП  сделки", "ID", "Канал"]  # not mutated


def test_align_headers_leaves_an_ambiguous_header_alone():
    # two source columns normalise to "бюджет": which one the spec meant is unknown
    frame = pd.DataFrame(columns=["Бюджет ", " бюджет", "ID"])
    assert list(align_headers(frame, ["Бюджет"]).columns) == ["Бюджет ", " бюджет", "ID"]


def test_align_headers_returns_the_same_frame_when_all_headers_are_there():
    frame = pd.DataFrame(columns=["ID", "Этап"])
    assert align_headers(frame, ["ID", "Этап"]) is frame


# ---- typed values ----------------------------------------------------------------------------


def test_as_dates_parses_text_and_drops_placeholders():
    out = as_dates(pd.Series(["01.03.2025", "2025-03-02", None, "не закрыта"]))
    assert out.dtype == np.dtype("datetime64[ns]")
    assert days(out) == ["2025-03-01", "2025-03-02", "NaT", "NaT"]


def test_as_dates_keeps_wall_clock_time_of_a_zoned_column():
    zoned = pd.Series(pd.to_datetime(["2025-03-01 10:30", None]).tz_localize("Europe/Moscow"))
    out = as_dates(zoned)
    assert days(out, "m") == ["2025-03-01T10:30", "NaT"]


def test_as_numbers_parses_text_amounts_and_passes_numbers():
    out = as_numbers(pd.Series(["100 000", "1\u00a0500,50 ₽", None, "—"]))
    assert out[:2].tolist() == [100_000.0, 1500.5]
    assert np.isnan(out[2:]).all()
    typed = as_numbers(pd.Series([1, 2, None], dtype="Int64"))
    assert typed.dtype == np.float64
    assert typed[:2].tolist() == [1.0, 2.0] and np.isnan(typed[2])


# ---- stage values ----------------------------------------------------------------------------


def test_stage_map_codes_stages_outcomes_and_counts_the_rest():
    series = pd.Series(
        [
            "Новая",
            " новая ",
            "коммерческое предложение",
            "КП",
            "СЧЕТ",  # ё -> е
            "Успех",
            "слив",
            "Отказ",
            "Архив",
            "Архив",
            None,
            "  ",
            "Дубль",
        ]
    )
    codes = StageMap(SPEC).codes(series)
    assert codes.codes.tolist() == [0, 0, 1, 1, 2, W, L, L, U, U, U, U, U]
    assert codes.unmapped == {"Архив": 2, "Дубль": 1, "": 2}
    assert codes.seen == {
        "новая",
        "коммерческое предложение",
        "кп",
        "счет",
        "успех",
        "слив",
        "отказ",
        "архив",
        "",
        "дубль",
    }


def test_a_value_in_two_stages_belongs_to_the_first():
    spec = Spec(columns={}, stages=(Stage("A", match=("x", "a")), Stage("B", match=("X", "b"))))
    assert StageMap(spec).codes(pd.Series(["x", "b"])).codes.tolist() == [0, 1]


def test_an_outcome_word_wins_over_a_stage_of_the_same_name():
    spec = Spec(columns={}, stages=(Stage("Оплата"),), won=("оплата",))
    assert StageMap(spec).codes(pd.Series(["Оплата"])).codes.tolist() == [W]


def test_stage_map_of_nothing():
    codes = StageMap(SPEC).codes(pd.Series([], dtype=object))
    assert codes.codes.tolist() == [] and codes.unmapped == {} and codes.seen == set()


@given(st.lists(st.sampled_from(["Новая", "кп", "Счёт", "Успех", "Слив", "Прочее", "", None])))
def test_stage_codes_and_unmapped_counts_add_up(values):
    codes = StageMap(SPEC).codes(pd.Series(values, dtype=object))
    assert len(codes.codes) == len(values)
    assert sum(codes.unmapped.values()) == int((codes.codes == U).sum())


def test_norm_keys_are_none_for_blanks():
    out = norm_keys(pd.Series(["  Успех", "УСПЕХ", None, " ", "Ёж"]))
    assert out.tolist() == ["успех", "успех", None, None, "еж"]


# ---- segments ----------------------------------------------------------------------------------


def test_segments_follow_the_rows_and_deals_without_a_row_are_none():
    frame = pd.DataFrame(
        {"ID": [1, 2, 3], "Канал": ["Сайт", "сайт ", "Звонок"], "Причина": [None, "Цена", "Цена"]}
    )
    spec = Spec(
        columns={"deal": "ID", "channel": "Канал", "loss_reason": "Причина"}, stages=(Stage("A"),)
    )
    out = segments(frame, spec, np.array([2, 0, -1, 1]))
    assert set(out) == {"channel", "loss_reason"}
    channel = out["channel"]
    assert [channel.labels[c] for c in channel.codes] == ["Звонок", "Сайт", NONE_LABEL, "Сайт"]
    reason = out["loss_reason"]
    assert [reason.labels[c] for c in reason.codes] == ["Цена", NONE_LABEL, NONE_LABEL, "Цена"]


# ---- notices -----------------------------------------------------------------------------------


def test_lost_unknown_notice():
    notice = lost_unknown_notice(3, 5)
    assert notice.code == "lost_stage_unknown"
    assert notice.params == {"count": 3, "lost": 5}
    assert notice_text(notice).startswith("3 of 5 lost deals do not say")


def test_unmapped_notice_lists_the_eight_most_common_values():
    unmapped = {f"v{i}": i for i in range(1, 11)} | {"": 4}
    notice = unmapped_notice(unmapped, "deals")
    assert notice.code == "unmapped_stage"
    assert notice.params == {"count": 59, "values": unmapped, "rows": "deals"}
    # 10..3 by count; the empty value (4) is said as "(empty)" after v4 (ties: first seen first)
    listing = (
        "«v10» (10), «v9» (9), «v8» (8), «v7» (7), «v6» (6), «v5» (5), «v4» (4), «(empty)» (4)"
    )
    text = notice_text(notice)
    assert "59 deals have a stage value" in text
    assert listing in text
    assert "«v3»" not in text


def test_never_seen_names_spec_values_absent_from_the_data():
    seen = {"новая", "кп", "успех"}
    notice = never_seen(SPEC, seen)
    assert notice is not None and notice.code == "stage_value_absent"
    assert notice.params == {"values": ["Коммерческое предложение", "Счёт", "Отказ", "Слив"]}


def test_never_seen_skips_stage_date_columns_and_is_none_when_all_are_there():
    spec = Spec(
        columns={},
        stages=(Stage("A", column="Дата A"), Stage("B")),
        won=("W",),
    )
    assert never_seen(spec, {"b", "w"}) is None
    assert never_seen(spec, {"w"}).params == {"values": ["B"]}


# ---- settle --------------------------------------------------------------------------------------


def test_settle_puts_won_deals_at_the_last_stage_and_unknown_losses_at_the_first():
    furthest = np.array([0, -1, 1, -1, 2, -1], dtype=np.int16)
    outcome = np.array([WON, WON, LOST, LOST, OPEN, OPEN], dtype=np.int8)
    settle(furthest, outcome, 4)
    assert furthest.tolist() == [3, 3, 1, 0, 2, -1]
    assert outcome.tolist() == [WON, WON, LOST, LOST_UNKNOWN, OPEN, OPEN]


# ---- deal_columns ------------------------------------------------------------------------------


def test_deal_columns_pick_each_deals_row():
    frame = pd.DataFrame(
        {
            "ID": [1, 2, 3],
            "Сумма": ["1 000", None, "300"],
            "Создана": ["01.03.2025", "02.03.2025", None],
            "Закрыта": [None, "05.03.2025", None],
            "Валюта": ["RUB", "USD", "rub"],
        }
    )
    spec = Spec(
        columns={
            "deal": "ID",
            "amount": "Сумма",
            "created": "Создана",
            "closed": "Закрыта",
            "currency": "Валюта",
        },
        stages=(Stage("A"),),
    )
    rows = np.array([2, 0, 1, -1])
    out = deal_columns(
        frame, spec, rows, np.array([0, 0, 0, 0]), np.array([OPEN, WON, LOST, OPEN]), None
    )
    assert out["furthest"].dtype == np.int16 and out["outcome"].dtype == np.int8
    assert out["outcome"].tolist() == [OPEN, WON, LOST, OPEN]
    assert out["amount"][[0, 1]].tolist() == [300.0, 1000.0]
    assert np.isnan(out["amount"][[2, 3]]).all()
    assert days(out["created"]) == ["NaT", "2025-03-01", "2025-03-02", "NaT"]
    assert days(out["closed"]) == ["NaT", "NaT", "2025-03-05", "NaT"]
    currency = out["currency"]
    # "rub" and "RUB" once each: the first seen in deal order (row 2's "rub") names the group
    assert [currency.labels[c] for c in currency.codes] == ["rub", "rub", "USD", NONE_LABEL]
    assert out["entered"] is None and out["source"] is frame and out["rows"] is rows


def test_without_amount_or_dates_the_columns_are_empty():
    frame = pd.DataFrame({"ID": [1, 2]})
    spec = Spec(columns={"deal": "ID"}, stages=(Stage("A"),))
    out = deal_columns(frame, spec, np.array([0, 1]), np.zeros(2), np.zeros(2), None)
    assert np.isnan(out["amount"]).all() and len(out["amount"]) == 2
    assert out["created"] is None and out["closed"] is None and out["currency"] is None
    assert out["segments"] == {}


def test_closed_is_the_day_won_else_the_day_lost():
    frame = pd.DataFrame(
        {
            "ID": [1, 2, 3, 4],
            "Выиграна": ["10.03.2025", None, "12.03.2025", None],
            "Проиграна": [None, "11.03.2025", "01.03.2025", None],
        }
    )
    spec = Spec(
        columns={"deal": "ID", "won_at": "Выиграна", "lost_at": "Проиграна"}, stages=(Stage("A"),)
    )
    out = deal_columns(frame, spec, np.arange(4), np.zeros(4), np.zeros(4), None)
    assert days(out["closed"]) == ["2025-03-10", "2025-03-11", "2025-03-12", "NaT"]


def test_closed_from_lost_at_alone():
    frame = pd.DataFrame({"ID": [1, 2], "Отказ": ["11.03.2025", None]})
    spec = Spec(columns={"deal": "ID", "lost_at": "Отказ"}, stages=(Stage("A"),))
    out = deal_columns(frame, spec, np.arange(2), np.zeros(2), np.zeros(2), None)
    assert days(out["closed"]) == ["2025-03-11", "NaT"]


def test_without_a_creation_date_a_deal_came_in_on_its_first_stage_date():
    entered = np.array(
        [
            [day("2025-03-05"), day("2025-03-02")],  # stage dates out of order: the earliest
            [NAT, day("2025-03-07")],
            [NAT, NAT],
        ]
    )
    frame = pd.DataFrame({"ID": [1, 2, 3]})
    spec = Spec(columns={"deal": "ID"}, stages=(Stage("A", column="a"), Stage("B", column="b")))
    out = deal_columns(frame, spec, np.arange(3), np.zeros(3), np.zeros(3), entered)
    assert days(out["created"]) == ["2025-03-02", "2025-03-07", "NaT"]
    assert out["entered"] is entered
