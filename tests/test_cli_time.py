"""`report --by month` and `report --compare-before DATE`: hand-checked numbers, and the same
numbers as the Trends and Before/after pages' engine calls on the sample."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from funnel.cli import main
from funnel.overtime.changes import around_change
from funnel.overtime.cohorts import cohort_trends
from funnel.report.overtime import records

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "amocrm_export.xlsx"
DOORS_SPEC = ROOT / "sample_data" / "amocrm_export.doors.spec.yaml"

SPEC = """\
columns: {deal: ID, stage: Stage, status: Status, created: Created, closed: Closed}
stages: [Lead, Proposal, Invoice]
won: [Won]
lost: [Lost]
"""


def _deals(start: date, n_lost: int, n_won: int, first_id: int) -> list[dict]:
    rows = []
    for i in range(n_lost + n_won):
        created = start + timedelta(days=i % 20)
        won = i >= n_lost
        rows.append(
            {
                "ID": first_id + i,
                "Stage": "Invoice" if won else "Lead",
                "Status": "Won" if won else "Lost",
                "Created": created.isoformat(),
                "Closed": (created + timedelta(days=20 if won else 5)).isoformat(),
            }
        )
    return rows


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    """40 deals in January (20 lost at Lead, 20 won), 40 in March (8 lost, 32 won), one open
    deal on 31 December that makes the data end there (so January and March are mature)."""
    rows = _deals(date(2025, 1, 1), 20, 20, 1) + _deals(date(2025, 3, 1), 8, 32, 100)
    rows.append(
        {"ID": 999, "Stage": "Lead", "Status": "Open", "Created": "2025-12-31", "Closed": ""}
    )
    data = tmp_path / "deals.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    return data, spec


def report(capsys, *args: str) -> dict:
    assert main(["report", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_compare_before_hand_checked(small, capsys):
    data, spec = small
    out = report(capsys, str(data), "--spec", str(spec), "--compare-before", "15.02.2025")
    ba = out["before_after"]
    assert (ba["date"], ba["label"], ba["before"]["end"], ba["after"]["start"]) == (
        "2025-02-15",
        None,
        "2025-02-15",
        "2025-02-15",
    )
    steps = {s["step"]: s for s in ba["steps"]}
    lead = steps[0]
    assert (lead["before_passed"], lead["before_trials"]) == (20, 40)
    assert (lead["after_passed"], lead["after_trials"]) == (32, 40)
    # Two-proportion z-test by hand: pooled 52/80 = 0.65, se = sqrt(0.65 * 0.35 * 2/40)
    # = 0.10665, z = 0.30 / 0.10665 = 2.813, two-sided p = 0.0049.
    assert lead["p_value"] == pytest.approx(0.0049, abs=2e-4)
    assert lead["change"] == pytest.approx(0.30)
    assert (steps[1]["before_rate"], steps[1]["after_rate"]) == (1.0, 1.0)
    assert not steps[1]["significant"]
    won = steps[3]  # created -> won
    assert (won["before_passed"], won["before_trials"], won["after_passed"]) == (20, 40, 32)


def test_by_month_hand_checked(small, capsys):
    data, spec = small
    out = report(capsys, str(data), "--spec", str(spec), "--by", "month")
    cohorts = {c["cohort"]: c for c in out["cohorts"]["cohorts"]}
    assert (cohorts["2025-01"]["deals"], cohorts["2025-01"]["won"]) == (40, 20)
    assert (cohorts["2025-03"]["deals"], cohorts["2025-03"]["won"]) == (40, 32)
    assert not cohorts["2025-01"]["immature"] and not cohorts["2025-03"]["immature"]
    assert cohorts["2025-12"]["immature"] and cohorts["2025-12"]["open"] == 1
    assert sum(c["deals"] for c in cohorts.values()) == out["total"]["deals"] == 81
    lead = {s["cohort"]: s for s in out["cohorts"]["steps"] if s["step"] == 0}
    assert (lead["2025-01"]["passed"], lead["2025-01"]["trials"]) == (20, 40)
    assert lead["2025-03"]["rate_decided"] == pytest.approx(0.8)
    # The plain funnel by month is still there, as before.
    assert {s["segment"]: s["deals"] for s in out["segments"]}["2025-03"] == 40


def test_compare_before_csv_names_the_won_step(small, capsys):
    data, spec = small
    assert main(["report", str(data), "--spec", str(spec), "--compare-before", "2025-02-15",
                 "--format", "csv"]) == 0  # fmt: skip
    text = capsys.readouterr().out.lstrip("\ufeff")
    frame = pd.read_csv(io.StringIO(text))
    assert {"before_rate", "after_rate", "p_adjusted", "significant"} <= set(frame.columns)
    assert frame["to_stage"].iloc[-1] == "(won)"


def test_xlsx_gets_cohort_and_before_after_sheets(small, tmp_path):
    data, spec = small
    out = tmp_path / "r.xlsx"
    args = ["report", str(data), "--spec", str(spec), "--by", "month"]
    assert main([*args, "--compare-before", "2025-02-15", "--format", "xlsx", "-o", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    assert {"Cohorts", "Before after"} <= set(sheets)
    assert sheets["Before after"].loc[0, "before_trials"] == 40


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "1.3"])
def test_a_bad_date_is_one_line_and_exit_2(small, capsys, bad):
    data, spec = small
    assert main(["report", str(data), "--spec", str(spec), "--compare-before", bad]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a date" in err[0] and "2026-03-01" in err[0]


def test_two_periods_are_refused(small, capsys):
    data, spec = small
    assert main(["report", str(data), "--spec", str(spec), "--by", "month,quarter"]) == 2
    assert "one period" in capsys.readouterr().err


def test_sample_compare_before_is_the_pages_numbers(sample_doors, capsys):
    doors = sample_doors
    out = report(capsys, str(SAMPLE), "--spec", str(DOORS_SPEC), "--compare-before", "2026-03-01")
    page = around_change(doors, date(2026, 3, 1))  # the doors spec has no other change
    assert out["before_after"]["steps"] == records(page.table)
    assert out["before_after"]["label"] == "Новый скрипт закрытия"
    # The planted script lifts "obstacles removed -> payment received" and nothing else.
    significant = [(s["from_stage"], s["to_stage"]) for s in out["before_after"]["steps"]
                   if s["significant"]]  # fmt: skip
    assert significant == [("Препятствия устранены", "Оплата получена")]


def test_sample_by_channel_and_month_is_the_pages_numbers(sample_doors, capsys):
    doors = sample_doors
    out = report(capsys, str(SAMPLE), "--spec", str(DOORS_SPEC), "--by", "channel,month")
    page = cohort_trends(doors, "month", "channel")
    assert out["cohorts"]["by"] == "channel"
    assert out["cohorts"]["steps"] == records(page.table)
    assert out["cohorts"]["cohorts"] == records(page.cohorts)


PLAN_SPEC = """\
columns: {deal: ID, stage: Stage, status: Status, created: Created, closed: Closed,
          channel: Channel, amount: Amount}
stages: [Lead, Proposal]
won: [Won]
lost: [Lost]
"""


@pytest.fixture
def plannable(tmp_path: Path) -> tuple[Path, Path]:
    """Channel A: 40 deals, 10 won at 100 (a lead is worth 0.25 x 100 = 25); channel B: 40
    deals, 20 won at 50 (worth 0.5 x 50 = 25). All decided by March; an open deal with no
    channel on 31 December ends the data, so every January-February deal is mature."""
    rows = []
    for channel, n_won, amount in (("A", 10, 100), ("B", 20, 50)):
        for i in range(40):
            created = date(2025, 1, 1) + timedelta(days=i)
            won = i < n_won
            rows.append(
                {
                    "ID": f"{channel}{i}",
                    "Stage": "Proposal" if won else "Lead",
                    "Status": "Won" if won else "Lost",
                    "Created": created.isoformat(),
                    "Closed": (created + timedelta(days=30 if won else 5)).isoformat(),
                    "Channel": channel,
                    "Amount": amount if won else "",
                }
            )
    rows.append({"ID": "X", "Stage": "Lead", "Status": "Open", "Created": "2025-12-31",
                 "Closed": "", "Channel": "", "Amount": ""})  # fmt: skip
    data = tmp_path / "deals.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    spec = tmp_path / "spec.yaml"
    spec.write_text(PLAN_SPEC, encoding="utf-8")
    return data, spec


def plan_json(capsys, *args: str) -> dict:
    assert main(["plan", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_plan_revenue_hand_checked(plannable, capsys):
    data, spec = plannable
    out = plan_json(capsys, str(data), "--spec", str(spec), "--target", "1000")
    assert (out["start"], out["end"], out["rate_basis"]) == ("2026-01-01", "2026-03-31", "mature")
    seg = {s["segment"]: s for s in out["segments"]}
    rates = (seg["A"]["win_rate"], seg["B"]["win_rate"])
    assert rates == pytest.approx((0.25, 0.5))
    assert (seg["A"]["avg_won"], seg["B"]["avg_won"]) == (100, 50)
    # Equal lead shares and equal worth per lead: 1000 / 25 = 40 leads, 20 each.
    assert (seg["A"]["leads"], seg["B"]["leads"]) == (20, 20) and out["leads"] == 40
    assert out["forecast"] == pytest.approx(1000)
    # Wins take 30 days: leads for January-March wins come in December-February.
    assert (seg["A"]["lead_from"], seg["A"]["lead_to"]) == ("2025-12-02", "2026-03-01")


def test_plan_won_deals_reaches_the_target_after_rounding_up(plannable, capsys):
    data, spec = plannable
    args = [str(data), "--spec", str(spec), "--kind", "won", "--target", "10"]
    out = plan_json(capsys, *args, "--from", "01.04.2026", "--to", "30.06.2026")
    seg = {s["segment"]: s for s in out["segments"]}
    # Parts 10 x (0.25 / 0.75) = 3.33 and 6.67 won deals: 13.3 leads each, rounded up to 14.
    assert (seg["A"]["leads"], seg["B"]["leads"]) == (14, 14)
    assert out["forecast"] == pytest.approx(14 * 0.25 + 14 * 0.5) and out["forecast"] >= 10
    assert out["start"] == "2026-04-01"


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--from", "2026-04-01"], "go together"),
        (["--from", "2026-04-01", "--to", "2026-01-01"], "before --from"),
        (["--from", "April", "--to", "2026-06-30"], "--from: 'April' is not a date"),
    ],
)
def test_plan_bad_period_is_one_line(plannable, capsys, extra, words):
    data, spec = plannable
    assert main(["plan", str(data), "--spec", str(spec), *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0], err


def test_plan_on_the_sample_is_the_planner_pages_numbers(sample_security, capsys):
    from funnel.overtime.planner import history, plan

    spec_path = ROOT / "sample_data" / "amocrm_export.security.spec.yaml"
    deals = sample_security
    out = plan_json(capsys, str(SAMPLE), "--spec", str(spec_path), "--target", "9100000")
    page = plan(deals, history(deals), 9_100_000)
    assert out["segments"] == records(page.table())
    assert out["forecast"] >= 9_100_000
