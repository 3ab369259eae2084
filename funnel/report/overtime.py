"""The report's over-time sections: cohorts (``--by month``) and before/after a date
(``--compare-before``), built from the same engine calls as the Trends and Before/after pages.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from funnel.deals import PERIODS, Deals
from funnel.errors import SpecError
from funnel.overtime.changes import BeforeAfter, around_change
from funnel.overtime.cohorts import CohortTrends, find_shifts


def plain(value: Any) -> Any:
    """A JSON-ready value: numpy scalars as Python, NaN/NaT as None, dates as ISO text.

    >>> plain(np.int64(3)), plain(float("nan")), plain(pd.Timestamp("2026-03-01"))
    (3, None, '2026-03-01')
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if math.isnan(value) else round(float(value), 6)
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts."""
    columns = list(frame.columns)
    return [
        {c: plain(v) for c, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def split_period(by: Sequence[str]) -> tuple[str | None, str | None]:
    """The period and the other breakdown of ``--by`` when it holds a period, else (None, None).

    >>> split_period(["channel", "month"]), split_period(["channel"])
    (('month', 'channel'), (None, None))
    """
    periods = [d for d in by if d in PERIODS]
    if not periods:
        return None, None
    others = [d for d in by if d not in PERIODS]
    if len(periods) > 1 or len(others) > 1:
        raise SpecError(
            "cohorts take one period and at most one other breakdown",
            code="cohort_dims",
            expected="--by month, or --by channel,month",
        )
    return periods[0], (others[0] if others else None)


def cohorts_section(trends: CohortTrends) -> dict[str, Any]:
    """The Trends page's numbers: per cohort and step, the rates and whether it is mature yet,
    with the most significant shift per step."""
    shifts = [
        {
            **{k: plain(v) for k, v in dataclasses.asdict(s).items()},
            "before_rate": plain(s.before_rate),
            "after_rate": plain(s.after_rate),
        }
        for s in find_shifts(trends)
    ]
    return {
        "period": trends.period,
        "by": trends.by,
        "basis": trends.basis,
        "as_of": plain(trends.maturity.as_of),
        "overall_horizon_days": plain(trends.maturity.horizon_days),
        "undated_deals": trends.undated,
        "cohorts": records(trends.cohorts),
        "steps": records(trends.table),
        "shifts": shifts,
    }


def compare_before(
    deals: Deals,
    when: date,
    by: str | None = None,
    *,
    mask: np.ndarray | None = None,
    equal: bool = False,
) -> BeforeAfter:
    """Before/after ``when``, the windows bounded by the spec's other changes (as on the page)."""
    others = [c.date for c in deals.spec.changes if c.date != when]
    return around_change(deals, when, others=others, equal=equal, by=by, mask=mask)


def before_after_section(result: BeforeAfter, when: date, deals: Deals) -> dict[str, Any]:
    """The Before/after page's numbers for the change on ``when``."""
    label = next((c.label for c in deals.spec.changes if c.date == when), None)
    return {
        "date": when.isoformat(),
        "label": label,
        "by": result.by,
        "anchor": result.anchor,
        "before": {"start": plain(result.before.start), "end": plain(result.before.end)},
        "after": {"start": plain(result.after.start), "end": plain(result.after.end)},
        "cutoff": plain(result.cutoff),
        "overall_horizon_days": plain(result.maturity.horizon_days),
        "steps": records(result.table),
    }


def for_export(steps: pd.DataFrame) -> pd.DataFrame:
    """A cohort or before/after table for CSV/XLSX: the won step named rather than blank."""
    if "to_stage" not in steps.columns:
        return steps
    return steps.assign(to_stage=steps["to_stage"].fillna("(won)"))
