"""Sidebar filters every page honours: pipeline, creation date range, channel, product, owner."""

from __future__ import annotations

from datetime import date
from functools import partial

import numpy as np
import streamlit as st

from funnel.deals import Deals
from funnel.filters import Filters, date_bounds, mask, options
from ui import links, memo, pipelines, state
from ui.i18n import dim_label, fmt_date, fmt_number, segment_name, t

FILTERS = "filters"
FILTER_WORDS = "filter_words"  # the filters in words, for what an exported chart says
FILTER_CHOICES = "filter_choices"  # the Filters chosen, for what a report's cover names
# The sidebar order: the pipeline first, since it changes the stages themselves.
FILTER_ROLES = ("pipeline", "channel", "product", "owner")


def _pipeline_switch(ds: state.Dataset) -> bool:
    """A file with several pipelines shows one at a time; returns True when shown."""
    options = pipelines.pipelines(ds)
    if len(options) < 2:
        return False
    current = state.current_pipeline(ds)
    asked = links.arrived().pipeline
    if asked is not None and asked != current:
        if asked in options and pipelines.switch_pipeline(asked):
            st.rerun()
        links.ignore("pipeline")
    index = options.index(current) if current in options else 0
    choice = st.selectbox(
        t("role_pipeline"), options, index=index, key=f"pipeline_switch_{state.version()}"
    )
    if choice != current and pipelines.switch_pipeline(choice):
        st.rerun()
    return True


def created_bounds(deals: Deals) -> tuple[date, date] | None:
    """The first and last creation dates of the dataset shown, found once per dataset."""
    return memo.remember("created_bounds", state.version(), lambda: date_bounds(deals))


def sidebar() -> None:
    """Render the filters for the current dataset and store them for the pages."""
    ds = state.current()
    st.session_state[FILTERS] = None
    st.session_state[FILTER_WORDS] = None
    st.session_state[FILTER_CHOICES] = None
    if ds is None:
        links.publish(pipeline=None, filters={}, created=(None, None))
        return
    deals = ds.deals
    v = state.version()
    st.subheader(t("filters"))
    switched = _pipeline_switch(ds)
    created_from = created_to = None
    bounds = created_bounds(deals)
    if bounds is not None:
        picked = st.date_input(
            t("created_range"),
            value=links.created_for(bounds) or bounds,
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
        labels = memo.remember(f"filter_options_{role}", v, partial(options, deals, role))
        if len(labels) < 2:
            continue
        chosen = st.multiselect(
            dim_label(role),
            labels,
            default=links.values_for(role, labels),
            format_func=segment_name,
            key=f"flt_{role}_{v}",
            placeholder=t("all"),
        )
        if chosen:
            values[role] = tuple(chosen)
    filters = Filters(created_from=created_from, created_to=created_to, values=values)
    st.session_state[FILTER_CHOICES] = filters
    words = [
        f"{dim_label(role)}: {', '.join(segment_name(v) for v in chosen)}"
        for role, chosen in values.items()
    ]
    if created_from is not None or created_to is not None:
        start, end = created_from or bounds[0], created_to or bounds[1]  # type: ignore[index]
        words.append(f"{t('created_range')}: {fmt_date(start)} – {fmt_date(end)}")
    if ds.spec.filter.get("pipeline"):
        words.insert(0, f"{dim_label('pipeline')}: {', '.join(ds.spec.filter['pipeline'])}")
    st.session_state[FILTER_WORDS] = "; ".join(words) or None
    links.done()
    links.publish(
        pipeline=state.current_pipeline(ds) if switched else None,
        filters=values,
        created=(created_from, created_to),
    )
    if ignored := links.pending_ignored():
        st.caption(t("link_ignored", names=", ".join(ignored)))
    keep = mask(deals, filters)
    st.session_state[FILTERS] = (deals, keep)
    if keep is not None:
        st.caption(t("filter_active", n=fmt_number(int(keep.sum())), total=fmt_number(len(deals))))


def current_mask(deals: Deals) -> np.ndarray | None:
    """The mask of the sidebar filters over ``deals`` (None when nothing is filtered).

    The sidebar computes it once per run; a page that got other deals (a spec applied during
    this run) gets no stale mask.
    """
    filtered, keep = st.session_state.get(FILTERS) or (None, None)
    return keep if filtered is deals else None


def current_choices() -> Filters | None:
    """The sidebar's filters as chosen (None when there is no data)."""
    value = st.session_state.get(FILTER_CHOICES)
    return value if isinstance(value, Filters) else None
