"""Deal ids joined across files whose readers typed them differently: a number in one file
(1042.0 from Excel) and text in the other ("1042" from a CSV column that stays text)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from funnel.io.readers import read_table
from funnel.mapping import norm_keys
from funnel.metrics import funnel
from funnel.prepare import prepare
from funnel.spec import Spec

SPEC = Spec.from_dict(
    {
        "columns": {"deal": "ID", "title": "Сделка", "stage": "Этап"},
        "stages": ["Новая", "КП"],
        "won": ["Успех"],
        "lost": ["Отказ"],
        "events": {
            "columns": {"deal": "ID сделки", "stage": "Этап", "at": "Дата"},
            "join": "deal",
        },
    }
)


def _xlsx(rows: list[tuple[object, str, str]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Сделка", "Этап"])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv(lines: list[str]) -> bytes:
    return ("ID сделки;Этап;Дата\n" + "\n".join(lines) + "\n").encode("utf-8")


def _history_only(deals) -> int:
    return next((n.params["count"] for n in deals.notices if n.code == "history_only_deals"), 0)


def test_excel_number_ids_join_text_ids_of_a_csv_history() -> None:
    deals = read_table(
        _xlsx(
            [
                (1042, "Окна", "Новая"),
                (1043, "Двери", "Новая"),
                (1044, "Замки", "Новая"),
                (1045, "Ручки", "КП"),  # no history: its own stage counts
            ]
        ),
        name="deals.xlsx",
    ).frame
    # The register logs leads too ("L-7"): the id column stays text.
    history = read_table(
        _csv(
            [
                "1042;Новая;01.02.2025",
                "1042;КП;05.02.2025",
                "1042;Успех;10.02.2025",
                "1043;Новая;02.02.2025",
                "1043;КП;06.02.2025",
                "1044;Новая;03.02.2025",
                "L-7;Новая;03.02.2025",
                "L-8;КП;04.02.2025",
            ]
        ),
        name="history.csv",
    ).frame
    assert deals["ID"].dtype == np.float64 and history["ID сделки"].dtype == "str"

    result = prepare(deals, SPEC, events=history)
    total = funnel(result)
    # By hand: 1042 won (reached both stages), 1043 at КП, 1044 at Новая, 1045 at КП (its
    # snapshot), L-7 at Новая and L-8 at КП (history only): six deals, four reached КП.
    assert total.deals[0] == 6
    assert total.reached[0].tolist() == [6, 4]
    assert total.won[0] == 1
    assert _history_only(result) == 2


def test_excel_text_ids_join_number_ids_of_a_csv_history() -> None:
    # One id with a suffix makes Excel's column text: its numbers come as "1042", not 1042.0.
    deals = read_table(
        _xlsx([(1042, "Окна", "Новая"), (1043, "Двери", "Новая"), ("1044-доп", "Замки", "КП")]),
        name="deals.xlsx",
    ).frame
    history = read_table(
        _csv(["1042;Новая;01.02.2025", "1042;Отказ;03.02.2025", "1043;КП;02.02.2025"]),
        name="history.csv",
    ).frame
    assert deals["ID"].dtype == "str" and history["ID сделки"].dtype == np.float64

    result = prepare(deals, SPEC, events=history)
    total = funnel(result)
    # By hand: 1042 lost at Новая, 1043 at КП, 1044-доп at КП (no history): three deals.
    assert total.deals[0] == 3
    assert total.reached[0].tolist() == [3, 2]
    assert total.lost[0] == 1
    assert _history_only(result) == 0


@pytest.mark.parametrize(
    ("values", "keys"),
    [
        ([1042.0, "1042", " 1042 ", 1042], ["1042"] * 4),
        ([12.5, "12.5", 12.0, -3.0], ["12.5", "12.5", "12", "-3"]),  # decimals stay decimals
        (["001", 1.0, "1"], ["001", "1", "1"]),  # leading zeros of text are kept
        ([np.nan, None, " ", 7.0], [None, None, None, "7"]),
    ],
)
def test_id_keys_write_whole_numbers_as_integers(values: list[object], keys: list[object]) -> None:
    assert norm_keys(pd.Series(values, dtype=object)).tolist() == keys


def test_id_keys_of_a_float_column_are_integers() -> None:
    out = norm_keys(pd.Series([1042.0, np.nan, 1043.0, 2.5]))
    assert out.tolist() == ["1042", None, "1043", "2.5"]
