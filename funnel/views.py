"""View shaping for the app over engine results: pure functions, no Streamlit."""

from __future__ import annotations

import dataclasses

import numpy as np

from funnel.compare import Comparison


def top_segments(comparison: Comparison, n: int) -> Comparison:
    """The ``n`` largest segments of a comparison (the baseline always kept), largest first."""
    deals = comparison.counts.deals
    order = list(np.argsort(-deals, kind="stable")[:n])
    if comparison.baseline is not None and comparison.baseline not in order:
        order = [comparison.baseline, *order[: n - 1]]
    idx = np.array(order, dtype=np.int64)
    baseline = order.index(comparison.baseline) if comparison.baseline is not None else None
    per_segment = {
        f.name: getattr(comparison, f.name)[idx]
        for f in dataclasses.fields(comparison)
        if isinstance(getattr(comparison, f.name), np.ndarray)
        and getattr(comparison, f.name).shape[:1] == deals.shape
    }
    return dataclasses.replace(
        comparison, counts=comparison.counts.select(idx), baseline=baseline, **per_segment
    )
