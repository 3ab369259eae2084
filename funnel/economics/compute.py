"""The spend laid against the deals (``place``: currency, window, each row's channel) and the
economics counted from it under a filter (``economics``), per month too; the definitions are
those of :mod:`funnel.economics.figures`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel.deals import WON, Deals, main_currency
from funnel.economics.figures import Economics, cost_per, ratio
from funnel.economics.matching import match_channels
from funnel.economics.table import Spend, read_spend, split_into
from funnel.errors import InputError
from funnel.metrics import funnel
from funnel.notices import Notice
from funnel.overtime.maturity import close_dates, data_as_of, maturity
from funnel.spec_spend import SpendSpec
from funnel.values import NONE_LABEL

_EPOCH_MONTH = pd.Period("1970-01", freq="M").ordinal  # datetime64[M] counts from it


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
    frame["cost_per_lead"] = cost_per(frame["spend"], frame["leads"])
    frame["cost_per_won"] = cost_per(frame["spend"], frame["won"])
    frame["romi"] = ratio(frame["won_amount"] - frame["spend"], frame["spend"])
    if "won_closed_amount" in frame:
        frame["romi_calendar"] = ratio(frame["won_closed_amount"] - frame["spend"], frame["spend"])
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
