"""Evidence read from the values: runs of stage dates, and ordering by the strongest evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from funnel.detect.evidence import Tier, date_chain, order_labels

DAY = pd.Timedelta(days=1)


def _dated(furthest: list[int], names: list[str], *, skip: set[tuple[int, int]] = frozenset()):
    """One row per deal: stage k's date filled when the deal reached it (k <= furthest)."""
    start = pd.Timestamp("2025-02-03")
    cols: dict[str, list] = {name: [] for name in names}
    for i, f in enumerate(furthest):
        for k, name in enumerate(names):
            reached = k <= f and (i, k) not in skip
            cols[name].append(start + (i + 2 * k) * DAY if reached else pd.NaT)
    return pd.DataFrame(cols)


def test_a_run_of_bare_named_date_columns_is_found_in_any_column_order() -> None:
    names = ["Квалификация", "Дата заявки", "Счёт", "Встреча", "КП"]
    order = ["Дата заявки", "Квалификация", "Встреча", "КП", "Счёт"]
    frame = _dated([0, 1, 2, 3, 4, 4, 2, 1, 0, 3], order)[names]
    assert date_chain(frame, names) == order


def test_a_run_survives_cells_never_typed_in() -> None:
    names = ["A", "B", "C", "D"]
    furthest = [3] * 20 + [2] * 10 + [1] * 10 + [0] * 10
    frame = _dated(furthest, names, skip={(0, 1)})  # one deal skipped B but reached D
    assert date_chain(frame, names) == names


def test_unrelated_dates_make_no_run() -> None:
    rng = np.random.default_rng(0)
    when = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 90, 60), unit="D")
    frame = pd.DataFrame(
        {
            "Создана": when,
            # a date that is filled at random, after or before the first: no stage
            "Последний звонок": np.where(
                rng.random(60) < 0.5, when + pd.to_timedelta(rng.integers(-30, 30, 60), "D"), None
            ).astype("datetime64[ns]"),
        }
    )
    assert date_chain(frame, ["Создана", "Последний звонок"]) == []


@pytest.mark.parametrize(
    ("tiers", "counts", "keys", "steps"),
    [
        # the first tier decides all
        ([Tier("date_fill", {"a": 0.0, "b": 1.0, "c": 2.0}, 0.25)], {"a": 1, "b": 1, "c": 1},
         ("a", "b", "c"), ("date_fill", "date_fill")),
        # a tie on the first tier goes to the second
        ([Tier("date_fill", {"a": 0.0, "b": 0.1, "c": 2.0}, 0.25),
          Tier("lexicon", {"a": 3.0, "b": 1.0, "c": 0.0}, 0.05)], {"a": 1, "b": 1, "c": 1},
         ("b", "a", "c"), ("lexicon", "date_fill")),
        # what no tier places goes last, most deals first, and that is a guess
        ([Tier("lexicon", {"a": 1.0, "b": 2.0}, 0.05)], {"a": 1, "b": 1, "x": 2, "y": 9},
         ("a", "b", "y", "x"), ("lexicon", "frequency", "frequency")),
    ],
)  # fmt: skip
def test_order_labels(tiers, counts, keys, steps) -> None:
    order = order_labels(list(counts), tiers, counts.__getitem__)
    assert order.keys == keys
    assert order.steps == steps


def test_the_basis_is_the_strongest_evidence_used() -> None:
    tiers = [
        Tier("date_fill", {"a": 0.0, "b": 0.0, "c": 1.0}, 0.25),
        Tier("lexicon", {"a": 0.0, "b": 1.0, "c": 2.0}, 0.05),
    ]
    order = order_labels(["c", "b", "a"], tiers, lambda k: 1)
    assert order.keys == ("a", "b", "c")
    assert order.basis == "date_fill"
    assert not order.guess
