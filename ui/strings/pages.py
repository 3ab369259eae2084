"""UI strings of the navigation, the dataset line and the Funnel, Data and Compare pages."""

from __future__ import annotations

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
    "link_ignored": {
        "ru": "Из ссылки не применено то, чего нет в этих данных или что задано неверно: {names}.",
        "en": "Left out from the link (not in these data, or not valid): {names}.",
    },
    "none_segment": {"ru": "(не указано)", "en": "(not set)"},
    "empty_value": {"ru": "(пусто)", "en": "(empty)"},
}
