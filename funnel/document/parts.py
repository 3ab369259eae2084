"""The client report's content as frozen dataclasses: what each section holds, no prose.

Built by :func:`funnel.document.content.client_report`; worded and drawn by
``funnel.document.html``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args

import pandas as pd

from funnel.diagnostics import Leak
from funnel.economics.figures import Economics

Section = Literal[
    "conclusions",
    "funnel",
    "compare",
    "leaks",
    "economics",
    "trends",
    "changes",
    "velocity",
    "plan",
    "method",
]
SECTIONS: tuple[Section, ...] = get_args(Section)
Language = Literal["ru", "en"]


@dataclass(frozen=True)
class Finding:
    """One conclusion or caveat: a stable code and its parameters (numbers and names)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Cover:
    title: str
    source: str
    language: Language
    made: date
    period_from: date | None
    period_to: date | None
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    deals: int
    currency: str
    created_from: date | None = None  # a creation date filter, as the page's sidebar sets it
    created_to: date | None = None


@dataclass(frozen=True)
class FunnelPart:
    """One funnel: the whole, or one pipeline when the file has several."""

    name: str  # "" for the whole
    deals: int
    won: int
    lost: int
    open: int
    lost_stage_unknown: int
    win_rate: float
    win_rate_decided: float
    won_amount: float
    open_amount: float
    lost_amount: float
    table: pd.DataFrame  # stage_table with a won row
    chart: dict[str, Any]


@dataclass(frozen=True)
class ComparePart:
    """Segments of one breakdown side by side."""

    by: str
    segments: pd.DataFrame  # segments_table + too_small
    steps: pd.DataFrame  # compare.step_table: one row per (segment, step) with its verdict
    multiples: dict[str, Any]
    heatmap: dict[str, Any]
    shown: int  # segments drawn (the largest)
    min_deals: int


@dataclass(frozen=True)
class LeakPart:
    by: str | None
    leaks: tuple[Leak, ...]  # biggest loss of deals first
    worth: pd.DataFrame  # per leak: extra_won, extra_won_amount, basis ("best" | "flat")
    # per step: the commonest loss reasons of the deals lost there, (reason, deals), most first
    reasons: Mapping[int, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    # per step, when spend is known: the spend that went on the deals lost there
    lost_spend: Mapping[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class EconomicsPart:
    """What each channel cost and returned (``funnel.economics.figures.Economics``), with the
    dearest and the cheapest won deal among the channels large enough to judge."""

    econ: Economics
    cac_chart: dict[str, Any]
    romi_chart: dict[str, Any]
    stage_chart: dict[str, Any]
    dear: int | None  # segment index: the dearest won deal (None: no channel to judge)
    cheap: int | None  # the cheapest (None unless two channels differ)


@dataclass(frozen=True)
class TrendPart:
    period: str
    cohorts: pd.DataFrame  # one row per cohort: deals, won, lost, open, immature
    steps: pd.DataFrame  # the steps drawn: one row per (cohort, step)
    shifts: tuple[Any, ...]  # significant shifts (funnel.overtime.cohorts.Shift)
    chart: dict[str, Any]


@dataclass(frozen=True)
class ChangePart:
    label: str
    when: date
    before: tuple[date, date]  # first and last day
    after: tuple[date, date]
    table: pd.DataFrame  # BeforeAfter.table of the whole funnel
    chart: dict[str, Any] | None


@dataclass(frozen=True)
class VelocityPart:
    stages: pd.DataFrame  # stage, q1, median, q3, n (days in stage before moving on)
    to_win: tuple[float, float, float, int]  # q1, median, q3, n (creation to win)
    stuck: int
    stuck_amount: float
    open_checked: int
    open_total: int
    stuck_deals: pd.DataFrame  # the most money at risk first (up to 15)
    # "stage": days at the current stage against the stage's norm; "age": days since creation
    # against creation to win (no stage dates)
    stuck_basis: str = "stage"


@dataclass(frozen=True)
class PlanPart:
    target: float
    kind: str
    start: date
    end: date
    by: str
    leads: int
    to_bring: int
    forecast: float
    table: pd.DataFrame
    chart: dict[str, Any] | None = None  # leads per segment, those already in, their range


@dataclass(frozen=True)
class ClientReport:
    cover: Cover
    stages: tuple[str, ...]
    currency: str
    conclusions: tuple[Finding, ...]
    caveats: tuple[Finding, ...]
    funnels: tuple[FunnelPart, ...]
    comparisons: tuple[ComparePart, ...]
    leaks: LeakPart | None
    trends: TrendPart | None
    changes: tuple[ChangePart, ...]
    velocity: VelocityPart | None
    plan: PlanPart | None
    sections: tuple[Section, ...]  # the sections asked for that have something to show
    economics: EconomicsPart | None = None

    @property
    def language(self) -> Language:
        return self.cover.language
