"""The spec's mapping applied to source columns: headers found, values typed, stage values coded.

Shared by the deal-row layouts (prepare.py) and the stage history (history.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from funnel.deals import LOST, LOST_UNKNOWN, WON, Encoded
from funnel.errors import SpecError
from funnel.notices import Notice
from funnel.spec import SEGMENT_ROLES, Spec
from funnel.values import encode_picked, norm_label, parse_dates, parse_numbers


def suggest(header: str, columns: Sequence[str]) -> list[str]:
    key = norm_label(header)
    near = [c for c in columns if key and (key in norm_label(c) or norm_label(c) in key)]
    near += difflib.get_close_matches(header, list(columns), n=3, cutoff=0.5)
    return list(dict.fromkeys(c for c in near if norm_label(c)))[:3]


def column(frame: pd.DataFrame, header: str, role: str, source: str) -> pd.Series:
    if header in frame.columns:
        return frame[header]
    close = suggest(header, [str(c) for c in frame.columns])
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise SpecError(
        f"the spec names column {header!r} for {role!r}, but the data has no such column{hint}",
        code="missing_column",
        file=source,
        column=header,
        expected="one of the source headers",
        params={"role": role, "suggestions": close},
    )


def align_headers(frame: pd.DataFrame, headers: Sequence[str]) -> pd.DataFrame:
    """Rename columns that differ from the spec only in spacing or case ("Бюджет" vs "Бюджет ").

    A file re-saved by hand often loses a trailing space; that must not break a saved spec.
    """
    present = set(map(str, frame.columns))
    by_key: dict[str, list[str]] = {}
    for c in present:
        by_key.setdefault(norm_label(c), []).append(c)
    renames = {}
    for h in headers:
        if h not in present and len(found := by_key.get(norm_label(h), [])) == 1:
            renames[found[0]] = h
    return frame.rename(columns=renames) if renames else frame


def as_dates(series: pd.Series) -> np.ndarray:
    if not pd.api.types.is_datetime64_any_dtype(series):
        series = parse_dates(series)
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_localize(None)
    return series.to_numpy(dtype="datetime64[ns]")


def as_numbers(series: pd.Series) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(series):
        series = parse_numbers(series)
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


class StageMap:
    """Source values -> stage index, or won / lost / unknown, compared by normalised label."""

    UNMAPPED = -1
    WON_CODE = -2
    LOST_CODE = -3

    def __init__(self, spec: Spec) -> None:
        self.index: dict[str, int] = {}
        for i, stage in enumerate(spec.stages):
            for value in stage.match:
                self.index.setdefault(norm_label(value), i)
        self.won = {norm_label(v) for v in spec.won}
        self.lost = {norm_label(v) for v in spec.lost}

    def _code(self, key: str) -> int:
        if key in self.won:
            return self.WON_CODE
        if key in self.lost:
            return self.LOST_CODE
        return self.index.get(key, self.UNMAPPED)

    def codes(self, series: pd.Series) -> StageCodes:
        """Vectorised over the distinct values of ``series``."""
        raw, uniques = pd.factorize(series, use_na_sentinel=True)
        keys = [norm_label(u) for u in uniques]
        table = np.array([self._code(k) for k in keys] + [self.UNMAPPED], dtype=np.int16)
        counts = np.bincount(raw[raw >= 0], minlength=len(uniques))
        unmapped = {
            str(u).strip(): int(counts[i])
            for i, u in enumerate(uniques)
            if table[i] == self.UNMAPPED and str(u).strip()
        }
        missing = int((raw < 0).sum()) + sum(
            int(counts[i]) for i, u in enumerate(uniques) if not str(u).strip()
        )
        if missing:
            unmapped[""] = missing
        return StageCodes(table[raw], unmapped, set(keys))


class StageCodes(NamedTuple):
    codes: np.ndarray  # stage index, or WON_CODE / LOST_CODE / UNMAPPED
    unmapped: dict[str, int]  # values in no stage, won or lost, with their counts ("" = empty)
    seen: set[str]  # normalised values present


def _id_text(value: object) -> object:
    """A join key's cell as the sheet shows it: a whole number without its ".0".

    The same deal id reaches us as 1042.0 (a number cell: Excel stores every number as a
    float, and a CSV column of digits is typed as numbers) or as "1042" (a text cell, or a
    column kept as text because some ids are not numbers; fastexcel writes a number in a text
    column as "1042" too). So a whole number is written as an integer; a real decimal (12.5)
    stays as it is. Text is never rewritten: "001" stays "001", because where an export keeps
    leading zeros they are part of the id (1C codes, order numbers), and a number that lost
    them (Excel turned "001" into 1) cannot be told apart from the id 1 of another system. Such
    rows are not joined, and the join's notices count them.
    """
    if isinstance(value, float | np.floating) and np.isfinite(value):
        number = float(value)
        if number.is_integer():
            return int(number)
    return value


def norm_keys(series: pd.Series) -> np.ndarray:
    """The join key of every value: ``norm_label`` of its text, whole numbers written as
    integers (see :func:`_id_text`), None when blank; computed once per distinct value.

    >>> norm_keys(pd.Series([1042.0, " 1042", 12.5, "001", None], dtype=object)).tolist()
    ['1042', '1042', '12.5', '001', None]
    """
    raw, found = pd.factorize(series, use_na_sentinel=True)
    uniques = np.asarray(found, dtype=object)
    keys = np.empty(len(uniques) + 1, dtype=object)  # the last stays None: blanks
    todo = np.ones(len(uniques), dtype=bool)
    if len(uniques) and pd.api.types.infer_dtype(uniques, skipna=False) == "string":
        # CRM ids are mostly plain codes ("1042", "A-17", "lead_5"): their key is their lower
        # case, computed by Arrow; the other texts take norm_label one by one.
        text = pa.array(uniques, type=pa.string())
        plain = pc.match_substring_regex(text, r"^[0-9A-Za-z_.\-]+$").to_numpy(zero_copy_only=False)
        keys[:-1][plain] = pc.ascii_lower(text.filter(plain)).to_numpy(zero_copy_only=False)
        todo = ~plain
    for i in np.flatnonzero(todo):
        keys[i] = norm_label(_id_text(uniques[i])) or None
    return keys[raw]


def segments(frame: pd.DataFrame, spec: Spec, rows: np.ndarray) -> dict[str, Encoded]:
    out: dict[str, Encoded] = {}
    for role in (*SEGMENT_ROLES, "loss_reason"):
        header = spec.columns.get(role)
        if header is None:
            continue
        out[role] = encode_picked(frame[header], rows)
    return out


def lost_unknown_notice(count: int, total_lost: int) -> Notice:
    return Notice("lost_stage_unknown", {"count": count, "lost": total_lost})


def unmapped_notice(unmapped: Mapping[str, int], rows: Literal["deals", "history"]) -> Notice:
    """Stage values no stage, won or lost names; ``rows`` says what was counted: "deals" or
    "history" (rows of the stage history)."""
    total = sum(unmapped.values())
    return Notice("unmapped_stage", {"count": total, "values": dict(unmapped), "rows": rows})


def never_seen(spec: Spec, seen: set[str]) -> Notice | None:
    missing = [v for s in spec.stages if not s.column for v in s.match if norm_label(v) not in seen]
    missing += [v for v in (*spec.won, *spec.lost) if norm_label(v) not in seen]
    if not missing:
        return None
    return Notice("stage_value_absent", {"values": missing})


def settle(furthest: np.ndarray, outcome: np.ndarray, n_stages: int) -> None:
    """In place: a won deal reached every stage; a lost one of unknown stage counts at the first."""
    furthest[outcome == WON] = n_stages - 1
    unknown = (outcome == LOST) & (furthest < 0)
    outcome[unknown] = LOST_UNKNOWN
    furthest[unknown] = 0


def deal_columns(
    frame: pd.DataFrame,
    spec: Spec,
    rows: np.ndarray,
    furthest: np.ndarray,
    outcome: np.ndarray,
    entered: np.ndarray | None,
) -> dict:
    cols = spec.columns

    def pick(values: np.ndarray, fill: object) -> np.ndarray:
        if len(values) == 0:
            return np.full(len(rows), fill, dtype=values.dtype)
        out = values[np.clip(rows, 0, None)]
        if (rows < 0).any():
            out = out.copy()
            out[rows < 0] = fill
        return out

    amount = (
        pick(as_numbers(frame[cols["amount"]]), np.nan)
        if "amount" in cols
        else np.full(len(rows), np.nan)
    )
    created = (
        pick(as_dates(frame[cols["created"]]), np.datetime64("NaT")) if "created" in cols else None
    )
    closed = (
        pick(as_dates(frame[cols["closed"]]), np.datetime64("NaT")) if "closed" in cols else None
    )
    if closed is None and ("won_at" in cols or "lost_at" in cols):
        # No closing date: the day it was won, else the day it was lost.
        blank = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
        won_at = as_dates(frame[cols["won_at"]]) if "won_at" in cols else blank
        lost_at = as_dates(frame[cols["lost_at"]]) if "lost_at" in cols else blank
        closed = pick(np.where(np.isnat(won_at), lost_at, won_at), np.datetime64("NaT"))
    if created is None and entered is not None:
        # The first stage's date is when the deal came in, when the source has no creation date.
        ints = entered.view(np.int64)
        nat, never = np.iinfo(np.int64).min, np.iinfo(np.int64).max
        first = np.where(ints == nat, never, ints).min(axis=1)
        created = np.where(first == never, nat, first).view("datetime64[ns]")
    currency = None
    if "currency" in cols:
        currency = encode_picked(frame[cols["currency"]], rows)
    return {
        "furthest": furthest.astype(np.int16),
        "outcome": outcome.astype(np.int8),
        "amount": amount.astype(np.float64),
        "currency": currency,
        "created": created,
        "closed": closed,
        "entered": entered,
        "segments": segments(frame, spec, rows),
        "source": frame,
        "rows": rows,
    }
