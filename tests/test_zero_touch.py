"""Zero-touch: files nobody on the team made must give the right funnel with no edit.

Each case of ``tests/zero_touch/corpus.py`` is read, inferred, prepared and counted by the engine
with no hand-made spec; the expected numbers come from the case's simulated ground truth with
plain pandas (never from the engine). Every mismatch of a case is listed in one failure.
"""

from __future__ import annotations

import io
import re
from functools import cache

import pandas as pd
import pytest

from funnel.detect.infer import infer_spec
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.prepare import prepare
from funnel.report.words import notice_text
from tests.zero_touch.corpus import (
    NONE,
    TINY_BY_HAND,
    Case,
    cases,
    expected_from,
    norm,
    tiny,
)


@cache
def _cases() -> tuple[Case, ...]:
    return tuple(cases())


CASES = _cases()


def _spec_summary(inference) -> str:
    spec = inference.spec
    return (
        f"layout={spec.layout} stages={list(spec.stage_names)} won={list(spec.won)} "
        f"lost={list(spec.lost)} columns={dict(spec.columns)} "
        f"warnings={[w.code for w in inference.warnings]}"
    )


def _mentions(notices, number: int) -> bool:
    for notice in notices:
        if number in [v for v in notice.params.values() if isinstance(v, int)]:
            return True
        if re.search(rf"(?<![\d.,]){number}(?![\d.,])", notice_text(notice)):
            return True
    return False


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_zero_touch_funnel(case: Case, tmp_path):
    for name, data in case.files.items():
        (tmp_path / name).write_bytes(data)
    table = read_table(tmp_path / case.main)
    events = read_table(tmp_path / case.events).frame if case.events else None
    inference = infer_spec(table.frame, events=events)
    spec = inference.spec
    exp = case.expected
    errors: list[str] = []

    for role, header in exp.columns.items():
        if spec.columns.get(role) != header:
            errors.append(f"columns[{role!r}]: {spec.columns.get(role)!r}, expected {header!r}")
    for role, header in exp.not_columns.items():
        if spec.columns.get(role) == header:
            errors.append(f"columns[{role!r}] is {header!r}, which it must not be")

    try:
        deals = prepare(table.frame, spec, events=events)
    except Exception as exc:  # the failure names what the engine inferred
        pytest.fail(f"prepare raised {exc!r}\n{_spec_summary(inference)}")
    total = funnel(deals)
    got_stages = [norm(s) for s in total.stages]

    if exp.stages is not None:
        want = [norm(alias[0]) for alias in exp.stages]
        accepted = [{norm(a) for a in alias} for alias in exp.stages]
        ok = len(got_stages) == len(accepted) and all(
            g in a for g, a in zip(got_stages, accepted, strict=False)
        )
        if not ok:
            errors.append(f"stages: {list(total.stages)}, expected {want}")
        # reached per stage: by name, or by position when only the names differ, so a wrong
        # name or order still shows whose counts are off
        assert exp.reached is not None
        got_reached = dict(zip(got_stages, total.reached[0].tolist(), strict=True))
        by_position = len(got_stages) == len(exp.stages)
        for k, (alias, n) in enumerate(zip(exp.stages, exp.reached, strict=True)):
            name = next((norm(a) for a in alias if norm(a) in got_reached), None)
            if name is not None:
                got, where = got_reached[name], ""
            elif by_position:
                got, where = int(total.reached[0][k]), f" (stage {k + 1}, {total.stages[k]!r})"
            else:
                errors.append(f"reached[{alias[0]}]: stage missing, expected {n}")
                continue
            if got != n:
                errors.append(f"reached[{alias[0]}]{where}: {got}, expected {n}")

    for figure in ("won", "lost", "open", "deals"):
        got = int(getattr(total, figure)[0])
        if got != getattr(exp, figure):
            errors.append(f"{figure}: {got}, expected {getattr(exp, figure)}")

    if exp.lost_unknown is not None and int(total.lost_stage_unknown[0]) != exp.lost_unknown:
        errors.append(
            f"lost_stage_unknown: {int(total.lost_stage_unknown[0])}, expected {exp.lost_unknown}"
        )

    if exp.by_channel is not None:
        try:
            per = funnel(deals, by="channel")
        except Exception as exc:
            errors.append(f"by channel: {exc!r}")
        else:
            got_ch: dict[str, tuple[tuple[int, ...], int, int]] = {}
            for g, labels in enumerate(per.labels):
                label = NONE if labels[0] == NONE else norm(labels[0])
                got_ch[label] = (
                    tuple(int(x) for x in per.reached[g]),
                    int(per.won[g]),
                    int(per.deals[g]),
                )
            if set(got_ch) != set(exp.by_channel):
                errors.append(f"channels: {sorted(got_ch)}, expected {sorted(exp.by_channel)}")
            for label, (reached, won) in exp.by_channel.items():
                if label not in got_ch:
                    continue
                g_reached, g_won, g_deals = got_ch[label]
                if reached and exp.stages is not None and g_reached != reached:
                    errors.append(f"reached[{label}]: {list(g_reached)}, expected {list(reached)}")
                if g_won != won:
                    errors.append(f"won[{label}]: {g_won}, expected {won}")
                if exp.deals_by_channel is not None and g_deals != exp.deals_by_channel[label]:
                    errors.append(
                        f"deals[{label}]: {g_deals}, expected {exp.deals_by_channel[label]}"
                    )

    if exp.notice_number is not None and not _mentions(
        (*inference.warnings, *deals.notices), exp.notice_number
    ):
        errors.append(
            f"no notice mentions {exp.notice_number} (unmatched rows); notices: "
            f"{[n.code for n in (*inference.warnings, *deals.notices)]}"
        )

    assert not errors, "\n".join([*errors, _spec_summary(inference)])


# ---- the judge's own checks (no engine) --------------------------------------------------------


def test_tiny_expected_is_the_hand_count():
    exp = tiny().expected
    assert exp.reached == TINY_BY_HAND["reached"]
    assert (exp.won, exp.lost, exp.open, exp.deals) == (
        TINY_BY_HAND["won"],
        TINY_BY_HAND["lost"],
        TINY_BY_HAND["open"],
        8,
    )
    assert exp.by_channel == TINY_BY_HAND["by_channel"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ground_truth_is_consistent(case: Case):
    truth = case.truth
    stage_cols = [c for c in truth.columns if re.fullmatch(r"e\d+", c)]
    n_stages = len(stage_cols)
    assert 150 <= len(truth) <= 600 or case.name.startswith("tiny")
    won = truth["outcome"] == "won"
    assert (truth.loc[won, "furthest"] == n_stages - 1).all()
    dates = truth[stage_cols]
    for k, col in enumerate(stage_cols):
        assert (dates[col].notna() == (truth["furthest"] >= k)).all()
        if k:
            both = dates[col].notna()
            assert (dates.loc[both, col] > dates.loc[both, stage_cols[k - 1]]).all()
    closed = truth["outcome"] != "open"
    assert (truth["closed"].notna() == closed).all()
    if case.expected.reached is not None:
        assert case.expected.reached[0] == len(truth)
        assert list(case.expected.reached) == sorted(case.expected.reached, reverse=True)
        assert case.expected.reached[-1] >= case.expected.won


@pytest.mark.parametrize("case", [c for c in CASES if c.expected.sitting], ids=lambda c: c.name)
def test_deal_counts_would_give_the_wrong_order(case: Case):
    """Ordering the stage values by how many deals carry them must not give the true order."""
    sitting = case.expected.sitting
    by_count = sorted(range(len(sitting)), key=lambda k: -sitting[k])
    assert by_count != list(range(len(sitting)))
    assert sitting[-1] > sitting[0]


def test_lost_hidden_counts_lost_deals_at_the_first_stage_only():
    truth = tiny().truth
    exp = expected_from(truth, ["a", "b", "c", "d"], lost_hidden=True)
    # lost deals 3, 4, 8 move to the first stage: reached = 8, 5 (1,2,5,6,7), 4 (1,2,6,7), 2
    assert exp.reached == (8, 5, 4, 2)


def test_files_differ_from_truth_only_by_rendering():
    """Sanity of the renderer on the tiny case: one row per deal, dates where stages reached."""
    case = tiny()
    frame = pd.read_csv(io.BytesIO(case.files[case.main]))
    assert len(frame) == 8
    filled = frame[["Date entered Discovery", "Demo date", "proposal_date"]].notna().sum()
    assert filled.tolist() == [8, 7, 5]
    assert frame["Contract signed (date)"].notna().sum() == 2
