"""Funnel numbers from prepared deals: reached, conversions, won/lost/open, money.

Time in stage (``Durations``/``durations``) lives in :mod:`funnel.overtime.velocity`.

Definitions:

- ``reached[k]``: deals whose furthest stage is k or later (a won deal reached every stage).
- ``lost_at[k]`` / ``open_at[k]``: lost / open deals whose furthest stage is k.
- step conversion k -> k+1 = reached[k+1] / reached[k]; for the last stage, won / reached[last].
- decided step conversion: the same with the open deals sitting at k left out of the
  denominator (they have not yet had their chance to move on).
- % of top = reached[k] / reached[0]; drop-off k = reached[k] - reached[k+1].
- every conversion carries a Wilson 95% interval.

One bincount over ``segment * (stages * outcomes) + furthest * outcomes + outcome`` gives every
count of every segment at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from funnel.deals import LOST, LOST_UNKNOWN, N_OUTCOMES, OPEN, WON, Deals
from funnel.stats import wilson


@dataclass(frozen=True)
class FunnelCounts:
    """Counts for G segments x S stages; segment 0 is the only one when there is no breakdown."""

    stages: tuple[str, ...]
    stage_groups: tuple[str, ...]
    by: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]  # one label per dimension, per segment
    at: np.ndarray  # (G, S, N_OUTCOMES) deals whose furthest stage is k, by outcome
    # (G, C, S, N_OUTCOMES) summed amounts by currency, stage and outcome, or a function giving
    # them: money is summed only when something asks for it, so a count-only view (a filter
    # change, a comparison) costs one bincount.
    money: np.ndarray | Callable[[], np.ndarray] = field(repr=False, compare=False)
    currencies: tuple[str, ...] = ("",)
    # (G, C, S, N_OUTCOMES) deals with a known amount, the same way: a blank amount is unknown,
    # not 0, so averages divide by these. None (counts built by hand): every deal has one.
    priced: np.ndarray | Callable[[], np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def amount_at(self) -> np.ndarray:
        return self.money() if callable(self.money) else self.money

    @cached_property
    def priced_at(self) -> np.ndarray:
        if self.priced is None:
            return np.broadcast_to(self.at[:, None].astype(float), self.amount_at.shape)
        return self.priced() if callable(self.priced) else self.priced

    @property
    def avg_won_amount(self) -> np.ndarray:
        """(G, C) average won deal over the won deals with a known amount (NaN: none)."""
        priced = self.priced_at[..., WON].sum(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(priced > 0, self.won_amount / priced, np.nan)

    # ---- counts ----
    @property
    def deals(self) -> np.ndarray:
        return self.at.sum(axis=(1, 2))

    @property
    def won(self) -> np.ndarray:
        return self.at[:, :, WON].sum(axis=1)

    @property
    def lost(self) -> np.ndarray:
        return self.at[:, :, LOST].sum(axis=1) + self.at[:, :, LOST_UNKNOWN].sum(axis=1)

    @property
    def open(self) -> np.ndarray:
        return self.at[:, :, OPEN].sum(axis=1)

    @property
    def lost_stage_unknown(self) -> np.ndarray:
        return self.at[:, :, LOST_UNKNOWN].sum(axis=1)

    @cached_property
    def reached(self) -> np.ndarray:
        per_stage = self.at.sum(axis=2)
        return np.cumsum(per_stage[:, ::-1], axis=1)[:, ::-1]

    @property
    def lost_at(self) -> np.ndarray:
        return self.at[:, :, LOST] + self.at[:, :, LOST_UNKNOWN]

    @property
    def open_at(self) -> np.ndarray:
        return self.at[:, :, OPEN]

    # ---- rates ----
    @cached_property
    def passed(self) -> np.ndarray:
        """reached[k+1], with won in place of the stage after the last."""
        return np.concatenate([self.reached[:, 1:], self.won[:, None]], axis=1)

    @property
    def step_conversion(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.passed / self.reached

    @property
    def step_trials_decided(self) -> np.ndarray:
        return self.reached - self.open_at

    @property
    def step_conversion_decided(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.passed / self.step_trials_decided

    @cached_property
    def step_interval(self) -> tuple[np.ndarray, np.ndarray]:
        return wilson(self.passed, self.reached)

    @property
    def pct_of_previous(self) -> np.ndarray:
        """reached[k] / reached[k-1], as the funnel chart labels each bar (nan for the first)."""
        prev = np.concatenate([np.full((len(self.reached), 1), np.nan), self.reached[:, :-1]], 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.reached / prev

    @property
    def pct_of_top(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.reached / self.reached[:, :1]

    @property
    def drop_off(self) -> np.ndarray:
        return self.reached - self.passed

    @property
    def win_rate(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.won / self.deals

    @property
    def win_rate_decided(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.won / (self.won + self.lost)

    # ---- money ----
    def amount(self, outcome: int) -> np.ndarray:
        """(G, C) summed amount of deals with this outcome (LOST includes LOST_UNKNOWN)."""
        return self.amount_by_stage(outcome).sum(axis=2)

    def amount_by_stage(self, outcome: int) -> np.ndarray:
        """(G, C, S) summed amount of deals with this outcome whose furthest stage is k."""
        out = self.amount_at[..., outcome]
        if outcome == LOST:
            out = out + self.amount_at[..., LOST_UNKNOWN]
        return out

    @property
    def reached_amount(self) -> np.ndarray:
        """(G, C, S) summed amount of the deals that reached stage k (the money view)."""
        per_stage = self.amount_at.sum(axis=3)
        return np.cumsum(per_stage[..., ::-1], axis=2)[..., ::-1]

    @property
    def won_amount(self) -> np.ndarray:
        return self.amount(WON)

    @property
    def open_amount(self) -> np.ndarray:
        return self.amount(OPEN)

    @property
    def lost_amount(self) -> np.ndarray:
        return self.amount(LOST)

    # ---- shaping ----
    def segment_label(self, g: int, sep: str = " × ") -> str:
        return sep.join(self.labels[g]) if self.labels[g] else "all"

    def known(self) -> FunnelCounts:
        """The same funnel without the lost deals whose stage at loss is unknown.

        Those sit at the first stage only for want of a better place; a step's loss rate must
        not count them, or a snapshot export's first step looks far leakier than it is.
        """
        at = self.at.copy()
        at[..., LOST_UNKNOWN] = 0

        def without(values: np.ndarray) -> np.ndarray:
            values = values.copy()
            values[..., LOST_UNKNOWN] = 0
            return values

        return replace(
            self,
            at=at,
            money=lambda: without(self.amount_at),
            priced=lambda: without(self.priced_at),
        )

    def select(self, keep: np.ndarray) -> FunnelCounts:
        """A subset of segments (a boolean mask or index array over G)."""
        idx = np.flatnonzero(keep) if np.asarray(keep).dtype == bool else np.asarray(keep)
        return FunnelCounts(
            stages=self.stages,
            stage_groups=self.stage_groups,
            by=self.by,
            labels=tuple(self.labels[i] for i in idx),
            at=self.at[idx],
            money=lambda: self.amount_at[idx],
            currencies=self.currencies,
            priced=lambda: self.priced_at[idx],
        )

    def grouped(self) -> FunnelCounts:
        """The same funnel folded into stage groups (blocks): a deal's furthest group."""
        groups = list(dict.fromkeys(self.stage_groups))
        gidx = np.array([groups.index(g) for g in self.stage_groups])
        at = np.zeros((self.at.shape[0], len(groups), N_OUTCOMES), dtype=self.at.dtype)
        for i, g_i in enumerate(gidx):
            at[:, g_i, :] += self.at[:, i, :]

        def fold(values: np.ndarray) -> np.ndarray:
            g, c = values.shape[:2]
            out = np.zeros((g, c, len(groups), N_OUTCOMES))
            for i, g_i in enumerate(gidx):
                out[:, :, g_i, :] += values[:, :, i, :]
            return out

        return FunnelCounts(
            stages=tuple(groups),
            stage_groups=tuple(groups),
            by=self.by,
            labels=self.labels,
            at=at,
            money=lambda: fold(self.amount_at),
            currencies=self.currencies,
            priced=lambda: fold(self.priced_at),
        )

    def table(self, g: int = 0) -> pd.DataFrame:
        """One row per stage of segment g with every figure, for display and export."""
        low, high = self.step_interval
        return pd.DataFrame(
            {
                "stage": self.stages,
                "group": self.stage_groups,
                "reached": self.reached[g],
                "pct_of_previous": self.pct_of_previous[g],
                "pct_of_top": self.pct_of_top[g],
                "step_conversion": self.step_conversion[g],
                "step_conversion_low": low[g],
                "step_conversion_high": high[g],
                "step_conversion_decided": self.step_conversion_decided[g],
                "drop_off": self.drop_off[g],
                "lost_at": self.lost_at[g],
                "open_at": self.open_at[g],
            }
        )


def funnel(
    deals: Deals,
    by: str | Sequence[str] | None = None,
    *,
    mask: np.ndarray | None = None,
    drop_empty: bool = True,
) -> FunnelCounts:
    """Funnel counts of ``deals`` (optionally only where ``mask``), broken down ``by`` dimensions.

    ``by`` is a role (channel, product, owner, pipeline), a period of creation (week, month,
    quarter) or any source column; two at once give every combination (channel x product).
    Missing values are the segment ``(none)``. Segments with no deals are dropped unless
    ``drop_empty`` is false.
    """
    dims: tuple[str, ...] = () if by is None else (by,) if isinstance(by, str) else tuple(by)
    n_stages = len(deals.stages)
    cell = n_stages * N_OUTCOMES
    key, labels = deals.segment_keys(dims)
    n_seg = len(labels)
    cur = deals.currency
    n_cur = len(cur.labels) if cur is not None and len(cur.labels) > 1 else 1
    if mask is not None:
        key = key[mask]
    at = np.bincount(key, minlength=n_seg * cell)
    shape = (n_seg, n_cur, n_stages, N_OUTCOMES)

    def summed(weights: np.ndarray) -> np.ndarray:
        money_key = key
        if n_cur > 1:
            assert cur is not None
            codes = cur.codes if mask is None else cur.codes[mask]
            # (segment, currency, stage, outcome) from the same key: split it, add the currency.
            money_key = (key // cell * n_cur + codes) * cell + key % cell
        w = weights if mask is None else weights[mask]
        return np.bincount(money_key, weights=w, minlength=n_seg * n_cur * cell).reshape(shape)

    def money() -> np.ndarray:
        return summed(deals.amount_or_zero)

    def priced() -> np.ndarray:
        return summed((~np.isnan(deals.amount)).astype(np.float64))

    result = FunnelCounts(
        stages=deals.stages,
        stage_groups=deals.stage_groups,
        by=dims,
        labels=tuple(labels),
        at=at.reshape(n_seg, n_stages, N_OUTCOMES),
        money=money,
        priced=priced,
        currencies=cur.labels
        if cur is not None and n_cur > 1
        else ((cur.labels[0],) if cur is not None and cur.labels else ("",)),
    )
    if dims and drop_empty:
        result = result.select(result.deals > 0)
    return result
