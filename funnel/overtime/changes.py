"""Before and after a dated change, this period against the previous one or the same period a
year before: each step's decided conversion on both sides, and whether it moved beyond noise.

The rule (the same in docs/metrics.md):

- A *step attempt* is a deal that reached stage k; it passed when it got to stage k+1 (won,
  after the last stage). It is dated by the deal's creation, or, when the source has stage
  dates, by the day the deal entered stage k: a step belongs to the side on which it happened.
- Rates are *decided*: the deals still open at stage k are left out, since they have not yet
  had their chance to move on.
- Each step has its own maturity horizon, measured from the same anchor (see
  ``funnel.overtime.maturity``): the slower of losing at the step and passing it (created -> won: of
  losing and winning). A step's attempts dated within its horizon of the data's last day are
  left out on both sides: the side after a change is younger, and counting its quick losses
  while its slow passes are still open would show a false drop. One horizon for every step
  would be set by the quick losses and be far too short for the slow steps.
- Each step is a two-proportion z-test of after against before; p-values are adjusted with
  Benjamini-Hochberg over the steps (and segments) shown. A side with fewer than ``min_trials``
  decided attempts is too small to judge; when the after side is that small because the cut
  left its attempts out, the step is *too early* to judge: not before its ``min_trials``-th
  attempt after the change is a horizon old (at the earliest the change date plus the horizon).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from funnel.compare import ALPHA, MIN_DEALS, benjamini_hochberg
from funnel.deals import PERIODS, Deals
from funnel.errors import SpecError
from funnel.filters import date_bounds
from funnel.metrics import FunnelCounts, funnel
from funnel.overtime.cohorts import ALL, Period
from funnel.overtime.maturity import NAT_NS, NS_PER_DAY, Anchor, Maturity, maturity, step_columns
from funnel.overtime.maturity import step_dates as step_dates  # lived here first
from funnel.spec import Change
from funnel.stats import two_proportion_p, wilson


@dataclass(frozen=True)
class Window:
    """A half-open date range [start, end)."""

    start: pd.Timestamp
    end: pd.Timestamp

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", pd.Timestamp(self.start))
        object.__setattr__(self, "end", pd.Timestamp(self.end))

    @property
    def days(self) -> int:
        return int((self.end - self.start).days)

    @property
    def last_day(self) -> pd.Timestamp:
        """The last day inside the window (its end is the day after)."""
        return self.end - pd.Timedelta(days=1)


@dataclass(frozen=True)
class BeforeAfter:
    """Per segment and step: decided passes and attempts on both sides, and the test.

    ``table`` columns: segment, step (k; k == S is created -> won), from_stage, to_stage
    (None = won), before_passed, before_trials, before_rate, before_low, before_high, the same
    for after, change (after - before rate), p_value (raw), p_adjusted, significant, too_small,
    horizon_days (the step's maturity horizon), cutoff (the step's attempts dated on or after
    it are left out; NaT when nothing is), too_early (the after side is too small because of
    that cut, while the before side is not), judge_from (only for a too-early step: not
    before this day can the after side hold ``min_trials`` mature attempts, never earlier than
    the day after the data's last day; NaT while fewer have reached the step, and for every
    step that is not too early),
    after_reached (the after side's attempts so far, young and open ones included).
    """

    stages: tuple[str, ...]
    by: str | None
    before: Window
    after: Window
    anchor: Anchor
    cutoff: pd.Timestamp | None  # the earliest step cutoff (see the table's cutoff column)
    maturity: Maturity
    table: pd.DataFrame

    @property
    def one_side_empty(self) -> bool:
        """Nothing to compare: no attempt before, or none after that is not merely too young."""
        t = self.table
        if t.empty or t["before_trials"].sum() == 0:
            return True
        return bool(t["after_trials"].sum() == 0 and not t["too_early"].any())

    @property
    def last_judged_day(self) -> pd.Timestamp | None:
        """The last day whose attempts count at every step (the day before :attr:`cutoff`)."""
        return None if self.cutoff is None else self.cutoff - pd.Timedelta(days=1)

    @property
    def after_immature(self) -> bool:
        """The after side runs past the earliest step cutoff: some of its attempts are left out."""
        return self.cutoff is not None and self.after.end > self.cutoff

    def horizons(self) -> Horizons | None:
        """The steps' maturity horizons in days (None when none is known)."""
        days = self.table.drop_duplicates("step")["horizon_days"].dropna()
        if self.cutoff is None or not len(days):
            return None
        steps = days.iloc[:-1] if len(days) > 1 else days
        return Horizons(
            step_min=float(steps.min()),
            step_max=float(steps.max()),
            won=float(days.iloc[-1]),
            longest=float(days.max()),
        )

    def moved(self) -> pd.DataFrame:
        """The rows whose change is beyond noise (after the adjustment)."""
        return self.table[self.table["significant"]]

    def judged(self) -> pd.DataFrame:
        """The rows with enough attempts on both sides to be tested."""
        return self.table[~self.table["too_small"]]

    def most_tried(self) -> pd.Series | None:
        """The judged row with the most attempts on both sides: the most telling one."""
        judged = self.judged()
        if judged.empty:
            return None
        tried = (judged["before_trials"] + judged["after_trials"]).to_numpy()
        return judged.iloc[int(np.argmax(tried))]

    def too_early(self) -> pd.DataFrame:
        """The rows too early to judge (see the class doc); ``judge_from`` None while unknown."""
        early = self.table[self.table["too_early"]]
        known: list[pd.Timestamp | None] = [None if pd.isna(d) else d for d in early["judge_from"]]
        return early.assign(judge_from=pd.Series(known, index=early.index, dtype=object))

    def too_small(self) -> pd.DataFrame:
        """The rows too small to judge that are not merely too early."""
        return self.table[self.table["too_small"] & ~self.table["too_early"]]

    def segments(self, top: int | None = None) -> list[str]:
        """Segment labels, largest first: by the smaller side's largest step (a segment that
        is big on one side only tells little), ``top`` of them."""
        sizes = self.table.groupby("segment", sort=False)[["before_trials", "after_trials"]]
        smaller = sizes.max().min(axis=1).sort_values(ascending=False, kind="stable")
        return list(smaller.index)[:top]

    def shown_table(self) -> pd.DataFrame:
        """The table as the page and its export show it: the change in points, horizons in
        whole days, the adjusted p to four places."""
        return self.table.assign(
            change=self.table["change"] * 100,
            horizon_days=self.table["horizon_days"].round().astype("Int64"),
            p_adjusted=self.table["p_adjusted"].round(4),
        )


def shown_tables(results: Sequence[BeforeAfter]) -> pd.DataFrame:
    """The shown tables of several before/afters (the whole, then by segment) one under another."""
    return pd.concat([r.shown_table() for r in results], ignore_index=True)


@dataclass(frozen=True)
class Horizons:
    """A before/after's maturity horizons in days: the shortest and longest of the stage
    steps, the created -> won row's, and the longest of all."""

    step_min: float
    step_max: float
    won: float
    longest: float


def _side(
    deals: Deals,
    by: str | None,
    dates: Sequence[np.ndarray],
    window: Window,
    cutoffs: Sequence[pd.Timestamp | None],
    mask: np.ndarray | None,
) -> tuple[list[tuple[str, ...]], np.ndarray, np.ndarray]:
    """(labels, passed, decided attempts), each (G, S + 1), of the attempts dated in window
    and before their step's cutoff."""
    start = np.datetime64(window.start, "ns")
    n_steps = len(dates)
    # Steps with the same date column and the same end share one count: dated by creation,
    # often all of them.
    cache: dict[tuple[int, np.datetime64], tuple[np.ndarray, FunnelCounts]] = {}
    passed: list[np.ndarray] = []
    trials: list[np.ndarray] = []
    labels: list[tuple[str, ...]] = []
    for k in range(n_steps):
        end = np.datetime64(window.end, "ns")
        if cutoffs[k] is not None:
            end = min(end, np.datetime64(cutoffs[k], "ns"))
        key = (id(dates[k]), end)
        if key not in cache:
            inside = (dates[k] >= start) & (dates[k] < end)
            if mask is not None:
                inside &= mask
            # The column is kept with its counts, so its id is not reused while cached.
            cache[key] = (dates[k], funnel(deals, by, mask=inside, drop_empty=False))
        counts = cache[key][1]
        labels = list(counts.labels)
        if k < n_steps - 1:
            passed.append(counts.passed[:, k])
            trials.append(counts.step_trials_decided[:, k])
        else:
            decided = counts.won + counts.lost
            passed.append(counts.won)
            trials.append(decided)
    return labels, np.stack(passed, axis=1), np.stack(trials, axis=1)


def before_after(
    deals: Deals,
    before: Window,
    after: Window,
    *,
    by: str | None = None,
    mask: np.ndarray | None = None,
    anchor: Anchor | None = None,
    mature_only: bool = True,
    min_trials: int = MIN_DEALS,
    as_of: pd.Timestamp | None = None,
    mat: Maturity | None = None,
) -> BeforeAfter:
    """Decided step conversions of the attempts dated in ``before`` against ``after``.

    ``anchor`` defaults to ``entered`` when the deals have stage dates, else ``created``.
    ``mature_only`` leaves out each step's attempts younger than its horizon. ``mat`` is the
    maturity of these deals where ``mask`` when the caller has it already (one of another
    anchor is not used); it is computed otherwise.
    """
    if deals.created is None and deals.entered is None:
        raise SpecError(
            "before/after needs dates",
            code="no_created",
            expected="a 'created' column or stage dates in the spec",
        )
    if anchor is None:
        anchor = "entered" if deals.entered is not None else "created"
    if mat is None or mat.anchor != anchor:
        mat = maturity(deals, mask=mask, as_of=as_of, anchor=anchor)
    stages = deals.stages
    steps = range(len(stages) + 1)
    cutoffs = [mat.step_cutoff(k) if mature_only else None for k in steps]
    horizons = [mat.step_horizon(k) for k in steps]
    dates = step_columns(deals, anchor)
    labels, k1, n1 = _side(deals, by, dates, before, cutoffs, mask)
    _, k2, n2 = _side(deals, by, dates, after, cutoffs, mask)
    too_small = (n1 < min_trials) | (n2 < min_trials)
    judge_from, after_reached = _judge_from(
        deals, by, dates, after, horizons, mask, min_trials, len(labels)
    )
    cut_after = np.array([c is not None and c < after.end for c in cutoffs])
    too_early = (n2 < min_trials) & (n1 >= min_trials) & cut_after[None, :]
    # A day to wait for only where the step is too early; one already past (its attempts are
    # old enough but still open) becomes the next day: "not before" stays true.
    judge_from[~too_early] = np.datetime64("NaT")
    if mat.as_of is not None:
        tomorrow = np.datetime64(pd.Timestamp(mat.as_of).normalize() + pd.Timedelta(days=1), "ns")
        past = ~np.isnat(judge_from) & (judge_from < tomorrow)
        judge_from[past] = tomorrow
    raw = two_proportion_p(k2, n2, k1, n1)
    raw[too_small] = np.nan
    adjusted = benjamini_hochberg(raw)
    lo1, hi1 = wilson(k1, n1)
    lo2, hi2 = wilson(k2, n2)
    rows = []
    for g, lab in enumerate(labels):
        if by is not None and n1[g].sum() + n2[g].sum() == 0:
            continue
        for k in range(len(stages) + 1):
            with np.errstate(divide="ignore", invalid="ignore"):
                r1 = k1[g, k] / n1[g, k] if n1[g, k] else np.nan
                r2 = k2[g, k] / n2[g, k] if n2[g, k] else np.nan
            rows.append(
                {
                    "segment": lab[0] if lab else ALL,
                    "step": k,
                    "from_stage": stages[k] if k < len(stages) else stages[0],
                    "to_stage": stages[k + 1] if k + 1 < len(stages) else None,
                    "before_passed": int(k1[g, k]),
                    "before_trials": int(n1[g, k]),
                    "before_rate": r1,
                    "before_low": lo1[g, k],
                    "before_high": hi1[g, k],
                    "after_passed": int(k2[g, k]),
                    "after_trials": int(n2[g, k]),
                    "after_rate": r2,
                    "after_low": lo2[g, k],
                    "after_high": hi2[g, k],
                    "change": r2 - r1,
                    "p_value": raw[g, k],
                    "p_adjusted": adjusted[g, k],
                    "significant": bool(np.nan_to_num(adjusted[g, k], nan=1.0) < ALPHA),
                    "too_small": bool(too_small[g, k]),
                    "horizon_days": np.nan if horizons[k] is None else horizons[k],
                    "cutoff": pd.NaT if cutoffs[k] is None else cutoffs[k],
                    "too_early": bool(too_early[g, k]),
                    "judge_from": pd.Timestamp(judge_from[g, k]).ceil("D"),
                    "after_reached": int(after_reached[g, k]),
                }
            )
    found = [c for c in cutoffs if c is not None]
    return BeforeAfter(
        stages=stages,
        by=by,
        before=before,
        after=after,
        anchor=anchor,
        cutoff=min(found) if found else None,
        maturity=mat,
        table=pd.DataFrame(rows),
    )


def _judge_from(
    deals: Deals,
    by: str | None,
    dates: Sequence[np.ndarray],
    after: Window,
    horizons: Sequence[float | None],
    mask: np.ndarray | None,
    min_trials: int,
    n_groups: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(G, S + 1) the day the after side first holds ``min_trials`` mature attempts: the
    ``min_trials``-th attempt's date plus the step's horizon (NaT: fewer attempts so far),
    and how many attempts, young ones included, it holds now. Some of those may still be open
    then, so the day is "not before", never "on"."""
    out = np.full((n_groups, len(dates)), np.datetime64("NaT"), dtype="datetime64[ns]")
    reached = np.zeros((n_groups, len(dates)), dtype=np.int64)
    start, end = np.datetime64(after.start, "ns"), np.datetime64(after.end, "ns")
    group = deals.encode(by).codes if by is not None else np.zeros(len(deals), dtype=np.int64)
    nth = max(min_trials, 1) - 1
    # Per date column, the after side's attempts sorted once by (group, time, furthest stage)
    # packed in one int64 (a plain sort of numbers, far quicker than an argsort): a step takes
    # those that reached it, which keeps the order. Dated by creation, every step shares one
    # sort; a pandas groupby over a million attempts took most of the page's time.
    levels = max(len(deals.stages), 1)
    sorted_by: dict[int, tuple[np.ndarray, np.ndarray, int, int]] = {}
    for k, horizon in enumerate(horizons):
        column = dates[k]
        if id(column) not in sorted_by:
            inside = (column >= start) & (column < end)
            if mask is not None:
                inside &= mask
            # Seconds: groups x span x stages stays in int64 (a million groups over two
            # centuries of dates and 300 stages is under 2e18).
            d = column[inside].view(np.int64) // 10**9
            d0 = int(d.min()) if len(d) else 0
            span = int(d.max()) - d0 + 1 if len(d) else 1
            packed = (group[inside].astype(np.int64) * span + (d - d0)) * levels
            packed += deals.furthest[inside]
            # The column is kept with its sort, so its id is not reused while cached.
            sorted_by[id(column)] = (column, np.sort(packed), d0, span)
        _, packed, d0, span = sorted_by[id(column)]
        if k < len(deals.stages):
            packed = packed[packed % levels >= k]
        keys = packed // levels  # group * span + seconds, still in order
        reached[:, k] = np.bincount(keys // span, minlength=n_groups)[:n_groups]
        if horizon is None or not len(keys):
            continue
        at = np.searchsorted(keys, np.arange(n_groups, dtype=np.int64) * span) + nth
        ok = at < len(keys)
        ok[ok] &= keys[at[ok]] // span == np.flatnonzero(ok)
        nth_time = ((keys[at[ok]] % span + d0) * 10**9).view("datetime64[ns]")
        out[np.flatnonzero(ok), k] = nth_time + np.timedelta64(int(horizon * NS_PER_DAY), "ns")
    return out, reached


def _data_span(deals: Deals) -> Window:
    # Every step date is a creation or a stage-entry date (see step_dates): their bounds are
    # those of the two, without building the (deals, steps) table.
    found = [a.view(np.int64).ravel() for a in (deals.created, deals.entered) if a is not None]
    found = [a for a in found if (a != NAT_NS).any()]
    if not found:
        raise SpecError("no dated deals", code="no_created", expected="creation or stage dates")
    last = max(int(a.max()) for a in found)  # NaT is the smallest int64
    first = min(int(np.where(a == NAT_NS, last, a).min()) for a in found)
    return Window(
        pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize() + pd.Timedelta(days=1)
    )


def change_windows(
    deals: Deals,
    when: date,
    *,
    others: Sequence[date] = (),
    equal: bool = False,
    as_of: pd.Timestamp | None = None,
    mask: np.ndarray | None = None,
    mat: Maturity | None = None,
) -> tuple[Window, Window]:
    """Before = from the previous change (or the data's start) to ``when``; after = from
    ``when`` to the next change (or the data's end). ``equal`` trims the longer side to the
    shorter one's length, counting the after side only up to the overall maturity cutoff (the
    shortest horizon: the slower steps' cutoffs then trim their own after side further; taking
    the slowest one would shrink every step's windows to fit the created -> won row).
    ``mat``: the maturity of these deals where ``mask``, when the caller has it (the overall
    horizon is dated by creation whatever its anchor).
    """
    span = _data_span(deals)
    at = pd.Timestamp(when)
    earlier = [pd.Timestamp(d) for d in others if pd.Timestamp(d) < at]
    later = [pd.Timestamp(d) for d in others if pd.Timestamp(d) > at]
    start = max([span.start, *earlier])
    end = min([span.end, *later])
    if equal:
        cutoff = (mat if mat is not None else maturity(deals, mask=mask, as_of=as_of)).cutoff
        usable = min(end, cutoff) if cutoff is not None else end
        length = max(min(at - start, usable - at), pd.Timedelta(days=1))
        start, end = max(start, at - length), min(end, at + length)
    return Window(start, at), Window(at, max(end, at))


def around_change(
    deals: Deals,
    when: date,
    *,
    others: Sequence[date] = (),
    equal: bool = False,
    by: str | None = None,
    mask: np.ndarray | None = None,
    anchor: Anchor | None = None,
    min_trials: int = MIN_DEALS,
    as_of: pd.Timestamp | None = None,
    mat: Maturity | None = None,
) -> BeforeAfter:
    """The funnel before and after the change on ``when`` (``others``: the spec's other
    changes, which bound the windows), as the Before/after page and ``--compare-before`` show.
    ``mat``: see :func:`before_after`.
    """
    before, after = change_windows(
        deals, when, others=others, equal=equal, as_of=as_of, mask=mask, mat=mat
    )
    return before_after(
        deals,
        before,
        after,
        by=by,
        mask=mask,
        anchor=anchor,
        min_trials=min_trials,
        as_of=as_of,
        mat=mat,
    )


def period_window(label: str, period: Period) -> Window:
    """The days of a period label as ``Deals.encode`` writes it ("2026-03", "2026Q1", ...).

    >>> w = period_window("2026Q1", "quarter")
    >>> str(w.start.date()), str(w.end.date())
    ('2026-01-01', '2026-04-01')
    """
    p = pd.Period(label, freq=PERIODS[period])
    return Window(p.start_time.normalize(), (p + 1).start_time.normalize())


def periods(deals: Deals, period: Period, *, mask: np.ndarray | None = None) -> list[str]:
    """Period labels of the deals' creation dates, oldest first."""
    if deals.created is None:
        return []
    created = deals.created if mask is None else deals.created[mask]
    # A period holds whole days: the few distinct days name every period, not a million dates.
    days = np.unique(created[~np.isnat(created)].astype("datetime64[D]"))
    return sorted({str(p) for p in pd.Series(days).dt.to_period(PERIODS[period])})


Against = Literal["previous", "last_year"]


def compared_label(label: str, period: Period, against: Against) -> str:
    """The label of the period ``label`` is compared with: the one before, or a year earlier.

    >>> compared_label("2026Q1", "quarter", "previous")
    '2025Q4'
    >>> compared_label("2026-03", "month", "last_year")
    '2025-03'
    """
    p = pd.Period(label, freq=PERIODS[period])
    steps = {"week": 52, "month": 12, "quarter": 4}[period] if against == "last_year" else 1
    return str(p - steps)


def period_windows(label: str, period: Period, against: Against) -> tuple[Window, Window]:
    """(the period to compare with, the period): the one just before, or a year earlier.

    >>> before, after = period_windows("2026-03", "month", "last_year")
    >>> str(before.start.date()), str(after.start.date())
    ('2025-03-01', '2026-03-01')
    """
    return period_window(compared_label(label, period, against), period), period_window(
        label, period
    )


@dataclass(frozen=True)
class PeriodChoice:
    """The periods a comparison can be asked for, newest first, and the one to show first."""

    labels: tuple[str, ...]
    default: str | None  # None: no period is settled; the first label is then as good


def period_choices(
    deals: Deals,
    period: Period,
    against: Against,
    *,
    mask: np.ndarray | None = None,
    as_of: pd.Timestamp | None = None,
    mat: Maturity | None = None,
) -> PeriodChoice:
    """Offered: the periods some step can judge (they start before the shortest horizon's
    cutoff; all periods when none does). Shown first: the newest one whose every step can be
    judged (it ends by the slowest step's cutoff) and whose compared period lies in the data,
    so a young period's slow steps are not the first thing seen. ``mat``: see
    :func:`before_after`.
    """
    labels = periods(deals, period, mask=mask)
    anchor: Anchor = "entered" if deals.entered is not None else "created"
    if mat is None or mat.anchor != anchor:
        mat = maturity(deals, mask=mask, as_of=as_of, anchor=anchor)
    cutoff = mat.cutoff
    usable = [p for p in labels if cutoff is None or period_window(p, period).start < cutoff]
    offered = tuple(reversed(usable or labels))
    cuts = [c for c in (mat.step_cutoff(k) for k in range(len(deals.stages) + 1)) if c is not None]
    if not labels:
        return PeriodChoice(offered, None)
    first_day = period_window(labels[0], period).start

    def settled(label: str) -> bool:
        earlier, this = period_windows(label, period, against)
        return earlier.start >= first_day and (not cuts or this.end <= min(cuts))

    return PeriodChoice(offered, next((p for p in offered if settled(p)), None))


Outside = Literal["before", "after"]


def date_outside(deals: Deals, when: date) -> Outside | None:
    """Where a change date falls outside the deals' creation days, None when inside.

    On the first day or earlier is "before": no deal would be on the before side.
    """
    bounds = date_bounds(deals)
    if bounds is None:
        return None
    if when <= bounds[0]:
        return "before"
    if when > bounds[1]:
        return "after"
    return None


def bounding_changes(
    result: BeforeAfter, others: Sequence[Change]
) -> tuple[Change | None, Change | None]:
    """(the change that starts the before window, the one that ends the after window), each
    None when the data's start or end bounds it instead."""
    by_date = {c.date: c for c in others}
    return by_date.get(result.before.start.date()), by_date.get(result.after.end.date())


def period_change(
    deals: Deals,
    label: str,
    period: Period,
    against: Against,
    *,
    by: str | None = None,
    mask: np.ndarray | None = None,
    anchor: Anchor | None = None,
    min_trials: int = MIN_DEALS,
    as_of: pd.Timestamp | None = None,
    mat: Maturity | None = None,
) -> BeforeAfter:
    """This period against the previous one, or against the same period a year before.
    ``mat``: see :func:`before_after`."""
    before, after = period_windows(label, period, against)
    return before_after(
        deals,
        before,
        after,
        by=by,
        mask=mask,
        anchor=anchor,
        min_trials=min_trials,
        as_of=as_of,
        mat=mat,
    )
