"""Deals (funnel/deals.py): the per-deal codes, breakdowns by role, period or column, the main
currency; and the notices that travel with them (funnel/notices.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnel.deals import LOST_UNKNOWN, OPEN, WON, Deals, main_currency
from funnel.errors import SpecError
from funnel.notices import Notice
from funnel.prepare import prepare
from funnel.spec import Spec
from funnel.values import NONE_LABEL, Encoded, encode_labels

SPEC = Spec.from_yaml(
    """
columns: {deal: ID, stage: Этап, channel: Канал, amount: Сумма, currency: Валюта, created: Создана}
stages: [A, B]
won: [W]
lost: [L]
"""
)
FRAME = pd.DataFrame(
    {
        "ID": [1, 2, 3, 4, 5],
        "Этап": ["A", "B", "W", "L", "A"],
        "Канал": ["x", "y", "x", "y", None],
        "Сумма": [100.0, None, 50.0, 10.0, 20.0],
        "Валюта": ["RUB", "RUB", "USD", "RUB", None],
        # Monday, the Sunday after, the next Monday, a Saturday in February, none
        "Создана": pd.to_datetime(["2025-01-06", "2025-01-12", "2025-01-13", "2025-02-01", None]),
    }
)


@pytest.fixture(scope="module")
def deals() -> Deals:
    return prepare(FRAME, SPEC)


def labelled(enc: Encoded) -> list[str]:
    return [enc.labels[c] for c in enc.codes]


# ---- the per-deal codes --------------------------------------------------------------------------


def test_codes_of_each_deal(deals):
    assert len(deals) == 5
    # a won deal reached every stage; a lost one with no stage at loss counts at the first
    assert deals.furthest.tolist() == [0, 1, 1, 0, 0]
    assert deals.outcome.tolist() == [OPEN, OPEN, WON, LOST_UNKNOWN, OPEN]
    # furthest * 4 + outcome
    assert deals.base_code.tolist() == [0, 4, 5, 3, 0]
    assert deals.amount_or_zero.tolist() == [100.0, 0.0, 50.0, 10.0, 20.0]
    assert np.isnan(deals.amount[1])


# ---- breakdowns ----------------------------------------------------------------------------------


def test_encode_a_role(deals):
    assert labelled(deals.encode("channel")) == ["x", "y", "x", "y", NONE_LABEL]


def test_encode_a_source_column_by_its_header(deals):
    assert labelled(deals.encode("Валюта")) == ["RUB", "RUB", "USD", "RUB", NONE_LABEL]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        # weeks run Monday to Sunday
        (
            "week",
            [
                "2025-01-06/2025-01-12",
                "2025-01-06/2025-01-12",
                "2025-01-13/2025-01-19",
                "2025-01-27/2025-02-02",
                NONE_LABEL,
            ],
        ),
        ("month", ["2025-01", "2025-01", "2025-01", "2025-02", NONE_LABEL]),
        ("quarter", ["2025Q1", "2025Q1", "2025Q1", "2025Q1", NONE_LABEL]),
    ],
)
def test_encode_a_creation_period(deals, by, expected):
    enc = deals.encode(by)
    assert labelled(enc) == expected
    assert enc.codes.dtype == np.int32
    assert list(enc.labels) == [*sorted(set(expected) - {NONE_LABEL}), NONE_LABEL]


def test_a_period_needs_a_creation_date(deals):
    undated = dataclasses.replace(deals, created=None)
    with pytest.raises(SpecError) as caught:
        undated.encode("month")
    assert caught.value.code == "no_created"
    assert "week" not in undated.dimensions()


def test_an_unknown_breakdown_names_what_there_is(deals):
    with pytest.raises(SpecError) as caught:
        deals.encode("Регион")
    err = caught.value
    assert err.code == "unknown_dimension" and err.column == "Регион"
    assert err.expected.startswith("one of channel, week, month, quarter, ID")


def test_dimensions_are_roles_then_periods_then_columns(deals):
    dims = deals.dimensions()
    assert dims[:4] == ["channel", "week", "month", "quarter"]
    assert {"ID", "Этап", "Канал", "Сумма", "Валюта", "Создана"} <= set(dims[4:])
    assert len(dims) == len(set(dims))


def test_segment_keys_without_a_breakdown_are_the_base_codes(deals):
    key, labels = deals.segment_keys(())
    assert key.tolist() == [0, 4, 5, 3, 0] and labels == [()]


def test_segment_keys_of_one_breakdown(deals):
    key, labels = deals.segment_keys(("channel",))
    # a funnel cell is 2 stages x 4 outcomes = 8; channel x=0, y=1, none=2
    assert key.tolist() == [0 * 8 + 0, 1 * 8 + 4, 0 * 8 + 5, 1 * 8 + 3, 2 * 8 + 0]
    assert labels == [("x",), ("y",), (NONE_LABEL,)]


def test_segment_keys_of_two_breakdowns_and_their_cache(deals):
    key, labels = deals.segment_keys(("channel", "month"))
    # segment = channel * 3 + month (2025-01=0, 2025-02=1, none=2)
    segment = [0 * 3 + 0, 1 * 3 + 0, 0 * 3 + 0, 1 * 3 + 1, 2 * 3 + 2]
    assert key.tolist() == [s * 8 + b for s, b in zip(segment, [0, 4, 5, 3, 0], strict=True)]
    assert len(labels) == 9
    assert labels[:4] == [("x", "2025-01"), ("x", "2025-02"), ("x", NONE_LABEL), ("y", "2025-01")]
    assert labels[8] == (NONE_LABEL, NONE_LABEL)
    assert deals.segment_keys(("channel", "month"))[0] is key


# ---- main currency -------------------------------------------------------------------------------


def test_main_currency_of_the_prepared_deals(deals):
    assert deals.currency is not None
    assert deals.currency.labels[main_currency(deals)] == "RUB"


def with_currency(deals: Deals, values: list[str | None] | None) -> Deals:
    if values is None:
        return dataclasses.replace(deals, currency=None)
    return dataclasses.replace(deals, currency=encode_labels(pd.Series(values, dtype=object)))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, 0),  # no currency column: the one and only
        (["RUB"] * 5, 0),
        (["RUB", "USD", "USD", "EUR", "RUB"], 0),  # a tie goes to the first seen
        (["RUB", "USD", "USD", "EUR", "EUR"], 1),
        (["EUR", "USD", "USD", "USD", "EUR"], 1),
        # missing currencies outnumber any one currency, yet are never the main one
        ([None, None, None, "USD", "RUB"], 0),
        # labels RUB, USD, then (none) last
        ([None, "RUB", None, "USD", "USD"], 1),
        ([None] * 5, 0),
    ],
)
def test_main_currency(deals, values, expected):
    assert main_currency(with_currency(deals, values)) == expected


@given(st.lists(st.sampled_from(["RUB", "USD", "EUR", "rub ", None]), min_size=5, max_size=5))
def test_main_currency_is_the_commonest_named_currency(deals, values):
    enc = encode_labels(pd.Series(values, dtype=object))
    got = main_currency(dataclasses.replace(deals, currency=enc))
    counts = np.bincount(enc.codes, minlength=len(enc.labels))
    named = [i for i, lab in enumerate(enc.labels) if lab != NONE_LABEL]
    if len(enc.labels) < 2 or not named:
        assert got == 0
    else:
        top = max(counts[i] for i in named)
        assert got == min(i for i in named if counts[i] == top)


# ---- notices -------------------------------------------------------------------------------------


def test_a_notice_is_a_code_and_its_numbers():
    notice = Notice("lost_stage_unknown", {"count": 2, "lost": 3})
    assert notice.params["count"] == 2
    assert Notice("x").params == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        notice.code = "other"  # type: ignore[misc]


def test_notices_compare_by_value(deals):
    assert Notice("a", {"n": 1}) == Notice("a", {"n": 1})
    assert Notice("a", {"n": 1}) != Notice("a", {"n": 2})
    assert Notice("a") != Notice("b")
    # the prepared deals carry theirs: one lost deal of unknown stage out of one
    codes = {n.code: n.params for n in deals.notices}
    assert codes["lost_stage_unknown"] == {"count": 1, "lost": 1}
