"""UI strings of client workspaces: the sidebar's choice, the Clients page, snapshots, saving."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav_workspaces": {"ru": "Клиенты", "en": "Clients"},
    "ws_label": {"ru": "Клиент", "en": "Client"},
    "ws_none": {"ru": "— без клиента (пример) —", "en": "— no client (sample) —"},
    "ws_manage": {
        "ru": "Клиенты: создать, переименовать, архив",
        "en": "Clients: add, rename, archive",
    },
    "ws_title": {"ru": "Клиенты", "en": "Clients"},
    "ws_intro": {
        "ru": "У каждого клиента своё место: его выгрузки (и каждая следующая выгрузка той же "
        "CRM), разметка, отмеченные изменения. Всё сохраняется сразу и возвращается после "
        "перезагрузки страницы и перезапуска сервера.",
        "en": "Each client has a place of their own: their exports (and every later export of "
        "the same CRM), the mapping, the marked changes. Everything is saved at once and comes "
        "back after a page reload or a server restart.",
    },
    "ws_store_off": {
        "ru": "Клиенты не сохраняются на этом сервере: {reason}",
        "en": "Clients are not saved on this server: {reason}",
    },
    "ws_store_broken": {
        "ru": "хранилище не открылось (подробности — в журнале сервера).",
        "en": "the store could not be opened (the server log has the details).",
    },
    "ws_new": {"ru": "Новый клиент", "en": "New client"},
    "ws_new_name": {"ru": "Название", "en": "Name"},
    "ws_new_placeholder": {"ru": "например, «Двери Плюс»", "en": "e.g. “Doors Plus”"},
    "ws_create": {"ru": "Создать", "en": "Create"},
    "ws_created": {
        "ru": "Клиент {name} создан. Загрузите его выгрузку на странице «Данные» — она "
        "сохранится у него.",
        "en": "Client {name} created. Upload their export on the Data page: it is kept there.",
    },
    "ws_created_for_file": {
        "ru": "Выгрузка сохранена у нового клиента «{name}» (переименовать — на странице "
        "«Клиенты»).",
        "en": "The export is kept in a new client, “{name}” (rename it on the Clients page).",
    },
    "ws_name_empty": {"ru": "Введите название клиента.", "en": "Type the client's name."},
    "ws_current": {"ru": "Открыт клиент {name}", "en": "Open client: {name}"},
    "ws_rename": {"ru": "Переименовать", "en": "Rename"},
    "ws_renamed": {"ru": "Клиент переименован.", "en": "The client was renamed."},
    "ws_sources": {"ru": "Источники", "en": "Sources"},
    "ws_no_sources": {
        "ru": "Здесь пока нет выгрузок. Загрузите файл на странице «Данные».",
        "en": "No exports here yet. Upload a file on the Data page.",
    },
    "ws_col_source": {"ru": "Источник", "en": "Source"},
    "ws_col_kind": {"ru": "Тип", "en": "Kind"},
    "ws_kind_file": {"ru": "файл", "en": "file"},
    "ws_kind_sheet": {"ru": "Google Таблица", "en": "Google Sheet"},
    "ws_col_snapshots": {"ru": "Выгрузок", "en": "Exports"},
    "ws_col_last": {"ru": "Последняя", "en": "Latest"},
    "ws_col_name": {"ru": "Клиент", "en": "Client"},
    "ws_col_updated": {"ru": "Изменён", "en": "Changed"},
    "ws_col_size": {"ru": "Объём файлов", "en": "Files"},
    "ws_open_source": {"ru": "Открыть источник", "en": "Open source"},
    "ws_open": {"ru": "Открыть", "en": "Open"},
    "ws_all": {"ru": "Все клиенты", "en": "All clients"},
    "ws_none_yet": {
        "ru": "Клиентов пока нет. Создайте первого или просто загрузите выгрузку — клиент "
        "появится сам.",
        "en": "No clients yet. Create one, or just upload an export: a client is made for it.",
    },
    "ws_size": {
        "ru": "Файлы клиента занимают {size} из {limit}.",
        "en": "The client's files take {size} of {limit}.",
    },
    "ac_link_maker": {"ru": "создатель клиента", "en": "the client's maker"},
    "views_title": {"ru": "Сохранённые виды", "en": "Saved views"},
    "views_none": {
        "ru": "Сохраните то, что видите сейчас (страница, фильтры, разбивка, период), под "
        "именем — и открывайте одним щелчком.",
        "en": "Keep what you see now (page, filters, breakdown, period) under a name, and open "
        "it again in one click.",
    },
    "views_name": {"ru": "Название вида", "en": "View name"},
    "views_placeholder": {"ru": "например, «Контекст, II кв.»", "en": "e.g. “Ads, Q2”"},
    "views_save": {"ru": "Сохранить вид", "en": "Save the view"},
    "views_saved": {"ru": "Вид «{name}» сохранён.", "en": "View “{name}” saved."},
    "views_delete": {"ru": "Удалить вид", "en": "Delete the view"},
    "megabytes": {"ru": "{n} МБ", "en": "{n} MB"},
    "ws_archive": {"ru": "Архив", "en": "Archive"},
    "ws_archive_help": {
        "ru": "Один zip-файл: выгрузки, разметка (YAML), отмеченные изменения и виды. Его можно "
        "сохранить как резервную копию или загрузить на другом сервере.",
        "en": "One zip file: the exports, the mappings (YAML), the marked changes and the views. "
        "Keep it as a backup, or load it on another server.",
    },
    "ws_export": {"ru": "Подготовить архив", "en": "Prepare the archive"},
    "ws_download": {"ru": "Скачать {name}", "en": "Download {name}"},
    "ws_import": {"ru": "Загрузить архив клиента (.zip)", "en": "Load a client's archive (.zip)"},
    "ws_imported": {"ru": "Клиент {name} загружен из архива.", "en": "Client {name} loaded."},
    "ws_delete": {"ru": "Удалить клиента", "en": "Delete the client"},
    "ws_delete_confirm": {
        "ru": "Да, удалить {name} со всеми выгрузками и разметкой",
        "en": "Yes, delete {name} with every export and mapping",
    },
    "ws_deleted": {"ru": "Клиент {name} удалён.", "en": "Client {name} was deleted."},
    "ws_close": {"ru": "Закрыть клиента", "en": "Close the client"},
    "ws_stale": {
        "ru": "Этого клиента только что изменили в другом окне. Изменение не сохранено — "
        "обновите страницу, чтобы увидеть текущее состояние, и повторите.",
        "en": "This client was just changed in another window. The change was not saved: "
        "reload the page to see the current state, then do it again.",
    },
    "ws_not_saved": {"ru": "Данные показаны, но не сохранены.", "en": "Shown, but not saved."},
    "ws_snapshot_added": {
        "ru": "«{name}» — новая выгрузка источника «{source}»: сохранена как снимок № {n}. "
        "Разметка прежняя; переходы сделок между снимками добавлены в историю этапов.",
        "en": "“{name}” is a new export of “{source}”: kept as snapshot {n}. The mapping is "
        "the same; the deals' moves between snapshots are added to the stage history.",
    },
    "ws_snapshot_kept": {
        "ru": "«{name}» — новая выгрузка источника «{source}»: сохранена как снимок № {n}, "
        "разметка прежняя.",
        "en": "“{name}” is a new export of “{source}”: kept as snapshot {n}, with the same "
        "mapping.",
    },
    "ws_events_again": {
        "ru": "Второй файл (история этапов или закрытые сделки), с которым размечен источник, "
        "не найден у клиента: загрузите его снова внизу этой страницы.",
        "en": "The second file (a stage history or closed deals) the source was mapped with is "
        "not found with the client: upload it again at the bottom of this page.",
    },
    "ws_same_export": {
        "ru": "«{name}» совпадает с последней выгрузкой источника: новый снимок не нужен.",
        "en": "“{name}” is the same as the source's latest export: no new snapshot needed.",
    },
    # ---- snapshots on the Data page ----
    "snap_title": {"ru": "Выгрузки по датам", "en": "Exports over time"},
    "snap_help": {
        "ru": "Каждая загрузка новой выгрузки той же CRM — снимок. Сравнивая соседние снимки, "
        "Воронка видит, на какой этап перешла каждая сделка, и для проигранных узнаёт этап "
        "отказа.",
        "en": "Each upload of a new export of the same CRM is a snapshot. Comparing neighbouring "
        "snapshots, Voronka sees which stage each deal moved to, and for lost deals learns the "
        "stage at loss.",
    },
    "snap_one": {
        "ru": "Пока одна выгрузка ({date}). Загрузите следующую выгрузку той же CRM через "
        "неделю — переходы сделок между ними дополнят историю этапов.",
        "en": "One export so far ({date}). Upload the next export of the same CRM in a week: "
        "the deals' moves between them will add to the stage history.",
    },
    "snap_no_history": {
        "ru": "Все выгрузки сохранены. {why} Показана последняя выгрузка.",
        "en": "Every export is kept. {why} The latest export is shown.",
    },
    "snap_col_taken": {"ru": "Дата", "en": "Taken"},
    "snap_col_file": {"ru": "Файл", "en": "File"},
    "snap_col_size": {"ru": "Размер", "en": "Size"},
    "coverage_line": {
        "ru": "История по {snapshots} снимкам: переходы видны у {watched} из {deals} сделок; "
        "этап отказа известен у {known} из {lost} проигранных (без снимков — у {before}).",
        "en": "History from {snapshots} snapshots: moves seen for {watched} of {deals} deals; "
        "stage at loss known for {known} of {lost} lost deals ({before} without snapshots).",
    },
    "coverage_same_day": {
        "ru": "Несколько выгрузок сделаны в один день: их порядок — порядок загрузки.",
        "en": "Some exports were taken on the same day: they are ordered as uploaded.",
    },
    # ---- store errors ----
    "store_not_found": {
        "ru": "Не найдено: возможно, это удалили в другом окне. Обновите страницу.",
        "en": "Not found: perhaps it was deleted in another window. Reload the page.",
    },
    "store_too_big_file": {
        "ru": "Файл {file} не сохранён: {found} МБ, а клиент принимает файлы до {max} МБ.",
        "en": "File {file} was not saved: {found} MB, and a client takes files up to {max} MB.",
    },
    "store_too_big_workspace": {
        "ru": "Файл не сохранён: у клиента стало бы {found} МБ файлов при пределе {max} МБ. "
        "Удалите старые выгрузки или заведите нового клиента.",
        "en": "The file was not saved: the client would hold {found} MB of files where the "
        "limit is {max} MB. Delete old exports or start a new client.",
    },
    "store_too_big": {
        "ru": "Не сохранено: {found_kb} КБ при пределе {max_kb} КБ.",
        "en": "Not saved: {found_kb} KB where the limit is {max_kb} KB.",
    },
    "store_bad_name": {
        "ru": "Название должно быть длиной от 1 до {max} символов.",
        "en": "A name must be 1 to {max} characters long.",
    },
    "store_bad_archive": {
        "ru": "Архив не загружен: это не архив клиента Воронки или он повреждён{member}.",
        "en": "The archive was not loaded: it is not a Voronka client archive, or it is "
        "damaged{member}.",
    },
    "store_bad_view": {
        "ru": "Вид не сохранён: он слишком сложен.",
        "en": "The view was not saved: it is too complex.",
    },
    "store_bad_setting": {
        "ru": "Настройка сервера {name} неверна: нужно целое число байт больше нуля.",
        "en": "The server setting {name} is wrong: a whole number of bytes above zero is needed.",
    },
    "store_database": {
        "ru": "База данных не приняла сохранение; ничего из него не записано.",
        "en": "The database refused the save; none of it was written.",
    },
    "store_stale_version": {
        "ru": "Этого клиента только что изменили в другом окне. Обновите страницу и повторите.",
        "en": "This client was just changed in another window. Reload the page and try again.",
    },
}
