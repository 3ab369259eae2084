"""Deals: one entry per deal as parallel arrays, with every breakdown encoded as codes.

``prepare`` builds them from a source and a spec; metrics, compare and diagnostics read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from funnel.errors import SpecError
from funnel.notices import Notice
from funnel.spec import Spec
from funnel.values import NONE_LABEL, Encoded, encode_picked

# Outcome codes. LOST_UNKNOWN is a lost deal whose stage at loss the source does not tell.
OPEN, WON, LOST, LOST_UNKNOWN = 0, 1, 2, 3
N_OUTCOMES = 4

# A week runs Monday to Sunday (pandas names a weekly period by its last day).
PERIODS = {"week": "W-SUN", "month": "M", "quarter": "Q"}


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

    @cached_property
    def _encoded(self) -> dict[str, Encoded]:
        return {}

    def encode(self, by: str) -> Encoded:
        """Segment codes for a role, a creation period (week/month/quarter) or any source column.

        A period or a column is encoded once and kept with the deals (which never change), as
        the roles are: a page's rerun does not factorize a million dates or labels again."""
        if by in self.segments:
            return self.segments[by]
        found = self._encoded.get(by)
        if found is None:
            found = self._encoded[by] = self._encode(by)
        return found

    def _encode(self, by: str) -> Encoded:
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
            return encode_picked(self.source[column], self.rows)
        raise SpecError(
            f"cannot break down by {by!r}: no such role or column",
            code="unknown_dimension",
            column=by,
            expected="one of " + ", ".join(self.dimensions()[:30]),
        )


def main_currency(deals: Deals) -> int:
    """Index of the currency most deals are in (amounts are never added across currencies)."""
    cur = deals.currency
    if cur is None or len(cur.labels) < 2:
        return 0
    counts = np.bincount(cur.codes, minlength=len(cur.labels))
    if NONE_LABEL in cur.labels:
        counts[cur.labels.index(NONE_LABEL)] = -1
    return int(np.argmax(counts))
