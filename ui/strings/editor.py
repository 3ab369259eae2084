"""UI strings of the mapping editor, of a file waiting for its mapping and of the guess note."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # ---- a file waiting for its mapping ----
    "pending_note": {
        "ru": "«{name}» открыт для разметки: этапы воронки в нём не распознаны. Укажите ниже, "
        "где они, и нажмите «Применить». До этого остальные страницы показывают «{current}».",
        "en": "“{name}” is open for mapping: its funnel stages were not recognised. Say below "
        "where they are and press Apply. Until then the other pages show “{current}”.",
    },
    "pending_note_first": {
        "ru": "«{name}» открыт для разметки: этапы воронки в нём не распознаны. Укажите ниже, "
        "где они, и нажмите «Применить».",
        "en": "“{name}” is open for mapping: its funnel stages were not recognised. Say below "
        "where they are and press Apply.",
    },
    "pending_discard": {"ru": "Отменить этот файл", "en": "Drop this file"},
    "pending_elsewhere": {
        "ru": "Файл «{name}» ждёт разметки на странице «Данные»; здесь пока «{current}».",
        "en": "“{name}” waits for its mapping on the Data page; this page still shows “{current}”.",
    },
    "pending_open": {"ru": "Открыть разметку", "en": "Open the mapping"},
    "pending_loaded": {
        "ru": "«{name}» прочитан, но этапы не распознаны — разметьте его ниже.",
        "en": "“{name}” was read, but no stages were recognised: map it below.",
    },
    # ---- columns ----
    "columns_title": {"ru": "Столбцы файла", "en": "The file's columns"},
    "columns_col": {"ru": "Столбец", "en": "Column"},
    "columns_values": {"ru": "Значения (частые)", "en": "Values (most common)"},
    "columns_role": {"ru": "Роль в разметке", "en": "Role in the mapping"},
    "role_stage_date": {"ru": "дата этапа «{stage}»", "en": "date of stage “{stage}”"},
    "role_proposed": {"ru": "предложено: {column}{sure}", "en": "proposed: {column}{sure}"},
    "role_not_found": {"ru": "не найдено", "en": "not found"},
    "preview_empty": {"ru": "столбец пуст", "en": "the column is empty"},
    "ask_stage": {
        "ru": "Не удалось понять, где в файле этапы воронки. **Какой столбец содержит этап "
        "сделки?** Выберите его в поле «Этап». Или, если на каждый этап в файле есть своя "
        "дата, **в каких столбцах дата, когда сделка дошла до этапа?** Выберите их ниже. "
        "А если это список заявок (лидов), добавьте внизу страницы **второй файл**: закрытые "
        "сделки или оплаты с тем же ID — Voronka соединит их сама.",
        "en": "Voronka could not tell where the funnel stages are in this file. **Which column "
        "holds the stage of each deal?** Pick it under “Stage”. Or, if the file has a date "
        "for each stage, **which columns hold the date each stage was reached?** Pick them "
        "below. If it is a list of leads, add a **second file** at the bottom of the page: "
        "the closed deals or payments with the same ID, and Voronka joins them itself.",
    },
    "ask_date_columns": {
        "ru": "Столбцы с датой, когда сделка дошла до этапа (по одному на этап, по порядку)",
        "en": "Columns holding the date each stage was reached (one per stage, in order)",
    },
    "none_yet": {"ru": "не выбраны", "en": "none chosen"},
    "stages_from_column": {
        "ru": "Взять этапы из значений столбца {column}",
        "en": "Take the stages from the values of {column}",
    },
    "stage_move": {"ru": "Переместить этап", "en": "Move a stage"},
    "stage_up": {"ru": "↑ Выше", "en": "↑ Up"},
    "stage_down": {"ru": "↓ Ниже", "en": "↓ Down"},
    # ---- edits that cannot work ----
    "edit_row": {"ru": "Строка {row}: ", "en": "Row {row}: "},
    "edit_stage_no_name": {
        "ru": "у этапа нет названия, хотя другие ячейки заполнены. Назовите этап или "
        "очистите строку.",
        "en": "the stage has no name, though other cells are filled. Name it or clear the row.",
    },
    "edit_stage_name_twice": {
        "ru": "название {name} уже есть в строке {first}. У каждого этапа своё название; чтобы "
        "объединить значения в один этап, перечислите их в «Значения» одной строки.",
        "en": "the name {name} is used in row {first} too. Each stage needs its own name; to "
        "merge values into one stage, list them under “Values” of one row.",
    },
    "edit_value_twice": {
        "ru": "значение {value} этапа {name} уже относится к строке {first} ({first_name}). "
        "Одно значение может означать только один этап.",
        "en": "the value {value} of {name} already belongs to row {first} ({first_name}). A "
        "value can mean one stage only.",
    },
    "edit_date_column_twice": {
        "ru": "столбец даты {column} этапа {name} уже выбран для строки {first} ({first_name}). "
        "У каждого этапа должен быть свой столбец даты.",
        "en": "the date column {column} of {name} is already the date of row {first} "
        "({first_name}). Each stage needs its own date column.",
    },
    "edit_date_column_unknown": {
        "ru": "в файле нет столбца {column} (этап {name}).",
        "en": "the file has no column {column} (stage {name}).",
    },
    "edit_outcome_is_stage": {
        "ru": "{value} отмечено как {outcome} и одновременно является значением этапа {name}. "
        "Уберите его из одного из двух мест.",
        "en": "{value} is marked {outcome} and is also a value of the stage {name}. Remove it "
        "from one of the two.",
    },
    "edit_outcome_won": {"ru": "«успех»", "en": "won"},
    "edit_outcome_lost": {"ru": "«отказ»", "en": "lost"},
    "edit_won_and_lost": {
        "ru": "{value} отмечено и как «успех», и как «отказ».",
        "en": "{value} is marked both won and lost.",
    },
    "edit_no_stages": {
        "ru": "Не осталось ни одного этапа: добавьте этап или включите его («Вкл.»).",
        "en": "No stage is left: add a stage or tick “On”.",
    },
    "edit_no_stage_source": {
        "ru": "Ничто не говорит, до какого этапа дошла сделка: выберите столбец этапа (или "
        "статуса) либо столбцы дат для этапов.",
        "en": "Nothing says which stage a deal reached: pick the stage (or status) column, or a "
        "date column for the stages.",
    },
    "edit_not_applied": {
        "ru": "Ничего не применено: сначала исправьте строки, названные выше.",
        "en": "Nothing was applied: fix the rows named above first.",
    },
    "edit_preview_title": {"ru": "Воронка по этой разметке", "en": "The funnel of this mapping"},
    "edit_preview_caption": {
        "ru": "Сделок в воронке: {deals} из {rows} строк; не учтено: {left}.",
        "en": "Deals in the funnel: {deals} of {rows} rows; left out: {left}.",
    },
    "edit_preview_blocked": {
        "ru": "Предпросмотр появится, когда ошибки выше будут исправлены.",
        "en": "The preview returns once the problems above are fixed.",
    },
    "edit_preview_waiting": {
        "ru": "Предпросмотр появится, когда будут выбраны этапы (см. вопрос выше).",
        "en": "The preview appears once the stages are chosen (see the question above).",
    },
    "edit_preview_none": {
        "ru": "Предпросмотр недоступен ({kind}): проверьте столбцы и этапы.",
        "en": "No preview ({kind}): check the columns and the stages.",
    },
    "yes": {"ru": "да", "en": "yes"},
    "no": {"ru": "нет", "en": "no"},
    # ---- the guess note ----
    "guess_stage_order": {
        "ru": "Порядок этапов угадан: {reason}.",
        "en": "The stage order is a guess: {reason}.",
    },
    "guess_role": {
        "ru": "Столбец {column} для роли «{role}» выбран наугад.",
        "en": "The column {column} for “{role}” is a guess.",
    },
    "guess_outcomes": {
        "ru": "Ни одно значение в файле не говорит, что сделка выиграна или проиграна: все "
        "сделки считаются открытыми. Укажите значения «успех» и «отказ» или столбец статуса.",
        "en": "No value in the file says a deal was won or lost: every deal counts as open. "
        "Mark the won and lost values or choose the status column.",
    },
    "guess_other": {
        "ru": "Часть разметки угадана.",
        "en": "Part of the mapping is a guess.",
    },
    "guess_check": {
        "ru": "Проверьте разметку, прежде чем делать выводы по цифрам.",
        "en": "Check the mapping before reading the numbers.",
    },
    "guess_reason_lexicon": {
        "ru": "по названиям этапов (так они обычно идут), а не по данным",
        "en": "from the stage names (their usual order), not from the data",
    },
    "guess_reason_frequency": {
        "ru": "по числу сделок на каждом этапе (на ранних их больше)",
        "en": "from how many deals sit at each stage (more at earlier ones)",
    },
    "guess_reason_mixed": {
        "ru": "часть этапов расставлена по данным, остальные — наугад",
        "en": "some stages are placed from the data, the rest by guess",
    },
    "guess_reason_disagree": {
        "ru": "признаки в данных противоречат друг другу",
        "en": "the clues in the data disagree",
    },
    "guess_reason_unknown": {
        "ru": "в файле нет порядка этапов",
        "en": "the file does not carry the order",
    },
    "guess_open_editor": {"ru": "Проверить порядок", "en": "Check the order"},
    "guess_confirm": {"ru": "Порядок верный", "en": "The order is right"},
    "guess_confirmed": {
        "ru": "Порядок этапов подтверждён и запомнен для этого файла.",
        "en": "The stage order is confirmed and remembered for this file.",
    },
    "guess_weak": {
        "ru": "Шаги ниже идут в угаданном порядке этапов — проверьте его (см. вверху страницы).",
        "en": "The steps below follow a guessed stage order: check it (see the top of the page).",
    },
}
