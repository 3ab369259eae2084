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
from funnel.economics.compute import economics, spend_for
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


# ---- the sample's media line: spend on a channel with no lead, a channel with no spend -----


@pytest.fixture(scope="module")
def media():
    from pathlib import Path

    from funnel.economics.compute import economics_of, with_spend
    from funnel.io.readers import read_table
    from funnel.spec import Spec

    samples = Path(__file__).resolve().parent.parent / "sample_data"
    frame = read_table(samples / "amocrm_export.xlsx").frame
    text = (samples / "amocrm_export.media.spec.yaml").read_text(encoding="utf-8")
    deals = prepare(frame, Spec.from_yaml(text))
    spend = read_table(samples / "spend.xlsx", name="spend.xlsx", sheet="Носители информации")
    return economics_of(with_spend(deals, spend_for(deals, spend.frame)))


def _rows(chart) -> pd.DataFrame:
    spec = chart.to_dict()
    (rows,) = spec["datasets"].values()
    return pd.DataFrame(rows)


def test_cac_chart_rows_are_the_figures_cheapest_first(media):
    rows = _rows(cac_chart(media, text={"not_defined": "не определено"}))
    defined = rows[rows["defined"]]
    assert defined["value"].is_monotonic_increasing
    expected = {
        lab: float(media.cost_per_won[g])
        for g, lab in enumerate(media.labels)
        if math.isfinite(media.cost_per_won[g])
    }
    assert dict(zip(defined["channel"], defined["value"], strict=True)) == pytest.approx(expected)
    # Referrals cost nothing recorded; the VK ads brought no lead: words, never a zero bar.
    undefined = rows[~rows["defined"]].set_index("channel")["label"].to_dict()
    assert undefined == {"Рекомендации": "no spend", "Таргет ВКонтакте": "не определено"}


def test_romi_chart_rows_are_the_figures_best_first(media):
    rows = _rows(romi_chart(media))
    defined = rows[rows["defined"]]
    assert defined["romi"].is_monotonic_decreasing
    by_label = dict(zip(media.labels, media.romi, strict=True))
    for channel, romi, loses in zip(defined["channel"], defined["romi"], defined["loses"],
                                    strict=True):  # fmt: skip
        assert romi == pytest.approx(by_label[channel])
        assert loses == (romi < 0)


def test_stage_cost_chart_keeps_the_funnel_order(media):
    spec = stage_cost_chart(media).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["sort"] == list(media.stages)
    rows = _rows(stage_cost_chart(media))
    for channel, cells in rows.groupby("channel", sort=False):
        # Fewer deals reach each next stage: the cost per deal never falls left to right.
        assert cells.sort_values("k")["cost"].is_monotonic_increasing, channel


@pytest.mark.parametrize("make", [cac_chart, romi_chart, stage_cost_chart])
def test_sample_charts_draw(media, make, tmp_path):
    png = vlc.vegalite_to_png(make(media).to_json(), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
