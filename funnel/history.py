"""The stage-history layout: one row per stage change, alone or joined to a deal list."""

from __future__ import annotations

import numpy as np
import pandas as pd

from funnel.deals import LOST, LOST_UNKNOWN, OPEN, WON
from funnel.errors import SpecError
from funnel.mapping import (
    StageMap,
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


def from_history(
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
            column(events, header, f"events.{role}", "events")
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

    smap = StageMap(spec)
    keys = norm_keys(ev[ev_cols[join_role]])
    code, unmapped, seen = smap.codes(ev[ev_cols["stage"]])
    at = as_dates(ev[ev_cols["at"]])

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
        notices.append(unmapped_notice(unmapped, "history"))
    if (absent := never_seen(spec, seen)) is not None:
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
        pos = pd.Index(key_uniques).get_indexer(norm_keys(list_keys))
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
            notices.append(Notice("history_only_deals", {"count": len(orphan_keys)}))
        furthest = np.concatenate([furthest, extra_f])
        outcome = np.concatenate([outcome, extra_o])
        extra_entered = np.full((len(extra_f), S), np.datetime64("NaT"), dtype="datetime64[ns]")
        entered = np.concatenate([entered, extra_entered])
        rows = np.concatenate([rows, np.flatnonzero(no_events).astype(np.int64)])
        base = frame

    settle(furthest, outcome, S)
    keep = furthest >= 0
    dropped = int((~keep).sum())
    if dropped:
        notices.append(Notice("unplaced_deals", {"count": dropped}))
    result = deal_columns(base, spec, rows[keep], furthest[keep], outcome[keep], entered[keep])
    n_unknown = int((result["outcome"] == LOST_UNKNOWN).sum())
    if n_unknown:
        total_lost = n_unknown + int((result["outcome"] == LOST).sum())
        notices.append(lost_unknown_notice(n_unknown, total_lost))
    result["stats"] = {"deals": int(keep.sum()), "unmapped": dropped}
    return result
