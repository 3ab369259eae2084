"""The Funnel page's headline figures: never cut off, never narrowed to one currency in
silence, never a made-up zero where the file has no amounts."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.e2e_support import LOST, STAGES, WON, csv_bytes


def _upload(at: AppTest, frame: pd.DataFrame) -> AppTest:
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(("сделки.csv", csv_bytes(frame), "text/csv")).run()
    assert not at.exception, at.exception
    at.switch_page("app_pages/funnel.py").run()
    assert not at.exception, at.exception
    return at


def _tile(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def _deals(amounts: list[object], currencies: list[str] | None = None) -> pd.DataFrame:
    n = len(amounts)
    frame = pd.DataFrame(
        {
            "ID": range(1, n + 1),
            "Этап сделки": [WON] * (n - 2) + [STAGES[0], LOST],
            "Бюджет": amounts,
            "Дата создания": ["01.02.2025"] * n,
        }
    )
    if currencies is not None:
        frame["Валюта"] = currencies
    return frame


def test_a_large_won_amount_is_shown_short_with_the_full_figure_in_its_help(at):
    # 6 wins of 4 700 000,5: 28 200 003 in all, too long for a fifth of the page
    _upload(at, _deals([4_700_000.5] * 6 + [10.0, 10.0]))
    tile = _tile(at, "Сумма выигранных")
    assert tile.value == "28,2\u00a0млн"
    assert "28\u00a0200\u00a0003" in (tile.proto.help or "")


def test_no_amount_column_is_a_dash_not_a_zero(at):
    frame = _deals([1.0] * 5).drop(columns=["Бюджет"])
    _upload(at, frame)
    assert _tile(at, "Сумма выигранных").value == "—"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_wins_in_another_currency_are_said_under_the_figure(at, language):
    at.session_state["lang"] = language
    amounts = [1000.0, 2000.0, 3000.0, 500.0, 10.0, 10.0]
    _upload(at, _deals(amounts, ["RUB", "RUB", "RUB", "EUR", "RUB", "RUB"]))
    label = "Сумма выигранных" if language == "ru" else "Won amount"
    tile = _tile(at, label)
    # 6 000 RUB in the main currency; the 500 EUR win is named under it, not dropped
    assert "6" in tile.value and "000" in tile.value
    assert tile.delta and "500" in tile.delta and "€" in tile.delta


def test_compare_lists_each_step_with_its_significance_in_words(at):
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    tables = [d.value for d in at.dataframe]
    steps = next(t for t in tables if "Вывод" in t.columns)
    assert {"Сегмент", "Шаг", "Конверсия шага", "p (с поправкой)"} <= set(steps.columns)
    verdicts = set(steps["Вывод"])
    known = {"▲ надёжно выше", "▼ надёжно ниже", "разница в пределах шума", "мало данных",
             "база сравнения"}  # fmt: skip
    assert verdicts <= known and verdicts
    assert not any(str(c).startswith("col_") for c in steps.columns)
