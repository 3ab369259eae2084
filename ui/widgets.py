"""Small Streamlit pieces the pages share: the sample banner, downloads, chart words, pickers."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar, cast

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from funnel.charts.style import number_locale, with_number_locale
from funnel.deals import Deals
from funnel.io.export import for_people, to_csv_bytes, to_xlsx_bytes
from funnel.metrics import FunnelCounts
from funnel.values import NONE_LABEL
from ui import filters, memo, state
from ui.i18n import (
    NBSP,
    currency_sign,
    fmt_date,
    fmt_money,
    fmt_money_short,
    fmt_number,
    fmt_pct,
    lang,
    plural_deals,
    quoted,
    segment_name,
    t,
)
from ui.workspaces import opening

T = TypeVar("T")

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
    # A Google Sheet's name holds a " · " of its own (title · tab): quoted, it reads as one name.
    name = quoted(ds.name) if ds.sheet_source is not None else ds.name
    n = len(ds.deals)
    st.caption(
        t(
            "source_note",
            name=name,
            sheet=sheet,
            deals=f"{fmt_number(n)} {plural_deals(n)}",
            stages=len(ds.deals.stages),
        )
    )
    if (history := opening.coverage_words(ds.coverage)) is not None:
        st.caption(history)  # what a client's repeated exports tell about the deals' stages


def page_data(title_key: str | None) -> tuple[state.Dataset, Deals, np.ndarray | None]:
    """Every data page's start: its title (None: the page writes its own), the flashed errors,
    the source line; the dataset, its deals and the sidebar filters' mask. Stops the page with a
    message when there is no data, or when the filters leave no deal."""
    if title_key is not None:
        st.title(t(title_key))
    state.show_errors()
    ds = state.current()
    if ds is None:
        st.warning(t("no_data"))
        st.page_link("app_pages/data.py", label=t("nav_data"))
        st.stop()
    if (draft := state.pending()) is not None:
        c1, c2 = st.columns([5, 1.2], vertical_alignment="center")
        c1.info(t("pending_elsewhere", name=draft.name, current=ds.name))
        c2.page_link("app_pages/data.py", label=t("pending_open"))
    source_banner(ds)
    mask = filters.current_mask(ds.deals)
    if mask is not None and not mask.any():
        st.warning(t("no_deals_filter"))
        st.stop()
    return ds, ds.deals, mask


def spec_download(ds: state.Editable, *, label: str, key: str, container: Any = None) -> None:
    """The current mapping (stages, roles, changes) as the YAML file it opens with next time."""
    (container or st).download_button(
        label,
        data=lambda: ds.spec.to_yaml().encode("utf-8"),  # written only when asked for
        file_name=f"{slug(ds.name.rsplit('.', 1)[0])}.voronka.yaml",
        mime="application/x-yaml",
        key=key,
        on_click="ignore",
    )


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "_", text, flags=re.UNICODE).strip("_").lower() or "voronka"


# Engine columns that hold rates as fractions (0.25); downloads show them as percents.
PERCENT_COLUMNS = (
    "pct_of_top",
    "step_conversion",
    "step_conversion_low",
    "step_conversion_high",
    "step_conversion_decided",
    "win_rate",
)


def csv_options(language: str | None = None) -> dict[str, str]:
    """Separator and decimal mark a spreadsheet in ``language``'s locale splits a CSV by."""
    if (language or lang()) == "ru":
        return {"sep": ";", "decimal": ","}
    return {"sep": ",", "decimal": "."}


def percent_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` (engine names or their translations) that hold rates."""
    names = {*PERCENT_COLUMNS, *(t(f"col_{c}") for c in PERCENT_COLUMNS)}
    return [str(c) for c in frame.columns if str(c) in names]


def table_downloads(
    frame: pd.DataFrame, stem: str, key: str, sheet: str, *, percent: Sequence[str] = ()
) -> None:
    """CSV and XLSX buttons; formula-like cells are neutralised by funnel.io.export.

    ``sheet`` names the table (funnel, segments, velocity, …): the XLSX sheet is called by
    it in the UI's language. Values go out rounded, whole numbers as integers, yes/no in words.
    Rates (fractions) go out to 4 places and show as percents in the XLSX: the columns named in
    ``percent`` and the funnel's own rate columns.
    """
    c1, c2, _ = st.columns([1, 1, 4])
    csv = csv_options()
    pct = [*percent_columns(frame), *(str(c) for c in percent)]
    words = (t("yes"), t("no"))
    sheet_name = t(f"sheet_{sheet}")

    def people() -> pd.DataFrame:
        return for_people(frame, percent_columns=pct, yes_no=words)

    c1.download_button(
        t("download_csv"),
        data=lambda: to_csv_bytes(people(), **csv),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    c2.download_button(
        t("download_xlsx"),
        data=lambda: to_xlsx_bytes({sheet_name: people()}, percent_columns=pct),
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
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        t("download_png"),
        data=lambda: _png(_stamped_json(chart, title, lines)),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"{key}_png",
        on_click="ignore",
    )
    c2.download_button(
        t("download_svg"),
        data=lambda: _svg(_stamped_json(chart, title, lines)),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        on_click="ignore",
    )


def currency_name(code: str) -> str:
    """A currency as people read it in a choice or a caption: "EUR (€)", "RUB (₽)", "CNY";
    the deals whose currency is not given, in words."""
    if code in ("", NONE_LABEL):
        return t("no_currency")
    sign = currency_sign(code)
    return f"{code} ({sign})" if sign and sign != code else code


HEADLINE_CHARS = 9  # what a fifth of a 1400 px page shows of a metric before it cuts it off


def won_amount_headline(deals: Any, total: Any, cur: int) -> tuple[str, str | None, str | None]:
    """The won amount for a KPI tile: short enough never to be cut off («28,2 млн ₽»), the full
    figure in its help, and the other currencies' wins under it; «—» without an amount column.
    """
    if "amount" not in deals.spec.columns:
        return "—", t("kpi_no_amount"), None
    currency = total.currencies[cur]
    full = fmt_money(float(total.won_amount[0, cur]), currency)
    text = (
        full
        if len(full) <= HEADLINE_CHARS
        else fmt_money_short(float(total.won_amount[0, cur]), currency)
    )
    others = [
        fmt_money_short(float(total.won_amount[0, i]), code)
        for i, code in enumerate(total.currencies)
        if i != cur and total.won_amount[0, i] > 0
    ]
    more = t("kpi_also_currencies", amounts=", ".join(others)) if others else None
    return text, full if text != full else None, more


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


def named(counts: FunnelCounts) -> FunnelCounts:
    """The same counts with segment labels worded for display (charts, tables)."""
    labels = tuple(tuple(segment_name(x) for x in g) for g in counts.labels)
    return dataclasses.replace(counts, labels=labels)


def shown_table(
    frame: pd.DataFrame,
    *,
    percent: Sequence[str] = (),
    decimals: dict[str, int] | None = None,
    raw: Sequence[str] = (),
) -> tuple[Any, dict[str, Any]]:
    """A table and its column settings for ``st.dataframe``, numbers and dates written in the
    UI's language (10,7 % / 10.7%; 1 234 / 1,234; 01.03.2026 / 2026-03-01) whatever the
    browser's locale, yes/no in words.

    A column with gaps becomes text (right-aligned) with «—» in them: the grid writes a missing
    value as "None" whatever the display format says. A full column stays numeric, formatted
    through a Styler, so that it still sorts as numbers. Numbers in ``raw`` columns (IDs,
    phone numbers) are written as the file has them, with no grouping."""
    language = lang()
    decimals = decimals or {}
    formats: dict[Any, str | Callable[[object], str] | None] = {}
    written: dict[int, Callable[[Any], str]] = {}  # position: how a full column is written
    config: dict[str, Any] = {}
    columns: list[Any] = []  # what is shown of each column, in order
    col: Any
    for i, (col, values) in enumerate(frame.items()):
        if pd.api.types.is_bool_dtype(values):
            columns.append([t("yes") if v else t("no") for v in values])
            continue
        gaps = bool(pd.isna(values.to_numpy()).any())
        if col in percent:
            write: Callable[[Any], str] = partial(fmt_pct, decimals=1, language=language)
        elif pd.api.types.is_datetime64_any_dtype(values):
            write = partial(fmt_date, language=language)
        elif pd.api.types.is_numeric_dtype(values) and col in raw:
            if gaps or pd.api.types.is_float_dtype(values):
                if (values.dropna() % 1 == 0).all():
                    values = values.astype("Int64")  # 24310017, not 24310017.0
                columns.append(["" if pd.isna(v) else str(v) for v in values])
            else:
                columns.append(values)
            continue
        elif pd.api.types.is_numeric_dtype(values):
            places = decimals.get(str(col), 0)
            write = partial(fmt_number, decimals=places, language=language)
        else:
            columns.append(values.astype(object).where(values.notna(), "—") if gaps else values)
            continue
        if gaps:
            columns.append(["—" if pd.isna(v) else write(v) for v in values])
            config[col] = st.column_config.TextColumn(alignment="right")
        else:
            columns.append(values)
            formats[col] = write
            written[i] = write
    # One frame made at once: setting its columns one by one costs more than writing them.
    out = pd.DataFrame(dict(enumerate(columns)), index=frame.index)
    out.columns = frame.columns
    if frame.size > STYLED_CELLS:
        return out, {**config, **_grid_formats(out, formats, percent, language)}
    return _translated_once(out.style.format(formats), written), config


# Streamlit renders a Styler by translating every cell anew on each run (about 30 µs a cell,
# and the translation is kept in memory): above this many cells a table is shown as a plain
# frame that the grid formats itself.
STYLED_CELLS = 3_000


def _grid_formats(
    out: pd.DataFrame, formats: dict[Any, Any], percent: Sequence[str], language: str
) -> dict[str, Any]:
    """Column settings that write a large table's numbers and dates in the grid itself: the
    numbers stay numbers (they sort as such), percents times 100, dates in the UI's order. The
    grid's number format has no digit grouping nor decimal comma."""
    config: dict[str, Any] = {}
    for col in formats:
        values = out[col]
        if col in percent:
            out[col] = values * 100
            config[col] = st.column_config.NumberColumn(format="%.1f%%")
        elif pd.api.types.is_datetime64_any_dtype(values):
            date_format = "DD.MM.YYYY" if language == "ru" else "YYYY-MM-DD"
            config[col] = st.column_config.DateColumn(format=date_format)
        else:
            places = formats[col].keywords.get("decimals", 0)
            config[col] = st.column_config.NumberColumn(format=f"%.{places}f")
    return config


def _translated_once(styler: Any, written: dict[int, Callable[[Any], str]]) -> Any:
    """The Styler with its cells translated once: a remembered table (see :class:`Table`) is
    drawn again on every rerun, its cells unchanged.

    What the grid reads (``_translate(False, False)``: each cell's id and text) is written here
    directly rather than through the Styler's HTML machinery, with the same formatters; a cell
    whose text is its own string value is left out, since the grid starts from every value as
    text (Streamlit then sets only the columns that differ). Any other translation (``to_html``)
    is the Styler's own."""
    translate = styler._translate
    done: dict[Hashable, Any] = {}

    def grid() -> dict[str, Any]:
        data = styler.data
        cells: list[list[dict[str, Any]]] = [[] for _ in range(len(data))]
        for c, (_, column) in enumerate(data.items()):
            write = written.get(c)
            for r, value in enumerate(column):
                if write is not None:
                    text = write(value)
                else:
                    text = styler._display_funcs[(r, c)](value)
                    if isinstance(value, str) and text == value:
                        continue
                cells[r].append({"id": f"row{r}_col{c}", "display_value": text})
        return {"body": cells, "table_styles": [], "cellstyle": []}

    def once(*args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(sorted(kwargs.items())))
        if key not in done:
            done[key] = grid() if key == ((False, False), ()) else translate(*args, **kwargs)
        return done[key]

    styler._translate = once
    return styler


@dataclasses.dataclass(frozen=True)
class Table:
    """A table as a page shows it: the frame (the downloads write it), the view the grid
    draws and its column settings. Made once per state of what shapes it, then reused."""

    frame: pd.DataFrame
    view: Any
    config: dict[str, Any]


def table(
    frame: pd.DataFrame,
    *,
    percent: Sequence[str] = (),
    decimals: dict[str, int] | None = None,
    raw: Sequence[str] = (),
) -> Table:
    """``frame`` made ready to show (see :func:`shown_table`)."""
    view, config = shown_table(frame, percent=percent, decimals=decimals, raw=raw)
    return Table(frame, view, config)


def text_table(
    frame: pd.DataFrame,
    *,
    percent: Sequence[str] = (),
    decimals: dict[str, int] | None = None,
) -> Table:
    """``frame`` with its cells written as :func:`shown_table` writes them (10,7 % / 10.7%;
    1 234 / 1,234; «—» for a gap; yes/no in words), numbers and dates right-aligned.

    For a small table drawn on every rerun of a page: the grid gets an Arrow table, which
    Streamlit sends on as it is, where a Styler costs it milliseconds of pandas work on each run.
    A column of whole numbers (counts, whole amounts) stays numeric and sorts as numbers: the
    grid writes it with the language's group separator, the same text; with gaps, it is grouped
    here the same way. Any other column is written out through Babel and sorts as text. The
    downloads keep ``frame``."""
    import pyarrow as pa

    language = lang()
    decimals = decimals or {}
    words = (t("yes"), t("no"))
    # The grid's printf-style format with a digit grouping of our choosing: %'<separator>,.0f
    separator = fmt_number(1000, 0, language)[1]  # of groups of three digits: NBSP or a comma
    grouped = f"%'{separator},.0f"
    cells: dict[str, Any] = {}
    config: dict[str, Any] = {}
    # Each value written once per kind: % of previous repeats the step conversions a row lower.
    written: dict[tuple[Any, ...], str] = {}
    for col, values in frame.items():
        name = str(col)
        if pd.api.types.is_bool_dtype(values):
            cells[name] = [words[0] if v else words[1] for v in values.tolist()]
            continue
        kind = _cell_kind(name, values, percent, decimals)
        if kind is None:
            cells[name] = ["—" if pd.isna(v) else str(v) for v in values.tolist()]
            continue
        whole = kind == ("number", 0) and _whole(values)
        if whole and not values.isna().any():
            cells[name] = pa.array(values)  # a nullable Int64 column too
            config[name] = st.column_config.NumberColumn(format=grouped)
        elif whole:
            # Whole numbers with gaps (the won row's): grouped by three as Babel and the grid
            # group them, without a Babel call per cell.
            cells[name] = [
                "—" if pd.isna(v) else f"{int(v):,}".replace(",", separator)
                for v in values.tolist()
            ]
            config[name] = st.column_config.TextColumn(alignment="right")
        else:
            write = _WRITERS[kind[0]]
            out = []
            for v in values.tolist():
                if pd.isna(v):
                    out.append("—")
                    continue
                text = written.get((kind, v))
                if text is None:
                    text = written[(kind, v)] = write(v, *kind[1:], language=language)
                out.append(text)
            cells[name] = out
            config[name] = st.column_config.TextColumn(alignment="right")
    return Table(frame, pa.table(cells), config)


def _whole(values: pd.Series) -> bool:
    """Numbers written alike by Babel and by a grouping of three: whole, not negative (Russian
    prints a minus sign of its own), below the size Babel writes in scientific form; gaps
    aside."""
    if not pd.api.types.is_numeric_dtype(values) or isinstance(values.dtype, pd.CategoricalDtype):
        return False
    numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
    numbers = numbers[~np.isnan(numbers)]
    return bool(((numbers >= 0) & (numbers < 1e15) & (numbers % 1 == 0)).all())


def _cell_kind(
    col: str, values: pd.Series, percent: Sequence[str], decimals: dict[str, int]
) -> tuple[Any, ...] | None:
    """How :func:`text_table` writes a column's values: a writer of ``_WRITERS`` and its decimal
    places; None for text, written as it is."""
    if col in percent:
        return ("percent", 1)
    if pd.api.types.is_datetime64_any_dtype(values):
        return ("date",)
    if pd.api.types.is_numeric_dtype(values):
        return ("number", decimals.get(col, 0))
    return None


_WRITERS: dict[str, Callable[..., str]] = {
    "percent": fmt_pct,
    "date": fmt_date,
    "number": fmt_number,
}


def show_table(shown: Table, **kwargs: Any) -> None:
    st.dataframe(shown.view, hide_index=True, column_config=shown.config, **kwargs)


def source_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the user's file for display: an empty cell stays empty (the grid would write
    "None" in it)."""
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if not values.isna().any():
            continue
        if pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
            values = values.astype("Int64")  # 24310017, not 24310017.0
        out[col] = ["" if pd.isna(v) else str(v) for v in values]
    return out


def pct_formatter() -> Callable[[float], str]:
    language = lang()
    return lambda value: fmt_pct(value, 0, language)


def remembered_selectbox(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[T], str] = str,
    container: Any = None,
) -> T:
    """A selectbox over stable values (codes, labels, None) that keeps its choice across the
    language switch and shows it in the new language.

    Streamlit 1.67 keeps the value of a keyed selectbox whose labels change, but the box goes on
    showing the old language's label (writing the value back through the session state cures
    that, except for None, which then shows as an empty box). So the widget is made anew for
    each language, starting from the value chosen last, which lives under a key of its own.
    """
    memory = f"{key}_chosen"
    last = st.session_state.get(memory)
    index = options.index(last) if last in options else 0
    value = (container or st).selectbox(
        label, options, index=index, format_func=format_func, key=f"{key}_{lang()}"
    )
    st.session_state[memory] = value
    return value


def remembered_segmented(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[T], str] = str,
    container: Any = None,
    **kwargs: Any,
) -> T:
    """A required segmented control that keeps its choice across the language switch (made
    anew per language, like :func:`remembered_selectbox`, starting from the last choice)."""
    memory = f"{key}_chosen"
    last = st.session_state.get(memory)
    default = last if last in options else options[0]
    value = (container or st).segmented_control(
        label,
        options,
        format_func=format_func,
        default=default,
        required=True,
        key=f"{key}_{lang()}",
        **kwargs,
    )
    chosen = cast(T, default if value is None else value)
    st.session_state[memory] = chosen
    return chosen
