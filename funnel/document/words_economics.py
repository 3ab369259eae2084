"""The client report's words for channel economics (spend, cost per lead and per won deal,
ROMI), in Russian and English; ``funnel.document.words.word`` finds them with the rest."""

from __future__ import annotations

W: dict[str, dict[str, str]] = {
    "sec_economics": {"ru": "Экономика каналов", "en": "Channel economics"},
    "econ_head": {"ru": "Сколько стоят каналы", "en": "What the channels cost"},
    "kpi_spend": {"ru": "Расход на рекламу", "en": "Ad spend"},
    "kpi_cpl": {"ru": "Цена лида", "en": "Cost per lead"},
    "kpi_cac": {"ru": "Цена выигранной сделки", "en": "Cost per won deal"},
    "kpi_romi": {"ru": "ROMI", "en": "ROMI"},
    "kpi_profit": {"ru": "Прибыль после рекламы", "en": "Profit after ad spend"},
    "econ_cac_two": {
        "ru": "«{dear}»: {dear_cac} на выигранную сделку, у канала «{cheap}» — {cheap_cac}, "
        "в {times} {times_word} меньше.",
        "en": "“{dear}”: {dear_cac} per won deal; “{cheap}”: {cheap_cac}, {times} times less.",
    },
    "econ_cac_one": {
        "ru": "«{dear}»: {dear_cac} на выигранную сделку; у остальных каналов с расходом "
        "слишком мало лидов или нет выигранных сделок, чтобы сравнивать.",
        "en": "“{dear}”: {dear_cac} per won deal; the other channels with spend have too few "
        "leads or no won deal to compare.",
    },
    "econ_cac_none": {
        "ru": "Ни у одного канала с расходом нет {n} лидов и выигранной сделки: сравнивать "
        "цену выигранной сделки рано.",
        "en": "No channel with spend has {n} leads and a won deal: too early to compare what a "
        "won deal costs.",
    },
    "econ_losing": {
        "ru": "Не окупаются: {channels} — выручка выигранных сделок меньше расхода.",
        "en": "Not paying back: {channels}: won revenue is below the spend.",
    },
    "econ_spend_no_leads": {
        "ru": "Расход есть, лидов нет: {items}.",
        "en": "Spend and no leads: {items}.",
    },
    "econ_unmatched": {
        "ru": "Название {names} не совпадает ни с одним каналом сделок: проверьте, не назван "
        "ли канал в выгрузке иначе.",
        "en": "The name {names} matches no channel of the deals: check whether the export "
        "names the channel otherwise.",
    },
    "econ_leads_no_spend": {
        "ru": "Лиды есть, расхода нет: {items} — цена лида и сделки для них не определена; "
        "в общих цифрах их лиды учтены.",
        "en": "Leads and no spend: {items}: their cost per lead and per deal is not defined; "
        "the totals count their leads.",
    },
    "econ_window": {
        "ru": "Расход с {start} по {end} сопоставлен со сделками, созданными в эти даты.",
        "en": "Spend from {start} to {end} against the deals created in those dates.",
    },
    "econ_outside": {
        "ru": "Вне этих дат: {deals} {deals_word} и расход {spend} — они не учтены.",
        "en": "Outside those dates: {deals} {deals_word} and {spend} of spend, left out.",
    },
    "econ_table_caption": {
        "ru": "Цена лида — расход / лиды; цена выигранной сделки — расход / выигранные сделки, "
        "в скобках-интервале — по 95 % интервалу конверсии лид → продажа; ROMI — (выручка "
        "выигранных − расход) / расход. «—» — не определено (нет расхода, лидов или выигранных "
        "сделок); «мало лидов» — меньше {n} лидов, не оцениваем.",
        "en": "Cost per lead: spend / leads; cost per won deal: spend / won deals, its range "
        "from the lead → won rate's 95% interval; ROMI: (won revenue − spend) / spend. “—”: not "
        "defined (no spend, leads or won deals); “too few”: under {n} leads, not judged.",
    },
    "econ_cac_caption": {
        "ru": "Цена выигранной сделки по каналам, от дешёвых к дорогим; линия — 95 % интервал. "
        "Серым — каналы, где слишком мало лидов, чтобы судить.",
        "en": "Cost per won deal per channel, cheapest first; the line is its 95% range. In "
        "grey, channels with too few leads to judge.",
    },
    "econ_romi_caption": {
        "ru": "ROMI по каналам: вправо — выручка выигранных сделок больше расхода, влево "
        "(красным) — меньше.",
        "en": "ROMI per channel: to the right, won revenue above the spend; to the left (red), "
        "below it.",
    },
    "econ_stage_caption": {
        "ru": "Расход на одну сделку, дошедшую до этапа: слева направо воронка сужается, и "
        "каждая дошедшая сделка стоит дороже.",
        "en": "Spend per deal that reached the stage: left to right the funnel narrows and "
        "each deal that got there cost more.",
    },
    "col_spend": {"ru": "Расход", "en": "Spend"},
    "col_leads_n": {"ru": "Лиды", "en": "Leads"},
    "col_cpl": {"ru": "Цена лида", "en": "Cost per lead"},
    "col_cac": {"ru": "Цена выигранной", "en": "Cost per won"},
    "col_romi": {"ru": "ROMI", "en": "ROMI"},
    "col_profit": {"ru": "Прибыль", "en": "Profit"},
    "col_romi_profit": {"ru": "ROMI по прибыли", "en": "ROMI on profit"},
    "col_lost_spend": {"ru": "Расход на потерянные", "en": "Spend on the lost"},
    "all_channels": {"ru": "Все каналы", "en": "All channels"},
    "few_leads": {"ru": "мало лидов", "en": "too few"},
    "leak_spend": {
        "ru": "На сделки, потерянные на этом шаге, ушло {amount} рекламы.",
        "en": "The deals lost at this step took {amount} of ad spend.",
    },
    # the charts' words (funnel.charts.economics)
    "chart_cac": {"ru": "Цена выигранной сделки", "en": "Cost per won deal"},
    "chart_not_defined": {"ru": "не определена", "en": "not defined"},
    "chart_no_spend": {"ru": "нет расхода", "en": "no spend"},
    "chart_stage_cost": {"ru": "Расход на сделку", "en": "Spend per deal"},
}

TIMES = {  # «в 3 раза», «в 5 раз», «в 2,8 раза»
    "ru": {"one": "раз", "few": "раза", "many": "раз", "other": "раза"},
    "en": {"one": "time", "other": "times"},
}
