"""The spend beside the shown dataset: read a spend table (a file, a Google Sheet, typed in),
match its channels to the deals', and keep it in the mapping's ``spend:`` block, so it is saved
with the client's workspace and comes back with the mapping.

The deals do not depend on the spend: changing it re-keeps the spec, it does not prepare the
deals again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from funnel.economics.compute import economics_of, placed_of, spend_for
from funnel.economics.figures import Economics
from funnel.economics.table import Spend
from funnel.io import guard
from funnel.notices import Notice
from funnel.spec_spend import SpendSpec
from funnel.values import norm_label
from ui import memo, sources, state

READ = "spend_read"  # the last table read, for the page to say what was found
UPLOAD = "spend_upload"
# The reader's notes worth saying about a spend table: rows it left out, the sheet it chose.
READER_NOTES = ("junk_rows_dropped", "title_rows_skipped", "sheet_chosen")


@dataclass(frozen=True)
class Read:
    """What reading a spend table found: said once on the page, then kept for the sheet pick."""

    name: str
    columns: dict[str, str]
    layout: str
    notices: tuple[Notice, ...]
    guessed: dict[str, str]
    dated: bool = False  # the rows have periods (from a column, two, or heading rows)
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    data: bytes | None = field(default=None, repr=False)


def economics(
    ds: state.Dataset, mask: np.ndarray | None, *, by_month: bool = False
) -> Economics | None:
    """The economics of what the pages show (filters applied), kept while nothing changes;
    ``by_month`` adds the months (the Channels page; a weak point needs the totals only)."""
    kept = ds.spec.spend
    if kept is None or not kept.rows:
        return None
    # Laid against the deals once per dataset and spend; a filter change recounts the funnel.
    placed = memo.remember(
        "ch_placed", (state.version(), id(kept)), lambda: state.guarded(placed_of, ds.deals)
    )
    if placed is None:
        return None
    return memo.remember(
        "ch_economics_months" if by_month else "ch_economics",
        memo.data_key(mask),
        lambda: state.guarded(economics_of, ds.deals, mask=mask, by_month=by_month, placed=placed),
    )


def last_read() -> Read | None:
    return st.session_state.get(READ)


def _keep(spend: SpendSpec | None) -> bool:
    """The current dataset with ``spend`` in its spec: remembered and saved as any mapping."""
    ds = state.current()
    if ds is None:
        return False
    spec = dataclasses.replace(ds.spec, spend=spend)
    return state.apply_kept(spec)


def _kept_spec(ds: state.Dataset) -> SpendSpec:
    """What a new table inherits from the last: the matches a person made, the margin."""
    old = ds.spec.spend or SpendSpec()
    return SpendSpec(by=old.by, channels=old.channels, margin=old.margin)


def _pipeline_sheet(ds: state.Dataset, sheets: tuple[str, ...]) -> str | None:
    """The sheet named after the pipeline shown (a workbook with one sheet per pipeline)."""
    pipeline = state.current_pipeline(ds)
    if pipeline is None:
        return None
    return next((s for s in sheets if norm_label(s) == norm_label(pipeline)), None)


def read_file(data: bytes, name: str, sheet: str | None = None) -> bool:
    """Read an uploaded spend table (in the bounded worker, like every file a person gives),
    recognise it against the deals and keep it; on failure say why and keep what was there."""
    ds = state.current()
    if ds is None:
        return False
    table = state.guarded(guard.read_table, data, name=name, sheet=sheet)
    if table is None:
        return False
    if sheet is None and len(table.sheets) > 1:
        wanted = _pipeline_sheet(ds, tuple(table.sheets))
        if wanted is not None and wanted != table.sheet:
            table = state.guarded(guard.read_table, data, name=name, sheet=wanted)
            if table is None:
                return False
    # a month written as a heading row over its channels is the rows' period
    table = table.with_headings()
    return _take(ds, table.frame, name, tuple(table.sheets), table.sheet, data, table.notes)


def read_sheet(url: str) -> bool:
    """A spend table in a Google Sheet (public, or shared with the service account set on the
    Data page)."""
    ds = state.current()
    if ds is None:
        return False
    table = state.guarded(guard.read_sheet, url.strip(), credentials=sources.sheet_credentials())
    if table is None:
        return False
    table = table.with_headings()
    return _take(ds, table.frame, url.strip(), (), None, None, table.notes)


def read_typed(rows: pd.DataFrame, words: dict[str, str]) -> bool:
    """A spend table typed into the page (columns channel, month, amount as ``words`` name)."""
    ds = state.current()
    if ds is None:
        return False
    frame = rows.dropna(how="all")
    spec = dataclasses.replace(
        _kept_spec(ds),
        columns={"channel": words["channel"], "period": words["month"], "amount": words["amount"]},
    )
    spend = state.guarded(spend_for, ds.deals, frame, spec, source=words["source"])
    if spend is None:
        return False
    return _store(ds, spend, words["source"], (), None, None)


def _take(
    ds: state.Dataset,
    frame: pd.DataFrame,
    name: str,
    sheets: tuple[str, ...],
    sheet: str | None,
    data: bytes | None,
    notes: tuple[Notice, ...] = (),
) -> bool:
    spend = state.guarded(spend_for, ds.deals, frame, _kept_spec(ds), source=name)
    if spend is None:
        return False
    # What the reader did (a totals row dropped, a title row skipped) is said with the rest.
    said = tuple(n for n in notes if n.code in READER_NOTES)
    return _store(
        ds, dataclasses.replace(spend, notices=said + spend.notices), name, sheets, sheet, data
    )


def _store(
    ds: state.Dataset,
    spend: Spend,
    name: str,
    sheets: tuple[str, ...],
    sheet: str | None,
    data: bytes | None,
) -> bool:
    kept = dataclasses.replace(
        _kept_spec(ds),
        columns=dict(spend.columns),
        layout=spend.layout,
        sheet=sheet,
        rows=spend.to_rows(),
    )
    if not _keep(kept):
        return False
    st.session_state[READ] = Read(
        name=name,
        columns=dict(spend.columns),
        layout=spend.layout,
        notices=spend.notices,
        guessed=dict(spend.guessed),
        dated=spend.dated,
        sheets=sheets,
        sheet=sheet,
        data=data if sheets and len(sheets) > 1 else None,
    )
    return True


def match(aliases: dict[str, str | None]) -> bool:
    """Keep a person's matches: spend name -> deal channel (None: keep it apart)."""
    ds = state.current()
    if ds is None or ds.spec.spend is None:
        return False
    channels = {k: v for k, v in ds.spec.spend.channels.items() if k not in aliases}
    channels.update({k: v for k, v in aliases.items() if v})
    return _keep(dataclasses.replace(ds.spec.spend, channels=channels))


def set_margin(margin: float | None) -> bool:
    ds = state.current()
    if ds is None or ds.spec.spend is None:
        return False
    return _keep(dataclasses.replace(ds.spec.spend, margin=margin))


def remove() -> bool:
    st.session_state.pop(READ, None)
    return _keep(None)
