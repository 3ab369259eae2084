"""Tests for funnel.values: numbers, dates, column typing and label spellings."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel import values
from funnel.values import canonical_labels, coerce_frame, norm_label, parse_dates, parse_numbers


def test_doctests() -> None:
    assert doctest.testmod(values).failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 200 000,50 руб.", 1200000.5),
        ("125000,00", 125000.0),
        ("350 000 ₽", 350000.0),
        ("$1,200.50", 1200.5),
        ("1,200.50", 1200.5),
        ("1.200,50", 1200.5),
        ("1 200", 1200.0),
        ("1\u00a0200", 1200.0),
        ("1\u202f200 р.", 1200.0),
        ("5 руб", 5.0),
        ("5 RUB", 5.0),
        ("USD 5", 5.0),
        ("€5", 5.0),
        ("-5", -5.0),
        ("(5)", -5.0),
        ("-$5", -5.0),
        ("1.200.000", 1200000.0),
        ("1,200,000", 1200000.0),
        ("0.5", 0.5),
        ("1e3", 1000.0),
        ("  42  ", 42.0),
    ],
)
def test_parse_numbers_one_value(text: str, expected: float) -> None:
    assert parse_numbers(pd.Series([text])).iloc[0] == expected


@pytest.mark.parametrize(
    "text", ["A1", "12.03.2025", "+7 916 123-45-67", "", "-", "нет", "1,2,3", "abc", "1 2a"]
)
def test_parse_numbers_not_a_number(text: str) -> None:
    assert np.isnan(parse_numbers(pd.Series([text])).iloc[0])


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (["1,200"], [1200.0]),  # no evidence: US grouping
        (["1,200", "125,5"], [1.2, 125.5]),  # the column writes decimal commas
        (["1,200", "3.5"], [1200.0, 3.5]),  # the column writes decimal dots
        (["1.200"], [1.2]),
        (["1.200", "1,5"], [1200.0, 1.5]),  # decimal commas, so dots group
    ],
)
def test_parse_numbers_column_decides_separator(column: list[str], expected: list[float]) -> None:
    assert parse_numbers(pd.Series(column)).tolist() == expected


def test_parse_numbers_passes_numbers_and_keeps_index() -> None:
    s = pd.Series([1, 2, None], index=[5, 6, 7], name="Сумма")
    out = parse_numbers(s)
    assert out.dtype == "float64" and out.index.tolist() == [5, 6, 7] and out.name == "Сумма"
    assert parse_numbers(pd.Series(["1", None, "x"], index=[3, 1, 2])).index.tolist() == [3, 1, 2]


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_parse_numbers_round_trips_formatted(value: object) -> None:
    x = float(value)  # type: ignore[arg-type]
    forms = [
        f"{x:,.2f}".replace(",", "\u00a0").replace(".", ",") + " руб.",
        f"${x:,.2f}",
        f"{x:.2f}".replace(".", ","),
        f"{x:,.2f}".replace(",", " ").replace(".", ",") + " ₽",
    ]
    for form in forms:
        assert parse_numbers(pd.Series([form, "0,50"] if "," in form else [form])).iloc[
            0
        ] == pytest.approx(x), form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.01.2025", "2025-01-31"),
        ("31.01.2025 14:30", "2025-01-31 14:30"),
        ("31.01.2025 14:30:15", "2025-01-31 14:30:15"),
        ("31.01.25", "2025-01-31"),
        ("1/31/2025", "2025-01-31"),
        ("1/31/2025 2:30 PM", "2025-01-31 14:30"),
        ("1/31/2025, 2:30 PM", "2025-01-31 14:30"),
        ("2025-01-31", "2025-01-31"),
        ("2025-01-31 14:30:00", "2025-01-31 14:30"),
        ("2025-01-31T14:30:00+03:00", "2025-01-31 14:30"),  # wall time kept, offset dropped
        ("2025-01-31T14:30:00Z", "2025-01-31 14:30"),
        ("2025-01-31T14:30:00.250Z", "2025-01-31 14:30:00.250"),
        ("45688", "2025-01-31"),
    ],
)
def test_parse_dates_one_value(text: str, expected: str) -> None:
    out = parse_dates(pd.Series([text]))
    assert out.dtype == "datetime64[ns]"
    assert out.iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    "text", ["не закрыта", "-", "—", "нет", "n/a", "", "31.02.2025", "Сделка", "99.99.2025"]
)
def test_parse_dates_placeholders_and_garbage(text: str) -> None:
    assert pd.isna(parse_dates(pd.Series([text])).iloc[0])


def test_parse_dates_day_first_slashes_when_the_column_says_so() -> None:
    out = parse_dates(pd.Series(["25/12/2025", "01/02/2025"]))
    assert out.tolist() == [pd.Timestamp("2025-12-25"), pd.Timestamp("2025-02-01")]


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        (pd.Series([45688.5, 10.0]), [pd.Timestamp("2025-01-31 12:00"), pd.NaT]),
        (
            pd.Series(pd.to_datetime(["2025-01-31 10:00"]).tz_localize("Europe/Moscow")),
            [pd.Timestamp("2025-01-31 10:00")],
        ),
        (
            pd.Series(pd.to_datetime(["2025-01-31"]).astype("datetime64[ms]")),
            [pd.Timestamp("2025-01-31")],
        ),
    ],
)
def test_parse_dates_typed_input(series: pd.Series, expected: list[object]) -> None:
    out = parse_dates(series)
    assert out.dtype == "datetime64[ns]"
    assert [None if pd.isna(v) else v for v in out] == [None if pd.isna(v) else v for v in expected]


def test_coerce_frame_types_columns_and_does_not_mutate() -> None:
    df = pd.DataFrame(
        {
            "Бюджет ": ["1 200,50", "350 000 ₽", "-", ""],
            "Этап": [" Новая ", "", "Успешно", "Новая"],
            "Дата закрытия": ["01.02.2025", "не закрыта", "не закрыта", "03.02.2025 10:00"],
            "Код": ["00123", "00124", "00125", "00126"],
            "Место": ["A1", "B2", "C3", "D4"],
            "ID": [1, 2, 3, 4],
        }
    )
    before = df.copy()
    out = coerce_frame(df)
    pd.testing.assert_frame_equal(df, before)
    assert out["Бюджет "].dtype == "float64"
    assert out["Бюджет "].tolist()[:2] == [1200.5, 350000.0] and out["Бюджет "].isna().sum() == 2
    assert out["Этап"].tolist()[0] == "Новая" and pd.isna(out["Этап"].iloc[1])
    assert out["Дата закрытия"].dtype == "datetime64[ns]"
    assert out["Дата закрытия"].notna().sum() == 2
    assert out["Код"].tolist() == ["00123", "00124", "00125", "00126"]  # codes stay text
    assert out["Место"].tolist() == ["A1", "B2", "C3", "D4"]
    assert out["ID"].dtype == "int64"
    assert list(out.columns) == list(df.columns)


def test_coerce_frame_keeps_mostly_text_as_text() -> None:
    df = pd.DataFrame({"Комментарий": ["перезвонить", "5", "нет ответа", "10", "ok"] * 3})
    assert coerce_frame(df)["Комментарий"].tolist()[:2] == ["перезвонить", "5"]


def test_coerce_frame_large_column_with_rare_dates() -> None:
    closed = ["не закрыта"] * 950 + ["01.02.2025"] * 50
    out = coerce_frame(pd.DataFrame({"Дата закрытия": closed}))
    assert out["Дата закрытия"].dtype == "datetime64[ns]"
    assert out["Дата закрытия"].notna().sum() == 50


def test_canonical_labels_picks_most_common_spelling() -> None:
    s = pd.Series(["Успешно", "успешно ", "Успешно", None, "УСПЕШНО", "Новая", " новая"])
    assert canonical_labels(s).tolist() == [
        "Успешно", "Успешно", "Успешно", np.nan, "Успешно", "Новая", "Новая",
    ]  # fmt: skip


def test_canonical_labels_yo_and_nbsp() -> None:
    s = pd.Series(["Отказ: дорого", "отказ:\u00a0дорого", "Отказ: дорого"])
    assert canonical_labels(s).nunique() == 1
    assert canonical_labels(pd.Series(["Ёлка", "елка", "елка"])).tolist() == ["елка"] * 3


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["Новая", "новая", " НОВАЯ ", "Успешно", "успешно", "Ёж", "еж"])))
def test_canonical_labels_keeps_groups(labels: list[str]) -> None:
    s = pd.Series(labels, dtype="str")
    out = canonical_labels(s)
    assert len(out) == len(s)
    assert out.nunique() == len({norm_label(v) for v in labels})
    assert [norm_label(v) for v in out] == [norm_label(v) for v in labels]


def test_coerce_frame_trims_once_per_distinct_value() -> None:
    # Cells are typed from their distinct trimmed values: " A" and "A " are one value, a blank
    # cell counts as filled without a currency mark (and takes the column's one currency),
    # a missing cell has none.
    df = pd.DataFrame(
        {
            "Сумма": ["1 200 ₽", "  ", "300 ₽", None, " 5 "],
            "Этап": [" A", "A ", "", "B", None],
            "Код": ["10", "11", "12", "13", "14"],
        }
    )
    out = coerce_frame(df)
    assert out["Сумма"].tolist()[::2] == [1200.0, 300.0, 5.0]
    assert out["Сумма"].isna().tolist() == [False, True, False, True, False]
    assert out["Сумма · currency"].tolist() == ["RUB", "RUB", "RUB", None, "RUB"]
    assert out["Этап"].tolist()[:2] == ["A", "A"] and out["Этап"].tolist()[3] == "B"
    assert out["Этап"].isna().tolist() == [False, False, True, False, True]
    assert str(out["Этап"].dtype) == "str"
    assert out["Код"].tolist() == [10.0, 11.0, 12.0, 13.0, 14.0]
