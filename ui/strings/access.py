"""UI strings of who may see what: the two modes, signing in, secret links, the read-only view."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # ---- the mode ----
    "ac_mode_local": {
        "ru": "Локальный режим: видны все клиенты — всем, кто открыл Воронку на этом компьютере.",
        "en": "Local mode: every client is listed, to anyone who opens Voronka on this computer.",
    },
    "ac_mode_shared": {
        "ru": "Общий сервер: видны только ваши клиенты; чужих можно открыть лишь по их ссылке.",
        "en": "Shared server: only your clients are listed; others open by their link only.",
    },
    # ---- signing in ----
    "ac_sign_in": {"ru": "Войти", "en": "Sign in"},
    "ac_sign_in_with": {"ru": "Войти через {provider}", "en": "Sign in with {provider}"},
    "ac_sign_out": {"ru": "Выйти", "en": "Sign out"},
    "ac_signed_in_as": {"ru": "Вы вошли как {name}", "en": "Signed in as {name}"},
    "ac_sign_in_needed": {
        "ru": "Войдите, чтобы увидеть своих клиентов. Клиента можно открыть и по его секретной "
        "ссылке.",
        "en": "Sign in to see your clients. A client also opens by its secret link.",
    },
    "ac_links_only": {
        "ru": "На этом сервере вход не настроен: клиенты открываются только по секретным ссылкам.",
        "en": "Signing in is not set up on this server: clients open by their secret links only.",
    },
    "ac_not_yours": {
        "ru": "Этот клиент вам недоступен. Откройте его по ссылке, которую вам прислали, или "
        "войдите как его владелец.",
        "en": "You cannot open this client. Use the link you were sent, or sign in as its owner.",
    },
    # ---- secret links ----
    "ac_links_title": {"ru": "Доступ по ссылке", "en": "Access by link"},
    "ac_links_intro": {
        "ru": "Кто получит ссылку, тот и откроет клиента — пароль не спросят. Отправляйте её "
        "только тем, кому она предназначена; ненужную отзовите.",
        "en": "Whoever has a link opens the client: no password is asked. Send it only to "
        "whom it is meant for, and revoke it when it is no longer needed.",
    },
    "ac_link_label": {"ru": "Для кого ссылка", "en": "Who the link is for"},
    "ac_link_label_placeholder": {
        "ru": "например, «директор по продажам клиента»",
        "en": "e.g. “the client's head of sales”",
    },
    "ac_link_create_edit": {
        "ru": "Создать ссылку для работы",
        "en": "Create an edit link",
    },
    "ac_link_create_read": {
        "ru": "Создать ссылку только для просмотра",
        "en": "Create a read-only link",
    },
    "ac_link_created": {
        "ru": "Ссылка создана. Скопируйте её сейчас: второй раз её не показать — на сервере "
        "хранится только её отпечаток.",
        "en": "The link was created. Copy it now: it cannot be shown again, as the server keeps "
        "only its fingerprint.",
    },
    "ac_link_keep": {
        "ru": "Сохраните эту ссылку: на этом сервере вернуться к клиенту можно только по ней.",
        "en": "Keep this link: on this server it is the only way back to the client.",
    },
    "ac_link_copy": {"ru": "Скопировать ссылку", "en": "Copy the link"},
    "ac_link_copied": {"ru": "Ссылка скопирована.", "en": "Link copied."},
    "ac_link_revoke": {"ru": "Отозвать", "en": "Revoke"},
    "ac_link_revoke_confirm": {
        "ru": "Отозвать ссылку {label}? Она сразу перестанет открывать клиента.",
        "en": "Revoke the link {label}? It stops opening the client at once.",
    },
    "ac_link_revoked": {
        "ru": "Ссылка отозвана: она больше ничего не открывает.",
        "en": "The link was revoked: it opens nothing any more.",
    },
    "ac_link_invalid": {
        "ru": "Эта ссылка недействительна или была отозвана.",
        "en": "This link is not valid or was revoked.",
    },
    "ac_no_links": {"ru": "Ссылок пока нет.", "en": "No links yet."},
    "ac_col_label": {"ru": "Для кого", "en": "For"},
    "ac_col_role": {"ru": "Доступ", "en": "Access"},
    "ac_col_created": {"ru": "Создана", "en": "Created"},
    "ac_col_revoked": {"ru": "Отозвана", "en": "Revoked"},
    "ac_role_owner": {"ru": "владелец", "en": "owner"},
    "ac_role_edit": {"ru": "работа", "en": "edit"},
    "ac_role_read": {"ru": "только просмотр", "en": "read-only"},
    # ---- the read-only view ----
    "ac_read_only": {"ru": "Только просмотр", "en": "Read-only view"},
    "ac_read_only_note": {
        "ru": "Открыто по ссылке только для просмотра: дашборды без редактора разметки и без "
        "исходных файлов.",
        "en": "Opened by a read-only link: the dashboards, without the mapping editor or the "
        "raw files.",
    },
    # ---- the store's refusal (ui.notices looks up store_<code>) ----
    "store_bad_role": {
        "ru": "Ссылка может давать только доступ для работы или только для просмотра.",
        "en": "A link gives either edit access or read-only access.",
    },
}
