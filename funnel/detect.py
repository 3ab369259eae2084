"""Column detection: which source column plays which role, and a first funnel spec proposal.

Headers are read first (``funnel.vocab``), values second. Values are profiled on a fixed sample
of at most ``SAMPLE_ROWS`` rows, so a million-row export is as quick as a small one; the stage,
status and pipeline columns the spec is built from are then counted in full.

Rules, in short:

- each column gets one guess; each role goes to at most one column, the most confident winning
  (ties: an original header over a pandas duplicate ``X.1``, then the header text);
- a role is proposed in the spec when its confidence is at least ``CONFIDENT``;
- a header that contradicts the column's type (a "Сумма" holding dates) loses confidence;
- in a hand-made register the first stage-date column doubles as the creation date: it is a
  stage, not the ``created`` role (one column never plays two roles), and no "no creation date"
  warning is raised for a stage-date layout. A lone «Дата <x>» column, though, is ``created``;
- a frame is itself a stage history when its history reading finds deal, stage and time columns
  and the deal column repeats (fewer than 95% distinct values in the sample);
- stage order: stage-date columns (HubSpot's by known pipeline, else by their dates), then the
  history (median rank of each stage's first entry within a deal), then a CRM's default order
  (at least two and half the values match), then frequency (most deals first);
- «Оплачено» ("paid") is won only in a status column with no other won word; in a stage column
  it stays a stage, with a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel import vocab
from funnel.notices import Notice
from funnel.spec import EVENT_ROLES, ROLES, Events, Spec, Stage
from funnel.values import norm_label

SAMPLE_ROWS = 50_000
CONFIDENT = 0.5
_TOP = 200  # distinct values of a text column looked at by name

_EXPECTED_KIND = {
    "amount": "number",
    "created": "date",
    "closed": "date",
    "at": "date",
    "stage_date": "date",
    "deal": "id",
}


@dataclass(frozen=True)
class ColumnGuess:
    """What one column is taken for: a role (or ``stage_date``, or None), how sure, and why."""

    column: str
    role: str | None
    confidence: float
    reason: str
    stage: str | None = None


@dataclass(frozen=True)
class Inference:
    """A proposed spec with the column guesses behind it and warnings for the person checking it."""

    spec: Spec
    guesses: tuple[ColumnGuess, ...]
    warnings: tuple[Notice, ...]  # what detection could not tell, each with its fix
    events_guesses: tuple[ColumnGuess, ...] = ()


# ---- value profiles -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    kind: str  # text, number, date, empty
    n: int  # non-empty values in the sample
    distinct: int
    keys: dict[str, int]  # text: norm_label -> count, over the most common raw values
    numbers: np.ndarray | None = None
    median: float = 0.0  # date: median as int64 nanoseconds
    filled: float = 0.0


def _sample(frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame) <= SAMPLE_ROWS:
        return frame
    rows = np.sort(np.random.default_rng(0).choice(len(frame), SAMPLE_ROWS, replace=False))
    return frame.iloc[rows]


def _profile(series: pd.Series) -> _Profile:
    size = max(len(series), 1)
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(series):
        values = series.dropna()
        if values.empty:
            return _Profile("empty", 0, 0, {})
        ns = values.to_numpy(dtype="datetime64[ns]").astype(np.int64)
        med = float(np.median(ns))
        return _Profile("date", len(ns), len(np.unique(ns)), {}, median=med, filled=len(ns) / size)
    if pd.api.types.is_bool_dtype(series):
        return _Profile("text", int(series.notna().sum()), 2, {"true": 1, "false": 1})
    if pd.api.types.is_numeric_dtype(series):
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
        numbers = numbers[~np.isnan(numbers)]
        if not len(numbers):
            return _Profile("empty", 0, 0, {})
        distinct = len(np.unique(numbers))
        return _Profile("number", len(numbers), distinct, {}, numbers, filled=len(numbers) / size)
    counts = series.dropna().astype(str).value_counts(sort=True)
    keys: dict[str, int] = {}
    for raw, count in counts.iloc[:_TOP].items():
        key = norm_label(raw)
        if key:
            keys[key] = keys.get(key, 0) + int(count)
    blank = sum(int(c) for raw, c in counts.iloc[:_TOP].items() if not norm_label(raw))
    n = int(counts.sum()) - blank
    if n <= 0:
        return _Profile("empty", 0, 0, {})
    return _Profile("text", n, len(counts) - (1 if blank else 0), keys, filled=n / size)


def _status_like(p: _Profile) -> bool:
    if p.kind != "text" or not p.keys or len(p.keys) > 6:
        return False
    outcomes = {k: vocab.outcome_of(k, in_status=True) for k in p.keys}
    covered = sum(c for k, c in p.keys.items() if outcomes[k])
    closing = {o for o in outcomes.values() if o in ("won", "lost", "paid")}
    return covered >= 0.9 * sum(p.keys.values()) and bool(closing & {"won", "lost"})


def _stage_like(p: _Profile) -> float:
    """Share of distinct values that look like stage names (0 when the column cannot be one)."""
    if p.kind != "text" or not 2 <= p.distinct <= 60 or p.distinct > max(2, 0.5 * p.n):
        return 0.0
    known = {k for order in vocab.KNOWN_ORDERS.values() for k in order}
    hits = sum(
        1
        for k in p.keys
        if vocab.STAGE_HINTS.search(k)
        or vocab.outcome_of(k) in ("won", "lost")
        or vocab.BITRIX_PREFIX.sub("", k) in known
    )
    return hits / len(p.keys)


def _value_scores(p: _Profile) -> dict[str, tuple[float, str]]:
    """Roles a column's values suggest on their own, for columns with an unknown header."""
    out: dict[str, tuple[float, str]] = {}
    if p.kind == "text":
        distinct_keys = list(p.keys)
        repeated = p.distinct <= max(2, 0.5 * p.n)
        if _status_like(p):
            out["status"] = (0.75, "values look like deal statuses (won/lost/open)")
        share = _stage_like(p)
        if share >= 0.3:
            conf = 0.45 if "status" in out else min(0.85, 0.55 + 0.3 * share)
            out["stage"] = (conf, "values look like stage names")
        if repeated and distinct_keys:
            chan = sum(1 for k in distinct_keys if vocab.CHANNEL_HINTS.search(k))
            if chan >= 0.4 * len(distinct_keys):
                out["channel"] = (0.6, "values look like lead sources")
            if sum(c for k, c in p.keys.items() if k in vocab.CURRENCY_WORDS) >= 0.9 * p.n:
                out["currency"] = (0.8, "values are currency codes")
            if sum(1 for k in distinct_keys if "воронка" in k or "pipeline" in k) >= 0.5 * len(
                distinct_keys
            ):
                out["pipeline"] = (0.6, "values name pipelines")
        codes = p.n >= 3 and p.distinct == p.n <= _TOP
        if codes and all(vocab.DEAL_CODE.match(k) for k in distinct_keys):
            out["deal"] = (0.6, "unique codes, one per row")
        return out
    if p.kind == "number" and p.numbers is not None:
        x = p.numbers
        integer = bool(np.all(x == np.round(x)))
        unique = p.distinct == p.n
        if (
            x.min() >= 25_000
            and x.max() <= 60_000
            and np.mean(x % 100 == 0) < 0.2
            and (not integer or x.max() - x.min() < 3_660)
        ):
            return {}  # Excel date serials, not money
        if integer and unique and p.n >= 3 and x.min() >= 0:
            dense = x.max() - x.min() + 1 <= 3 * p.n
            if dense or np.mean(x % 100 == 0) < 0.5:
                out["deal"] = (0.6, "unique whole numbers, one per row")
        many = p.distinct >= min(10, max(3, 0.3 * p.n))
        probability = integer and x.max() <= 100
        if np.mean(x >= 0) >= 0.95 and np.mean(x > 0) >= 0.5 and many and not probability:
            out["amount"] = (0.4 if "deal" in out else 0.55, "many distinct positive numbers")
    return out


# ---- headers --------------------------------------------------------------------------------


def _stage_date(header: str, events: bool) -> tuple[str, str | None, str] | None:
    """(stage, pipeline, source) when the header is a stage's date column; ("", ..) for noise."""
    if events:
        return None
    if vocab.HUBSPOT_OTHER.match(header):
        return ("", None, "HubSpot")
    m = vocab.HUBSPOT_ENTERED.match(header)
    if m:
        inner = m.group(1).strip()
        pm = vocab.PIPELINE_SUFFIX.match(inner)
        return (pm.group(1), pm.group(2).strip(), "HubSpot") if pm else (inner, None, "HubSpot")
    for pattern in (vocab.STAGE_DATE_RU, vocab.STAGE_DATE_SUFFIX, vocab.STAGE_DATE_EN):
        m = pattern.match(header)
        if m:
            part = next(g for g in m.groups() if g)
            if part and not vocab.NOT_A_STAGE.match(norm_label(part)):
                return (vocab.stage_name_from(part), None, "")
    return None


def _header_hints(
    header: str, events: bool
) -> tuple[list[vocab.Hint], vocab.HeaderKey, tuple[str, str | None, str] | None]:
    """Readings of a header: exact spellings, else a stage-date form, else loose patterns."""
    hk = vocab.header_key(header)
    table = vocab.EVENT_EXACT if events else vocab.EXACT
    hints = list(table.get(hk.key, ()))
    if not hints and events:
        hints = [h for h in vocab.EXACT.get(hk.key, ()) if h[0] in EVENT_ROLES]
    if not hints:
        stage_date = _stage_date(header, events)
        if stage_date is not None:
            return [], hk, stage_date

        for pattern, role, conf in vocab.PATTERNS:
            if pattern.search(hk.key):
                hints = [(role, conf, "")]
                break
    if events:
        hints = [h for h in hints if h[0] is None or h[0] in EVENT_ROLES]
    if hk.pipedrive:
        hints = [(r, c, c_ or "Pipedrive") for r, c, c_ in hints]
    return hints, hk, None


def _kind_factor(role: str, kind: str) -> float:
    expected = _EXPECTED_KIND.get(role, "text")
    if kind == "empty" or kind == expected:
        return 1.0
    if expected == "id":
        return 1.0 if kind in ("number", "text") else 0.3
    if kind == "date":
        return 0.3  # a datetime column is never a label or an amount
    if expected == "text" and kind == "number":
        return 0.75  # numeric codes (Bitrix CATEGORY_ID, amoCRM status ids)
    return 0.6


# ---- detect_columns -------------------------------------------------------------------------


@dataclass
class _Candidates:
    column: str
    profile: _Profile
    mangled: bool
    scores: dict[str, tuple[float, str]]
    noise: str | None = None
    stage: tuple[str, str | None] | None = None  # stage_date: (stage, pipeline)


def _profiles(frame: pd.DataFrame) -> list[_Profile]:
    sample = _sample(frame)
    return [_profile(sample.iloc[:, i]) for i in range(sample.shape[1])]


def _candidates(frame: pd.DataFrame, events: bool, profiles: list[_Profile]) -> list[_Candidates]:
    out = []
    for column, p in zip(frame.columns, profiles, strict=True):
        header = str(column)
        hints, hk, sd = _header_hints(header, events)
        c = _Candidates(header, p, hk.mangled, {})
        quoted = f'header "{header.strip()}"'
        if sd is not None:
            stage, pipeline, crm = sd
            if not stage:
                c.noise = f"{quoted} is a {crm} stage-time column, not a date of entry"
            else:
                c.stage = (stage, pipeline)
                conf = 0.85 * _kind_factor("stage_date", p.kind)
                c.scores["stage_date"] = (conf, f"{quoted}{f' ({crm})' if crm else ''}")
            out.append(c)
            continue
        if hints and all(r is None for r, _, _ in hints):
            c.noise = f"{quoted} is not a funnel column"
            out.append(c)
            continue
        status_like = _status_like(p)
        for role, conf, crm in hints:
            if role is None:
                continue
            conf *= _kind_factor(role, p.kind)
            if role == "status" and p.kind == "text" and not status_like:
                conf *= 0.5
            if role == "stage" and status_like:
                conf *= 0.6
            c.scores[role] = (conf, f"{quoted}{f' ({crm})' if crm else ''}")
        values = _value_scores(p)
        for role, (conf, why) in values.items():
            if events and role not in EVENT_ROLES:
                continue
            if role in c.scores:
                h, why_h = c.scores[role]
                c.scores[role] = (min(1.0, max(h, conf) + 0.05), f"{why_h}; {why}")
            elif not hints:
                c.scores[role] = (conf, why)
        out.append(c)
    return out


def _assign(cands: list[_Candidates], events: bool) -> dict[str, tuple[str, float, str]]:
    ranked = sorted(
        (
            (conf, role, c.mangled, c.column, why)
            for c in cands
            for role, (conf, why) in c.scores.items()
            if role != "stage_date"
        ),
        key=lambda t: (-t[0], t[2], t[3], t[1]),
    )  # fmt: skip
    taken: dict[str, tuple[str, float, str]] = {}
    used: set[str] = set()
    for conf, role, _, column, why in ranked:
        if role in taken or column in used or conf < 0.3:
            continue
        taken[role] = (column, conf, why)
        used.add(column)
    # Dates without a telling header: the earliest, fullest is the creation, a later one closing.
    dates = [
        c for c in cands
        if c.profile.kind == "date" and c.column not in used and not c.scores and c.noise is None
        and c.stage is None
    ]  # fmt: skip
    first_role, later_role = ("at", None) if events else ("created", "closed")
    if first_role not in taken and dates:
        full = [c for c in dates if c.profile.filled >= 0.8] or dates
        best = min(full, key=lambda c: (c.profile.median, c.column))
        taken[first_role] = (best.column, 0.55, "the earliest, most complete date column")
        used.add(best.column)
        dates.remove(best)
    if later_role and later_role not in taken and "created" in taken:
        created = next(c for c in cands if c.column == taken["created"][0])
        later = [
            c for c in dates
            if c.profile.median > created.profile.median and c.profile.filled < 0.98
        ]  # fmt: skip
        if later:
            best = max(later, key=lambda c: (c.profile.median, c.column))
            taken[later_role] = (best.column, 0.5, "a later, partly empty date column")
    return taken


def detect_columns(frame: pd.DataFrame, *, events: bool = False) -> tuple[ColumnGuess, ...]:
    """One guess per column of ``frame`` (a deal list, or a stage history when ``events``).

    >>> frame = pd.DataFrame({"Этап сделки": ["Переговоры"], "Бюджет ": [1200.0]})
    >>> [(g.column, g.role) for g in detect_columns(frame)]
    [('Этап сделки', 'stage'), ('Бюджет ', 'amount')]
    """
    return _detect(frame, events, _profiles(frame))


def _detect(frame: pd.DataFrame, events: bool, profiles: list[_Profile]) -> tuple[ColumnGuess, ...]:
    cands = _candidates(frame, events, profiles)
    taken = _assign(cands, events)
    by_column = {column: (role, conf, why) for role, (column, conf, why) in taken.items()}
    dated = {c.column: c.stage for c in cands if c.stage is not None and c.column not in by_column}
    if len(dated) == 1 and "created" not in taken and not any(p for _, p in dated.values()):
        by_column[next(iter(dated))] = ("created", 0.6, "the only stage-date column: the creation")
        dated = {}
    guesses = []
    for c in cands:
        if c.column in by_column:
            role, conf, why = by_column[c.column]
            guesses.append(ColumnGuess(c.column, role, round(conf, 3), why))
        elif c.column in dated and c.stage is not None:
            conf, why = c.scores["stage_date"]
            guesses.append(ColumnGuess(c.column, "stage_date", round(conf, 3), why, c.stage[0]))
        else:
            why = c.noise or (
                "wanted for another role by a better column" if c.scores else "no role recognised"
            )
            guesses.append(ColumnGuess(c.column, None, 0.0, why))
    return tuple(guesses)


# ---- infer_spec -----------------------------------------------------------------------------


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
    rank = pd.DataFrame(entered).rank(axis=1, method="average")
    score = rank.median().to_numpy() + rank.mean().to_numpy() / 1e3
    keys = list(labels)
    ranks = {keys[s]: float(v) for s, v in enumerate(score) if not np.isnan(v)}
    return ranks, labels


def _order(labels: list[_Label], ranks: dict[str, float] | None) -> tuple[list[_Label], str]:
    """Stages top first, and how the order was found: events, a CRM's default, or frequency."""
    if ranks:
        late = max(ranks.values(), default=0.0) + 1
        return sorted(labels, key=lambda x: (ranks.get(x.key, late), -x.count, x.key)), "events"
    best, hits = "", 0
    for crm, order in vocab.KNOWN_ORDERS.items():
        n = sum(1 for x in labels if x.base in order)
        if n > hits:
            best, hits = crm, n
    if hits >= 2 and hits >= 0.5 * len(labels):
        order = vocab.KNOWN_ORDERS[best]
        pos = {k: i for i, k in enumerate(order)}
        return sorted(labels, key=lambda x: (pos.get(x.base, len(order)), -x.count, x.key)), best
    pinned = ("неразобранное", "new", "новая")
    return sorted(labels, key=lambda x: (x.base not in pinned, -x.count, x.key)), "frequency"


def _stages(labels: list[_Label]) -> tuple[Stage, ...]:
    return tuple(Stage(name=x.name, match=x.spellings) for x in labels)


def _dedupe(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _is_history(frame: pd.DataFrame, roles: dict[str, str], profiles: list[_Profile]) -> bool:
    if not {"deal", "stage", "at"} <= set(roles):
        return False
    p = profiles[list(map(str, frame.columns)).index(roles["deal"])]
    # A deal list names each deal once; a history repeats it (even in a sample of a big one).
    return p.n > 0 and p.distinct <= 0.95 * p.n


def _confident(guesses: Iterable[ColumnGuess], allowed: Iterable[str]) -> dict[str, str]:
    allowed = set(allowed)
    return {g.role: g.column for g in guesses if g.role in allowed and g.confidence >= CONFIDENT}


def _stage_date_stages(
    frame: pd.DataFrame, dated: list[ColumnGuess], warnings: list[Notice]
) -> tuple[Stage, ...]:
    """Stages of a stage-date layout: one pipeline's columns, outcomes left out, in order."""
    parsed = {g.column: _stage_date(g.column, False) for g in dated}
    pipelines: dict[str, list[ColumnGuess]] = {}
    for g in dated:
        pipelines.setdefault((parsed[g.column] or ("", None, ""))[1] or "", []).append(g)
    if len(pipelines) > 1:
        sample = _sample(frame)
        filled = {
            p: sum(int(sample[g.column].notna().sum()) for g in gs) for p, gs in pipelines.items()
        }
        chosen = max(pipelines, key=lambda p: (len(pipelines[p]), filled[p], p))
        others = ", ".join(sorted(p or "(no pipeline)" for p in pipelines if p != chosen))
        warnings.append(
            Notice(
                "detect_date_pipelines",
                f"Stage date columns cover several pipelines; the stages proposed are those of "
                f"«{chosen}». The columns of {others} are left out: edit 'stages' to use them.",
                {"chosen": chosen, "others": others},
            )
        )
        dated = pipelines[chosen]
    dated = [g for g in dated if vocab.outcome_of(norm_label(g.stage)) not in ("won", "lost")]
    hubspot = any(vocab.HUBSPOT_ENTERED.match(g.column) for g in dated)
    if hubspot:
        # HubSpot lists these columns in no useful order: a known pipeline, else the dates decide.
        labels = [_Label(norm_label(g.stage), (g.column,), 1, None) for g in dated]
        ordered, how = _order(labels, None)
        if how == "frequency":
            ranks = _sample(frame)[[g.column for g in dated]].rank(axis=1).median()
            col_pos = {g.column: i for i, g in enumerate(dated)}
            ordered = sorted(labels, key=lambda x: (ranks.get(x.name, np.inf), col_pos[x.name]))
        by_column = {g.column: g for g in dated}
        dated = [by_column[x.name] for x in ordered]
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
    profiles = _profiles(frame)
    guesses = _detect(frame, False, profiles)
    columns = _confident(guesses, ROLES)
    warnings: list[Notice] = []
    events_guesses: tuple[ColumnGuess, ...] = ()
    spec_events: Events | None = None
    ranks: dict[str, float] | None = None
    labels: dict[str, _Label] = {}

    if events is not None:
        events_guesses = detect_columns(events, events=True)
        ev = _confident(events_guesses, EVENT_ROLES)
        join = next((r for r in ("deal", "title") if r in ev and r in columns), None)
        if join is None:
            warnings.append(
                Notice(
                    "detect_history_no_key",
                    "The stage history shares no deal ID or deal name column with the deal "
                    "list: map one in 'events.columns' (deal or title) and in 'columns'.",
                )
            )
            join = "deal" if "deal" in ev else "title" if "title" in ev else None
        if join and "stage" in ev and "at" in ev:
            keep = {join: ev[join], "stage": ev["stage"], "at": ev["at"]}
            spec_events = Events(columns=keep, join="title" if join == "title" else "deal")
            ranks, labels = _event_ranks(events, ev[join], ev["stage"], ev["at"])
        else:
            warnings.append(
                Notice(
                    "detect_history_columns",
                    "The stage history needs a deal, a stage and a date column.",
                )
            )
    else:
        ev_profiles_guesses = _detect(frame, True, profiles)
        ev = _confident(ev_profiles_guesses, EVENT_ROLES)
        if _is_history(frame, ev, profiles):
            events_guesses = ev_profiles_guesses
            # The frame is itself a history: its deal, stage and time columns come from the
            # history reading (OWNER_ID, not the row ID), the other roles from the deal reading.
            own = {ev[r]: r for r in ("deal", "stage", "at")}
            by_column = {g.column: g for g in ev_profiles_guesses}
            guesses = tuple(
                by_column[g.column]
                if g.column in own
                else ColumnGuess(g.column, None, 0.0, "a history: this role is another column's")
                if g.role in ("deal", "stage", "at", "created")
                else g
                for g in guesses
            )
            columns = _confident(guesses, ROLES)
            ranks, labels = _event_ranks(frame, ev["deal"], ev["stage"], ev["at"])

    dated = [g for g in guesses if g.role == "stage_date"]
    layout = "history" if ranks is not None else "stage_dates" if len(dated) >= 2 else "snapshot"

    flt: dict[str, tuple[str, ...]] = {}
    if "stage" in columns and (layout != "history" or events is not None):
        stage_col = frame[columns["stage"]]
        if "pipeline" in columns:
            pipelines, per_pipeline = _labels_by_pipeline(stage_col, frame[columns["pipeline"]])
            if len(pipelines) > 1:
                largest = max(pipelines.values(), key=lambda x: (x.count, x.key))
                flt["pipeline"] = largest.spellings
                others = ", ".join(
                    f"«{x.name}»"
                    for x in sorted(pipelines.values(), key=lambda x: -x.count)
                    if x is not largest
                )
                warnings.append(
                    Notice(
                        "detect_pipelines",
                        f"The export holds {len(pipelines)} pipelines; the spec keeps the "
                        f"largest, «{largest.name}» ({largest.count} deals), and its stages. The "
                        f"others ({others}) have their own stages: to see one, edit 'filter' to "
                        "its name and re-run the inference on it, or edit 'stages'.",
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
    status = _labels(frame[columns["status"]], in_status=True) if "status" in columns else {}

    stage_labels = [x for x in labels.values() if x.outcome not in ("won", "lost")]
    prefixes = {x.pipeline for x in labels.values()}
    if len(prefixes) > 1:
        sizes = {p: sum(x.count for x in labels.values() if x.pipeline == p) for p in prefixes}
        main = max(prefixes, key=lambda p: (sizes[p], p == "", p))
        prefix_list = ", ".join(f"C{p}:" if p else "none" for p in sorted(prefixes))
        main_name = f"C{main}:" if main else "the main pipeline"
        warnings.append(
            Notice(
                "detect_bitrix_prefixes",
                f"Stage values carry Bitrix24 pipeline prefixes ({prefix_list}); the stages "
                f"proposed are those of {main_name} only. Map the «Направление» column as "
                "'pipeline' and filter on it to switch.",
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

    if layout == "stage_dates":
        stages = _stage_date_stages(frame, dated, warnings)
    else:
        ordered, how = _order(stage_labels, ranks)
        stages = _stages(ordered)
        unknown = [x.name for x in ordered if x.base not in vocab.KNOWN_ORDERS.get(how, (x.base,))]
        if unknown:
            shown = ", ".join(f"«{name}»" for name in unknown)
            warnings.append(
                Notice(
                    "detect_order_known_extra",
                    f"The stages follow the default order of {how}; {shown} are not among its "
                    "default stages and were put last: move them to their place in 'stages'.",
                    {"crm": how, "values": unknown},
                )
            )
        if how == "frequency" and len(stages) > 2:
            warnings.append(
                Notice(
                    "detect_order_frequency",
                    "The stage order was guessed from how many deals sit at each stage (more at "
                    "earlier ones): check it and reorder 'stages'.",
                )
            )

    if not stages:
        warnings.append(
            Notice(
                "detect_no_stage",
                "No stage column found: map the column holding each deal's stage (e.g. «Этап "
                "сделки», 'Deal Stage') as 'stage', or add one date column per stage.",
            )
        )
    if "amount" not in columns:
        warnings.append(
            Notice(
                "detect_no_amount",
                "No amount column found: money figures (revenue lost, what a fix is worth) will "
                "be missing. Map the deal value column as 'amount'.",
            )
        )
    if "created" not in columns and layout == "snapshot":
        warnings.append(
            Notice(
                "detect_no_created",
                "No creation date found: breakdowns by week, month or quarter will be missing. "
                "Map the deal's creation date as 'created'.",
            )
        )
    if layout == "snapshot" and stage_lost and "lost_stage" not in columns:
        shown = " / ".join(f"«{v}»" for v in _dedupe(lost[:3]))
        warnings.append(
            Notice(
                "detect_lost_stage_unknown",
                f"The export shows lost deals only as {shown}: the stage at which they were lost "
                "is unknown. Add a 'stage at loss' column or a stage history.",
                {"values": list(_dedupe(lost[:3]))},
            )
        )
    paid = [x.name for x in stage_labels if x.outcome == "paid"]
    if paid and not won:
        warnings.append(
            Notice(
                "detect_paid_is_stage",
                f"No value says a deal was won; «{paid[0]}» is kept as a stage. If it means the "
                "deal is won, move it to 'won'.",
                {"value": paid[0]},
            )
        )
    if not won and not lost:
        warnings.append(
            Notice(
                "detect_no_outcomes",
                "No value marks deals as won or lost: add a status column or list the won and "
                "lost values in 'won' / 'lost'.",
            )
        )
    spec = Spec(
        columns=columns,
        stages=stages,
        won=_dedupe(won),
        lost=_dedupe(lost),
        filter=flt,
        events=spec_events,
    )
    return Inference(spec, guesses, tuple(warnings), events_guesses)
