"""Stage editor rows back to stages, and the edits that cannot work, as problem codes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from funnel.spec import Stage
from funnel.spec_edit import (
    cell_text,
    check_edit,
    date_like_columns,
    proposed_rows,
    rows_to_stages,
    stage_rows,
)

NAN = float("nan")


def rows(*items: tuple) -> pd.DataFrame:
    """(order, name, match, group, column, on) tuples as the editor returns them."""
    return pd.DataFrame(items, columns=["order", "name", "match", "group", "column", "on"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (NAN, ""), (pd.NA, ""), (pd.NaT, ""), ("  x ", "x"), (2.0, "2"), ("nan", "nan")],
)
def test_empty_cells_are_empty(value, expected):
    assert cell_text(value) == expected


def test_round_trip_keeps_stages_and_empty_cells_empty():
    stages = (
        Stage("Lead"),
        Stage("Deal", match=("Deal", "Сделка"), group="Sales"),
        Stage("Paid", column="paid_at"),
    )
    table = stage_rows(stages)
    assert table["column"].tolist()[:2] == [None, None]
    assert rows_to_stages(table) == stages


@pytest.mark.parametrize(
    ("edited", "names"),
    [
        # a new row with no number goes last; its empty cells stay empty
        (rows((1, "A", None, None, None, True), (NAN, "B", NAN, NAN, NAN, NAN)), ["A", "B"]),
        # reordered by number
        (rows((2, "A", "", "", "", True), (1, "B", "", "", "", True)), ["B", "A"]),
        # a row given another's number takes its place: moved up before it, down after it
        (
            rows(
                (1, "A", "", "", "", True), (2, "B", "", "", "", True), (2, "C", "", "", "", True)
            ),
            ["A", "C", "B"],
        ),
        (
            rows(
                (2, "A", "", "", "", True), (2, "B", "", "", "", True), (3, "C", "", "", "", True)
            ),
            ["B", "A", "C"],
        ),
        # switched off and blank rows are left out
        (
            rows(
                (1, "A", "", "", "", False),
                (2, "B", "", "", "", True),
                (3, None, None, None, None, True),
            ),
            ["B"],
        ),
    ],
)
def test_rows_to_stages(edited, names):
    stages = rows_to_stages(edited)
    assert [s.name for s in stages] == names
    assert all(s.column is None and s.group is None for s in stages)
    assert all("nan" not in s.match for s in stages)


def test_merge_lists_values():
    stages = rows_to_stages(rows((1, "Talks", "Meeting, Call , Meeting", "", "", True)))
    assert stages[0].match == ("Meeting", "Call")


@pytest.mark.parametrize(
    ("edited", "won", "lost", "expected"),
    [
        (
            rows((1, "A", "", "", "d1", True), (2, "B", "", "", "d1", True)),
            (),
            (),
            [
                (
                    "date_column_twice",
                    2,
                    {"column": "d1", "name": "B", "first": 1, "first_name": "A"},
                )
            ],
        ),
        (
            rows((1, "A", "", "", "", True), (2, "B", "Won", "", "", True)),
            ("won",),
            (),
            [("outcome_is_stage", 2, {"value": "won", "name": "B", "outcome": "won"})],
        ),
        (
            rows((1, "A", "", "", "", True), (2, "a", "", "", "", True)),
            (),
            (),
            [("stage_name_twice", 2, {"name": "a", "first": 1})],
        ),
        (
            rows((1, "A", "", "", "", True), (2, None, "x", "", "", True)),
            (),
            (),
            [("stage_no_name", 2, {})],
        ),
        (
            rows((1, "A", "x, y", "", "", True), (2, "B", "Y", "", "", True)),
            (),
            (),
            [("value_twice", 2, {"value": "Y", "name": "B", "first": 1, "first_name": "A"})],
        ),
        (
            rows((1, "A", "", "", "", True)),
            ("W",),
            ("w",),
            [("won_and_lost", None, {"value": "W"})],
        ),
        (rows((1, "A", "", "", "", False)), (), (), [("no_stages", None, {})]),
        # a switched-off row conflicts with nothing
        (rows((1, "A", "", "", "d1", True), (2, "A", "", "", "d1", False)), (), (), []),
        (rows((1, "A", "", "", "", True), (2, None, None, None, None, True)), (), (), []),
    ],
)
def test_check_edit(edited, won, lost, expected):
    found = [(p.code, p.row, p.params) for p in check_edit(edited, won=won, lost=lost)]
    assert found == expected


def test_check_edit_knows_the_headers_and_the_stage_source():
    edited = rows((1, "A", "", "", "missing", True))
    codes = [p.code for p in check_edit(edited, columns={}, headers=["x"])]
    assert codes == ["date_column_unknown", "no_stage_source"]
    assert check_edit(rows((1, "A", "", "", "x", True)), columns={}, headers=["x"]) == []
    assert check_edit(rows((1, "A", "", "", "", True)), columns={"stage": "s"}) == []


def test_proposed_rows_from_a_stage_column_and_date_columns():
    frame = pd.DataFrame({"s": ["b", "a", "a", "won", None], "d": ["2025-01-01"] * 5})
    table = proposed_rows(frame, stage_column="s", date_columns=["d"], outcomes=["WON"])
    assert table["name"].tolist() == ["a", "b", "d"]
    assert table["column"].tolist() == [None, None, "d"]
    assert not any(isinstance(v, float) and math.isnan(v) for v in table["match"])


def test_date_like_columns():
    frame = pd.DataFrame(
        {
            "when": ["01.02.2025", "03.02.2025", None],
            "typed": pd.to_datetime(["2025-01-01", None, "2025-02-01"]),
            "amount": [100, 200, 300],
            "word": ["alpha", "beta", "gamma"],
        }
    )
    assert date_like_columns(frame) == ["when", "typed"]


def test_moving_a_stage_keeps_every_cell_and_numbers_rows_again():
    from funnel.spec_edit import move_row

    edited = rows(
        (1, "Lead", "Лид", "", None, True),
        (2, "Talks", "", "Sales", "talks_at", True),
        (3, "Old", "", "", None, False),  # switched off: follows "Talks"
        (NAN, "New", NAN, NAN, NAN, NAN),  # added: last
    )
    assert move_row(edited, "New", -1)["name"].tolist() == ["Lead", "Talks", "New", "Old"]
    moved = move_row(move_row(edited, "New", -1), "New", -1)
    assert moved["name"].tolist() == ["Lead", "New", "Talks", "Old"]
    assert moved["order"].tolist() == [1, 2, 3, 4]
    talks = moved.set_index("name").loc["Talks"]
    assert (talks["group"], talks["column"]) == ("Sales", "talks_at")
    assert [s.name for s in rows_to_stages(moved)] == ["Lead", "New", "Talks"]
    # past either end: unchanged; an unknown name: unchanged
    assert move_row(edited, "Lead", -1)["name"].tolist()[0] == "Lead"
    assert move_row(edited, "Nope", 1)["name"].tolist() == ["Lead", "Talks", "Old", "New"]
