"""Apply a spec to a source frame: one row per deal with its furthest stage and outcome as codes.

Stage labels become ordered integer codes here, once, so every later breakdown is a bincount.

Definitions (the same in docs/metrics.md):

- A deal's *furthest stage* is the latest stage it is known to have reached. A won deal reached
  every stage. A skipped stage counts as reached when a later one is.
- A lost deal's furthest stage is its stage at loss: from the ``lost_stage`` column, the stage
  dates, the stage history, or the stage it kept when its status became lost (Pipedrive). Where
  the source cannot tell (an amoCRM snapshot shows a lost deal only as lost), the deal counts for
  the first stage only and is flagged ``lost_stage_unknown``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from funnel.deals import LOST, LOST_UNKNOWN, OPEN, WON, Deals
from funnel.errors import SpecError
from funnel.history import from_history
from funnel.mapping import (
    StageMap,
    align_headers,
    as_dates,
    column,
    deal_columns,
    lost_unknown_notice,
    never_seen,
    norm_keys,
    settle,
    unmapped_notice,
)
from funnel.notices import Notice
from funnel.spec import Spec
from funnel.spec_edit import cell_text
from funnel.values import norm_label


def _apply_filter(frame: pd.DataFrame, spec: Spec, source: str) -> tuple[pd.DataFrame, int]:
    if not spec.filter:
        return frame, 0
    keep = np.ones(len(frame), dtype=bool)
    for role, values in spec.filter.items():
        header = spec.columns.get(role, role)
        col = column(frame, header, role, source)
        wanted = {norm_label(v) for v in values}
        raw, uniques = pd.factorize(col, use_na_sentinel=True)
        ok = np.array([norm_label(u) in wanted for u in uniques] + [False], dtype=bool)
        keep &= ok[raw]
    return frame[keep], int((~keep).sum())


def prepare(
    frame: pd.DataFrame,
    spec: Spec,
    *,
    events: pd.DataFrame | None = None,
    source: str = "data",
) -> Deals:
    """Turn a source frame (and an optional stage history) into :class:`Deals` under ``spec``.

    Raises :class:`SpecError` when the spec has no stages or names a column the data lacks.
    Everything else that a person should know (unmapped stage values, lost deals of unknown
    stage, spec values that never occur) comes back as notices.
    """
    if not spec.stages:
        raise SpecError(
            "the mapping has no funnel stages",
            code="no_stages",
            file=source,
            expected="a stage or status column, or one date column per stage",
        )
    frame = align_headers(
        frame, [*spec.columns.values(), *(s.column for s in spec.stages if s.column)]
    )
    if events is not None and spec.events is not None:
        events = align_headers(events, list(spec.events.columns.values()))
    if spec.events is not None and spec.events.stage is not None and events is None:
        raise SpecError(
            "the spec joins a second file ('events') but none was given",
            code="events_missing",
            file=source,
            expected="--events FILE",
        )
    for role, header in spec.columns.items():
        column(frame, header, role, source)
    for stage in spec.stages:
        if stage.column:
            column(frame, stage.column, f"date of stage {stage.name}", source)
    frame, filtered_out = _apply_filter(frame, spec, source)
    notices: list[Notice] = []
    stats = {"source_rows": len(frame) + filtered_out, "filtered_out": filtered_out}
    if filtered_out:
        notices.append(
            Notice(
                "filtered_out",
                {"count": filtered_out, "filter": {k: list(v) for k, v in spec.filter.items()}},
            )
        )
    if spec.layout == "history":
        built = from_history(frame, spec, events, source, notices)
    else:
        marks = _marks(frame, spec, events, notices) if events is not None else None
        built = _from_deal_rows(frame, spec, source, notices, marks)
    stats.update(built.pop("stats"))
    if (absurd := _absurd_amounts(frame, spec, built)) is not None:
        notices.append(absurd)
    return Deals(
        spec=spec,
        stages=spec.stage_names,
        stage_groups=tuple(s.group or s.name for s in spec.stages),
        notices=tuple(notices),
        stats=stats,
        **built,
    )


# No deal is worth a quadrillion: an amount this large (or infinite) is a typo, a unit or a
# hostile file, and every money sum that includes it is meaningless.
ABSURD_AMOUNT = 1e15
SHOWN_ROWS = 5


def _absurd_amounts(frame: pd.DataFrame, spec: Spec, built: dict) -> Notice | None:
    """A notice naming the rows (1-based, in the data) whose amount is absurd, and their deal
    IDs where the file has them; None when there are none."""
    amount = np.asarray(built["amount"], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(amount) & ~(np.abs(amount) < ABSURD_AMOUNT)
    if not bad.any():
        return None
    positions = np.asarray(built["rows"])[bad]
    positions = positions[positions >= 0][:SHOWN_ROWS]
    params: dict = {"count": int(bad.sum()), "row_numbers": [int(p) + 1 for p in positions]}
    if "deal" in spec.columns and spec.columns["deal"] in frame.columns:
        ids = frame[spec.columns["deal"]].iloc[positions]
        params["deal_ids"] = [cell_text(v) for v in ids]  # 17, not 17.0
    return Notice("absurd_amounts", params)


class _Marks(NamedTuple):
    code: int  # the stage index every row of the second file marks, or WON_CODE / LOST_CODE
    marked: np.ndarray  # bool per deal-list row
    when: np.ndarray  # datetime64[ns] per deal-list row: the earliest mark's date


def _marks(
    frame: pd.DataFrame, spec: Spec, events: pd.DataFrame, notices: list[Notice]
) -> _Marks | None:
    """The second file's rows (each marking one stage) joined to the deal list on its key."""
    ev = spec.events
    if ev is None or ev.stage is None:
        return None
    code = StageMap(spec)._code(norm_label(ev.stage))
    if code == StageMap.UNMAPPED:
        raise SpecError(
            f"'events.stage' is {ev.stage!r}, which is no stage, won or lost value",
            code="spec_events",
            file="spec",
            expected="a stage name, or a value listed in won / lost",
        )
    join = ev.join
    if join not in ev.columns or join not in spec.columns:
        raise SpecError(
            f"'events.join' is {join!r}: both 'columns' and 'events.columns' must name it",
            code="spec_events",
            file="spec",
        )
    key_col = column(events, ev.columns[join], f"events.{join}", "events")
    at_col = column(events, ev.columns["at"], "events.at", "events")
    keys = norm_keys(key_col)
    when = as_dates(at_col)
    ok = np.array([k is not None for k in keys], dtype=bool)
    earliest = pd.DataFrame({"k": keys[ok], "t": when[ok]}).groupby("k", sort=False)["t"].min()
    list_keys = norm_keys(frame[spec.columns[join]])
    pos = earliest.index.get_indexer(pd.Index(list_keys))
    marked = pos >= 0
    at = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    at[marked] = earliest.to_numpy(dtype="datetime64[ns]")[pos[marked]]
    matched = set(earliest.index) & {k for k in list_keys if k is not None}
    unmatched = int(sum(1 for k in keys[ok] if k not in matched)) + int((~ok).sum())
    if unmatched:
        notices.append(Notice("events_unmatched", {"count": unmatched, "total": len(events)}))
    return _Marks(code, marked, at)


def _from_deal_rows(
    frame: pd.DataFrame,
    spec: Spec,
    source: str,
    notices: list[Notice],
    marks: _Marks | None = None,
) -> dict:
    n = len(frame)
    smap = StageMap(spec)
    cols = spec.columns
    furthest = np.full(n, -1, dtype=np.int16)
    outcome = np.full(n, OPEN, dtype=np.int8)
    seen: set[str] = set()
    if "stage" in cols:
        stage = smap.codes(frame[cols["stage"]])
        seen |= stage.seen
        np.maximum(furthest, stage.codes, out=furthest)
        outcome[stage.codes == smap.WON_CODE] = WON
        outcome[stage.codes == smap.LOST_CODE] = LOST
    # The day a deal was won or lost, where a register keeps no status column.
    if "won_at" in cols:
        outcome[~np.isnat(as_dates(frame[cols["won_at"]]))] = WON
    if "lost_at" in cols:
        outcome[~np.isnat(as_dates(frame[cols["lost_at"]])) & (outcome != WON)] = LOST
    if "status" in cols:
        status = smap.codes(frame[cols["status"]])
        seen |= status.seen
        outcome[status.codes == smap.WON_CODE] = WON
        outcome[status.codes == smap.LOST_CODE] = LOST
        # A status column that also names stages (a hand-made register) moves the deal on.
        np.maximum(furthest, status.codes, out=furthest)

    entered = None
    dated = [i for i, s in enumerate(spec.stages) if s.column]
    if dated:
        entered = np.full((n, len(spec.stages)), np.datetime64("NaT"), dtype="datetime64[ns]")
        for i in dated:
            column = spec.stages[i].column
            assert column is not None
            entered[:, i] = as_dates(frame[column])
        has = ~np.isnat(entered)
        last_dated = np.where(
            has.any(axis=1), len(spec.stages) - 1 - np.argmax(has[:, ::-1], 1), -1
        )
        np.maximum(furthest, last_dated.astype(np.int16), out=furthest)

    if marks is not None:
        if marks.code >= 0:
            if entered is None:
                entered = np.full((n, len(spec.stages)), np.datetime64("NaT"), "datetime64[ns]")
            entered[:, marks.code] = np.where(marks.marked, marks.when, entered[:, marks.code])
            furthest[marks.marked] = np.maximum(furthest[marks.marked], marks.code)
        elif marks.code == smap.WON_CODE:
            outcome[marks.marked] = WON
        elif marks.code == smap.LOST_CODE:
            outcome[marks.marked & (outcome != WON)] = LOST
    if len(spec.stages) > 1 and spec.stages[1].column:
        # The second stage has a date column: a lost deal without a later date never got past
        # the first stage, so that is where it was lost (proven, not a lower bound).
        furthest[(outcome == LOST) & (furthest < 0)] = 0
    if not {"stage", "status", "won_at", "lost_at"} & set(cols):
        # A plain list (leads, registrations) names no stage: each row entered the funnel.
        furthest[furthest < 0] = 0

    if "lost_stage" in cols:
        lost_stage = smap.codes(frame[cols["lost_stage"]])
        seen |= lost_stage.seen
        lost_stage_code = lost_stage.codes
        use = (outcome == LOST) & (lost_stage_code >= 0)
        furthest[use] = np.maximum(furthest[use], lost_stage_code[use])

    settle(furthest, outcome, len(spec.stages))
    # An open deal must sit at a known stage; otherwise it cannot be placed in the funnel.
    keep = furthest >= 0
    dropped = int((~keep).sum())
    if dropped:
        # Every dropped row has a stage value in no stage, won or lost (or none at all).
        unmapped = (
            smap.codes(frame[cols["stage"]][~keep]).unmapped if "stage" in cols else {"": dropped}
        )
        notices.append(unmapped_notice(unmapped, "deals"))

    rows = np.flatnonzero(keep).astype(np.int64)
    if entered is not None:
        entered = entered[keep]
    result = deal_columns(frame, spec, rows, furthest[keep], outcome[keep], entered)
    n_unknown = int((result["outcome"] == LOST_UNKNOWN).sum())
    if n_unknown:
        total_lost = n_unknown + int((result["outcome"] == LOST).sum())
        notices.append(lost_unknown_notice(n_unknown, total_lost))
    if (absent := never_seen(spec, seen)) is not None and ("stage" in cols or "status" in cols):
        notices.append(absent)
    result["stats"] = {"deals": len(rows), "unmapped": dropped}
    return result
