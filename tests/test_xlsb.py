""".xlsb (Excel binary workbook) input, written by tests/xlsb_writer.py since nothing on the test
machines can save one: calamine (fastexcel) reads it, read_table finds the deal sheet, header and
totals row, and the command line counts the funnel by hand."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import fastexcel
import pandas as pd
import pytest

from funnel.io.readers import list_sheets, read_table
from funnel.report.words import notice_text
from tests.xlsb_writer import Cell, record, write_xlsb, xlsb_bytes

ROOT = Path(__file__).resolve().parent.parent

HEADER = ["ID", "Название сделки", "Этап сделки", "Бюджет ", "Источник", "Дата создания сделки"]
# amoCRM's default stages in order; counted by hand: 3 + 2 + 1 open, 2 won, 2 lost.
STAGE_OF_DEAL = (
    ["Первичный контакт"] * 3
    + ["Переговоры"] * 2
    + ["Принимают решение"]
    + ["Успешно реализовано"] * 2
    + ["Закрыто и не реализовано"] * 2
)
SOURCE_OF_DEAL = [
    "Яндекс",
    "Яндекс",
    "Сайт",
    None,
    "Сайт",
    "Яндекс",
    "Сайт",
    "Яндекс",
    "Сайт",
    "Яндекс",
]
BUDGETS = [10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000.5, 80_000, 90_000, 100_000]
CREATED = [dt.datetime(2025, 1, d, 10, 0) for d in range(1, 11)]
REACHED = {"Первичный контакт": 10, "Переговоры": 5, "Принимают решение": 3}
WON_AMOUNT = 70_000.5 + 80_000  # deals 7 and 8
OPEN_AMOUNT = 10_000 + 20_000 + 30_000 + 40_000 + 50_000 + 60_000
LOST_AMOUNT = 90_000 + 100_000
BY_SOURCE = {"Яндекс": 5, "Сайт": 4, "(none)": 1}
INSTRUCTIONS: list[list[Cell]] = [["Инструкция к выгрузке"], ["Сделки — на листе «Сделки»", 2]]


def deal_rows(dates: str = "text") -> list[list[Cell]]:
    """Title row, blank row, header, 10 deals, totals row: as a hand-saved amoCRM export."""
    rows: list[list[Cell]] = [["Выгрузка сделок от 10.01.2025"], [], list(HEADER)]
    for i in range(10):
        created = CREATED[i] if dates == "serial" else CREATED[i].strftime("%d.%m.%Y %H:%M:%S")
        rows.append(
            [
                101 + i,
                f"Сделка {i + 1}",
                STAGE_OF_DEAL[i],
                BUDGETS[i],
                SOURCE_OF_DEAL[i],
                created,
            ]
        )
    rows.append(["ИТОГО", None, None, sum(BUDGETS), None, None])
    return rows


def workbook(dates: str = "text") -> dict[str, list[list[Cell]]]:
    return {"Инструкция": INSTRUCTIONS, "Сделки": deal_rows(dates)}


@pytest.fixture
def deals_xlsb(tmp_path: Path) -> Path:
    path = tmp_path / "deals.xlsb"
    write_xlsb(path, workbook())
    return path


# --- the writer, checked against calamine -----------------------------------------------------


@pytest.mark.parametrize("shared_strings", [True, False], ids=["shared", "inline"])
def test_fastexcel_reads_the_written_workbook(tmp_path, shared_strings):
    path = tmp_path / "book.xlsb"
    write_xlsb(path, workbook("serial"), shared_strings=shared_strings)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
    assert {"xl/workbook.bin", "xl/worksheets/sheet1.bin", "xl/worksheets/sheet2.bin"} <= names
    assert ("xl/sharedStrings.bin" in names) is shared_strings

    reader = fastexcel.read_excel(str(path))
    assert reader.sheet_names == ["Инструкция", "Сделки"]

    intro = reader.load_sheet("Инструкция", header_row=None).to_pandas()
    assert intro.shape == (2, 2)
    assert intro.iloc[0, 0] == "Инструкция к выгрузке"
    assert intro.iloc[1, 0] == "Сделки — на листе «Сделки»"

    # Untyped grid: every sheet row from row 1, the blank row included.
    grid = reader.load_sheet("Сделки", header_row=None).to_pandas()
    assert grid.shape == (14, 6)
    assert grid.iloc[0, 0] == "Выгрузка сделок от 10.01.2025"
    assert grid.iloc[1].isna().all()
    assert list(grid.iloc[2]) == HEADER
    assert grid.iloc[13, 0] == "ИТОГО"

    # Typed from the header: integers (RK cells), floats, text, empty cells, dates.
    typed = reader.load_sheet("Сделки", header_row=2, n_rows=10).to_pandas()
    assert list(typed.columns) == HEADER
    assert list(typed["ID"]) == list(range(101, 111))
    assert list(typed["Бюджет "]) == BUDGETS
    assert list(typed["Этап сделки"]) == STAGE_OF_DEAL
    assert [None if pd.isna(v) else v for v in typed["Источник"]] == SOURCE_OF_DEAL
    assert list(typed["Дата создания сделки"]) == [pd.Timestamp(d) for d in CREATED]


def test_record_header_varints():
    assert record(0x0000) == b"\x00\x00"
    assert record(0x0269, b"\x02\x00\x00\x00") == b"\xe9\x04\x04\x02\x00\x00\x00"
    assert record(0x0006, bytes(200))[:3] == b"\x06\xc8\x01"
    assert record(0x0006, bytes(20_000))[:4] == b"\x06\xa0\x9c\x01"


@pytest.mark.parametrize("shared_strings", [True, False], ids=["shared", "inline"])
def test_cell_kinds_round_trip(shared_strings):
    big = 2**40  # too big for an RK integer: written as a real
    long_text = "Длинный комментарий к сделке. " * 40  # a record over 127 and 16383 bytes
    rows: list[list[Cell]] = [
        ["текст", 1, -7, 2.5, big, True, False, dt.date(2024, 2, 29), None, long_text * 12]
    ]
    data = xlsb_bytes({"Лист1": rows}, shared_strings=shared_strings)
    sheet = fastexcel.read_excel(data).load_sheet(0, header_row=None)
    got: list[Any] = sheet.to_pandas().iloc[0].tolist()
    assert got[0] == "текст"
    assert [int(v) for v in got[1:3]] == [1, -7]
    assert got[3] == 2.5 and int(got[4]) == big
    assert [bool(v) for v in got[5:7]] == [True, False]
    assert pd.Timestamp(got[7]) == pd.Timestamp(2024, 2, 29)
    assert pd.isna(got[8])
    assert got[9] == long_text * 12


# --- read_table -------------------------------------------------------------------------------


def check_deal_table(table) -> None:
    assert table.sheets == ("Инструкция", "Сделки")
    assert table.sheet == "Сделки"  # the deal list, not the first sheet
    assert table.header_row == 3
    assert table.dropped_rows == 1  # the totals row
    frame = table.frame
    assert list(frame.columns) == HEADER
    assert len(frame) == 10
    assert "ИТОГО" not in frame["ID"].astype(str).tolist()
    assert list(frame["ID"]) == list(range(101, 111))
    assert pd.api.types.is_numeric_dtype(frame["ID"])
    assert pd.api.types.is_float_dtype(frame["Бюджет "])
    assert list(frame["Бюджет "]) == BUDGETS
    assert frame["Бюджет "].sum() == pytest.approx(sum(BUDGETS))
    assert list(frame["Этап сделки"]) == STAGE_OF_DEAL
    assert frame["Источник"].isna().sum() == 1
    assert pd.api.types.is_datetime64_any_dtype(frame["Дата создания сделки"])
    assert list(frame["Дата создания сделки"]) == [pd.Timestamp(d) for d in CREATED]
    assert any("title row" in notice_text(n) for n in table.notes)
    assert any("totals row" in notice_text(n) for n in table.notes)


@pytest.mark.parametrize("dates", ["text", "serial"])
def test_read_table_finds_sheet_header_and_totals(tmp_path, dates):
    path = tmp_path / "deals.xlsb"
    write_xlsb(path, workbook(dates))
    check_deal_table(read_table(path))


def test_read_table_from_uploaded_bytes(deals_xlsb):
    data = deals_xlsb.read_bytes()
    from_bytes = read_table(data, name="x.xlsb")
    check_deal_table(from_bytes)
    assert from_bytes.name == "x.xlsb"
    pd.testing.assert_frame_equal(from_bytes.frame, read_table(deals_xlsb).frame)


def test_read_table_inline_strings_and_file_object(tmp_path):
    buffer = io.BytesIO()
    write_xlsb(buffer, workbook(), shared_strings=False)
    check_deal_table(read_table(buffer.getvalue(), name="deals.xlsb"))


def test_list_sheets_and_explicit_sheet(deals_xlsb):
    assert list_sheets(deals_xlsb) == ["Инструкция", "Сделки"]
    table = read_table(deals_xlsb, sheet="Сделки")
    assert table.sheet == "Сделки" and len(table.frame) == 10


# --- the command line -------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "funnel", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_cli_infer_then_report(deals_xlsb, tmp_path):
    inferred = run("infer", str(deals_xlsb))
    assert inferred.returncode == 0, inferred.stderr
    assert "sheet: Сделки, header on row 3" in inferred.stdout
    spec = tmp_path / "spec.yaml"
    spec.write_text(inferred.stdout, encoding="utf-8")

    reported = run("report", str(deals_xlsb), "--spec", str(spec), "--by", "channel")
    assert reported.returncode == 0, reported.stderr
    report = json.loads(reported.stdout)
    assert report["source"]["sheet"] == "Сделки"
    assert report["source"]["header_row"] == 3
    assert report["source"]["deals"] == 10
    assert report["stages"] == list(REACHED)
    total = report["total"]
    assert total["deals"] == 10
    assert total["reached"] == REACHED
    assert (total["won"], total["lost"], total["open"]) == (2, 2, 6)
    assert total["lost_stage_unknown"] == 2 and report["reached_is_lower_bound"] is True
    assert total["won_amount"] == pytest.approx(WON_AMOUNT)
    assert total["open_amount"] == pytest.approx(OPEN_AMOUNT)
    assert total["lost_amount"] == pytest.approx(LOST_AMOUNT)
    assert {s["segment"]: s["deals"] for s in report["segments"]} == BY_SOURCE
