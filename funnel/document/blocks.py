"""What the client report's pages are made of: blocks of words, tables and inline SVG charts,
and the report's number formats in its language."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from funnel.document import words

CHART_FONT = "DejaVu Sans"  # the PDF's font: the SVG's text is measured and drawn with it


@dataclass
class Block:
    """One piece of a section: a heading (h3), words (p, caption, note, list), KPI tiles, a
    chart (its SVG and caption) or a table (head, rows, which columns are numbers)."""

    kind: str
    text: str = ""
    items: Sequence[Any] = ()
    cls: str = ""
    svg: Markup | None = None
    head: Sequence[str] = ()
    numeric: Sequence[bool] = ()
    rows: Sequence[Any] = ()


@dataclass
class Row:
    """A table row's cells, already worded; ``cls`` marks it (won, better, worse)."""

    cells: Sequence[str]
    cls: str = ""


@dataclass
class Part:
    """One section of the document: its anchor, its title, its blocks in order."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


# vl-convert writes a whole SVG document; the page needs only the <svg> element.
_SVG_START = re.compile(r"^.*?(?=<svg\b)", re.S)


# Vega's own number formats (axes, legends) in the document's language: «100 %», «0,5».
_NUMBERS = {
    "ru": {"decimal": ",", "thousands": "\u00a0", "percent": "\u00a0%"},
    "en": {"decimal": ".", "thousands": ",", "percent": "%"},
}


def svg(chart: dict[str, Any], language: str = "en") -> Markup:
    """The chart drawn as an inline ``<svg>`` element that scales down to the page width."""
    import vl_convert

    from funnel.charts.style import number_locale

    spec = copy.deepcopy(chart)
    config = spec.setdefault("config", {})
    config["font"] = CHART_FONT
    config.setdefault("locale", number_locale(**_NUMBERS.get(language, _NUMBERS["en"])))
    for part in ("axis", "header", "legend", "title"):
        section = config.setdefault(part, {})
        for key in ("labelFont", "titleFont"):
            section[key] = CHART_FONT
    drawn = vl_convert.vegalite_to_svg(spec)
    drawn = _SVG_START.sub("", drawn, count=1)
    # vl-convert's own escaping of the chart's texts is what the page relies on (tests check it).
    return Markup(drawn)


class Formats:
    """The report's number formats in its language."""

    def __init__(self, language: str, currency: str) -> None:
        self.language = language
        self.currency = currency

    def n(self, value: object, decimals: int = 0) -> str:
        return words.number(value, self.language, decimals)

    def pct(self, value: object, decimals: int = 0) -> str:
        return words.pct(value, self.language, decimals)

    def money(self, value: object) -> str:
        return words.money(value, self.currency, self.language)

    def money_short(self, value: object) -> str:
        return words.money_short(value, self.currency, self.language)

    def day(self, value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
            return words.formats.MISSING
        return words.day(pd.Timestamp(value).date(), self.language)

    def w(self, key: str, **params: Any) -> str:
        return words.word(key, self.language, **params)


def table(
    head: Sequence[str],
    frame: pd.DataFrame,
    cells: Sequence[Callable[[Any], str]],
    numeric: Sequence[bool],
    *,
    row_class: Callable[[Any], str] | None = None,
    limit: int | None = None,
    more: str = "",
) -> list[Block]:
    rows = []
    shown = frame if limit is None else frame.head(limit)
    for r in shown.itertuples(index=False):
        rows.append(Row([c(r) for c in cells], row_class(r) if row_class else ""))
    out = [Block("table", head=head, numeric=numeric, rows=rows, cls=kept(rows))]
    if limit is not None and len(frame) > limit and more:
        out.append(Block("note", text=more.format(shown=len(shown), total=len(frame))))
    return out


SHORT_TABLE = 24  # rows: a table this short is not split across pages


def kept(rows: Sequence[Any]) -> str:
    return "kept" if len(rows) <= SHORT_TABLE else ""


def label(value: Any, f: Formats) -> str:
    text = "" if value is None else str(value)
    return f.w("none_segment") if text == "(none)" else text
