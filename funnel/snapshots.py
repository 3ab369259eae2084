"""Repeated exports of one source (snapshots): the same-source check, the stage moves seen between
them, and the stage history those moves give the engine.

A snapshot is read exactly as ``prepare`` reads a deal list (the same stage mapping, filter, won
and lost values); deals are matched across snapshots by their id. See "Snapshots over time" in
docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from funnel.deals import LOST, LOST_UNKNOWN, OPEN, WON
from funnel.errors import SpecError
from funnel.mapping import StageMap, align_headers, norm_keys
from funnel.prepare import prepare
from funnel.spec import Events, Spec
from funnel.spec_edit import cell_text
from funnel.values import norm_label

Snapshot = tuple[date, pd.DataFrame]

# Two exports share at least this share of the smaller one's deal ids to be one source.
MIN_SHARED = 0.5
# Headers of the stage history built from snapshots when the spec has none of its own.
HISTORY_COLUMNS = {"deal": "deal", "stage": "stage", "at": "at"}
SHOWN_DEALS = 5

MOVE_COLUMNS = ["deal", "stage", "at", "after", "from_stage", "kind"]


def _whole_numbers(series: pd.Series) -> pd.Series | None:
    """A numeric id column as text, at array speed (CRM ids are mostly integers); None when some
    id is not a whole number (those take the cell-by-cell way)."""
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series) and not series.hasnans:
        return series.astype(str).astype(object)
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    whole = np.isfinite(values) & (np.abs(values) < 2**53) & (values == np.floor(values))
    if not (whole | np.isnan(values)).all():
        return None
    out = np.full(len(values), None, dtype=object)
    out[whole] = values[whole].astype(np.int64).astype(str)
    return pd.Series(out, index=series.index, dtype=object)


def id_text(series: pd.Series) -> pd.Series:
    """Deal ids as text, as a sheet shows them: 1042.0 is "1042", blanks are None.

    >>> id_text(pd.Series([1042.0, " 1042 ", None], dtype=object)).tolist()
    ['1042', '1042', None]
    >>> id_text(pd.Series([1042.0, None])).tolist()
    ['1042', None]
    """
    if (numbers := _whole_numbers(series)) is not None:
        return numbers
    raw, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = np.empty(len(uniques) + 1, dtype=object)  # the last stays None: blanks
    kind = pd.api.types.infer_dtype(uniques, skipna=False) if len(uniques) else ""
    if kind == "integer":  # Python ints in an object column: their digits
        texts[:-1] = np.asarray(uniques).astype(np.int64).astype(str).astype(object)
    elif (
        kind == "floating"
        and (whole := _whole_numbers(pd.Series(np.asarray(uniques, dtype=np.float64)))) is not None
    ):  # float ids in an object column (1042.0): their digits, at array speed
        texts[:-1] = whole.to_numpy(dtype=object)
    elif kind == "string":
        # Text ids (the common case) only lose their edge spaces: done by Arrow at once.
        trimmed = pc.utf8_trim_whitespace(pa.array(np.asarray(uniques, dtype=object), pa.string()))
        texts[:-1] = trimmed.to_numpy(zero_copy_only=False)
        texts[:-1][texts[:-1] == ""] = None
    else:
        texts[:-1] = [cell_text(u) or None for u in uniques]
    return pd.Series(texts[raw], index=series.index, dtype=object)


def _among(keys: pd.Series | pd.Index, members: set[str]) -> np.ndarray:
    """Which ``keys`` (deal keys: text or None) are in ``members``, by Arrow: pandas' own
    ``isin`` on Arrow strings walks the members in Python.

    >>> _among(pd.Series(["1", "2", None]), {"2", "3"}).tolist()
    [False, True, False]
    """
    values = pa.array(np.asarray(keys, dtype=object), type=pa.string(), from_pandas=True)
    wanted = pa.array(list(members), type=pa.string())
    found = pc.is_in(values, value_set=wanted, skip_nulls=True)
    return found.to_numpy(zero_copy_only=False).astype(bool)


def deal_keys(series: pd.Series) -> np.ndarray:
    """The comparison key of every deal id: the history's label key over the id's text, so
    " 1042", 1042.0 and "1042" are one deal; None when blank.

    >>> deal_keys(pd.Series([" 1042", 1042.0, "1042", None], dtype=object)).tolist()
    ['1042', '1042', '1042', None]
    """
    if (numbers := _whole_numbers(series)) is not None:
        return numbers.to_numpy(dtype=object)  # digits and a sign: already their own key
    return norm_keys(id_text(series))


# ---- the same source? ------------------------------------------------------------------------

Reason = Literal["snapshot", "no_deal_role", "no_deal_column", "columns_missing", "few_shared"]


@dataclass(frozen=True)
class SameSource:
    """Whether a new export is a snapshot of the same source, with the numbers behind it.

    ``shared`` deal ids are in both exports; ``share`` is ``shared`` over the smaller export's
    ids; ``new`` ids are only in the new export, ``vanished`` only in the old one.
    """

    same: bool
    reason: Reason
    shared: int = 0
    share: float = 0.0
    new: int = 0
    vanished: int = 0
    missing_columns: tuple[str, ...] = ()  # the spec's headers the new export lacks
    added_columns: tuple[str, ...] = ()  # other headers only in the new export
    removed_columns: tuple[str, ...] = ()  # other headers only in the old export


def _spec_headers(spec: Spec) -> list[str]:
    return [*spec.columns.values(), *(s.column for s in spec.stages if s.column)]


def same_source(old_frame: pd.DataFrame, new_frame: pd.DataFrame, spec: Spec) -> SameSource:
    """Is ``new_frame`` a later export of the source ``old_frame`` was read from under ``spec``?

    Yes when both have the deal-id column, the new one has every column the spec names (other
    columns may come and go: a CRM gains custom fields), and at least half of the smaller
    export's ids are in both.
    """
    header = spec.columns.get("deal")
    if header is None:
        return SameSource(False, "no_deal_role")
    wanted = _spec_headers(spec)
    old_frame = align_headers(old_frame, wanted)
    new_frame = align_headers(new_frame, wanted)
    old_cols = {norm_label(c): str(c) for c in old_frame.columns}
    new_cols = {norm_label(c): str(c) for c in new_frame.columns}
    spec_keys = {norm_label(h) for h in wanted}
    missing = tuple(h for h in dict.fromkeys(wanted) if h not in new_frame.columns)
    added = tuple(c for k, c in new_cols.items() if k not in old_cols)
    removed = tuple(c for k, c in old_cols.items() if k not in new_cols and k not in spec_keys)
    if header not in old_frame.columns or header not in new_frame.columns:
        return SameSource(False, "no_deal_column", 0, 0.0, 0, 0, missing, added, removed)
    old_ids = {k for k in deal_keys(old_frame[header]) if k is not None}
    new_ids = {k for k in deal_keys(new_frame[header]) if k is not None}
    shared = len(old_ids & new_ids)
    smaller = min(len(old_ids), len(new_ids))
    share = shared / smaller if smaller else 0.0
    reason: Reason = "snapshot"
    if missing:
        reason = "columns_missing"
    elif not shared or share < MIN_SHARED:
        reason = "few_shared"
    return SameSource(
        reason == "snapshot",
        reason,
        shared,
        share,
        len(new_ids - old_ids),
        len(old_ids - new_ids),
        missing,
        added,
        removed,
    )


# ---- reading the snapshots -------------------------------------------------------------------


class _Read(NamedTuple):
    sightings: pd.DataFrame  # key, order, taken, raw, stage, outcome: one row per deal and snapshot
    # The deal keys as codes into ``names`` (the keys in sorted order, so codes sort as the keys
    # do): sorting and grouping hundreds of thousands of sightings by an integer, not by text.
    names: np.ndarray
    present: list[np.ndarray]  # the codes of the deals in each snapshot (after the filter), sorted
    ordered: list[Snapshot]  # the snapshots in date order (ties in the order given)
    duplicated: int  # rows whose deal id another row of the same snapshot has


def _deal_spec(spec: Spec) -> Spec:
    """The spec a single snapshot is read with: its deal rows alone."""
    if "deal" not in spec.columns:
        raise SpecError(
            "snapshots are matched by deal id, but the spec names no deal column",
            code="snapshots_no_deal",
            expected="a 'deal' column in the spec",
        )
    if "at" in spec.columns or spec.layout == "stage_dates":
        raise SpecError(
            "the source already dates its stages; its snapshots add no history",
            code="snapshots_layout",
        )
    if ("won_at" in spec.columns and not spec.won) or ("lost_at" in spec.columns and not spec.lost):
        # The history says won or lost with a value; a date column alone has none to write.
        raise SpecError(
            "the spec reads won or lost from a date column and names no won or lost value",
            code="snapshots_outcomes",
            expected="the values meaning won and lost in 'won' and 'lost'",
        )
    ev = spec.events
    if ev is not None and (ev.stage is not None or ev.join != "deal" or "deal" not in ev.columns):
        raise SpecError(
            "a stage history from snapshots joins on the deal id; this spec's second file does not",
            code="snapshots_events",
            expected="events joined on deal, or no events",
        )
    return replace(spec, events=None)


def _read(snapshots: Sequence[Snapshot], spec: Spec) -> _Read:
    deal_spec = _deal_spec(spec)
    ordered = sorted(snapshots, key=lambda s: s[0])  # stable: same-day exports keep their order
    read = [prepare(frame, deal_spec, source=taken.isoformat()) for taken, frame in ordered]
    # aligned and filtered, as the engine reads them
    ids = [deals.source[spec.columns["deal"]] for deals in read]
    keys = [deal_keys(column) for column in ids]
    codes, names = pd.factorize(
        np.concatenate([*keys, np.array([], dtype=object)]), sort=True, use_na_sentinel=True
    )
    ends = np.cumsum([len(k) for k in keys], dtype=np.intp)
    parts, present = [], []
    duplicated = 0
    for order, ((taken, _), deals, column, end) in enumerate(
        zip(ordered, read, ids, ends, strict=True)
    ):
        own = codes[end - len(column) : end]  # this snapshot's codes
        present.append(np.unique(own[own >= 0]))
        stage = deals.furthest.astype(np.int64)
        outcome = deals.outcome.astype(np.int64)
        stage[outcome == LOST_UNKNOWN] = -1  # lost, stage unknown: it must not read as the first
        outcome[outcome == LOST_UNKNOWN] = LOST
        part = pd.DataFrame(
            {
                "key": own[deals.rows],
                "order": order,
                "taken": pd.Timestamp(taken),
                "raw": column.to_numpy(dtype=object)[deals.rows],
                "stage": stage,
                "outcome": outcome,
            }
        )
        part = part[part["key"].to_numpy() >= 0]
        duplicated += int(part["key"].duplicated().sum())
        parts.append(part)
    empty = pd.DataFrame(
        {
            "key": pd.Series(dtype=np.int64),
            "order": pd.Series(dtype=np.int64),
            "taken": pd.Series(dtype="datetime64[ns]"),
            "raw": pd.Series(dtype=object),
            "stage": pd.Series(dtype=np.int64),
            "outcome": pd.Series(dtype=np.int64),
        }
    )
    sightings = pd.concat([empty, *parts], ignore_index=True)
    # One sighting per deal and snapshot: a deal listed twice in one export is where it got to.
    sightings = (
        sightings.sort_values(["key", "order", "stage"], kind="stable")
        .drop_duplicates(["key", "order"], keep="last")
        .reset_index(drop=True)
    )
    return _Read(sightings, np.asarray(names, dtype=object), present, ordered, duplicated)


# ---- moves -----------------------------------------------------------------------------------


def _values(spec: Spec) -> tuple[list[str], str | None, str | None]:
    """A source value that maps back to each stage, to won and to lost (None where none does)."""
    smap = StageMap(spec)

    def first(values: Sequence[str], code: int) -> str | None:
        return next((v for v in values if smap._code(norm_label(v)) == code), None)

    stages = [first(s.match, i) or s.name for i, s in enumerate(spec.stages)]
    return stages, first(spec.won, smap.WON_CODE), first(spec.lost, smap.LOST_CODE)


def _events(read: _Read, spec: Spec) -> pd.DataFrame:
    """Every row the sightings give, in order: the moves a person sees and the history rows.

    ``seq`` orders a sighting's rows; ``history`` marks the rows the engine's history gets;
    ``dated`` says whether the move's window is known (a deal's first sighting has none).
    """
    s = read.sightings
    last_stage = len(spec.stages) - 1
    names, won_value, lost_value = _values(spec)
    g = s.groupby("key", sort=False)
    first = (g.cumcount() == 0).to_numpy()
    prev_stage = g["stage"].shift(1).fillna(-1).to_numpy(dtype=np.int64)
    prev_outcome = g["outcome"].shift(1).fillna(OPEN).to_numpy(dtype=np.int64)
    after = g["taken"].shift(1)
    # A won deal reached every stage, so its sighting counts as the last stage for the furthest.
    reach = pd.Series(np.where(s["outcome"] == WON, last_stage, s["stage"]), index=s.index)
    reached_before = reach.groupby(s["key"], sort=False).shift(1)
    before = (
        reached_before.groupby(s["key"], sort=False).cummax().fillna(-1).to_numpy(dtype=np.int64)
    )
    stage = s["stage"].to_numpy(dtype=np.int64)
    outcome = s["outcome"].to_numpy(dtype=np.int64)
    was_open = ~first & (prev_outcome == OPEN)
    is_open = outcome == OPEN
    reopened = ~first & is_open & (prev_outcome != OPEN)
    stage_row = (stage >= 0) & (outcome != WON) & ((stage > before) | reopened)
    back = was_open & is_open & (stage < prev_stage)
    again = was_open & is_open & (stage > prev_stage) & (stage <= before)
    # A closed deal's outcome row follows any stage row of its sighting: the latest row decides.
    outcome_row = ~is_open & (first | (outcome != prev_outcome) | stage_row)
    # Before a win, the last stage undated, so that a win undone later keeps what it reached.
    won_reach = (outcome == WON) & (before < last_stage) & (first | (prev_outcome != WON))

    stage_kind = np.where(first, "seen", np.where(reopened, "reopened", "moved"))
    outcome_kind = np.where(first, "seen", np.where(outcome == WON, "won", "lost"))
    outcome_value = np.where(outcome == WON, won_value or "", lost_value or "")
    names_arr = np.array([*names, ""], dtype=object)
    label = np.where(is_open, names_arr[stage], outcome_value)
    from_stage = pd.Series(label, index=s.index).groupby(s["key"], sort=False).shift(1)
    base = {"key": s["key"], "order": s["order"], "taken": s["taken"], "after": after}
    dated = ~first

    def rows(
        mask: np.ndarray, seq: int, value: np.ndarray | str, kind: np.ndarray | str, history: bool
    ) -> pd.DataFrame:
        # The rows kept first, then the columns: each part is a fraction of the sightings, and
        # a text column costs its conversion per row.
        at = np.flatnonzero(mask)
        picked = {name: column.iloc[at] for name, column in base.items()}
        return pd.DataFrame(picked).assign(
            stage=value if isinstance(value, str) else value[at],
            kind=kind if isinstance(kind, str) else kind[at],
            seq=seq,
            history=history,
            from_stage=from_stage.iloc[at],
            dated=dated[at],
        )

    parts = [
        rows(won_reach, 0, names[last_stage], "reached", True).assign(dated=False),
        rows(stage_row, 1, names_arr[stage], stage_kind, True),
        rows(back, 1, names_arr[stage], "back", False),
        rows(again, 1, names_arr[stage], "again", False),
        rows(outcome_row, 2, outcome_value, outcome_kind, True),
    ]
    out = pd.concat(parts, ignore_index=True)
    out.loc[out["stage"] == "", "stage"] = None
    return out.sort_values(["key", "order", "seq"], kind="stable").reset_index(drop=True)


def _display_ids(read: _Read) -> pd.Series:
    """Each deal's id as its latest sighting writes it, by key."""
    last = read.sightings.groupby("key", sort=False)["raw"].last()
    return id_text(last).fillna("")


def observed_moves(snapshots: Sequence[Snapshot], spec: Spec) -> pd.DataFrame:
    """The stage moves the snapshots show, one row per deal and move, in date order.

    ``at`` is the snapshot date the deal was first seen at ``stage`` (it got there by then);
    ``after`` is its previous sighting's date (it got there after), NaT at its first sighting.
    ``stage`` is a stage name, or the spec's won or lost value for a move to won or lost.
    ``kind``: ``seen`` (the first sighting), ``moved`` (to a stage beyond any seen before; the
    stages between were reached too), ``won``, ``lost``, ``reopened`` (open again after won or
    lost), ``back`` (to an earlier stage: the furthest reached is kept), ``again`` (forward
    after a move back, to a stage reached before).

    >>> from funnel.spec import Stage
    >>> spec = Spec(columns={"deal": "ID", "stage": "Этап"}, stages=(Stage("A"), Stage("B")),
    ...             lost=("L",))
    >>> week1 = pd.DataFrame({"ID": [1042], "Этап": ["A"]})
    >>> week2 = pd.DataFrame({"ID": ["1042"], "Этап": ["L"]})
    >>> moves = observed_moves([(date(2026, 12, 1), week1), (date(2026, 12, 8), week2)], spec)
    >>> moves[["deal", "stage", "kind"]].values.tolist()
    [['1042', 'A', 'seen'], ['1042', 'L', 'lost']]
    """
    read = _read(snapshots, spec)
    events = _events(read, spec)
    events = events[events["kind"] != "reached"]
    ids = _display_ids(read)
    out = events.assign(deal=events["key"].map(ids), at=events["taken"])
    out = out.sort_values(["order", "key", "seq"], kind="stable")
    return out[MOVE_COLUMNS].reset_index(drop=True)


# ---- the stage history -----------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """What the snapshots add. Deals are those of the latest snapshot unless named otherwise."""

    snapshots: int
    deals: int
    watched: int  # seen in two or more snapshots: their moves are known
    new: int  # in the latest snapshot only
    vanished: int  # seen before, absent from the latest (deleted or filtered in the CRM)
    skipped: int  # passed over a stage between two sightings (the stage counts as reached)
    moved_back: int  # went back to an earlier stage (the furthest reached is kept)
    reopened: int  # open again after won or lost
    lost: int
    lost_stage_known_before: int  # lost deals whose stage at loss the source alone tells
    lost_stage_known: int  # ... with the history from the snapshots
    moved_back_ids: tuple[str, ...] = ()  # the first few of them, as the latest export writes them
    same_dates: tuple[date, ...] = ()  # days with two exports (taken in the order given)
    duplicate_ids: int = 0  # rows whose id another row of the same export has (the furthest kept)
    own_history: int = 0  # deals whose stage history is the source's own, not the snapshots'


@dataclass(frozen=True)
class SnapshotHistory:
    """A stage history for the engine: ``prepare(deal_list, spec, events=events)``."""

    deal_list: pd.DataFrame  # the latest snapshot
    events: pd.DataFrame  # deal, stage, at under the headers ``spec.events`` names
    spec: Spec
    coverage: Coverage


def history_from_snapshots(
    snapshots: Sequence[Snapshot], spec: Spec, events: pd.DataFrame | None = None
) -> SnapshotHistory:
    """The stage history the snapshots give, merged with the source's own (``events``, the stage
    history ``spec.events`` describes): for a deal that history has, its rows win.

    Only the deals of the latest snapshot get rows (it is the deal list). A stage a deal already
    had when first seen is undated (it got there some time before); a move seen between two
    snapshots is dated by the later one. Moves back are not written: the furthest stage stays.
    """
    if not snapshots:
        raise SpecError("no snapshots were given", code="snapshots_none")
    read = _read(snapshots, spec)
    moves = _events(read, spec)
    deal_list = read.ordered[-1][1]
    latest = read.present[-1]

    in_latest = pd.Series(np.isin(moves["key"].to_numpy(), latest), index=moves.index)
    rows = moves[moves["history"] & in_latest]
    header = spec.columns["deal"]
    aligned = align_headers(deal_list, _spec_headers(spec))
    # Ids as text in the deal list and in both histories (1042, not 1042.0): the engine then
    # joins them whichever way each file typed its ids.
    aligned = aligned.assign(**{header: id_text(aligned[header])})
    raw = pd.Series(aligned[header].to_numpy(dtype=object), index=deal_keys(aligned[header]))
    raw = raw[raw.index.notna() & ~raw.index.duplicated()]
    ev_cols = dict(spec.events.columns) if spec.events is not None else HISTORY_COLUMNS
    history = pd.DataFrame(
        {
            ev_cols["deal"]: pd.Series(read.names[rows["key"].to_numpy()])
            .map(raw)
            .to_numpy(dtype=object),
            ev_cols["stage"]: rows["stage"].to_numpy(dtype=object),
            ev_cols["at"]: rows["taken"].where(rows["dated"]).to_numpy(dtype="datetime64[ns]"),
        }
    )
    own, own_history = None, 0
    if events is not None and spec.events is not None:
        own = align_headers(events, list(ev_cols.values()))
        own = own.assign(**{ev_cols["deal"]: id_text(own[ev_cols["deal"]])})
        has_own = set(deal_keys(own[ev_cols["deal"]])) - {None}
        keep = ~_among(pd.Series(read.names[rows["key"].to_numpy()]), has_own)
        own_history = len(has_own & set(read.names[latest]))
        history = pd.concat([own, history[keep]], ignore_index=True)
    new_spec = replace(spec, events=Events(columns=ev_cols, join="deal"))

    skipped = _skipped(read)
    kinds = moves[in_latest].groupby("kind")["key"].nunique()
    back = moves.loc[(moves["kind"] == "back") & in_latest, "key"].unique()
    ids = _display_ids(read)
    days = [taken for taken, _ in read.ordered]
    earlier = np.unique(np.concatenate([np.array([], dtype=np.intp), *read.present[:-1]]))
    vanished = len(np.setdiff1d(earlier, latest, assume_unique=True))
    seen_in = read.sightings.groupby("key")["order"].nunique()

    before = prepare(aligned, spec, events=own if own is not None else events)
    after = prepare(aligned, new_spec, events=history)
    lost = int(np.isin(after.outcome, (LOST, LOST_UNKNOWN)).sum())
    coverage = Coverage(
        snapshots=len(read.ordered),
        deals=len(latest),
        watched=int((seen_in[np.isin(seen_in.index.to_numpy(), latest)] >= 2).sum()),
        new=len(np.setdiff1d(latest, earlier, assume_unique=True)),
        vanished=vanished,
        skipped=skipped,
        moved_back=int(kinds.get("back", 0)),
        reopened=int(kinds.get("reopened", 0)),
        lost=lost,
        lost_stage_known_before=int((before.outcome == LOST).sum()),
        lost_stage_known=int((after.outcome == LOST).sum()),
        moved_back_ids=tuple(ids[k] for k in back[:SHOWN_DEALS]),
        same_dates=tuple(sorted({d for d in days if days.count(d) > 1})),
        duplicate_ids=read.duplicated,
        own_history=own_history,
    )
    return SnapshotHistory(aligned, history, new_spec, coverage)


def _skipped(read: _Read) -> int:
    """Deals of the latest snapshot that passed over a stage between two of their sightings."""
    s = read.sightings
    known = s["stage"].where((s["outcome"] != WON) & (s["stage"] >= 0))
    prev_open = s["stage"].where(s["outcome"] == OPEN).groupby(s["key"], sort=False).shift(1)
    jump = (known - prev_open > 1) & np.isin(s["key"].to_numpy(), read.present[-1])
    return int(s.loc[jump, "key"].nunique())
