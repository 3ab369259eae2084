"""Spec inference: a first funnel spec proposed from the column guesses, with what to check.

Column roles come from ``funnel.detect.columns``, on a sample; the stage, status and pipeline
columns the spec is built from are then counted in full.

Rules, in short:

- a role is proposed in the spec when its confidence is at least ``CONFIDENT``;
- no "no creation date" warning is raised for a stage-date layout (in a hand-made register the
  first stage-date column doubles as the creation date);
- a frame is itself a stage history when its history reading finds deal, stage and time columns
  and the deal column repeats (fewer than 95% distinct values in the sample);
- stage order: stage-date columns (HubSpot's by known pipeline, else by their dates), then the
  history (median rank of each stage's first entry within a deal), then a CRM's default order
  (at least two and half the values match), then frequency (most deals first);
- «Оплачено» ("paid") is won only in a status column with no other won word; in a stage column
  it stays a stage, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel.detect import lexicon, vocab
from funnel.detect.columns import (
    SAMPLE_ROWS,
    ColumnGuess,
    Profile,
    detect_columns,
    guess_columns,
    parse_stage_date_header,
    profile_columns,
    sample_rows,
)
from funnel.detect.stages import (
    DateColumns,
    date_columns,
    disagreements,
    match_dates,
    order_stage_values,
    precedence_order,
)
from funnel.notices import Notice
from funnel.spec import EVENT_ROLES, ROLES, Events, Spec, Stage
from funnel.values import norm_label

CONFIDENT = 0.5


@dataclass(frozen=True)
class Inference:
    """A proposed spec with the column guesses behind it and warnings for the person checking it."""

    spec: Spec
    guesses: tuple[ColumnGuess, ...]
    warnings: tuple[Notice, ...]  # what detection could not tell, each with its fix
    events_guesses: tuple[ColumnGuess, ...] = ()


@dataclass(frozen=True)
class _Label:
    """One stage or status value: spellings grouped by norm_label, most common first."""

    key: str
    spellings: tuple[str, ...]
    count: int
    outcome: str | None

    @property
    def name(self) -> str:
        return self.spellings[0]

    @property
    def pipeline(self) -> str:
        m = vocab.BITRIX_PREFIX.match(self.key)
        return m.group(1) if m else ""

    @property
    def base(self) -> str:
        return vocab.BITRIX_PREFIX.sub("", self.key)


def _group(pairs: Iterable[tuple[object, int]], *, in_status: bool = False) -> dict[str, _Label]:
    spellings: dict[str, dict[str, int]] = {}
    for raw, count in pairs:
        text = str(raw).strip()
        key = norm_label(text)
        if count > 0 and key:
            seen = spellings.setdefault(key, {})
            seen[text] = seen.get(text, 0) + int(count)
    out = {}
    for key, seen in spellings.items():
        ordered = tuple(sorted(seen, key=lambda t: (-seen[t], t)))
        out[key] = _Label(
            key, ordered, sum(seen.values()), vocab.outcome_of(key, in_status=in_status)
        )
    return out


def _codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def _labels(series: pd.Series, *, in_status: bool = False) -> dict[str, _Label]:
    codes, uniques = _codes(series)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    top = np.argsort(-counts, kind="stable")[:5_000]  # a stage column has dozens, not thousands
    return _group(((uniques[i], counts[i]) for i in top), in_status=in_status)


def _labels_by_pipeline(
    stage: pd.Series, pipeline: pd.Series
) -> tuple[dict[str, _Label], dict[str, dict[str, _Label]]]:
    """Pipeline labels, and the stage labels within each pipeline (by pipeline key)."""
    s_codes, s_uniques = _codes(stage)
    p_codes, p_uniques = _codes(pipeline)
    ok = (s_codes >= 0) & (p_codes >= 0)
    cells = np.bincount(
        p_codes[ok] * len(s_uniques) + s_codes[ok], minlength=len(p_uniques) * len(s_uniques)
    ).reshape(len(p_uniques), len(s_uniques))
    pipelines = _group(
        zip(p_uniques, np.bincount(p_codes[p_codes >= 0], minlength=len(p_uniques)), strict=True)
    )
    by_key: dict[str, np.ndarray] = {}
    for i, raw in enumerate(p_uniques):
        key = norm_label(raw)
        by_key[key] = by_key.get(key, 0) + cells[i]
    return pipelines, {k: _group(zip(s_uniques, row, strict=True)) for k, row in by_key.items()}


def _event_ranks(
    frame: pd.DataFrame, deal: str, stage: str, at: str
) -> tuple[dict[str, float], dict[str, _Label]]:
    """Median rank of each stage's first entry within a deal, by stage key; and the labels.

    A big history is cut to the events of about ``SAMPLE_ROWS`` rows' worth of deals, picked by a
    hash of the deal value, so every kept deal keeps its whole path and row order does not matter.
    """
    labels = _labels(frame[stage])
    if len(frame) > 2 * SAMPLE_ROWS:
        hashed = pd.util.hash_pandas_object(frame[deal], index=False).to_numpy()
        frame = frame[hashed % np.uint64(-(-len(frame) // SAMPLE_ROWS)) == 0]
    s_codes, s_uniques = _codes(frame[stage])
    key_index = {k: i for i, k in enumerate(labels)}
    group = np.array([key_index.get(norm_label(u), -1) for u in s_uniques] + [-1], dtype=np.int64)
    d_codes, d_uniques = _codes(frame[deal])
    when = pd.to_datetime(frame[at], errors="coerce").to_numpy(dtype="datetime64[ns]")
    g = group[s_codes]
    ok = (g >= 0) & (d_codes >= 0) & ~np.isnat(when)
    n_stages = len(labels)
    first = pd.Series(when[ok].astype(np.int64)).groupby(d_codes[ok] * n_stages + g[ok]).min()
    entered = np.full((len(d_uniques), n_stages), np.nan)
    cells = first.index.to_numpy(np.int64)
    entered[cells // n_stages, cells % n_stages] = first.to_numpy(float)
    # Each stage scores the stages it is usually entered before, among deals that entered both:
    # deals that skip stages or stop early cannot bias a pairwise count as they bias ranks.
    seen = ~np.isnan(entered)
    wins = np.zeros(n_stages)
    for a in range(n_stages):
        for b in range(a + 1, n_stages):
            both = seen[:, a] & seen[:, b]
            before = int((entered[both, a] < entered[both, b]).sum())
            after = int((entered[both, a] > entered[both, b]).sum())
            if before != after:
                wins[a if before > after else b] += 1
    keys = list(labels)
    # Higher is later: a stage entered before many others comes first.
    ranks = {keys[s]: float(n_stages - wins[s]) for s in range(n_stages) if seen[:, s].any()}
    return ranks, labels


# Why the stage order is a guess, in the spec's ``guessed`` (a reason a person reads in the file).
ORDER_GUESS_REASONS = {
    "frequency": "nothing in the file tells the order of the stages: they are ordered by how "
    "many deals sit at each",
    "mixed": "the file does not tell where {stages} go: they are placed by deal counts",
    "disagree": "the dates put {stages} in an order their names contradict",
}


def _with_spare_dates(
    frame: pd.DataFrame, stages: tuple[Stage, ...], dated: tuple[ColumnGuess, ...]
) -> tuple[Stage, ...]:
    """Stage-date columns no stage value names (no deal sits there now) as stages of their own.

    Each goes right after the stage whose date column precedes it by the dates; a column that
    precedes every dated stage goes before the first of them. Outcome dates are left out, and
    so are the columns of another pipeline than the matched ones (HubSpot's suffixes).
    """
    used = {s.column for s in stages if s.column}
    pipeline_of = {
        g.column: (parse_stage_date_header(g.column, False) or ("", None, ""))[1] or ""
        for g in dated
    }
    pipelines = {pipeline_of[c] for c in used if c in pipeline_of}
    spare = [
        g for g in dated
        if g.column not in used
        and vocab.outcome_of(norm_label(g.stage or "")) not in ("won", "lost")
        and (not pipelines or pipeline_of[g.column] in pipelines)
    ]  # fmt: skip
    if not spare:
        return stages
    order = precedence_order(
        frame, [*(s.column for s in stages if s.column), *(g.column for g in spare)]
    )
    rank = {c: i for i, c in enumerate(order)}
    out = list(stages)
    names = {s.name for s in stages}
    for g in sorted(spare, key=lambda g: rank[g.column]):
        name = str(g.stage or g.column)
        if name in names:
            name = g.column
        before = [i for i, s in enumerate(out) if s.column and rank[s.column] < rank[g.column]]
        at = before[-1] + 1 if before else next(i for i, s in enumerate(out) if s.column)
        out.insert(at, Stage(name=name, column=g.column))
        names.add(name)
    return tuple(out)


@dataclass(frozen=True)
class _MarksPlan:
    """A second file whose rows each mark one stage, keyed to a deal-list column."""

    list_key: str  # the deal list's column the file's key matches
    key: str  # the second file's key column
    at: str  # the second file's date column
    share: float  # of the file's keys found in the list


_WON_HEADER = re.compile(r"won|win|closed|close|sold|paid|payment|выигр|закрыт|оплат|продаж|успеш")


def _marks_plan(
    frame: pd.DataFrame, events: pd.DataFrame, guesses: tuple[ColumnGuess, ...]
) -> _MarksPlan | None:
    """The key and date of a second file with no stage column, matched by the keys' values."""
    dates = [g.column for g in guesses if g.kind == "date"]
    if not dates:
        return None
    ev_sample, list_sample = sample_rows(events), sample_rows(frame)
    list_keys: dict[str, set[str]] = {}
    for list_col in list_sample.columns:
        raw = list_sample[list_col].dropna()
        if len(raw) and raw.nunique() >= 0.9 * len(raw):  # a key names each deal once
            list_keys[str(list_col)] = {norm_label(v) for v in raw.unique()} - {""}
    best: _MarksPlan | None = None
    for ev_col in ev_sample.columns:
        if str(ev_col) in dates:
            continue
        values = {norm_label(v) for v in ev_sample[ev_col].dropna().unique()} - {""}
        if len(values) < 2:
            continue
        for list_col, keys in list_keys.items():
            share = len(values & keys) / len(values)
            if share >= 0.5 and (best is None or share > best.share):
                won_first = sorted(dates, key=lambda c: not _WON_HEADER.search(norm_label(c)))
                best = _MarksPlan(list_col, str(ev_col), won_first[0], share)
    return best


def _apply_marks(
    plan: _MarksPlan,
    stages: tuple[Stage, ...],
    columns: dict[str, str],
    guesses: tuple[ColumnGuess, ...],
    won: list[str],
    warnings: list[Notice],
) -> tuple[tuple[Stage, ...], Events]:
    """Stages and the ``events`` block for a second file whose rows mark one stage each."""
    russian = any(re.search("[а-яё]", str(g.column), re.I) for g in guesses)
    at_stage = parse_stage_date_header(plan.at, False)
    if _WON_HEADER.search(norm_label(plan.at)) or not at_stage or not at_stage[0]:
        if not won:
            won.append("Выиграна" if russian else "Won")
        mark = won[0]
    else:
        mark = vocab.stage_name_from(at_stage[0])
        if all(norm_label(mark) not in map(norm_label, s.match) for s in stages):
            stages = (*stages, Stage(name=mark))
    if not stages or (len(stages) == 1 and stages[0].name == mark):
        lead = next((g.stage for g in guesses if g.stage and g.role == "created"), None)
        first = Stage(name=lead or ("Лид" if russian else "Lead"))
        stages = (first, *(s for s in stages if s.name != first.name))
    for role, header in list(columns.items()):
        if header == plan.list_key:
            del columns[role]
    columns["deal"] = plan.list_key
    warnings.append(Notice("detect_events_marks_stage", {"stage": mark, "key": plan.key}))
    return stages, Events(columns={"deal": plan.key, "at": plan.at}, join="deal", stage=mark)


def _payment_as_won(
    stages: tuple[Stage, ...],
    columns: dict[str, str],
    won: list[str],
    lost: list[str],
    warnings: list[Notice],
) -> tuple[Stage, ...]:
    """A register with no status: its last date column, a full payment, is the day of the win.

    Only where nothing else says won (no status, no won value, no won date) and the last stage
    reads as the payment; a stage after it (delivery) keeps the payment a stage.
    """
    if won or "status" in columns or "won_at" in columns or len(stages) < 3:
        return stages
    last = stages[-1]
    phase = lexicon.phase_of(last.name)
    if last.column is None or phase is None or not 7.0 <= phase < 8.0:
        return stages
    columns["won_at"] = last.column
    warnings.append(Notice("detect_payment_is_won", {"column": last.column}))
    return stages[:-1]


def _probability_column(frame: pd.DataFrame, guesses: Iterable[ColumnGuess]) -> str | None:
    for g in guesses:
        key = vocab.header_key(g.column).key
        if g.kind in ("number", "text") and ("probab" in key or "вероятн" in key):
            return g.column
    return None


def _value_stages(
    frame: pd.DataFrame,
    columns: dict[str, str],
    guesses: tuple[ColumnGuess, ...],
    stage_labels: list[_Label],
    found: DateColumns | None,
    ranks: dict[str, float] | None,
    warnings: list[Notice],
    lost_values: list[str],
) -> tuple[tuple[Stage, ...], dict[str, str]]:
    """Stages from a stage column's values, in evidence order, with the dates that are theirs."""
    names = {x.key: x.name for x in stage_labels}
    matched: dict[str, ColumnGuess] = {}
    fill: list[str] = []
    if found is not None:
        lone = [g for g in guesses if g.by_default and g.kind == "date"]
        pool = [*found.stage_dates, *lone]
        pool += [g for g in guesses if g.column in found.others and g not in pool]
        matched = match_dates(names, pool)
        for key, g in matched.items():
            for role, header in list(columns.items()):
                if header == g.column:
                    del columns[role]  # engage_date is Engaging's date, not the creation
            warnings.append(
                Notice("detect_stage_date_match", {"column": g.column, "stage": names[key]})
            )
        used = {g.column for g in matched.values()}
        fill = [g.column for g in (*found.stage_dates, *lone)] + list(found.others)
        fill += [c for c in used if c not in fill]
    stage_col = frame[columns["stage"]] if "stage" in columns else pd.Series(dtype=object)
    if "stage" in columns and "lost_stage" in columns:
        # A lost deal sat at its stage at loss: the evidence reads it there.
        lost_keys = {norm_label(v) for v in lost_values}
        is_lost = stage_col.map(norm_label).isin(lost_keys)
        at_loss = frame[columns["lost_stage"]]
        stage_col = stage_col.where(~is_lost | at_loss.isna(), at_loss)
    order = order_stage_values(
        frame,
        stage_col,
        {x.key: (x.name, x.spellings, x.count) for x in stage_labels},
        history=ranks,
        fill_columns=fill if "stage" in columns else (),
        probability=_probability_column(frame, guesses) if "stage" in columns else None,
    )
    by_key = {x.key: x for x in stage_labels}
    stages = tuple(
        Stage(
            name=by_key[k].name,
            match=by_key[k].spellings,
            column=matched[k].column if k in matched else None,
        )
        for k in order.keys
    )
    if found is not None and matched:
        stages = _with_spare_dates(frame, stages, found.stage_dates)
    guessed: dict[str, str] = {}
    if len(stages) > 1:
        params: dict[str, object] = {"basis": order.basis}
        known = lexicon.known_order(names.values())
        if order.basis == "crm_default" and known is not None:
            params["crm"] = known.crm
        warnings.append(Notice("detect_order_evidence", params))
        unsure = [
            names[k]
            for i, k in enumerate(order.keys)
            if (i > 0 and order.steps[i - 1] == "frequency")
            or (i < len(order.steps) and order.steps[i] == "frequency")
        ]
        reason = None
        if order.guess:
            reason = "frequency" if order.basis == "frequency" else "mixed"
        elif order.basis in ("date_fill", "probability"):
            clash = disagreements(order, names)
            if clash:
                reason, unsure = "disagree", list(dict.fromkeys(n for pair in clash for n in pair))
        if reason is not None:
            shown = ", ".join(f"«{n}»" for n in unsure)
            text = ORDER_GUESS_REASONS[reason].format(stages=shown)
            guessed["stage_order"] = text
            warnings.append(Notice("detect_order_guess", {"reason": reason, "stages": unsure}))
    return stages, guessed


def stage_names(stages: tuple[Stage, ...]) -> set[str]:
    return {s.name for s in stages}


def _dedupe(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _history_key(roles: dict[str, str]) -> str | None:
    """The role naming the deal in a history: its ID, else its title (Salesforce's report)."""
    return next((r for r in ("deal", "title") if r in roles), None)


def _is_history(frame: pd.DataFrame, roles: dict[str, str], profiles: list[Profile]) -> bool:
    key = _history_key(roles)
    if key is None or not {"stage", "at"} <= set(roles):
        return False
    p = profiles[list(map(str, frame.columns)).index(roles[key])]
    # A deal list names each deal once; a history repeats it (even in a sample of a big one).
    return p.n > 0 and p.distinct <= 0.95 * p.n


def _confident(guesses: Iterable[ColumnGuess], allowed: Iterable[str]) -> dict[str, str]:
    allowed = set(allowed)
    return {g.role: g.column for g in guesses if g.role in allowed and g.confidence >= CONFIDENT}


def _stage_date_stages(
    frame: pd.DataFrame, dated: list[ColumnGuess], warnings: list[Notice]
) -> tuple[Stage, ...]:
    """Stages of a stage-date layout: one pipeline's columns, outcomes left out, in order."""
    parsed = {g.column: parse_stage_date_header(g.column, False) for g in dated}
    pipelines: dict[str, list[ColumnGuess]] = {}
    for g in dated:
        pipelines.setdefault((parsed[g.column] or ("", None, ""))[1] or "", []).append(g)
    if len(pipelines) > 1:
        sample = sample_rows(frame)
        filled = {
            p: sum(int(sample[g.column].notna().sum()) for g in gs) for p, gs in pipelines.items()
        }
        chosen = max(pipelines, key=lambda p: (len(pipelines[p]), filled[p], p))
        others = sorted(p for p in pipelines if p != chosen)
        warnings.append(Notice("detect_date_pipelines", {"chosen": chosen, "others": others}))
        dated = pipelines[chosen]
    dated = [g for g in dated if vocab.outcome_of(norm_label(g.stage)) not in ("won", "lost")]
    by_column = {g.column: g for g in dated}
    dated = [by_column[c] for c in precedence_order(frame, [g.column for g in dated])]
    names: dict[str, int] = {}
    stages = []
    for g in dated:
        name = str(g.stage)
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name = f"{name} ({names[name]})"
        stages.append(Stage(name=name, column=g.column))
    return tuple(stages)


def infer_spec(frame: pd.DataFrame, events: pd.DataFrame | None = None) -> Inference:
    """Propose a spec for ``frame`` (a deal list or a stage history), with an optional history.

    >>> frame = pd.DataFrame({
    ...     "Этап сделки": ["Первичный контакт", "Переговоры", "Успешно реализовано"] * 2,
    ...     "Бюджет ": [100.0, 250.0, 300.0, 120.0, 90.0, 400.0],
    ...     "Дата создания сделки": pd.to_datetime(["2024-01-0%d" % d for d in range(1, 7)]),
    ... })
    >>> inference = infer_spec(frame)
    >>> inference.spec.stage_names, inference.spec.won
    (('Первичный контакт', 'Переговоры'), ('Успешно реализовано',))
    """
    profiles = profile_columns(frame)
    guesses = guess_columns(frame, False, profiles)
    columns = _confident(guesses, ROLES)
    warnings: list[Notice] = []
    events_guesses: tuple[ColumnGuess, ...] = ()
    spec_events: Events | None = None
    marks: _MarksPlan | None = None
    ranks: dict[str, float] | None = None
    labels: dict[str, _Label] = {}

    if events is not None:
        events_guesses = detect_columns(events, events=True)
        ev = _confident(events_guesses, EVENT_ROLES)
        join = next((r for r in ("deal", "title") if r in ev and r in columns), None)
        if join is None and "stage" in ev:
            warnings.append(Notice("detect_history_no_key"))
            join = "deal" if "deal" in ev else "title" if "title" in ev else None
        if "stage" not in ev and (plan := _marks_plan(frame, events, events_guesses)):
            marks = plan
        elif join and "stage" in ev and "at" in ev:
            keep = {join: ev[join], "stage": ev["stage"], "at": ev["at"]}
            spec_events = Events(columns=keep, join="title" if join == "title" else "deal")
            ranks, labels = _event_ranks(events, ev[join], ev["stage"], ev["at"])
        else:
            warnings.append(Notice("detect_history_columns"))
    else:
        ev_profiles_guesses = guess_columns(frame, True, profiles)
        ev = _confident(ev_profiles_guesses, EVENT_ROLES)
        if _is_history(frame, ev, profiles):
            events_guesses = ev_profiles_guesses
            # The frame is itself a history: its deal, stage and time columns come from the
            # history reading (OWNER_ID, not the row ID), the other roles from the deal reading.
            key = _history_key(ev)
            assert key is not None
            own = {ev[r]: r for r in (key, "stage", "at")}
            by_column = {g.column: g for g in ev_profiles_guesses}
            guesses = tuple(
                by_column[g.column]
                if g.column in own
                else ColumnGuess(g.column, None, 0.0, "a history: this role is another column's")
                if g.role in ("deal", "title", "stage", "at", "created")
                else g
                for g in guesses
            )
            columns = _confident(guesses, ROLES)
            ranks, labels = _event_ranks(frame, ev[key], ev["stage"], ev["at"])
            if key == "title":
                warnings.append(Notice("detect_history_by_title", {"column": ev[key]}))

    found = date_columns(frame, guesses) if ranks is None else None
    dated = list(found.stage_dates) if found is not None else []
    for role in found.released if found is not None else ():
        columns.pop(role, None)
    layout = "history" if ranks is not None else "stage_dates" if len(dated) >= 2 else "snapshot"

    flt: dict[str, tuple[str, ...]] = {}
    if "stage" in columns and (layout != "history" or events is not None):
        stage_col = frame[columns["stage"]]
        if "pipeline" in columns:
            pipelines, per_pipeline = _labels_by_pipeline(stage_col, frame[columns["pipeline"]])
            if len(pipelines) > 1:
                largest = max(pipelines.values(), key=lambda x: (x.count, x.key))
                flt["pipeline"] = largest.spellings
                others = [
                    x.name
                    for x in sorted(pipelines.values(), key=lambda x: -x.count)
                    if x is not largest
                ]
                warnings.append(
                    Notice(
                        "detect_pipelines",
                        {
                            "n": len(pipelines),
                            "largest": largest.name,
                            "count": largest.count,
                            "others": others,
                        },
                    )
                )
                own_labels = per_pipeline.get(largest.key, {})
            else:
                own_labels = _labels(stage_col)
        else:
            own_labels = _labels(stage_col)
        for key, x in own_labels.items():
            if key in labels:
                old = labels[key]
                merged = _dedupe((*old.spellings, *x.spellings))
                labels[key] = _Label(key, merged, old.count + x.count, old.outcome)
            elif layout != "history" or x.outcome in ("won", "lost"):
                labels[key] = x
        if "lost_stage" in columns and layout != "history":
            # The stage at loss names stages too, also one no open deal sits at now.
            for key, x in _labels(frame[columns["lost_stage"]]).items():
                if key not in labels and x.outcome is None and x.count >= 2:
                    labels[key] = _Label(key, x.spellings, 0, None)
    status = _labels(frame[columns["status"]], in_status=True) if "status" in columns else {}

    stage_labels = [x for x in labels.values() if x.outcome not in ("won", "lost")]
    prefixes = {x.pipeline for x in labels.values()}
    if len(prefixes) > 1:
        sizes = {p: sum(x.count for x in labels.values() if x.pipeline == p) for p in prefixes}
        main = max(prefixes, key=lambda p: (sizes[p], p == "", p))
        prefix_list = [f"C{p}:" if p else "" for p in sorted(prefixes)]
        warnings.append(
            Notice(
                "detect_bitrix_prefixes",
                {"prefixes": prefix_list, "main": f"C{main}:" if main else ""},
            )
        )
        stage_labels = [x for x in stage_labels if x.pipeline == main]
        labels = {k: x for k, x in labels.items() if x.pipeline == main}
    won = [s for x in labels.values() if x.outcome == "won" for s in x.spellings]
    lost = [s for x in labels.values() if x.outcome == "lost" for s in x.spellings]
    stage_lost = bool(lost)
    status_won = [s for x in status.values() if x.outcome == "won" for s in x.spellings]
    if not status_won:
        status_won = [s for x in status.values() if x.outcome == "paid" for s in x.spellings]
    won += status_won
    lost += [s for x in status.values() if x.outcome == "lost" for s in x.spellings]
    # A value the status column calls won or lost («Оплачено» there) is no stage either.
    outcomes = {norm_label(v) for v in (*won, *lost)}
    stage_labels = [x for x in stage_labels if x.key not in outcomes]

    guessed: dict[str, str] = {}
    if stage_labels and (layout != "stage_dates" or len(stage_labels) >= 2):
        stages, guessed = _value_stages(
            frame, columns, guesses, stage_labels, found, ranks, warnings, lost
        )
        if found is not None and any(s.column for s in stages):
            layout = "stage_dates"
    elif layout == "stage_dates":
        stages = _stage_date_stages(frame, dated, warnings)
        stages = _payment_as_won(stages, columns, won, lost, warnings)
    else:
        stages = ()

    if marks is not None:
        stages, spec_events = _apply_marks(marks, stages, columns, guesses, won, warnings)
    if not stages:
        warnings.append(Notice("detect_no_stage"))
    if "amount" not in columns:
        warnings.append(Notice("detect_no_amount"))
    if "created" not in columns and layout == "snapshot":
        warnings.append(Notice("detect_no_created"))
    if layout == "snapshot" and stage_lost and "lost_stage" not in columns:
        warnings.append(Notice("detect_lost_stage_unknown", {"values": list(_dedupe(lost[:3]))}))
    paid_stages = [
        s for s in stages if not s.column and vocab.outcome_of(norm_label(s.name)) == "paid"
    ]
    if len(paid_stages) == 1 and not won and len(stages) > 1:
        # «Оплачено», and nothing else says won: the paid deals are the wins.
        paid_stage = paid_stages[0]
        won = list(paid_stage.match)
        stages = tuple(s for s in stages if s is not paid_stage)
        warnings.append(Notice("detect_paid_is_won", {"value": paid_stage.name}))
    paid = [x.name for x in stage_labels if x.outcome == "paid" and x.name in stage_names(stages)]
    if paid and not won:
        warnings.append(Notice("detect_paid_is_stage", {"value": paid[0]}))
    if not won and not lost and not {"won_at", "lost_at"} & set(columns) and stages:
        guessed["outcomes"] = (
            "no value in the file says a deal was won or lost: every deal counts as open"
        )
    if not won and not lost:
        warnings.append(Notice("detect_no_outcomes"))
    spec = Spec(
        columns=columns,
        stages=stages,
        won=_dedupe(won),
        lost=_dedupe(lost),
        filter=flt,
        events=spec_events,
        guessed=guessed,
    )
    return Inference(spec, guesses, tuple(warnings), events_guesses)
