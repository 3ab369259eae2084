"""Spend tables typed every way people type them (tests/spend_gen.py) read back exactly: the
amount per channel per period, through the real file reader and ``read_spend``. The expected
rows are the generator's truth, folded and summed with plain pandas."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnel.economics.table import Spend, monthly, read_spend
from funnel.io.readers import read_table
from funnel.spec_spend import SpendSpec
from tests import spend_gen
from tests.spend_gen import Made, Variant

VARIANTS = spend_gen.variants()


def _key(channel: object) -> str:
    return (
        re.sub(r"\s+", " ", str(channel).replace("\u00a0", " ")).strip().lower().replace("ё", "е")
    )


def read(made: Made) -> Spend:
    frame = made.data
    if isinstance(frame, bytes):
        table = read_table(frame, name=made.name)
        if made.variant.fmt == "csv_cp1251" and not frame.isascii():
            assert table.encoding == "cp1251", table.encoding  # ASCII alone reads as UTF-8
        # the header as written: one row, or two with the periods' year above
        assert table.header_row == made.header_row, (table.header_row, made.header_row)
        if made.variant.periods != "year_above":
            assert "two_row_header" not in [n.code for n in table.notes]
        # a month's heading on a row of its own («Январь 2026») is the rows' period
        frame = table.with_headings().frame
    return read_spend(frame, channels=made.channels, within=made.within)


def by_period(rows: pd.DataFrame, periods: pd.DataFrame) -> pd.Series:
    """Amount per (channel, period); a row read finer than the truth (a day of a month) is put
    under the truth's period that holds it, a row that fits none stays as read."""
    rows = rows.assign(channel=rows["channel"].map(_key))
    start, end = rows["start"].copy(), rows["end"].copy()
    for s, e in periods.drop_duplicates().itertuples(index=False):
        inside = (rows["start"] >= s) & (rows["end"] <= e)
        start[inside], end[inside] = s, e
    rows = rows.assign(start=start, end=end)
    return rows.groupby(["channel", "start", "end"])["amount"].sum().round(2)


def assert_reads_as_truth(made: Made) -> Spend:
    spend = read(made)
    expected = made.expected
    want = by_period(expected, expected[["start", "end"]])
    got = by_period(spend.rows, expected[["start", "end"]])
    diff = pd.concat({"want": want, "got": got}, axis=1)
    wrong = diff[~((diff["want"] - diff["got"]).abs() < 0.005)]
    assert wrong.empty, f"{made.variant.id}: {spend.columns} {spend.layout}\n{wrong}"
    return spend


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.id for v in VARIANTS])
def test_variant_reads_as_its_truth(variant: Variant) -> None:
    made = spend_gen.make(variant)
    spend = assert_reads_as_truth(made)
    codes = [n.code for n in spend.notices]
    assert codes.count("spend_negative") == int((made.expected["amount"] < 0).any())
    assert "spend_period_unread" not in codes


@pytest.mark.parametrize(
    "variant",
    [v for v in VARIANTS if v.headers != "neutral"],
    ids=[v.id for v in VARIANTS if v.headers != "neutral"],
)
def test_variant_reads_without_the_deals_channels(variant: Variant) -> None:
    """No deals' channels to meet (spend read before the deals are mapped): the channel is
    found by its header and its values alone. Headers that say nothing are left out here: a
    column of channels and one of owners can then only be told apart by the deals."""
    assert_reads_as_truth(dataclasses.replace(spend_gen.make(variant), channels=()))


_ANY = st.builds(
    Variant,
    layout=st.sampled_from(spend_gen.LAYOUTS),
    amounts=st.sampled_from(spend_gen.AMOUNTS),
    headers=st.sampled_from(spend_gen.HEADERS),
    extras=st.booleans(),
    title=st.booleans(),
    totals=st.booleans(),
    refund=st.booleans(),
    filldown=st.booleans(),
    split=st.booleans(),
    fmt=st.sampled_from(spend_gen.FORMATS),
    seed=st.integers(0, 10_000),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(_ANY, st.data())
def test_any_variant_totals_once(variant: Variant, data: st.DataObject) -> None:
    """Whatever the combination: what is read sums to the truth (the total rows left out, no
    row counted twice), and each channel and period is the truth's."""
    periods = data.draw(st.sampled_from(spend_gen.PERIODS_OF[variant.layout]))
    made = spend_gen.make(spend_gen.with_(variant, periods=periods))
    spend = assert_reads_as_truth(made)
    assert spend.rows["amount"].sum() == pytest.approx(made.expected["amount"].sum(), abs=0.01)


def test_a_grand_total_under_the_months_is_no_row_of_the_last_channel() -> None:
    """A long table with each channel written once over its months and «Total» in the month
    column at the bottom: the total is left out, not filled down into the last channel (found
    by the test above)."""
    variant = Variant(
        layout="long", periods="ru_month", amounts="number", headers="ru", extras=False,
        title=False, totals=True, refund=False, filldown=True, split=False, fmt="frame", seed=0,
    )  # fmt: skip
    made = spend_gen.make(variant)
    spend = assert_reads_as_truth(made)
    assert spend.rows["amount"].sum() == pytest.approx(made.expected["amount"].sum(), abs=0.01)
    assert "spend_total_rows" in [n.code for n in spend.notices]


# ---- each notice ------------------------------------------------------------------------------


def _frame(rows: list[list[object]], header: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=header, dtype=object)


def test_total_rows_are_left_out_and_said() -> None:
    frame = _frame(
        [["Январь 2026", "Авито", "1 000"], ["Январь 2026", "Итого Авито", "1 000"],
         ["Февраль 2026", "Авито", "500"], ["Всего", None, "1 500"]],
        ["Месяц", "Канал", "Расход"],
    )  # fmt: skip
    spend = read_spend(frame, channels=["Авито"])
    notice = next(n for n in spend.notices if n.code == "spend_total_rows")
    assert spend.rows["amount"].tolist() == [1000.0, 500.0]
    assert notice.params["amount"] == 2500  # 1 000 (Итого Авито) + 1 500 (Всего)


def test_unreadable_period_is_listed_not_dropped_in_silence() -> None:
    frame = _frame(
        [["Январь 2026", "Авито", "1 000"], ["см. договор", "Авито", "700"],
         ["Февраль 2026", "Авито", "500"], ["Март 2026", "Авито", "200"]],
        ["Месяц", "Канал", "Расход"],
    )  # fmt: skip
    spend = read_spend(frame, channels=["Авито"])
    notice = next(n for n in spend.notices if n.code == "spend_period_unread")
    assert notice.params["rows"] == 1 and notice.params["amount"] == 700
    assert notice.params["values"] == ["см. договор"]
    assert spend.rows["amount"].sum() == 1700


def test_a_blank_channel_among_filled_ones_is_not_filled_down() -> None:
    """One month, three channels, one left blank: a value not known, not a group's row."""
    frame = _frame(
        [["Январь 2026", "Авито", "100"], ["Январь 2026", None, "50"],
         ["Январь 2026", "VK Реклама", "70"]],
        ["Месяц", "Канал", "Расход"],
    )  # fmt: skip
    spend = read_spend(frame, channels=["Авито", "VK Реклама"])
    assert spend.rows["channel"].tolist() == ["Авито", spend_gen.NONE_LABEL, "VK Реклама"]


def test_month_headings_date_the_rows_under_them() -> None:
    frame = _frame(
        [["Январь 2026", None], ["Авито", "100"], ["VK Реклама", "70"],
         ["Февраль 2026", None], ["Авито", "120"], ["Итого", "290"]],
        ["Канал", "Расход"],
    )  # fmt: skip
    spend = read_spend(frame, channels=["Авито", "VK Реклама"])
    months = spend.rows.assign(month=spend.rows["start"].dt.strftime("%Y-%m"))
    assert months[["channel", "month", "amount"]].values.tolist() == [
        ["Авито", "2026-01", 100.0], ["VK Реклама", "2026-01", 70.0],
        ["Авито", "2026-02", 120.0],
    ]  # fmt: skip
    assert [n.code for n in spend.notices] == ["spend_total_rows"]


def test_negative_amount_is_kept_and_said() -> None:
    frame = _frame(
        [["01.2026", "Google Ads", "12 000,50 руб."], ["02.2026", "Google Ads", "(500)"]],
        ["Период", "Источник", "Затраты"],
    )
    spend = read_spend(frame, channels=["Google Ads"])
    assert spend.rows["amount"].tolist() == [12000.5, -500.0]
    notice = next(n for n in spend.notices if n.code == "spend_negative")
    assert notice.params["amount"] == -500


def test_no_channel_column_is_said() -> None:
    frame = _frame(
        [["01.02.2026", "Бренд", "120.50"], ["02.02.2026", "Бренд", "99.50"]],
        ["Дата", "Кампания", "Расход"],
    )
    spend = read_spend(frame, channels=["Яндекс Директ"])
    assert [n.code for n in spend.notices] == ["spend_no_channel"]
    assert spend.notices[0].params["amount"] == 220
    assert set(spend.rows["channel"]) == {spend_gen.NONE_LABEL}


# ---- real public data: tests/data/real/robyn_weekly_spend (figures from its expected.py) ------

ROBYN = Path(__file__).resolve().parent / "data" / "real" / "robyn_weekly_spend"


@pytest.fixture(scope="module")
def robyn() -> tuple[pd.DataFrame, dict]:
    expected = json.loads((ROBYN / "expected.json").read_text(encoding="utf-8"))
    return read_table(ROBYN / expected["file"]).frame, expected


def test_robyn_weekly_spend_with_its_channels_named(robyn) -> None:
    """Meta's marketing-mix demo: five spend columns across, weeks down the side, and beside
    them revenue, impressions, clicks, a competitor's sales and a newsletter, which are not
    spend. Named as the spend's channels (what a person confirms), the five are read exactly."""
    frame, expected = robyn
    spec = SpendSpec(layout="wide", channels={c: c for c in expected["channels"]})
    spend = read_spend(frame, spec=spec)
    rows = spend.rows
    assert (spend.layout, spend.grain, dict(spend.columns)) == ("wide", "week", {"period": "DATE"})
    assert sorted(rows["channel"].unique()) == sorted(expected["channels"])
    totals = rows.groupby("channel")["amount"].sum()
    for channel, total in expected["spend_total"].items():
        assert totals[channel] == pytest.approx(total, abs=1e-3), channel
    assert rows["amount"].sum() == pytest.approx(expected["spend_all_channels"], abs=1e-3)
    # Zero weeks are no spend: 208 weeks x 5 channels, less the zeros.
    assert len(rows) == expected["long_rows"] - sum(expected["zero_weeks"].values())
    assert ((rows["end"] - rows["start"]) == pd.Timedelta(days=7)).all()
    assert rows["start"].min() == pd.Timestamp(expected["first_week"])
    assert rows["end"].max() == pd.Timestamp(expected["period_end_exclusive"])
    assert not spend.notices and not spend.guessed


def test_robyn_weekly_spend_by_month_pro_rata(robyn) -> None:
    frame, expected = robyn
    spec = SpendSpec(layout="wide", channels={c: c for c in expected["channels"]})
    months = monthly(read_spend(frame, spec=spec).rows)
    got = months.assign(month=months["start"].dt.strftime("%Y-%m"))
    got = got.groupby(["channel", "month"])["amount"].sum()
    for channel, by_month in expected["spend_by_month_prorata"].items():
        for month, amount in by_month.items():
            assert got.get((channel, month), 0.0) == pytest.approx(amount, abs=1e-3), (
                channel,
                month,
            )


def test_robyn_weekly_spend_unnamed_says_it_guessed(robyn) -> None:
    """Unnamed, impressions (facebook_I) and a newsletter's figures are numbers across like
    the spend, and nothing in their values says otherwise: they are read, and said guessed.
    Revenue and a competitor's sales are money in, not spent, and the events column (mostly
    "na") names no channel."""
    frame, expected = robyn
    spend = read_spend(frame)
    read = set(spend.rows["channel"])
    assert set(expected["channels"]) <= read
    assert read - set(expected["channels"]) == {"facebook_I", "newsletter"}
    assert "channel" in spend.guessed


# ---- amounts written in thousands -------------------------------------------------------------


def test_amounts_in_thousands_are_read_in_units_and_said() -> None:
    frame = _frame(
        [["Январь 2026", "Авито", "30"], ["Январь 2026", "VK Реклама", "5,5"],
         ["Февраль 2026", "Авито", "12,25"]],
        ["Месяц", "Канал", "Расход, тыс. руб."],
    )  # fmt: skip
    spend = read_spend(frame, channels=["Авито", "VK Реклама"])
    # 30 + 5.5 + 12.25 thousand, counted by hand
    assert spend.rows["amount"].tolist() == [30_000, 5_500, 12_250]
    notice = next(n for n in spend.notices if n.code == "spend_scaled")
    assert notice.params == {"column": "Расход, тыс. руб.", "factor": 1000.0, "unit": "thousands"}


def test_a_wide_table_takes_its_unit_from_the_corner_never_from_a_name() -> None:
    months = _frame(
        [["Авито", "1,5", "2"], ["VK Реклама", "0,5", "1"]],
        ["Канал (млн ₽)", "Январь 2026", "Февраль 2026"],
    )
    spend = read_spend(months, channels=["Авито", "VK Реклама"])
    assert sorted(spend.rows["amount"].tolist()) == [500_000, 1_000_000, 1_500_000, 2_000_000]
    # a channel called «Тысяча мелочей» across the top says nothing of the unit
    channels = _frame(
        [["Январь 2026", "100", "200"], ["Февраль 2026", "300", "400"]],
        ["Месяц", "Тысяча мелочей", "Авито"],
    )
    spend = read_spend(channels, channels=["Тысяча мелочей", "Авито"])
    assert sorted(spend.rows["amount"].tolist()) == [100, 200, 300, 400]
    assert "spend_scaled" not in [n.code for n in spend.notices]
