"""Report files: CSV for either locale's Excel, XLSX with rates as percents, no formulas."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from funnel.io.export import PERCENT_FORMAT, to_csv_bytes, to_xlsx_bytes

BOM = "\ufeff".encode()


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Этап": ["Новая заявка", '=HYPERLINK("http://x")', "Успех"],
            "Дошли": [120, 60, 15],
            "% от первого": [1.0, 0.5, 0.125],
        }
    )


def _lines(data: bytes) -> list[str]:
    assert data.startswith(BOM), "Excel needs the BOM to read UTF-8"
    return data.decode("utf-8-sig").splitlines()


def test_csv_defaults_are_unchanged(table):
    lines = _lines(to_csv_bytes(table))
    assert lines == [
        "Этап,Дошли,% от первого",
        "Новая заявка,120,1.0",
        '"\'=HYPERLINK(""http://x"")",60,0.5',
        "Успех,15,0.125",
    ]


def test_csv_for_a_russian_excel(table):
    lines = _lines(to_csv_bytes(table, sep=";", decimal=","))
    assert lines[0] == "Этап;Дошли;% от первого"
    assert lines[1] == "Новая заявка;120;1,0"
    assert lines[3] == "Успех;15;0,125"
    # neutralised as before: the formula is text
    assert lines[2] == '"\'=HYPERLINK(""http://x"")";60;0,5'


@pytest.mark.parametrize(
    ("sep", "decimal"),
    [(",", "."), (";", ","), ("\t", ",")],
)
def test_csv_reads_back_to_the_same_numbers(table, sep, decimal):
    data = to_csv_bytes(table, sep=sep, decimal=decimal)
    back = pd.read_csv(io.BytesIO(data), sep=sep, decimal=decimal, encoding="utf-8-sig")
    assert back["% от первого"].tolist() == table["% от первого"].tolist()
    assert back["Дошли"].tolist() == table["Дошли"].tolist()


def _sheet(data: bytes, name: str = "funnel"):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


def test_xlsx_shows_rate_columns_as_percent_and_keeps_fractions(table):
    ws = _sheet(to_xlsx_bytes({"funnel": table}, percent_columns=["% от первого"]))
    headers = [c.value for c in ws[1]]
    rate = headers.index("% от первого") + 1
    reached = headers.index("Дошли") + 1
    cells = [ws.cell(row=r, column=rate) for r in range(2, 5)]
    assert [c.value for c in cells] == [1, 0.5, 0.125]
    assert {c.number_format for c in cells} == {PERCENT_FORMAT}
    assert all(ws.cell(row=r, column=reached).number_format == "General" for r in range(2, 5))


def test_xlsx_without_percent_columns_formats_nothing(table):
    ws = _sheet(to_xlsx_bytes({"funnel": table}))
    assert all(c.number_format == "General" for row in ws.iter_rows(min_row=2) for c in row)


def test_xlsx_percent_columns_apply_to_each_sheet_that_has_them(table):
    other = pd.DataFrame({"Сегмент": ["A"], "% от первого": [0.3]})
    data = to_xlsx_bytes(
        {"funnel": table, "segments": other, "notes": pd.DataFrame({"x": [0.1]})},
        percent_columns={"% от первого"},
    )
    assert _sheet(data, "segments").cell(row=2, column=2).number_format == PERCENT_FORMAT
    assert _sheet(data, "notes").cell(row=2, column=1).number_format == "General"


def test_xlsx_never_writes_formulas(table):
    ws = _sheet(to_xlsx_bytes({"funnel": table}, percent_columns=["% от первого"]))
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x")' in texts
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_tables_go_out_as_people_read_them():
    """Whole numbers as integers, rates to 4 places, yes/no in words, a sheet named in the
    UI's language, columns as wide as their contents (openpyxl reads the file back)."""
    import io as _io

    import openpyxl
    import pandas as pd

    from funnel.io.export import for_people, to_csv_bytes, to_xlsx_bytes

    frame = pd.DataFrame(
        {
            "Этап": ["Первичный контакт", "Переговоры"],
            "Дошли": [1249.0, 500.0],
            "Конверсия": [0.3545348031004616, 0.5],
            "Значимо": [True, False],
        }
    )
    people = for_people(frame, percent_columns=["Конверсия"], yes_no=("да", "нет"))
    csv = to_csv_bytes(people, sep=";", decimal=",").decode("utf-8-sig")
    assert "1249;0,3545;да" in csv and "1249,0" not in csv and "False" not in csv
    data = to_xlsx_bytes({"Воронка": people}, percent_columns=["Конверсия"])
    book = openpyxl.load_workbook(_io.BytesIO(data))
    assert book.sheetnames == ["Воронка"]
    sheet = book["Воронка"]
    assert sheet["B2"].value == 1249 and isinstance(sheet["B2"].value, int)
    assert sheet["C2"].value == 0.3545 and sheet["C2"].number_format == "0.0%"
    assert sheet["D2"].value == "да" and sheet["D3"].value == "нет"
    assert sheet.column_dimensions["A"].width >= len("Первичный контакт")


def test_every_exported_sheet_is_named_in_both_languages():
    import re
    from pathlib import Path

    from ui.i18n import STRINGS

    root = Path(__file__).resolve().parent.parent
    used = set()
    for path in [*root.glob("app_pages/*.py"), *root.glob("ui/*.py")]:
        used |= set(re.findall(r'sheet="([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert used, "no table download found"
    for sheet in used:
        entry = STRINGS[f"sheet_{sheet}"]
        assert entry["ru"] and entry["en"] and entry["ru"] != entry["en"]


def test_an_empty_column_gets_a_width_too():
    """A column with no value at all (a before/after table's dates) must not break the file."""
    frame = pd.DataFrame({"Дата": pd.Series([None, None], dtype="str"), "n": [1.0, None]})
    ws = _sheet(to_xlsx_bytes({"funnel": frame}))
    assert ws.column_dimensions["A"].width >= len("Дата")
