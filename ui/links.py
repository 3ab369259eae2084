"""The view in the address bar: a link opens the view it names, and every change is written
back, so a reload keeps the filters, breakdown, period and language and a link can be sent.

A link is read once, when a session arrives (a new tab, a reload); what it names is applied as
each widget is first drawn, checked against what the data offers. What cannot be used (an
unknown parameter, a value the data does not have) is said once, in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import streamlit as st

from funnel.spec import SEGMENT_ROLES
from ui.view import View, from_query, to_query

ARRIVED = "link_view"  # the View the link asked for, until it is applied
IGNORED = "link_ignored"  # names of what the link asked for and could not be used
DIMS = (*SEGMENT_ROLES, "month", "quarter")
# The session's open workspace and source (ui.workspaces keeps them), written into the link.
WORKSPACE = "workspace"
SOURCE = "workspace_source"
# A secret link's token (``?key=``): read on arrival, kept in the session and written back into
# the link, since a reload is a new session that has nothing else to open the client by.
KEY = "workspace_key"
KEY_PARAM = "key"
_KEY_CHARS = 200
# The widgets' own memories (ui.widgets.remembered_*) that hold the breakdown and the period.
BY_KEY = "compare_by_chosen"
PERIOD_KEY = "tr_period_chosen"


def _query() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def arrive() -> None:
    """Read the link of a session that just arrived; the language at once, the rest as the
    widgets it concerns are drawn."""
    if ARRIVED in st.session_state:
        return
    query = _query()
    token = (query.pop(KEY_PARAM, None) or [""])[0]
    if token and len(token) <= _KEY_CHARS:
        st.session_state[KEY] = token
    view, ignored = from_query(query, roles=SEGMENT_ROLES, dims=DIMS)
    st.session_state[ARRIVED] = view
    st.session_state[IGNORED] = list(ignored)
    if view.lang:
        st.session_state["lang"] = view.lang
    if view.by:
        st.session_state.setdefault(BY_KEY, view.by)
    if view.period:
        st.session_state.setdefault(PERIOD_KEY, view.period)


def reopen(query: dict[str, list[str]]) -> View:
    """Apply a saved view's link in this session, as if it had just arrived with it: the
    filters, breakdown and period apply as their widgets are drawn anew (the caller makes them
    anew). Returns the view read."""
    view, ignored = from_query(query, roles=SEGMENT_ROLES, dims=DIMS)
    st.session_state[ARRIVED] = view
    st.session_state[IGNORED] = list(ignored)
    for key, value in ((BY_KEY, view.by), (PERIOD_KEY, view.period)):
        if value:
            st.session_state[key] = value
    return view


def current_query() -> dict[str, list[str]]:
    """The view shown, as its link's parameters (the secret link's token left out)."""
    return {name: values for name, values in _query().items() if name != KEY_PARAM and values}


def arrived() -> View:
    """The view the link asked for (an empty view once it has been applied)."""
    view = st.session_state.get(ARRIVED)
    return view if isinstance(view, View) else View()


def done() -> None:
    """The link's filters were applied to the data shown: later data starts unfiltered."""
    if arrived() != View():
        st.session_state[ARRIVED] = View()


def ignore(name: str) -> None:
    names: list[str] = st.session_state.setdefault(IGNORED, [])
    if name not in names:
        names.append(name)


def values_for(role: str, offered: Sequence[str]) -> list[str] | None:
    """The link's values of filter ``role`` that the data offers (None when the link sets none);
    the others are noted as ignored."""
    asked = arrived().filters.get(role)
    if not asked:
        return None
    kept = [v for v in asked if v in offered]
    if len(kept) < len(asked):
        ignore(f"f.{role}")
    return kept


def created_for(bounds: tuple[date, date]) -> tuple[date, date] | None:
    """The link's creation-date range within ``bounds`` (None when it sets none)."""
    view = arrived()
    if view.created_from is None and view.created_to is None:
        return None
    start = max(view.created_from or bounds[0], bounds[0])
    end = min(view.created_to or bounds[1], bounds[1])
    if start > end:
        ignore("from")
        ignore("to")
        return None
    return start, end


def pending_ignored() -> list[str]:
    """What the link asked for and could not be used, once: the caller says it."""
    names = st.session_state.get(IGNORED) or []
    st.session_state[IGNORED] = []
    return list(names)


def publish(
    *,
    pipeline: str | None,
    filters: dict[str, tuple[str, ...]],
    created: tuple[date | None, date | None],
) -> None:
    """Write the view shown into the address bar (only when it changed: each write is a
    message to the browser)."""
    view = View(
        workspace=_text(st.session_state.get(WORKSPACE)),
        source=_text(st.session_state.get(SOURCE)),
        pipeline=pipeline,
        created_from=created[0],
        created_to=created[1],
        filters=filters,
        by=_text(st.session_state.get(BY_KEY)),
        period=_text(st.session_state.get(PERIOD_KEY)),
        lang=_text(st.session_state.get("lang")),
    )
    query: dict[str, Any] = to_query(view)
    if token := _text(st.session_state.get(KEY)):
        query[KEY_PARAM] = token
    if query != _query_as_written():
        st.query_params.from_dict(query)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _query_as_written() -> dict[str, Any]:
    return {
        name: (values if name.startswith("f.") else values[0])
        for name, values in _query().items()
        if values
    }
