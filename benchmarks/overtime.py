"""The over-time pages' engine calls on 1M deals, each beside the plain funnel by month.

Each call runs in turns with the baseline (A B A B ...), so a busy neighbour on the shared cores
slows both alike; the row shows the call's median, its median ratio to the baseline of the same
pairs, the baseline's median, the call's fastest and slowest run (how noisy it was) and its
median CPU time (what it costs when the cores are not shared)."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
from common import OUTCOMES, STAGES, deal_frame, header, row, timed

from funnel.deals import Deals
from funnel.detect.infer import infer_spec
from funnel.economics.compute import economics, spend_for
from funnel.economics.table import Spend
from funnel.metrics import funnel
from funnel.prepare import prepare
from funnel.spec_spend import SpendRow


def over_time_frame(n: int, seed: int = 11) -> pd.DataFrame:
    """``deal_frame`` with close dates for won/lost deals and open deals of the last 120 days,
    as a live CRM has them (open deals from two years ago would make half a million stuck)."""
    frame = deal_frame(n, seed)
    rng = np.random.default_rng(seed)
    created = frame["Дата создания сделки"]
    closed_mask = frame["Этап сделки"].isin(OUTCOMES)
    last = created.max()
    recent = last - pd.to_timedelta(rng.integers(0, 120 * 24, n), unit="h")
    frame["Дата создания сделки"] = created.where(closed_mask, recent)
    cycle = pd.to_timedelta(rng.gamma(2.0, 25.0, n).round(), unit="D")
    closed = (frame["Дата создания сделки"] + cycle).where(closed_mask)
    # Nothing closes after the export: the deals it would close later are still open there.
    frame["Дата закрытия"] = closed.where(closed <= last)
    reopened = closed_mask & frame["Дата закрытия"].isna()
    frame.loc[reopened, "Этап сделки"] = STAGES[0]
    return frame


def _spend_tables(deals: Deals) -> tuple[Spend, pd.DataFrame]:
    """Monthly spend per channel over the deals' dates, kept as rows; and an ad account's
    daily report (date, campaign, clicks, spend) of two years and ten campaigns per channel."""
    created = pd.Series(deals.created).dropna()
    months = pd.date_range(created.min().to_period("M").to_timestamp(), created.max(), freq="MS")
    channels = [c for c in deals.encode("channel").labels if c != "(none)"]
    rows = tuple(
        SpendRow(
            channel, 1000.0 * (i + 1), start=m.date(), end=(m + pd.offsets.MonthBegin(1)).date()
        )
        for i, channel in enumerate(channels)
        for m in months
    )
    days = pd.date_range(created.max() - pd.Timedelta(days=729), created.max(), freq="D")
    daily = pd.DataFrame(
        {
            "Дата": np.tile(days.strftime("%d.%m.%Y"), 10 * len(channels)),
            "Канал": np.repeat(channels, 10 * len(days)),
            "Кампания": np.tile(np.repeat([f"кампания {k}" for k in range(10)], len(days)),
                                len(channels)),
            "Клики": 7,
            "Расход, руб.": 150.5,
        }
    )  # fmt: skip
    return Spend.from_rows(rows), daily


def _wall_and_cpu(fn: Callable[[], object]) -> tuple[float, float]:
    """Like ``timed``, with this process's CPU time of the same run."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_over_time(n: int, repeat: int) -> None:
    from funnel.overtime.changes import around_change, period_change, period_choices
    from funnel.overtime.cohorts import cohort_trends, find_shifts
    from funnel.overtime.planner import default_target, history, plan
    from funnel.overtime.velocity import stuck_deals, velocity

    frame = over_time_frame(n)
    spec = infer_spec(frame).spec.with_changes(filter={})
    deals = prepare(frame, spec)
    pairs = max(repeat, 5)

    def baseline() -> object:
        return funnel(deals, ["month"])

    header(
        f"over-time pages' engine calls on {n // 1000}k deals "
        f"(median of {pairs} pairs, each call in turns with the funnel by month)"
    )
    trends = cohort_trends(deals, "month", "channel")
    spend, daily = _spend_tables(deals)
    target = default_target(deals, "revenue")
    calls = {
        "Trends: cohorts by month": lambda: cohort_trends(deals, "month"),
        "Trends: cohorts by month x channel": lambda: cohort_trends(deals, "month", "channel"),
        "Trends: shift finder (month x channel)": lambda: find_shifts(trends),
        "Before/after a date": lambda: around_change(deals, date(2025, 9, 1)),
        "Before/after a date, per channel": lambda: around_change(
            deals, date(2025, 9, 1), by="channel"
        ),
        "Before/after a month: the months on offer": lambda: period_choices(
            deals, "month", "previous"
        ),
        "Before/after a month against the previous one": lambda: period_change(
            deals, "2026-03", "month", "previous"
        ),
        "Velocity by channel": lambda: velocity(deals, "channel"),
        "Stuck deals": lambda: stuck_deals(deals),
        "Planner: history by channel + plan": lambda: plan(deals, history(deals), target),
        "Channels: economics by channel": lambda: economics(deals, spend),
        "Channels: economics with the months": lambda: economics(deals, spend, by_month=True),
        "Channels: reading a 2-year daily spend table (x campaigns)": lambda: spend_for(
            deals, daily
        ),
    }
    bases: list[float] = []
    for name, fn in calls.items():
        baseline()
        fn()
        base_runs, runs, cpu = [], [], []
        for _ in range(pairs):
            base_runs.append(timed(baseline))
            wall, used = _wall_and_cpu(fn)
            runs.append(wall)
            cpu.append(used)
        bases += base_runs
        took = statistics.median(runs)
        ratio = statistics.median(o / b for b, o in zip(base_runs, runs, strict=True))
        row(
            name,
            f"{took * 1000:.0f} ms = {ratio:.0f}x {statistics.median(base_runs) * 1000:.1f} ms",
            f"target < 0.5 s (runs {min(runs) * 1000:.0f}-{max(runs) * 1000:.0f} ms, "
            f"cpu {statistics.median(cpu) * 1000:.0f} ms)",
            took < 0.5,
            number=took,
            unit="s",
        )
    base = statistics.median(bases)
    row("funnel by month (the baseline, all pairs)", f"{base * 1000:.1f} ms", number=base, unit="s")
