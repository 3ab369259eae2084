"""The reverse funnel: from a target for a period to the leads each channel must bring, and when.

Rates come from mature history: deals created at least ``MATURE_PERCENTILE`` % of the
creation-to-win time before the data's last date (they have had their chance to be decided),
with reached-based step conversions whose product is exactly won / deals of that cohort. When
the data has no dates, or too few mature deals or no mature win, the decided step conversions
of every deal (open deals at a stage left out of its denominator) are used instead; the basis
is stated in :attr:`PlanHistory.basis`.

Timing: wins in [start, end] need leads created around [start - cycle, end - cycle], cycle
being the channel's median creation-to-win days (the whole data's median when the channel has
fewer than ``MIN_CYCLE`` wins). The what-if lives in :mod:`funnel.overtime.whatif`.

Money is the main currency's only (:func:`funnel.deals.main_currency`): the average won deal is
the won amount in that currency over the wins in that currency that have an amount (a blank
amount is unknown, not 0; :attr:`PlanHistory.avg_won_n` says how many wins it stands on).

A plan whose forecast falls short of the target (a share of the target on a segment that cannot
be planned on: no wins, or no amounts) states the gap in :attr:`Plan.uncovered`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from funnel.compare import MIN_DEALS
from funnel.deals import WON, Deals, main_currency
from funnel.diagnostics import won_per_entrant
from funnel.metrics import funnel
from funnel.overtime.maturity import data_as_of
from funnel.overtime.velocity import cycle_days
from funnel.stats import wilson

TargetKind = Literal["revenue", "won"]
MixBasis = Literal["leads", "revenue"]
RateBasis = Literal["mature", "decided"]
Status = Literal["ok", "few", "no_wins", "no_amount"]
LeadTiming = Literal["past", "open", "future", "unknown"]  # of a lead window, at the data's end

MATURE_PERCENTILE = 90
MIN_CYCLE = 3  # fewer wins than this: a channel's cycle is the whole data's
RECENT_DAYS = 365  # "current" shares of leads and revenue: the last year of the data


def whole_leads(leads: np.ndarray) -> np.ndarray:
    """Leads as whole deals to bring: up to the next whole lead, but a float error above a whole
    number (3.0000000001) is no extra lead; an unreachable part (inf, NaN) stays inf.

    The plan's table, its totals, the page and the CLI all round through here.

    >>> whole_leads(np.array([2.1, 3.0000000001, 0.0, np.inf])).tolist()
    [3.0, 3.0, 0.0, inf]
    """
    leads = np.asarray(leads, dtype=np.float64)
    finite = np.isfinite(leads)
    # + 0.0 turns ceil's -0.0 (of a zero less the tolerance) into 0.0
    rounded = np.ceil(np.where(finite, leads, 0.0) - 1e-9) + 0.0
    return np.where(finite, rounded, np.inf)


@dataclass(frozen=True)
class LeadTotals:
    """A plan's whole leads summed over the segments it plans on (a part > 0, reachable)."""

    leads: float
    low: float  # at each segment's Wilson high win rate
    high: float  # at the Wilson low win rate; inf when a segment's is 0
    to_bring: float  # leads less the deals already created in each lead window


def default_period(hist: PlanHistory) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period a plan is for unless told: the quarter after the data's last date (after
    today's without dates)."""
    return next_quarter(hist.now or pd.Timestamp.now().normalize())


def next_quarter(after: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the calendar quarter after the one holding ``after``.

    >>> [str(d.date()) for d in next_quarter(pd.Timestamp("2026-11-19"))]
    ['2027-01-01', '2027-03-31']
    """
    quarter = pd.Period(after, freq="Q") + 1
    return quarter.start_time.normalize(), quarter.end_time.normalize()


@dataclass(frozen=True)
class PlanHistory:
    """What the plan stands on, per channel (or other segment)."""

    by: str
    labels: tuple[str, ...]
    stages: tuple[str, ...]
    rates: np.ndarray  # (G, S) step conversions; the last step is to won
    trials: np.ndarray  # (G, S) deals the step rates are taken over
    deals: np.ndarray  # (G,) deals in the basis (the win rate's denominator)
    won: np.ndarray  # (G,)
    win_low: np.ndarray  # (G,) Wilson 95% of the win rate
    win_high: np.ndarray
    avg_won: np.ndarray  # (G,) average won deal, main currency (NaN with no won amount)
    cycle: np.ndarray  # (G,) median creation-to-win days used for timing (NaN: no dates)
    cycle_own: np.ndarray  # (G,) bool: the channel's own median (else the whole data's)
    lead_share: np.ndarray  # (G,) share of leads in the last RECENT_DAYS
    revenue_share: np.ndarray  # (G,) share of won amount in the last RECENT_DAYS
    basis: RateBasis
    mature_days: float  # NaN for the decided basis
    now: pd.Timestamp | None
    currency: str
    min_deals: int
    # (G,) wins in the main currency with an amount: avg_won's denominator
    avg_won_n: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # (G,) every win in the main currency, with an amount or not (avg_won_n < this: some lack one)
    won_main_n: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def win_rate(self) -> np.ndarray:
        return won_per_entrant(self.rates)

    def status(self, kind: TargetKind = "revenue") -> tuple[Status, ...]:
        out: list[Status] = []
        for g in range(len(self.labels)):
            if self.won[g] == 0 or self.win_rate[g] == 0:
                out.append("no_wins")
            elif kind == "revenue" and not self.avg_won[g] > 0:
                out.append("no_amount")
            elif self.deals[g] < self.min_deals:
                out.append("few")
            else:
                out.append("ok")
        return tuple(out)

    @property
    def mature_since(self) -> pd.Timestamp | None:
        """On the mature basis, the latest creation day of the deals the rates stand on."""
        if self.basis != "mature" or self.now is None:
            return None
        return self.now - pd.Timedelta(days=self.mature_days)

    @property
    def basis_deals(self) -> int:
        """Deals the rates stand on, all segments together."""
        return int(self.deals.sum())

    def plannable(self, kind: TargetKind) -> tuple[bool, ...]:
        """Per segment: does a new lead bring anything (a win, or money) at these rates?"""
        return tuple(bool(v > 0) for v in self.value_per_lead(kind))

    def value_per_lead(self, kind: TargetKind) -> np.ndarray:
        """Won deals (or money) one new lead brings at these rates."""
        per = self.win_rate if kind == "won" else self.win_rate * np.nan_to_num(self.avg_won)
        return np.nan_to_num(per)


def history(
    deals: Deals,
    by: str = "channel",
    *,
    mask: np.ndarray | None = None,
    min_deals: int = MIN_DEALS,
) -> PlanHistory:
    """Rates, deal sizes, cycle lengths and current shares per value of ``by``."""
    keep = np.ones(len(deals), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    now = data_as_of(deals)
    cycle = cycle_days(deals)
    won_days = cycle[keep] if cycle is not None else np.array([])
    won_days = won_days[~np.isnan(won_days)]
    basis: RateBasis = "decided"
    mature_days = float("nan")
    rates_keep = keep
    if len(won_days) and now is not None and deals.created is not None:
        mature_days = float(np.percentile(won_days, MATURE_PERCENTILE))
        cutoff = (now - pd.Timedelta(days=mature_days)).to_datetime64()
        mature = keep & (deals.created <= cutoff)
        counts = funnel(deals, mask=mature)
        if counts.deals[0] >= 2 * min_deals and counts.won[0] > 0:
            basis, rates_keep = "mature", mature
    if basis == "decided":
        mature_days = float("nan")

    enc = deals.encode(by)
    all_counts = funnel(deals, by, mask=keep, drop_empty=False)
    present = np.flatnonzero(all_counts.deals > 0)
    counts = funnel(deals, by, mask=rates_keep, drop_empty=False).select(present)
    all_counts = all_counts.select(present)
    if basis == "mature":
        rates = counts.step_conversion
        trials = counts.reached.astype(np.float64)
        n = counts.deals.astype(np.float64)
    else:
        rates = counts.step_conversion_decided
        trials = counts.step_trials_decided.astype(np.float64)
        n = (counts.won + counts.lost).astype(np.float64)
    won = counts.won.astype(np.float64)
    low, high = wilson(won, n)
    cur = main_currency(deals)
    won_main = keep & (deals.outcome == WON)
    if deals.currency is not None and len(deals.currency.labels) > 1:
        won_main &= deals.currency.codes == cur
    priced = won_main & ~np.isnan(deals.amount)
    size = len(enc.labels)
    money = np.bincount(enc.codes[priced], weights=deals.amount[priced], minlength=size)[present]
    avg_n = np.bincount(enc.codes[priced], minlength=size)[present]
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = money / avg_n
    avg = np.where(np.isfinite(avg) & (avg > 0), avg, np.nan)

    overall = float(np.median(won_days)) if len(won_days) else float("nan")
    cyc = np.full(len(present), overall)
    own = np.zeros(len(present), dtype=bool)
    if cycle is not None:
        for i, code in enumerate(present):
            days = cycle[keep & (enc.codes == code)]
            days = days[~np.isnan(days)]
            if len(days) >= MIN_CYCLE:
                cyc[i], own[i] = float(np.median(days)), True
    lead_share, revenue_share = _shares(deals, enc.codes, present, keep, now, cur)
    return PlanHistory(
        by=by,
        labels=tuple(enc.labels[c] for c in present),
        stages=deals.stages,
        rates=np.nan_to_num(rates, nan=0.0),
        trials=trials,
        deals=n,
        won=won,
        win_low=np.nan_to_num(low, nan=0.0),
        win_high=np.nan_to_num(high, nan=1.0),
        avg_won=avg,
        cycle=cyc,
        cycle_own=own,
        lead_share=lead_share,
        revenue_share=revenue_share,
        basis=basis,
        mature_days=mature_days,
        now=now,
        currency=all_counts.currencies[cur],
        min_deals=min_deals,
        avg_won_n=avg_n.astype(np.int64),
        won_main_n=np.bincount(enc.codes[won_main], minlength=size)[present].astype(np.int64),
    )


def _shares(
    deals: Deals,
    codes: np.ndarray,
    present: np.ndarray,
    keep: np.ndarray,
    now: pd.Timestamp | None,
    cur: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's share of the leads, and of the won money, over the last RECENT_DAYS."""
    recent = keep
    if now is not None and deals.created is not None:
        since = (now - pd.Timedelta(days=RECENT_DAYS)).to_datetime64()
        recent = keep & (deals.created >= since)
        if not recent.any():
            recent = keep
    size = int(codes.max()) + 1 if len(codes) else 0
    leads = np.bincount(codes[recent], minlength=size)[present]
    won = recent & (deals.outcome == WON)
    if deals.currency is not None and len(deals.currency.labels) > 1:
        won &= deals.currency.codes == cur
    money = np.bincount(codes[won], weights=deals.amount_or_zero[won], minlength=size)[present]
    return _norm(leads.astype(np.float64)), _norm(money.astype(np.float64))


def _norm(values: np.ndarray) -> np.ndarray:
    total = values.sum()
    return values / total if total > 0 else np.zeros_like(values)


def default_target(
    deals: Deals, kind: TargetKind = "revenue", *, mask: np.ndarray | None = None
) -> float:
    """A starting target: what the last full quarter before the data's end won (by close
    date), or, without close dates, the average quarter's wins; rounded to two figures.
    Infinite when the wins' amounts sum past what a float holds: no target to start from."""
    keep = np.ones(len(deals), dtype=bool) if mask is None else mask
    won = keep & (deals.outcome == WON)
    if deals.currency is not None and len(deals.currency.labels) > 1 and kind == "revenue":
        won &= deals.currency.codes == main_currency(deals)
    weight = deals.amount_or_zero if kind == "revenue" else np.ones(len(deals))
    now = data_as_of(deals)
    value = float(weight[won].sum())
    if now is not None and deals.closed is not None:
        quarter = pd.Period(now, freq="Q") - 1
        a, b = quarter.start_time.to_datetime64(), quarter.end_time.to_datetime64()
        value = float(weight[won & (deals.closed >= a) & (deals.closed <= b)].sum())
    elif now is not None and deals.created is not None and won.any():
        first = pd.Timestamp(np.nanmin(deals.created[keep]))
        quarters = max(((now - first).days + 1) / 91.3, 1.0)
        value /= quarters
    if not np.isfinite(value):
        return math.inf  # sums past what a float holds (absurd amounts): nothing to round
    if value <= 0:
        return 0.0
    digits = -int(np.floor(np.log10(value))) + 1
    return float(round(value, digits))


# ---- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Leads each segment must bring for ``target`` in [start, end], and when."""

    kind: TargetKind
    target: float
    start: pd.Timestamp
    end: pd.Timestamp
    history: PlanHistory
    mix: np.ndarray  # (G,) the shares as given (of leads or of the target), normalised
    mix_basis: MixBasis
    part: np.ndarray  # (G,) the part of the target each segment carries
    leads: np.ndarray  # (G,) new leads needed (float; inf when the part cannot be met)
    leads_low: np.ndarray  # (G,) at the Wilson high win rate
    leads_high: np.ndarray  # (G,) at the Wilson low win rate (inf when it is 0)
    lead_from: tuple[pd.Timestamp | None, ...]
    lead_to: tuple[pd.Timestamp | None, ...]
    already: np.ndarray  # (G,) deals already created in the lead window (up to the data's end)

    @property
    def leads_rounded(self) -> np.ndarray:
        return whole_leads(self.leads)

    @property
    def planned(self) -> np.ndarray:
        """(G,) bool: the segments the plan counts on (a part of the target, reachable)."""
        return np.isfinite(self.leads_rounded) & (self.part > 0)

    def totals(self, planned: np.ndarray | None = None) -> LeadTotals:
        """Whole leads summed over ``planned`` segments (default: :attr:`planned`).

        The range's high end is inf as soon as one planned segment's is.
        """
        keep = self.planned if planned is None else np.asarray(planned, dtype=bool)
        high = whole_leads(self.leads_high[keep])
        return LeadTotals(
            leads=float(self.leads_rounded[keep].sum()),
            low=float(whole_leads(self.leads_low[keep]).sum()),
            high=float(high.sum()) if np.isfinite(high).all() else float("inf"),
            to_bring=float(self.to_bring[keep].sum()),
        )

    @property
    def uncovered(self) -> float:
        """How much of the target the plan's own forecast leaves uncovered (0 when met): a
        share given to a segment that cannot be planned on drops its part."""
        gap = self.target - float(self.forecast().sum())
        return gap if gap > 1e-9 * max(abs(self.target), 1.0) else 0.0

    @property
    def unplannable_share(self) -> float:
        """The part of the given mix that sits on segments with no value per lead."""
        return float(self.mix[~(self.history.value_per_lead(self.kind) > 0)].sum())

    @property
    def passed(self) -> bool:
        """The whole period lies before the data's last date."""
        now = self.history.now
        return now is not None and self.end < now.normalize()

    @property
    def to_bring(self) -> np.ndarray:
        return np.maximum(self.leads_rounded - self.already, 0)

    @property
    def window(self) -> tuple[LeadTiming, ...]:
        """Per segment: has its lead window passed by the data's last date, begun, or not yet?"""
        now = self.history.now
        out: list[LeadTiming] = []
        for a, b in zip(self.lead_from, self.lead_to, strict=True):
            if a is None or b is None or now is None:
                out.append("unknown")
            elif b < now.normalize():
                out.append("past")
            elif a <= now.normalize():
                out.append("open")
            else:
                out.append("future")
        return tuple(out)

    @property
    def forecast_total(self) -> float:
        """Won deals (or money) the plan's whole leads bring, all segments together."""
        return float(self.forecast().sum())

    def forecast(self, leads: np.ndarray | None = None) -> np.ndarray:
        """(G,) won deals (or money) the given leads bring at this plan's rates."""
        leads = self.leads_rounded if leads is None else leads
        return np.where(np.isfinite(leads), leads, 0) * self.history.value_per_lead(self.kind)

    def table(self) -> pd.DataFrame:
        h = self.history
        return pd.DataFrame(
            {
                "segment": h.labels,
                "status": h.status(self.kind),
                "deals_basis": h.deals.astype(np.int64),
                "won_basis": h.won.astype(np.int64),
                "win_rate": h.win_rate,
                "win_rate_low": h.win_low,
                "win_rate_high": h.win_high,
                "avg_won": h.avg_won,
                "avg_won_n": h.avg_won_n if len(h.avg_won_n) else np.zeros(len(h.labels), int),
                "cycle_days": h.cycle,
                "mix": self.mix,
                "part": self.part,
                "leads": self.leads_rounded,
                "leads_low": whole_leads(self.leads_low),
                # capped: an export holds a number, not inf
                "leads_high": whole_leads(np.minimum(self.leads_high, 1e15)),
                "lead_from": self.lead_from,
                "lead_to": self.lead_to,
                "window": self.window,
                "already": self.already,
                "to_bring": self.to_bring,
            }
        )


def shown_table(table: pd.DataFrame) -> pd.DataFrame:
    """:meth:`Plan.table` as the page and its export show it: rates and shares in percent to one
    place, counts and money whole (no "4,0", no "-0,0"), days to one place, inf as blank."""
    out = table.copy()
    for col in ("win_rate", "win_rate_low", "win_rate_high", "mix"):
        out[col] = (out[col] * 100).round(1)
    out = out.replace([np.inf, -np.inf], np.nan)
    for col in ("leads", "leads_low", "leads_high", "already", "to_bring", "avg_won_n"):
        out[col] = out[col].round(0).astype("Int64")
    for col in ("avg_won", "part"):
        out[col] = out[col].round(0).astype("Int64")
    out["cycle_days"] = out["cycle_days"].round(1) + 0.0
    return out


def default_mix(hist: PlanHistory, basis: MixBasis = "leads", kind: TargetKind = "revenue") -> dict:
    """The current shares (of leads or of revenue), segments that cannot be planned on left out."""
    share = hist.lead_share if basis == "leads" else hist.revenue_share
    usable = hist.value_per_lead(kind) > 0
    share = _norm(np.where(usable, share, 0.0))
    return dict(zip(hist.labels, share.tolist(), strict=True))


def mix_from_inputs(
    inputs: Mapping[str, float], default: Mapping[str, float], *, decimals: int = 1
) -> dict[str, float]:
    """The mix to plan on from percentage inputs that were shown as ``default`` * 100 rounded
    to ``decimals``: the unrounded default while no input was changed (so the page and the CLI
    give the same parts), else the inputs as typed.

    >>> mix_from_inputs({"a": 33.3, "b": 66.7}, {"a": 1 / 3, "b": 2 / 3})
    {'a': 33.33333333333333, 'b': 66.66666666666666}
    >>> mix_from_inputs({"a": 50.0, "b": 66.7}, {"a": 1 / 3, "b": 2 / 3})
    {'a': 50.0, 'b': 66.7}
    """
    edited = any(
        abs(float(inputs.get(k, 0.0)) - round(v * 100, decimals)) > 10 ** -(decimals + 3)
        for k, v in default.items()
    )
    if edited and sum(max(float(v), 0.0) for v in inputs.values()) > 0:
        return {k: float(v) for k, v in inputs.items()}
    return {k: v * 100 for k, v in default.items()}


def actual(
    deals: Deals,
    kind: TargetKind,
    start: date,
    end: date,
    *,
    mask: np.ndarray | None = None,
) -> tuple[float, int] | None:
    """What the data shows won in [start, end] by close date: (money in the main currency or
    won deals, wins counted); None without close dates."""
    if deals.closed is None:
        return None
    keep = np.ones(len(deals), dtype=bool) if mask is None else mask
    won = keep & (deals.outcome == WON)
    if kind == "revenue" and deals.currency is not None and len(deals.currency.labels) > 1:
        won &= deals.currency.codes == main_currency(deals)
    a = pd.Timestamp(start).normalize().to_datetime64()
    b = (pd.Timestamp(end).normalize() + pd.Timedelta(days=1)).to_datetime64()
    won &= (deals.closed >= a) & (deals.closed < b)
    value = float(deals.amount_or_zero[won].sum()) if kind == "revenue" else float(won.sum())
    return value, int(won.sum())


def plan(
    deals: Deals,
    hist: PlanHistory,
    target: float,
    *,
    kind: TargetKind = "revenue",
    start: date | None = None,
    end: date | None = None,
    mix: Mapping[str, float] | None = None,
    mix_basis: MixBasis = "leads",
    mask: np.ndarray | None = None,
) -> Plan:
    """How many leads each segment must bring so that, at ``hist``'s rates and deal sizes,
    the wins add up to ``target`` (money in the main currency, or won deals).

    With a mix of leads, leads_g = share_g * target / sum(share * value per lead); with a mix
    of revenue, leads_g = share_g * target / value per lead_g.
    """
    if start is None or end is None:
        default = default_period(hist)
        start, end = start or default[0], end or default[1]
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    given = mix if mix is not None else default_mix(hist, mix_basis, kind)
    share = _norm(np.array([max(float(given.get(label, 0.0)), 0.0) for label in hist.labels]))
    value = hist.value_per_lead(kind)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_low = value * np.where(hist.win_rate > 0, hist.win_low / hist.win_rate, 0.0)
        per_high = value * np.where(hist.win_rate > 0, hist.win_high / hist.win_rate, 0.0)
        if mix_basis == "leads":
            total_value = float((share * value).sum())
            part = share * value / total_value * target if total_value > 0 else share * np.inf
        else:
            part = share * target
        leads = np.where(part > 0, part / value, 0.0)
        leads_low = np.where(part > 0, part / per_high, 0.0)
        leads_high = np.where(part > 0, part / per_low, 0.0)
    leads = np.where(np.isnan(leads), np.inf, leads)
    lead_from, lead_to, already = _windows(deals, hist, start, end, mask)
    return Plan(
        kind=kind,
        target=float(target),
        start=start,
        end=end,
        history=hist,
        mix=share,
        mix_basis=mix_basis,
        part=np.nan_to_num(part, nan=0.0, posinf=0.0),
        leads=leads,
        leads_low=np.nan_to_num(leads_low, nan=np.inf),
        leads_high=np.nan_to_num(leads_high, nan=np.inf),
        lead_from=lead_from,
        lead_to=lead_to,
        already=already,
    )


def _windows(
    deals: Deals,
    hist: PlanHistory,
    start: pd.Timestamp,
    end: pd.Timestamp,
    mask: np.ndarray | None,
) -> tuple[tuple[pd.Timestamp | None, ...], tuple[pd.Timestamp | None, ...], np.ndarray]:
    starts: list[pd.Timestamp | None] = []
    ends: list[pd.Timestamp | None] = []
    already = np.zeros(len(hist.labels), dtype=np.int64)
    enc = deals.encode(hist.by)
    keep = np.ones(len(deals), dtype=bool) if mask is None else mask
    for g, label in enumerate(hist.labels):
        days = hist.cycle[g]
        if np.isnan(days):
            starts.append(None)
            ends.append(None)
            continue
        a = (start - pd.Timedelta(days=float(days))).normalize()
        b = (end - pd.Timedelta(days=float(days))).normalize()
        starts.append(a)
        ends.append(b)
        if deals.created is not None:
            code = enc.labels.index(label)
            made = deals.created
            inside = (made >= a.to_datetime64()) & (
                made < (b + pd.Timedelta(days=1)).to_datetime64()
            )
            already[g] = int((keep & (enc.codes == code) & inside).sum())
    return tuple(starts), tuple(ends), already
