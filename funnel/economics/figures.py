"""What each channel costs and returns: spend against the funnel's leads, stages and won deals.

Definitions (the same in docs/metrics.md):

- The *window* is the span of the spend rows that overlap the deals' dates (the first deal's
  creation to the data's last date). A row is taken whole or left out whole (a month's budget
  is not cut because the export's first deal came on the 5th); what is left out is reported.
  Deals count when created inside the window. Spend with no period is all used: against all
  deals when the whole table has no period, against the window's deals when dated rows stand
  beside it; it has no month, so the monthly figures leave it out (``spend_undated`` says how
  much).
- *Leads* of a channel are its deals created in the window, counted as the funnel counts them
  (the first stage's reached); *reached*, *won* and *won revenue* likewise. Revenue is in the
  deals' main currency; spend in another currency is kept apart, never added.
- cost per lead = spend / leads; cost of stage k = spend / reached[k]; cost per won deal (CAC)
  = spend / won; ROMI = (won revenue - spend) / spend; with a gross margin m: profit = won
  revenue * m - spend and ROMI on profit = profit / spend. Each is *not defined* (NaN, never
  infinity) when its denominator is 0.
- The CAC range comes from the Wilson 95 % range of the lead -> won rate (spend is known, the
  rate is what is uncertain); channels with fewer than ``MIN_DEALS`` leads are too small to
  judge; each channel's lead -> won rate is tested against the rest (two proportions,
  Benjamini-Hochberg over the channels), as Compare does.
- Spend of a channel with no deals in the window is a segment with 0 leads (listed, never
  dropped); channels with leads and no spend are listed too. The total is the sum of the
  segments: all spend in the window against all leads in it.
- Per month, two attributions: *by lead month* (the month's spend against the leads created in
  it and what those leads brought, however late; months younger than the maturity horizon are
  marked young, their figures still growing) and *by calendar month* (the month's spend against
  the revenue of deals won in it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from funnel.compare import MIN_DEALS, benjamini_hochberg
from funnel.deals import WON, Deals, main_currency
from funnel.economics.table import Spend, read_spend, split_into
from funnel.errors import InputError
from funnel.metrics import funnel
from funnel.notices import Notice
from funnel.overtime.maturity import close_dates, data_as_of, maturity
from funnel.spec_spend import SpendSpec
from funnel.stats import two_proportion_p, wilson
from funnel.values import NONE_LABEL, norm_label

ALPHA = 0.05
_EPOCH_MONTH = pd.Period("1970-01", freq="M").ordinal  # datetime64[M] counts from it


def _ratio(top: ArrayLike, bottom: ArrayLike) -> np.ndarray:
    top, bottom = np.asarray(top, dtype=float), np.asarray(bottom, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)


def _cost(spend: ArrayLike, count: ArrayLike) -> np.ndarray:
    """Spend per unit; not defined where nothing was spent (a channel whose spend is not in
    the table is not free) or nothing was counted."""
    spend = np.asarray(spend, dtype=float)
    return np.where(spend != 0, _ratio(spend, count), np.nan)


@dataclass(frozen=True)
class Economics:
    """Spend against the funnel for G segments (and the total); arrays are per segment."""

    by: str | None
    stages: tuple[str, ...]
    currency: str  # what spend and revenue are counted in ("" when the data names none)
    labels: tuple[str, ...]
    spend: np.ndarray  # (G,)
    reached: np.ndarray  # (G, S)
    won: np.ndarray  # (G,)
    won_amount: np.ndarray  # (G,)
    lost_at: np.ndarray  # (G, S) deals lost at stage k
    matched: np.ndarray  # (G,) bool: the label is the deals' (False: spend on no deal label)
    total_spend: float
    total_reached: np.ndarray  # (S,)
    total_won: int
    total_won_amount: float
    total_lost_at: np.ndarray
    margin: float | None = None
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    spend_outside: float = 0.0  # in the window's currency, outside the window
    spend_undated: float = 0.0  # spend with no period: in the totals, in no month
    other_currency: Mapping[str, float] = field(default_factory=dict)
    deals_outside: int = 0  # deals created outside the window (or with no creation date)
    spend_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # label -> as written
    notices: tuple[Notice, ...] = ()
    months: pd.DataFrame | None = None  # see ``by_month``
    stage_groups: tuple[str, ...] = ()  # each stage's block, as the funnel folds them

    # ---- per segment ----
    @property
    def leads(self) -> np.ndarray:
        return self.reached[:, 0] if self.reached.shape[1] else np.zeros(len(self.labels))

    @property
    def cost_per_lead(self) -> np.ndarray:
        return _cost(self.spend, self.leads)

    @property
    def stage_cost(self) -> np.ndarray:
        """(G, S) spend per deal that reached stage k."""
        return _cost(self.spend[:, None], self.reached)

    @property
    def cost_per_won(self) -> np.ndarray:
        return _cost(self.spend, self.won)

    @property
    def romi(self) -> np.ndarray:
        return _ratio(self.won_amount - self.spend, self.spend)

    @property
    def profit(self) -> np.ndarray | None:
        """Won revenue times the margin less the spend; not defined where no spend is recorded
        (a channel missing from the spend table is not free)."""
        if self.margin is None:
            return None
        return np.where(self.spend != 0, self.won_amount * self.margin - self.spend, np.nan)

    @property
    def romi_profit(self) -> np.ndarray | None:
        profit = self.profit
        return None if profit is None else _ratio(profit, self.spend)

    @property
    def lost_spend(self) -> np.ndarray:
        """(G, S) the spend that went on the deals lost at stage k (a leak in money spent)."""
        return _ratio(self.spend[:, None] * self.lost_at, self.leads[:, None])

    @cached_property
    def win_interval(self) -> tuple[np.ndarray, np.ndarray]:
        return wilson(self.won, self.leads)

    @property
    def win_rate(self) -> np.ndarray:
        return _ratio(self.won, self.leads)

    @property
    def cac_range(self) -> tuple[np.ndarray, np.ndarray]:
        """(low, high) cost per won deal from the lead -> won rate's 95 % range (NaN: unbounded)."""
        low, high = self.win_interval
        cheap = _cost(self.spend, self.leads * high)
        dear = _cost(self.spend, self.leads * low)
        return cheap, dear

    @property
    def too_small(self) -> np.ndarray:
        return self.leads < MIN_DEALS

    @cached_property
    def verdict(self) -> tuple[str, ...]:
        """Per segment, its lead -> won rate against the rest's: better / worse /
        no_difference / too_small / no_leads (the same test as Compare)."""
        judged = ~self.too_small & self.matched
        k, n = self.won.astype(float), self.leads.astype(float)
        rest_k = k[judged].sum() - np.where(judged, k, 0)
        rest_n = n[judged].sum() - np.where(judged, n, 0)
        raw = np.where(judged, two_proportion_p(k, n, rest_k, rest_n), np.nan)
        p = benjamini_hochberg(raw)
        out = []
        for g in range(len(self.labels)):
            if not self.matched[g] or self.leads[g] == 0:
                out.append("no_leads")
            elif self.too_small[g]:
                out.append("too_small")
            elif np.nan_to_num(p[g], nan=1.0) < ALPHA:
                rest = rest_k[g] / rest_n[g] if rest_n[g] else np.nan
                out.append("better" if self.win_rate[g] > rest else "worse")
            else:
                out.append("no_difference")
        return tuple(out)

    # ---- the total ----
    @property
    def total_leads(self) -> int:
        return int(self.total_reached[0]) if len(self.total_reached) else 0

    def total(self) -> dict[str, float | None]:
        """The whole window's figures (every segment's spend against every lead)."""
        spend = self.total_spend
        leads = self.total_leads

        def div(a: float, b: float) -> float | None:
            return a / b if b else None

        profit = None if self.margin is None else self.total_won_amount * self.margin - spend
        return {
            "spend": spend,
            "leads": leads,
            "cost_per_lead": div(spend, leads) if spend else None,
            "won": self.total_won,
            "cost_per_won": div(spend, self.total_won) if spend else None,
            "won_amount": self.total_won_amount,
            "romi": div(self.total_won_amount - spend, spend),
            "profit": profit,
            "romi_profit": None if profit is None else div(profit, spend),
        }

    @property
    def total_stage_cost(self) -> np.ndarray:
        return _ratio(np.full(len(self.total_reached), self.total_spend), self.total_reached)

    @property
    def unmatched_spend(self) -> list[tuple[str, float]]:
        return [(lab, float(s)) for lab, s, m in zip(self.labels, self.spend, self.matched,
                strict=True) if not m]  # fmt: skip

    @property
    def without_spend(self) -> list[str]:
        return [lab for lab, s, n in zip(self.labels, self.spend, self.leads, strict=True)
                if s == 0 and n > 0]  # fmt: skip

    # ---- what is said first: the dearest and cheapest won deal, who does not pay back ----
    def judged(self) -> list[int]:
        """The segments whose cost per won deal can be compared: spend on a deal label, a won
        deal, and enough leads to judge."""
        return [
            g
            for g in range(len(self.labels))
            if self.matched[g]
            and self.spend[g] > 0
            and not self.too_small[g]
            and np.isfinite(self.cost_per_won[g])
        ]

    def dearest_and_cheapest(self) -> tuple[int | None, int | None]:
        """The segment with the dearest won deal and the one with the cheapest (None when no
        segment can be judged, or only one); ties go to the first."""
        found = self.judged()
        if not found:
            return None, None
        cost = self.cost_per_won
        dear = max(found, key=lambda g: (cost[g], -g))
        cheap = min(found, key=lambda g: (cost[g], g))
        return dear, (cheap if cheap != dear else None)

    def losing(self) -> list[int]:
        """The segments whose won revenue does not pay back their spend (ROMI below 0)."""
        romi = self.romi
        return [
            g
            for g in range(len(self.labels))
            if self.matched[g] and self.spend[g] > 0 and self.leads[g] > 0 and romi[g] < 0
        ]

    @property
    def priced(self) -> bool:
        """Whether any deal label has a cost per won deal (so its cost can be charted)."""
        return bool((np.isfinite(self.cost_per_won) & self.matched).any())

    def lost_spend_by_stage(self) -> np.ndarray:
        """(S,) the spend that went on the deals lost at each stage, over every segment."""
        if not self.lost_spend.size:
            return np.zeros(len(self.stages))
        return np.nansum(self.lost_spend, axis=0)

    def costliest_loss(self) -> tuple[int, float, float] | None:
        """(stage, spend, its share of all spend) for the stage whose lost deals took the most
        spend; None when no spend went on a lost deal."""
        lost = self.lost_spend_by_stage()
        if self.total_spend <= 0 or not lost.size or not np.nanmax(lost) > 0:
            return None
        k = int(np.nanargmax(lost))
        return k, float(lost[k]), float(lost[k]) / self.total_spend

    def month_view(self, segment: str | None, *, calendar: bool) -> pd.DataFrame | None:
        """The months of one segment (None: all) under one attribution: month, spend, leads,
        cost_per_lead, won, cost_per_won, won_amount, romi (and young by lead month). None
        when the months were not computed, or by calendar month with no close dates."""
        months = self.months
        if months is None or (calendar and "won_closed" not in months):
            return None
        rows = months[months["segment"].isna() if segment is None else months["segment"] == segment]
        won = rows["won_closed"] if calendar else rows["won"]
        out = pd.DataFrame(
            {
                "month": rows["month"].to_numpy(),
                "spend": rows["spend"].to_numpy(),
                "leads": rows["leads"].to_numpy(),
                "cost_per_lead": rows["cost_per_lead"].to_numpy(),
                "won": won.to_numpy(),
                "cost_per_won": _cost(rows["spend"], won),
                "won_amount": rows["won_closed_amount" if calendar else "won_amount"].to_numpy(),
                "romi": rows["romi_calendar" if calendar else "romi"].to_numpy(),
            }
        )
        if not calendar:
            out["young"] = rows["young"].to_numpy()
        return out

    def table(self) -> pd.DataFrame:
        """One row per segment with every figure, for display and export."""
        cheap, dear = self.cac_range
        low, high = self.win_interval
        out = pd.DataFrame(
            {
                "segment": self.labels,
                "spend": self.spend,
                "leads": self.leads,
                "cost_per_lead": self.cost_per_lead,
                "won": self.won,
                "win_rate": self.win_rate,
                "win_rate_low": np.where(self.leads > 0, low, np.nan),
                "win_rate_high": np.where(self.leads > 0, high, np.nan),
                "cost_per_won": self.cost_per_won,
                "cost_per_won_low": cheap,
                "cost_per_won_high": dear,
                "won_amount": self.won_amount,
                "romi": self.romi,
                "too_small": self.too_small,
                "verdict": self.verdict,
            }
        )
        if self.margin is not None:
            out["profit"] = self.profit
            out["romi_profit"] = self.romi_profit
        for k, stage in enumerate(self.stages):
            out[f"cost: {stage}"] = self.stage_cost[:, k]
        return out


# ---- matching ---------------------------------------------------------------------------------


def match_channels(
    spend_labels: Sequence[str], deal_labels: Sequence[str], aliases: Mapping[str, str]
) -> dict[str, str | None]:
    """Each spend label -> the deal label it is (None: none), after case and spaces are
    normalised, or as ``aliases`` (spend name -> deal name) say.

    >>> match_channels(["Контекст ", "ВК", "Выставка"], ["контекст", "Таргет"], {"вк": "Таргет"})
    {'Контекст ': 'контекст', 'ВК': 'Таргет', 'Выставка': None}
    """
    by_key = {norm_label(d): d for d in deal_labels}
    alias = {norm_label(k): norm_label(v) for k, v in aliases.items()}
    out: dict[str, str | None] = {}
    for label in spend_labels:
        key = norm_label(label)
        out[label] = by_key.get(alias.get(key, key))
    return out


def suggest(label: str, deal_labels: Sequence[str]) -> str | None:
    """The deal label most like a spend label that matched none, when one is clearly close.

    >>> suggest("Яндекс.Директ", ["Яндекс Директ", "Выставка"])
    'Яндекс Директ'
    """
    from difflib import SequenceMatcher

    key = norm_label(label)
    scored = sorted(
        ((SequenceMatcher(None, key, norm_label(d)).ratio(), d) for d in deal_labels),
        reverse=True,
    )
    if scored and scored[0][0] >= 0.75 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


# ---- computing -------------------------------------------------------------------------------


def _money_currency(deals: Deals, spend: Spend) -> str:
    cur = deals.currency
    if cur is not None and cur.labels and cur.labels[main_currency(deals)] != NONE_LABEL:
        return cur.labels[main_currency(deals)]
    amounts = spend.rows.groupby("currency")["amount"].sum()
    named = amounts[amounts.index != ""]
    return str(named.idxmax()) if len(named) else ""


def _overlap(deals: Deals, spend: pd.DataFrame) -> tuple[np.ndarray, bool]:
    """Which dated spend rows overlap the deals' dates (first creation to the data's last
    date), and whether the deals have dates at all. A row is taken whole or not at all: a
    month's budget is not cut because the export's first deal came on the 5th."""
    dated = spend["start"].notna().to_numpy()
    if deals.created is None:
        return dated, False
    created = pd.Series(deals.created).dropna()
    as_of = data_as_of(deals)
    if created.empty or as_of is None:
        return dated, False
    first, last = created.min().normalize(), as_of.normalize() + pd.Timedelta(days=1)
    return dated & (spend["end"] > first).to_numpy() & (spend["start"] < last).to_numpy(), True


@dataclass(frozen=True)
class Placed:
    """A spend table laid against the deals, whatever the filters: the rows counted (in the
    money's currency, inside the deals' dates), each row's segment, and the deals inside the
    spend's window. Computed once per dataset and spend; ``economics`` then takes a mask."""

    spec: SpendSpec
    currency: str
    rows: pd.DataFrame  # counted rows, with their ``segment``
    other_currency: Mapping[str, float]
    window: tuple[pd.Timestamp, pd.Timestamp] | None
    in_window: np.ndarray | None  # (N,) deals created inside the window; None: no window
    spend_outside: float
    by: str | None
    all_deal_labels: tuple[str, ...]
    per_segment: Mapping[str, float]
    names: Mapping[str, tuple[str, ...]]
    notices: tuple[Notice, ...]


def place(deals: Deals, spend: Spend, spec: SpendSpec | None = None) -> Placed:
    """Lay ``spend`` against ``deals`` (see the module docstring): what does not depend on
    the filters, so a filter change recounts the funnel only."""
    spec = spec or SpendSpec()
    notices: list[Notice] = list(spend.notices)
    currency = _money_currency(deals, spend)
    rows = spend.rows.assign(currency=spend.rows["currency"].replace("", currency))
    other = rows[rows["currency"] != currency]
    other_currency = {
        str(k): float(v) for k, v in other.groupby("currency")["amount"].sum().items()
    }
    rows = rows[rows["currency"] == currency]
    if other_currency:
        notices.append(Notice("spend_other_currency", {"currency": currency,
                                                        "other": other_currency}))  # fmt: skip
    overlapping, has_dates = _overlap(deals, rows)
    dated = rows["start"].notna().to_numpy()
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    in_window: np.ndarray | None = None
    outside_spend = float(rows.loc[dated & ~overlapping, "amount"].sum())
    if dated.any() and not has_dates:
        notices.append(Notice("spend_no_created", {}))
    elif overlapping.any():
        window = (rows.loc[overlapping, "start"].min(), rows.loc[overlapping, "end"].max())
        assert deals.created is not None
        created = deals.created
        in_window = (created >= window[0].to_datetime64()) & (created < window[1].to_datetime64())
    elif dated.any():
        notices.append(Notice("spend_outside_data", {"amount": outside_spend}))
    if has_dates:
        rows = rows[overlapping | ~dated]
    by = spec.by if spec.by in deals.segments else None
    if by is None and spec.by:
        notices.append(Notice("spend_no_role", {"role": spec.by}))
    all_deal_labels = tuple(deals.encode(by).labels) if by else ()
    spend_labels = list(dict.fromkeys(rows["channel"].astype(str)))
    matched = match_channels(spend_labels, all_deal_labels, spec.channels)
    rows = rows.assign(segment=rows["channel"].astype(str).map(lambda s: matched[s] or s))
    per_segment = rows.groupby("segment", sort=False)["amount"].sum()
    names: dict[str, tuple[str, ...]] = {}
    for written, segment in zip(rows["channel"].astype(str), rows["segment"], strict=True):
        names[segment] = tuple(dict.fromkeys((*names.get(segment, ()), written)))
    return Placed(
        spec=spec,
        currency=currency,
        rows=rows,
        other_currency=other_currency,
        window=window,
        in_window=in_window,
        spend_outside=outside_spend,
        by=by,
        all_deal_labels=all_deal_labels,
        per_segment={str(k): float(v) for k, v in per_segment.items()},
        names=names,
        notices=tuple(notices),
    )


def economics(
    deals: Deals,
    spend: Spend | Placed,
    *,
    spec: SpendSpec | None = None,
    mask: np.ndarray | None = None,
    by_month: bool = False,
) -> Economics:
    """Spend per segment (``spec.by``, the channel by default) against the funnel of ``deals``
    (where ``mask``); see the module docstring. ``spend`` may be already placed (``place``)."""
    placed = spend if isinstance(spend, Placed) else place(deals, spend, spec)
    spec, currency, rows, by = placed.spec, placed.currency, placed.rows, placed.by
    window, all_deal_labels, names = placed.window, list(placed.all_deal_labels), placed.names
    keep = np.ones(len(deals), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    chosen = keep
    deals_outside = 0
    if placed.in_window is not None:
        deals_outside = int((keep & ~placed.in_window).sum())
        keep = keep & placed.in_window
    counts = funnel(deals, by, mask=keep) if by else None
    total = funnel(deals, mask=keep)
    cur_idx = total.currencies.index(currency) if currency in total.currencies else 0
    deal_labels = [lab[0] for lab in counts.labels] if counts is not None else []
    per_segment = placed.per_segment
    extra = [s for s in per_segment if s not in deal_labels]
    labels = tuple(deal_labels) + tuple(extra)
    n_extra = len(extra)
    n_stages = len(deals.stages)

    def padded(values: np.ndarray) -> np.ndarray:
        pad = np.zeros((n_extra, *values.shape[1:]), dtype=float)
        return np.concatenate([values.astype(float), pad]) if n_extra else values.astype(float)

    if counts is not None:
        reached = padded(counts.reached)
        won = padded(counts.won)
        won_amount = padded(counts.won_amount[:, cur_idx])
        lost_at = padded(counts.lost_at)
    else:
        reached = np.zeros((n_extra, n_stages))
        won = won_amount = np.zeros(n_extra)
        lost_at = np.zeros((n_extra, n_stages))
    spend_by = np.array([float(per_segment.get(lab, 0.0)) for lab in labels])
    result = Economics(
        by=by,
        stages=deals.stages,
        currency=currency if currency != NONE_LABEL else "",
        labels=labels,
        spend=spend_by,
        reached=reached,
        won=won,
        won_amount=won_amount,
        lost_at=lost_at,
        matched=np.array([lab in all_deal_labels for lab in labels], dtype=bool),
        total_spend=float(spend_by.sum()),
        total_reached=total.reached[0].astype(float),
        total_won=int(total.won[0]),
        total_won_amount=float(total.won_amount[0, cur_idx]),
        total_lost_at=total.lost_at[0].astype(float),
        margin=spec.margin,
        window=window,
        spend_outside=placed.spend_outside,
        spend_undated=float(rows.loc[rows["start"].isna(), "amount"].sum()),
        other_currency=placed.other_currency,
        deals_outside=deals_outside,
        spend_names=names,
        notices=placed.notices,
        stage_groups=deals.stage_groups,
    )
    if by_month and window is not None:
        months = _months(deals, rows, result, keep, chosen, by, cur_idx)
        result = dataclasses.replace(result, months=months)
    return result


def _months(
    deals: Deals,
    rows: pd.DataFrame,
    result: Economics,
    keep: np.ndarray,
    chosen: np.ndarray,
    by: str | None,
    cur_idx: int,
) -> pd.DataFrame:
    """Per segment and calendar month: spend, the month's leads and what they brought, and the
    deals won in the month (two attributions); months too young to judge are marked."""
    assert result.window is not None and deals.created is not None
    first, last = result.window
    months = pd.period_range(first, last - pd.Timedelta(days=1), freq="M")
    closed_at = close_dates(deals)
    seg = np.full(len(deals), -1)
    if by:
        enc = deals.encode(by)
        pos = {lab: i for i, lab in enumerate(result.labels)}
        seg = np.array([pos.get(enc.labels[c], -1) for c in range(len(enc.labels))])[enc.codes]
    cur = deals.currency
    in_cur = (
        np.ones(len(deals), dtype=bool)
        if cur is None or len(cur.labels) < 2
        else (cur.codes == cur_idx)
    )
    amount = np.where(in_cur, deals.amount_or_zero, 0.0)
    horizon = maturity(deals, mask=keep).cutoff
    won = deals.outcome == WON
    n_months, n_seg = len(months), len(result.labels)
    first_month = months[0].ordinal

    def month_index(stamps: np.ndarray) -> np.ndarray:
        """Each date's position among ``months`` (-1 outside them or NaT)."""
        ordinal = stamps.astype("datetime64[M]").astype(np.int64) - (first_month - _EPOCH_MONTH)
        ok = ~np.isnat(stamps) & (ordinal >= 0) & (ordinal < n_months)
        return np.where(ok, ordinal, -1)

    def counted(at: np.ndarray, where: np.ndarray, weights: np.ndarray | None = None):
        """(months, segments) and (months,) sums over the deals ``where`` placed by ``at``."""
        take = where & (at >= 0)
        w = None if weights is None else weights[take]
        total = np.bincount(at[take], weights=w, minlength=n_months)
        mine = take & (seg >= 0)
        key = at[mine] * n_seg + seg[mine]
        w = None if weights is None else weights[mine]
        per = np.bincount(key, weights=w, minlength=n_months * n_seg).reshape(n_months, n_seg)
        return per, total

    lead_month = month_index(np.asarray(deals.created, dtype="datetime64[ns]"))
    leads, leads_all = counted(lead_month, keep)
    wins, wins_all = counted(lead_month, keep & won)
    revenue, revenue_all = counted(lead_month, keep & won, amount)
    if closed_at is not None:
        won_month = month_index(np.asarray(closed_at, dtype="datetime64[ns]"))
        closing, closing_all = counted(won_month, chosen & won)
        closing_amount, closing_amount_all = counted(won_month, chosen & won, amount)
    dated = rows[rows["start"].notna()]
    out = []
    for i, month in enumerate(months):
        start, end = month.start_time, (month + 1).start_time
        by_seg = split_into(dated, start, end).groupby("segment")["amount"].sum()
        young = bool(horizon is not None and end > horizon)
        for g in [*range(n_seg), -1]:
            row = {
                "segment": result.labels[g] if g >= 0 else None,
                "month": str(month),
                "spend": float(by_seg.sum()) if g < 0 else float(by_seg.get(result.labels[g], 0.0)),
                "leads": int(leads_all[i] if g < 0 else leads[i, g]),
                "won": int(wins_all[i] if g < 0 else wins[i, g]),
                "won_amount": float(revenue_all[i] if g < 0 else revenue[i, g]),
                "young": young,
            }
            if closed_at is not None:
                row["won_closed"] = int(closing_all[i] if g < 0 else closing[i, g])
                row["won_closed_amount"] = float(
                    closing_amount_all[i] if g < 0 else closing_amount[i, g]
                )
            out.append(row)
    frame = pd.DataFrame(out)
    frame["cost_per_lead"] = _cost(frame["spend"], frame["leads"])
    frame["cost_per_won"] = _cost(frame["spend"], frame["won"])
    frame["romi"] = _ratio(frame["won_amount"] - frame["spend"], frame["spend"])
    if "won_closed_amount" in frame:
        frame["romi_calendar"] = _ratio(frame["won_closed_amount"] - frame["spend"], frame["spend"])
    return frame


def spend_for(
    deals: Deals,
    frame: pd.DataFrame | None = None,
    spec: SpendSpec | None = None,
    *,
    source: str = "spend",
) -> Spend:
    """The spend of ``deals``: read from ``frame`` (recognised against the deals' channels and
    dates, or as ``spec.columns`` say), else the rows ``spec`` keeps."""
    spec = spec or SpendSpec()
    if frame is None:
        if not spec.rows:
            raise InputError(
                "no spend table", code="spend_missing", expected="a spend file or spend rows"
            )
        return Spend.from_rows(spec.rows)
    channels = deals.encode(spec.by).labels if spec.by in deals.segments else ()
    within = None
    if deals.created is not None:
        created = pd.Series(deals.created).dropna()
        as_of = data_as_of(deals)
        if len(created) and as_of is not None:
            within = (created.min(), as_of)
    return read_spend(frame, channels=channels, spec=spec, within=within, source=source)


def placed_of(deals: Deals) -> Placed | None:
    """The spend ``deals``' spec keeps laid against them (None when it keeps none): what
    ``economics_of`` reuses while only the filters change."""
    spend = deals.spec.spend
    if spend is None or not spend.rows:
        return None
    return place(deals, Spend.from_rows(spend.rows), spend)


def economics_of(
    deals: Deals,
    *,
    mask: np.ndarray | None = None,
    by_month: bool = False,
    placed: Placed | None = None,
) -> Economics | None:
    """The economics of ``deals`` under the spend their spec keeps (``spec.spend.rows``), or
    None when it keeps none: the one way the pages, the report and the CLI get them.
    ``placed`` is ``placed_of(deals)`` when the caller kept it."""
    placed = placed if placed is not None else placed_of(deals)
    if placed is None:
        return None
    return economics(deals, placed, mask=mask, by_month=by_month)


def with_spend(deals: Deals, spend: Spend, spec: SpendSpec | None = None) -> Deals:
    """``deals`` whose spec keeps ``spend`` (its rows, and ``spec``'s aliases and margin)."""
    from dataclasses import replace

    kept = replace(spec or deals.spec.spend or SpendSpec(), rows=spend.to_rows())
    return replace(deals, spec=replace(deals.spec, spend=kept))
