"""encode_picked (factorize the column, then pick codes) against the plain path: the picked
rows built as Python objects and encoded."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.values import encode_labels, encode_picked

MESSY = st.sampled_from(
    ["Email", "email ", " EMAIL", "Звонки", "звонки\u00a0", "Ёж", "еж", "", "  ", "-", None]
)


def plain(column: pd.Series, rows: np.ndarray):
    values = column.to_numpy(dtype=object)
    picked = np.where(rows >= 0, values[np.clip(rows, 0, None)], None)
    return encode_labels(pd.Series(picked, dtype=object))


def same(a, b) -> None:
    assert a.labels == b.labels
    assert a.codes.tolist() == b.codes.tolist()


@st.composite
def column_and_rows(draw, values):
    cells = draw(st.lists(values, min_size=1, max_size=30))
    rows = draw(st.lists(st.integers(-1, len(cells) - 1), max_size=40))
    return cells, np.array(rows, dtype=np.intp)


@settings(max_examples=200, deadline=None)
@given(column_and_rows(MESSY), st.sampled_from(["str", object, "category"]))
def test_text_columns_encode_as_the_plain_path(case, dtype):
    cells, rows = case
    column = pd.Series(cells, dtype=dtype)
    same(encode_picked(column, rows), plain(column, rows))


@settings(max_examples=100, deadline=None)
@given(
    column_and_rows(st.one_of(st.none(), st.integers(-3, 3))), st.sampled_from(["Int64", "float64"])
)
def test_number_columns_encode_as_the_plain_path(case, dtype):
    cells, rows = case
    column = pd.Series(cells, dtype=dtype)
    same(encode_picked(column, rows), plain(column, rows))


def test_counted_by_hand():
    column = pd.Series(["b", "a ", "A", None], dtype="str")
    e = encode_picked(column, np.array([2, -1, 1, 0, 3, 2]))
    # "A" twice and "a " once: the group is shown as "A"; row -1 and the None are (none).
    assert [e.labels[c] for c in e.codes] == ["A", "(none)", "A", "b", "(none)", "A"]
