"""AppTest for the Channels page: the sample opens with its spend, a spend file is uploaded for
a file of deals nobody here made, a spend name is matched to a channel, a margin, a removal,
bad spend files. Expected figures come from sample_data/truth.json (counted by the sample's
generator with plain pandas) or are counted by hand in the comments."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.e2e_support import XLSX_MIME, csv_bytes
from ui.i18n import fmt_money

PAGE = "app_pages/channels.py"
ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "sample_data" / "truth.json").read_text(encoding="utf-8"))["economics"]


def _clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at: AppTest) -> pd.DataFrame:
    frame = at.dataframe[0].value
    return frame.set_index(frame.columns[0])


def _num(value: object) -> float:
    """A cell as a number: a column with gaps is shown as text («10 000», «—»)."""
    if isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if text in ("—", ""):
            return float("nan")
        return float(text.rstrip("%")) / 100 if text.endswith("%") else float(text)
    return float(value)  # type: ignore[arg-type]


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(parts)


def test_the_sample_opens_with_its_spend(at: AppTest) -> None:
    at.switch_page(PAGE).run()
    _clean(at)
    line = TRUTH["Системы безопасности"]
    spend = sum(c["spend"] for c in line.values())
    # The amoCRM export names no currency: money is shown without a sign, as on the Funnel page.
    assert _metrics(at)["Расход"] == fmt_money(spend, "", language="ru")
    table = _table(at)
    for channel, figures in line.items():
        assert table.loc[channel, "Расход"] == pytest.approx(figures["spend"])
        assert table.loc[channel, "Лиды"] == figures["leads"]
        assert table.loc[channel, "Выиграно"] == figures["won"]
    # Referrals have leads and no spend: their cost is not defined and they are named.
    assert math.isnan(_num(table.loc["Рекомендации", "Цена лида"]))
    assert "Лиды без расходов: Рекомендации" in _texts(at)
    assert len(at.get("vega_lite_chart")) >= 3


def test_a_spend_name_is_matched_to_a_channel(at: AppTest) -> None:
    switch = next(s for s in at.selectbox if s.key and s.key.startswith("pipeline_switch_"))
    switch.set_value("Носители информации").run()
    at.switch_page(PAGE).run()
    _clean(at)
    line = TRUTH["Носители информации"]
    assert "Расходы без лидов" in [h.value for h in at.subheader]
    table = _table(at)
    assert table.loc["Таргет ВКонтакте", "Лиды"] == 0
    assert table.loc["Таргет ВКонтакте", "Расход"] == line["Таргет ВКонтакте"]["spend"]
    at.selectbox(key="ch_match_Таргет ВКонтакте").set_value("Контекстная реклама")
    next(b for b in at.button if "Сохранить соответствия" in b.label).click().run()
    _clean(at)
    table = _table(at)
    assert "Таргет ВКонтакте" not in table.index
    both = line["Контекстная реклама"]["spend"] + line["Таргет ВКонтакте"]["spend"]
    assert table.loc["Контекстная реклама", "Расход"] == pytest.approx(both)
    assert at.session_state["dataset"].spec.spend.channels == {
        "Таргет ВКонтакте": "Контекстная реклама"
    }


# A small export nobody here made: ten deals in two channels, January and February 2026.
DEALS = pd.DataFrame(
    {
        "Номер": range(1, 11),
        "Статус": ["Новая", "Встреча", "Оплачено", "Оплачено", "Отказ",
                   "Новая", "Оплачено", "Отказ", "Встреча", "Отказ"],
        "Откуда пришёл": ["Яндекс Директ"] * 6 + ["Сарафан"] * 4,
        "Сумма": ["10 000", "20 000", "50 000", "70 000", "5 000",
                  "8 000", "40 000", "9 000", "11 000", "3 000"],
        "Создана": ["10.01.2026", "12.01.2026", "15.01.2026", "02.02.2026", "03.02.2026",
                    "20.02.2026", "11.01.2026", "14.01.2026", "05.02.2026", "25.02.2026"],
    }
)  # fmt: skip
# Spend with months across the top, a title row, a total column; «яндекс директ» in lower case.
SPEND_WIDE = [
    ["Бюджет на рекламу, руб.", "", "", ""],
    ["Источник", "Январь 2026", "Февраль 2026", "Итого"],
    ["яндекс директ", "30 000", "30 000", "60 000"],
    ["Авито", "5 000", "", "5 000"],
]


def _grid_xlsx(rows: list[list[str]]) -> bytes:
    """A sheet as a person types it: every cell text, a title row above the header."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _upload_deals(at: AppTest) -> None:
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(("сделки.csv", csv_bytes(DEALS), "text/csv")).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].name == "сделки.csv"


def test_a_spend_file_for_an_export_nobody_here_made(at: AppTest) -> None:
    _upload_deals(at)
    at.switch_page(PAGE).run()
    _clean(at)
    assert any("Добавьте таблицу расходов" in i.value for i in at.info)
    data = _grid_xlsx(SPEND_WIDE)
    at.file_uploader(key="ch_first_spend_upload").set_value(("расходы.xlsx", data, XLSX_MIME))
    at.run()
    _clean(at)
    table = _table(at)
    # Яндекс Директ: spend 60 000, leads 6 (deals 1-6), won 2 (deals 3, 4: 50 000 + 70 000).
    ya = table.loc["Яндекс Директ"]
    assert (ya["Расход"], ya["Лиды"], ya["Выиграно"]) == (60_000, 6, 2)
    assert _num(ya["Цена лида"]) == pytest.approx(10_000)
    assert _num(ya["Цена сделки"]) == pytest.approx(30_000)
    assert _num(ya["ROMI"]) == pytest.approx((120_000 - 60_000) / 60_000)
    # Avito has spend and no deals; Сарафан has deals and no spend: both named, none dropped.
    assert table.loc["Авито", "Лиды"] == 0
    assert "Расходы без лидов" in [h.value for h in at.subheader]
    assert "Лиды без расходов: Сарафан" in _texts(at)
    assert _metrics(at)["Расход"] == fmt_money(65_000, "", language="ru")
    # The total row and column of the table were left out and said so.
    assert "Строки итогов не учтены" in _texts(at) or "Итого" not in table.index


def test_margin_then_removal(at: AppTest) -> None:
    at.switch_page(PAGE).run()
    at.number_input(key="ch_margin").set_value(40.0)
    at.button(key="ch_margin_apply").click().run()
    _clean(at)
    assert at.session_state["dataset"].spec.spend.margin == 0.4
    assert "Прибыль" in _table(at).columns
    at.button(key="ch_remove").click().run()
    _clean(at)
    assert at.session_state["dataset"].spec.spend is None
    assert any("Добавьте таблицу расходов" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("name", "data", "mime", "words"),
    [
        ("расходы.csv", b"", "text/csv", "пуст"),
        ("расходы.xlsx", b"not a workbook", XLSX_MIME, "xlsx"),
        ("расходы.csv", "Канал;Комментарий\nДирект;много\n".encode(), "text/csv", "сумм"),
    ],
)
def test_a_bad_spend_file_says_why_and_keeps_the_spend(at, name, data, mime, words) -> None:
    at.switch_page(PAGE).run()
    before = at.session_state["dataset"].spec.spend
    at.number_input(key="ch_margin")  # the page is the full one: the sample's spend is there
    at.file_uploader(key="ch_again_spend_upload").set_value((name, data, mime)).run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert errors and words in errors.lower(), errors
    assert at.session_state["dataset"].spec.spend == before


SHEET = "1SpendSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123"


@pytest.fixture
def fake_sheet(monkeypatch):
    """A public Google Sheet of spend as a consultant shares it: months across the top."""
    from funnel.io import google_access
    from tests.fake_google import Spreadsheet, Tab, fake_google

    rows = [
        ["Канал", "Январь 2026", "Февраль 2026"],
        ["Контекстная реклама", "100 000", "120 000"],
        ["Выставка", "300 000", ""],
    ]
    with fake_google() as fake:
        fake.sheets[SHEET] = Spreadsheet("Расходы", {0: Tab("Бюджет", rows)})
        monkeypatch.setenv(google_access.LOOPBACK_ENV, fake.address)
        yield fake


def test_spend_from_a_google_sheets_link(at: AppTest, fake_sheet) -> None:
    at.switch_page(PAGE).run()
    at.button(key="ch_remove").click().run()  # start from no spend: the first screen's inputs
    at.text_input(key="ch_first_sheet_url").input(
        f"https://docs.google.com/spreadsheets/d/{SHEET}/edit#gid=0"
    )
    next(b for b in at.button if b.label == "Прочитать").click().run()
    _clean(at)
    table = _table(at)
    assert table.loc["Контекстная реклама", "Расход"] == 220_000
    assert table.loc["Выставка", "Расход"] == 300_000
    assert _metrics(at)["Расход"] == fmt_money(520_000, "", language="ru")


def test_spend_typed_into_the_page(at: AppTest) -> None:
    at.switch_page(PAGE).run()
    at.button(key="ch_remove").click().run()
    key = next(e.key for e in at.data_editor if e.key and e.key.startswith("ch_first_typed_"))
    at.session_state[key] = {
        "edited_rows": {
            0: {"Канал": "Контекстная реклама", "Месяц": "Январь 2026", "Расход": 50_000},
            1: {"Канал": "Выставка", "Месяц": "01.2026", "Расход": 70_000},
        },
        "added_rows": [{"Канал": "Выставка", "Месяц": "2026-02", "Расход": 30_000}],
        "deleted_rows": [2, 3],
    }
    at.run()
    at.button(key="ch_first_typed_apply").click().run()
    _clean(at)
    table = _table(at)
    assert table.loc["Контекстная реклама", "Расход"] == 50_000
    assert table.loc["Выставка", "Расход"] == 100_000
    kept = at.session_state["dataset"].spec.spend
    assert sum(r.amount for r in kept.rows) == 150_000  # 50 000 + 70 000 + 30 000


# Spend kept by hand in sections: a month's heading on a row of its own over its channels.
SPEND_SECTIONS = (
    "Канал;Расход, руб.\n"
    "Январь 2026;\n"
    "Яндекс Директ;30 000\n"
    "Авито;5 000\n"
    "Февраль 2026;\n"
    "Яндекс Директ;20 000\n"
    "Итого;55 000\n"
)


def test_a_spend_file_in_month_sections(at: AppTest) -> None:
    _upload_deals(at)
    at.switch_page(PAGE).run()
    data = SPEND_SECTIONS.encode("cp1251")
    at.file_uploader(key="ch_first_spend_upload").set_value(("расходы.csv", data, "text/csv"))
    at.run()
    _clean(at)
    # Яндекс Директ: 30 000 in January + 20 000 in February; 6 leads (deals 1-6).
    ya = _table(at).loc["Яндекс Директ"]
    assert (ya["Расход"], ya["Лиды"]) == (50_000, 6)
    assert _metrics(at)["Расход"] == fmt_money(55_000, "", language="ru")
    rows = at.session_state["dataset"].spec.spend.rows
    by_month = {(r.channel, r.start.strftime("%Y-%m")): r.amount for r in rows}
    assert by_month == {
        ("Яндекс Директ", "2026-01"): 30_000,
        ("Авито", "2026-01"): 5_000,
        ("Яндекс Директ", "2026-02"): 20_000,
    }
    # the headings are the months, not rows left out; the totals row is
    assert "не учтен" not in _texts(at).replace("Строки итогов не учтены", "")
    assert "период — строки-заголовки месяцев над каналами" in _texts(at)
    assert "сумма — Расход, руб." in _texts(at) and "руб.." not in _texts(at)
