"""Sidebar filters every page honours: pipeline, creation date range, channel, product, owner."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from funnel.filters import Filters, mask
from funnel.prepare import Deals
from ui import state
from ui.i18n import dim_label, fmt_number, t

FILTERS = "filters"
FILTER_ROLES = ("pipeline", "channel", "product", "owner")


def _date_bounds(deals: Deals) -> tuple[date, date] | None:
    if deals.created is None:
        return None
    valid = deals.created[~np.isnat(deals.created)]
    if not len(valid):
        return None
    low, high = pd.Timestamp(valid.min()).date(), pd.Timestamp(valid.max()).date()
    return low, high


def _pipeline_switch(ds: state.Dataset) -> bool:
    """A file with several pipelines shows one at a time; returns True when shown."""
    options = state.pipelines(ds)
    if len(options) < 2:
        return False
    current = state.current_pipeline(ds)
    index = options.index(current) if current in options else 0
    choice = st.selectbox(
        t("role_pipeline"), options, index=index, key=f"pipeline_switch_{state.version()}"
    )
    if choice != current and state.switch_pipeline(choice):
        st.rerun()
    return True


def sidebar() -> None:
    """Render the filters for the current dataset and store them for the pages."""
    ds = state.current()
    st.session_state[FILTERS] = Filters()
    if ds is None:
        return
    deals = ds.deals
    v = state.version()
    st.subheader(t("filters"))
    switched = _pipeline_switch(ds)
    created_from = created_to = None
    bounds = _date_bounds(deals)
    if bounds is not None:
        picked = st.date_input(
            t("created_range"),
            value=bounds,
            min_value=bounds[0],
            max_value=bounds[1],
            key=f"flt_created_{v}",
            format="DD.MM.YYYY" if st.session_state.get("lang") == "ru" else "YYYY-MM-DD",
        )
        if isinstance(picked, tuple | list) and len(picked) == 2:
            created_from = picked[0] if picked[0] != bounds[0] else None
            created_to = picked[1] if picked[1] != bounds[1] else None
    values: dict[str, tuple[str, ...]] = {}
    for role in FILTER_ROLES:
        if role == "pipeline" and switched:
            continue
        enc = deals.segments.get(role)
        if enc is None or len(enc.labels) < 2:
            continue
        counts = np.bincount(enc.codes, minlength=len(enc.labels))
        options = [enc.labels[i] for i in np.argsort(-counts, kind="stable") if counts[i] > 0]
        chosen = st.multiselect(
            dim_label(role), options, key=f"flt_{role}_{v}", placeholder=t("all")
        )
        if chosen:
            values[role] = tuple(chosen)
    filters = Filters(created_from=created_from, created_to=created_to, values=values)
    st.session_state[FILTERS] = filters
    if filters.active:
        keep = mask(deals, filters)
        n = int(keep.sum()) if keep is not None else len(deals)
        st.caption(t("filter_active", n=fmt_number(n), total=fmt_number(len(deals))))


def current_mask(deals: Deals) -> np.ndarray | None:
    """The mask of the sidebar filters over ``deals`` (None when nothing is filtered)."""
    filters = st.session_state.get(FILTERS) or Filters()
    return mask(deals, filters)
