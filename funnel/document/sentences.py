"""The client report's findings as sentences, and its method appendix, in Russian and English.

Plain text: the template escapes it together with the names from the file it quotes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from funnel.document.words import (
    day,
    deals_counted,
    deals_dative,
    deals_genitive,
    deals_word,
    money_short,
    month,
    number,
    pct,
    role,
    stage_step,
    word,
)
from funnel.report import formats

_WINS = {
    "ru": {
        "one": "выигранная сделка",
        "few": "выигранные сделки",
        "many": "выигранных сделок",
        "other": "выигранной сделки",
    },
    "en": {"one": "won deal", "other": "won deals"},
}

_SEGMENTS = {
    "ru": {"one": "сегмент", "few": "сегмента", "many": "сегментов", "other": "сегмента"},
    "en": {"one": "segment", "other": "segments"},
}


def _q(text: object, language: str) -> str:
    if text == "(none)":  # funnel.values.NONE_LABEL: the deals with no value
        text = word("none_segment", language)
    return f"«{text}»" if language == "ru" else f"“{text}”"


def finding_text(code: str, p: Mapping[str, Any], language: str, currency: str) -> str:
    """One conclusion or caveat (``funnel.document.content.Finding``) as a sentence."""
    ru = language == "ru"
    n = lambda v: number(v, language)  # noqa: E731
    pc = lambda v: pct(v, language)  # noqa: E731
    if code == "leak":
        step = _q(stage_step(p["from"], p["to"] or None, language), language)
        extra = round(float(p["extra_won"]))
        wins = formats.plural(extra, _WINS[language], language)
        if p["basis"] == "best":
            how = (
                f"до {pc(p['to_rate'])}, как в лучшем сегменте {_q(p['best'], language)}"
                if ru
                else f"to {pc(p['to_rate'])}, as the best segment {_q(p['best'], language)} does,"
            )
        else:
            how = (
                f"на 10 п. п., до {pc(p['to_rate'])}"
                if ru
                else f"by 10 points, to {pc(p['to_rate'])}"
            )
        gen = deals_genitive(p["trials"], language)
        lost = deals_counted(p["lost"], language)
        worth = money_short(p["extra_won_amount"], currency, language)
        reasons = ", ".join(f"{_q(r, language)} ({n(k)})" for r, k in p.get("reasons", ()))
        spent = p.get("lost_spend", 0.0)
        spent_text = (
            " " + word("leak_spend", language, amount=money_short(spent, currency, language))
            if spent > 0
            else ""
        )
        if ru:
            why = f" Частые причины отказа: {reasons}." if reasons else ""
            return (
                f"Шаг {step}: потери — {lost}; проходят {pc(p['rate'])} из {n(p['trials'])} "
                f"{gen}, дошедших до решения. Поднять его {how} — это ≈ {n(extra)} {wins}"
                + (f" и {worth} выручки." if p["extra_won_amount"] > 0 else ".")
                + spent_text
                + why
            )
        why = f" Common loss reasons: {reasons}." if reasons else ""
        return (
            f"Step {step}: {lost} lost; {pc(p['rate'])} of {n(p['trials'])} decided {gen} pass. "
            f"Raising it {how} would bring ≈ {n(extra)} {wins}"
            + (f" and {worth} in revenue." if p["extra_won_amount"] > 0 else ".")
            + spent_text
            + why
        )
    if code == "no_deals":
        if ru:
            return "Под выбранные фильтры не попала ни одна сделка: считать нечего."
        return "No deal passes the filters chosen: there is nothing to count."
    if code == "leaks_unknown":
        if ru:
            return (
                f"Файл не говорит, на каком этапе потеряны {n(p['lost'])} проигранных "
                f"{deals_genitive(p['lost'], 'ru')}, поэтому места потерь "
                "указать нельзя. Добавьте в выгрузку столбец с этапом отказа (в amoCRM — этап, "
                "на котором сделку закрыли), и отчёт покажет слабые места."
            )
        return (
            f"The file does not say at which stage its {n(p['lost'])} lost "
            f"{deals_word(p['lost'], language)} were lost, so no leak can be placed. Add the "
            "stage at loss to the export and the report will show the weak points."
        )
    if code in ("better", "worse"):
        who = f"{role(p['by'], language)} {_q(p['segment'], language)}"
        step = _q(p["step"], language)
        if ru:
            how = "надёжно лучше" if code == "better" else "надёжно хуже"
            return (
                f"{who} {how} остальных на шаге {step}: {pc(p['rate'])} против "
                f"{pc(p['other_rate'])} (по {n(p['trials'])} "
                f"{deals_dative(p['trials'], 'ru')})."
            )
        how = "is reliably better" if code == "better" else "is reliably worse"
        return (
            f"{who} {how} than the rest at {step}: {pc(p['rate'])} against "
            f"{pc(p['other_rate'])} (over {deals_counted(p['trials'], language)})."
        )
    if code == "change_moved":
        what = _q(stage_step(p["from"], p["to"], language), language)
        when = day(p["when"], language)
        if ru:
            step = "вся воронка (от создания до выигрыша)" if p["whole"] else f"шаг {what}"
            return (
                f"После изменения {_q(p['label'], language)} ({when}) {step}: "
                f"{pc(p['before_rate'])} → {pc(p['after_rate'])}, сверх шума."
            )
        step = "the whole funnel (created to won)" if p["whole"] else f"step {what}"
        return (
            f"After the change {_q(p['label'], language)} ({when}), {step} went "
            f"{pc(p['before_rate'])} → {pc(p['after_rate'])}, beyond noise."
        )
    if code == "change_none":
        when = day(p["when"], language)
        if ru:
            return (
                f"После изменения {_q(p['label'], language)} ({when}) ни один шаг не сдвинулся "
                "сверх случайного разброса."
            )
        return f"After the change {_q(p['label'], language)} ({when}), no step moved beyond noise."
    if code == "change_early":
        when = day(p["when"], language)
        since = day(p["judge_from"], language)
        if ru:
            return (
                f"Изменение {_q(p['label'], language)} ({when}) оценивать рано: не раньше {since}."
            )
        return (
            f"The change {_q(p['label'], language)} ({when}) is too early to judge: "
            f"not before {since}."
        )
    if code == "shift":
        step = _q(stage_step(p["from"], p["to"], language), language)
        since = month(p["since"], language)
        if ru:
            since = month(p["since"], language, genitive=True)
            return (
                f"В сделках, созданных с {since}, шаг {step} сдвинулся: "
                f"{pc(p['before_rate'])} → {pc(p['after_rate'])}."
            )
        return (
            f"From the {since} cohort on, step {step} moved "
            f"{pc(p['before_rate'])} → {pc(p['after_rate'])}."
        )
    if code == "lower_bound":
        if ru:
            return (
                f"У {n(p['unknown'])} из {n(p['lost'])} проигранных сделок не указано, на каком "
                "этапе они потеряны: они учтены на первом этапе, поэтому число дошедших до "
                "следующих этапов — нижняя оценка, а потери первого шага — верхняя."
            )
        return (
            f"{n(p['unknown'])} of {n(p['lost'])} lost deals do not say at which stage they were "
            "lost: they count at the first stage, so the deals reaching later stages are a lower "
            "bound and the first step's loss an upper bound."
        )
    if code == "young":
        since = month(p["since"], language)
        if ru:
            since = month(p["since"], language, genitive=True)
            return (
                f"Сделки, созданные с {since} ({deals_counted(p['deals'], language)}), ещё "
                "молоды: многие из них не решены, их конверсия будет расти; выводы по ним "
                "предварительные."
            )
        return (
            f"Cohorts from {since} on ({deals_counted(p['deals'], language)}) are young: many "
            "of their deals are undecided and their conversion will still rise."
        )
    if code == "open":
        if ru:
            return (
                f"{deals_counted(p['open'], language).capitalize()} ({pc(p['share'])}) ещё в "
                "работе: конверсия шагов считается по решённым сделкам."
            )
        return (
            f"{deals_counted(p['open'], language).capitalize()} ({pc(p['share'])}) are still "
            "open: step conversions count decided deals only."
        )
    if code == "small_segments":
        count = formats.plural(p["segments"], _SEGMENTS[language], language)
        if ru:
            return (
                f"{role(p['by'], language)}: {n(p['segments'])} {count} меньше "
                f"{n(p['min_deals'])} сделок — их не оцениваем, разница там может быть случайной."
            )
        return (
            f"{role(p['by'], language)}: {n(p['segments'])} {count} under "
            f"{n(p['min_deals'])} deals, not judged: a difference there may be chance."
        )
    if code == "no_amount":
        if ru:
            return (
                f"У {n(p['deals'])} {deals_genitive(p['deals'], 'ru')} "
                f"({pc(p['share'])}) нет суммы: денежные итоги — по остальным."
            )
        return (
            f"{deals_counted(p['deals'], language)} ({pc(p['share'])}) have no amount: "
            "money figures cover the rest."
        )
    if code == "order_guessed":
        if ru:
            return "Порядок этапов угадан по данным, а не подтверждён: проверьте его."
        return "The stage order is a guess from the data, not confirmed: check it."
    return code


# ---- the method appendix --------------------------------------------------------------------

METHOD: dict[str, tuple[str, ...]] = {
    "ru": (
        "Дошли до этапа — сделки, чей самый дальний этап этот или дальше; выигранная сделка "
        "прошла все этапы.",
        "% от предыдущего и % от первого — дошедшие до этапа, делённые на дошедших до "
        "предыдущего и до первого этапа.",
        "Конверсия шага считается по решённым сделкам: открытые сделки на этапе не считаются "
        "потерянными, пока у них есть шанс пройти дальше.",
        "Интервал — 95 % интервал Вильсона: где с большой вероятностью лежит настоящая "
        "конверсия при таком числе сделок.",
        "«Надёжно лучше/хуже» — сегмент сравнивается с остальными вместе (z-тест двух долей), "
        "p-значения всей таблицы поправлены методом Бенджамини — Хохберга; сегменты меньше 30 "
        "сделок не оцениваются.",
        "Ценность исправления шага — дополнительные сделки, прошедшие шаг по лучшей конверсии, "
        "доведённые до выигрыша по конверсиям следующих шагов и умноженные на средний чек "
        "выигранных сделок сегмента.",
        "До и после изменения — шаги, датированные днём входа на этап (или созданием сделки); "
        "слишком молодые попытки не учитываются ни до, ни после, чтобы быстрые потери не "
        "выглядели падением.",
        "Когорта — сделки, созданные в одном месяце; молодая когорта — та, чьи сделки ещё не "
        "успели решиться за обычное для шага время.",
        "Зависшая сделка — открытая сделка, которая на своём этапе дольше, чем 80 % сделок, "
        "ушедших с него; если дат этапов нет — открытая дольше, чем 80 % выигранных сделок шли "
        "от создания до выигрыша.",
    ),
    "en": (
        "Reached a stage: deals whose furthest stage is that one or later; a won deal passed "
        "every stage.",
        "% of previous and % of first: the deals that reached the stage over those that "
        "reached the previous and the first stage.",
        "A step's conversion counts decided deals: deals still open at a stage are not lost "
        "while they can still move on.",
        "Ranges are Wilson 95% intervals: where the true conversion most likely lies, given "
        "how many deals it rests on.",
        "“Reliably better/worse”: a segment against the rest pooled (two-proportion z-test), "
        "p-values over the whole table adjusted by Benjamini-Hochberg; segments under 30 deals "
        "are not judged.",
        "What fixing a step is worth: the extra deals passing it at the better rate, carried to "
        "a win at the next steps' rates and priced at the segment's average won deal.",
        "Before and after a change: steps dated by the day a deal entered the stage (or was "
        "created); attempts too young to be decided are left out on both sides, so quick "
        "losses do not pass for a drop.",
        "A cohort: the deals created in one month; a young cohort's deals have not yet had the "
        "time the step usually takes to be decided.",
        "A stuck deal: an open deal longer at its stage than 80% of the deals that moved on "
        "from it; without stage dates, open for longer than 80% of the won deals took from "
        "creation to a win.",
    ),
}
