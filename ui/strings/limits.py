"""UI strings of what a file or a mapping may not be: the limits the reader keeps, files that
are not tables, and mapping files that cannot be read or do not fit, in both languages."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # ---- a file over a limit, refused before or while reading ----
    "read_file_too_big_to_read": {
        "ru": "Файл «{file}» не удалось прочитать: ему не хватило {max} МБ памяти, которые "
        "Voronka даёт одному файлу. Выгрузите меньший период или только нужные столбцы.",
        "en": "“{file}” could not be read within the {max} MB of memory Voronka gives one "
        "file. Export a shorter period or fewer columns.",
    },
    "read_read_timeout": {
        "ru": "Файл «{file}» читался дольше {max} с — столько Voronka даёт одному файлу. "
        "Выгрузите меньший период или сохраните его как csv.",
        "en": "Reading “{file}” took longer than {max} s, the most Voronka gives one file. "
        "Export a shorter period or save it as csv.",
    },
    "read_unpacked_too_big": {
        "ru": "Файл «{file}» при распаковке становится во много раз больше, чем весит (так "
        "устроены «zip-бомбы»), и Voronka его не открывает. Откройте его в Excel и сохраните "
        "заново как xlsx или csv.",
        "en": "“{file}” unpacks to many times its size (as zip bombs do), so Voronka does not "
        "open it. Open it in Excel and save it again as xlsx or csv.",
    },
    "read_too_many_rows": {
        "ru": "В файле «{file}» {found} строк, а Voronka читает до {max}. Выгрузите меньший "
        "период.",
        "en": "“{file}” has {found} rows; Voronka reads up to {max}. Export a shorter period.",
    },
    "read_too_many_columns": {
        "ru": "В файле «{file}» {found} столбцов, а Voronka читает до {max}. Выгрузите только "
        "нужные столбцы.",
        "en": "“{file}” has {found} columns; Voronka reads up to {max}. Export only the "
        "columns you need.",
    },
    "read_cell_too_long": {
        "ru": "В файле «{file}» есть ячейка длиной {found} символов, а Voronka читает ячейки "
        "до {max}. Уберите из выгрузки длинные поля (комментарии, переписку).",
        "en": "A cell of “{file}” holds {found} characters; Voronka reads cells up to {max}. "
        "Leave long fields (comments, correspondence) out of the export.",
    },
    "read_line_too_long": {
        "ru": "В файле «{file}» есть строка длиной {found} символов, а Voronka читает строки "
        "до {max}. Похоже, это не таблица или в ней потеряны переносы строк.",
        "en": "A line of “{file}” holds {found} characters; Voronka reads lines up to {max}. "
        "It may not be a table, or its line breaks were lost.",
    },
    "read_password_protected": {
        "ru": "Файл «{file}» защищён паролем. Откройте его в Excel, снимите пароль и "
        "загрузите снова.",
        "en": "“{file}” is password protected. Open it in Excel, remove the password and "
        "upload it again.",
    },
    "read_server_busy": {
        "ru": "Сервер сейчас читает файлы других пользователей, и «{file}» не дождался "
        "очереди. Загрузите его ещё раз через минуту.",
        "en": "The server is reading other people's files and “{file}” did not get its turn. "
        "Upload it again in a minute.",
    },
    "read_not_a_file": {
        "ru": "«{file}» — не файл с таблицей.",
        "en": "“{file}” is not a file holding a table.",
    },
    # ---- a mapping file that cannot be read or does not fit ----
    "spec_spec_encoding": {
        "ru": "Файл разметки «{file}» не в кодировке UTF-8 (или вовсе не текст). Сохраните "
        "его как UTF-8 либо скачайте разметку из Voronka заново.",
        "en": "The mapping file “{file}” is not UTF-8 text. Save it as UTF-8, or download the "
        "mapping from Voronka again.",
    },
    "spec_spec_alias": {
        "ru": "В файле разметки «{file}» есть ссылки YAML (& и *), а Voronka их не читает: "
        "запишите значения полностью.",
        "en": "The mapping file “{file}” uses YAML anchors or aliases (& and *), which "
        "Voronka does not read: write the values out.",
    },
    "spec_spec_too_deep": {
        "ru": "Файл разметки «{file}» вложен слишком глубоко — это не разметка Voronka.",
        "en": "The mapping file “{file}” nests too deep to be a Voronka mapping.",
    },
    "spec_spec_too_big": {
        "ru": "Файл разметки «{file}» слишком велик для разметки (Voronka читает до 1 МБ).",
        "en": "The mapping file “{file}” is too big for a mapping (Voronka reads up to 1 MB).",
    },
    "spec_not_a_file": {
        "ru": "«{file}» — не файл разметки.",
        "en": "“{file}” is not a mapping file.",
    },
    "spec_problems": {
        "ru": "Файл разметки «{file}» не подходит: {problems}.",
        "en": "The mapping file “{file}” does not fit: {problems}.",
    },
    "spec_problem": {"ru": "«{key}» — нужно {expected}", "en": "“{key}”: {expected} expected"},
    "spec_problem_top": {"ru": "нужно {expected}", "en": "{expected} expected"},
    # What a key of the mapping should hold (the schema's words, English, to Russian).
    "spec_expected_a text": {"ru": "текст", "en": "a text"},
    "spec_expected_a value or a list of values": {
        "ru": "значение или список значений",
        "en": "a value or a list of values",
    },
    "spec_expected_a stage name or a mapping with 'name'": {
        "ru": "название этапа или блок с «name»",
        "en": "a stage name or a mapping with 'name'",
    },
    "spec_expected_a mapping with 'columns' and 'stages'": {
        "ru": "блок с «columns» и «stages»",
        "en": "a mapping with 'columns' and 'stages'",
    },
    "spec_expected_a mapping of roles to column headers": {
        "ru": "соответствие ролей столбцам",
        "en": "a mapping of roles to column headers",
    },
    "spec_expected_a non-empty list of stages": {
        "ru": "непустой список этапов",
        "en": "a non-empty list of stages",
    },
    "spec_expected_a mapping of roles to lists of values": {
        "ru": "соответствие ролей спискам значений",
        "en": "a mapping of roles to lists of values",
    },
    "spec_expected_deal or title": {"ru": "deal или title", "en": "deal or title"},
    "spec_expected_a mapping with 'columns'": {
        "ru": "блок с «columns»",
        "en": "a mapping with 'columns'",
    },
    "spec_expected_a date as YYYY-MM-DD": {
        "ru": "дата в виде ГГГГ-ММ-ДД",
        "en": "a date as YYYY-MM-DD",
    },
    "spec_expected_a mapping with 'date' and 'label'": {
        "ru": "блок с «date» и «label»",
        "en": "a mapping with 'date' and 'label'",
    },
    "spec_expected_a list of changes, each with 'date' and 'label'": {
        "ru": "список изменений, у каждого «date» и «label»",
        "en": "a list of changes, each with 'date' and 'label'",
    },
    "spec_expected_a mapping of subjects to reasons": {
        "ru": "соответствие пунктов причинам",
        "en": "a mapping of subjects to reasons",
    },
    # ---- a mapping that names what the data or the loaded files do not have ----
    "spec_events_missing": {
        "ru": "Разметка «{file}» читает историю этапов из второго файла, а он не загружен. "
        "Загрузите файл истории вместе со сделками или уберите из разметки блок «events».",
        "en": "The mapping “{file}” reads the stage history from a second file, which is not "
        "loaded. Load the history file with the deals, or remove the 'events' block from "
        "the mapping.",
    },
    "spec_no_created": {
        "ru": "Для этого нужна дата создания сделки, а в разметке её нет. Укажите столбец с "
        "датой в редакторе разметки на странице «Данные».",
        "en": "This needs the deal's creation date, and the mapping has none. Pick the date "
        "column in the mapping editor on the Data page.",
    },
    "spec_unknown_dimension": {
        "ru": "Нельзя разбить по «{column}»: в данных нет такого столбца или роли.",
        "en": "Cannot break down by “{column}”: the data has no such column or role.",
    },
    "spec_unknown_period": {
        "ru": "Неизвестный период «{column}»: нужен день, неделя, месяц, квартал или год.",
        "en": "Unknown period “{column}”: a day, week, month, quarter or year is needed.",
    },
    "spec_not_found": {
        "ru": "Файл разметки «{file}» не найден или не открывается.",
        "en": "The mapping file “{file}” cannot be found or opened.",
    },
    "spec_spec_role": {
        "ru": "В файле разметки «{file}» неизвестная роль столбца «{role}». Загрузите файл, "
        "скачанный из Voronka, или исправьте его.",
        "en": "The mapping file “{file}” names an unknown column role “{role}”. Load a file "
        "saved from Voronka, or fix it.",
    },
    "spec_spec_stages": {
        "ru": "В файле разметки «{file}» список этапов пуст, у этапа нет имени или имя "
        "повторяется. Загрузите файл, скачанный из Voronka, или исправьте его.",
        "en": "The mapping file “{file}” has an empty stage list, a stage with no name or a "
        "name used twice. Load a file saved from Voronka, or fix it.",
    },
    "spec_spec_shape": {
        "ru": "Файл разметки «{file}» устроен не так, как разметка Voronka. Загрузите файл, "
        "скачанный из Voronka, или исправьте его.",
        "en": "The mapping file “{file}” is not shaped like a Voronka mapping. Load a file "
        "saved from Voronka, or fix it.",
    },
    "spec_spec_events": {
        "ru": "В файле разметки «{file}» блок второго файла («events») неполон: нужны столбцы "
        "сделки, этапа и даты. Загрузите файл, скачанный из Voronka, или исправьте его.",
        "en": "The mapping file “{file}” has an incomplete second-file block ('events'): it "
        "needs the deal, stage and date columns. Load a file saved from Voronka, or fix it.",
    },
    "spec_spec_changes": {
        "ru": "В файле разметки «{file}» у отмеченного изменения нет даты или дата не в виде "
        "ГГГГ-ММ-ДД.",
        "en": "The mapping file “{file}” has a marked change with no date, or a date not "
        "written as YYYY-MM-DD.",
    },
}
