"""A table made ready once (ui.tables.shown_table) gives the grid the text the pandas Styler
itself writes for every cell, though its cells are written without the Styler's HTML machinery
and the cells that are their own text are left out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from pandas.io.formats.style import Styler
from streamlit.elements.lib.pandas_styler_utils import _use_display_values


def _mixed() -> pd.DataFrame:
    n = 7
    return pd.DataFrame(
        {
            "stage": list("abcdefg"),
            "group": ["x", None, "y", "z", "x", "x", None],
            "mixed": pd.Series([1.5, "t", 3, None, dt.date(2026, 1, 2), "u", 2.25], dtype=object),
            "n": np.arange(n) * 1234,
            "p": np.linspace(0, 1, n),
            "p_gaps": [0.1, np.nan, 0.3, 0.4, 0.5, 0.6, 0.7],
            "f": np.linspace(0, 1e6, n) + 0.25,
            "f_gaps": [1.0, 2.5, np.nan, 4, 5, 6, 7],
            "yes": [True, False] * 3 + [True],
            "day": pd.date_range("2026-01-01", periods=n, freq="D"),
            "id": np.arange(n) + 24310017.0,
            "id_gaps": [24310017.0, np.nan, 3, 4, 5, 6, 7],
            "kind": pd.Categorical(list("abcabca")),
            "whole_gaps": pd.array([1, 2, None, 4, 5, 6, 7], dtype="Int64"),
        }
    )


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_grid_gets_the_stylers_own_text(language, monkeypatch):
    import ui.tables as tables

    monkeypatch.setattr(tables, "lang", lambda: language)
    monkeypatch.setattr("ui.i18n.lang", lambda: language)
    styler, _ = tables.shown_table(
        _mixed(),
        percent=["p", "p_gaps"],
        decimals={"f": 2, "f_gaps": 1},
        raw=["id", "id_gaps"],
    )
    grid = styler._translate(False, False)
    assert styler._translate(False, False) is grid  # a rerun reuses the cells
    ours = _use_display_values(styler.data, grid)
    theirs = _use_display_values(styler.data, Styler._translate(styler, False, False))
    pd.testing.assert_frame_equal(ours, theirs)
    assert "—" in set(ours["p_gaps"]) and "None" not in set(ours["p_gaps"])
    # A cell that is its own text is left to the grid; a formatted number is sent.
    sent = {c["id"] for row in grid["body"] for c in row}
    assert "row0_col0" not in sent and "row0_col3" in sent


def test_the_html_is_the_stylers_own(monkeypatch):
    import ui.tables as tables

    monkeypatch.setattr(tables, "lang", lambda: "ru")
    monkeypatch.setattr("ui.i18n.lang", lambda: "ru")
    styler, _ = tables.shown_table(
        pd.DataFrame({"p": [0.1068, 0.5], "n": [1249, 3]}), percent=["p"]
    )
    html = styler.to_html()
    assert "10,7\u00a0%" in html and "1\u00a0249" in html
