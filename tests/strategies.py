"""Shared test data: a small hand-counted cohort frame, its spec, and hypothesis strategies.

Used by the over-time tests (cohorts, before/after); test modules never import each other.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from funnel.spec import Spec, Stage

SPEC = Spec(
    columns={
        "deal": "ID",
        "stage": "Этап",
        "lost_stage": "Этап отказа",
        "created": "Создана",
        "closed": "Закрыта",
        "channel": "Канал",
    },
    stages=(Stage("A"), Stage("B"), Stage("C")),
    won=("W",),
    lost=("L",),
)

# id, created, stage, stage at loss, closed, channel. Days to close: 15 5 1 30 2 20 20 3.
ROWS = [
    (1, "2025-01-05", "W", None, "2025-01-20", "x"),
    (2, "2025-01-10", "L", "B", "2025-01-15", "y"),
    (3, "2025-01-12", "L", "A", "2025-01-13", "x"),
    (4, "2025-01-20", "W", None, "2025-02-19", "y"),
    (5, "2025-02-03", "L", "A", "2025-02-05", "x"),
    (6, "2025-02-10", "L", "C", "2025-03-02", "x"),
    (7, "2025-02-20", "B", None, None, "y"),
    (8, "2025-02-15", "W", None, "2025-03-07", "y"),
    (9, "2025-03-10", "A", None, None, "x"),
    (10, "2025-03-20", "A", None, None, "x"),
    (11, "2025-03-05", "L", "A", "2025-03-08", "y"),
]


def small_frame(rows=ROWS) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": [r[0] for r in rows],
            "Создана": pd.to_datetime([r[1] for r in rows]),
            "Этап": [r[2] for r in rows],
            "Этап отказа": [r[3] for r in rows],
            "Закрыта": pd.to_datetime([r[4] for r in rows]),
            "Канал": [r[5] for r in rows],
        }
    )


def random_rows(draw_rows):
    rows = []
    for i, (month, day, state, lost_at, channel) in enumerate(draw_rows):
        created = f"2025-{month:02d}-{day:02d}"
        closed = None if state in "ABC" else f"2025-{min(month + 1, 12):02d}-{day:02d}"
        rows.append((i, created, state, lost_at if state == "L" else None, closed, channel))
    return rows


row_strategy = st.tuples(
    st.integers(1, 9),
    st.integers(1, 28),
    st.sampled_from(["A", "B", "C", "W", "L"]),
    st.sampled_from(["A", "B", "C"]),
    st.sampled_from(["x", "y", "z"]),
)
