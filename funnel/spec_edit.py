"""Edits of a spec made in a table (the app's stage editor): rows back to stages, and what in
them cannot work, as problem codes with the row they are about.

The editor's rows are plain cells: an empty cell may come back as None, NaN or "" and must stay
empty (never the text "nan"). Rows are numbered 1, 2, ... as the table shows them.

>>> rows = pd.DataFrame({"order": [2, 1], "name": ["Paid", "Lead"], "match": ["", None],
...                      "group": [None, ""], "column": [None, float("nan")], "on": [True, True]})
>>> [s.name for s in rows_to_stages(rows)]
['Lead', 'Paid']
>>> check_edit(rows, won=("Lead",), lost=())[0].code
'outcome_is_stage'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from funnel.spec import Stage
from funnel.values import labels_by_count, norm_label, parse_dates

STAGE_COLUMNS = ("order", "name", "match", "group", "column", "on")
# A column is date-like when at least this share of its sampled non-empty cells read as dates.
DATE_SHARE = 0.6
DATE_SAMPLE = 500


@dataclass(frozen=True)
class Problem:
    """One thing in an edit that cannot work: a stable ``code``, the 1-based ``row`` of the
    editor it is about (None: the edit as a whole) and the names a message needs."""

    code: str
    row: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


def cell_text(value: object) -> str:
    """A cell as stripped text; None, NaN and NaT are empty.

    >>> cell_text(float("nan")), cell_text(None), cell_text(" a "), cell_text(3.0)
    ('', '', 'a', '3')
    """
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if value is pd.NA or (isinstance(value, pd.Timestamp | float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    # numpy's NaN and NaT scalars print as such; they are empty cells too
    return "" if text in ("nan", "NaT") and not isinstance(value, str) else text


def _on(value: object) -> bool:
    """An unticked box is False; an empty one (a row added before the default applied) is on."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return bool(value)


def _values(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))


@dataclass(frozen=True)
class _Row:
    number: int  # as the table shows it, 1-based
    order: float
    name: str
    match: tuple[str, ...]
    group: str
    column: str
    on: bool

    @property
    def blank(self) -> bool:
        return not (self.name or self.match or self.group or self.column)


def _rows(rows: pd.DataFrame) -> list[_Row]:
    out = []
    for i, (_, row) in enumerate(rows.iterrows(), 1):
        order = pd.to_numeric(pd.Series([row.get("order")]), errors="coerce").iloc[0]
        out.append(
            _Row(
                number=i,
                order=float(order) if not pd.isna(order) else math.inf,
                name=cell_text(row.get("name")),
                match=_values(cell_text(row.get("match"))),
                group=cell_text(row.get("group")),
                column=cell_text(row.get("column")),
                on=_on(row.get("on")),
            )
        )
    return out


def _kept(rows: pd.DataFrame) -> list[_Row]:
    """Rows that become stages, in funnel order: sorted by their number.

    The table starts numbered 1, 2, ...; a row given the number another row has takes its place:
    moved up (or added) it goes before that row, moved down after it. Rows with no number go
    last, in table order."""

    def place(r: _Row) -> tuple[float, int, int]:
        moved = 0 if r.order == r.number else (-1 if r.order < r.number else 1)
        return (r.order, moved, r.number)

    return sorted((r for r in _rows(rows) if r.on and r.name), key=place)


def rows_to_stages(rows: pd.DataFrame) -> tuple[Stage, ...]:
    """Edited rows back to stages: by order number, switched-off and blank rows left out."""
    return tuple(
        Stage(
            name=r.name,
            match=r.match or (r.name,),
            group=r.group or None,
            column=r.column or None,
        )
        for r in _kept(rows)
    )


def in_funnel_order(rows: pd.DataFrame) -> pd.DataFrame:
    """The edited rows sorted as they would become stages, numbered 1, 2, ... again.

    A switched-off or unnamed row follows the kept rows above it in the table, so that sorting
    never hides a row a person is still filling in.

    >>> edited = pd.DataFrame({"order": [2, 1, None], "name": ["Paid", "Lead", ""],
    ...                        "match": "", "group": "", "column": None, "on": True})
    >>> in_funnel_order(edited)[["order", "name"]].values.tolist()
    [[1, 'Lead'], [2, 'Paid'], [3, '']]
    """
    parsed = _rows(rows)
    kept = _kept(rows)
    place = {r.number: i for i, r in enumerate(kept)}
    keys: list[tuple[float, int]] = []
    last = -1.0
    for r in parsed:
        if r.number in place:
            last = max(last, float(place[r.number]))
            keys.append((float(place[r.number]), 0))
        else:
            keys.append((last, r.number))  # after every kept row above it in the table
    ordered = rows.iloc[sorted(range(len(parsed)), key=lambda i: keys[i])].reset_index(drop=True)
    ordered["order"] = pd.Series(range(1, len(ordered) + 1), dtype="int64")
    return ordered


def move_row(rows: pd.DataFrame, name: str, step: int) -> pd.DataFrame:
    """The rows in funnel order with the stage ``name`` moved ``step`` places (-1: one up,
    towards the first stage; 1: one down), numbered again. Moving past either end stops there.

    >>> edited = stage_rows([Stage("Lead"), Stage("Talks"), Stage("Paid")])
    >>> move_row(edited, "Paid", -1)["name"].tolist()
    ['Lead', 'Paid', 'Talks']
    >>> move_row(edited, "Lead", -1)["name"].tolist()
    ['Lead', 'Talks', 'Paid']
    """
    ordered = in_funnel_order(rows)
    names = [cell_text(n) for n in ordered["name"]]
    if name not in names:
        return ordered
    i = names.index(name)
    j = min(max(i + step, 0), len(ordered) - 1)
    if i == j:
        return ordered
    index = list(range(len(ordered)))
    index.insert(j, index.pop(i))
    moved = ordered.iloc[index].reset_index(drop=True)
    moved["order"] = pd.Series(range(1, len(moved) + 1), dtype="int64")
    return moved


def stage_rows(stages: Sequence[Stage]) -> pd.DataFrame:
    """Stages as editable rows: match values comma-separated, empty cells None."""

    def text(values: list[str | None]) -> pd.Series:
        # object, not pandas' str dtype: that would turn an empty cell (None) into NaN
        return pd.Series(values, dtype=object)

    return pd.DataFrame(
        {
            "order": pd.Series(range(1, len(stages) + 1), dtype="int64"),
            "name": text([s.name for s in stages]),
            # the values always, so that renaming a stage keeps the rows it counts
            "match": text([", ".join(s.match) for s in stages]),
            "group": text([s.group for s in stages]),
            "column": text([s.column for s in stages]),
            "on": pd.Series([True] * len(stages), dtype=bool),
        },
        columns=list(STAGE_COLUMNS),
    )


def proposed_rows(
    frame: pd.DataFrame,
    *,
    stage_column: str | None = None,
    date_columns: Iterable[str] = (),
    outcomes: Iterable[str] = (),
) -> pd.DataFrame:
    """Rows to start a mapping from when none was found: one stage per value of
    ``stage_column`` (most deals first, ``outcomes`` left out) and one per date column."""
    skip = {norm_label(v) for v in outcomes}
    stages: list[Stage] = []
    if stage_column and stage_column in frame.columns:
        stages += [
            Stage(name=v) for v in labels_by_count(frame[stage_column]) if norm_label(v) not in skip
        ]
    names = {s.name for s in stages}
    for col in date_columns:
        name = col if col not in names else f"{col} ({len(stages) + 1})"
        stages.append(Stage(name=name, column=col))
    return stage_rows(stages)


def date_like_columns(frame: pd.DataFrame) -> list[str]:
    """Headers of the columns whose values read as dates (a sample of them), in table order."""
    out = []
    for col in frame.columns:
        values = frame[col].dropna()
        if values.empty:
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            out.append(str(col))
            continue
        if pd.api.types.is_bool_dtype(values):
            continue
        sample = values.head(DATE_SAMPLE)
        if pd.api.types.is_numeric_dtype(sample):
            continue  # numbers (amounts, IDs) read as Excel serials too; typed dates are dates
        parsed = parse_dates(sample.astype(str))
        if parsed.notna().mean() >= DATE_SHARE:
            out.append(str(col))
    return out


def check_edit(
    rows: pd.DataFrame,
    *,
    won: Sequence[str] = (),
    lost: Sequence[str] = (),
    columns: Mapping[str, str] | None = None,
    headers: Sequence[str] | None = None,
    events: bool = False,
) -> list[Problem]:
    """What in the edited stage rows, won/lost values and column roles cannot work.

    Codes (params):
      - ``stage_no_name`` (row): a row with cells filled but no stage name;
      - ``stage_name_twice`` (row, name, first): a stage name used by an earlier row too;
      - ``value_twice`` (row, value, name, first, first_name): a source value in two stages;
      - ``date_column_twice`` (row, column, name, first, first_name): two stages, one date column;
      - ``date_column_unknown`` (row, column, name): a date column the data does not have;
      - ``outcome_is_stage`` (row, value, name, outcome): a won/lost value is a stage's value;
      - ``won_and_lost`` (value): one value marked both won and lost;
      - ``no_stages``: nothing would be left of the funnel;
      - ``no_stage_source``: stages, but neither a stage/status column, any date column nor
        a second file of stage events (``events``) saying which deal reached them.
    Problems come in row order; an edit with none can be applied.
    """
    problems: list[Problem] = []
    all_rows = _rows(rows)
    for r in all_rows:
        if not r.name and not r.blank:
            problems.append(Problem("stage_no_name", r.number))
    live = [r for r in all_rows if r.on and r.name]
    names: dict[str, _Row] = {}
    values: dict[str, tuple[_Row, str]] = {}
    dated: dict[str, _Row] = {}
    known = set(headers) if headers is not None else None
    for r in live:
        key = r.name.casefold()
        if key in names:
            first = names[key]
            problems.append(
                Problem("stage_name_twice", r.number, {"name": r.name, "first": first.number})
            )
        else:
            names[key] = r
        for value in r.match or (r.name,):
            v = norm_label(value)
            if (
                v in values
                and values[v][0].number != r.number
                and values[v][0].name.casefold() != key
            ):
                first, _ = values[v]
                problems.append(
                    Problem(
                        "value_twice",
                        r.number,
                        {
                            "value": value,
                            "name": r.name,
                            "first": first.number,
                            "first_name": first.name,
                        },
                    )
                )
            else:
                values.setdefault(v, (r, value))
        if r.column:
            if known is not None and r.column not in known:
                problems.append(
                    Problem("date_column_unknown", r.number, {"column": r.column, "name": r.name})
                )
            elif r.column in dated:
                first = dated[r.column]
                problems.append(
                    Problem(
                        "date_column_twice",
                        r.number,
                        {
                            "column": r.column,
                            "name": r.name,
                            "first": first.number,
                            "first_name": first.name,
                        },
                    )
                )
            else:
                dated[r.column] = r
    for outcome, chosen in (("won", won), ("lost", lost)):
        for value in chosen:
            hit = values.get(norm_label(value))
            if hit is not None:
                r, _ = hit
                problems.append(
                    Problem(
                        "outcome_is_stage",
                        r.number,
                        {"value": value, "name": r.name, "outcome": outcome},
                    )
                )
    lost_keys = {norm_label(v) for v in lost}
    for value in won:
        if norm_label(value) in lost_keys:
            problems.append(Problem("won_and_lost", None, {"value": value}))
    if not live:
        problems.append(Problem("no_stages"))
    elif columns is not None and not (
        {"stage", "status"} & set(columns) or dated or "at" in columns or events
    ):
        problems.append(Problem("no_stage_source"))
    return sorted(problems, key=lambda p: (p.row is None, p.row or 0))
