"""labels_by_count joins same-dtype columns as they are: the same labels as through objects."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.values import labels_by_count

# Spellings a CRM export mixes: case, padding, NBSP, ё/е, blanks and placeholders.
MESSY = st.sampled_from(
    ["Won", "won ", " WON", "Lost", "lost\u00a0", "Ёлка", "елка", "", "  ", "-", "1", "1.0", None]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(MESSY, max_size=40), st.lists(MESSY, max_size=40))
def test_arrow_strings_give_the_labels_of_the_object_path(stage, status):
    as_text = [pd.Series(stage, dtype="str"), pd.Series(status, dtype="str")]
    as_objects = [pd.Series(stage, dtype=object), pd.Series(status, dtype=object)]
    assert labels_by_count(*as_text) == labels_by_count(*as_objects)


def test_mixed_dtypes_keep_each_value_as_written():
    # Counted by hand: 2 twice, 1 and 1.5 once each (1 seen first); float64 would say "1.0".
    ints = pd.Series([1, 2, 2])
    floats = pd.Series([1.5, np.nan])
    assert labels_by_count(ints, floats) == ["2", "1", "1.5"]


def test_one_int_column_reads_as_its_digits():
    assert labels_by_count(pd.Series([3, 3, 7])) == ["3", "7"]
