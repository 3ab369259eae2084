"""What a page computed on its last run, reused on the next when its inputs are the same.

A widget change reruns the whole page; most of what the page draws does not depend on the
widget that changed (the funnel chart when the weak points are ranked anew). Each named slot
keeps one value per session with the key it was built for; a new dataset, other filters or
another language make a new key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import streamlit as st

from ui import state
from ui.i18n import lang

T = TypeVar("T")
SLOTS = "page_memo"
SPECS = "chart_specs"
MAX_SPECS = 24


def data_key(mask: np.ndarray | None) -> tuple[Hashable, ...]:
    """The dataset shown, the filters applied and the UI's language, as one hashable key."""
    digest = (
        hashlib.blake2b(np.packbits(mask).tobytes(), digest_size=12).hexdigest()
        if (mask is not None)
        else None
    )
    return state.version(), digest, lang()


def remember(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, or what it gave for the same ``key`` in slot ``name`` last time.

    None (an engine call that failed) is not kept: the next run tries again, and says why
    again, as it did before anything was remembered."""
    slots: dict[str, tuple[Hashable, Any]] = st.session_state.setdefault(SLOTS, {})
    hit = slots.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = build()
    if value is None:
        slots.pop(name, None)
    else:
        slots[name] = (key, value)
    return value


def chart_spec(chart: Any, make: Callable[[Any], dict]) -> dict:
    """``make(chart)`` (its Vega-Lite dict as sent) made once per chart object and language
    (numbers are written the language's way): a remembered chart is not serialised again. The
    chart is kept beside its spec so that its id stays its own."""
    specs: dict[int, tuple[Any, str, dict]] = st.session_state.setdefault(SPECS, {})
    language = lang()
    hit = specs.get(id(chart))
    if hit is not None and hit[0] is chart and hit[1] == language:
        return hit[2]
    spec = make(chart)
    specs.pop(id(chart), None)
    if len(specs) >= MAX_SPECS:
        specs.pop(next(iter(specs)))
    specs[id(chart)] = (chart, language, spec)
    return spec
