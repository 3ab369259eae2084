"""The exports of one source on a time line: one mark per snapshot, named by its file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import altair as alt
import pandas as pd

from funnel.charts.style import BAR, merge_words, style

WORDS = {"taken": "Taken", "file": "File"}


def timeline(
    taken: Sequence[datetime], files: Sequence[str], *, words: Mapping[str, str] | None = None
) -> Any:
    """A dot per export at the time it was taken, its file name above it.

    >>> chart = timeline([datetime(2026, 12, 1), datetime(2026, 12, 8)], ["a.xlsx", "b.xlsx"])
    >>> len(chart.to_dict()["layer"])
    3
    """
    w = merge_words(WORDS, words)
    frame = pd.DataFrame({"taken": pd.to_datetime(list(taken)), "file": list(files)})
    # Exports a day or more apart are told by their dates; same-day ones by their times too.
    # Each dot carries its own date under it (an axis would put its ticks between the dots).
    span = frame["taken"].max() - frame["taken"].min()
    fmt = "%d.%m.%Y %H:%M" if span < pd.Timedelta(days=2) else "%d.%m.%Y"
    frame["when"] = frame["taken"].dt.strftime(fmt)
    base = alt.Chart(frame).encode(
        x=alt.X("taken:T", title=None, axis=None, scale=alt.Scale(padding=70)),
        tooltip=[
            alt.Tooltip("when:N", title=w["taken"]),
            alt.Tooltip("file:N", title=w["file"]),
        ],
    )
    dots = base.mark_circle(size=140, color=BAR, opacity=1)
    names = base.mark_text(dy=-16, fontSize=11, limit=160).encode(text="file:N")
    dates = base.mark_text(dy=18, fontSize=11, color="#555").encode(text="when:N")
    return style(alt.layer(dots, names, dates).properties(height=90))
