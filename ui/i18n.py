"""UI strings in Russian and English, and numbers, money and dates in the session's language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import streamlit as st

from funnel.report import formats
from funnel.values import NONE_LABEL
from ui.strings import editor, limits, planner, sheets, trends
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

STRINGS: dict[str, dict[str, str]] = {
    # ---- app / navigation ----
    "nav_data": {"ru": "Данные", "en": "Data"},
    "nav_funnel": {"ru": "Воронка", "en": "Funnel"},
    "nav_compare": {"ru": "Сравнение", "en": "Compare"},
    "nav_trends": {"ru": "Динамика", "en": "Trends"},
    "nav_changes": {"ru": "До и после", "en": "Before / after"},
    "nav_velocity": {"ru": "Скорость", "en": "Velocity"},
    "nav_planner": {"ru": "План", "en": "Planner"},
    "language": {"ru": "Язык", "en": "Language"},
    "filters": {"ru": "Фильтры", "en": "Filters"},
    "created_range": {"ru": "Дата создания", "en": "Created between"},
    "role_pipeline": {"ru": "Воронка в CRM", "en": "Pipeline"},
    "role_channel": {"ru": "Канал", "en": "Channel"},
    "role_product": {"ru": "Продукт", "en": "Product"},
    "role_owner": {"ru": "Менеджер", "en": "Owner"},
    "role_deal": {"ru": "ID сделки", "en": "Deal ID"},
    "role_title": {"ru": "Название сделки", "en": "Deal title"},
    "role_stage": {"ru": "Этап", "en": "Stage"},
    "role_amount": {"ru": "Сумма", "en": "Amount"},
    "role_currency": {"ru": "Валюта", "en": "Currency"},
    "role_created": {"ru": "Дата создания", "en": "Created"},
    "role_closed": {"ru": "Дата закрытия", "en": "Closed"},
    "role_status": {"ru": "Статус", "en": "Status"},
    "role_lost_stage": {"ru": "Этап при отказе", "en": "Stage at loss"},
    "role_won_at": {"ru": "Дата выигрыша", "en": "Won on"},
    "role_lost_at": {"ru": "Дата отказа", "en": "Lost on"},
    "role_loss_reason": {"ru": "Причина отказа", "en": "Loss reason"},
    "role_at": {"ru": "Дата события", "en": "Event time"},
    "dim_month": {"ru": "Месяц создания", "en": "Month created"},
    "dim_quarter": {"ru": "Квартал создания", "en": "Quarter created"},
    "dim_week": {"ru": "Неделя создания", "en": "Week created"},
    "all": {"ru": "Все", "en": "All"},
    "filter_active": {
        "ru": "Фильтр: {n} из {total} сделок",
        "en": "Filter: {n} of {total} deals",
    },
    # ---- dataset / sample ----
    "sample_note": {
        "ru": "Это **демо-данные** (выгрузка amoCRM «{name}»). Загрузите свою выгрузку — "
        "Excel или CSV — на странице «Данные».",
        "en": "This is **sample data** (an amoCRM export, “{name}”). Load your own export — "
        "Excel or CSV — on the Data page.",
    },
    "load_own": {"ru": "Загрузить свои данные", "en": "Load my own data"},
    "source_note": {
        "ru": "Источник: {name}{sheet} · {deals} · этапов: {stages}",
        "en": "Source: {name}{sheet} · {deals} · {stages} stages",
    },
    "no_data": {
        "ru": "Данные не загружены. Откройте страницу «Данные».",
        "en": "No data loaded. Open the Data page.",
    },
    "no_deals_filter": {
        "ru": "Под фильтры не попала ни одна сделка. Ослабьте фильтры в боковой панели.",
        "en": "No deals match the filters. Loosen the filters in the sidebar.",
    },
    "kept_previous": {
        "ru": "Оставлены предыдущие данные.",
        "en": "The previous data is kept.",
    },
    # ---- funnel page ----
    "kpi_deals": {"ru": "Сделок", "en": "Deals"},
    "kpi_won": {"ru": "Выиграно", "en": "Won"},
    "kpi_win_rate": {"ru": "Конверсия в успех", "en": "Win rate"},
    "kpi_won_amount": {"ru": "Сумма выигранных", "en": "Won amount"},
    "kpi_no_amount": {
        "ru": "В разметке нет столбца суммы: укажите его на странице «Данные».",
        "en": "The mapping has no amount column: choose it on the Data page.",
    },
    "kpi_also_currencies": {"ru": "и ещё: {amounts}", "en": "and also: {amounts}"},
    "currency_pick": {"ru": "Валюта", "en": "Currency"},
    "no_currency": {"ru": "без валюты", "en": "no currency"},
    "money_other_currencies": {
        "ru": "Суммы — только сделки в {cur}; сделки в других валютах ({others}) в них не "
        "входят: выберите валюту выше, чтобы увидеть их.",
        "en": "Amounts count only the deals in {cur}; deals in other currencies ({others}) are "
        "not in them: choose a currency above to see those.",
    },
    "kpi_days_to_win": {"ru": "Медиана дней до успеха", "en": "Median days to win"},
    "kpi_open": {"ru": "в работе: {n}", "en": "open: {n}"},
    "kpi_decided": {"ru": "из закрытых: {p}", "en": "of closed: {p}"},
    "kpi_days_n": {"ru": "по {n} сделкам", "en": "over {n} deals"},
    "measure": {"ru": "Показать", "en": "Show"},
    "measure_deals": {"ru": "Сделки", "en": "Deals"},
    "measure_money": {"ru": "Деньги", "en": "Money"},
    "detail": {"ru": "Детализация", "en": "Detail"},
    "detail_steps": {"ru": "Все этапы", "en": "Steps"},
    "detail_groups": {"ru": "Блоки", "en": "Blocks"},
    "groups_none": {
        "ru": "В спецификации нет блоков этапов — задайте столбец «Блок» в редакторе этапов.",
        "en": "The spec has no stage blocks — fill the 'Block' column in the stage editor.",
    },
    "funnel_title": {"ru": "Воронка", "en": "Funnel"},
    "chart_caption": {
        "ru": "Ширина полосы — сделки, дошедшие до этапа. Подпись: количество · % от "
        "предыдущего · % от первого этапа. Слева от полосы серым — сделки, которые ещё в работе "
        "на предыдущем этапе, красным — проигранные на нём (их число — красным слева).",
        "en": "Bar width = deals that reached the stage. Label: count · % of previous · "
        "% of top. Beside the bar in grey: deals still open at the previous stage; in red: deals "
        "lost there (their number in red on the left).",
    },
    "chart_caption_money": {
        "ru": "Ширина полосы — сумма сделок, дошедших до этапа. Подпись: сумма · % от "
        "предыдущего · % от первого этапа. Серым — сумма сделок, которые ещё в работе на "
        "предыдущем этапе, красным — проигранных на нём.",
        "en": "Bar width = amount of the deals that reached the stage. Label: amount · % of "
        "previous · % of top. In grey: the amount still open at the previous stage; in red: "
        "the amount lost there.",
    },
    "won_row": {"ru": "Успех", "en": "Won"},
    "table_title": {"ru": "Таблица воронки", "en": "Funnel table"},
    "download_csv": {"ru": "Скачать CSV", "en": "Download CSV"},
    "download_xlsx": {"ru": "Скачать XLSX", "en": "Download XLSX"},
    "download_png": {"ru": "Скачать PNG", "en": "Download PNG"},
    "download_svg": {"ru": "Скачать SVG", "en": "Download SVG"},
    "col_stage": {"ru": "Этап", "en": "Stage"},
    "col_group": {"ru": "Блок", "en": "Block"},
    "col_reached": {"ru": "Дошли", "en": "Reached"},
    "col_pct_of_top": {"ru": "% от первого", "en": "% of top"},
    "col_pct_of_previous": {"ru": "% от предыдущего", "en": "% of previous"},
    "col_step_conversion": {"ru": "Переход на следующий", "en": "On to the next"},
    "col_step_conversion_low": {"ru": "Нижн. граница 95\u00a0%", "en": "95% low"},
    "col_step_conversion_high": {"ru": "Верхн. граница 95\u00a0%", "en": "95% high"},
    "col_step_conversion_decided": {
        "ru": "Конверсия без «в работе»",
        "en": "Conversion of decided",
    },
    "col_drop_off": {"ru": "Потеряно на шаге", "en": "Drop-off"},
    # XLSX sheets, named after their table
    "sheet_funnel": {"ru": "Воронка", "en": "Funnel"},
    "export_source": {"ru": "Источник: {name}{sheet}", "en": "Source: {name}{sheet}"},
    "export_filters": {"ru": "Фильтры: {filters}", "en": "Filters: {filters}"},
    "export_no_filters": {"ru": "Без фильтров", "en": "No filters"},
    "export_made": {"ru": "Построено {date} в Voronka", "en": "Made on {date} with Voronka"},
    "sheet_segments": {"ru": "Сегменты", "en": "Segments"},
    "sheet_velocity": {"ru": "Скорость", "en": "Velocity"},
    "sheet_stuck": {"ru": "Зависшие сделки", "en": "Stuck deals"},
    "sheet_cohorts": {"ru": "Когорты", "en": "Cohorts"},
    "sheet_before_after": {"ru": "До и после", "en": "Before and after"},
    "sheet_plan": {"ru": "План", "en": "Plan"},
    "sheet_lost": {"ru": "Проигранные сделки", "en": "Lost deals"},
    # Tooltip keys: the tooltip cuts a key beyond about 24 characters.
    "tip_lost_prev": {"ru": "Проиграны на пред. этапе", "en": "Lost at the stage before"},
    "tip_open_prev": {"ru": "В работе на пред. этапе", "en": "Open at the stage before"},
    "col_lost_at": {"ru": "Проиграны здесь", "en": "Lost here"},
    "col_open_at": {"ru": "В работе здесь", "en": "Open here"},
    "col_reached_amount": {"ru": "Сумма дошедших", "en": "Amount reached"},
    "col_median_days": {"ru": "Медиана дней до след.", "en": "Median days to next"},
    "col_segment": {"ru": "Сегмент", "en": "Segment"},
    "col_deals": {"ru": "Сделок", "en": "Deals"},
    "col_won": {"ru": "Выиграно", "en": "Won"},
    "col_lost": {"ru": "Проиграно", "en": "Lost"},
    "col_open": {"ru": "В работе", "en": "Open"},
    "col_win_rate": {"ru": "Конверсия в успех", "en": "Win rate"},
    "col_won_amount": {"ru": "Сумма выигранных", "en": "Won amount"},
    "col_open_amount": {"ru": "Сумма в работе", "en": "Open amount"},
    "col_lost_stage_unknown": {
        "ru": "Проиграны, этап неизвестен",
        "en": "Lost, stage unknown",
    },
    "col_too_small": {"ru": "Мало данных", "en": "Too small"},
    "lower_bound": {
        "ru": "Конверсии после первого этапа — нижняя граница (см. предупреждение выше).",
        "en": "Conversions after the first stage are a lower bound (see the warning above).",
    },
    # ---- weak points ----
    "weak_title": {"ru": "Слабые места", "en": "Weak points"},
    "weak_by": {"ru": "Сравнивать по", "en": "Compare by"},
    "weak_rank": {"ru": "Ранжировать по", "en": "Rank by"},
    "weak_rank_deals": {"ru": "потерянным сделкам", "en": "deals lost"},
    "weak_rank_money": {"ru": "потерянным деньгам", "en": "money lost"},
    "weak_none": {"ru": "Заметных утечек не найдено.", "en": "No notable leaks found."},
    "weak_unknown": {
        "ru": "Где теряются сделки, по этим данным не сказать: у {n} проигранных сделок нет этапа "
        "отказа. Добавьте столбец «этап при отказе» или загрузите историю этапов.",
        "en": "Where deals are lost cannot be told from this data: {n} lost deals have no stage "
        "at loss. Add a 'stage at loss' column or upload the stage history.",
    },
    "leak_head": {
        "ru": "{from_} → {to}: теряется {pct} закрытых сделок ({n} {deals_word}{money}).",
        "en": "{from_} → {to} loses {pct} of the closed deals ({n} {deals_word}{money}).",
    },
    "leak_best": {
        "ru": " Лучше всех этот шаг проходит сегмент «{best}» — {best_rate}",
        "en": " “{best}” does this step best, at {best_rate}",
    },
    "leak_uplift_segment": {
        "ru": "; на этом уровне сегмент «{segment}» выиграл бы ещё {extra} {deals_word}{money}.",
        "en": "; at that rate “{segment}” would win {extra} more {deals_word}{money}.",
    },
    "leak_unknown": {
        "ru": " Ещё {n} проигранных сделок без этапа отказа здесь не учтены: выгрузка его не "
        "хранит.",
        "en": " {n} more lost deals whose stage at loss is unknown are left out here: the "
        "export does not keep it.",
    },
    "leak_too_small": {
        "ru": " Сегментов слишком мало, чтобы судить о лучшем.",
        "en": " The segments are too small to judge which does better.",
    },
    "leak_segment_small": {
        "ru": " (сегмент мал — оценка неточна)",
        "en": " (small segment — a rough estimate)",
    },
    "leak_deals_title": {
        "ru": "Сделки, потерянные на шаге",
        "en": "Deals lost at the step",
    },
    "col_stage_known": {"ru": "Этап отказа известен", "en": "Stage at loss known"},
    "leak_pick": {"ru": "Показать сделки для", "en": "Show the deals of"},
    # ---- data page ----
    "data_title": {"ru": "Данные", "en": "Data"},
    "upload_label": {
        "ru": "Выгрузка сделок (xlsx, xlsm, xlsb, xls, ods, csv, tsv, txt; до 200 МБ)",
        "en": "Deal export (xlsx, xlsm, xlsb, xls, ods, csv, tsv, txt; up to 200 MB)",
    },
    "sample_button": {"ru": "Вернуть демо-данные", "en": "Back to the sample data"},
    "sheet": {"ru": "Лист", "en": "Sheet"},
    "loading": {"ru": "Читаю файл и распознаю столбцы…", "en": "Reading the file, detecting…"},
    "loaded": {"ru": "Готово: {name}", "en": "Loaded: {name}"},
    "preview": {"ru": "Предпросмотр", "en": "Preview"},
    "preview_caption": {
        "ru": "Заголовок найден в строке {row}; строк: {rows}; пропущено пустых/итоговых: "
        "{dropped}{enc}.",
        "en": "Header found on row {row}; rows: {rows}; empty/total rows dropped: {dropped}{enc}.",
    },
    "roles_title": {"ru": "Столбцы", "en": "Columns"},
    "roles_caption": {
        "ru": "Предложено автоматически; уверенность — в скобках. Поправьте, если нужно.",
        "en": "Proposed automatically; confidence in brackets. Correct if needed.",
    },
    "role_none": {"ru": "— нет —", "en": "— none —"},
    "stages_title": {"ru": "Этапы", "en": "Stages"},
    "stages_caption": {
        "ru": "Порядок задаёт «№»: чтобы передвинуть этап, нажмите «↑ Выше» или «↓ Ниже» "
        "под таблицей или поменяйте его номер (предпросмотр ниже покажет новый порядок). "
        "Переименовать — поправьте «Этап»; объединить значения "
        "в один этап — перечислите их через запятую в «Значения». «Блок» объединяет этапы "
        "для укрупнённого вида; «Столбец даты» — дата, когда сделка дошла до этапа. "
        "Добавить этап — строка внизу таблицы; убрать — снимите «Вкл.» или удалите строку.",
        "en": "“#” sets the order: to move a stage, press “↑ Up” or “↓ Down” under the "
        "table or change its number (the preview below shows the new order). Rename it in "
        "“Stage”; merge values into one stage by listing them comma-separated under "
        "“Values”. “Block” folds stages for the coarse view; "
        "“Date column” holds the date a deal reached the stage. Add a stage with the row at "
        "the bottom; untick “On” or delete the row to remove one.",
    },
    "stage_order": {"ru": "№", "en": "#"},
    "stage_name": {"ru": "Этап", "en": "Stage"},
    "stage_match": {"ru": "Значения", "en": "Values"},
    "stage_group": {"ru": "Блок", "en": "Block"},
    "stage_date_col": {"ru": "Столбец даты", "en": "Date column"},
    "stage_on": {"ru": "Вкл.", "en": "On"},
    "won_values": {"ru": "Значения «успех»", "en": "Won values"},
    "lost_values": {"ru": "Значения «отказ»", "en": "Lost values"},
    "spec_filter": {"ru": "Только строки, где", "en": "Only rows where"},
    "apply": {"ru": "Применить", "en": "Apply"},
    "applied": {"ru": "Разметка применена.", "en": "Mapping applied."},
    "spec_title": {"ru": "Разметка (YAML)", "en": "Mapping (YAML)"},
    "spec_download": {"ru": "Скачать разметку", "en": "Download mapping"},
    "spec_upload": {"ru": "Загрузить сохранённую разметку", "en": "Load a saved mapping"},
    "spec_loaded": {"ru": "Разметка загружена: {name}", "en": "Mapping loaded: {name}"},
    "events_title": {
        "ru": "Второй файл: история этапов или закрытые сделки (необязательно)",
        "en": "A second file: stage history or closed deals (optional)",
    },
    "events_caption": {
        "ru": "История «сделка — этап — дата» уточняет, где теряются проигранные сделки. Список "
        "закрытых сделок, счетов или оплат с ID из первого файла отмечает, какие заявки дошли "
        "до этого шага: так из списка заявок получается воронка «заявка → сделка».",
        "en": "A 'deal — stage — date' history tells where lost deals were lost. A list of "
        "closed deals, invoices or payments keyed by the first file's ID marks which leads got "
        "that far: a list of leads becomes a 'lead → deal' funnel.",
    },
    "events_upload": {"ru": "Второй файл", "en": "Second file"},
    "events_loaded": {
        "ru": "Второй файл подключён: {name}",
        "en": "Second file attached: {name}",
    },
    "events_drop": {"ru": "Отключить второй файл", "en": "Detach the second file"},
    "warnings_title": {"ru": "Что стоит знать о данных", "en": "What to know about the data"},
    "layout": {"ru": "Формат данных: {layout}", "en": "Data layout: {layout}"},
    "layout_snapshot": {"ru": "снимок (этап на сегодня)", "en": "snapshot (current stage)"},
    "layout_stage_dates": {"ru": "даты этапов", "en": "stage dates"},
    "layout_history": {"ru": "история этапов", "en": "stage history"},
    # ---- compare ----
    "compare_title": {"ru": "Сравнение сегментов", "en": "Compare segments"},
    "compare_by": {"ru": "Разрез", "en": "Dimension"},
    "compare_by2": {"ru": "Второй разрез (необязательно)", "en": "Second dimension (optional)"},
    "baseline": {"ru": "База сравнения", "en": "Baseline"},
    "baseline_rest": {"ru": "остальные сегменты", "en": "the rest of the segments"},
    "baseline_too_small": {
        "ru": "В базе сравнения «{name}» {deals} — меньше {n}: судить о различиях с ней рано, "
        "значимых отличий не отмечено. Выберите сегмент побольше или уменьшите порог.",
        "en": "The baseline “{name}” has {deals}, under {n}: too few to judge differences "
        "against, so nothing is marked significant. Pick a larger segment or lower the minimum.",
    },
    "compare_no_dims": {
        "ru": "В данных нет столбцов для сравнения (канал, продукт, менеджер, воронка, дата).",
        "en": "The data has no column to compare by (channel, product, owner, pipeline, date).",
    },
    "small_multiples": {"ru": "Воронки рядом", "en": "Funnels side by side"},
    "small_caption": {
        "ru": "Все воронки на одной шкале: % от первого этапа. Серым — сегменты меньше {n} "
        "сделок, о них судить рано.",
        "en": "All funnels on one scale: % of top. Greyed: segments under {n} deals, too small "
        "to judge.",
    },
    "heatmap_title": {"ru": "Конверсия шагов по сегментам", "en": "Step conversion by segment"},
    "heatmap_caption": {
        "ru": "Ячейка — конверсия шага «этап → следующий». ▲ в зелёной рамке — надёжно выше, "
        "чем у {against}, ▼ в красной пунктирной — надёжно ниже: двусторонний z-тест двух "
        "долей, уровень 95\u00a0%, с поправкой Бенджамини–Хохберга на число ячеек. "
        "Серым — сегменты меньше {n} сделок.",
        "en": "Cell = step conversion 'stage → next'. ▲ in a green frame: reliably higher than "
        "{against}; ▼ in a dashed red frame: reliably lower (two-sided two-proportion z-test "
        "at 95%, Benjamini-Hochberg adjusted for the number of cells). Greyed: segments "
        "under {n} deals.",
    },
    "min_deals": {"ru": "Мин. сделок в сегменте", "en": "Min. deals per segment"},
    "max_segments": {"ru": "Показать сегментов", "en": "Segments shown"},
    "compare_table": {"ru": "Таблица по сегментам", "en": "Table by segment"},
    "compare_steps": {"ru": "Шаги по сегментам", "en": "Steps by segment"},
    "compare_steps_caption": {
        "ru": "Конверсия каждого шага в каждом сегменте, её 95-процентный интервал, с чем она "
        "сравнивается ({against}), p-значение с поправкой Бенджамини–Хохберга и вывод.",
        "en": "Each step's conversion in each segment, its 95% range, what it is compared with "
        "({against}), the Benjamini-Hochberg adjusted p-value and the verdict.",
    },
    "col_step": {"ru": "Шаг", "en": "Step"},
    "col_successes": {"ru": "Прошли", "en": "Passed"},
    "col_trials": {"ru": "Дошли", "en": "Reached"},
    "col_rate": {"ru": "Конверсия шага", "en": "Step conversion"},
    "col_rate_low": {"ru": "Нижн. граница 95\u00a0%", "en": "Low 95%"},
    "col_rate_high": {"ru": "Верхн. граница 95\u00a0%", "en": "High 95%"},
    "col_other_rate": {"ru": "Для сравнения", "en": "Compared with"},
    "col_p_adjusted": {"ru": "p (с поправкой)", "en": "p (adjusted)"},
    "col_verdict": {"ru": "Вывод", "en": "Verdict"},
    "col_significant": {"ru": "Значимо", "en": "Significant"},
    "verdict_better": {"ru": "▲ надёжно выше", "en": "▲ reliably higher"},
    "verdict_worse": {"ru": "▼ надёжно ниже", "en": "▼ reliably lower"},
    "verdict_no_difference": {"ru": "разница в пределах шума", "en": "within noise"},
    "verdict_too_small": {"ru": "мало данных", "en": "too small to judge"},
    "verdict_baseline": {"ru": "база сравнения", "en": "the baseline"},
    "sheet_steps": {"ru": "Шаги по сегментам", "en": "Steps by segment"},
    # ---- errors ----
    # Per-code reader errors: what went wrong and what to do, with no English detail.
    "read_no_rows": {
        "ru": "В «{file}» есть строка заголовков, но нет ни одной сделки под ней.",
        "en": "“{file}” has a header row but no deals under it.",
    },
    "spec_no_stages": {
        "ru": "В «{file}» не найдено этапов воронки: нужен столбец этапа или статуса сделки "
        "либо по столбцу даты на каждый этап.",
        "en": "No funnel stages found in “{file}”: a stage or status column is needed, or one "
        "date column per stage.",
    },
    "n_title_rows_skipped": {
        "ru": "Пропущено строк заголовка над таблицей: {count}.",
        "en": "Title rows above the header skipped: {count}.",
    },
    "n_two_row_header": {
        "ru": "Заголовок в две строки: названия групп и полей объединены.",
        "en": "Two-row header: group and field names combined.",
    },
    "n_junk_rows_dropped": {
        "ru": "Убрано пустых строк, разделителей месяцев и итогов: {count}.",
        "en": "Blank, separator and totals rows dropped: {count}.",
    },
    "n_empty_columns_dropped": {
        "ru": "Убрано пустых безымянных столбцов: {count}.",
        "en": "Empty unnamed columns dropped: {count}.",
    },
    "n_sheet_chosen": {
        "ru": "Выбран лист «{sheet}» — самая большая таблица из {count} листов.",
        "en": "Sheet “{sheet}” chosen, the largest table of {count} sheets.",
    },
    "read_not_found": {
        "ru": "Файл «{file}» не найден или не открывается.",
        "en": "“{file}” cannot be found or opened.",
    },
    "read_too_large": {
        "ru": "Файл «{file}» больше предела в {limit} МБ. Выгрузите меньший период или только "
        "нужные столбцы.",
        "en": "“{file}” is over the {limit} MB limit. Export a shorter period or fewer columns.",
    },
    "read_empty_file": {
        "ru": "Файл «{file}» пуст.",
        "en": "“{file}” is empty.",
    },
    "read_empty_sheet": {
        "ru": "В файле «{file}» нет строк с данными. Выберите другой лист или выгрузку.",
        "en": "“{file}” has no data rows. Pick another sheet or export.",
    },
    "read_unsupported_format": {
        "ru": "«{file}» — не таблица. Подойдут выгрузки Excel (xlsx, xlsm, xlsb, xls), ods и "
        "csv/tsv/txt.",
        "en": "“{file}” is not a table. Excel exports (xlsx, xlsm, xlsb, xls), ods and "
        "csv/tsv/txt work.",
    },
    "read_corrupt_file": {
        "ru": "Файл «{file}» повреждён или сохранён не в том формате, что указан в имени. "
        "Откройте его в Excel и сохраните заново как xlsx или csv.",
        "en": "“{file}” is damaged or not the format its name says. Open it in Excel and save "
        "it again as xlsx or csv.",
    },
    "read_encoding": {
        "ru": "Не удалось определить кодировку «{file}» (пробовали UTF-8, UTF-16, Windows-1251). "
        "Сохраните файл как «CSV UTF-8».",
        "en": "The text encoding of “{file}” is not recognised (tried UTF-8, UTF-16, "
        "Windows-1251). Save it as 'CSV UTF-8'.",
    },
    "read_sheet_not_found": {
        "ru": "В файле «{file}» нет такого листа. Листы: {sheets}.",
        "en": "“{file}” has no such sheet. Its sheets: {sheets}.",
    },
    "read_no_header": {
        "ru": "В «{file}» не найдена строка заголовков в первых строках. Нужна строка с "
        "названиями столбцов над данными.",
        "en": "No header row found near the top of “{file}”. A row of column names above the "
        "data is needed.",
    },
    "error_read": {
        "ru": "Не удалось прочитать файл «{file}» (код ошибки: {code}). Сохраните его заново "
        "как xlsx или csv и загрузите ещё раз.",
        "en": "Could not read “{file}”: {message}",
    },
    "spec_spec_yaml": {
        "ru": "Файл разметки «{file}» — не YAML (ошибка в строке {row}). Загрузите файл, "
        "скачанный из Voronka, или исправьте его.",
        "en": "The mapping file “{file}” is not valid YAML (line {row}). Load a file saved "
        "from Voronka, or fix it.",
    },
    "spec_spec_key": {
        "ru": "В файле разметки «{file}» есть неизвестные ключи ({keys}) — проверьте, что это "
        "разметка Voronka.",
        "en": "The mapping file “{file}” has unknown keys ({keys}): check it is a Voronka mapping.",
    },
    "error_spec": {
        "ru": "Разметка не подходит к данным (код ошибки: {code}). Проверьте её в редакторе "
        "разметки на странице «Данные».",
        "en": "The mapping does not fit the data: {message}",
    },
    "error_missing_column": {
        "ru": "В разметке для роли «{role}» указан столбец «{column}», а в данных его нет.{hint}",
        "en": "The mapping names column “{column}” for “{role}”, but the data has none.{hint}",
    },
    "error_hint": {"ru": " Похожие: {names}.", "en": " Similar: {names}."},
    "error_unexpected": {
        "ru": "Неожиданная ошибка: Voronka не смогла это сделать. Проверьте файл и разметку. "
        "Номер ошибки для поддержки: {ref}.",
        "en": "Unexpected error: Voronka could not do this. Check the file and the mapping. "
        "Error reference for support: {ref}.",
    },
    "error_page": {
        "ru": "Эта страница не смогла показать данные из-за внутренней ошибки. Загруженные "
        "данные и разметка на месте: попробуйте другой фильтр или другую страницу. Номер "
        "ошибки для поддержки: {ref}.",
        "en": "This page could not show the data because of an internal error. The data and "
        "the mapping you loaded are kept: try another filter or another page. Error "
        "reference for support: {ref}.",
    },
    "error_restore": {
        "ru": "Вернуться к «{name}» (вместо «{current}»)",
        "en": "Go back to “{name}” (instead of “{current}”)",
    },
    "error_where": {"ru": " (строка {row})", "en": " (row {row})"},
    "error_expected": {"ru": " Ожидалось: {expected}.", "en": " Expected: {expected}."},
    # ---- notices ----
    "n_detect_date_pipelines": {
        "ru": "Столбцы дат этапов относятся к нескольким воронкам; предложены этапы воронки "
        "«{chosen}». Столбцы воронок {others} не использованы — добавьте их в редакторе этапов.",
        "en": "Stage date columns cover several pipelines; the stages proposed are those of "
        "“{chosen}”. The columns of {others} are left out: add them in the stage editor.",
    },
    "n_detect_history_no_key": {
        "ru": "В истории этапов нет общего с таблицей сделок столбца — ни ID сделки, ни "
        "названия. Укажите его в разметке.",
        "en": "The stage history shares no deal ID or deal name column with the deal list: "
        "map one in the roles.",
    },
    "n_detect_history_columns": {
        "ru": "В истории этапов нужны столбцы сделки, этапа и даты.",
        "en": "The stage history needs a deal, a stage and a date column.",
    },
    "n_detect_pipelines": {
        "ru": "В выгрузке {n} воронки; показана самая большая — «{largest}» ({count} сделок) "
        "со своими этапами. Другие ({others}) можно выбрать в боковой панели.",
        "en": "The export holds {n} pipelines; shown is the largest, “{largest}” ({count} "
        "deals), with its stages. Pick another ({others}) in the sidebar.",
    },
    "n_detect_bitrix_prefixes": {
        "ru": "Стадии содержат префиксы направлений Битрикс24 ({prefixes}); предложены стадии "
        "основного направления. Укажите столбец «Направление» как воронку, чтобы переключаться.",
        "en": "Stage values carry Bitrix24 pipeline prefixes ({prefixes}); the stages of the "
        "main pipeline are proposed. Map the “Направление” column as the pipeline to switch.",
    },
    "n_detect_no_stage": {
        "ru": "Не найден столбец с этапом сделки: укажите его (например, «Этап сделки») или "
        "добавьте по столбцу даты на каждый этап.",
        "en": "No stage column found: map the column holding each deal's stage (e.g. 'Deal "
        "Stage') or add one date column per stage.",
    },
    "n_detect_no_amount": {
        "ru": "Не найден столбец с суммой: денежных показателей (потери, цена исправления) "
        "не будет. Укажите столбец суммы сделки.",
        "en": "No amount column found: money figures (revenue lost, what a fix is worth) will "
        "be missing. Map the deal value column.",
    },
    "n_detect_no_created": {
        "ru": "Не найдена дата создания: разбивки по неделям, месяцам и кварталам не будет. "
        "Укажите столбец даты создания сделки.",
        "en": "No creation date found: breakdowns by week, month or quarter will be missing. "
        "Map the deal's creation date.",
    },
    "n_detect_lost_stage_unknown": {
        "ru": "Проигранные сделки в выгрузке видны только как {values}: на каком этапе они "
        "потеряны, неизвестно. Добавьте столбец «этап при отказе» или историю этапов.",
        "en": "The export shows lost deals only as {values}: the stage at which they were lost "
        "is unknown. Add a 'stage at loss' column or a stage history.",
    },
    "n_detect_paid_is_won": {
        "ru": "Ни одно значение не означает выигрыш: «{value}» (оплачено) считается успехом.",
        "en": "No value says a deal was won: “{value}” (paid) counts as won.",
    },
    "n_detect_payment_is_won": {
        "ru": "Ни одно значение не означает выигрыш: дата в «{column}» (оплата) взята как день "
        "выигрыша.",
        "en": "Nothing says a deal was won: the date in “{column}” (the payment) is taken as "
        "the day it was won.",
    },
    "n_detect_paid_is_stage": {
        "ru": "Ни одно значение не означает выигрыш; «{value}» оставлено этапом. Если это и "
        "есть успех, отметьте его как «выиграна».",
        "en": "No value says a deal was won; “{value}” is kept as a stage. If it means won, "
        "mark it as won.",
    },
    "n_detect_no_outcomes": {
        "ru": "Ни одно значение не отмечает сделки как выигранные или проигранные: добавьте "
        "столбец статуса или отметьте значения в редакторе этапов.",
        "en": "No value marks deals as won or lost: add a status column or mark the values in "
        "the stage editor.",
    },
    "n_lost_stage_unknown": {
        "ru": "{count} из {lost} проигранных сделок не говорят, на каком этапе они потеряны, "
        "поэтому учтены только на первом этапе — конверсии после первого этапа занижены "
        "(это нижняя граница). Исправить: добавьте столбец «этап при отказе» или загрузите "
        "историю этапов.",
        "en": "{count} of {lost} lost deals do not say at which stage they were lost, so they "
        "count for the first stage only and conversions after the first stage are a lower "
        "bound. Fix: add a 'stage at loss' column or upload the stage history.",
    },
    "n_unmapped_stage": {
        "ru": "{count} {rows} имеют значение этапа, которого нет в разметке, и не учтены: "
        "{values}. Исправить: добавьте эти значения в «Значения» нужного этапа или в "
        "«успех»/«отказ» на странице «Данные».",
        "en": "{count} {rows} have a stage value that is not in the mapping and were left out: "
        "{values}. Fix: add these values to a stage's 'Values' or to won/lost on the Data page.",
    },
    "n_stage_value_absent": {
        "ru": "Эти значения из разметки не встречаются в данных: {values}. Возможно, разметка "
        "от другого файла — проверьте этапы.",
        "en": "These mapping values never occur in the data: {values}. The mapping may be for "
        "another file — check the stages.",
    },
    "n_filtered_out": {
        "ru": "{count} строк исключены фильтром разметки ({filter}). Сменить воронку можно в "
        "боковой панели.",
        "en": "{count} rows are left out by the mapping's filter ({filter}). Switch the "
        "pipeline in the sidebar.",
    },
    "n_history_only_deals": {
        "ru": "{count} сделок есть в истории этапов, но нет в списке сделок; они учтены без "
        "канала, продукта и суммы. Исправить: выгрузите список сделок за тот же период.",
        "en": "{count} deals of the stage history are not in the deal list; they are counted "
        "with no channel, product or amount. Fix: export the deal list for the same period.",
    },
    "n_absurd_amounts": {
        "ru": "У {count} сделок сумма, какой не бывает (квадриллион и больше или бесконечность): "
        "строки данных {row_numbers} (сделки {deal_ids}). Денежные итоги с ними ничего не "
        "значат. Исправить: поправьте суммы в выгрузке.",
        "en": "{count} deals have an amount no deal has (a quadrillion or more, or infinite): "
        "data rows {row_numbers} (deals {deal_ids}). Money figures that include them mean "
        "nothing. Fix: correct the amounts in the export.",
    },
    "n_unplaced_deals": {
        "ru": "{count} сделок не имеют ни одного известного разметке этапа и не учтены. "
        "Исправить: проверьте значения этапов на странице «Данные».",
        "en": "{count} deals have no stage the mapping knows and were left out. Fix: check the "
        "stage values on the Data page.",
    },
    "n_detect_order_guess": {
        "ru": "Порядок этапов угадан: {reason}; проверьте его, прежде чем читать воронку. "
        "Без оснований поставлены: {stages}.",
        "en": "The stage order is a guess: {reason}; check it before reading the funnel. "
        "Placed without evidence: {stages}.",
    },
    "n_detect_order_evidence": {
        "ru": "Порядок этапов взят из: {basis}.",
        "en": "Stage order from: {basis}.",
    },
    "order_basis_history": {"ru": "истории этапов", "en": "the stage history"},
    "order_basis_stage_dates": {
        "ru": "дат, когда сделки доходили до этапов",
        "en": "the dates deals reached each stage",
    },
    "order_basis_date_fill": {
        "ru": "того, какие даты этапов заполнены",
        "en": "which stage dates are filled in",
    },
    "order_basis_probability": {
        "ru": "вероятностей успеха этапов",
        "en": "the stages' win probabilities",
    },
    "order_basis_crm_default": {
        "ru": "стандартного порядка {crm}",
        "en": "the default order of {crm}",
    },
    "order_basis_lexicon": {"ru": "названий этапов", "en": "the stage names"},
    "order_basis_numbered": {
        "ru": "номеров в начале названий этапов",
        "en": "the numbers the stage names start with",
    },
    "order_basis_single": {"ru": "единственного этапа", "en": "the only stage"},
    "unmapped_rows_deals": {"ru": "сделок", "en": "deals"},
    "unmapped_rows_history": {"ru": "строк истории этапов", "en": "stage history rows"},
    "bitrix_no_prefix": {"ru": "без префикса", "en": "none"},
    "order_basis_frequency": {
        "ru": "числа сделок на каждом этапе",
        "en": "how many deals sit at each stage",
    },
    "n_detect_stage_date_match": {
        "ru": "«{column}» — дата, когда сделка дошла до этапа «{stage}»: проигранные сделки "
        "с этой датой поставлены на этот этап.",
        "en": "“{column}” holds the date deals reached “{stage}”: lost deals with it are "
        "placed there.",
    },
    "n_detect_events_marks_stage": {
        "ru": "Каждая строка второго файла отмечает этап «{stage}» для сделки из столбца «{key}».",
        "en": "Each row of the second file marks “{stage}” for the deal named in “{key}”.",
    },
    "n_events_unmatched": {
        "ru": "{count} из {total} строк второго файла не совпали ни с одной сделкой и не учтены.",
        "en": "{count} of {total} rows of the second file match no deal and are left out.",
    },
    "n_detect_history_by_title": {
        "ru": "История этапов называет сделки по столбцу «{column}», а не по ID.",
        "en": "The stage history names deals by “{column}”, not by an ID.",
    },
    "none_segment": {"ru": "(не указано)", "en": "(not set)"},
    "empty_value": {"ru": "(пусто)", "en": "(empty)"},
}
# Each feature keeps its strings in its own table under ui/strings/; keys must not collide.
for _table in (sheets.STRINGS, trends.STRINGS, planner.STRINGS, editor.STRINGS, limits.STRINGS):
    if _clash := STRINGS.keys() & _table.keys():
        raise RuntimeError(f"duplicate UI string keys: {sorted(_clash)}")
    STRINGS.update(_table)


def lang() -> str:
    """The current UI language, from the session (set by the sidebar switch)."""
    value = st.session_state.get("lang", "ru")
    return value if value in LANGS else "ru"


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
