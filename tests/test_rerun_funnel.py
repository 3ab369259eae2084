"""The Funnel page's rerun shortcuts give what the long way gave: the stage table built as arrays
is the table FunnelCounts.table and a concatenated won row made; the weak points found from the
page's own funnel are those found by counting again."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

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
