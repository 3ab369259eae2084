"""Which columns hold stage dates, which stage each belongs to, and the order of the stages.

``infer.infer_spec`` calls these once it knows the column roles. The rules, strongest first:

- a run of date columns that fills and nests like stage dates (``evidence.date_chain``) is
  a stage-date funnel, whatever its headers say; columns taken as the creation or closing date
  only for want of a better one are given back to it;
- a date column whose name means a stage value («engage_date» for «Engaging», «Дата КП» for
  «КП отправлено») is that stage's date, in a snapshot too;
- stage values are ordered by the stage history, numbered names, the dates deals at each stage
  have filled, a probability column, a CRM's default pipeline and the sales-phase lexicon, and
  by deal counts only as the last resort (then the order is a guess).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel.detect import lexicon, vocab
from funnel.detect.columns import ColumnGuess, parse_stage_date_header, sample_rows
from funnel.detect.evidence import (
    Order,
    Tier,
    date_chain,
    fill_scores,
    order_labels,
    probability_scores,
)
from funnel.mapping import as_dates
from funnel.values import norm_label

FILL_GAP = 0.25  # deals at the later stage have this many more dates filled, on average
MATCH = 0.6  # how surely a date column's name must mean a stage value to be its date


@dataclass(frozen=True)
class DateColumns:
    """The date columns of a deal list as stage evidence."""

    stage_dates: tuple[ColumnGuess, ...]  # columns holding the date a stage was reached
    others: tuple[str, ...]  # other date columns with no role (they may still fill with stage)
    released: frozenset[str]  # roles given up because their column is a stage date


def _stage_part(g: ColumnGuess) -> str:
    """The stage words of a date column's header («engage» of engage_date, «Квалификация»)."""
    if g.stage:
        return g.stage
    parsed = parse_stage_date_header(g.column, False)
    return parsed[0] if parsed and parsed[0] else vocab.stage_name_from(g.column)


def date_columns(frame: pd.DataFrame, guesses: Sequence[ColumnGuess]) -> DateColumns:
    """Stage-date columns by header and by the shape of their values, and the other dates."""
    by_header = [g for g in guesses if g.role == "stage_date"]
    loose = [
        g for g in guesses
        if g.kind == "date" and not g.noise and (g.role is None or g.by_default)
    ]  # fmt: skip
    candidates = [g.column for g in (*by_header, *loose)]
    chain = set(date_chain(frame, candidates)) if len(candidates) >= 2 else set()
    by_column = {g.column: g for g in guesses}
    stage_dates = list(by_header)
    released: set[str] = set()
    for g in loose:
        if g.column in chain and (by_header or len(chain & {x.column for x in loose}) >= 2):
            stage = vocab.stage_name_from(_stage_part(g))
            stage_dates.append(
                ColumnGuess(
                    g.column, "stage_date", 0.6, "dates fill like a stage's", stage, kind="date"
                )
            )
            if g.role:
                released.add(g.role)
    dated = {g.column for g in stage_dates}
    others = tuple(
        g.column for g in guesses
        if g.kind == "date" and not g.noise and g.role is None and g.column not in dated
    )  # fmt: skip
    order = {str(c): i for i, c in enumerate(frame.columns)}
    stage_dates.sort(key=lambda g: order[g.column])
    del by_column
    return DateColumns(tuple(stage_dates), others, frozenset(released))


def precedence_order(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """Stage-date columns in funnel order: each beats those whose date it usually precedes.

    A pair is judged on the deals having both dates (the earlier date first); a pair no deal
    has both of goes to the fuller column. Ties keep the fuller column first, then file order.
    """
    sample = sample_rows(frame)
    dates = {c: as_dates(sample[c]).astype("datetime64[ns]") for c in columns}
    filled = {c: ~np.isnat(v) for c, v in dates.items()}
    wins = dict.fromkeys(columns, 0.0)
    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            both = filled[a] & filled[b]
            before = int((dates[a][both] < dates[b][both]).sum())
            after = int((dates[a][both] > dates[b][both]).sum())
            if before != after:
                winner = a if before > after else b
            elif filled[a].sum() != filled[b].sum():
                winner = a if filled[a].sum() > filled[b].sum() else b
            else:
                continue
            wins[winner] += 1
    position = {c: i for i, c in enumerate(columns)}
    return sorted(columns, key=lambda c: (-wins[c], -int(filled[c].sum()), position[c]))


def match_dates(labels: Mapping[str, str], dated: Sequence[ColumnGuess]) -> dict[str, ColumnGuess]:
    """Stage key -> its date column, where a column's stage words mean that stage value.

    ``labels`` maps stage keys to display names. Best matches first, one column per stage.
    """
    pairs = sorted(
        (
            (lexicon.same_stage(_stage_part(g), name), key, g.column)
            for key, name in labels.items()
            for g in dated
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    by_column = {g.column: g for g in dated}
    out: dict[str, ColumnGuess] = {}
    used: set[str] = set()
    for score, key, column in pairs:
        if score < MATCH:
            break
        if key in out or column in used:
            continue
        out[key] = by_column[column]
        used.add(column)
    return out


def order_stage_values(
    frame: pd.DataFrame,
    stage: pd.Series,
    labels: Mapping[str, tuple[str, tuple[str, ...], int]],
    *,
    history: Mapping[str, float] | None = None,
    fill_columns: Sequence[str] = (),
    probability: str | None = None,
) -> Order:
    """Order stage values (key -> (name, spellings, deals)) by the strongest evidence first."""
    keys = list(labels)
    tiers: list[Tier] = []
    if history:
        tiers.append(Tier("history", history, 0.5))
    numbers = {k: lexicon.numbered(labels[k][0]) for k in keys}
    if sum(n is not None for n in numbers.values()) >= max(2, 2 * len(keys) / 3):
        tiers.append(
            Tier("numbered", {k: float(n) for k, n in numbers.items() if n is not None}, 1)
        )
    raw_to_key = {s: k for k, (_, spellings, _) in labels.items() for s in spellings}
    if fill_columns:
        fill = fill_scores(frame, stage, raw_to_key, fill_columns)
        scores = {k: v for k, (v, _) in fill.items() if k in labels}
        if scores and max(scores.values()) - min(scores.values()) >= FILL_GAP:
            tiers.append(Tier("date_fill", scores, FILL_GAP))
    if probability is not None:
        prob = probability_scores(frame, stage, raw_to_key, probability)
        scores = {k: v for k, (v, _) in prob.items() if k in labels}
        gap = 0.05 if scores and max(scores.values()) <= 1 else 5.0
        if scores and max(scores.values()) - min(scores.values()) >= gap:
            tiers.append(Tier("probability", scores, gap))
    names = {k: labels[k][0] for k in keys}
    known = lexicon.known_order(names.values())
    phases = {k: p for k in keys if (p := lexicon.phase_of(names[k])) is not None}
    if known is not None:
        phases.update(
            {
                k: known.places[lexicon_key]
                for k in keys
                if (lexicon_key := _key(names[k])) in known.places
            }
        )
    if phases:
        basis = "crm_default" if known and len(known.places) * 2 >= len(keys) else "lexicon"
        tiers.append(Tier(basis, phases, 0.05))
    counts = {k: labels[k][2] for k in keys}
    return order_labels(keys, tiers, lambda k: counts[k])


def _key(name: str) -> str:
    return vocab.BITRIX_PREFIX.sub("", norm_label(name))


def disagreements(order: Order, names: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pairs the order puts one way and the lexicon firmly the other (two phases apart)."""
    out = []
    for i, a in enumerate(order.keys):
        for b in order.keys[i + 1 :]:
            pa, pb = lexicon.phase_of(names[a]), lexicon.phase_of(names[b])
            if pa is not None and pb is not None and pa - pb >= 2:
                out.append((names[a], names[b]))
    return out
