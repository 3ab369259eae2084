"""Channels in a real browser: the sample's spend on the first visit, then an export nobody here
made and a spend file for it, uploaded on the page; the cost per won deal of each channel read
off the screen. The figures are counted by hand below."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.e2e_support import ARTIFACTS, E2E_MARKS, nav, see, upload, wait_chart, wait_idle

pytestmark = E2E_MARKS


def _shot(pg, name: str, scroll_to: str | None = None) -> None:
    if scroll_to:
        pg.get_by_text(scroll_to).first.scroll_into_view_if_needed()
    wait_idle(pg)
    pg.screenshot(path=str(ARTIFACTS / name))


def _deals(path: Path) -> Path:
    """80 deals: «Контекст» 40 leads, 8 paid; «Выставка» 40 leads, 4 paid; every paid deal
    50 000 руб.; created over March and April 2026."""
    rows = []
    for channel, paid in (("Контекст", 8), ("Выставка", 4)):
        for i in range(40):
            status = "Оплачен" if i < paid else ("Отказ" if i % 3 == 0 else "Новый")
            day = f"{1 + i % 28:02d}.{3 + i % 2:02d}.2026"
            rows.append((len(rows) + 1, status, channel, "50 000 руб.", day))
    frame = pd.DataFrame(rows, columns=["№", "Статус", "Канал", "Сумма", "Создан"])
    frame.to_csv(path, index=False, sep=";", encoding="cp1251")
    return path


def _spend(path: Path) -> Path:
    """Контекст 40 000 + 40 000 ₽, Выставка 20 000 ₽ in March; a total row at the bottom.
    Cost per won deal: Контекст 80 000 / 8 = 10 000 ₽, Выставка 20 000 / 4 = 5 000 ₽."""
    text = (
        "Месяц,Источник,Затраты\n"
        "Март 2026,контекст,40000\n"
        "Апрель 2026,Контекст,40000\n"
        "Март 2026,Выставка,20000\n"
        "Итого,,100000\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_channels_on_the_sample_then_a_spend_upload(page, tmp_path):
    pg = page
    nav(pg, "Каналы")
    see(pg, "По каналам")
    wait_chart(pg)
    see(pg, "на выигранную сделку")
    _shot(pg, "e2e_channels_01_sample.png")
    _shot(pg, "e2e_channels_02_stage_costs.png", scroll_to="Во что обходится каждый этап воронки")

    upload(pg, _deals(tmp_path / "лиды_март_апрель.csv"))
    nav(pg, "Каналы")
    see(pg, "Добавьте таблицу расходов")
    wait_idle(pg)
    pg.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        str(_spend(tmp_path / "расходы.csv")), timeout=60_000
    )
    # The deals name no currency (a «руб.» in the cells is not a currency column): no sign.
    see(pg, "Контекст: 10\u00a0000 на выигранную сделку, у канала «Выставка» — 5\u00a0000.")
    wait_chart(pg)
    see(pg, "Убрано пустых строк, разделителей месяцев и итогов: 1.")
    _shot(pg, "e2e_channels_03_uploaded.png")
