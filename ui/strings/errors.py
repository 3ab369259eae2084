"""UI strings of errors: files that cannot be read, mappings that do not fit, the page boundary."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
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
    # ---- repeated exports of one source read as its stage history ----
    "spec_snapshots_none": {
        "ru": "Нет ни одной выгрузки, из которой можно собрать историю этапов.",
        "en": "There is no export to build a stage history from.",
    },
    "spec_snapshots_no_deal": {
        "ru": "Выгрузки сопоставляются по ID сделки, а в разметке нет столбца с ID. Укажите его "
        "в редакторе разметки.",
        "en": "Exports are matched by deal id, and the mapping names no id column. Pick it in "
        "the mapping editor.",
    },
    "spec_snapshots_layout": {
        "ru": "В этом источнике уже есть даты этапов: повторные выгрузки не добавят истории.",
        "en": "This source already dates its stages: repeated exports add no history to it.",
    },
    "spec_snapshots_outcomes": {
        "ru": "Разметка узнаёт выигрыш или проигрыш по столбцу даты, без значения этапа: укажите "
        "в редакторе, какие значения этапа означают выигрыш и проигрыш.",
        "en": "The mapping reads won or lost from a date column with no stage value: name the "
        "won and lost values in the mapping editor.",
    },
    "spec_snapshots_events": {
        "ru": "Второй файл этой разметки связан не по ID сделки, поэтому историю из повторных "
        "выгрузок с ним не объединить.",
        "en": "This mapping's second file is not joined by deal id, so a history from repeated "
        "exports cannot be merged with it.",
    },
}
