"""The client report's words in Russian and English: titles, headers, findings as sentences.

Every number, share, amount and date goes through ``funnel.report.formats`` (Babel), every
counted noun through its CLDR plural. Sentences are plain text: the template escapes them and
whatever names from the file they carry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from funnel.document import words_economics
from funnel.report import formats

# A currency as CRMs write it -> the sign a reader expects.
_SIGNS = {
    "₽": ("rub", "rur", "руб", "руб.", "рубль", "рублей", "российский рубль", "russian ruble"),
    "$": ("usd", "us$", "доллар", "доллар сша", "us dollar"),
    "€": ("eur", "евро", "euro"),
    "₸": ("kzt", "тенге", "казахстанский тенге"),
    "Br": ("byn", "byr", "белорусский рубль", "belarusian ruble"),
    "₴": ("uah", "гривна", "украинская гривна"),
    "": ("", "(none)"),
}
_SIGN_OF = {name: sign for sign, names in _SIGNS.items() for name in names}

W: dict[str, dict[str, str]] = {
    "won": {"ru": "Выиграно", "en": "Won"},
    "created": {"ru": "Создана", "en": "Created"},
    "none_segment": {"ru": "(не указано)", "en": "(not given)"},
    "whole": {"ru": "Все сделки", "en": "All deals"},
    "report": {"ru": "Отчёт по воронке продаж", "en": "Sales funnel report"},
    "source": {"ru": "Источник данных", "en": "Data source"},
    "period": {"ru": "Период (создание сделок)", "en": "Period (deals created)"},
    "period_unknown": {"ru": "даты создания не указаны", "en": "creation dates not given"},
    "filters": {"ru": "Фильтры", "en": "Filters"},
    "created_range": {"ru": "созданы {start} – {end}", "en": "created {start} – {end}"},
    "no_filters": {"ru": "нет, все сделки файла", "en": "none, every deal in the file"},
    "made": {"ru": "Подготовлен", "en": "Prepared on"},
    "language": {"ru": "Язык", "en": "Language"},
    "language_name": {"ru": "русский", "en": "English"},
    "deals_in": {"ru": "Сделок в отчёте", "en": "Deals in the report"},
    "contents": {"ru": "Содержание", "en": "Contents"},
    "sec_conclusions": {"ru": "Выводы", "en": "Conclusions"},
    "sec_funnel": {"ru": "Воронка", "en": "The funnel"},
    "sec_compare": {"ru": "Каналы и продукты рядом", "en": "Channels and products side by side"},
    "sec_leaks": {"ru": "Слабые места", "en": "Weak points"},
    "sec_trends": {"ru": "Динамика по когортам", "en": "Trends by cohort"},
    "sec_changes": {"ru": "До и после изменений", "en": "Before and after changes"},
    "sec_velocity": {"ru": "Скорость и зависшие сделки", "en": "Speed and stuck deals"},
    "sec_plan": {"ru": "План", "en": "The plan"},
    "sec_method": {"ru": "Методика", "en": "Method"},
    "sec_appendix": {"ru": "Приложение: таблицы", "en": "Appendix: tables"},
    "leaks_head": {"ru": "Где теряются сделки", "en": "Where deals are lost"},
    "segments_head": {
        "ru": "Что надёжно лучше или хуже остальных",
        "en": "What is reliably better or worse than the rest",
    },
    "changes_head": {"ru": "Что изменилось", "en": "What changed"},
    "caveats_head": {"ru": "Оговорки", "en": "Caveats"},
    "nothing_reliable": {
        "ru": "Ни один сегмент не отличается от остальных сверх случайного разброса.",
        "en": "No segment differs from the rest beyond noise.",
    },
    "kpi_deals": {"ru": "Сделок", "en": "Deals"},
    "kpi_won": {"ru": "Выиграно", "en": "Won"},
    "kpi_lost": {"ru": "Проиграно", "en": "Lost"},
    "kpi_open": {"ru": "В работе", "en": "Open"},
    "kpi_win_rate": {"ru": "Конверсия в продажу", "en": "Win rate"},
    "kpi_win_rate_decided": {"ru": "из закрытых", "en": "of closed deals"},
    "kpi_won_amount": {"ru": "Выручка выигранных", "en": "Won revenue"},
    "kpi_open_amount": {"ru": "В работе на сумму", "en": "Open, worth"},
    "pipeline": {"ru": "Воронка «{name}»", "en": "Pipeline “{name}”"},
    "col_stage": {"ru": "Этап", "en": "Stage"},
    "col_reached": {"ru": "Дошли", "en": "Reached"},
    "col_pct_prev": {"ru": "% от предыдущего", "en": "% of previous"},
    "col_pct_top": {"ru": "% от первого", "en": "% of first"},
    "col_lost_at": {"ru": "Потеряно на этапе", "en": "Lost here"},
    "col_open_at": {"ru": "В работе на этапе", "en": "Open here"},
    "col_amount": {"ru": "Сумма дошедших", "en": "Amount reached"},
    "col_deal_amount": {"ru": "Сумма", "en": "Amount"},
    "col_segment": {"ru": "Сегмент", "en": "Segment"},
    "col_deals": {"ru": "Сделок", "en": "Deals"},
    "col_won": {"ru": "Выиграно", "en": "Won"},
    "col_lost": {"ru": "Проиграно", "en": "Lost"},
    "col_open": {"ru": "В работе", "en": "Open"},
    "col_win_rate": {"ru": "Конверсия", "en": "Win rate"},
    "col_won_amount": {"ru": "Выручка", "en": "Won revenue"},
    "col_judged": {"ru": "Оценка", "en": "Judged"},
    "col_step": {"ru": "Шаг", "en": "Step"},
    "col_rate": {"ru": "Конверсия шага", "en": "Step conversion"},
    "col_range": {"ru": "95 % интервал", "en": "95% range"},
    "col_other": {"ru": "У остальных", "en": "The rest"},
    "col_verdict": {"ru": "Вывод", "en": "Verdict"},
    "col_trials": {"ru": "Решено", "en": "Decided"},
    "col_lost_deals": {"ru": "Потеряно", "en": "Lost"},
    "col_lost_money": {"ru": "Потеряно, сумма", "en": "Lost, amount"},
    "col_best": {"ru": "Лучший сегмент", "en": "Best segment"},
    "col_worst": {"ru": "Худший сегмент", "en": "Worst segment"},
    "col_worth_deals": {"ru": "Даст сделок", "en": "Extra wins"},
    "col_worth_money": {"ru": "Даст выручки", "en": "Extra revenue"},
    "col_cohort": {"ru": "Когорта", "en": "Cohort"},
    "col_young": {"ru": "Молодая", "en": "Too young"},
    "col_before": {"ru": "До", "en": "Before"},
    "col_after": {"ru": "После", "en": "After"},
    "col_change": {"ru": "Изменение", "en": "Change"},
    "col_median": {"ru": "Медиана, дней", "en": "Median, days"},
    "col_quartiles": {"ru": "Половина сделок, дней", "en": "Middle half, days"},
    "col_timed": {"ru": "Измерено сделок", "en": "Deals timed"},
    "col_leads": {"ru": "Нужно лидов", "en": "Leads needed"},
    "col_to_bring": {"ru": "Ещё привести", "en": "Still to bring"},
    "col_part": {"ru": "Доля цели", "en": "Part of target"},
    "col_avg_won": {"ru": "Средняя сделка", "en": "Average won deal"},
    "col_deal": {"ru": "Сделка", "en": "Deal"},
    "col_days": {"ru": "Дней на этапе", "en": "Days at stage"},
    "col_norm": {"ru": "Норма, дней", "en": "Norm, days"},
    "yes": {"ru": "да", "en": "yes"},
    "no": {"ru": "нет", "en": "no"},
    "verdict_better": {"ru": "▲ надёжно выше", "en": "▲ reliably higher"},
    "verdict_worse": {"ru": "▼ надёжно ниже", "en": "▼ reliably lower"},
    "verdict_no_difference": {"ru": "в пределах шума", "en": "within noise"},
    "verdict_too_small": {"ru": "мало сделок", "en": "too small to judge"},
    "verdict_baseline": {"ru": "база", "en": "the baseline"},
    "appendix_compare_note": {
        "ru": "Конверсия каждого шага по сегментам (в скобках — сделок в сегменте). ▲/▼ — "
        "надёжно выше/ниже остальных; без знака — в пределах шума; · — меньше {n} сделок, "
        "не оценивается.",
        "en": "Each step's conversion per segment (deals in the segment in brackets). ▲/▼: "
        "reliably above/below the rest; no sign: within noise; ·: under {n} deals, not judged.",
    },
    "significant": {"ru": "сверх шума", "en": "beyond noise"},
    "not_significant": {"ru": "в пределах шума", "en": "within noise"},
    "too_small": {"ru": "мало данных", "en": "too few"},
    "too_early": {"ru": "рано судить", "en": "too early"},
    "funnel_caption": {
        "ru": "Каждая полоса — сделки, дошедшие до этапа: число · % от предыдущего · % от "
        "первого. Красным слева — потерянные на предыдущем этапе, серым — ещё открытые там.",
        "en": "Each bar is the deals that reached the stage: count · % of previous · % of first. "
        "In red on the left, those lost at the previous stage; in grey, those still open there.",
    },
    "multiples_caption": {
        "ru": "Одна воронка на сегмент, в % от первого этапа; серые — меньше {n} сделок.",
        "en": "One funnel per segment, in % of its first stage; grey: fewer than {n} deals.",
    },
    "heatmap_caption": {
        "ru": "Конверсия каждого шага по сегментам. Зелёная рамка и ▲ — надёжно выше остальных, "
        "красная пунктирная и ▼ — надёжно ниже (с поправкой на число сравнений).",
        "en": "Each step's conversion per segment. Green frame and ▲: reliably above the rest; "
        "dashed red and ▼: reliably below (adjusted for the number of comparisons).",
    },
    "shown_of": {
        "ru": "На графиках — {shown} крупнейших из {total}; таблица в приложении — все.",
        "en": "The charts show the {shown} largest of {total}; the appendix table has all.",
    },
    "trend_caption": {
        "ru": "Конверсия шагов по месяцам создания сделок. Пунктир — молодые когорты, "
        "у которых многие сделки ещё не решены.",
        "en": "Step conversion by month of creation. Dashed: young cohorts whose deals are "
        "largely still undecided.",
    },
    "change_caption": {
        "ru": "«{label}», {date}: до — {before}, после — {after}. "
        "Звёздочка — изменение сверх шума.",
        "en": "“{label}”, {date}: before {before}, after {after}. A star marks a change beyond "
        "noise.",
    },
    "leaks_caption": {
        "ru": "Шаги по числу потерянных сделок. «Даст» — сколько принесёт шаг, если все сегменты "
        "пройдут его как лучший (или, без сравнения, на 10 п. п. лучше).",
        "en": "Steps by deals lost. “Extra” is what the step brings if every segment passed it "
        "as the best does (or, with nothing to compare, 10 points better).",
    },
    "velocity_to_win": {
        "ru": "От создания до выигрыша — медиана {median} {days_word} (половина сделок — от "
        "{q1} до {q3}), измерено по {n} {deals_word}.",
        "en": "From creation to a win: a median of {median} {days_word} (the middle half "
        "{q1} to {q3}), over {n} {deals_word}.",
    },
    "stuck": {
        "ru": "Зависли {stuck} из {checked} открытых {deals_word}: они дольше на своём этапе, "
        "чем 80 % сделок, прошедших его; на сумму {amount}.",
        "en": "{stuck} of {checked} open {deals_word} are stuck: longer at their stage than 80% "
        "of the deals that moved on from it; worth {amount}.",
    },
    "stuck_age": {
        "ru": "Зависли {stuck} из {checked} открытых {deals_word}: они открыты дольше, чем 80 % "
        "выигранных сделок шли от создания до выигрыша; на сумму {amount}.",
        "en": "{stuck} of {checked} open {deals_word} are stuck: open for longer than 80% of "
        "the won deals took from creation to a win; worth {amount}.",
    },
    "col_days_age": {"ru": "Дней с создания", "en": "Days since created"},
    "no_stuck": {"ru": "Зависших сделок нет.", "en": "No deal is stuck."},
    "plan_summary": {
        "ru": "Цель {target} с {start} по {end}: нужно {leads} {leads_word}, из них ещё "
        "привести {to_bring}; прогноз по текущим конверсиям — {forecast}.",
        "en": "Target {target} from {start} to {end}: {leads} {leads_word} needed, {to_bring} "
        "still to bring; forecast at today's rates: {forecast}.",
    },
    "more_in_appendix": {
        "ru": "Показаны {shown} из {total}; остальные — в приложении.",
        "en": "{shown} of {total} shown; the rest are in the appendix.",
    },
    "plan_caption": {
        "ru": "Контур — сколько новых лидов нужно, зелёным — сколько уже пришло за нужное окно, "
        "красная линия — диапазон по 95 % интервалу конверсии.",
        "en": "Outlined: new leads needed; green: those already in during the window; the red "
        "line: the range from the win rate's 95% interval.",
    },
    "stuck_head": {"ru": "Крупнейшие зависшие сделки", "en": "The largest stuck deals"},
    "page": {"ru": "Стр.", "en": "Page"},
    **words_economics.W,
}

_ROLES = {
    "channel": {"ru": "Канал", "en": "Channel"},
    "product": {"ru": "Продукт", "en": "Product"},
    "owner": {"ru": "Менеджер", "en": "Manager"},
    "pipeline": {"ru": "Воронка", "en": "Pipeline"},
}
_DEALS = {
    "ru": {"one": "сделка", "few": "сделки", "many": "сделок", "other": "сделки"},
    "en": {"one": "deal", "other": "deals"},
}
_DEALS_GEN = {  # «из 5 сделок», «из 21 сделки»
    "ru": {"one": "сделки", "few": "сделок", "many": "сделок", "other": "сделки"},
    "en": {"one": "deal", "other": "deals"},
}
_DEALS_DAT = {
    "ru": {"one": "сделке", "few": "сделкам", "many": "сделкам", "other": "сделкам"},
    "en": {"one": "deal", "other": "deals"},
}
_DAYS = {
    "ru": {"one": "день", "few": "дня", "many": "дней", "other": "дня"},
    "en": {"one": "day", "other": "days"},
}
_LEADS = {
    "ru": {"one": "лид", "few": "лида", "many": "лидов", "other": "лида"},
    "en": {"one": "lead", "other": "leads"},
}


def word(key: str, language: str, **params: Any) -> str:
    text = W[key].get(language) or W[key]["en"]
    return text.format(**params) if params else text


def role(name: str, language: str) -> str:
    """A breakdown as a reader names it: a role in words, a column by its header."""
    return _ROLES.get(name, {}).get(language, name)


def currency_sign(code: str | None) -> str:
    if not code:
        return ""
    text = " ".join(str(code).split())
    return _SIGN_OF.get(text.casefold(), text)


def number(value: object, language: str, decimals: int = 0) -> str:
    return formats.number(value, decimals, language)


def pct(value: object, language: str, decimals: int = 0) -> str:
    return formats.percent(value, decimals, language)


def pct_formatter(language: str) -> Callable[[float], str]:
    return lambda value: formats.percent(value, 0, language)


def money(value: object, currency: str, language: str) -> str:
    return formats.money(value, currency_sign(currency), 0, language)


def money_short(value: object, currency: str, language: str) -> str:
    return formats.money_short(value, currency_sign(currency), language)


def day(value: date | None, language: str) -> str:
    return formats.date_text(value, language)


def deals_word(n: object, language: str) -> str:
    return formats.plural(n, _DEALS[language], language)


def deals_counted(n: int, language: str) -> str:
    """«5 сделок», "1 deal"."""
    return f"{number(n, language)}\u00a0{deals_word(n, language)}"


def deals_genitive(n: object, language: str) -> str:
    """«из 5 сделок», «из 21 сделки»."""
    return formats.plural(n, _DEALS_GEN[language], language)


def deals_dative(n: object, language: str) -> str:
    """«по 5 сделкам», «по 21 сделке»."""
    return formats.plural(n, _DEALS_DAT[language], language)


def days_word(n: object, language: str) -> str:
    return formats.plural(n, _DAYS[language], language)


def leads_word(n: object, language: str) -> str:
    return formats.plural(n, _LEADS[language], language)


def month(value: date, language: str, *, genitive: bool = False) -> str:
    """«март 2026» («с марта 2026» in the genitive), "March 2026"."""
    names = formats.month_names(language, genitive=genitive)
    return f"{names[value.month - 1]} {value.year}"


def stage_step(stage_from: str, stage_to: str | None, language: str) -> str:
    return f"{stage_from} → {stage_to or word('won', language)}"


def chart_words(language: str) -> dict[str, str]:
    """Labels and tooltips of ``funnel.charts.funnel``'s charts."""
    keys = {
        "won": "won",
        "stage": "col_stage",
        "reached": "col_reached",
        "pct_prev": "col_pct_prev",
        "pct_top": "col_pct_top",
        "drop_off": "col_lost_at",
        "segment": "col_segment",
        "step": "col_step",
        "rate": "col_rate",
        "deals": "col_deals",
        "verdict": "col_verdict",
        "verdict_better": "verdict_better",
        "verdict_worse": "verdict_worse",
        "verdict_no_difference": "verdict_no_difference",
        "verdict_too_small": "verdict_too_small",
        "verdict_baseline": "verdict_baseline",
    }
    out = {k: word(v, language) for k, v in keys.items()}
    # The legend cuts long labels: short ones.
    out["lost_prev"] = {"ru": "Потеряны на пред. этапе", "en": "Lost at previous stage"}[language]
    out["open_prev"] = {"ru": "Открыты на пред. этапе", "en": "Open at previous stage"}[language]
    out["significant"] = word("significant", language)
    out["too_small"] = word("verdict_too_small", language)
    return out


def trend_words(language: str) -> dict[str, str]:
    """Labels of ``funnel.charts.trends`` and ``funnel.charts.changes``."""
    if language == "en":
        return {"won": word("won", language), "all": word("whole", language)}
    return {
        "won": word("won", language),
        "created": "Создана",
        "cohort": "Когорта",
        "step": "Шаг",
        "rate": "Конверсия",
        "deals": "Сделок",
        "passed": "Прошли",
        "trials": "Попыток",
        "immature": "Молодая",
        "mature": "Зрелая",
        "open": "В работе",
        "lost": "Проиграно",
        "outcome": "Исход",
        "before": "До",
        "after": "После",
        "segment": "Сегмент",
        "significant": "Сверх шума",
        "change": "Изменение",
        "all": word("whole", language),
        "too_early": "рано судить",
        "level": "Уровень до / после сдвига",
        "months_short": "|".join(formats.month_names("ru", short=True)),
        "quarter_fmt": "{q} кв. {year}",
        "week_fmt": "нед. {day}",
    }


def plan_words(language: str) -> dict[str, str]:
    """Labels of ``funnel.charts.plan.leads_chart``."""
    if language == "en":
        return {}
    return {
        "segment": "Сегмент",
        "leads": "Нужно новых лидов",
        "range": "Диапазон",
        "already": "Уже пришли",
        "to_bring": "Ещё привести",
        "already_short": "уже {n}",
    }
