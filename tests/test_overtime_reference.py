"""The over-time engine's array shortcuts against the rules written out in plain pandas, on
random frames with and without stage dates: step horizons, the data's span, the after side's
attempts and the day its ``min_trials``-th one matures, and the stuck deals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.deals import LOST, LOST_UNKNOWN, OPEN, WON
from funnel.overtime.changes import Window, _judge_from, change_windows, periods
from funnel.overtime.maturity import HORIZON_QUANTILE, MIN_OUTCOME_N, maturity, step_columns
from funnel.overtime.velocity import stuck_deals
from funnel.prepare import prepare
from funnel.spec import Spec, Stage
from tests.strategies import SPEC, random_rows, row_strategy, small_frame

DATED_SPEC = Spec(
    columns={
        "deal": "ID",
        "title": "Сделка",
        "channel": "Канал",
        "amount": "Сумма",
        "created": "Создана",
        "closed": "Закрыта",
        "status": "Статус",
    },
    stages=(Stage("A", column="A"), Stage("B", column="B"), Stage("C", column="C")),
    won=("W",),
    lost=("L",),
)
DAY0 = pd.Timestamp("2025-01-01")

# created day, A/B/C entry days after creation (None: no date), status, days to close,
# channel, amount (few values: ties)
dated_row = st.tuples(
    st.integers(0, 200),
    st.one_of(st.none(), st.integers(-3, 40)),
    st.one_of(st.none(), st.integers(0, 80)),
    st.one_of(st.none(), st.integers(0, 120)),
    st.sampled_from(["W", "L", "В работе"]),
    st.one_of(st.none(), st.integers(-2, 150)),
    st.sampled_from(["x", "y"]),
    st.sampled_from([None, 100.0, 200.0]),
)


def dated_frame(rows) -> pd.DataFrame:
    def day(base: int, offset: int | None) -> pd.Timestamp:
        return pd.NaT if offset is None else DAY0 + pd.Timedelta(days=base + offset, hours=offset)

    return pd.DataFrame(
        {
            "ID": range(1, len(rows) + 1),
            "Сделка": [f"Сделка {i}" for i in range(len(rows))],
            "Канал": [r[6] for r in rows],
            "Сумма": [r[7] for r in rows],
            "Создана": [day(r[0], 0) for r in rows],
            "A": [day(r[0], r[1]) for r in rows],
            "B": [day(r[0], r[2]) for r in rows],
            "C": [day(r[0], r[3]) for r in rows],
            "Статус": [r[4] for r in rows],
            "Закрыта": [day(r[0], None if r[4] == "В работе" else r[5]) for r in rows],
        }
    )


def _frames(draw_plain, draw_dated):
    if draw_dated is not None:
        return prepare(dated_frame(draw_dated), DATED_SPEC)
    return prepare(small_frame(random_rows(draw_plain)), SPEC)


frames = st.one_of(
    st.lists(row_strategy, min_size=1, max_size=40).map(lambda r: _frames(r, None)),
    st.lists(dated_row, min_size=1, max_size=40).map(lambda r: _frames(None, r)),
)


def _table(d) -> pd.DataFrame:
    """The deals as a plain frame: created, closed, A.. entry dates, furthest, outcome."""
    n = len(d)
    t = pd.DataFrame({"furthest": d.furthest.astype(int), "outcome": d.outcome.astype(int)})
    t["created"] = pd.Series(d.created) if d.created is not None else pd.NaT
    t["closed"] = pd.Series(d.closed) if d.closed is not None else pd.NaT
    entered = (
        pd.DataFrame(d.entered, columns=list(d.stages))
        if d.entered is not None
        else pd.DataFrame(pd.NaT, index=range(n), columns=list(d.stages))
    )
    return pd.concat([t, entered.astype("datetime64[ns]")], axis=1)


def _quantile(days: pd.Series) -> tuple[float | None, int]:
    days = days.dropna()
    days = days[days >= 0]
    return (float(days.quantile(HORIZON_QUANTILE)) if len(days) else None), len(days)


def _horizon(lost: pd.Series, passed: pd.Series, overall: float) -> tuple[float, tuple[int, int]]:
    found = [overall]
    for days in (lost, passed):
        q, n = _quantile(days)
        if n >= MIN_OUTCOME_N:
            found.append(q)
    return max(found), (_quantile(lost)[1], _quantile(passed)[1])


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier) / pd.Timedelta(days=1)


@settings(max_examples=60, deadline=None)
@given(frames, st.sampled_from(["created", "entered"]))
def test_step_horizons_follow_the_rule(d, anchor):
    t = _table(d)
    stages = list(d.stages)
    last_entry = t[stages].max(axis=1)
    end = (
        t["closed"].where(t["closed"].notna(), last_entry) if d.entered is not None else t["closed"]
    )
    end = end.where(t["outcome"] != OPEN)
    overall, closed_n = _quantile(_days(end, t["created"]))
    m = maturity(d, anchor=anchor)
    assert m.closed_n == closed_n
    if overall is None:
        assert m.horizon_days is None and m.step_days == ()
        return
    assert m.horizon_days == pytest.approx(overall)
    # A stage's date is its own entry, else that of the first later stage entered.
    first = t[stages].bfill(axis=1)
    lost = t["outcome"].isin([LOST, LOST_UNKNOWN])
    want_days, want_n = [], []
    for k, stage in enumerate(stages):
        start = t["created"]
        if anchor == "entered" and d.entered is not None:
            start = first[stage].where(first[stage].notna(), t["created"])
        passed_on = end
        if d.entered is not None and k + 1 < len(stages):
            nxt = first[stages[k + 1]]
            passed_on = nxt.where(nxt.notna(), end)
        at_k = lost & (t["furthest"] == k)
        went_on = (t["furthest"] > k) | (t["outcome"] == WON)
        h, n = _horizon(_days(end, start)[at_k], _days(passed_on, start)[went_on], overall)
        want_days.append(h)
        want_n.append(n)
    whole = _days(end, t["created"])
    h, n = _horizon(whole[lost], whole[t["outcome"] == WON], overall)
    want_days.append(h)
    want_n.append(n)
    assert m.step_days == pytest.approx(tuple(want_days))
    assert m.step_n == tuple(want_n)


@settings(max_examples=60, deadline=None)
@given(frames, st.sampled_from(["week", "month", "quarter"]), st.booleans())
def test_the_periods_offered_are_those_of_the_creation_dates(d, period, masked):
    mask = np.arange(len(d)) % 2 == 0 if masked else None
    created = pd.Series(d.created if mask is None else d.created[mask]).dropna()
    freq = {"week": "W-SUN", "month": "M", "quarter": "Q"}[period]
    want = sorted(created.dt.to_period(freq).astype(str).unique())
    assert periods(d, period, mask=mask) == want


@settings(max_examples=60, deadline=None)
@given(frames)
def test_the_windows_span_every_creation_and_stage_date(d):
    t = _table(d)
    every = pd.concat([t["created"], *(t[s] for s in d.stages)]).dropna()
    if every.empty:
        return
    before, after = change_windows(d, every.min().date())
    assert before.start == every.min().normalize()
    assert after.end == every.max().normalize() + pd.Timedelta(days=1)


@settings(max_examples=60, deadline=None)
@given(
    frames,
    st.sampled_from(["created", "entered"]),
    st.integers(0, 200),
    st.integers(1, 4),
    st.sampled_from([None, "channel"]),
)
def test_the_after_sides_attempts_and_the_day_the_nth_matures(d, anchor, start, nth, by):
    if by is not None and "channel" not in d.segments:
        by = None
    after = Window(DAY0 + pd.Timedelta(days=start), DAY0 + pd.Timedelta(days=start + 90))
    n_steps = len(d.stages) + 1
    horizons = [None, *(float(10 * k + 0.5) for k in range(1, n_steps))]
    group = d.encode(by).codes if by is not None else np.zeros(len(d), dtype=int)
    n_groups = len(d.encode(by).labels) if by is not None else 1
    got_from, got_reached = _judge_from(
        d, by, step_columns(d, anchor), after, horizons, None, nth, n_groups
    )
    t = _table(d)
    stages = list(d.stages)
    first = t[stages].bfill(axis=1)
    for k in range(n_steps):
        when = t["created"]
        if anchor == "entered" and d.entered is not None and k < len(stages):
            when = first[stages[k]].where(first[stages[k]].notna(), t["created"])
        inside = (when >= after.start) & (when < after.end)
        if k < len(stages):
            inside &= t["furthest"] >= k
        attempts = pd.DataFrame({"group": group, "when": when})[inside]
        reached = attempts.groupby("group")["when"].size().reindex(range(n_groups), fill_value=0)
        assert got_reached[:, k].tolist() == reached.tolist()
        nth_earliest = attempts.sort_values("when").groupby("group")["when"].nth(nth - 1)
        nth_by_group = dict(
            zip(attempts.loc[nth_earliest.index, "group"], nth_earliest, strict=True)
        )
        for g in range(n_groups):
            if horizons[k] is None or g not in nth_by_group:
                assert np.isnat(got_from[g, k])
            else:
                want = nth_by_group[g] + pd.Timedelta(days=horizons[k])
                assert pd.Timestamp(got_from[g, k]) == want


@settings(max_examples=80, deadline=None)
@given(st.lists(dated_row, min_size=1, max_size=40))
def test_stuck_deals_most_money_first_as_pandas_sorts_them(rows):
    stuck = stuck_deals(prepare(dated_frame(rows), DATED_SPEC), min_moved=1)
    if stuck is None:
        return
    for frame in (f for f in (stuck.deals, stuck.unjudged) if f is not None and len(f)):
        # Columns of the very types lists of their values give, as the page and export expect.
        rebuilt = pd.DataFrame({c: frame[c].tolist() for c in frame.columns}, columns=frame.columns)
        pd.testing.assert_frame_equal(frame, rebuilt)
    listed = stuck.deals
    # Ties keep the deals' order; the IDs count up in it.
    want = listed.sort_values(
        ["amount", "over_days", "deal"], ascending=[False, False, True], na_position="last"
    )
    pd.testing.assert_frame_equal(listed, want.reset_index(drop=True))
