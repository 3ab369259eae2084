"""UI strings in Russian and English, and numbers, money and dates in the session's language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from funnel.report import formats
from funnel.values import NONE_LABEL
from ui.strings import (
    access,
    channels,
    editor,
    errors,
    limits,
    notices,
    pages,
    planner,
    report,
    sheets,
    trends,
    workspaces,
)
from ui.strings.words import word

LANGS = ("ru", "en")
NBSP = "\u00a0"

# CRMs write the currency as a code or as its full name (Bitrix24: "Российский рубль"); keys
# are case-folded with single spaces, see currency_sign.
_CURRENCY_NAMES = {
    "₽": ("rub", "rur", "руб", "руб.", "рубль", "рублей", "российский рубль", "russian ruble"),
    "$": ("usd", "us$", "доллар", "доллар сша", "us dollar", "u.s. dollar", "american dollar"),
    "€": ("eur", "евро", "euro"),
    "₸": ("kzt", "тенге", "казахстанский тенге", "kazakhstani tenge"),
    "Br": ("byn", "byr", "белорусский рубль", "belarusian ruble"),
    "₴": ("uah", "гривна", "украинская гривна", "ukrainian hryvnia"),
    "": ("", "(none)"),
}
CURRENCY_SIGNS = {name: sign for sign, names in _CURRENCY_NAMES.items() for name in names}

STRINGS: dict[str, dict[str, str]] = {}
# Each feature keeps its strings in its own table under ui/strings/; keys must not collide.
for _table in (
    pages.STRINGS,
    errors.STRINGS,
    notices.STRINGS,
    sheets.STRINGS,
    trends.STRINGS,
    planner.STRINGS,
    editor.STRINGS,
    limits.STRINGS,
    report.STRINGS,
    workspaces.STRINGS,
    access.STRINGS,
    channels.STRINGS,
):
    if _clash := STRINGS.keys() & _table.keys():
        raise RuntimeError(f"duplicate UI string keys: {sorted(_clash)}")
    STRINGS.update(_table)


# Where lang() keeps the language it read in the current run, on Streamlit's run context.
_READ = "_voronka_lang"


def lang() -> str:
    """The current UI language, from the session (set by the sidebar switch).

    Read from the session once per run of the script: a page asks for it some 150 times (every
    word), and each read of the session state takes its lock. The session's value is fixed by
    the time the first word is written (the link's language and the default are set at the
    top of app.py); a run that finds no value yet reads again."""
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "cursors", None)  # made anew by Streamlit for every run
    kept = getattr(ctx, _READ, None)
    if kept is not None and kept[0] is run:
        return kept[1]
    value = st.session_state.get("lang")
    language = value if value in LANGS else "ru"
    if run is not None and value is not None:
        setattr(ctx, _READ, (run, language))
    return language


def t(key: str, /, **params: Any) -> str:
    """The string ``key`` in the current language with ``params`` filled in."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang()) or entry["en"]
    return text.format(**params) if params else text


def quoted(text: object, language: str | None = None) -> str:
    """«text» in Russian, “text” in English.

    >>> quoted("Сайт", "ru"), quoted("Site", "en")
    ('«Сайт»', '“Site”')
    """
    return f"«{text}»" if (language or lang()) == "ru" else f"“{text}”"


def default_lang() -> str:
    """Russian unless the browser asks for English (or another non-Russian locale)."""
    locale = None
    try:
        locale = st.context.locale
    except Exception:  # older Streamlit or no browser context (AppTest)
        locale = None
    if locale and not str(locale).lower().startswith("ru"):
        return "en"
    return "ru"


def role_label(role: str) -> str:
    return dim_label(role)


def segment_name(label: str) -> str:
    """A segment's label for people: the engine's «(none)» (no value) in the UI's language."""
    return t("none_segment") if label == NONE_LABEL else label


def dim_label(dim: str) -> str:
    for prefix in ("role_", "dim_"):
        if prefix + dim in STRINGS:
            return t(prefix + dim)
    return dim


# ---- numbers, money, dates, plurals: funnel.report.formats (Babel), in the UI language ------


def fmt_number(value: float | int | None, decimals: int = 0, language: str | None = None) -> str:
    """1 200 000,50 (ru, NBSP groups) or 1,200,000.50 (en); '—' for missing.

    >>> fmt_number(1200000.5, 2, "ru"), fmt_number(1200000.5, 2, "en")
    ('1\xa0200\xa0000,50', '1,200,000.50')
    """
    return formats.number(value, decimals, language or lang())


def fmt_pct(value: float | None, decimals: int = 0, language: str | None = None) -> str:
    """10,7 % (ru, a no-break space before the sign) or 10.7% (en); '—' for missing.

    >>> fmt_pct(0.1068, 1, "ru"), fmt_pct(0.1068, 1, "en")
    ('10,7\xa0%', '10.7%')
    """
    return formats.percent(value, decimals, language or lang())


def currency_sign(code: str | None) -> str:
    """₽ for "RUB", " российский  рубль " and the like; an unknown currency stays as written.

    >>> currency_sign("Российский рубль"), currency_sign(" usd "), currency_sign("CNY")
    ('₽', '$', 'CNY')
    """
    if not code:
        return ""
    text = " ".join(str(code).split())
    return CURRENCY_SIGNS.get(text.casefold(), text)


def fmt_money(
    value: float | None,
    currency: str | None = "",
    decimals: int = 0,
    language: str | None = None,
) -> str:
    """1 200 000 ₽ (ru) / ₽1,200,000 (en); a code without a sign goes after the number.

    >>> fmt_money(1200000, "RUB", language="ru"), fmt_money(1200000, "RUB", language="en")
    ('1\xa0200\xa0000\xa0₽', '₽1,200,000')
    """
    return formats.money(value, currency_sign(currency), decimals, language or lang())


def fmt_money_short(
    value: float | None, currency: str | None = "", language: str | None = None
) -> str:
    """14,2 млн ₽ / ₽14.2M: compact amounts for sentences; never raises on an absurd value.

    >>> fmt_money_short(14_200_000, "RUB", "ru"), fmt_money_short(14_200_000, "RUB", "en")
    ('14,2\xa0млн\xa0₽', '₽14.2M')
    """
    return formats.money_short(value, currency_sign(currency), language or lang())


def fmt_date(value: date | datetime | None, language: str | None = None) -> str:
    """02.03.2026 (ru) / 2026-03-02 (en); '—' for none."""
    return formats.date_text(value, language or lang())


def plural_deals(n: float, language: str | None = None, *, accusative: bool = False) -> str:
    """«сделка», «сделки», «сделок» (or «сделку», ``accusative``) for ``n``; deal/deals.

    >>> plural_deals(21, "ru"), plural_deals(21, "ru", accusative=True), plural_deals(2, "en")
    ('сделка', 'сделку', 'deals')
    """
    return word("w_deal_acc" if accusative else "w_deal_nom", n, language or lang())
