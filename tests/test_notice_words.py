"""Notices in words: every code the core emits is worded in English for the CLI and the JSON
report (funnel/report/words.py) and in Russian and English in the app (ui/notices.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from funnel.notices import Notice
from funnel.report import words
from ui import i18n, notices

FUNNEL = Path(__file__).resolve().parent.parent / "funnel"


def emitted_codes() -> set[str]:
    """Every code the core can emit, read from the source: each ``Notice("code"`` call."""
    # A spend table's row notices are made by one helper, named by its first argument.
    pattern = re.compile(r'\b(?:Notice|_?listed)\(\s*"([a-z0-9_]+)"')
    return {code for path in FUNNEL.rglob("*.py") for code in pattern.findall(path.read_text())}


# One notice per code, with the parameters its emitter passes (lists as lists).
EXAMPLES: dict[str, dict[str, Any]] = {
    "title_rows_skipped": {"count": 2},
    "two_row_header": {},
    "junk_rows_dropped": {"count": 1},
    "empty_columns_dropped": {"count": 3},
    "sheet_chosen": {"sheet": "Сделки", "count": 2},
    "detect_events_marks_stage": {"stage": "Оплата", "key": "Сделка"},
    "detect_payment_is_won": {"column": "Дата оплаты"},
    "detect_stage_date_match": {"column": "engage_date", "stage": "Engaging"},
    "detect_order_evidence": {"basis": "crm_default", "crm": "amoCRM"},
    "detect_order_guess": {"reason": "mixed", "stages": ["Демо", "КП"]},
    "detect_date_pipelines": {"chosen": "Sales", "others": ["", "Partners"]},
    "detect_history_no_key": {},
    "detect_history_columns": {},
    "detect_history_by_title": {"column": "Название"},
    "detect_pipelines": {"n": 3, "largest": "Продажи", "count": 120, "others": ["Опт", "VIP"]},
    "detect_bitrix_prefixes": {"prefixes": ["", "C1:"], "main": ""},
    "detect_no_stage": {},
    "detect_no_amount": {},
    "detect_no_created": {},
    "detect_lost_stage_unknown": {"values": ["Закрыто и не реализовано"]},
    "detect_paid_is_won": {"value": "Оплачено"},
    "detect_paid_is_stage": {"value": "Оплачено"},
    "detect_no_outcomes": {},
    "filtered_out": {"count": 1200, "filter": {"pipeline": ["Продажи", "продажи"]}},
    "events_unmatched": {"count": 1249, "total": 5000},
    "lost_stage_unknown": {"count": 3, "lost": 5},
    "unmapped_stage": {"count": 7, "values": {"Пауза": 5, "": 2}, "rows": "history"},
    "stage_value_absent": {"values": ["Счёт", "Слив"]},
    "history_only_deals": {"count": 4},
    "unplaced_deals": {"count": 1},
    "absurd_amounts": {"count": 2, "row_numbers": [1, 2], "deal_ids": ["17", "18"]},
    "spend_total_rows": {"rows": 1, "amount": 1340.0, "first_rows": [7], "values": ["Итого"]},
    "spend_period_unread": {
        "rows": 2,
        "amount": 500.0,
        "first_rows": [3, 4],
        "values": ["весна", "?"],
    },
    "spend_negative": {"rows": 1, "amount": -500.0, "first_rows": [5], "values": ["Директ"]},
    "spend_scaled": {"column": "Расход, тыс. руб.", "factor": 1000.0, "unit": "thousands"},
    "spend_no_channel": {"amount": 1100.5},
    "spend_other_currency": {"currency": "RUB", "other": {"USD": 50.0}},
    "spend_outside_data": {"amount": 700.0},
    "spend_no_created": {},
    "spend_no_role": {"role": "channel"},
}


@pytest.fixture(params=["ru", "en"])
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(i18n, "lang", lambda: request.param)
    return str(request.param)


def test_every_code_the_core_emits_has_an_example_here():
    assert emitted_codes() == set(EXAMPLES)


def test_every_code_is_worded_in_english_and_in_both_app_languages():
    for code in emitted_codes():
        assert code in words.TEMPLATES, code
        entry = i18n.STRINGS.get(f"n_{code}")
        assert entry is not None and entry.get("ru") and entry.get("en"), code


def test_no_notice_wording_is_left_without_a_code():
    """A catalogue entry or template no emitter uses is dead text."""
    codes = emitted_codes()
    assert set(words.TEMPLATES) == codes
    assert {k.removeprefix("n_") for k in i18n.STRINGS if k.startswith("n_")} == codes


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_every_notice_renders_whole(code: str, language: str):
    notice = Notice(code, EXAMPLES[code])
    for text in (words.notice_text(notice), notices.notice_text(notice)):
        assert text and "{" not in text and "}" not in text and f"n_{code}" not in text, text
    if language == "ru":
        assert re.search("[а-яё]", notices.notice_text(notice)), code


ENGLISH = [
    (
        "filtered_out",
        {"count": 12, "filter": {"pipeline": ["Sales", "sales"], "channel": ["Web"]}},
        "12 rows left out by the spec's filter pipeline: Sales, sales; channel: Web",
    ),
    (
        "unmapped_stage",
        {"count": 7, "values": {"Пауза": 5, "": 2}, "rows": "history"},
        "7 stage history rows have a stage value that is not in the spec's stages, won or lost "
        "and were left out: «Пауза» (5), «(empty)» (2). Add these values to a stage's 'match', "
        "or to won/lost.",
    ),
    (
        "detect_order_evidence",
        {"basis": "crm_default", "crm": "amoCRM"},
        "Stage order from the CRM's default pipeline (amoCRM).",
    ),
    (
        "detect_order_guess",
        {"reason": "mixed", "stages": ["Демо", "КП"]},
        "The stage order is a guess: the file does not tell where «Демо», «КП» go: they are "
        "placed by deal counts. Check it and reorder 'stages'.",
    ),
    (
        "detect_bitrix_prefixes",
        {"prefixes": ["", "C1:"], "main": ""},
        "Stage values carry Bitrix24 pipeline prefixes (none, C1:); the stages proposed are "
        "those of the main pipeline only. Map the «Направление» column as 'pipeline' and filter "
        "on it to switch.",
    ),
    ("title_rows_skipped", {"count": 1}, "1 title row above the header skipped"),
    ("empty_columns_dropped", {"count": 2}, "2 empty unnamed columns dropped"),
    (
        "sheet_chosen",
        {"sheet": "Сделки", "count": 3},
        "sheet «Сделки» chosen as the largest table of 3 sheets",
    ),
]


@pytest.mark.parametrize(("code", "params", "expected"), ENGLISH)
def test_the_cli_and_report_sentence(code: str, params: dict[str, Any], expected: str):
    assert words.notice_text(Notice(code, params)) == expected


APP = [
    (
        "ru",
        "events_unmatched",
        {"count": 1249, "total": 5000},
        "1\u00a0249 из 5\u00a0000 строк второго файла не совпали ни с одной сделкой и не учтены.",
    ),
    (
        "en",
        "events_unmatched",
        {"count": 1249, "total": 5000},
        "1,249 of 5,000 rows of the second file match no deal and are left out.",
    ),
    (
        "ru",
        "detect_order_evidence",
        {"basis": "crm_default", "crm": "amoCRM"},
        "Порядок этапов взят из: стандартного порядка amoCRM.",
    ),
    (
        "en",
        "detect_paid_is_won",
        {"value": "Paid"},
        "No value says a deal was won: “Paid” (paid) counts as won.",
    ),
    (
        "ru",
        "filtered_out",
        {"count": 12, "filter": {"pipeline": ["Продажи"]}},
        "12 строк исключены фильтром разметки (Воронка в CRM: «Продажи»). Сменить воронку "
        "можно в боковой панели.",
    ),
    (
        "en",
        "unmapped_stage",
        {"count": 7, "values": {"Пауза": 5, "": 2}, "rows": "history"},
        "7 stage history rows have a stage value that is not in the mapping and were left out: "
        "“Пауза” (5), “(empty)” (2). Fix: add these values to a stage's 'Values' or to won/lost "
        "on the Data page.",
    ),
    (
        "ru",
        "detect_bitrix_prefixes",
        {"prefixes": ["", "C1:"], "main": ""},
        "Стадии содержат префиксы направлений Битрикс24 (без префикса, C1:); предложены стадии "
        "основного направления. Укажите столбец «Направление» как воронку, чтобы переключаться.",
    ),
]


@pytest.mark.parametrize(("lang", "code", "params", "expected"), APP)
def test_the_app_sentence(
    monkeypatch: pytest.MonkeyPatch, lang: str, code: str, params: dict[str, Any], expected: str
):
    monkeypatch.setattr(i18n, "lang", lambda: lang)
    assert notices.notice_text(Notice(code, params)) == expected
