"""Words that agree with a number, their forms keyed by CLDR plural category
(funnel.report.formats.plural).

Russian has one (1, 21, 101), few (2-4, 22-24), many (5-20, 11-14, 25-30) and other (fractions:
14,5 продажи, the genitive singular); English has one and other.
"""

from __future__ import annotations

from funnel.report.formats import plural


def _ru(one: str, few: str, many: str, other: str | None = None) -> dict[str, str]:
    return {"one": one, "few": few, "many": many, "other": few if other is None else other}


def _en(one: str, other: str) -> dict[str, str]:
    return {"one": one, "other": other}


WORDS: dict[str, dict[str, dict[str, str]]] = {
    # 1 сделка, 2 сделки, 5 сделок
    "w_deal_nom": {"ru": _ru("сделка", "сделки", "сделок"), "en": _en("deal", "deals")},
    # the accusative differs only in the singular: «выиграли бы ещё 1 сделку»
    "w_deal_acc": {"ru": _ru("сделку", "сделки", "сделок"), "en": _en("deal", "deals")},
    # «меньше 1 сделки», «меньше 5 сделок»
    "w_deals_gen": {"ru": _ru("сделки", "сделок", "сделок", "сделки"), "en": _en("deal", "deals")},
    # «по 1 сделке», «по 5 сделкам»
    "w_deals_dat": {"ru": _ru("сделке", "сделкам", "сделкам"), "en": _en("deal", "deals")},
    "w_leads": {"ru": _ru("заявка", "заявки", "заявок"), "en": _en("lead", "leads")},
    "w_won": {"ru": _ru("продажа", "продажи", "продаж"), "en": _en("won deal", "won deals")},
    # the verb agrees too: «21 заявка даст», «5 заявок дадут»
    "w_bring": {"ru": _ru("даст", "дадут", "дадут"), "en": _en("brings", "bring")},
    "w_judged": {"ru": _ru("оценённой", "оценённых", "оценённых"), "en": _en("judged", "judged")},
    "w_open": {
        "ru": _ru("открытая", "открытые", "открытых"),
        "en": _en("open deal", "open deals"),
    },
}


def word(key: str, n: object, language: str) -> str:
    """The form of the word ``key`` that agrees with ``n`` in ``language``.

    >>> [word("w_leads", n, "ru") for n in (1, 2, 5, 11, 21, 101, 112, 14.5)]
    ['заявка', 'заявки', 'заявок', 'заявок', 'заявка', 'заявка', 'заявок', 'заявки']
    >>> word("w_won", 1, "en"), word("w_won", 14.5, "en"), word("w_deal_acc", 21, "ru")
    ('won deal', 'won deals', 'сделку')
    """
    entry = WORDS[key]
    return plural(n, entry.get(language) or entry["en"], language)
