"""Numbers, percentages, money, dates, month names and plurals for people, through Babel (CLDR).

Every function takes the language it writes in and never raises: a missing value (None, NaN,
pandas' NA) is «—», an infinity is «∞», an absurd magnitude is written in scientific form.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date, get_month_names
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_scientific,
    parse_pattern,
)

MISSING = "—"
# Beyond this no sales figure is real: a thousand trillion is written 1E15, not in 16 digits.
HUGE = 1e15
# CLDR writes a hyphen for the Russian minus; Russian print uses the minus sign itself.
_MINUS = {"ru": "\u2212"}
# English dates stay ISO (2026-03-02): CLDR's en "3/2/26" reads as 3 February to many readers.
_DATE_FORMAT = {"ru": "short", "en": "yyyy-MM-dd"}


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def _finite_or_none(value: object) -> float | None:
    """The value as a float, None when it is missing (None, NaN, NA, not a number at all)."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return None if math.isnan(number) else number


def _exact(value: object, number: float, decimals: int) -> Decimal:
    """The value rounded half away from zero, as people round (20.5 days -> 21), from its
    decimal text: the binary 2.675 is a hair under 2.675 and would round down."""
    exact_int = isinstance(value, int) and not isinstance(value, bool)
    text = str(value) if exact_int else repr(number)
    return Decimal(text).quantize(_step(decimals), rounding=ROUND_HALF_UP, context=_EXACT)


# Wide enough for any float's digits (a float has at most 17 significant and 308 of exponent,
# an int here is below HUGE): quantize never runs out of precision. One context for all calls:
# entering a local context cost more than the rounding.
_EXACT = Context(prec=420)


@cache
def _step(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def _signed(text: str, language: str) -> str:
    return text.replace("-", _MINUS[language]) if language in _MINUS else text


def _infinity(number: float, language: str) -> str:
    infinity = _locale(language).number_symbols["latn"]["infinity"]
    return _signed("-" + infinity if number < 0 else infinity, language)


def _scientific(number: float, language: str) -> str:
    return _signed(format_scientific(number, "0.#E0", locale=_locale(language)), language)


@cache
def _pattern(decimals: int) -> NumberPattern:
    # Parsed once: Babel would parse the pattern text again on every call.
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def number(value: object, decimals: int = 0, language: str = "ru") -> str:
    """A number with the language's separators, rounded half away from zero.

    >>> number(1234567.891, 2, "ru"), number(1234567.891, 2, "en")
    ('1\\xa0234\\xa0567,89', '1,234,567.89')
    >>> number(-2.5, 0, "ru"), number(-0.4, 0, "en"), number(None), number(float("-inf"), 0, "en")
    ('−3', '0', '—', '-∞')
    """
    num = _finite_or_none(value)
    if num is None:
        return MISSING
    if math.isinf(num):
        return _infinity(num, language)
    if abs(num) >= HUGE:
        return _scientific(num, language)
    exact = _exact(value, num, decimals)
    if exact == 0:
        exact = abs(exact)  # no «−0»
    return _signed(
        format_decimal(exact, format=_pattern(decimals), locale=_locale(language)), language
    )


@cache
def _with_fraction(language: str, kind: str, decimals: int) -> NumberPattern:
    """The locale's own ``percent`` or ``currency`` pattern (its spacing and sign placement)
    with ``decimals`` places; parsed once per language, kind and places (parsing it cost more
    than formatting the number)."""
    locale = _locale(language)
    pattern = (
        locale.percent_formats[None] if kind == "percent" else locale.currency_formats["standard"]
    )
    shaped = parse_pattern(pattern.pattern)
    shaped.frac_prec = (decimals, decimals)
    return shaped


def percent(value: object, decimals: int = 0, language: str = "ru") -> str:
    """A share as a percentage: «10,7 %» in Russian (CLDR puts a no-break space), "10.7%".

    >>> percent(0.1068, 1, "ru"), percent(0.1068, 1, "en"), percent(float("nan"), 1, "en")
    ('10,7\\xa0%', '10.7%', '—')
    """
    num = _finite_or_none(value)
    if num is None:
        return MISSING
    pattern = _with_fraction(language, "percent", decimals)
    if math.isinf(num) or abs(num) >= HUGE:
        return number(num * 100, decimals, language) + pattern.suffix[0]
    hundredths = _exact(num * 100, num * 100, decimals)  # rounded as shown
    if hundredths == 0:
        hundredths = abs(hundredths)
    prefix, suffix, group, point = _percent_parts(language, decimals)
    # The rounded Decimal written with Python's grouping, then the locale's symbols: what
    # Babel's format_percent writes (tests/test_i18n.py compares them), at a fifth of its cost
    # (a Funnel rerun writes a few hundred percentages).
    digits = format(abs(hundredths), f",.{max(decimals, 0)}f")
    digits = digits.translate({ord(","): group, ord("."): point})
    return _signed(("-" if hundredths < 0 else "") + prefix + digits + suffix, language)


@cache
def _percent_parts(language: str, decimals: int) -> tuple[str, str, str, str]:
    """The locale's percent pattern as (prefix, suffix, group symbol, decimal symbol)."""
    pattern = _with_fraction(language, "percent", decimals)
    symbols = _locale(language).number_symbols["latn"]
    sign = symbols["percentSign"]
    return (
        pattern.prefix[0].replace("%", sign),
        pattern.suffix[0].replace("%", sign),
        symbols["group"],
        symbols["decimal"],
    )


def money(value: object, sign: str = "", decimals: int = 0, language: str = "ru") -> str:
    """An amount with its currency sign where the language puts it: «1 200 000 ₽», "₽1,200,000";
    a sign of several letters (Br, a currency name) follows the number in either language.

    >>> money(1200000, "₽", 0, "ru"), money(1200000, "₽", 0, "en"), money(-5, "Br", 0, "en")
    ('1\\xa0200\\xa0000\\xa0₽', '₽1,200,000', '-5\\xa0Br')
    """
    num = _finite_or_none(value)
    if num is None:
        return MISSING
    if not sign:
        return number(value, decimals, language)
    if len(sign) > 1:  # a code or a name: CLDR would swap a known code for its own symbol
        return f"{number(value, decimals, language)}\u00a0{sign}"
    pattern = _with_fraction(language, "currency", decimals)
    if math.isinf(num) or abs(num) >= HUGE:  # Babel's patterns take no infinity: the same frame
        body = number(abs(num), decimals, language)
        prefix, suffix = (part[0].replace("¤", sign) for part in (pattern.prefix, pattern.suffix))
        return _signed("-" if num < 0 else "", language) + prefix + body + suffix
    exact = _exact(value, num, decimals)
    if exact == 0:
        exact = abs(exact)
    # A sign is no currency code Babel knows: it goes into the pattern's ¤ as it is.
    text = format_currency(
        exact, sign, format=pattern, locale=_locale(language), currency_digits=False
    )
    return _signed(text, language)


def money_short(value: object, sign: str = "", language: str = "ru") -> str:
    """A compact amount for sentences and tiles: «14,2 млн ₽», "₽14.2M"; under a thousand, whole.

    >>> money_short(14_200_000, "₽", "ru"), money_short(14_200_000, "₽", "en")
    ('14,2\\xa0млн\\xa0₽', '₽14.2M')
    >>> money_short(1e38, "₽", "ru"), money_short(999.4, "", "en")
    ('1E38\\xa0₽', '999')
    """
    num = _finite_or_none(value)
    if num is None:
        return MISSING
    if math.isinf(num) or abs(num) >= HUGE:
        return money(num, sign, 0, language)
    if abs(num) < 999.5:
        return money(num, sign, 0, language)
    if sign and len(sign) == 1:
        text = format_compact_currency(num, sign, locale=_locale(language), fraction_digits=1)
    else:
        text = format_compact_decimal(num, locale=_locale(language), fraction_digits=1)
        text += f"\u00a0{sign}" if sign else ""
    return _signed(text, language)


def date_text(value: date | datetime | None, language: str = "ru") -> str:
    """A day: «02.03.2026» in Russian, 2026-03-02 in English; «—» for none (NaT too).

    >>> date_text(date(2026, 3, 2), "ru"), date_text(date(2026, 3, 2), "en"), date_text(None)
    ('02.03.2026', '2026-03-02', '—')
    """
    if value is None or value != value:  # NaT is not equal to itself
        return MISSING
    return format_date(value, format=_DATE_FORMAT.get(language, "short"), locale=_locale(language))


def month_names(language: str, *, genitive: bool = False, short: bool = False) -> tuple[str, ...]:
    """The twelve month names, January first: «январь» as a name, «января» in ``genitive``
    («с января 2026»); ``short``: the abbreviations a chart axis uses.

    >>> month_names("ru")[2], month_names("ru", genitive=True)[2], month_names("en", short=True)[2]
    ('март', 'марта', 'Mar')
    """
    names = get_month_names(
        "abbreviated" if short else "wide",
        "format" if genitive else "stand-alone",
        locale=_locale(language),
    )
    return tuple(names[m] for m in range(1, 13))


def plural_category(n: object, language: str) -> str:
    """The CLDR plural category of ``n``: one, few, many or other (Russian), one or other
    (English). A whole float counts as the integer it is; a fraction is «other» in Russian
    (14,5 продажи); a missing or infinite count is «other».

    >>> [plural_category(n, "ru") for n in (1, 2, 5, 11, 21, 101, 112, 14.5)]
    ['one', 'few', 'many', 'many', 'one', 'one', 'many', 'other']
    >>> plural_category(1.0, "en"), plural_category(float("inf"), "ru")
    ('one', 'other')
    """
    num = _finite_or_none(n)
    if num is None or math.isinf(num):
        return "other"
    size = abs(num)
    operand = Decimal(int(size)) if size == int(size) else Decimal(repr(size))
    return _locale(language).plural_form(operand)


def plural(n: object, forms: Mapping[str, str], language: str) -> str:
    """The form of a word for ``n`` from its forms keyed by CLDR category ("other" is required).

    >>> plural(3, {"one": "заявка", "few": "заявки", "many": "заявок", "other": "заявки"}, "ru")
    'заявки'
    """
    return forms.get(plural_category(n, language), forms["other"])
