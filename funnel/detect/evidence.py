"""Evidence for a funnel's stages read from the values: stage-date runs, fill, probability.

Headers lie or say nothing («Квалификация» over a column of dates, ``engage_date``); the values
do not. Three readings live here, each over at most ``SAMPLE_ROWS`` rows:

- :func:`date_chain`: a run of date columns whose fill shrinks from left to right, where a deal
  with a later date almost always has the earlier ones, is a stage-date funnel;
- :func:`fill_scores`: deals at a later stage have more of the file's dates filled;
- :func:`probability_scores`: a win-probability column rises with the stage.

:func:`order_labels` then orders stage values by the strongest evidence first, recording for
each step what decided it, so that a weak order can be shown as a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel.detect.columns import sample_rows
from funnel.mapping import as_dates, as_numbers

NESTED = 0.9  # a deal with the later date has the earlier one at least this often
IN_ORDER = 0.9  # and the earlier date is not after the later one at least this often
MIN_FILLED = 2  # a column with fewer filled sample cells says nothing


def _dates(frame: pd.DataFrame, columns: Sequence[str]) -> dict[str, np.ndarray]:
    sample = sample_rows(frame)
    return {c: as_dates(sample[c]) for c in columns}


def date_chain(frame: pd.DataFrame, candidates: Sequence[str]) -> list[str]:
    """The longest run of ``candidates`` that fills and nests like stage dates, in funnel order.

    Columns are taken fullest first (earliest median date on ties). Column B may follow column
    A when deals with B almost always have A (``NESTED``) and A's date is not after B's
    (``IN_ORDER``). Fewer than two such columns is no run.

    >>> frame = pd.DataFrame({
    ...     "Встреча": pd.to_datetime(["2024-01-03", "2024-01-05", None, "2024-01-04"]),
    ...     "Заявка": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-02", "2024-01-01"]),
    ...     "КП": pd.to_datetime(["2024-01-09", None, None, "2024-01-06"]),
    ... })
    >>> date_chain(frame, ["Встреча", "Заявка", "КП"])
    ['Заявка', 'Встреча', 'КП']
    """
    dates = _dates(frame, candidates)
    filled = {c: ~np.isnat(v) for c, v in dates.items()}
    cols = [c for c in candidates if int(filled[c].sum()) >= MIN_FILLED]
    if len(cols) < 2:
        return []

    def median(c: str) -> float:
        return float(np.median(dates[c][filled[c]].astype(np.int64)))

    cols.sort(key=lambda c: (-int(filled[c].sum()), median(c)))

    def follows(a: str, b: str) -> bool:
        both = filled[a] & filled[b]
        nb = int(filled[b].sum())
        if nb == 0 or both.sum() < NESTED * nb:
            return False
        in_order = dates[a][both] <= dates[b][both]
        return bool(in_order.mean() >= IN_ORDER)

    best: list[list[str]] = []
    for j, c in enumerate(cols):
        prev = [best[i] for i in range(j) if follows(cols[i], c)]
        best.append([*max(prev, key=len, default=[]), c])
    chain = max(best, key=len, default=[])
    return chain if len(chain) >= 2 else []


def fill_scores(
    frame: pd.DataFrame, labels: pd.Series, keys: Mapping[str, str], columns: Sequence[str]
) -> dict[str, tuple[float, int]]:
    """Per stage key: the mean number of ``columns`` filled for deals at it, and how many deals.

    ``keys`` maps each raw value of ``labels`` (the stage column) to its stage key.
    """
    if not columns:
        return {}
    sample = sample_rows(frame)
    stage = sample_rows(labels.to_frame()).iloc[:, 0]
    counts = np.zeros(len(sample))
    for c in columns:
        counts += ~np.isnat(as_dates(sample[c]))
    key = stage.map(lambda v: keys.get(v) if isinstance(v, str) else keys.get(str(v)))
    grouped = pd.Series(counts, index=sample.index).groupby(key.to_numpy()).agg(["mean", "size"])
    return {str(k): (float(r["mean"]), int(r["size"])) for k, r in grouped.iterrows()}


def probability_scores(
    frame: pd.DataFrame, labels: pd.Series, keys: Mapping[str, str], column: str
) -> dict[str, tuple[float, int]]:
    """Per stage key: the median win probability of deals at it, and how many deals."""
    sample = sample_rows(frame)
    stage = sample_rows(labels.to_frame()).iloc[:, 0]
    values = sample[column]
    if not pd.api.types.is_numeric_dtype(values):
        # "35%", "35 %": a probability typed as text
        values = values.astype("str").str.replace("%", "", regex=False)
    p = pd.Series(as_numbers(values), index=sample.index)
    key = stage.map(lambda v: keys.get(str(v)))
    ok = p.notna() & key.notna()
    grouped = p[ok].groupby(key[ok].to_numpy()).agg(["median", "size"])
    return {str(k): (float(r["median"]), int(r["size"])) for k, r in grouped.iterrows()}


# ---- ordering -------------------------------------------------------------------------------

STRONG = ("history", "numbered", "stage_dates", "date_fill", "probability")


@dataclass(frozen=True)
class Tier:
    """One kind of evidence: a score per stage key (higher = later) and the gap that counts."""

    basis: str
    scores: Mapping[str, float]
    gap: float


@dataclass(frozen=True)
class Order:
    """Stage keys top first, and for each step between neighbours what decided it."""

    keys: tuple[str, ...]
    steps: tuple[str, ...]  # len(keys) - 1 bases
    unplaced: tuple[str, ...] = ()  # keys no evidence but deal counts placed

    @property
    def basis(self) -> str:
        """The strongest evidence that decided any step ('frequency' when none did)."""
        for b in (*STRONG, "crm_default", "lexicon"):
            if any(s == b for s in self.steps):
                return b
        return "frequency" if self.steps else "single"

    @property
    def guess(self) -> bool:
        return "frequency" in self.steps


def order_labels(
    keys: Sequence[str], tiers: Sequence[Tier], fallback: Callable[[str], float]
) -> Order:
    """Order ``keys`` by the first tier that tells them apart, then the next, then ``fallback``.

    Keys a tier scores are grouped where neighbouring scores differ by less than its ``gap``;
    each group goes on to the next tier. Keys a tier does not score are placed after the scored
    ones only when no later tier scores them either (then by ``fallback``, most likely first).

    >>> order_labels(["b", "a", "c"], [Tier("lexicon", {"a": 1.0, "b": 1.0, "c": 3.0}, 0.05)],
    ...              fallback={"a": 5, "b": 9, "c": 1}.get)
    Order(keys=('b', 'a', 'c'), steps=('frequency', 'lexicon'), unplaced=())
    """
    steps: list[str] = []
    unplaced: list[str] = []

    def place(group: list[str], t: int) -> list[str]:
        if len(group) < 2:
            return group
        if t == len(tiers):
            ordered = sorted(group, key=lambda k: (-fallback(k), k))
            steps.extend(["frequency"] * (len(ordered) - 1))
            return ordered
        tier = tiers[t]
        scored = sorted((k for k in group if k in tier.scores), key=lambda k: tier.scores[k])
        rest = [k for k in group if k not in tier.scores]
        # Keys this tier cannot place but a later one can: let the later tier order them all.
        later = any(k in tiers[i].scores for i in range(t + 1, len(tiers)) for k in rest)
        if len(scored) < 1 or (len(scored) < 2 and not rest) or later:
            return place(group, t + 1)
        out: list[str] = []
        run = [scored[0]]
        for k in scored[1:]:
            if tier.scores[k] - tier.scores[run[-1]] >= tier.gap:
                out += place(run, t + 1)
                steps.append(tier.basis)
                run = [k]
            else:
                run.append(k)
        out += place(run, t + 1)
        if rest:
            steps.append("frequency")
            unplaced.extend(rest)
            out += place(rest, len(tiers))
        return out

    ordered = place(list(keys), 0)
    return Order(tuple(ordered), tuple(steps), tuple(unplaced))
