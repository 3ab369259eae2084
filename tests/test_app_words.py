"""Every page, in Russian and in English, says no «None», «(none)», «False» or «nan»: not in its
texts, its widgets' choices, its tables as shown, nor its charts' labels; an English page writes
no percentage the Russian way (10,7 %)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from tests.conftest import APP
from tests.e2e_support import csv_bytes, small_deals

PAGES = ("funnel", "data", "compare", "trends", "changes", "velocity", "planner")
# the pages' breakdown pickers, set to the channel
BREAKDOWN = {"Разрез", "Сравнивать по", "Break down by", "Compare by", "Dimension"}
CHANNEL = {"ru": "Канал", "en": "Channel"}
RUSSIAN_PERCENT = re.compile(r"\d,\d+\s?%")
ENGINE_WORDS = re.compile(r"\bNone\b|\(none\)|\bFalse\b|\bTrue\b|\bnan\b|\bNaN\b")


def _blank_channels() -> pd.DataFrame:
    """Deals a quarter of which name no channel, some in euros."""
    frame = small_deals(300)
    frame.loc[frame.index % 4 == 0, "Источник"] = ""
    frame["Валюта"] = ["EUR" if i % 5 == 0 else "RUB" for i in range(len(frame))]
    return frame


def _shown(table) -> pd.DataFrame:
    """A table as the grid shows it: the Styler's text where there is one, "None" for a
    missing value (the grid's word for it), booleans as the checkboxes they are."""
    raw = table.value
    styled = table.proto.arrow_data.styler.display_values
    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(styled) if styled else raw.copy()
    shown = shown.astype(object)
    for col in raw.columns:
        if pd.api.types.is_bool_dtype(raw[col]):
            shown[col] = "☑"
    return shown.where(~raw.isna().to_numpy(), "None")


def _texts(at: AppTest) -> Iterator[tuple[str, str]]:
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning"):
        for element in getattr(at, kind):
            yield kind, str(element.value)
    for m in at.metric:
        yield "metric", f"{m.label} {m.value} {m.proto.delta} {m.proto.help}"
    for widget in (*at.selectbox, *at.multiselect, *at.radio):
        yield "choices", f"{widget.label}: {list(widget.options)}"
    for table in at.dataframe:
        shown = _shown(table)
        for col in shown.columns:
            yield "table", f"{col}: " + " | ".join(map(str, shown[col].tolist()))
    for chart in at.get("vega_lite_chart"):
        for data in _chart_data(chart):
            for col in data.columns:
                if not pd.api.types.is_bool_dtype(data[col]):
                    values = data[col].dropna().astype(str)
                    yield "chart", f"{col}: " + " | ".join(values.tolist())


def _chart_data(chart) -> list[pd.DataFrame]:
    """The frames a chart draws (Streamlit sends them beside the spec, as Arrow)."""
    frames = [
        dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets
    ]
    inline = json.loads(chart.proto.spec).get("datasets", {})
    return frames + [pd.DataFrame(rows) for rows in inline.values()]


def _open(page: str, frame: pd.DataFrame | None, language: str = "ru") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = language
    if frame is None:
        at.run()
    else:
        # straight to the Data page: the Funnel page's pickers could not be rerun in English
        at.switch_page("app_pages/data.py").run()
        upload = ("сделки.csv", csv_bytes(frame), "text/csv")
        at.file_uploader(key="upload").set_value(upload).run()
    at.switch_page(f"app_pages/{page}.py").run()
    # AppTest formats a selectbox's value outside the script run, where the UI's language is
    # not known, so an English page cannot be rerun here: it is checked as it first opens.
    for box in at.selectbox if language == "ru" else ():
        if box.label in BREAKDOWN and CHANNEL[language] in box.options:
            box.select(CHANNEL[language])
            at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize("data", ["sample", "blank_channels"])
def test_russian_pages_show_no_engine_words(page_name, data):
    at = _open(page_name, _blank_channels() if data == "blank_channels" else None)
    found = [
        (kind, text[max(0, m.start() - 60) : m.end() + 20])
        for kind, text in _texts(at)
        if (m := ENGINE_WORDS.search(text))
    ]
    assert not found, found


@pytest.mark.parametrize("page_name", PAGES)
def test_english_pages_show_no_engine_words_nor_russian_percentages(page_name):
    at = _open(page_name, _blank_channels(), language="en")
    assert at.session_state["lang"] == "en"
    found = [
        (kind, text[max(0, m.start() - 60) : m.end() + 20])
        for kind, text in _texts(at)
        if (m := ENGINE_WORDS.search(text) or RUSSIAN_PERCENT.search(text))
    ]
    assert not found, found
