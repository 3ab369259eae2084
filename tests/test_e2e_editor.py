"""The mapping editor in a real browser: a file detection cannot read, mapped through the editor
alone, gives hand-counted numbers on the Funnel page; a guessed stage order is said on the
Funnel page and goes away once confirmed."""

from __future__ import annotations

import pandas as pd

from funnel.detect.infer import infer_spec
from funnel.io.readers import read_table
from tests.e2e_support import (
    ARTIFACTS,
    E2E_MARKS,
    absent,
    csv_bytes,
    drop,
    expect_metric,
    metric,
    nav,
    pick,
    see,
    wait_chart,
)

pytestmark = E2E_MARKS

SHOTS = ARTIFACTS

# Nonsense stage words and headers that say nothing: detection finds no stage in it.
REGISTER = pd.DataFrame(
    {
        "code": [f"X{i:03d}" for i in range(18)],
        "col_a": ["alpha"] * 6 + ["beta"] * 4 + ["gamma"] * 3 + ["omega"] * 2 + ["sigma"] * 3,
        "col_b": [f"2025-03-{1 + i:02d}" for i in range(18)],
        "col_c": [100 * (i + 1) for i in range(18)],
    }
)
# Stage names no vocabulary knows: their order can only be guessed from the counts.
GUESSED = pd.DataFrame(
    {
        "ID": range(1, 31),
        "Этап сделки": ["Флорп"] * 12 + ["Зиндл"] * 9 + ["Квакс"] * 6 + ["Успешно реализовано"] * 3,
        "Бюджет": [1000] * 30,
    }
)


def _preview_is(pg, rows: str) -> None:
    """Wait until the editor's funnel preview reads ``rows`` (stage, reached, ...)."""
    pg.wait_for_function(
        """rows => {
            const tables = document.querySelectorAll('[data-testid=stTable] tbody');
            const last = tables[tables.length - 1];
            return !!last && last.innerText.split(/\\s+/).join(' ').trim() === rows;
        }""",
        arg=rows,
        timeout=60_000,
    )


def test_a_file_detection_cannot_read_is_mapped_in_the_editor(page, tmp_path):
    pg = page
    sample_deals = metric(pg)
    path = tmp_path / "register.csv"
    path.write_bytes(REGISTER.to_csv(index=False).encode())
    drop(pg, path)
    see(pg, "Какой столбец содержит этап сделки?")

    pick(pg, "stSelectbox", "Этап", "col_a")
    see(pg, "«alpha», «beta», «gamma»")
    pick(pg, "stMultiSelect", "Значения «успех»", "omega")
    pick(pg, "stMultiSelect", "Значения «отказ»", "sigma")
    _preview_is(pg, "alpha 18 beta 9 gamma 5 Успех 2")
    pg.get_by_test_id("stTable").last.scroll_into_view_if_needed()
    pg.screenshot(path=str(SHOTS / "editor_register.png"))

    # until applied, the Funnel page keeps the sample and says a file waits
    nav(pg, "Воронка")
    see(pg, "ждёт разметки")
    expect_metric(pg, sample_deals)

    nav(pg, "Данные")
    see(pg, "Какой столбец содержит этап сделки?")
    # the choices were made on a page left since: make them again, then apply
    pick(pg, "stSelectbox", "Этап", "col_a")
    pick(pg, "stMultiSelect", "Значения «успех»", "omega")
    pick(pg, "stMultiSelect", "Значения «отказ»", "sigma")
    _preview_is(pg, "alpha 18 beta 9 gamma 5 Успех 2")
    pg.get_by_role("button", name="Применить").click()
    see(pg, "Разметка применена")

    nav(pg, "Воронка")
    see(pg, "Источник: register.csv")
    wait_chart(pg)
    # by hand: 18 deals, 2 won (omega), so a win rate of 2/18
    expect_metric(pg, "18", 0)
    expect_metric(pg, "2", 1)
    expect_metric(pg, "11,1\u00a0%", 2)
    pg.screenshot(path=str(SHOTS / "funnel_register.png"))


def test_a_guessed_order_is_said_on_the_funnel_page_until_confirmed(page, tmp_path):
    pg = page
    path = tmp_path / "флорп.csv"
    path.write_bytes(csv_bytes(GUESSED))
    drop(pg, path)
    see(pg, "Источник: флорп.csv")
    spec = infer_spec(read_table(path.read_bytes(), name=path.name).frame).spec
    assert spec.guessed  # nonsense stage names: only deal counts order them
    nav(pg, "Воронка")
    see(pg, "Порядок этапов угадан")
    wait_chart(pg)
    pg.wait_for_function("document.fonts.status === 'loaded'")
    pg.screenshot(path=str(SHOTS / "funnel_guess_note.png"))
    pg.get_by_role("button", name="Порядок верный").click()
    absent(pg, "Порядок этапов угадан", after="Порядок этапов подтверждён")
    # remembered: the Data page no longer gives detection's advice about the order
    nav(pg, "Данные")
    absent(pg, "Порядок этапов угадан", after="Что стоит знать о данных")
