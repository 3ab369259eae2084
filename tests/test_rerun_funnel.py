"""The Funnel page's rerun shortcuts give what the long way gave: the stage table built as arrays
is the table FunnelCounts.table and a concatenated won row made; the weak points found from the
page's own funnel are those found by counting again; the stage table written out as text says
what the pandas Styler said for every cell, in both languages."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.io.formats.style import Styler
from streamlit.elements.lib.pandas_styler_utils import _use_display_values

from funnel.deals import Deals
from funnel.diagnostics import weak_points
from funnel.metrics import FunnelCounts, funnel
from funnel.overtime.velocity import Durations, durations
from funnel.report.summary import stage_table


def _concatenated(
    counts: FunnelCounts,
    g: int = 0,
    *,
    currency: int = 0,
    times: Durations | None = None,
    won_label: str | None = None,
) -> pd.DataFrame:
    """The stage table as it was first made: FunnelCounts.table, then a won row concatenated."""
    table = counts.table(g)
    table["reached_amount"] = counts.reached_amount[g, currency]
    if times is not None and len(times.step_median) == len(counts.stages) - 1:
        table["median_days"] = [*times.step_median, math.nan]
    if won_label is not None:
        won, last, top = int(counts.won[g]), int(counts.reached[g, -1]), int(counts.reached[g, 0])
        row = {
            "stage": won_label,
            "group": won_label,
            "reached": won,
            "pct_of_previous": won / last if last else math.nan,
            "pct_of_top": won / top if top else math.nan,
            "reached_amount": counts.won_amount[g, currency],
        }
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    return table


def _half(deals: Deals) -> np.ndarray:
    return np.arange(len(deals.outcome)) % 2 == 0


@pytest.mark.parametrize("won_label", [None, "Успех"])
@pytest.mark.parametrize("with_times", [False, True])
@pytest.mark.parametrize("shape", ["total", "grouped", "by channel", "half"])
def test_the_stage_table_is_the_concatenated_one(sample_doors, shape, with_times, won_label):
    deals = sample_doors
    mask = _half(deals) if shape == "half" else None
    counts = {
        "total": lambda: funnel(deals),
        "grouped": lambda: funnel(deals).grouped(),
        "by channel": lambda: funnel(deals, "channel"),
        "half": lambda: funnel(deals, mask=mask),
    }[shape]()
    times = durations(deals, mask=mask) if with_times else None
    for g in range(min(3, len(counts.labels))):
        kw = {"times": times, "won_label": won_label}
        pd.testing.assert_frame_equal(
            stage_table(counts, g, **kw), _concatenated(counts, g, **kw), check_exact=True
        )


def test_the_stage_table_of_a_funnel_nobody_reached(sample_doors):
    counts = funnel(sample_doors, mask=np.zeros(len(sample_doors.outcome), dtype=bool))
    pd.testing.assert_frame_equal(
        stage_table(counts, won_label="W"), _concatenated(counts, won_label="W"), check_exact=True
    )


@pytest.mark.parametrize("by", ["channel", None, ("channel", "product")])
@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("masked", [False, True])
def test_weak_points_from_the_pages_funnel_are_those_counted_again(
    sample_doors, sample_security, by, grouped, masked
):
    for deals in (sample_doors, sample_security):
        mask = _half(deals) if masked else None
        again = weak_points(deals, by=by, mask=mask, grouped=grouped)
        total = funnel(deals, mask=mask)
        given = weak_points(deals, by=by, mask=mask, grouped=grouped, total=total)
        assert repr(given) == repr(again)  # NaN rates too
        # the page has summed the money already (its table): the same leaks from that funnel
        assert total.amount_at.shape[0] == 1
        summed = weak_points(deals, by=by, mask=mask, grouped=grouped, total=total)
        assert repr(summed) == repr(again)


# ---- the stage table as text ------------------------------------------------------------------


def _mixed() -> pd.DataFrame:
    n = 7
    return pd.DataFrame(
        {
            "stage": list("abcdefg"),
            "group": ["x", None, "y", "z", "x", "x", None],
            "n": np.arange(n) * 1234 - 2000,
            "whole": np.arange(n) * 123_456.0,
            "p": np.linspace(0, 1, n),
            "p_gaps": [0.1, np.nan, 0.3, 0.4, 0.5, 0.6, 0.1235],
            "f": np.linspace(0, 1e6, n) + 0.25,
            "f_gaps": [1.0, 2.5, np.nan, 4, 5, 6, 7],
            "yes": [True, False] * 3 + [True],
            "day": pd.date_range("2026-01-01", periods=n, freq="D"),
            "kind": pd.Categorical(list("abcabca")),
            "whole_gaps": pd.array([1, 2, None, 4, 5000, 6, 7], dtype="Int64"),
        }
    )


def _in(language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.tables as tables

    monkeypatch.setattr(tables, "lang", lambda: language)
    monkeypatch.setattr("ui.i18n.lang", lambda: language)


def _styled_text(frame: pd.DataFrame, **kw) -> pd.DataFrame:
    """Every cell as the grid showed it through the Styler (Streamlit's own translation)."""
    import ui.tables as tables

    styler, _ = tables.shown_table(frame, **kw)
    return _use_display_values(styler.data, Styler._translate(styler, False, False))


def _as_the_grid_writes(shown) -> pd.DataFrame:
    """The text table's cells as the browser shows them: a numeric column through its printf
    format "%'<separator>,.0f" (Streamlit's sprintf: that separator between groups of three)."""
    out = shown.view.to_pandas()
    for name, config in shown.config.items():
        spec = config["type_config"]
        if spec["type"] != "number":
            continue
        fmt = spec["format"]
        assert fmt.startswith("%'") and fmt.endswith(",.0f") and len(fmt) == 7, fmt
        out[name] = [f"{v:,.0f}".replace(",", fmt[2]) for v in out[name]]
    return out


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_text_table_says_what_the_styler_said(language, monkeypatch):
    import ui.tables as tables

    _in(language, monkeypatch)
    frame = _mixed()
    kw = {"percent": ["p", "p_gaps"], "decimals": {"f": 2, "f_gaps": 1}}
    shown = tables.text_table(frame, **kw)
    assert shown.frame is frame  # the downloads keep the numbers
    pd.testing.assert_frame_equal(
        _as_the_grid_writes(shown), _styled_text(frame, **kw), check_dtype=False
    )
    # whole counts stay numbers (they sort as such); the negative ones are written out
    assert {n for n, c in shown.config.items() if c["type_config"]["type"] == "number"} == {"whole"}
    right = {"n", "whole", "p", "p_gaps", "f", "f_gaps", "day", "whole_gaps"}
    assert set(shown.config) == right  # numbers and dates right-aligned, as the grid put them
    assert all(c["alignment"] in ("right", None) for c in shown.config.values())


@pytest.mark.parametrize(
    ("language", "count", "pct"), [("ru", "1\u00a0234", "10,7\u00a0%"), ("en", "1,234", "10.7%")]
)
def test_the_stage_table_is_written_in_the_language(
    sample_doors, language, count, pct, monkeypatch
):
    import ui.tables as tables

    _in(language, monkeypatch)
    table = stage_table(funnel(sample_doors), times=durations(sample_doors), won_label="W")
    pct_cols = [c for c in table.columns if c.startswith(("pct_", "step_conversion"))]
    kw = {"percent": pct_cols, "decimals": {"median_days": 1}}
    shown = tables.text_table(table, **kw)
    pd.testing.assert_frame_equal(
        _as_the_grid_writes(shown), _styled_text(table, **kw), check_dtype=False
    )
    assert shown.view.column("reached").type == "int64"  # counts sort as numbers
    small = tables.text_table(pd.DataFrame({"n": [1234], "p": [0.1068]}), percent=["p"])
    assert _as_the_grid_writes(small).to_dict("records") == [{"n": count, "p": pct}]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("n", [0, 7, 999, 1000, 12_345, 123_456_789, 10**15 - 1])
def test_whole_numbers_grouped_by_three_are_babels(language, n, monkeypatch):
    import ui.tables as tables
    from ui.i18n import fmt_number

    _in(language, monkeypatch)
    gaps = tables.text_table(pd.DataFrame({"n": [float(n), np.nan]}))
    assert gaps.view.to_pylist()[0]["n"] == fmt_number(n, 0, language)
    full = tables.text_table(pd.DataFrame({"n": [n]}))
    assert _as_the_grid_writes(full).loc[0, "n"] == fmt_number(n, 0, language)
