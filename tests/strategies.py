"""Shared test data: small hand-counted frames with their specs, and hypothesis strategies.

Used by the over-time and chart tests; test modules never import each other.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from funnel.prepare import prepare
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


# ---- over time: slow wins, then a change ----


def slow_wins_then_a_change() -> pd.DataFrame:
    """2024: 50 deals a month, 5 won 90 days on, 45 lost at A in 3 days. From 2025-01-01, the
    same process, but its wins are still open at C (they have had no 90 days yet)."""
    rows, i = [], 0
    for month in range(1, 13):
        created = pd.Timestamp(f"2024-{month:02d}-10")
        for j in range(50):
            won = j < 5
            closed = created + pd.Timedelta(days=90 if won else 3)
            rows.append(
                (
                    i,
                    str(created.date()),
                    "W" if won else "L",
                    None if won else "A",
                    str(closed.date()),
                    "x",
                )
            )
            i += 1
    for j in range(60):
        created = pd.Timestamp("2025-01-01") + pd.Timedelta(days=j % 50)
        still_open = j < 6
        closed = None if still_open else str((created + pd.Timedelta(days=3)).date())
        rows.append(
            (
                i,
                str(created.date()),
                "C" if still_open else "L",
                None if still_open else "A",
                closed,
                "x",
            )
        )
        i += 1
    return small_frame(rows)


# ---- the planner's small funnels ----

PLANNER_SPEC = Spec.from_yaml(
    """
columns: {deal: ID, stage: Этап, amount: Сумма, channel: Канал}
stages: [Новая, КП]
won: [Успех]
lost: [Отказ]
"""
)


def dated_deals(young_open: int = 60):
    """60 deals created in 2024, 12 won 10..21 days after creation (1000 each), 48 lost; plus
    ``young_open`` deals created in the last days of the data, still open."""
    rows = []
    for i in range(60):
        created = pd.Timestamp("2024-01-01") + pd.Timedelta(days=i)
        won = i % 5 == 0
        closed = created + pd.Timedelta(days=10 + i // 5) if won else created
        channel = "A" if i % 2 == 0 else "B"
        rows.append((channel, "Успех" if won else "Отказ", 1000.0, created, closed))
    for i in range(young_open):
        created = pd.Timestamp("2024-06-01") - pd.Timedelta(days=i % 5)
        rows.append(("A" if i % 2 == 0 else "B", "КП", 500.0, created, pd.NaT))
    out = pd.DataFrame(rows, columns=["Канал", "Этап", "Сумма", "Создана", "Закрыта"])
    out.insert(0, "ID", range(1, len(out) + 1))
    spec = dataclasses.replace(
        PLANNER_SPEC, columns={**PLANNER_SPEC.columns, "created": "Создана", "closed": "Закрыта"}
    )
    return prepare(out, spec)


MESSY_SPEC = Spec.from_yaml(
    """
columns: {deal: "№", title: Клиент, owner: Менеджер, channel: Канал, product: Продукт,
          amount: "Сумма, руб.", created: Дата создания, closed: Дата закрытия, status: Статус}
stages:
  - {name: Квалификация, column: "Дата: Квалификация"}
  - {name: КП отправлено, column: "Дата: КП отправлено"}
  - {name: Договор, column: "Дата: Договор"}
won: [Выиграна]
lost: [Проиграна]
"""
)
_MESSY_ROWS = """\
1;Сайт;100000;01.03.2025;01.03.2025;05.03.2025;15.03.2025;20.03.2025;Выиграна
2;Сайт;200000;02.03.2025;02.03.2025;08.03.2025;10.03.2025;24.03.2025;Выиграна
3;Сайт;150000;03.03.2025;03.03.2025;05.03.2025;;10.03.2025;Проиграна
4;Сайт;;04.03.2025;04.03.2025;12.03.2025;20.03.2025;22.03.2025;Выиграна
5;Звонок;50000;05.03.2025;05.03.2025;06.03.2025;16.03.2025;30.03.2025;Выиграна
6;Звонок;80000;06.03.2025;06.03.2025;;;10.03.2025;Проиграна
7;Звонок;120000;10.03.2025;10.03.2025;13.03.2025;;;В работе
8;Сайт;90000;01.04.2025;01.04.2025;20.04.2025;;;В работе
9;Сайт;60000;15.04.2025;15.04.2025;;;;В работе
10;Выставка;300000;01.04.2025;01.04.2025;;;;В работе
11;Выставка;250000;02.04.2025;02.04.2025;04.04.2025;;05.04.2025;Проиграна
12;Выставка;;03.04.2025;03.04.2025;;;06.04.2025;Проиграна"""


def messy_frame() -> pd.DataFrame:
    columns = ["№", "Канал", "Сумма, руб.", "Дата создания", "Дата: Квалификация"]
    columns += ["Дата: КП отправлено", "Дата: Договор", "Дата закрытия", "Статус"]
    rows = [line.split(";") for line in _MESSY_ROWS.splitlines()]
    out = pd.DataFrame(rows, columns=columns).replace("", None)
    out["Сумма, руб."] = pd.to_numeric(out["Сумма, руб."])
    for col in columns[3:8]:
        out[col] = pd.to_datetime(out[col], format="%d.%m.%Y")
    out["Клиент"] = [f"ООО {i}" for i in out["№"]]
    out["Менеджер"] = "Анна"
    out["Продукт"] = "Двери"
    return out


# ---- a stage-date register for velocity ----

D = pd.to_datetime

# Five won deals (A->B in 2,4,6,8,10 days, B->C 1 day, C->close 3 days), one lost at B, and
# four open ones: o1 at A since 20.01, o2 at B since 12.01, o3 at C since 05.02, o4 at A since
# 05.02. The latest date in the data is d6's close, 10.02.2025.
REGISTER = pd.DataFrame(
    {
        "№": ["d1", "d2", "d3", "d4", "d5", "d6", "o1", "o2", "o3", "o4"],
        "Клиент": [f"Client {i}" for i in range(10)],
        "Канал": ["Email"] * 3 + ["Звонки"] * 3 + ["Email"] + ["Звонки"] * 3,
        "Менеджер": ["Анна"] * 5 + ["Игорь"] * 5,
        "Сумма": [10.0, 20, 30, 40, 50, 60, 100, 300, 200, 1000],
        "A": D(
            [
                *["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05"],
                *["2025-01-06", "2025-01-20", "2025-01-10", "2025-01-15", "2025-02-05"],
            ]
        ),
        "B": D(
            [
                *["2025-01-03", "2025-01-06", "2025-01-09", "2025-01-12", "2025-01-15"],
                *["2025-01-26", None, "2025-01-12", "2025-01-16", None],
            ]
        ),
        "C": D(
            [
                *["2025-01-04", "2025-01-07", "2025-01-10", "2025-01-13", "2025-01-16"],
                *[None, None, None, "2025-02-05", None],
            ]
        ),
        "Закрыта": D(
            [
                *["2025-01-07", "2025-01-10", "2025-01-13", "2025-01-16", "2025-01-19"],
                *["2025-02-10", None, None, None, None],
            ]
        ),
        "Статус": ["Успех"] * 5 + ["Отказ"] + ["В работе"] * 4,
    }
)
REGISTER_SPEC = Spec.from_yaml(
    """
columns: {deal: "№", title: Клиент, channel: Канал, owner: Менеджер, amount: Сумма,
          closed: Закрыта, status: Статус}
stages:
  - {name: A, column: A}
  - {name: B, column: B}
  - {name: C, column: C}
won: [Успех]
lost: [Отказ]
"""
)


# ---- proportions and p-values for the statistics tests ----


@st.composite
def counts(draw, max_trials: int = 10_000) -> tuple[int, int]:
    """(successes, trials) with at least one trial."""
    trials = draw(st.integers(1, max_trials))
    return draw(st.integers(0, trials)), trials


def two_counts(max_trials: int = 10_000):
    """Two sides of a comparison, each (successes, trials)."""
    return st.tuples(counts(max_trials), counts(max_trials))


@st.composite
def p_values(draw, max_size: int = 40):
    """A 1-D float array of p-values in [0, 1], some of them nan (tests not run), ties allowed."""
    values = draw(
        st.lists(
            st.one_of(
                st.floats(0, 1),
                st.sampled_from([0.0, 0.01, 0.05, 1.0]),
                st.just(float("nan")),
            ),
            min_size=1,
            max_size=max_size,
        )
    )
    return np.array(values, dtype=np.float64)
