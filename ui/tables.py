"""Tables as the pages show them: the engine's frames with the language's numbers, percentages
and money in the grid, text tables for small ones, and their CSV/XLSX downloads."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from funnel.io.export import for_people, to_csv_bytes, to_xlsx_bytes
from funnel.metrics import FunnelCounts
from ui.i18n import (
    fmt_date,
    fmt_number,
    fmt_pct,
    lang,
    segment_name,
    t,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    buttons = st.container(horizontal=True)  # one block, no spacer column
    csv = csv_options()
    pct = [*percent_columns(frame), *(str(c) for c in percent)]
    words = (t("yes"), t("no"))
    sheet_name = t(f"sheet_{sheet}")

    def people() -> pd.DataFrame:
        return for_people(frame, percent_columns=pct, yes_no=words)

    buttons.download_button(
        t("download_csv"),
        data=lambda: to_csv_bytes(people(), **csv),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    buttons.download_button(
        t("download_xlsx"),
        data=lambda: to_xlsx_bytes({sheet_name: people()}, percent_columns=pct),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
    )


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
    plain = (numbers >= 0) & (numbers < 1e15)  # no infinity reaches the remainder
    return bool(plain.all() and (numbers % 1 == 0).all())


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
