"""Report files: CSV and XLSX bytes whose text cells cannot run as formulas in a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0%"


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe.

    Numbers stay numbers; only strings starting with = + - @ (or tab/CR) are changed.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5"), neutralise(-5), neutralise("ok")
    ('\\'=HYPERLINK("http://x")', "'-5", -5, 'ok')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and header) neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def for_people(
    frame: pd.DataFrame,
    *,
    percent_columns: Collection[str] = (),
    yes_no: tuple[str, str] = ("yes", "no"),
) -> pd.DataFrame:
    """A copy fit to hand over: whole numbers as integers (no «1249,0»), rates to 4 decimals
    (0.3545), other fractions to 2, and yes/no in words instead of True/False.

    >>> frame = pd.DataFrame({"n": [1249.0, None], "rate": [0.3545348031, None],
    ...                       "amount": [10.456, 2.0], "significant": [True, False]})
    >>> out = for_people(frame, percent_columns=["rate"], yes_no=("да", "нет"))
    >>> out["n"].tolist(), out["rate"].tolist()[0], out["amount"].tolist()
    ([1249, <NA>], 0.3545, [10.46, 2.0])
    >>> out["significant"].tolist()
    ['да', 'нет']
    """
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_bool_dtype(values):
            out[col] = values.map({True: yes_no[0], False: yes_no[1]})
        elif pd.api.types.is_float_dtype(values):
            finite = values.dropna()
            if (
                len(finite)
                and bool((finite == finite.round()).all())
                and finite.abs().max() < 2**53
            ):
                out[col] = values.round().astype("Int64")
            else:
                out[col] = values.round(4 if str(col) in percent_columns else 2)
    return out


def to_csv_bytes(frame: pd.DataFrame, *, sep: str = ",", decimal: str = ".") -> bytes:
    """UTF-8 with BOM, so Excel opens Cyrillic text correctly.

    Excel splits a CSV by the list separator of the system's locale: a Russian Excel expects
    ``sep=";"`` and ``decimal=","``, the defaults suit an English one (and the command line).

    >>> frame = pd.DataFrame({"stage": ["A"], "rate": [0.5]})
    >>> to_csv_bytes(frame, sep=";", decimal=",").decode("utf-8-sig").splitlines()
    ['stage;rate', 'A;0,5']
    """
    return safe_frame(frame).to_csv(index=False, sep=sep, decimal=decimal).encode("utf-8-sig")


_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_name(name: str) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return name.translate(_SHEET_FORBIDDEN).strip()[:31] or "Sheet"


def to_xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame], *, percent_columns: Collection[str] = ()
) -> bytes:
    """An XLSX workbook, one sheet per frame.

    Columns named in ``percent_columns`` (rates stored as fractions, 0.25) are shown as
    percents (25.0%) in every sheet that has them; the cells keep the fraction, so formulas
    over them still work.
    """
    buf = io.BytesIO()
    # strings_to_formulas off: even a neutralised cell is never written as a formula.
    with pd.ExcelWriter(
        buf,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        percent = writer.book.add_format({"num_format": PERCENT_FORMAT})
        for name, frame in sheets.items():
            sheet_name = _sheet_name(name)
            safe_frame(frame).to_excel(writer, sheet_name=sheet_name, index=False)
            for col, header in enumerate(frame.columns):
                # As wide as the header or the longest value shown, within reason.
                # An empty cell is written as nothing: it counts for no width (an all-empty
                # column once made the width NaN).
                shown = frame.iloc[:200, col]
                longest = max((len(str(v)) for v in shown[shown.notna()]), default=0)
                width = min(60, max(8, len(str(header)), longest) + 2)
                fmt = percent if str(header) in percent_columns else None
                # A column format applies to the cells pandas writes without one (numbers).
                writer.sheets[sheet_name].set_column(col, col, width, fmt)
    return buf.getvalue()
