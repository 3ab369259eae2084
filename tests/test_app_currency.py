"""Money in several currencies on the Funnel page: never added up, never narrowed in silence.

The file, counted by hand: five deals in roubles, three in euros.

    deal  stage            amount  currency
    1-3   won              1000, 2000, 3000  RUB
    4-5   won              500, 700          EUR
    6     first stage      50      RUB
    7     second stage     60      EUR
    8     lost             70      RUB

Roubles are the main currency (most deals). Won: 6 000 ₽ and 1 200 €. Every euro deal reached
the first stage: 500 + 700 + 60 = 1 260 €.
"""

from __future__ import annotations

import pandas as pd
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from tests.e2e_support import LOST, STAGES, WON, csv_bytes

FUNNEL = "app_pages/funnel.py"


def _upload(at: AppTest) -> AppTest:
    frame = pd.DataFrame(
        {
            "ID": range(1, 9),
            "Этап сделки": [WON] * 5 + [STAGES[0], STAGES[1], LOST],
            "Бюджет": [1000, 2000, 3000, 500, 700, 50, 60, 70],
            "Валюта": ["RUB", "RUB", "RUB", "EUR", "EUR", "RUB", "EUR", "RUB"],
            "Дата создания": ["01.02.2025"] * 8,
        }
    )
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(("сделки.csv", csv_bytes(frame), "text/csv")).run()
    at.switch_page(FUNNEL).run()
    assert not at.exception, at.exception
    return at


def _money(at: AppTest) -> None:
    next(b for b in at.button_group if b.key.startswith("funnel_measure")).set_value("money")
    at.run()
    assert not at.exception, at.exception


def _amounts(at: AppTest) -> pd.Series:
    table = at.dataframe[0].value
    column = next(c for c in table.columns if str(c).startswith("Сумма дошедших"))
    return table.set_index("Этап")[column]


def test_the_main_currency_first_and_the_others_named(at):
    _upload(at)
    tile = next(m for m in at.metric if m.label == "Сумма выигранных")
    assert tile.value == "6\u00a0000\u00a0₽"
    assert "€" in tile.delta and "1,2" in tile.delta  # 1 200 € of wins, said under it
    picker = at.selectbox(key="funnel_currency_ru")
    assert picker.options == ["RUB (₽)", "EUR (€)"]
    amounts = _amounts(at)
    assert amounts.iloc[0] == 1000 + 2000 + 3000 + 50 + 70 and amounts["Успех"] == 6000
    _money(at)
    captions = " ".join(c.value for c in at.caption)
    assert "только сделки в RUB (₽)" in captions and "EUR (€)" in captions


def test_choosing_euros_shows_the_euro_funnel(at):
    _upload(at)
    at.selectbox(key="funnel_currency_ru").set_value("EUR").run()
    assert not at.exception, at.exception
    amounts = _amounts(at)
    assert amounts.name == "Сумма дошедших, EUR (€)"
    assert amounts.iloc[0] == 500 + 700 + 60 and amounts["Успех"] == 500 + 700
    _money(at)
    chart = at.get("vega_lite_chart")[0]
    rows = dataframe_util.convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)
    assert rows["value"].tolist()[0] == 1260 and rows["value"].tolist()[-1] == 1200
    # the headline stays on the main currency, the euros named under it
    tile = next(m for m in at.metric if m.label == "Сумма выигранных")
    assert tile.value == "6\u00a0000\u00a0₽"


def test_one_currency_asks_nothing(at):
    # the sample is all in roubles: no currency choice, no caption about others
    assert not [s for s in at.selectbox if s.key and s.key.startswith("funnel_currency")]
    assert not any("других валютах" in c.value for c in at.caption)


def test_the_segment_table_has_a_column_per_currency(at):
    _upload(at)
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert table["Сумма выигранных, RUB (₽)"].sum() == 6000
    assert table["Сумма выигранных, EUR (€)"].sum() == 1200
    assert table["Сумма в работе, EUR (€)"].sum() == 60
    assert "Сумма выигранных" not in table.columns  # no column that would hold roubles only
