"""Small Streamlit pieces the pages share: the sample banner, downloads, chart words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from funnel.export import to_csv_bytes, to_xlsx_bytes
from ui import state
from ui.i18n import fmt_number, fmt_pct, lang, t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def source_banner(ds: state.Dataset, *, offer_upload: bool = True) -> None:
    """Say where the numbers come from; on the sample, say so loudly and offer one's own."""
    sheet = f" / {ds.sheet}" if ds.sheet else ""
    if ds.is_sample and offer_upload:
        cols = st.columns([5, 1.5], vertical_alignment="center")
        cols[0].info(t("sample_note", name=ds.name))
        if cols[1].button(t("load_own"), type="primary", key="load_own"):
            st.switch_page("app_pages/data.py")
    elif ds.is_sample:
        st.info(t("sample_note", name=ds.name))
    st.caption(
        t(
            "source_note",
            name=ds.name,
            sheet=sheet,
            deals=fmt_number(len(ds.deals)),
            stages=len(ds.deals.stages),
        )
    )


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "_", text, flags=re.UNICODE).strip("_").lower() or "voronka"


def table_downloads(frame: pd.DataFrame, stem: str, key: str, sheet: str = "funnel") -> None:
    """CSV and XLSX buttons; formula-like cells are neutralised by funnel.export."""
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        t("download_csv"),
        data=lambda: to_csv_bytes(frame),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    c2.download_button(
        t("download_xlsx"),
        data=lambda: to_xlsx_bytes({sheet: frame}),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
    )


def _png(spec_json: str) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec_json, scale=2)


def _svg(spec_json: str) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec_json)


def chart_downloads(chart: Any, stem: str, key: str) -> None:
    """PNG and SVG of a chart, rendered only when clicked (vl-convert runs offline)."""
    spec_json = chart.to_json()
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        t("download_png"),
        data=lambda: _png(spec_json),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"{key}_png",
        on_click="ignore",
    )
    c2.download_button(
        t("download_svg"),
        data=lambda: _svg(spec_json),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        on_click="ignore",
    )


def chart_words() -> dict[str, str]:
    """Tooltip and legend words for funnel.charts, in the current language."""
    ru = lang() == "ru"
    return {
        "won": t("won_row"),
        "stage": t("col_stage"),
        "reached": t("col_reached"),
        "pct_prev": "% от предыдущего" if ru else "% of previous",
        "pct_top": t("col_pct_of_top"),
        "drop_off": t("col_drop_off"),
        "segment": t("col_segment"),
        "step": "Шаг" if ru else "Step",
        "rate": t("col_step_conversion"),
        "significant": "Значимо" if ru else "Significant",
        "too_small": "Мало данных" if ru else "Too small",
        "deals": t("kpi_deals"),
    }


def pct_formatter() -> Callable[[float], str]:
    language = lang()
    return lambda value: fmt_pct(value, 0, language)
