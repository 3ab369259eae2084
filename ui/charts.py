"""Charts as the pages show them: written in the language's numbers, sent to the browser as a
ready Vega-Lite dict (its datasets as Arrow), and their PNG/SVG downloads made only when asked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import altair as alt
import streamlit as st

from funnel.charts.style import number_locale, with_number_locale
from ui import filters, memo, state
from ui.i18n import (
    NBSP,
    fmt_date,
    lang,
    t,
)


def _png(spec_json: str) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec_json, scale=2)


def _svg(spec_json: str) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec_json)


def export_lines() -> list[str]:
    """What an exported chart says under its title: the source, the filters, the date made."""
    ds = state.current()
    lines = []
    if ds is not None:
        sheet = f" / {ds.sheet}" if ds.sheet else ""
        lines.append(t("export_source", name=ds.name, sheet=sheet))
    chosen = st.session_state.get(filters.FILTER_WORDS)
    lines.append(t("export_filters", filters=chosen) if chosen else t("export_no_filters"))
    lines.append(t("export_made", date=fmt_date(datetime.now(UTC).date())))
    return lines


def localised(chart: Any) -> Any:
    """The chart with the numbers of its tooltips and axes written the UI's way (35,5 % and
    1 249 in Russian; the browser's own format would be 35.5% and 1,249). A Vega-Lite dict (a
    chart written directly, see :func:`funnel.charts.funnel.funnel_spec`) gets the same locale
    in a copy of its config."""
    if lang() != "ru":
        return chart
    marks = {"decimal": ",", "thousands": NBSP, "percent": NBSP + "%"}
    if isinstance(chart, dict):
        config = {**chart.get("config", {}), "locale": number_locale(**marks)}
        return {**chart, "config": config}
    return with_number_locale(chart, **marks)


def show_chart(chart: Any) -> None:
    """Draw a chart written the UI's way: an Altair chart or its Vega-Lite dict. The spec goes
    to the browser as a plain dict: Altair's JSON-schema validation (most of a rerun's time) is
    skipped, the charts being built by tested code, not typed by users. A remembered chart is
    made ready once: a dict's datasets go as the Arrow bytes Streamlit would write of them."""
    if isinstance(chart, dict):
        spec = memo.chart_spec(chart, lambda c: _arrow_bytes(_arrow_datasets(localised(c))))
    else:
        spec = memo.chart_spec(chart, lambda c: localised(c).to_dict(validate=False))
    st.vega_lite_chart(spec, width="content", theme=None)


def _arrow_datasets(spec: dict) -> dict:
    """A copy of ``spec`` whose datasets are Arrow tables. Streamlit sends a chart's data to
    the browser as Arrow and makes it from a list of records through a pandas frame (about a
    millisecond for the funnel's rows); an Arrow table it only writes out. The rows are the
    same."""
    import pyarrow as pa

    datasets = spec.get("datasets")
    if not datasets:
        return spec
    tables = {name: pa.Table.from_pylist(rows) for name, rows in datasets.items()}
    return {**spec, "datasets": tables}


def _arrow_bytes(spec: dict) -> dict:
    """A copy of ``spec`` whose Arrow datasets are written out as Streamlit writes them (it
    passes bytes on as they are): a remembered chart is not serialised again on each rerun."""
    from streamlit import dataframe_util

    datasets = spec.get("datasets")
    if not datasets:
        return spec
    written = {
        name: dataframe_util.convert_anything_to_arrow_bytes(table)
        for name, table in datasets.items()
    }
    return {**spec, "datasets": written}


def _stamped_json(chart: Any, title: str, lines: list[str]) -> str:
    heading = alt.TitleParams(
        text=title,
        subtitle=lines,
        anchor="start",
        fontSize=15,
        subtitleFontSize=11,
        subtitleColor="#5f6470",
    )
    if isinstance(chart, dict):
        return json.dumps({**localised(chart), "title": heading.to_dict()})
    return json.dumps(localised(chart).properties(title=heading).to_dict(validate=False))


def chart_downloads(chart: Any, stem: str, key: str, *, title: str) -> None:
    """PNG and SVG of a chart (Altair's or its Vega-Lite dict), rendered only when clicked
    (vl-convert runs offline); the file carries ``title``, the source, the filters and the
    date, so it can be sent on its own."""
    lines = export_lines()
    buttons = st.container(horizontal=True)  # one block, no spacer column
    buttons.download_button(
        t("download_png"),
        data=lambda: _png(_stamped_json(chart, title, lines)),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"{key}_png",
        on_click="ignore",
    )
    buttons.download_button(
        t("download_svg"),
        data=lambda: _svg(_stamped_json(chart, title, lines)),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        on_click="ignore",
    )


def chart_words() -> dict[str, str]:
    """Tooltip and legend words for funnel.charts.funnel, in the current language."""
    return {
        "won": t("won_row"),
        "stage": t("col_stage"),
        "reached": t("col_reached"),
        "pct_prev": t("col_pct_of_previous"),
        "pct_top": t("col_pct_of_top"),
        "drop_off": t("col_drop_off"),
        "lost_prev": t("tip_lost_prev"),
        "open_prev": t("tip_open_prev"),
        "segment": t("col_segment"),
        "step": t("col_step"),
        "rate": t("col_step_conversion"),
        "significant": t("col_significant"),
        "too_small": t("col_too_small"),
        "verdict": t("col_verdict"),
        **{
            f"verdict_{v}": t(f"verdict_{v}")
            for v in ("better", "worse", "no_difference", "too_small", "baseline")
        },
        "deals": t("kpi_deals"),
    }
