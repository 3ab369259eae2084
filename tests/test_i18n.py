"""Numbers, money, percentages, dates, month names and plurals as people read them in Russian
and English (through Babel, CLDR), and never an exception, whatever the number."""

from __future__ import annotations

import doctest
import importlib
import math
import pkgutil
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from babel import Locale
from hypothesis import given
from hypothesis import strategies as st

import ui.strings
from funnel.report import formats
from ui.i18n import (
    STRINGS,
    fmt_date,
    fmt_money,
    fmt_money_short,
    fmt_number,
    fmt_pct,
    plural_deals,
)
from ui.strings.planner import forms, plural
from ui.strings.trends import cohort_since, cohort_title, cohort_words
from ui.strings.words import WORDS, word

NB = "\u00a0"  # CLDR's Russian group separator and the space before "%" and "₽"
INF = float("inf")
NAN = float("nan")


@pytest.mark.parametrize(
    ("value", "decimals", "ru", "en"),
    [
        (0, 0, "0", "0"),
        (7, 0, "7", "7"),
        (1249, 0, f"1{NB}249", "1,249"),
        (1_200_000.5, 2, f"1{NB}200{NB}000,50", "1,200,000.50"),
        (20.5, 0, "21", "21"),  # half away from zero, as people round
        (2.675, 2, "2,68", "2.68"),  # the decimal text, not the binary value under it
        (-2.5, 0, "−3", "-3"),  # Russian print uses the minus sign
        (-0.0, 0, "0", "0"),
        (-0.4, 0, "0", "0"),
        (np.int64(1249), 0, f"1{NB}249", "1,249"),
        (np.float64(0.5), 1, "0,5", "0.5"),
        (123_456_789_012_345, 0, f"123{NB}456{NB}789{NB}012{NB}345", "123,456,789,012,345"),
        (1e38, 0, "1E38", "1E38"),
        (-1.5e20, 2, "−1,5E20", "-1.5E20"),
        (10**40, 0, "1E40", "1E40"),
        (1e309, 0, "∞", "∞"),
        (-INF, 0, "−∞", "-∞"),
        (NAN, 0, "—", "—"),
        (None, 0, "—", "—"),
        (pd.NA, 0, "—", "—"),
        ("not a number", 0, "—", "—"),
    ],
)
def test_numbers(value, decimals, ru, en):
    assert fmt_number(value, decimals, "ru") == ru
    assert fmt_number(value, decimals, "en") == en


@pytest.mark.parametrize(
    ("value", "decimals", "ru", "en"),
    [
        (0.1068, 1, f"10,7{NB}%", "10.7%"),
        (0.1068, 0, f"11{NB}%", "11%"),
        (0, 0, f"0{NB}%", "0%"),
        (1, 0, f"100{NB}%", "100%"),
        (12.3456, 2, f"1{NB}234,56{NB}%", "1,234.56%"),
        (-0.05, 0, f"−5{NB}%", "-5%"),
        (-0.001, 0, f"0{NB}%", "0%"),
        (0.00125, 1, f"0,1{NB}%", "0.1%"),  # 0.125 % rounds half up, not to even
        (1e38, 1, f"1E40{NB}%", "1E40%"),
        (1e309, 0, f"∞{NB}%", "∞%"),
        (-INF, 0, f"−∞{NB}%", "-∞%"),
        (NAN, 1, "—", "—"),
        (None, 1, "—", "—"),
    ],
)
def test_percentages(value, decimals, ru, en):
    assert fmt_pct(value, decimals, "ru") == ru
    assert fmt_pct(value, decimals, "en") == en


@pytest.mark.parametrize(
    ("value", "currency", "ru", "en"),
    [
        (1_200_000, "RUB", f"1{NB}200{NB}000{NB}₽", "₽1,200,000"),
        (1_200_000, "Российский рубль", f"1{NB}200{NB}000{NB}₽", "₽1,200,000"),
        (-5_000, "USD", f"−5{NB}000{NB}$", "-$5,000"),
        (1_500, "EUR", f"1{NB}500{NB}€", "€1,500"),
        (1_500, "BYN", f"1{NB}500{NB}Br", f"1,500{NB}Br"),
        (1_500, "CNY", f"1{NB}500{NB}CNY", f"1,500{NB}CNY"),
        (1_500, "", f"1{NB}500", "1,500"),
        (1_500, None, f"1{NB}500", "1,500"),
        (-0.0, "RUB", f"0{NB}₽", "₽0"),
        (1e38, "RUB", f"1E38{NB}₽", "₽1E38"),
        (1e309, "RUB", f"∞{NB}₽", "₽∞"),
        (-INF, "USD", f"−∞{NB}$", "-$∞"),
        (NAN, "RUB", "—", "—"),
        (None, "RUB", "—", "—"),
    ],
)
def test_money(value, currency, ru, en):
    assert fmt_money(value, currency, language="ru") == ru
    assert fmt_money(value, currency, language="en") == en


@pytest.mark.parametrize(
    ("value", "currency", "ru", "en"),
    [
        (14_200_000, "RUB", f"14,2{NB}млн{NB}₽", "₽14.2M"),
        (28_200_003, "", f"28,2{NB}млн", "28.2M"),
        (-55_700_000, "Российский рубль", f"−55,7{NB}млн{NB}₽", "-₽55.7M"),
        (1_500, "RUB", f"1,5{NB}тыс.{NB}₽", "₽1.5K"),
        (3_400_000_000, "USD", f"3,4{NB}млрд{NB}$", "$3.4B"),
        (2_500_000, "BYN", f"2,5{NB}млн{NB}Br", f"2.5M{NB}Br"),
        (999_950, "", f"1{NB}млн", "1M"),  # rounds up into the next unit, not «1000 тыс.»
        (999, "RUB", f"999{NB}₽", "₽999"),
        (0, "RUB", f"0{NB}₽", "₽0"),
        (-0.0, "", "0", "0"),
        (1e38, "RUB", f"1E38{NB}₽", "₽1E38"),  # once decimal.InvalidOperation
        (1e309, "RUB", f"∞{NB}₽", "₽∞"),
        (-INF, "", "−∞", "-∞"),
        (NAN, "RUB", "—", "—"),
        (None, "RUB", "—", "—"),
    ],
)
def test_short_money(value, currency, ru, en):
    assert fmt_money_short(value, currency, "ru") == ru
    assert fmt_money_short(value, currency, "en") == en


@pytest.mark.parametrize(
    ("value", "ru", "en"),
    [
        (date(2026, 3, 2), "02.03.2026", "2026-03-02"),
        (datetime(2026, 12, 31, 23, 59), "31.12.2026", "2026-12-31"),
        (pd.Timestamp("2026-01-05"), "05.01.2026", "2026-01-05"),
        (pd.NaT, "—", "—"),
        (None, "—", "—"),
    ],
)
def test_dates(value, ru, en):
    assert fmt_date(value, "ru") == ru
    assert fmt_date(value, "en") == en


COUNTS = (1, 2, 5, 11, 21, 101, 112, 14.5)


@pytest.mark.parametrize(
    ("key", "language", "expected"),
    [
        (
            "w_deal_nom",
            "ru",
            ["сделка", "сделки", "сделок", "сделок", "сделка", "сделка", "сделок", "сделки"],
        ),
        (
            "w_deal_acc",
            "ru",
            ["сделку", "сделки", "сделок", "сделок", "сделку", "сделку", "сделок", "сделки"],
        ),
        (
            "w_leads",
            "ru",
            ["заявка", "заявки", "заявок", "заявок", "заявка", "заявка", "заявок", "заявки"],
        ),
        (
            "w_won",
            "ru",
            ["продажа", "продажи", "продаж", "продаж", "продажа", "продажа", "продаж", "продажи"],
        ),
        (
            "w_deals_gen",
            "ru",
            ["сделки", "сделок", "сделок", "сделок", "сделки", "сделки", "сделок", "сделки"],
        ),
        ("w_bring", "ru", ["даст", "дадут", "дадут", "дадут", "даст", "даст", "дадут", "дадут"]),
        ("w_deal_nom", "en", ["deal"] + ["deals"] * 7),
        ("w_leads", "en", ["lead"] + ["leads"] * 7),
    ],
)
def test_words_agree_with_the_number(key, language, expected):
    assert [word(key, n, language) for n in COUNTS] == expected


def test_deal_words_through_the_old_names():
    assert [plural_deals(n, "ru") for n in COUNTS] == [word("w_deal_nom", n, "ru") for n in COUNTS]
    assert plural_deals(21, "ru", accusative=True) == "сделку"
    assert plural_deals(1, "en") == "deal" and plural_deals(0, "en") == "deals"
    assert forms("w_leads", 4) == "заявки" and forms("w_won", 1, "en") == "won deal"
    three = ("заявка", "заявки", "заявок")
    assert [plural(n, *three) for n in COUNTS] == [word("w_leads", n, "ru") for n in COUNTS]


@pytest.mark.parametrize("n", [0, -1, -21, 1.0, 2.0, NAN, INF, -INF, None, 10**30])
def test_plurals_take_any_count(n):
    for language in ("ru", "en"):
        assert word("w_deal_nom", n, language) in WORDS["w_deal_nom"][language].values()
    assert word("w_deal_nom", 1.0, "en") == "deal" and word("w_deal_nom", -21, "ru") == "сделка"


@pytest.mark.parametrize("key", sorted(WORDS))
def test_every_word_has_the_forms_its_languages_need(key):
    for language in ("ru", "en"):
        forms_ = WORDS[key][language]
        assert set(forms_) == set(Locale.parse(language).plural_form.tags) | {"other"}, key


def test_month_names_are_cldr_s():
    assert formats.month_names("ru")[:3] == ("январь", "февраль", "март")
    assert formats.month_names("ru", genitive=True)[4] == "мая"
    assert formats.month_names("en")[11] == "December"
    assert len(formats.month_names("ru", short=True)) == 12
    assert STRINGS["tw_months_short"]["en"].split("|")[0] == "Jan"


@pytest.mark.parametrize(
    ("label", "period", "language", "words", "since", "title"),
    [
        ("2026-03", "month", "ru", "март 2026", "марта 2026", "Март 2026"),
        ("2026-03", "month", "en", "March 2026", "March 2026", "March 2026"),
        ("2026Q1", "quarter", "ru", "I кв. 2026", "I кв. 2026", "I кв. 2026"),
        ("2026Q4", "quarter", "en", "Q4 2026", "Q4 2026", "Q4 2026"),
        ("2026-03-02/2026-03-08", "week", "ru", "неделя с 02.03.2026", "02.03.2026", None),
        ("2026-03-02/2026-03-08", "week", "en", "week of 2026-03-02", "2026-03-02", None),
    ],
)
def test_cohorts_in_words(label, period, language, words, since, title):
    assert cohort_words(label, period, language) == words
    assert cohort_since(label, period, language) == since
    assert cohort_title(label, period, language) == (title or words[:1].upper() + words[1:])


def test_a_period_has_its_own_strings():
    for period in ("week", "month", "quarter"):
        assert STRINGS[f"tr_title_unit_{period}"]["ru"] and STRINGS[f"tr_shift_unit_{period}"]


def test_the_stale_comparison_note_is_gone():
    assert "compare_pending" not in STRINGS


def test_an_absurd_leak_still_makes_a_sentence():
    from funnel.diagnostics import Leak
    from ui.leaks import leak_sentence

    leak = Leak(
        step=0, stage_from="Заявка", stage_to="Счёт", trials=10, rate=0.5, lost_deals=5,
        lost_amount=1e38, currency="RUB", by=("channel",), best_segment="Сайт", best_rate=0.9,
        worst_segment="Email", worst_rate=0.1, worst_trials=100, significant=True,
        extra_won=3.0, extra_won_amount=1e309, all_extra_won=3.0, all_extra_won_amount=INF,
        too_small=False,
    )  # fmt: skip
    for language in ("ru", "en"):
        text = leak_sentence(leak, language)
        assert "1E38" in text and "∞" in text, text


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.none(),
)


@given(value=numbers, decimals=st.integers(0, 4))
def test_no_number_breaks_a_formatter(value, decimals):
    for language in ("ru", "en"):
        for text in (
            formats.number(value, decimals, language),
            formats.percent(value, decimals, language),
            formats.money(value, "₽", decimals, language),
            formats.money(value, "Br", decimals, language),
            formats.money_short(value, "₽", language),
            formats.money_short(value, "", language),
        ):
            assert text and "nan" not in text.lower() and "E+" not in text
            assert len(text) < 40, text  # compact: never 300 digits
        word("w_deal_nom", value, language)
    if value is not None and not (isinstance(value, float) and math.isnan(value)):
        assert formats.number(value, decimals, "en") != "—"


MODULES = [
    "funnel.report.formats",
    "ui.i18n",
    "ui.strings.words",
    "ui.strings.planner",
    "ui.strings.trends",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


# Russian names the error's code where English gives the engine's own sentence; a Russian
# quarter is written in Roman numerals (IV кв. 2026), an English one as Q4 2026.
_FIELDS_DIFFER = {"error_read", "error_spec", "tw_quarter_fmt"}
# Every module of ui/strings holds a table, but words.py (plural forms, looked up apart).
STRING_TABLES = sorted(
    m.name for m in pkgutil.iter_modules(ui.strings.__path__) if m.name != "words"
)


@pytest.mark.parametrize("table", STRING_TABLES)
def test_every_string_table_has_both_languages_with_the_same_fields(table):
    import string

    strings = importlib.import_module(f"ui.strings.{table}").STRINGS
    for key, entry in strings.items():
        assert set(entry) == {"ru", "en"}, key
        assert bool(entry["ru"]) == bool(entry["en"]), key  # blank only on purpose, in both
        fields = [
            sorted({f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f})
            for lang in ("ru", "en")
        ]
        assert fields[0] == fields[1] or key in _FIELDS_DIFFER, (key, fields)


def test_the_tables_are_merged_whole_and_no_key_is_in_two():
    tables = [importlib.import_module(f"ui.strings.{t}").STRINGS for t in STRING_TABLES]
    from ui import i18n

    assert sum(len(t) for t in tables) == len(i18n.STRINGS)


def _babel_percent(value: float, decimals: int, language: str) -> str:
    """Babel's own format_percent of the value rounded as Voronka rounds it: the reference
    the fast percentage writer must equal."""
    from decimal import Decimal, localcontext

    from babel.numbers import format_percent, parse_pattern

    pattern = parse_pattern(Locale.parse(language).percent_formats[None].pattern)
    pattern.frac_prec = (decimals, decimals)
    hundredths = formats._exact(value * 100, value * 100, decimals)
    if hundredths == 0:
        hundredths = abs(hundredths)
    with localcontext(prec=400 + decimals):
        share: Decimal = hundredths / 100
    text = format_percent(share, format=pattern, locale=Locale.parse(language))
    return text.replace("-", "\u2212") if language == "ru" else text


@given(
    st.one_of(
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
        st.sampled_from([0.0, -0.0, 0.125, 0.00125, -0.004, 0.995, 9.995, 12.345, 1e6]),
    ),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(["ru", "en"]),
)
def test_percent_writes_what_babel_writes(value, decimals, language):
    assert formats.percent(value, decimals, language) == _babel_percent(value, decimals, language)
