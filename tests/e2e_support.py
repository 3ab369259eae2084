"""Small deal exports made in the tests: Russian headers, as a CSV (any encoding) or an XLSX."""

from __future__ import annotations

import io

import pandas as pd

STAGES = ("Новая заявка", "Переговоры", "Счёт выставлен")
WON, LOST = "Успешно реализовано", "Закрыто и не реализовано"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def small_deals(n: int = 40, *, seed: int = 0) -> pd.DataFrame:
    """``n`` deals over three stages plus won/lost, two channels, amounts, creation dates."""
    states = [*STAGES, WON, LOST]
    rows = []
    for i in range(n):
        rows.append(
            {
                "ID": 1000 + i,
                "Название сделки": f"Сделка {i}",
                "Этап сделки": states[(i * 7 + seed) % len(states)],
                "Бюджет": 10_000 * (1 + (i % 5)),
                "Источник": "Сайт" if i % 3 else "Звонок",
                "Дата создания": f"{1 + i % 28:02d}.0{1 + i % 9}.2025",
            }
        )
    return pd.DataFrame(rows)


def csv_bytes(frame: pd.DataFrame, encoding: str = "cp1251", sep: str = ";") -> bytes:
    return frame.to_csv(index=False, sep=sep).encode(encoding)


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, sheet_name="Сделки")
    return buf.getvalue()
