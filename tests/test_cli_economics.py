"""`report --spend`: what each channel costs and returns, on the sample and on a hand-counted
example, in-process through ``funnel.cli.main``."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from funnel.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
EXPORT = SAMPLE / "amocrm_export.xlsx"
SPEND = SAMPLE / "spend.xlsx"
TRUTH = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))["economics"]


def report(tmp: Path, *args: str) -> dict[str, Any]:
    out = tmp / "report.json"
    assert main(["report", *args, "--format", "json", "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


# ---- the sample ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("doors")
    spec = str(SAMPLE / "amocrm_export.doors.spec.yaml")
    args = [str(EXPORT), "--spec", spec, "--spend", str(SPEND), "--spend-sheet", "Двери"]
    return report(tmp, *args, "--by", "channel", "--spend-period", "month")["economics"]


def test_sample_doors_channels_are_the_generators(doors: dict[str, Any]):
    truth = TRUTH["Двери"]
    segments = {s["segment"]: s for s in doors["segments"]}
    assert set(segments) == set(truth)
    for channel, expected in truth.items():
        got = segments[channel]
        assert got["spend"] == pytest.approx(expected["spend"]), channel
        assert got["leads"] == expected["leads"], channel
        assert got["won"] == expected["won"], channel
        assert got["won_amount"] == pytest.approx(expected["won_amount"]), channel


def test_sample_doors_total_and_definitions(doors: dict[str, Any]):
    segments = doors["segments"]
    assert doors["currency"] == "RUB"
    assert doors["total"]["spend"] == pytest.approx(sum(s["spend"] for s in segments))
    assert doors["total"]["spend"] == pytest.approx(2_839_490)
    assert doors["total"]["leads"] == sum(s["leads"] for s in segments) == 900
    assert doors["channels_without_spend"] == ["Рекомендации"]
    assert doors["unmatched_spend"] == []
    # Spend written in another case is still the deals' channel, and said how it was written.
    calls = next(s for s in segments if s["segment"] == "Холодные звонки")
    assert calls["spend_names"] == ["холодные звонки"]
    for s in segments:
        if s["cost_per_won"] is not None:
            assert s["cost_per_won"] >= s["cost_per_lead"], s["segment"]
            low, high = s["cost_per_won_range"]
            assert low <= s["cost_per_won"] <= high, s["segment"]
    free = next(s for s in segments if s["segment"] == "Рекомендации")
    assert free["cost_per_lead"] is None and free["romi"] is None


def test_sample_doors_months_sum_to_the_total(doors: dict[str, Any]):
    months = doors["months"]
    whole = [m for m in months if m["segment"] is None]
    assert sum(m["spend"] for m in whole) == pytest.approx(doors["total"]["spend"])
    assert sum(m["leads"] for m in whole) == doors["total"]["leads"]
    for channel, expected in TRUTH["Двери"].items():
        mine = {m["month"]: m["spend"] for m in months if m["segment"] == channel}
        for month, amount in expected["spend_by_month"].items():
            assert mine[month] == pytest.approx(amount), (channel, month)


def test_sample_media_spend_on_no_deal_is_listed(tmp_path: Path):
    spec = str(SAMPLE / "amocrm_export.media.spec.yaml")
    econ = report(tmp_path, str(EXPORT), "--spec", spec, "--spend", str(SPEND))["economics"]
    # The spec names the sheet of spend.xlsx («Носители информации»): --spend-sheet not needed.
    assert econ["unmatched_spend"] == [
        {"channel": "Таргет ВКонтакте", "spend": 35000.0, "suggestion": None}
    ]
    target = next(s for s in econ["segments"] if s["segment"] == "Таргет ВКонтакте")
    assert target["leads"] == 0 and target["cost_per_lead"] is None
    assert econ["total"]["spend"] == pytest.approx(sum(s["spend"] for s in econ["segments"]))


# ---- a hand-counted example ------------------------------------------------------------------

# Three stages (Lead, Meeting, Proposal); a lost deal says where it was lost.
DEALS = """ID,Source,Stage,Lost at,Created,Closed,Amount
1,Google Ads,Won,,2026-01-05,2026-01-20,2000
2,Google Ads,Lost,Lead,2026-01-10,2026-01-12,
3,Google Ads,Proposal,,2026-01-15,,
4,Google Ads,Won,,2026-02-03,2026-02-20,1000
5,Google Ads,Meeting,,2026-02-10,,
6,Expo,Won,,2026-01-12,2026-02-10,3000
7,Expo,Lost,Meeting,2026-01-20,2026-01-30,
8,Referral,Won,,2026-02-01,2026-02-15,500
9,Referral,Lead,,2026-02-05,,
10,Referral,Lost,Lead,2026-02-25,2026-02-26,
"""
# «google ads» in another case; Radio has no deal; Referral has deals and no spend; the row
# of totals is left out (and said so).
SPEND_CSV = """Source,Month,Cost
google ads,Jan 2026,1000
Google Ads,Feb 2026,500
Expo,Jan 2026,600
Radio,Feb 2026,300
Total,,2400
"""
SPEC = """columns:
  deal: ID
  channel: Source
  stage: Stage
  lost_stage: Lost at
  created: Created
  closed: Closed
  amount: Amount
stages:
- name: Lead
- name: Meeting
- name: Proposal
won: [Won]
lost: [Lost]
"""
# The same spend kept in the spec, as the app keeps it.
SPEND_ROWS = """spend:
  by: channel
  margin: 0.5
  rows:
  - {channel: google ads, start: '2026-01-01', end: '2026-02-01', amount: 1000}
  - {channel: Google Ads, start: '2026-02-01', end: '2026-03-01', amount: 500}
  - {channel: Expo, start: '2026-01-01', end: '2026-02-01', amount: 600}
  - {channel: Radio, start: '2026-02-01', end: '2026-03-01', amount: 300}
"""


@pytest.fixture
def small(tmp_path: Path) -> dict[str, Path]:
    files = {"deals": DEALS, "spend": SPEND_CSV, "spec": SPEC, "kept": SPEC + SPEND_ROWS}
    names = {"deals": "deals.csv", "spend": "spend.csv", "spec": "deals.spec.yaml",
             "kept": "kept.spec.yaml"}  # fmt: skip
    out = {}
    for key, text in files.items():
        out[key] = tmp_path / names[key]
        out[key].write_text(text, encoding="utf-8")
    return out


def check_by_hand(econ: dict[str, Any], *, margin: float | None) -> None:
    """Every figure of the small example, counted by hand."""
    seg = {s["segment"]: s for s in econ["segments"]}
    assert set(seg) == {"Google Ads", "Expo", "Referral", "Radio"}
    # The spend's months (Jan, Feb 2026) overlap the deals' dates (2026-01-05 .. 2026-02-26):
    # the window is both months whole, and every deal was created in it.
    assert econ["window"] == {"from": "2026-01-01", "to": "2026-02-28"}
    assert econ["deals_outside_window"] == 0 and econ["spend_outside_window"] == 0
    assert econ["currency"] is None  # neither the deals nor the spend name one

    ads = seg["Google Ads"]
    # Spend 1000 (Jan, written «google ads») + 500 (Feb) = 1500; leads: deals 1-5 = 5;
    # reached Meeting: 1, 3, 4 (won or further) and 5 = 4; Proposal: 1, 3, 4 = 3;
    # won: 1 and 4 = 2, 2000 + 1000 = 3000.
    assert ads["spend"] == 1500 and ads["leads"] == 5 and ads["won"] == 2
    assert ads["won_amount"] == 3000
    assert ads["spend_names"] == ["google ads", "Google Ads"]
    assert ads["cost_per_lead"] == 300  # 1500 / 5
    assert ads["cost_per_won"] == 750  # 1500 / 2
    assert ads["romi"] == 1.0  # (3000 - 1500) / 1500
    assert ads["stage_cost"] == {"Lead": 300, "Meeting": 375, "Proposal": 500}  # 1500 / 5, 4, 3
    # Deal 2 was lost at Lead: one lead of five, a fifth of the spend.
    assert ads["lost_spend"] == {"Lead": 300, "Meeting": 0, "Proposal": 0}
    # 5 leads < 30: too few to judge.
    assert ads["too_small"] is True and ads["verdict"] == "too_small"
    low, high = ads["cost_per_won_range"]
    assert low < 750 < high

    expo = seg["Expo"]
    # 600 spent; leads 6 and 7; both reached Meeting (7 lost there), 6 went on and was won: 3000.
    assert (expo["spend"], expo["leads"], expo["won"], expo["won_amount"]) == (600, 2, 1, 3000)
    assert expo["cost_per_lead"] == 300 and expo["cost_per_won"] == 600
    assert expo["romi"] == 4.0  # (3000 - 600) / 600
    assert expo["stage_cost"] == {"Lead": 300, "Meeting": 300, "Proposal": 600}
    assert expo["lost_spend"] == {"Lead": 0, "Meeting": 300, "Proposal": 0}  # 600 * 1 / 2

    referral = seg["Referral"]
    # Deals 8, 9, 10; 8 won 500; nothing spent: every cost is not defined.
    assert (referral["spend"], referral["leads"], referral["won"]) == (0, 3, 1)
    assert referral["cost_per_lead"] is None and referral["cost_per_won"] is None
    assert referral["romi"] is None and referral["cost_per_won_range"] == [None, None]

    radio = seg["Radio"]
    # 300 on a name no deal carries: a segment with no leads, and listed as unmatched.
    assert (radio["spend"], radio["leads"], radio["won"]) == (300, 0, 0)
    assert radio["cost_per_lead"] is None and radio["verdict"] == "no_leads"
    assert econ["unmatched_spend"] == [{"channel": "Radio", "spend": 300.0, "suggestion": None}]
    assert econ["channels_without_spend"] == ["Referral"]

    total = econ["total"]
    # 1500 + 600 + 300 = 2400 against all 10 leads, 4 won deals worth 2000+1000+3000+500 = 6500.
    assert (total["spend"], total["leads"], total["won"]) == (2400, 10, 4)
    assert total["won_amount"] == 6500
    assert total["cost_per_lead"] == 240  # 2400 / 10
    assert total["cost_per_won"] == 600  # 2400 / 4
    assert total["romi"] == pytest.approx(4100 / 2400)  # (6500 - 2400) / 2400
    if margin is None:
        assert "profit" not in total and "profit" not in ads
    else:
        # profit = won revenue * 0.5 - spend
        assert ads["profit"] == 0 and ads["romi_profit"] == 0  # 3000 * .5 - 1500
        assert expo["profit"] == 900 and expo["romi_profit"] == 1.5  # 1500 - 600
        assert total["profit"] == 850  # 3250 - 2400
        assert total["romi_profit"] == pytest.approx(850 / 2400)


def test_small_example_by_hand(small: dict[str, Path], tmp_path: Path):
    args = [str(small["deals"]), "--spec", str(small["spec"]), "--spend", str(small["spend"])]
    econ = report(tmp_path, *args, "--by", "channel")["economics"]
    check_by_hand(econ, margin=None)
    assert "months" not in econ
    # The reader drops the row of totals before the spend is read; the block says so.
    [total_row] = econ["notices"]
    assert total_row["code"] == "junk_rows_dropped" and total_row["params"] == {"count": 1}
    assert total_row["message"] == "1 blank, separator or totals row dropped"
    econ = report(tmp_path, *args, "--margin", "0.5")["economics"]
    check_by_hand(econ, margin=0.5)
    assert econ["margin"] == 0.5


def test_small_example_per_month(small: dict[str, Path], tmp_path: Path):
    args = [str(small["deals"]), "--spec", str(small["spec"]), "--spend", str(small["spend"])]
    econ = report(tmp_path, *args, "--spend-period", "month")["economics"]
    months = {(m["segment"], m["month"]): m for m in econ["months"]}
    whole = [m for m in econ["months"] if m["segment"] is None]
    assert [m["month"] for m in whole] == ["2026-01", "2026-02"]
    assert sum(m["spend"] for m in whole) == econ["total"]["spend"] == 2400
    jan, feb = months[(None, "2026-01")], months[(None, "2026-02")]
    # January: 1000 + 600 spent; leads 1, 2, 3, 6, 7; of them 1 (2000) and 6 (3000) were won.
    assert (jan["spend"], jan["leads"], jan["won"], jan["won_amount"]) == (1600, 5, 2, 5000)
    # ...but only deal 1 closed in January (deal 6 closed in February).
    assert (jan["won_closed"], jan["won_closed_amount"]) == (1, 2000)
    assert jan["romi_calendar"] == pytest.approx((2000 - 1600) / 1600)
    # February: 500 + 300 spent; leads 4, 5, 8, 9, 10; won 4 (1000) and 8 (500); closed in
    # February: 4, 6 and 8 (4500).
    assert (feb["spend"], feb["leads"], feb["won"], feb["won_amount"]) == (800, 5, 2, 1500)
    assert (feb["won_closed"], feb["won_closed_amount"]) == (3, 4500)
    ads_jan = months[("Google Ads", "2026-01")]
    assert (ads_jan["spend"], ads_jan["leads"], ads_jan["won"]) == (1000, 3, 1)
    assert ads_jan["cost_per_lead"] == pytest.approx(1000 / 3)
    radio_feb = months[("Radio", "2026-02")]
    assert radio_feb["spend"] == 300 and radio_feb["leads"] == 0
    assert radio_feb["cost_per_lead"] is None


def test_spend_the_spec_keeps_is_used_without_the_option(small: dict[str, Path], tmp_path: Path):
    econ = report(tmp_path, str(small["deals"]), "--spec", str(small["kept"]))["economics"]
    check_by_hand(econ, margin=0.5)


def test_spend_file_the_spec_names_is_read_beside_it(small: dict[str, Path], tmp_path: Path):
    spec = tmp_path / "named.spec.yaml"
    spec.write_text(SPEC + "spend:\n  file: spend.csv\n", encoding="utf-8")
    elsewhere = tmp_path / "out"
    elsewhere.mkdir()
    econ = report(elsewhere, str(small["deals"]), "--spec", str(spec))["economics"]
    check_by_hand(econ, margin=None)


def test_no_spend_no_economics(small: dict[str, Path], tmp_path: Path):
    assert "economics" not in report(tmp_path, str(small["deals"]), "--spec", str(small["spec"]))


def test_csv_and_xlsx_carry_the_economics(small: dict[str, Path], tmp_path: Path):
    args = ["report", str(small["deals"]), "--spec", str(small["spec"])]
    args += ["--spend", str(small["spend"])]
    csv = tmp_path / "econ.csv"
    assert main([*args, "--format", "csv", "-o", str(csv)]) == 0
    table = pd.read_csv(csv, encoding="utf-8-sig").set_index("segment")
    assert table.loc["Google Ads", "cost_per_won"] == 750
    assert math.isnan(table.loc["Referral", "cost_per_lead"])
    xlsx = tmp_path / "econ.xlsx"
    assert main([*args, "--spend-period", "month", "--format", "xlsx", "-o", str(xlsx)]) == 0
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert {"Funnel", "Economics", "Economics by month"} <= set(sheets)
    by_month = sheets["Economics by month"]
    assert by_month.loc[by_month["segment"] == "all", "spend"].sum() == 2400


def test_client_report_runs_with_spend(small: dict[str, Path], tmp_path: Path):
    html = tmp_path / "report.html"
    args = ["report", str(small["deals"]), "--spec", str(small["kept"]), "--format", "html"]
    assert main([*args, "--lang", "en", "-o", str(html)]) == 0
    assert html.stat().st_size > 0


# ---- bad input -------------------------------------------------------------------------------


def one_line_error(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("voronka: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_spend_with_no_numbers(small: dict[str, Path], tmp_path: Path, capsys):
    words = tmp_path / "words.csv"
    words.write_text("Source,Month,Note\nGoogle Ads,Jan 2026,fine\nExpo,Jan 2026,ok\n")
    args = ["report", str(small["deals"]), "--spec", str(small["spec"]), "--spend", str(words)]
    err = one_line_error(capsys, args)
    assert "words.csv" in err and "amount" in err


@pytest.mark.parametrize("margin", ["2", "0", "-0.1", "nan"])
def test_margin_outside_a_share(small: dict[str, Path], capsys, margin: str):
    args = ["report", str(small["deals"]), "--spec", str(small["spec"])]
    err = one_line_error(capsys, [*args, "--spend", str(small["spend"]), "--margin", margin])
    assert "--margin" in err


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--spend", "missing.xlsx"], "missing.xlsx"),
        (["--margin", "0.3"], "spend"),
        (["--spend-period", "month"], "spend"),
    ],
)
def test_other_spend_errors(small: dict[str, Path], capsys, extra: list[str], said: str):
    args = ["report", str(small["deals"]), "--spec", str(small["spec"]), *extra]
    assert said in one_line_error(capsys, args)


def test_spend_that_is_not_a_table(small: dict[str, Path], tmp_path: Path, capsys):
    junk = tmp_path / "spend.xlsx"
    junk.write_bytes(b"this is not a workbook")
    args = ["report", str(small["deals"]), "--spec", str(small["spec"]), "--spend", str(junk)]
    assert "spend.xlsx" in one_line_error(capsys, args)


def test_spec_whose_spend_file_is_gone_still_reports(
    small: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    spec = tmp_path / "moved.spec.yaml"
    spec.write_text(SPEC + "spend:\n  file: gone.xlsx\n", encoding="utf-8")
    assert "economics" not in report(tmp_path, str(small["deals"]), "--spec", str(spec))
    assert "gone.xlsx" in capsys.readouterr().err
