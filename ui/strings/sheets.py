"""UI strings for Google Sheets links: pasting, private access, refresh."""

STRINGS: dict[str, dict[str, str]] = {
    # ---- the box on the Data page ----
    "gs_title": {"ru": "Google Таблица", "en": "Google Sheet"},
    "gs_link_label": {"ru": "Ссылка на Google Таблицу", "en": "Google Sheets link"},
    "gs_link_placeholder": {
        "ru": "https://docs.google.com/spreadsheets/d/…",
        "en": "https://docs.google.com/spreadsheets/d/…",
    },
    "gs_link_help": {
        "ru": "Подойдёт ссылка «Поделиться», адрес открытой вкладки (…/edit#gid=…) или ссылка "
        "«Опубликовать в интернете». Открываются только адреса docs.google.com.",
        "en": 'A share link, the address of an open tab (…/edit#gid=…) or a "Publish to the '
        'web" link. Only docs.google.com addresses are opened.',
    },
    "gs_open": {"ru": "Открыть", "en": "Open"},
    "gs_no_link": {"ru": "Вставьте ссылку на таблицу.", "en": "Paste a link to the sheet."},
    "gs_public_hint": {
        "ru": "Таблица с доступом «Все, у кого есть ссылка — читатель» открывается без ключа. "
        "Читается вкладка из ссылки; чтобы взять другую, откройте её в браузере и скопируйте "
        "адрес заново.",
        "en": 'A sheet shared as "Anyone with the link — Viewer" opens without a key. The tab '
        "in the link is read; for another tab, open it in the browser and copy its address.",
    },
    "gs_loaded": {
        "ru": "Открыта Google Таблица «{name}».",
        "en": 'Google Sheet "{name}" opened.',
    },
    "gs_source": {
        "ru": "Google Таблица «{name}» · получена из Google в {time} · повторно запрашивается "
        "не чаще раза в {minutes} мин",
        "en": 'Google Sheet "{name}" · fetched from Google at {time} · asked again at most '
        "once every {minutes} min",
    },
    "gs_refresh": {"ru": "Обновить сейчас", "en": "Refresh now"},
    "gs_refreshed": {
        "ru": "Данные обновлены из Google Таблицы, разметка сохранена.",
        "en": "Data refreshed from the Google Sheet; the mapping is kept.",
    },
    # ---- private sheets ----
    "gs_private_title": {
        "ru": "Закрытая таблица: сервисный аккаунт",
        "en": "Private sheet: service account",
    },
    "gs_share_with": {
        "ru": "В «Настройках доступа» таблицы добавьте читателем адрес:",
        "en": 'In the sheet\'s "Share" settings, add this address as a Viewer:',
    },
    "gs_key_from_secrets": {
        "ru": "Ключ сервисного аккаунта задан в настройках приложения (secrets).",
        "en": "The service account key is set in the app's settings (secrets).",
    },
    "gs_key_from_upload": {
        "ru": "Используется ключ, загруженный в этой сессии: он хранится только в памяти до "
        "закрытия вкладки, не записывается на диск и нигде не показывается.",
        "en": "Using the key uploaded in this session: it stays in memory until the tab is "
        "closed, is never written to disk and never shown.",
    },
    "gs_key_none": {
        "ru": "Ключа нет — открываются только таблицы с доступом по ссылке. Чтобы читать "
        "закрытую таблицу, загрузите JSON-ключ сервисного аккаунта Google Cloud.",
        "en": "No key: only sheets shared by link open. To read a private sheet, upload the "
        "JSON key of a Google Cloud service account.",
    },
    "gs_key_upload": {
        "ru": "JSON-ключ сервисного аккаунта (только на эту сессию)",
        "en": "Service account JSON key (this session only)",
    },
    "gs_key_loaded": {
        "ru": "Ключ принят. Поделитесь таблицей с {email} и откройте ссылку.",
        "en": "Key accepted. Share the sheet with {email} and open the link.",
    },
    "gs_key_forget": {"ru": "Забыть ключ", "en": "Forget the key"},
    # ---- errors: ui.notices.error_text maps InputError code X to read_X ----
    "read_not_google": {
        "ru": "«{file}» — не Google Таблица: приложение открывает только ссылки вида "
        "https://docs.google.com/spreadsheets/d/…. Скопируйте адрес таблицы из браузера.",
        "en": '"{file}" is not a Google Sheet: only links like '
        "https://docs.google.com/spreadsheets/d/… are opened. Copy the sheet's address from "
        "the browser.",
    },
    "read_gsheet_bad_link": {
        "ru": "«{file}» — ссылка Google, но не на таблицу. Откройте таблицу и скопируйте адрес "
        "из строки браузера (…/spreadsheets/d/…).",
        "en": '"{file}" is a Google link but not to a spreadsheet. Open the sheet and copy the '
        "address from the browser bar (…/spreadsheets/d/…).",
    },
    "read_gsheet_not_shared": {
        "ru": "Таблица «{file}» закрыта: Google просит войти в аккаунт. В таблице нажмите "
        "«Настройки доступа» → «Все, у кого есть ссылка» → «Читатель», или откройте её "
        "сервисному аккаунту (раздел «Закрытая таблица» выше на странице «Данные»).",
        "en": '"{file}" is not shared: Google asks to sign in. In the sheet, press Share → '
        '"Anyone with the link" → "Viewer", or share it with a service account (the "Private '
        'sheet" section above on the Data page).',
    },
    "read_gsheet_not_shared_sa": {
        "ru": "Таблица «{file}» не открыта сервисному аккаунту. В таблице нажмите «Настройки "
        "доступа» и добавьте читателем {email}.",
        "en": '"{file}" is not shared with the service account. In the sheet, press Share and '
        "add {email} as a viewer.",
    },
    "read_gsheet_not_found": {
        "ru": "Таблица «{file}» не найдена. Проверьте ссылку: возможно, она скопирована не "
        "полностью или таблицу удалили.",
        "en": '"{file}" was not found. Check the link: it may be cut short, or the sheet was '
        "deleted.",
    },
    "read_gsheet_tab_not_found": {
        "ru": "В таблице «{file}» нет вкладки из ссылки. Откройте нужную вкладку и скопируйте "
        "адрес заново.",
        "en": '"{file}" has no tab the link names. Open the tab you need and copy its address '
        "again.",
    },
    "read_gsheet_quota": {
        "ru": "Google временно ограничил число запросов к таблицам (квота). Подождите минуту и "
        "нажмите «Обновить сейчас» (страница «Данные»).",
        "en": "Google is limiting requests to sheets for now (quota). Wait a minute and press "
        '"Refresh now" (the Data page).',
    },
    # the same, when no sheet from that link is loaded: there is no refresh button yet
    "read_gsheet_quota_open": {
        "ru": "Google временно ограничил число запросов к таблицам (квота). Подождите минуту и "
        "нажмите «Открыть» ещё раз.",
        "en": "Google is limiting requests to sheets for now (quota). Wait a minute and press "
        '"Open" again.',
    },
    "read_gsheet_timeout": {
        "ru": "Google не ответил вовремя ({file}). Проверьте подключение и попробуйте ещё раз.",
        "en": "Google did not answer in time ({file}). Check the connection and try again.",
    },
    "read_gsheet_unreachable": {
        "ru": "Не удалось связаться с Google ({file}). Проверьте подключение к интернету и "
        "попробуйте ещё раз.",
        "en": "Google could not be reached ({file}). Check the internet connection and try again.",
    },
    "read_gsheet_foreign_redirect": {
        "ru": "Google перенаправил запрос таблицы «{file}» на сторонний адрес; из соображений "
        "безопасности он не открыт. Проверьте ссылку.",
        "en": 'Google redirected "{file}" to a non-Google address, which was not fetched for '
        "safety. Check the link.",
    },
    "read_gsheet_too_large": {
        "ru": "Таблица «{file}» больше предела в {limit} МБ. Оставьте на вкладке только нужные "
        "строки и столбцы или возьмите период короче.",
        "en": '"{file}" is over the {limit} MB limit. Keep only the rows and columns you need '
        "on the tab, or a shorter period.",
    },
    "read_gsheet_bad_key": {
        "ru": "Ключ сервисного аккаунта не подходит. Нужен JSON-файл ключа из Google Cloud: "
        "IAM → Сервисные аккаунты → Ключи → Добавить ключ → JSON.",
        "en": "The service account key cannot be used. The JSON key file from Google Cloud is "
        "needed: IAM → Service accounts → Keys → Add key → JSON.",
    },
    "read_gsheet_key_rejected": {
        "ru": "Google не принял этот ключ: он удалён или отозван. Создайте новый ключ в Google "
        "Cloud и загрузите его.",
        "en": "Google did not accept this key: it was deleted or revoked. Create a new key in "
        "Google Cloud and upload it.",
    },
    # ---- the app's own key in .streamlit/secrets.toml (never a value from it is shown) ----
    "gs_secrets_toml": {
        "ru": "Файл настроек .streamlit/secrets.toml не читается: ошибка синтаксиса TOML в "
        "строке {line}. Пока он не исправлен, ключа приложения нет и открываются только "
        "таблицы с доступом по ссылке.",
        "en": "The settings file .streamlit/secrets.toml cannot be read: a TOML syntax error on "
        "line {line}. Until it is fixed there is no app key, and only sheets shared by link "
        "open.",
    },
    "gs_secrets_unreadable": {
        "ru": "Настройки приложения (secrets) не читаются. Пока они не исправлены, ключа "
        "приложения нет и открываются только таблицы с доступом по ссылке.",
        "en": "The app's settings (secrets) cannot be read. Until they are fixed there is no "
        "app key, and only sheets shared by link open.",
    },
    "gs_secrets_not_section": {
        "ru": "В .streamlit/secrets.toml «{section}» — не раздел. Нужен раздел [{section}] с "
        "полями JSON-ключа сервисного аккаунта.",
        "en": 'In .streamlit/secrets.toml "{section}" is not a section. A [{section}] section '
        "with the fields of the service account's JSON key is needed.",
    },
    "gs_secrets_fields": {
        "ru": "В .streamlit/secrets.toml в разделе [{section}] нет нужных полей или они неверны: "
        "{fields}. Перенесите их из JSON-ключа сервисного аккаунта (type должен быть "
        "service_account). Пока раздел не исправлен, ключа приложения нет.",
        "en": "In .streamlit/secrets.toml the [{section}] section lacks fields or has wrong "
        "ones: {fields}. Copy them from the service account's JSON key (type must be "
        "service_account). Until it is fixed there is no app key.",
    },
}
