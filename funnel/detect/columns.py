"""Column detection: which source column plays which role, or which stage's date it holds.

Headers are read first (``funnel.detect.vocab``), values second. Values are profiled on a fixed
sample of at most ``SAMPLE_ROWS`` rows, so a million-row export is as quick as a small one.

Rules, in short:

- each column gets one guess; each role goes to at most one column, the most confident winning
  (ties: an original header over a pandas duplicate ``X.1``, then the header text);
- a header that contradicts the column's type (a "Сумма" holding dates) loses confidence;
- in a hand-made register the first stage-date column doubles as the creation date: it is a
  stage, not the ``created`` role (one column never plays two roles). A lone «Дата <x>» column,
  though, is ``created``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from funnel.detect import vocab
from funnel.detect.lexicon import phase_of
from funnel.spec import EVENT_ROLES
from funnel.values import norm_label

SAMPLE_ROWS = 50_000
CREATED_FALLBACK = "the earliest, most complete date column"
CLOSED_FALLBACK = "a later, partly empty date column"
LONE_STAGE_DATE = "the only stage-date column: the creation"
_TOP = 200  # distinct values of a text column looked at by name

_EXPECTED_KIND = {
    "amount": "number",
    "created": "date",
    "closed": "date",
    "at": "date",
    "stage_date": "date",
    "won_at": "date",
    "lost_at": "date",
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
    noise: bool = False  # the header names a known non-funnel column (phone, tags, edit date)
    kind: str = ""  # the kind of the sampled values: text, number, date, empty

    @property
    def by_default(self) -> bool:
        """Whether the role was given for want of a better date column, not by evidence."""
        return self.reason in (CREATED_FALLBACK, CLOSED_FALLBACK, LONE_STAGE_DATE)


# ---- value profiles -------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What a column's sampled values look like: their kind, how many, how varied."""

    kind: str  # text, number, date, empty
    n: int  # non-empty values in the sample
    distinct: int
    keys: dict[str, int]  # text: norm_label -> count, over the most common raw values
    numbers: np.ndarray | None = None
    median: float = 0.0  # date: median as int64 nanoseconds
    filled: float = 0.0
    raws: tuple[str, ...] = ()  # text: the most common raw values, as typed


def sample_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """At most ``SAMPLE_ROWS`` rows of ``frame``, the same ones on every run, in order."""
    if len(frame) <= SAMPLE_ROWS:
        return frame
    rows = np.sort(np.random.default_rng(0).choice(len(frame), SAMPLE_ROWS, replace=False))
    return frame.iloc[rows]


def _profile(series: pd.Series) -> Profile:
    size = max(len(series), 1)
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(series):
        values = series.dropna()
        if values.empty:
            return Profile("empty", 0, 0, {})
        ns = values.to_numpy(dtype="datetime64[ns]").astype(np.int64)
        med = float(np.median(ns))
        distinct = len(pd.unique(ns))  # hashed: no sort of every date
        return Profile("date", len(ns), distinct, {}, median=med, filled=len(ns) / size)
    if pd.api.types.is_bool_dtype(series):
        return Profile("text", int(series.notna().sum()), 2, {"true": 1, "false": 1})
    if pd.api.types.is_numeric_dtype(series):
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
        numbers = numbers[~np.isnan(numbers)]
        if not len(numbers):
            return Profile("empty", 0, 0, {})
        distinct = len(np.unique(numbers))
        return Profile("number", len(numbers), distinct, {}, numbers, filled=len(numbers) / size)
    top, counts = _text_counts(series)
    keys: dict[str, int] = {}
    for raw, count in zip(top, counts, strict=False):
        key = norm_label(raw)
        if key:
            keys[key] = keys.get(key, 0) + int(count)
    blank = sum(int(c) for raw, c in zip(top, counts, strict=False) if not norm_label(raw))
    n = int(counts.sum()) - blank
    if n <= 0:
        return Profile("empty", 0, 0, {})
    raws = tuple(r.strip() for r in top[:50] if norm_label(r))
    return Profile("text", n, len(counts) - (1 if blank else 0), keys, filled=n / size, raws=raws)


def _text_counts(series: pd.Series) -> tuple[list[str], np.ndarray]:
    """A text column's distinct values, most common first (ties: first seen), as counts and
    the first ``_TOP`` values as text: ``value_counts`` without an index of every value."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        found = pc.value_counts(pa.array(series.array, from_pandas=True))
        values, counts = found.field(0), found.field(1).to_numpy()
        filled = np.flatnonzero(values.is_valid().to_numpy(zero_copy_only=False))
        order = filled[np.argsort(-counts[filled], kind="stable")]
        return values.take(pa.array(order[:_TOP])).to_pylist(), counts[order]
    found = series.dropna().astype(str).value_counts(sort=True)
    return [str(v) for v in found.index[:_TOP]], found.to_numpy()


def _status_like(p: Profile) -> bool:
    if p.kind != "text" or not p.keys or len(p.keys) > 6:
        return False
    outcomes = {k: vocab.outcome_of(k, in_status=True) for k in p.keys}
    covered = sum(c for k, c in p.keys.items() if outcomes[k])
    closing = {o for o in outcomes.values() if o in ("won", "lost", "paid")}
    return covered >= 0.9 * sum(p.keys.values()) and bool(closing & {"won", "lost"})


def _person_like(p: Profile) -> bool:
    """A few dozen distinct values, most of them shaped like «Имя Фамилия» / "Anna Smith"."""
    if not 2 <= p.distinct <= 80 or not p.raws:
        return False
    named = [r for r in p.raws if vocab.PERSON_NAME.match(r)]
    hinted = [
        r for r in named
        if vocab.STAGE_HINTS.search(norm_label(r)) or vocab.CHANNEL_HINTS.search(norm_label(r))
        or vocab.outcome_of(norm_label(r)) is not None
    ]  # fmt: skip
    return len(named) - len(hinted) >= 0.7 * len(p.raws)


def _deal_type_like(p: Profile) -> bool:
    return bool(p.keys) and sum(
        c for k, c in p.keys.items() if k in vocab.DEAL_TYPE_WORDS
    ) >= 0.8 * sum(p.keys.values())


def _stage_like(p: Profile) -> float:
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
        or phase_of(k) is not None
    )
    return hits / len(p.keys)


def _value_scores(p: Profile) -> dict[str, tuple[float, str]]:
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
        if repeated and _person_like(p):
            out["owner"] = (0.55, "values look like people's names")
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


def parse_stage_date_header(header: str, events: bool) -> tuple[str, str | None, str] | None:
    """(stage, pipeline, source) when the header is a stage's date column; ("", ..) for noise."""
    if events:
        return None
    header = header.replace("_", " ")  # proposal_date, Date_entered_Demo
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
                # «Дата выезда» holds a genitive; «Дата: Выезд», «Дата Встреча назначена» (an
                # amoCRM robot field naming its stage) do not.
                genitive = pattern is vocab.STAGE_DATE_RU and bool(
                    re.match(r"^\s*(?i:дата)\s+[а-яё]", header)
                )
                return (vocab.stage_name_from(part, genitive=genitive), None, "")
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
        stage_date = parse_stage_date_header(header, events)
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
    profile: Profile
    mangled: bool
    scores: dict[str, tuple[float, str]]
    noise: str | None = None
    stage: tuple[str, str | None] | None = None  # stage_date: (stage, pipeline)


def profile_columns(frame: pd.DataFrame) -> list[Profile]:
    """The value profile of each column of ``frame``, on its sample rows."""
    sample = sample_rows(frame)
    return [_profile(sample.iloc[:, i]) for i in range(sample.shape[1])]


def _candidates(frame: pd.DataFrame, events: bool, profiles: list[Profile]) -> list[_Candidates]:
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
            if role == "product" and _deal_type_like(p):
                conf *= 0.3  # HubSpot's and Salesforce's Type: New / Existing Business
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
            elif role == "stage" and "status" in c.scores and not status_like:
                # «Статус клиента» holding Холодный / Тёплый / Купил: stages named a status
                c.scores[role] = (conf, f"{c.scores['status'][1]}; {why}")
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
        taken[first_role] = (best.column, 0.55, CREATED_FALLBACK)
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
            taken[later_role] = (best.column, 0.5, CLOSED_FALLBACK)
    return taken


def detect_columns(frame: pd.DataFrame, *, events: bool = False) -> tuple[ColumnGuess, ...]:
    """One guess per column of ``frame`` (a deal list, or a stage history when ``events``).

    >>> frame = pd.DataFrame({"Этап сделки": ["Переговоры"], "Бюджет ": [1200.0]})
    >>> [(g.column, g.role) for g in detect_columns(frame)]
    [('Этап сделки', 'stage'), ('Бюджет ', 'amount')]
    """
    return guess_columns(frame, events, profile_columns(frame))


def guess_columns(
    frame: pd.DataFrame, events: bool, profiles: list[Profile]
) -> tuple[ColumnGuess, ...]:
    """:func:`detect_columns` over profiles already taken (a frame read as deals and as history)."""
    cands = _candidates(frame, events, profiles)
    taken = _assign(cands, events)
    by_column = {column: (role, conf, why) for role, (column, conf, why) in taken.items()}
    dated = {c.column: c.stage for c in cands if c.stage is not None and c.column not in by_column}
    if len(dated) == 1 and "created" not in taken and not any(p for _, p in dated.values()):
        by_column[next(iter(dated))] = ("created", 0.6, LONE_STAGE_DATE)
        dated = {}
    guesses = []
    for c in cands:
        if c.column in by_column:
            role, conf, why = by_column[c.column]
            stage = c.stage[0] if c.stage is not None else None
            guesses.append(
                ColumnGuess(c.column, role, round(conf, 3), why, stage, kind=c.profile.kind)
            )
        elif c.column in dated and c.stage is not None:
            conf, why = c.scores["stage_date"]
            guesses.append(
                ColumnGuess(
                    c.column, "stage_date", round(conf, 3), why, c.stage[0], kind=c.profile.kind
                )
            )
        else:
            why = c.noise or (
                "wanted for another role by a better column" if c.scores else "no role recognised"
            )
            guesses.append(
                ColumnGuess(
                    c.column, None, 0.0, why, noise=c.noise is not None, kind=c.profile.kind
                )
            )
    return tuple(guesses)
