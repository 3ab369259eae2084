"""UI strings for the Channels page: spend in, what each channel costs and returns."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav_channels": {"ru": "Каналы", "en": "Channels"},
    "ch_title": {
        "ru": "Каналы: во что обходится сделка и что она приносит",
        "en": "Channels: what a deal costs and what it brings",
    },
    "ch_intro_empty": {
        "ru": "Добавьте таблицу расходов — сколько потрачено на каждый канал по месяцам — и "
        "здесь появятся стоимость лида, каждого этапа воронки и выигранной сделки, выручка и "
        "ROMI по каналам. Подойдёт таблица в любом виде: «Месяц · Канал · Расход», месяцы "
        "столбцами, выгрузка рекламного кабинета по дням.",
        "en": "Add a spend table — what was spent on each channel per month — and this page "
        "shows the cost of a lead, of every funnel stage and of a won deal, the revenue and the "
        "ROMI per channel. Any layout will do: «Month · Channel · Spend», months as columns, an "
        "ad account's daily report.",
    },
    "ch_in_file": {"ru": "Файл", "en": "File"},
    "ch_in_sheet": {"ru": "Google Таблица", "en": "Google Sheet"},
    "ch_in_typed": {"ru": "Ввести вручную", "en": "Type it in"},
    "ch_upload": {
        "ru": "Таблица расходов (CSV, XLSX, XLS, ODS)",
        "en": "Spend table (CSV, XLSX, XLS, ODS)",
    },
    "ch_sheet_pick": {"ru": "Лист с расходами", "en": "Sheet with the spend"},
    "ch_sheet_url": {"ru": "Ссылка на Google Таблицу", "en": "Google Sheets link"},
    "ch_sheet_read": {"ru": "Прочитать", "en": "Read"},
    "ch_typed_help": {
        "ru": "Одна строка — один канал за один месяц. Месяц пишите как удобно: «Январь 2026», "
        "«01.2026», «2026-01».",
        "en": "One row per channel and month. Write the month as you like: «January 2026», "
        "«01.2026», «2026-01».",
    },
    "ch_col_channel": {"ru": "Канал", "en": "Channel"},
    "ch_col_month": {"ru": "Месяц", "en": "Month"},
    "ch_col_amount": {"ru": "Расход", "en": "Spend"},
    "ch_typed_apply": {"ru": "Применить расходы", "en": "Apply the spend"},
    "ch_read_ok": {
        "ru": "Расходы прочитаны: {amount} по {channels}, {period}.",
        "en": "Spend read: {amount} over {channels}, {period}.",
    },
    "ch_period_headings": {
        "ru": "строки-заголовки месяцев над каналами",
        "en": "month headings on rows of their own over the channels",
    },
    "ch_read_columns": {
        "ru": "Столбцы: канал — {channel}, период — {period}, сумма — {amount}.",
        "en": "Columns: channel — {channel}, period — {period}, amount — {amount}.",
    },
    "ch_read_wide": {
        "ru": "Таблица «широкая»: периоды в заголовках столбцов, каналы в строках (или наоборот).",
        "en": "A wide table: periods across the top, channels down the side (or the other way).",
    },
    "ch_none": {"ru": "нет", "en": "none"},
    "ch_no_period": {"ru": "без периода", "en": "no period"},
    "ch_period_span": {"ru": "{first} — {last}", "en": "{first} — {last}"},
    # ---- the figures ----
    "ch_kpi_spend": {"ru": "Расход", "en": "Spend"},
    "ch_kpi_leads": {"ru": "Лиды", "en": "Leads"},
    "ch_kpi_cpl": {"ru": "Цена лида", "en": "Cost per lead"},
    "ch_kpi_cac": {"ru": "Цена выигранной сделки", "en": "Cost per won deal"},
    "ch_kpi_romi": {"ru": "ROMI", "en": "ROMI"},
    "ch_kpi_revenue": {"ru": "Выручка с выигранных", "en": "Won revenue"},
    "ch_window": {
        "ru": "Период расчёта: {first} — {last} (месяцы, где есть и расходы, и сделки). Лиды — "
        "сделки, созданные в этот период.",
        "en": "Period: {first} — {last} (the months with both spend and deals). Leads are the "
        "deals created in it.",
    },
    "ch_outside": {
        "ru": "За пределами периода: расходы {amount} и {deals} — в расчёт не вошли.",
        "en": "Outside the period: {amount} of spend and {deals} — not counted.",
    },
    "n_spend_other_currency": {
        "ru": "Расходы в другой валюте ({other}) не складываются с {currency} и показаны отдельно.",
        "en": "Spend in another currency ({other}) is not added to {currency}; it is kept apart.",
    },
    "ch_filter_note": {
        "ru": "Фильтр по {dims} сужает сделки, но не расходы: расход канала взят целиком.",
        "en": "The {dims} filter narrows the deals, not the spend: each channel's whole spend "
        "is used.",
    },
    "ch_headline": {
        "ru": "{dear}: {dear_cac} на выигранную сделку, у канала «{cheap}» — {cheap_cac}.",
        "en": "{dear}: {dear_cac} per won deal; {cheap}: {cheap_cac}.",
    },
    "ch_headline_losing": {
        "ru": "Не окупается: {channels} (выручка с выигранных сделок меньше расхода).",
        "en": "Not paying back: {channels} (won revenue is below the spend).",
    },
    "ch_table_title": {"ru": "По каналам", "en": "Per channel"},
    "ch_col_segment": {"ru": "Канал", "en": "Channel"},
    "ch_col_spend": {"ru": "Расход", "en": "Spend"},
    "ch_col_leads": {"ru": "Лиды", "en": "Leads"},
    "ch_col_cpl": {"ru": "Цена лида", "en": "Cost per lead"},
    "ch_col_won": {"ru": "Выиграно", "en": "Won"},
    "ch_col_win_rate": {"ru": "Лид → успех", "en": "Lead → won"},
    "ch_col_cac": {"ru": "Цена сделки", "en": "Cost per won"},
    "ch_col_cac_range": {"ru": "Цена сделки: диапазон 95 %", "en": "Cost per won: 95 % range"},
    "ch_col_revenue": {"ru": "Выручка", "en": "Revenue"},
    "ch_col_romi": {"ru": "ROMI", "en": "ROMI"},
    "ch_col_profit": {"ru": "Прибыль", "en": "Profit"},
    "ch_col_romi_profit": {"ru": "ROMI по прибыли", "en": "ROMI on profit"},
    "ch_col_verdict": {"ru": "Конверсия в успех", "en": "Lead → won rate"},
    "ch_verdict_better": {"ru": "выше остальных", "en": "above the rest"},
    "ch_verdict_worse": {"ru": "ниже остальных", "en": "below the rest"},
    "ch_verdict_no_difference": {"ru": "как у остальных", "en": "like the rest"},
    "ch_verdict_too_small": {"ru": "мало лидов для вывода", "en": "too few leads to judge"},
    "ch_verdict_no_leads": {"ru": "нет лидов", "en": "no leads"},
    "ch_not_defined": {"ru": "не определено", "en": "not defined"},
    "ch_no_spend": {"ru": "нет расходов", "en": "no spend"},
    "ch_table_note": {
        "ru": "Цена сделки = расход / выигранные; её диапазон — из 95 %-го интервала конверсии "
        "лид → успех. ROMI = (выручка − расход) / расход. Где расходов нет, цена и ROMI не "
        "определены: канал не бесплатный, просто его расход не внесён.",
        "en": "Cost per won = spend / won deals; its range comes from the 95 % interval of the "
        "lead → won rate. ROMI = (revenue − spend) / spend. Where no spend is recorded, the "
        "costs and the ROMI are not defined: the channel is not free, its spend is just not "
        "in the table.",
    },
    "ch_charts_title": {"ru": "Цена сделки и окупаемость", "en": "Cost per won deal and payback"},
    "ch_charts_none": {
        "ru": "Ни у одного канала из сделок пока нет и расходов, и выигранных сделок: цену "
        "сделки показать не на чем. Сопоставьте расходы с каналами ниже.",
        "en": "No channel of the deals has both spend and won deals yet: there is no cost per "
        "won deal to show. Match the spend to channels below.",
    },
    "ch_stage_title": {
        "ru": "Во что обходится каждый этап воронки",
        "en": "What each funnel stage costs",
    },
    "ch_total_row": {"ru": "Все каналы", "en": "All channels"},
    "ch_stage_axis": {"ru": "Этап", "en": "Stage"},
    "ch_stage_cell": {"ru": "Расход на сделку этапа", "en": "Spend per deal at the stage"},
    "ch_stage_note": {
        "ru": "Расход канала на одну сделку, дошедшую до этапа: чем уже воронка, тем дороже "
        "каждый следующий этап.",
        "en": "The channel's spend per deal that reached the stage: the narrower the funnel, "
        "the dearer each next stage.",
    },
    "ch_leak_cost": {
        "ru": "Больше всего расхода ушло на сделки, потерянные на этапе «{stage}»: {amount} "
        "({share} всего расхода).",
        "en": "Most spend went on deals lost at «{stage}»: {amount} ({share} of all spend).",
    },
    # ---- matching ----
    "ch_unmatched_title": {"ru": "Расходы без лидов", "en": "Spend with no leads"},
    "ch_unmatched_intro": {
        "ru": "Этих каналов нет в сделках за период. Если это другое название канала из CRM, "
        "выберите его — соответствие сохранится вместе с настройкой.",
        "en": "These channels have no deals in the period. If one is another name of a CRM "
        "channel, pick it — the match is kept with the mapping.",
    },
    "ch_unmatched_keep": {"ru": "— оставить отдельно —", "en": "— keep apart —"},
    "ch_match_apply": {"ru": "Сохранить соответствия", "en": "Save the matches"},
    "ch_without_spend": {
        "ru": "Лиды без расходов: {channels}. Их цена не определена — добавьте их расход в "
        "таблицу, если он был.",
        "en": "Leads with no spend: {channels}. Their cost is not defined — add their spend to "
        "the table if there was any.",
    },
    # ---- months ----
    "ch_months_title": {"ru": "По месяцам", "en": "Per month"},
    "ch_attr": {"ru": "Как считать выручку месяца", "en": "How a month's revenue is counted"},
    "ch_attr_cohort": {
        "ru": "по месяцу лида: что принесли лиды этого месяца",
        "en": "by lead month: what that month's leads brought",
    },
    "ch_attr_calendar": {
        "ru": "по календарю: сделки, выигранные в этом месяце",
        "en": "by calendar: deals won in that month",
    },
    "ch_months_channel": {"ru": "Канал", "en": "Channel"},
    "ch_all_channels": {"ru": "Все каналы", "en": "All channels"},
    "ch_col_month_name": {"ru": "Месяц", "en": "Month"},
    "ch_col_young": {"ru": "Молодой", "en": "Young"},
    "ch_young_note": {
        "ru": "Отмеченные месяцы моложе срока, за который обычно решается сделка: их лиды ещё "
        "закрываются, цена сделки и ROMI будут лучше.",
        "en": "Marked months are younger than the time deals usually take to close: their "
        "leads are still closing, their cost per won and ROMI will improve.",
    },
    "ch_no_calendar": {
        "ru": "В данных нет даты закрытия сделок: по календарю посчитать нельзя.",
        "en": "The data has no close dates: the calendar view cannot be counted.",
    },
    # ---- the spend itself ----
    "ch_spend_box": {"ru": "Таблица расходов", "en": "The spend table"},
    "ch_margin": {
        "ru": "Валовая маржа, % (для прибыли и ROMI по прибыли)",
        "en": "Gross margin, % (for profit and ROMI on profit)",
    },
    "ch_margin_apply": {"ru": "Учесть маржу", "en": "Use the margin"},
    "ch_margin_clear": {"ru": "Без маржи", "en": "No margin"},
    "ch_replace": {"ru": "Заменить расходы", "en": "Replace the spend"},
    "ch_remove": {"ru": "Убрать расходы", "en": "Remove the spend"},
    "ch_removed": {"ru": "Расходы убраны.", "en": "The spend is removed."},
    "ch_rows_shown": {"ru": "Строк: {n}", "en": "Rows: {n}"},
    "n_spend_no_role": {
        "ru": "В сделках нет столбца «{role}»: расходы сопоставить не с чем, показан только "
        "итог. Укажите его на странице «Данные».",
        "en": "The deals have no {role} column: the spend has nothing to match, only the "
        "total is shown. Set it on the Data page.",
    },
    "n_spend_no_created": {
        "ru": "В сделках нет даты создания: расходы сопоставлены со всеми сделками, без периода.",
        "en": "The deals have no creation date: the spend is put against every deal, with no "
        "period.",
    },
    "n_spend_outside_data": {
        "ru": "Ни один период расходов не совпал с датами сделок: проверьте год в таблице "
        "расходов.",
        "en": "No spend period overlaps the deals' dates: check the year in the spend table.",
    },
    # ---- what the reading noticed ----
    "n_spend_total_rows": {
        "ru": "Строки итогов не учтены, чтобы не сложить дважды: {rows} ({amount}).",
        "en": "Total rows left out so nothing is counted twice: {rows} ({amount}).",
    },
    "n_spend_period_unread": {
        "ru": "Не прочитан период в строках {first_rows}: «{values}» ({amount}) — в расчёт не "
        "вошли.",
        "en": "No period could be read in rows {first_rows}: «{values}» ({amount}) — not counted.",
    },
    "n_spend_scaled": {
        "ru": "Суммы под заголовком «{column}» записаны в {unit}: в расчёте они умножены на "
        "{factor}.",
        "en": "The amounts under «{column}» are written in {unit}: every figure counts them "
        "multiplied by {factor}.",
    },
    "spend_unit_thousands": {"ru": "тысячах", "en": "thousands"},
    "spend_unit_millions": {"ru": "миллионах", "en": "millions"},
    "n_spend_negative": {
        "ru": "Отрицательные суммы (возвраты?) в строках {first_rows}: {amount} — учтены как есть.",
        "en": "Negative amounts (refunds?) in rows {first_rows}: {amount} — counted as given.",
    },
    "n_spend_no_channel": {
        "ru": "В таблице нет столбца канала: все {amount} — на один канал. Выберите его ниже в "
        "«Расходы без лидов».",
        "en": "The table has no channel column: all {amount} is one channel. Pick it below "
        "under «Spend with no leads».",
    },
    "ch_guessed": {
        "ru": "Столбец «{column}» выбран как {role} без уверенности: проверьте.",
        "en": "Column «{column}» was taken as the {role} without proof: check it.",
    },
    "ch_role_amount": {"ru": "сумма", "en": "amount"},
    "ch_role_channel": {"ru": "канал", "en": "channel"},
    "leak_spend": {
        "ru": "На сделки, потерянные на этом шаге, ушло {amount} рекламного бюджета.",
        "en": "The deals lost at this step took {amount} of ad spend.",
    },
    # ---- a spend table that cannot be used (funnel.economics errors, by code) ----
    "read_spend_empty": {
        "ru": "Таблица расходов «{file}» пуста.",
        "en": "The spend table «{file}» is empty.",
    },
    "read_spend_no_amount": {
        "ru": "В «{file}» не нашлось столбца с суммами расходов. Нужен столбец с числами, "
        "например «Расход», «Бюджет», «Затраты» или «Spend».",
        "en": "«{file}» has no column of amounts spent. It needs a column of numbers such as "
        "«Spend», «Cost», «Budget» or «Расход».",
    },
    "read_spend_no_rows": {
        "ru": "В «{file}» нет ни одной строки с расходом: нужны канал, период и сумма.",
        "en": "«{file}» has no row of spend: each needs a channel, a period and an amount.",
    },
    "read_spend_column_missing": {
        "ru": "В «{file}» нет столбца «{column}», который указан в настройке расходов.",
        "en": "«{file}» has no column «{column}», which the spend mapping names.",
    },
    "spec_spec_spend": {
        "ru": "В файле разметки «{file}» блок расходов («spend») заполнен неверно: у каждой "
        "строки нужны канал и сумма, даты — в виде ГГГГ-ММ-ДД, маржа — доля от 0 до 1 "
        "(например 0.35). Загрузите файл, скачанный из Voronka, или исправьте его.",
        "en": "The mapping file “{file}” has a wrong spend block ('spend'). Each row "
        "needs a channel and an amount, dates as YYYY-MM-DD, the margin a share from 0 to 1 "
        "(as 0.35). Load a file saved from Voronka, or fix it.",
    },
    "read_spend_missing": {
        "ru": "Таблица расходов не загружена.",
        "en": "No spend table is loaded.",
    },
    "ch_planner_hint": {
        "ru": "Бюджет под цель по каналам — на странице «План».",
        "en": "The budget per channel for a target is on the Planner page.",
    },
}
