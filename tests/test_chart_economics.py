"""The channel-economics charts as values: what each draws, in which order, and that each
renders (vl-convert draws it to PNG without a browser)."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
import vl_convert as vlc

from funnel.charts.economics import (
    cac_chart,
    cac_frame,
    romi_chart,
    romi_frame,
    stage_cost_chart,
    stage_cost_frame,
)
from funnel.economics.figures import economics, spend_for
from funnel.prepare import prepare
from tests.test_economics import DEALS, SPEC, SPEND


@pytest.fixture(scope="module")
def econ():
    deals = prepare(DEALS, SPEC)
    return economics(deals, spend_for(deals, SPEND))


def test_cost_per_won_cheapest_first_and_not_defined_rows_last(econ):
    frame = cac_frame(econ, text={"no_spend": "нет расходов", "not_defined": "не определено"})
    # Email 90 / 1 won = 90; Ads 1000 / 2 = 500; Referral has no spend; Billboards no win.
    assert frame["channel"].tolist() == ["Email", "Ads", "Referral", "Billboards"]
    assert frame["value"].tolist()[:2] == [90.0, 500.0]
    assert frame.set_index("channel").loc["Referral", "label"] == "нет расходов"
    assert frame.set_index("channel").loc["Billboards", "label"] == "не определено"
    # Eleven leads in all: every channel is too small to judge, so every bar is grey.
    assert not frame["judged"].any()


def test_romi_best_first_and_losses_marked(econ):
    frame = romi_frame(econ)
    # Email (500 - 90) / 90 = 4.56, Ads (3000 - 1000) / 1000 = 2, Billboards -1.
    assert frame["channel"].tolist()[:3] == ["Email", "Ads", "Billboards"]
    assert frame.set_index("channel").loc["Billboards", "loses"]
    assert not frame.set_index("channel").loc["Referral", "defined"]


def test_stage_costs_keep_the_funnel_order(econ):
    frame = stage_cost_frame(econ, text={"total": "Все каналы"})
    ads = frame[frame["channel"] == "Ads"]
    assert ads["stage"].tolist() == ["Lead", "Meeting", "Proposal"]
    assert ads["cost"].tolist() == pytest.approx([1000 / 6, 1000 / 4, 1000 / 3])
    total = frame[frame["channel"] == "Все каналы"]
    assert total["cost"].iloc[0] == pytest.approx(1340 / 11)
    # Channels without spend or without leads have no row to colour.
    assert set(frame["channel"]) == {"Все каналы", "Ads", "Email"}
    assert all(math.isfinite(v) for v in frame["cost"])


@pytest.mark.parametrize("make", [cac_chart, romi_chart, stage_cost_chart])
def test_each_chart_draws(econ, make):
    chart = make(econ)
    spec = chart.to_dict()
    assert spec["layer"]
    png = vlc.vegalite_to_png(chart.to_json(), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


def test_a_channel_with_a_long_russian_name_is_not_cut(econ):
    long = "Контекстная реклама в поисковых системах"
    renamed = dataclasses.replace(econ, labels=(long, *econ.labels[1:]))
    spec = cac_chart(renamed).to_dict()
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert axis["labelLimit"] >= 300
    assert long in pd.DataFrame(spec["datasets"][next(iter(spec["datasets"]))])["channel"].tolist()
