"""The look every chart shares: colours, the font, default formatters and the final configure."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from funnel.charts import speed  # noqa: F401  (Altair's class table made once, see there)

Formatter = Callable[[float], str]

BAR = "#3b6fd8"
BAR_WON = "#2e9e5b"
GHOST = "#f3c5bf"  # lost at the previous stage
GHOST_OPEN = "#c5cfdf"  # still open at the previous stage
BETTER = "#2b8a3e"  # reliably better than the rest (heatmap frame)
WORSE = "#c92a2a"  # reliably worse
LOSS_TEXT = "#c0392b"
GREY = "#b8bcc4"
FONT = "Inter, 'Segoe UI', Arial, sans-serif"
# A step's rate after a change: green when it rose, red when it fell.
AFTER_UP = BAR_WON
AFTER_DOWN = LOSS_TEXT
# Step names longer than this are split in two lines after the arrow.
WRAP_AT = 30


def plain_number(value: float) -> str:
    """The default count format when the caller passes none.

    >>> plain_number(12345.4)
    '12,345'
    """
    return f"{value:,.0f}"


def plain_pct(value: float) -> str:
    """The default percentage format when the caller passes none; a missing rate is a dash.

    >>> plain_pct(0.256), plain_pct(float("nan"))
    ('26%', '—')
    """
    return "—" if value is None or math.isnan(value) else f"{value * 100:.0f}%"


def merge_words(defaults: Mapping[str, str], text: Mapping[str, str] | None) -> dict[str, str]:
    """A chart family's default words with the caller's over them.

    >>> merge_words({"won": "Won", "step": "Step"}, {"won": "Успех"})
    {'won': 'Успех', 'step': 'Step'}
    """
    return {**defaults, **(text or {})}


def wrap_expr(field: str = "datum.value", at: int = WRAP_AT) -> str:
    """A Vega label expression that puts a long "A → B" on two lines: "A →" / "B"."""
    return (
        f"length({field}) > {at} && indexof({field}, ' → ') > 0 ? "
        f"[slice({field}, 0, indexof({field}, ' → ')) + ' →', "
        f"slice({field}, indexof({field}, ' → ') + 3)] : {field}"
    )


def style(chart: Any, *, legend_on_top: bool = False) -> Any:
    """The last touch on every chart: no frame, the house font, no grid (the legend on top
    where a chart family wants it there)."""
    import altair as alt

    # One config object set on a shallow copy: the configure_* methods would copy the whole
    # chart once each and check every property against the schema (a fifth of a chart's build).
    config = alt.Config(
        font=FONT,
        view=alt.ViewConfig(strokeWidth=0),
        axis=alt.AxisConfig(labelFont=FONT, titleFont=FONT, grid=False),
    )
    if legend_on_top:
        config.legend = alt.LegendConfig(labelFont=FONT, titleFont=FONT, orient="top")
    out = chart.copy(deep=False)
    out.config = config
    return out


def style_config() -> dict[str, Any]:
    """The config :func:`style` gives a chart as its Vega-Lite dict writes it (the view's
    continuous size is what Altair's default theme adds), for a chart written as a dict."""
    return {
        "view": {"continuousWidth": 300, "continuousHeight": 300, "strokeWidth": 0},
        "axis": {"grid": False, "labelFont": FONT, "titleFont": FONT},
        "font": FONT,
    }


def number_locale(*, decimal: str, thousands: str, percent: str) -> dict[str, Any]:
    """Vega's locale writing numbers with these marks (see :func:`with_number_locale`), as a
    Vega-Lite dict's ``config.locale``.

    >>> number_locale(decimal=",", thousands=" ", percent=" %")["number"]["grouping"]
    [3]
    """
    return {
        "number": {
            "decimal": decimal,
            "thousands": thousands,
            "grouping": [3],
            "currency": ["", ""],
            "percent": percent,
        }
    }


def with_number_locale(chart: Any, *, decimal: str, thousands: str, percent: str) -> Any:
    """A copy of ``chart`` whose own number formats (tooltips, axes, legends) write numbers
    with these marks: ``decimal=","``, ``thousands="\u00a0"``, ``percent="\u202f%"`` give
    Russian 1 249 and 35,5 %.

    >>> import altair as alt
    >>> plain = alt.Chart().mark_bar()
    >>> marked = with_number_locale(plain, decimal=",", thousands=" ", percent=" %")
    >>> marked.to_dict()["config"]["locale"]["number"]["decimal"]
    ','
    >>> "locale" in plain.to_dict().get("config", {})
    False
    """
    import altair as alt

    out = chart.copy()
    config = out.config if out.config is not alt.Undefined else alt.Config()
    numbers = number_locale(decimal=decimal, thousands=thousands, percent=percent)["number"]
    config.locale = alt.Locale(number=alt.NumberLocale(**numbers))
    out.config = config
    return out
