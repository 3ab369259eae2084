"""Filters every view honours (creation date range, label values per role) as a boolean mask,
and what the pickers offer: each role's labels, the dimensions to break the deals down by."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from funnel.deals import Deals
from funnel.spec import SEGMENT_ROLES
from funnel.values import norm_label


@dataclass(frozen=True)
class Filters:
    """``values`` maps a role (channel, product, owner, pipeline) to the labels to keep."""

    created_from: date | None = None
    created_to: date | None = None
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.created_from or self.created_to or any(self.values.values()))


def mask(deals: Deals, filters: Filters) -> np.ndarray | None:
    """Which deals pass; None when nothing is filtered (callers then skip the copy).

    Deals with no creation date pass a date filter only when no date bound is set.
    Label lookups go through each role's codes, so this stays a few vector ops on 1M deals.
    """
    if not filters.active:
        return None
    keep = np.ones(len(deals), dtype=bool)
    if (filters.created_from or filters.created_to) and deals.created is not None:
        created = deals.created
        if filters.created_from:
            keep &= created >= np.datetime64(filters.created_from, "ns")
        if filters.created_to:
            # The end date is inclusive: everything before the next midnight.
            keep &= created < np.datetime64(filters.created_to, "ns") + np.timedelta64(1, "D")
    for role, wanted in filters.values.items():
        if not wanted or role not in deals.segments:
            continue
        enc = deals.segments[role]
        keys = {norm_label(w) for w in wanted}
        lut = np.array([norm_label(label) in keys for label in enc.labels], dtype=bool)
        keep &= lut[enc.codes]
    return keep


def date_bounds(deals: Deals) -> tuple[date, date] | None:
    """The first and last creation day of the deals, for a date-range picker."""
    if deals.created is None:
        return None
    valid = deals.created[~np.isnat(deals.created)]
    if not len(valid):
        return None
    low, high = valid.min(), valid.max()
    return low.astype("datetime64[D]").item(), high.astype("datetime64[D]").item()


def options(deals: Deals, role: str) -> list[str]:
    """The labels of a role, most deals first, for a filter picker ([] when the role is absent)."""
    enc = deals.segments.get(role)
    if enc is None:
        return []
    counts = np.bincount(enc.codes, minlength=len(enc.labels))
    return [enc.labels[i] for i in np.argsort(-counts, kind="stable") if counts[i] > 0]


def segment_dims(deals: Deals, *, periods: bool = False) -> list[str]:
    """The roles the deals can be broken down by, in :data:`~funnel.spec.SEGMENT_ROLES` order;
    with ``periods``, then month and quarter of creation when the deals have creation dates.

    A pipeline is offered only when the deals hold more than one: a spec filtered to one
    pipeline (what inference proposes for a file with several) has nothing to split.
    """
    dims: list[str] = [r for r in SEGMENT_ROLES if r in deals.segments]
    if "pipeline" in dims:
        enc = deals.segments["pipeline"]
        if np.count_nonzero(np.bincount(enc.codes, minlength=len(enc.labels))) < 2:
            dims.remove("pipeline")
    if periods and deals.created is not None:
        dims += ["month", "quarter"]
    return dims
