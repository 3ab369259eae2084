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

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd

from funnel.errors import SpecError
from funnel.notices import Notice
from funnel.spec import SEGMENT_ROLES, Spec
from funnel.values import NONE_LABEL, Encoded, encode_labels, norm_label

# Outcome codes. LOST_UNKNOWN is a lost deal whose stage at loss the source does not tell.
OPEN, WON, LOST, LOST_UNKNOWN = 0, 1, 2, 3
N_OUTCOMES = 4

PERIODS = {"week": "W-MON", "month": "M", "quarter": "Q"}


@dataclass(frozen=True)
class Deals:
    """One entry per deal, as parallel arrays aligned with ``rows`` (positions in ``source``)."""

    spec: Spec
    stages: tuple[str, ...]
    stage_groups: tuple[str, ...]
    furthest: np.ndarray  # int16, index into stages
    outcome: np.ndarray  # int8, OPEN/WON/LOST/LOST_UNKNOWN
    amount: np.ndarray  # float64, NaN when unknown
    currency: Encoded | None
    created: np.ndarray | None  # datetime64[ns]
    closed: np.ndarray | None
    entered: np.ndarray | None  # (deals, stages) datetime64[ns]: when each stage was entered
    segments: Mapping[str, Encoded]
    source: pd.DataFrame
    rows: np.ndarray  # int64 position in source, -1 for deals known only from a stage history
    notices: tuple[Notice, ...] = ()
    stats: Mapping[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.furthest)

    @cached_property
    def base_code(self) -> np.ndarray:
        """furthest * N_OUTCOMES + outcome: the per-deal key every funnel bincount starts from."""
        return self.furthest.astype(np.int64) * N_OUTCOMES + self.outcome

    @cached_property
    def amount_or_zero(self) -> np.ndarray:
        """Amounts with unknown ones as 0, the weights of every money bincount."""
        return np.nan_to_num(self.amount, nan=0.0)

    @cached_property
    def _keys(self) -> dict[tuple[str, ...], tuple[np.ndarray, list[tuple[str, ...]]]]:
        return {}

    def segment_keys(self, dims: tuple[str, ...]) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        """Joint segment codes of ``dims`` times the funnel cell size plus ``base_code``.

        Computed once per breakdown and kept with the deals (which never change), so switching
        filters or pages costs one bincount, not a re-encoding of a million labels.
        """
        if dims not in self._keys:
            cell = len(self.stages) * N_OUTCOMES
            if dims:
                encodings = [self.encode(d) for d in dims]
                seg = np.zeros(len(self.furthest), dtype=np.int64)
                labels: list[tuple[str, ...]] = [()]
                for enc in encodings:
                    seg = seg * len(enc.labels) + enc.codes
                    labels = [(*prefix, lab) for prefix in labels for lab in enc.labels]
                key = seg * cell + self.base_code
            else:
                key, labels = self.base_code, [()]
            self._keys[dims] = (key, labels)
        return self._keys[dims]

    def dimensions(self) -> list[str]:
        """What the funnel can be broken down by: roles, periods, then every source column."""
        dims = list(self.segments)
        if self.created is not None:
            dims += list(PERIODS)
        dims += [c for c in self.source.columns if c not in dims]
        return dims

    def encode(self, by: str) -> Encoded:
        """Segment codes for a role, a creation period (week/month/quarter) or any source column."""
        if by in self.segments:
            return self.segments[by]
        if by in PERIODS:
            if self.created is None:
                raise SpecError(
                    f"cannot break down by {by}: no creation date column",
                    code="no_created",
                    expected="a 'created' column in the spec",
                )
            periods = pd.Series(self.created).dt.to_period(PERIODS[by])
            codes, uniques = pd.factorize(periods, sort=True)
            labels = [str(u) for u in uniques]
            if (codes < 0).any():
                codes = np.where(codes < 0, len(labels), codes)
                labels.append(NONE_LABEL)
            return Encoded(codes=codes.astype(np.int32), labels=tuple(labels))
        column = self.spec.columns.get(by, by)
        if column in self.source.columns:
            values = self.source[column].to_numpy(dtype=object)
            picked = np.where(self.rows >= 0, values[np.clip(self.rows, 0, None)], None)
            return encode_labels(pd.Series(picked, dtype=object))
        raise SpecError(
            f"cannot break down by {by!r}: no such role or column",
            code="unknown_dimension",
            column=by,
            expected="one of " + ", ".join(self.dimensions()[:30]),
        )


# ---- building Deals from a source -----------------------------------------------------------


def _suggest(header: str, columns: Sequence[str]) -> list[str]:
    key = norm_label(header)
    near = [c for c in columns if key and (key in norm_label(c) or norm_label(c) in key)]
    near += difflib.get_close_matches(header, list(columns), n=3, cutoff=0.5)
    return list(dict.fromkeys(c for c in near if norm_label(c)))[:3]


def _column(frame: pd.DataFrame, header: str, role: str, source: str) -> pd.Series:
    if header in frame.columns:
        return frame[header]
    close = _suggest(header, [str(c) for c in frame.columns])
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise SpecError(
        f"the spec names column {header!r} for {role!r}, but the data has no such column{hint}",
        code="missing_column",
        file=source,
        column=header,
        expected="one of the source headers",
        params={"role": role, "suggestions": close},
    )


def _align_headers(frame: pd.DataFrame, headers: Sequence[str]) -> pd.DataFrame:
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


def _as_dates(series: pd.Series) -> np.ndarray:
    if not pd.api.types.is_datetime64_any_dtype(series):
        from funnel.values import parse_dates

        series = parse_dates(series)
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_localize(None)
    return series.to_numpy(dtype="datetime64[ns]")


def _as_numbers(series: pd.Series) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(series):
        from funnel.values import parse_numbers

        series = parse_numbers(series)
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


class _StageMap:
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


def _norm_keys(series: pd.Series) -> np.ndarray:
    """``norm_label`` of every value, computed once per distinct value (None when blank)."""
    raw, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.array([norm_label(u) or None for u in uniques] + [None], dtype=object)[raw]


def _apply_filter(frame: pd.DataFrame, spec: Spec, source: str) -> tuple[pd.DataFrame, int]:
    if not spec.filter:
        return frame, 0
    keep = np.ones(len(frame), dtype=bool)
    for role, values in spec.filter.items():
        header = spec.columns.get(role, role)
        col = _column(frame, header, role, source)
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

    Raises :class:`SpecError` when the spec names a column the data lacks. Everything else that
    a person should know (unmapped stage values, lost deals of unknown stage, spec values that
    never occur) comes back as notices.
    """
    frame = _align_headers(
        frame, [*spec.columns.values(), *(s.column for s in spec.stages if s.column)]
    )
    if events is not None and spec.events is not None:
        events = _align_headers(events, list(spec.events.columns.values()))
    for role, header in spec.columns.items():
        _column(frame, header, role, source)
    for stage in spec.stages:
        if stage.column:
            _column(frame, stage.column, f"date of stage {stage.name}", source)
    frame, filtered_out = _apply_filter(frame, spec, source)
    notices: list[Notice] = []
    stats = {"source_rows": len(frame) + filtered_out, "filtered_out": filtered_out}
    if filtered_out:
        notices.append(
            Notice(
                "filtered_out",
                f"{filtered_out} rows left out by the spec's filter "
                + "; ".join(f"{k}: {', '.join(v)}" for k, v in spec.filter.items()),
                {"count": filtered_out},
            )
        )
    if spec.layout == "history":
        built = _from_history(frame, spec, events, source, notices)
    else:
        built = _from_deal_rows(frame, spec, source, notices)
    stats.update(built.pop("stats"))
    return Deals(
        spec=spec,
        stages=spec.stage_names,
        stage_groups=tuple(s.group or s.name for s in spec.stages),
        notices=tuple(notices),
        stats=stats,
        **built,
    )


def _segments(frame: pd.DataFrame, spec: Spec, rows: np.ndarray) -> dict[str, Encoded]:
    out: dict[str, Encoded] = {}
    for role in (*SEGMENT_ROLES, "loss_reason"):
        header = spec.columns.get(role)
        if header is None:
            continue
        values = frame[header].to_numpy(dtype=object)
        picked = np.where(rows >= 0, values[np.clip(rows, 0, None)], None) if len(values) else []
        out[role] = encode_labels(pd.Series(picked, dtype=object))
    return out


def _lost_unknown_notice(count: int, total_lost: int) -> Notice:
    return Notice(
        "lost_stage_unknown",
        f"{count} of {total_lost} lost deals do not say at which stage they were lost, so they "
        "count for the first stage only and every figure below the first stage is a lower bound. "
        "Add a 'stage at loss' column (lost_stage) or upload the stage history.",
        {"count": count, "lost": total_lost},
    )


def _unmapped_notice(unmapped: Mapping[str, int], what: str) -> Notice:
    total = sum(unmapped.values())
    shown = sorted(unmapped.items(), key=lambda kv: -kv[1])[:8]
    listing = ", ".join(f"{(k or '(empty)')!r} ({n})" for k, n in shown)
    return Notice(
        "unmapped_stage",
        f"{total} {what} have a stage value that is not in the spec's stages, won or lost and "
        f"were left out: {listing}. Add these values to a stage's 'match', or to won/lost.",
        {"count": total, "values": dict(unmapped)},
    )


def _never_seen(spec: Spec, seen: set[str]) -> Notice | None:
    missing = [v for s in spec.stages if not s.column for v in s.match if norm_label(v) not in seen]
    missing += [v for v in (*spec.won, *spec.lost) if norm_label(v) not in seen]
    if not missing:
        return None
    return Notice(
        "stage_value_absent",
        "these values of the spec never occur in the data: " + ", ".join(map(repr, missing)),
        {"values": missing},
    )


def _settle(furthest: np.ndarray, outcome: np.ndarray, n_stages: int) -> None:
    """In place: a won deal reached every stage; a lost one of unknown stage counts at the first."""
    furthest[outcome == WON] = n_stages - 1
    unknown = (outcome == LOST) & (furthest < 0)
    outcome[unknown] = LOST_UNKNOWN
    furthest[unknown] = 0


def _from_deal_rows(frame: pd.DataFrame, spec: Spec, source: str, notices: list[Notice]) -> dict:
    n = len(frame)
    smap = _StageMap(spec)
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
            entered[:, i] = _as_dates(frame[column])
        has = ~np.isnat(entered)
        last_dated = np.where(
            has.any(axis=1), len(spec.stages) - 1 - np.argmax(has[:, ::-1], 1), -1
        )
        np.maximum(furthest, last_dated.astype(np.int16), out=furthest)

    if "lost_stage" in cols:
        lost_stage_code = smap.codes(frame[cols["lost_stage"]]).codes
        use = (outcome == LOST) & (lost_stage_code >= 0)
        furthest[use] = np.maximum(furthest[use], lost_stage_code[use])

    _settle(furthest, outcome, len(spec.stages))
    # An open deal must sit at a known stage; otherwise it cannot be placed in the funnel.
    keep = furthest >= 0
    dropped = int((~keep).sum())
    if dropped:
        # Every dropped row has a stage value in no stage, won or lost (or none at all).
        unmapped = (
            smap.codes(frame[cols["stage"]][~keep]).unmapped if "stage" in cols else {"": dropped}
        )
        notices.append(_unmapped_notice(unmapped, "deals"))

    rows = np.flatnonzero(keep).astype(np.int64)
    if entered is not None:
        entered = entered[keep]
    result = _deal_columns(frame, spec, rows, furthest[keep], outcome[keep], entered)
    n_unknown = int((result["outcome"] == LOST_UNKNOWN).sum())
    if n_unknown:
        total_lost = n_unknown + int((result["outcome"] == LOST).sum())
        notices.append(_lost_unknown_notice(n_unknown, total_lost))
    if (absent := _never_seen(spec, seen)) is not None and ("stage" in cols or "status" in cols):
        notices.append(absent)
    result["stats"] = {"deals": len(rows), "unmapped": dropped}
    return result


def _deal_columns(
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
        pick(_as_numbers(frame[cols["amount"]]), np.nan)
        if "amount" in cols
        else np.full(len(rows), np.nan)
    )
    created = (
        pick(_as_dates(frame[cols["created"]]), np.datetime64("NaT")) if "created" in cols else None
    )
    closed = (
        pick(_as_dates(frame[cols["closed"]]), np.datetime64("NaT")) if "closed" in cols else None
    )
    if created is None and entered is not None:
        # The first stage's date is when the deal came in, when the source has no creation date.
        ints = entered.view(np.int64)
        nat, never = np.iinfo(np.int64).min, np.iinfo(np.int64).max
        first = np.where(ints == nat, never, ints).min(axis=1)
        created = np.where(first == never, nat, first).view("datetime64[ns]")
    currency = None
    if "currency" in cols:
        values = frame[cols["currency"]].to_numpy(dtype=object)
        picked = np.where(rows >= 0, values[np.clip(rows, 0, None)], None) if len(values) else []
        currency = encode_labels(pd.Series(picked, dtype=object))
    return {
        "furthest": furthest.astype(np.int16),
        "outcome": outcome.astype(np.int8),
        "amount": amount.astype(np.float64),
        "currency": currency,
        "created": created,
        "closed": closed,
        "entered": entered,
        "segments": _segments(frame, spec, rows),
        "source": frame,
        "rows": rows,
    }


def _from_history(
    frame: pd.DataFrame,
    spec: Spec,
    events: pd.DataFrame | None,
    source: str,
    notices: list[Notice],
) -> dict:
    """Stage history (one row per stage change), alone or joined to a deal list."""
    if spec.events is not None:
        if events is None:
            raise SpecError(
                "the spec describes a stage history ('events') but no events file was given",
                code="events_missing",
                file=source,
                expected="--events FILE",
            )
        ev_cols = dict(spec.events.columns)
        join_role = spec.events.join
        if join_role not in ev_cols:
            raise SpecError(
                f"'events.columns' lacks {join_role!r}, the join key",
                code="spec_events",
                file=source,
            )
        if join_role not in spec.columns:
            raise SpecError(
                f"'events.join' is {join_role!r}, but 'columns' names no {join_role} column",
                code="spec_events",
                file=source,
            )
        for role, header in ev_cols.items():
            _column(events, header, f"events.{role}", "events")
        ev = events
        list_keys = frame[spec.columns[join_role]]
    else:
        ev_cols = {
            r: spec.columns[r] for r in ("deal", "title", "stage", "at") if r in spec.columns
        }
        join_role = "deal" if "deal" in ev_cols else "title"
        if join_role not in ev_cols or "stage" not in ev_cols:
            raise SpecError(
                "a stage history needs deal (or title), stage and at columns",
                code="spec_events",
                file=source,
            )
        ev = frame
        list_keys = None

    smap = _StageMap(spec)
    keys = _norm_keys(ev[ev_cols[join_role]])
    code, unmapped, seen = smap.codes(ev[ev_cols["stage"]])
    at = _as_dates(ev[ev_cols["at"]])

    key_codes, key_uniques = pd.factorize(keys, use_na_sentinel=True)
    n_deals = len(key_uniques)
    S = len(spec.stages)
    valid = (key_codes >= 0) & (code != smap.UNMAPPED)
    kc, sc, tt = key_codes[valid], code[valid], at[valid]

    furthest = np.full(n_deals, -1, dtype=np.int16)
    is_stage = sc >= 0
    np.maximum.at(furthest, kc[is_stage], sc[is_stage])
    entered = np.full((n_deals, S), np.datetime64("NaT"), dtype="datetime64[ns]")
    timed = is_stage & ~np.isnat(tt)
    if timed.any():
        first = (
            pd.DataFrame({"k": kc[timed], "s": sc[timed], "t": tt[timed]})
            .groupby(["k", "s"], sort=False)["t"]
            .min()
        )
        entered[first.index.get_level_values(0), first.index.get_level_values(1)] = first.to_numpy()
    # The deal's latest event decides its outcome: a later stage event after a loss reopens it.
    latest = (
        pd.DataFrame({"k": kc, "c": sc, "t": tt})
        .sort_values(["k", "t"], kind="stable", na_position="first")
        .groupby("k", sort=False)["c"]
        .last()
    )
    outcome = np.full(n_deals, OPEN, dtype=np.int8)
    latest_code = latest.to_numpy()
    outcome[latest.index.to_numpy()[latest_code == smap.WON_CODE]] = WON
    outcome[latest.index.to_numpy()[latest_code == smap.LOST_CODE]] = LOST

    if unmapped:
        notices.append(_unmapped_notice(unmapped, "stage history rows"))
    if (absent := _never_seen(spec, seen)) is not None:
        notices.append(absent)

    if list_keys is None:
        # The history alone: each deal's other fields come from its latest row.
        last_row = (
            pd.DataFrame({"k": key_codes, "t": at, "r": np.arange(len(ev))})
            .query("k >= 0")
            .sort_values(["k", "t"], na_position="first", kind="stable")
            .groupby("k")["r"]
            .last()
        )
        rows = np.full(n_deals, -1, dtype=np.int64)
        rows[last_row.index.to_numpy()] = last_row.to_numpy()
        base = ev
    else:
        pos = pd.Index(key_uniques).get_indexer(_norm_keys(list_keys))
        listed = np.zeros(n_deals, dtype=bool)
        listed[pos[pos >= 0]] = True
        # Deal-list rows without events keep their snapshot stage and status.
        no_events = pos < 0
        extra_f = np.full(int(no_events.sum()), -1, dtype=np.int16)
        extra_o = np.full(int(no_events.sum()), OPEN, dtype=np.int8)
        sub = frame[no_events]
        if "stage" in spec.columns and len(sub):
            c = smap.codes(sub[spec.columns["stage"]]).codes
            extra_f = np.maximum(extra_f, c)
            extra_o[c == smap.WON_CODE] = WON
            extra_o[c == smap.LOST_CODE] = LOST
        if "status" in spec.columns and len(sub):
            c = smap.codes(sub[spec.columns["status"]]).codes
            extra_o[c == smap.WON_CODE] = WON
            extra_o[c == smap.LOST_CODE] = LOST
        # The deal list's status also settles outcomes the history leaves open.
        if "status" in spec.columns:
            c = smap.codes(frame[spec.columns["status"]]).codes
            outcome[pos[(pos >= 0) & (c == smap.WON_CODE)]] = WON
            outcome[pos[(pos >= 0) & (c == smap.LOST_CODE)]] = LOST
        orphan_keys = np.flatnonzero(~listed)
        first_pos = pd.Series(np.arange(len(frame)))[pos >= 0].groupby(pos[pos >= 0]).first()
        rows = np.full(n_deals, -1, dtype=np.int64)
        rows[first_pos.index.to_numpy()] = first_pos.to_numpy()
        if len(orphan_keys):
            notices.append(
                Notice(
                    "history_only_deals",
                    f"{len(orphan_keys)} deals of the stage history are not in the deal list; "
                    "they are counted, with no channel, product or amount.",
                    {"count": len(orphan_keys)},
                )
            )
        furthest = np.concatenate([furthest, extra_f])
        outcome = np.concatenate([outcome, extra_o])
        extra_entered = np.full((len(extra_f), S), np.datetime64("NaT"), dtype="datetime64[ns]")
        entered = np.concatenate([entered, extra_entered])
        rows = np.concatenate([rows, np.flatnonzero(no_events).astype(np.int64)])
        base = frame

    _settle(furthest, outcome, S)
    keep = furthest >= 0
    dropped = int((~keep).sum())
    if dropped:
        notices.append(
            Notice(
                "unplaced_deals",
                f"{dropped} deals have no stage the spec knows and were left out.",
                {"count": dropped},
            )
        )
    result = _deal_columns(base, spec, rows[keep], furthest[keep], outcome[keep], entered[keep])
    n_unknown = int((result["outcome"] == LOST_UNKNOWN).sum())
    if n_unknown:
        total_lost = n_unknown + int((result["outcome"] == LOST).sum())
        notices.append(_lost_unknown_notice(n_unknown, total_lost))
    result["stats"] = {"deals": int(keep.sum()), "unmapped": dropped}
    return result
