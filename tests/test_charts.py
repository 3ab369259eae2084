"""Chart builders checked through chart.to_dict(): one bar per stage, numbers in the labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from funnel.charts import funnel as funnel_charts
from funnel.compare import compare
from funnel.metrics import funnel
from funnel.prepare import prepare
from funnel.spec import Spec, Stage
from tests.e2e_support import LOST, STAGES, WON, small_deals


@pytest.fixture(scope="module")
def deals():
    spec = Spec(
        columns={"stage": "Этап сделки", "amount": "Бюджет", "channel": "Источник"},
        stages=tuple(Stage(name=s, group="A" if i < 2 else "B") for i, s in enumerate(STAGES)),
        won=(WON,),
        lost=(LOST,),
    )
    return prepare(small_deals(60), spec)


def _layer_data(chart) -> list[dict]:
    spec = chart.to_dict()
    datasets = spec["datasets"]
    assert len(datasets) == 1
    return next(iter(datasets.values()))


def test_funnel_chart_has_a_bar_per_stage_and_the_won_bar(deals):
    counts = funnel(deals)
    chart = funnel_charts.funnel_chart(counts, text={"won": "Успех"})
    rows = _layer_data(chart)
    assert [r["stage"] for r in rows] == [*STAGES, "Успех"]
    assert [r["value"] for r in rows] == [*counts.reached[0].tolist(), int(counts.won[0])]
    marks = [layer["mark"]["type"] for layer in chart.to_dict()["layer"]]
    # lost at the previous stage, still open there, the bars; labels and lost numbers
    assert marks.count("bar") == 3 and marks.count("text") == 2


def test_funnel_labels_carry_count_and_percentages(deals):
    counts = funnel(deals)
    rows = _layer_data(funnel_charts.funnel_chart(counts))
    reached = counts.reached[0]
    assert rows[0]["label"] == f"{reached[0]:,}"
    second = rows[1]["label"]
    assert second.startswith(f"{reached[1]:,}")
    assert f"{reached[1] / reached[0] * 100:.0f}%" in second
    # the deals lost at the previous stage (not those still open there) are written in red
    assert rows[1]["drop_label"] == f"−{int(counts.lost_at[0, 0]):,}"


def test_lost_and_still_open_are_shown_apart(deals):
    """The drop-off of each step is lost plus still open at the stage before, never one sum
    called lost (it was: −1,249 shown against 1,167 lost)."""
    counts = funnel(deals)
    rows = _layer_data(funnel_charts.funnel_chart(counts))
    reached = counts.reached[0]
    for k in range(1, len(counts.stages)):
        lost, still_open = rows[k]["lost_prev"], rows[k]["open_prev"]
        assert lost == counts.lost_at[0, k - 1] and still_open == counts.open_at[0, k - 1]
        assert lost + still_open == reached[k - 1] - reached[k]
        # the grey band is as wide as this stage plus what is still open before it
        assert rows[k]["open_half"] == (reached[k] + still_open) / 2
    marks = funnel_charts.funnel_chart(counts).to_dict()["layer"]
    colours = [m["mark"].get("color") for m in marks if m["mark"]["type"] == "bar"]
    assert len(set(colours) - {None}) == 2  # lost and still open in two colours


def test_funnel_bars_are_centred_and_shrink(deals):
    rows = _layer_data(funnel_charts.funnel_chart(funnel(deals)))
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)
    assert all(r["half"] == pytest.approx(r["value"] / 2) for r in rows)


def test_money_measure_uses_amounts(deals):
    counts = funnel(deals)
    rows = _layer_data(funnel_charts.funnel_chart(counts, measure="money"))
    assert rows[0]["value"] == pytest.approx(float(counts.reached_amount[0, 0, 0]))


def test_grouped_funnel_has_a_bar_per_group(deals):
    rows = _layer_data(funnel_charts.funnel_chart(funnel(deals).grouped()))
    assert [r["stage"] for r in rows] == ["A", "B", "Won"]


def test_small_multiples_share_one_scale_and_grey_small_segments(deals):
    counts = funnel(deals, "channel")
    small = np.array([True] + [False] * (len(counts.labels) - 1))
    chart = funnel_charts.small_multiples(counts, too_small=small)
    spec = chart.to_dict()
    assert spec["resolve"]["scale"]["x"] == "shared"
    rows = next(iter(spec["datasets"].values()))
    assert {r["segment"].split(" (")[0] for r in rows} == {lab[0] for lab in counts.labels}
    assert any(r["small"] for r in rows)
    assert all(0 <= r["pct"] <= 1 for r in rows)


def test_small_multiples_end_in_each_segments_won_row(deals):
    counts = funnel(deals, "channel")
    chart = funnel_charts.small_multiples(counts, text={"won": "Успех"})
    rows = next(iter(chart.to_dict()["datasets"].values()))
    for g, labels in enumerate(counts.labels):
        mine = [r for r in rows if r["segment"].startswith(f"{labels[0]} (")]
        assert [r["stage"] for r in mine] == [*counts.stages, "Успех"]
        won = mine[-1]
        assert won["is_won"] and won["reached"] == int(counts.won[g])
        assert won["pct"] == pytest.approx(counts.won[g] / counts.reached[g, 0])


def _three_channels():
    """Channel x: 80 of 100 pass step A; y: 20 of 100; z: 50 of 100 (lost deals keep A)."""
    from funnel.prepare import prepare
    from funnel.spec import Spec, Stage

    rows = []
    for channel, passed in (("x", 80), ("y", 20), ("z", 50)):
        rows += [(channel, "B", None)] * passed + [(channel, "L", "A")] * (100 - passed)
    frame = pd.DataFrame(rows, columns=["Канал", "Этап", "Этап отказа"])
    spec = Spec(
        columns={"channel": "Канал", "stage": "Этап", "lost_stage": "Этап отказа"},
        stages=(Stage("A"), Stage("B")),
        won=("W",),
        lost=("L",),
    )
    return prepare(frame, spec)


def test_heatmap_marks_significant_cells():
    comparison = compare(_three_channels(), "channel", min_deals=5)
    chart = funnel_charts.heatmap(comparison, won_label="Успех")
    rows = _layer_data(chart)
    assert len(rows) == len(comparison.counts.labels) * 2
    sig = [r for r in rows if r["significant"]]
    assert sig, "the fixture must hold a significant cell for this test to mean anything"
    # better and worse are told apart by a sign, readable without colour
    assert all(r["label"].endswith("▲" if r["better"] else "▼") for r in sig)
    assert all(r["better"] != r["worse"] for r in sig)
    assert not any(r["label"].endswith(("▲", "▼")) for r in rows if not r["significant"])
    other = comparison.other_rate
    for r in sig:
        g = [lab[0] for lab in comparison.counts.labels].index(r["segment"])
        assert r["better"] == (comparison.rate[g, r["order"]] > other[g, r["order"]])
    layers = chart.to_dict()["layer"]
    frames = {layer["mark"].get("stroke") for layer in layers if layer["mark"]["type"] == "rect"}
    assert len(frames - {"white", None}) == 2  # a green frame and a red one
    assert any(r["step"].endswith("→ Успех") for r in rows)
    first = {r["segment"]: r for r in rows if r["order"] == 0}
    assert first["x"]["label"].endswith("▲") and first["y"]["label"].endswith("▼")


def test_heatmap_tooltip_gives_the_verdict_in_words_not_true_false():
    words = {"verdict": "Вывод", "verdict_better": "▲ выше", "verdict_worse": "▼ ниже"}
    words |= {
        "verdict_no_difference": "шум",
        "verdict_too_small": "мало",
        "verdict_baseline": "база",
    }
    comparison = compare(_three_channels(), "channel", min_deals=5)
    chart = funnel_charts.heatmap(comparison, text=words)
    rows = _layer_data(chart)
    assert {r["verdict"] for r in rows if r["better"]} == {"▲ выше"}
    assert {r["verdict"] for r in rows if r["worse"]} == {"▼ ниже"}
    assert {r["verdict"] for r in rows if not r["significant"]} <= {"шум", "мало"}
    tips = [tip["field"] for layer in chart.to_dict()["layer"] for tip in _tooltips(layer)]
    assert "verdict" in tips and "significant" not in tips and "too_small" not in tips


def _tooltips(layer: dict) -> list[dict]:
    tip = layer.get("encoding", {}).get("tooltip", [])
    return tip if isinstance(tip, list) else [tip]


def test_charts_render_offline_to_svg(deals):
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(funnel_charts.funnel_chart(funnel(deals)).to_json())
    assert svg.startswith("<svg") and "Переговоры" in svg


@pytest.fixture(scope="module")
def many_segments():
    """Two channels x five owners: ten segments over three steps, labels like the user's."""
    frame = small_deals(300)
    owners = ["Мария Иванова", "Сергей Павлов", "Анна Смирнова", "Игорь Волков", "Елена Морозова"]
    frame["Ответственный"] = [owners[i % len(owners)] for i in range(len(frame))]
    frame["Источник"] = ["Рекомендация" if i % 2 else "Контекстная реклама" for i in range(300)]
    spec = Spec(
        columns={
            "stage": "Этап сделки",
            "amount": "Бюджет",
            "channel": "Источник",
            "owner": "Ответственный",
        },
        stages=tuple(Stage(name=s) for s in STAGES),
        won=(WON,),
        lost=(LOST,),
    )
    return compare(prepare(frame, spec), ["channel", "owner"], min_deals=5)


def _heatmap_layout(chart) -> tuple[dict, dict, int]:
    spec = chart.to_dict()
    encoding = spec["layer"][0]["encoding"]
    return encoding["x"], encoding["y"], spec["width"]["step"]


def _estimated_width(x: dict, y: dict, step: int, rows: list[str]) -> float:
    """Cells, row labels (at most their limit) and the slant of the column labels."""
    longest_row = min(y["axis"]["labelLimit"], max(len(r) for r in rows) * 7)
    return len(x["sort"]) * step + longest_row + x["axis"]["labelLimit"]


def test_many_segments_go_on_the_rows_and_fit_the_page(many_segments):
    assert len(many_segments.counts.labels) == 10
    x, y, step = _heatmap_layout(funnel_charts.heatmap(many_segments, won_label="Успех"))
    assert y["field"] == "segment" and x["field"] == "step"
    assert y["sort"][0] == many_segments.counts.segment_label(0)
    # "Рекомендация × Мария Иванова" is shown whole, not cut to "Рекомендация × Мари…"
    assert y["axis"]["labelLimit"] >= len("Контекстная реклама × Елена Морозова") * 7
    assert _estimated_width(x, y, step, y["sort"]) <= 1100


def test_few_segments_stay_columns(deals):
    comparison = compare(deals, "channel", min_deals=5)
    x, y, _ = _heatmap_layout(funnel_charts.heatmap(comparison))
    assert x["field"] == "segment" and y["field"] == "step"


def test_wide_heatmaps_narrow_their_cells(many_segments):
    # Many steps as rows, many segments as columns: the cells give way, down to a minimum.
    x, y, step = _heatmap_layout(funnel_charts.heatmap(many_segments, segments_on_rows=False))
    assert x["field"] == "segment"
    assert funnel_charts.HEATMAP_MIN_CELL <= step <= funnel_charts.HEATMAP_MAX_CELL
    assert _estimated_width(x, y, step, y["sort"]) <= 1100


def test_drop_off_numbers_have_room_left_of_the_widest_bar(deals):
    counts = funnel(deals).grouped()
    label = "−55,7 млн ₽"  # the longest a money funnel writes
    chart = funnel_charts.funnel_chart(counts, fmt_value=lambda v: label, width=640)
    spec = chart.to_dict()
    # the plot keeps its width in the page (no fit squeezing it) and leaves room for the labels
    assert spec["autosize"]["type"] == "pad"
    width = spec["width"]
    assert width + len("Предложение") * 6 + len(label) * 6 <= 640
    low, high = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    top = max(r["value"] for r in _layer_data(chart))
    # pixels between the plot's left edge and the left end of the widest (previous-stage) bar
    room = (-top / 2 - low) / (high - low) * width
    assert room >= len(label) * 6 + 6


def test_number_locale_marks_a_copy_and_keeps_the_house_style(deals):
    from funnel.charts.style import with_number_locale

    chart = funnel_charts.funnel_chart(funnel(deals))
    marked = with_number_locale(chart, decimal=",", thousands="\u00a0", percent="\u202f%")
    config = marked.to_dict()["config"]
    assert config["locale"]["number"] == {
        "decimal": ",",
        "thousands": "\u00a0",
        "grouping": [3],
        "currency": ["", ""],
        "percent": "\u202f%",
    }
    assert config["font"] == chart.to_dict()["config"]["font"]  # the style kept
    assert "locale" not in chart.to_dict()["config"]  # the chart itself untouched


def test_the_house_style_draws_no_frame_round_the_plot(deals):
    # style() once lost its view setting to a later configure(): every chart had a grey frame
    config = funnel_charts.funnel_chart(funnel(deals)).to_dict()["config"]
    assert config["view"]["strokeWidth"] == 0 and config["font"]


def test_the_lost_and_open_bands_are_named_in_a_legend(deals):
    """Read alone (a PNG), the chart still says which pale band is lost and which is open."""
    words = {"lost_prev": "Проиграны на пред. этапе", "open_prev": "В работе на пред. этапе"}
    layers = funnel_charts.funnel_chart(funnel(deals), text=words).to_dict()["layer"]
    colours = [layer["encoding"]["color"] for layer in layers[:2]]
    assert all(c["legend"]["orient"] == "top" for c in colours)
    assert colours[0]["scale"]["domain"] == [words["lost_prev"], words["open_prev"]]
    assert len(set(colours[0]["scale"]["range"])) == 2


def test_style_sets_the_house_config_without_touching_the_chart_it_was_given():
    import altair as alt

    from funnel.charts.style import FONT, style

    plain = alt.Chart().mark_bar()
    styled = style(plain, legend_on_top=True)
    config = styled.to_dict()["config"]
    assert config["font"] == FONT and config["view"]["strokeWidth"] == 0
    assert config["axis"] == {"labelFont": FONT, "titleFont": FONT, "grid": False}
    assert config["legend"] == {"labelFont": FONT, "titleFont": FONT, "orient": "top"}
    assert "font" not in plain.to_dict().get("config", {})


def test_a_layered_chart_draws_its_data_once_at_the_layer():
    """The funnel's layers share one dataset given to the layer (each chart hashing its own
    copy of the frame was a quarter of the build)."""
    from funnel.charts.funnel import funnel_chart
    from funnel.metrics import FunnelCounts

    at = np.zeros((1, 2, 4), dtype=np.int64)
    at[0, 0, 2], at[0, 1, 1], at[0, 1, 3] = 5, 3, 2
    counts = FunnelCounts(("a", "b"), ("a", "b"), (), ((),), at, np.zeros((1, 1, 2, 4)), ("",))
    spec = funnel_chart(counts).to_dict()
    assert len(spec["datasets"]) == 1
    assert all("data" not in layer for layer in spec["layer"])
