"""A view of the dashboard as the text of a link: which workspace, source and pipeline, which
filters, breakdown and period, and the language.

A link is typed by anyone and pasted anywhere, so it is read as plain text only: nothing in it
is unpickled or evaluated, every value is checked against what the app offers, and what cannot
be used is ignored and named (the page says so) instead of failing. The page itself is in the
link's path (``st.navigation``), not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from funnel.deals import PERIODS as COHORT_PERIODS

LANGS = ("ru", "en")
PERIODS = tuple(COHORT_PERIODS)  # the periods the pages offer
FILTER_PREFIX = "f."
MAX_PARAMS = 64  # more keys than any view has
MAX_VALUES = 50  # values of one filter
MAX_CHARS = 200  # one value: a channel or product name
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class View:
    """What a link can say; None (or empty) is "as the app would choose"."""

    workspace: str | None = None
    source: str | None = None
    pipeline: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    by: str | None = None
    period: str | None = None
    lang: str | None = None


def _values(raw: str | Iterable[str]) -> list[str]:
    return [raw] if isinstance(raw, str) else [str(v) for v in raw]


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def from_query(
    params: Mapping[str, str | Iterable[str]],
    *,
    roles: Iterable[str] = ("pipeline", "channel", "product", "owner"),
    dims: Iterable[str] = (),
) -> tuple[View, list[str]]:
    """The view a link's query asks for, and the names of the parameters it ignored (unknown,
    malformed, or not one of the offered ``roles`` / breakdowns ``dims``).

    >>> view, ignored = from_query({"f.channel": ["Сайт", "Звонок"], "period": "month",
    ...                             "from": "2026-02-30", "x": "1"})
    >>> view.filters, view.period, view.created_from, ignored
    ({'channel': ('Сайт', 'Звонок')}, 'month', None, ['from', 'x'])
    """
    allowed_dims = set(dims)
    text_rules: dict[str, Callable[[str], bool]] = {
        "ws": lambda v: bool(_ID.fullmatch(v)),
        "src": lambda v: bool(_ID.fullmatch(v)),
        "pipeline": bool,
        "by": lambda v: v in allowed_dims,
        "period": lambda v: v in PERIODS,
        "lang": lambda v: v in LANGS,
    }
    allowed_roles = set(roles)
    ignored: list[str] = []
    texts: dict[str, str] = {}
    days: dict[str, date] = {}
    filters: dict[str, tuple[str, ...]] = {}
    for n, (name, raw) in enumerate(params.items()):
        values = _values(raw)
        if n >= MAX_PARAMS or not values or any(len(v) > MAX_CHARS for v in values):
            ignored.append(name)
        elif name.startswith(FILTER_PREFIX):
            role = name.removeprefix(FILTER_PREFIX)
            kept = tuple(dict.fromkeys(v for v in values if v))
            if role in allowed_roles and kept and len(values) <= MAX_VALUES:
                filters[role] = kept
            else:
                ignored.append(name)
        elif len(values) != 1:
            ignored.append(name)
        elif name in text_rules and text_rules[name](values[0]):
            texts[name] = values[0]
        elif name in ("from", "to") and (day := _date(values[0])) is not None:
            days[name] = day
        else:
            ignored.append(name)
    if "from" in days and "to" in days and days["from"] > days["to"]:
        ignored += ["from", "to"]
        days.clear()
    view = View(
        workspace=texts.get("ws"),
        source=texts.get("src"),
        pipeline=texts.get("pipeline"),
        created_from=days.get("from"),
        created_to=days.get("to"),
        filters=filters,
        by=texts.get("by"),
        period=texts.get("period"),
        lang=texts.get("lang"),
    )
    return view, ignored


def to_query(view: View) -> dict[str, str | list[str]]:
    """The query a link needs to open ``view`` (what is unset is left out).

    >>> to_query(View(filters={"channel": ("Сайт",)}, by="channel", lang="en"))
    {'f.channel': ['Сайт'], 'by': 'channel', 'lang': 'en'}
    >>> from_query(to_query(View(pipeline="Опт", period="week")))[0] == View(
    ...     pipeline="Опт", period="week")
    True
    """
    out: dict[str, str | list[str]] = {}
    if view.workspace:
        out["ws"] = view.workspace
    if view.source:
        out["src"] = view.source
    if view.pipeline:
        out["pipeline"] = view.pipeline
    if view.created_from:
        out["from"] = view.created_from.isoformat()
    if view.created_to:
        out["to"] = view.created_to.isoformat()
    for role, values in view.filters.items():
        if values:
            out[FILTER_PREFIX + role] = list(values)
    if view.by:
        out["by"] = view.by
    if view.period:
        out["period"] = view.period
    if view.lang:
        out["lang"] = view.lang
    return out
