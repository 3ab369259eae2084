"""Vocabularies for column detection: header spellings per role, outcome words, CRM stage orders.

Everything here is data plus the small functions that look it up; ``funnel.detect.columns`` and
``funnel.detect.infer`` decide. Header keys are compared after :func:`header_key` (``norm_label``,
``_`` as space, Pipedrive's ``Deal - `` prefix, pandas' ``.1`` duplicate suffix and unit suffixes
such as ``, руб.`` removed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from funnel.values import norm_label

# One header reading: the role it suggests (None = a known noise column), how sure, which CRM.
Hint = tuple[str | None, float, str]

_MANGLED = re.compile(r"^(.*\S)\.(\d+)$")
_PREFIX = re.compile(r"^(deal|сделка|obchod|opportunity) - ")
_UNIT = re.compile(r"\s*[,(]\s*(руб\.?|р\.|₽|rub|usd|eur|\$|€|тыс\.? руб\.?)\s*\)?$")
_QUOTES = str.maketrans({c: " " for c in "«»\"“”'`"})


@dataclass(frozen=True)
class HeaderKey:
    """A header reduced for lookup, with what the reduction removed."""

    key: str
    mangled: bool  # pandas renamed a duplicate header "X" to "X.1"
    pipedrive: bool  # the "Deal - " prefix of Pipedrive exports


def header_key(header: object) -> HeaderKey:
    """The lookup key of a source header.

    >>> header_key("Бюджет ")
    HeaderKey(key='бюджет', mangled=False, pipedrive=False)
    >>> header_key("utm_source.1")
    HeaderKey(key='utm source', mangled=True, pipedrive=False)
    >>> header_key("Deal - Currency of Value").key
    'currency of value'
    """
    text = str(header)
    mangled = False
    m = _MANGLED.match(text.strip())
    if m and not re.fullmatch(r"[\d\s.,]*", m.group(1)):
        text, mangled = m.group(1), True
    key = norm_label(text.translate(_QUOTES).replace("_", " "))
    pipedrive = bool(_PREFIX.match(key))
    key = _PREFIX.sub("", key)
    key = _UNIT.sub("", key).strip(" :.-")
    return HeaderKey(norm_label(key), mangled, pipedrive)


def _table(rows: list[tuple[str, str | None, float, str]]) -> dict[str, list[Hint]]:
    out: dict[str, list[Hint]] = {}
    for spelling, role, conf, crm in rows:
        out.setdefault(header_key(spelling).key, []).append((role, conf, crm))
    return out


# Exact header spellings (after header_key). Several rows for one key give several readings.
_EXACT_ROWS: list[tuple[str, str | None, float, str]] = [
    # stage
    ("Этап сделки", "stage", 0.95, ""),
    ("Этап", "stage", 0.9, ""),
    ("Этап воронки", "stage", 0.9, ""),
    ("Стадия", "stage", 0.9, ""),
    ("Стадия сделки", "stage", 0.95, "Bitrix24"),
    ("Стадия заявки", "stage", 0.9, "Bitrix24"),
    ("Статус сделки", "stage", 0.85, ""),
    ("Статус сделки", "status", 0.55, ""),
    ("Статус", "status", 0.8, ""),
    ("Статус", "stage", 0.6, ""),
    ("Stage", "stage", 0.9, ""),
    ("Deal Stage", "stage", 0.95, "HubSpot"),
    ("Pipeline stage", "stage", 0.9, ""),
    ("Stage (pipeline)", "stage", 0.85, "Pipedrive"),
    ("To Stage", "stage", 0.9, "Salesforce"),
    ("STAGE_ID", "stage", 0.9, "Bitrix24"),
    ("Stage name", "stage", 0.9, ""),
    # status
    ("Status", "status", 0.9, ""),
    ("Status", "stage", 0.6, ""),  # Kommo's English UI heads the stage column "Status"
    ("Deal status", "status", 0.9, ""),
    ("Состояние", "status", 0.6, ""),
    ("Итог", "status", 0.7, ""),
    ("Результат", "status", 0.7, ""),
    ("Группа стадий", "status", 0.75, "Bitrix24"),
    ("STAGE_SEMANTIC_ID", "status", 0.7, "Bitrix24"),
    ("Won", "status", 0.6, ""),
    # pipeline
    ("Воронка", "pipeline", 0.95, ""),
    ("Воронка продаж", "pipeline", 0.9, ""),
    ("Направление", "pipeline", 0.9, ""),
    ("Направление сделки", "pipeline", 0.9, "Bitrix24"),
    ("Pipeline", "pipeline", 0.95, ""),
    ("CATEGORY_ID", "pipeline", 0.8, "Bitrix24"),
    # channel
    ("Источник", "channel", 0.9, ""),
    ("Источник лида", "channel", 0.9, ""),
    ("Источник сделки", "channel", 0.9, ""),
    ("Источник трафика", "channel", 0.85, ""),
    ("Канал", "channel", 0.9, ""),
    ("Канал продаж", "channel", 0.85, ""),
    ("Канал привлечения", "channel", 0.9, ""),
    ("Откуда узнал", "channel", 0.7, ""),
    ("Source", "channel", 0.85, ""),
    ("Lead Source", "channel", 0.9, "Salesforce"),
    ("Original Source", "channel", 0.85, "HubSpot"),
    ("Original Traffic Source", "channel", 0.85, "HubSpot"),
    ("Source channel", "channel", 0.9, "Pipedrive"),
    ("Source origin", "channel", 0.6, "Pipedrive"),
    ("Channel", "channel", 0.85, ""),
    ("utm_source", "channel", 0.6, "UTM"),
    ("SOURCE_ID", "channel", 0.7, "Bitrix24"),
    # product
    ("Продукт", "product", 0.9, ""),
    ("Товар", "product", 0.85, ""),
    ("Товары", "product", 0.8, ""),
    ("Услуга", "product", 0.85, ""),
    ("Продукт/услуга", "product", 0.9, ""),
    ("Product", "product", 0.9, ""),
    ("Product name", "product", 0.9, "Pipedrive"),
    ("Products", "product", 0.8, ""),
    ("Тип", "product", 0.5, ""),
    ("Тип сделки", "product", 0.5, ""),
    ("Type", "product", 0.5, ""),
    ("Deal Type", "product", 0.5, "HubSpot"),
    # owner
    ("Ответственный", "owner", 0.95, ""),
    ("Ответственный менеджер", "owner", 0.95, ""),
    ("Менеджер", "owner", 0.9, ""),
    ("Продавец", "owner", 0.8, ""),
    ("Owner", "owner", 0.9, ""),
    ("Deal owner", "owner", 0.95, "HubSpot"),
    ("Opportunity Owner", "owner", 0.95, "Salesforce"),
    ("Sales rep", "owner", 0.85, ""),
    ("ASSIGNED_BY_ID", "owner", 0.7, "Bitrix24"),
    # amount
    ("Бюджет", "amount", 0.95, ""),
    ("Сумма", "amount", 0.95, ""),
    ("Сумма сделки", "amount", 0.95, ""),
    ("Стоимость", "amount", 0.8, ""),
    ("Выручка", "amount", 0.75, ""),
    ("Цена", "amount", 0.6, ""),
    ("Amount", "amount", 0.95, ""),
    ("Value", "amount", 0.9, ""),
    ("Deal value", "amount", 0.95, ""),
    ("Amount in company currency", "amount", 0.85, "HubSpot"),
    ("Revenue", "amount", 0.7, ""),
    ("OPPORTUNITY", "amount", 0.8, "Bitrix24"),
    # currency
    ("Валюта", "currency", 0.95, ""),
    ("Currency", "currency", 0.95, ""),
    ("Currency of value", "currency", 0.95, "Pipedrive"),
    ("CURRENCY_ID", "currency", 0.9, "Bitrix24"),
    # created
    ("Дата создания", "created", 0.95, ""),
    ("Дата создания сделки", "created", 0.95, "amoCRM"),
    ("Создана", "created", 0.85, ""),
    ("Создано", "created", 0.85, ""),
    ("Дата начала", "created", 0.55, "Bitrix24"),
    ("Created", "created", 0.9, ""),
    ("Create Date", "created", 0.95, "HubSpot"),
    ("Created Date", "created", 0.95, "Salesforce"),
    ("Created at", "created", 0.9, ""),
    ("Deal created", "created", 0.95, "Pipedrive"),
    ("Add time", "created", 0.85, "Pipedrive"),
    ("DATE_CREATE", "created", 0.9, "Bitrix24"),
    ("CREATED_TIME", "created", 0.6, "Bitrix24"),
    # closed
    ("Дата закрытия", "closed", 0.95, ""),
    ("Дата закрытия сделки", "closed", 0.95, ""),
    ("Закрыта", "closed", 0.7, ""),
    ("Сделка закрыта", "closed", 0.7, "Bitrix24"),
    ("Close Date", "closed", 0.9, ""),
    ("Closed", "closed", 0.8, ""),
    ("Closed Date", "closed", 0.9, ""),
    ("Closed at", "closed", 0.9, ""),
    ("Deal closed on", "closed", 0.95, "Pipedrive"),
    # Filled for won deals only, which is all the creation-to-win time needs.
    ("Won time", "closed", 0.7, "Pipedrive"),
    ("Close time", "closed", 0.9, "Pipedrive"),
    ("CLOSEDATE", "closed", 0.85, "Bitrix24"),
    # the day a deal was won or lost (a register with no status column)
    ("Дата отказа", "lost_at", 0.85, ""),
    ("Дата проигрыша", "lost_at", 0.85, ""),
    ("Дата отмены", "lost_at", 0.8, ""),
    ("Lost date", "lost_at", 0.85, ""),
    ("Date lost", "lost_at", 0.85, ""),
    ("Дата выигрыша", "won_at", 0.85, ""),
    ("Дата успеха", "won_at", 0.8, ""),
    ("Won date", "won_at", 0.85, ""),
    ("Date won", "won_at", 0.85, ""),
    # lost stage
    ("Этап отказа", "lost_stage", 0.95, ""),
    ("Этап при отказе", "lost_stage", 0.95, ""),
    ("Этап потери", "lost_stage", 0.9, ""),
    ("Стадия отказа", "lost_stage", 0.9, ""),
    ("Stage at loss", "lost_stage", 0.95, ""),
    ("Lost stage", "lost_stage", 0.95, ""),
    ("Lost at stage", "lost_stage", 0.9, ""),
    ("Stage at close", "lost_stage", 0.7, ""),
    # loss reason
    ("Причина отказа", "loss_reason", 0.95, ""),
    ("Причина", "loss_reason", 0.6, ""),
    ("Причина проигрыша", "loss_reason", 0.9, ""),
    ("Причина провала", "loss_reason", 0.9, "Bitrix24"),
    ("Причина закрытия", "loss_reason", 0.85, ""),
    ("Closed Lost Reason", "loss_reason", 0.95, "HubSpot"),
    ("Lost reason", "loss_reason", 0.95, "Pipedrive"),
    ("Loss reason", "loss_reason", 0.95, ""),
    ("Reason lost", "loss_reason", 0.9, ""),
    # deal id
    ("ID", "deal", 0.9, ""),
    ("Record ID", "deal", 0.95, "HubSpot"),
    ("Deal ID", "deal", 0.95, ""),
    ("ID сделки", "deal", 0.95, ""),
    ("№", "deal", 0.8, ""),
    ("№ п/п", "deal", 0.6, ""),
    ("№ сделки", "deal", 0.9, ""),
    ("Номер", "deal", 0.7, ""),
    ("Номер сделки", "deal", 0.9, ""),
    ("Opportunity ID", "deal", 0.95, "Salesforce"),
    ("OWNER_ID", "deal", 0.6, "Bitrix24 history"),
    # title
    ("Название сделки", "title", 0.95, ""),
    ("Название", "title", 0.85, ""),
    ("Название заявки", "title", 0.9, "Bitrix24"),
    ("Наименование", "title", 0.8, ""),
    ("Сделка", "title", 0.75, ""),
    ("Deal", "title", 0.7, ""),
    ("Клиент", "title", 0.55, ""),
    ("Deal Name", "title", 0.95, "HubSpot"),
    ("Opportunity Name", "title", 0.95, "Salesforce"),
    ("Title", "title", 0.9, ""),
    ("Name", "title", 0.6, ""),
    # known noise: these would fool the value rules (unique numbers, dates, small text sets)
    *(
        (h, None, 0.9, "")
        for h in (
            "Предполагаемая дата закрытия",
            "Expected close date",
            "Дата изменения",
            "Дата редактирования",
            "Дата последнего изменения",
            "Last Modified",
            "Last Modified Date",
            "Last Modified By",
            "Update time",
            "Last stage change",
            "Last activity date",
            "Next activity date",
            "Last Activity Date",
            "Lost time",
            "Archive time",
            "Archive status",
            "Weighted value",
            "Currency of Weighted value",
            "Expected Revenue",
            "Probability",
            "Probability (%)",
            "Вероятность",
            "Age",
            "Forecast Category",
            "From Stage",
            "Old Value",
            "Visible to",
            "Label",
            "Теги",
            "Теги сделки",
            "Tags",
            "Кем создана",
            "Кем создана сделка",
            "Кем создано",
            "Кем изменена",
            "Кем изменено",
            "Кем редактирована",
            "Creator",
            "Ответственный за контакт",
            "Ближайшая задача",
            "Source origin ID",
            "Source channel ID",
            "Product quantity",
            "Product amount",
            "Total activities",
            "Done activities",
            "Activities to do",
            "Email messages count",
            "Город",
            "Должность",
            "Комментарий",
            "Примечание",
            "Description",
            "Notes",
            "Компания",
            "Компания контакта",
            "Полное имя контакта",
            "Основной контакт",
            "Контакт",
            "Contact person",
            "Organization",
            "Account Name",
            "Original Traffic Source Drill-Down 1",
            "Original Traffic Source Drill-Down 2",
        )
    ),
]
EXACT: dict[str, list[Hint]] = _table(_EXACT_ROWS)

# Loose readings tried in order when no exact spelling matched; the first match wins.
PATTERNS: list[tuple[re.Pattern[str], str | None, float]] = [
    (re.compile(p), role, conf)
    for p, role, conf in [
        (r"телефон|phone|факс|e-?mail|почта|адрес|address|сайт|website", None, 0.9),
        (r"^utm ", None, 0.9),
        (r"^(ym uid|roistat|referrer|openstat|gclid|yclid|fbclid|gclientid|from)\b", None, 0.9),
        (r"^(примечание|комментари|notes?\b|тег)", None, 0.9),
        (r"^кем |\bby$|\bid$|^id ", None, 0.6),
        (
            r"^(last|latest|next|previous|updated|modified|последн\w*|следующ\w*|ближайш\w*|"
            r"изменен\w*|обновлен\w*)\b",
            None,
            0.8,
        ),
        (r"(этап|стадия)\w* (при |на момент )?(отказ|проигр|потер)", "lost_stage", 0.85),
        (r"(stage|этап).*(loss|lost)|lost.*stage", "lost_stage", 0.85),
        (r"причин\w* (отказ|проигр|провал|потер|закрыт)|(lost|loss) reason", "loss_reason", 0.85),
        (r"^(этап|стадия)", "stage", 0.8),
        (r"\bstage$", "stage", 0.75),
        (r"^воронка|pipeline$", "pipeline", 0.8),
        (r"^(источник|канал|откуда)|source$|^channel", "channel", 0.75),
        (r"^(ответственн|менеджер)|owner$", "owner", 0.8),
        (
            r"\b(agent|sales ?rep|salesperson|seller|account manager|manager|продавец|куратор|"
            r"ответственный|менеджер|assigned to|responsible)\b",
            "owner",
            0.75,
        ),
        (r"campaign|кампани|объявлени|ad ?group|keyword|ключев", None, 0.8),
        (
            r"^(бюджет|сумма|стоимость|цена|выручка|доход|средний чек)|^чек($|[\s,(])|"
            r"amount$|value$|^(price|deal size|revenue)\b",
            "amount",
            0.8,
        ),
        (r"^валюта|currency$", "currency", 0.8),
        (r"^дата создани|^creat\w* (date|time|on)$|^date created", "created", 0.85),
        (r"^дата закрыти|^clos\w* (date|time|on)$|^date closed", "closed", 0.85),
        (r"^(продукт|товар|услуг)|product$", "product", 0.75),
        (r"^(название|наименование)|name$", "title", 0.6),
        (r"(^|\W)(deal|сделка|opportunity)(\W|$)", "title", 0.5),
        (r"^статус", "status", 0.7),
    ]
]

# Event (stage history) tables: their own spellings; other roles do not apply there.
EVENT_EXACT: dict[str, list[Hint]] = _table(
    [
        ("OWNER_ID", "deal", 0.9, "Bitrix24 history"),
        ("Deal ID", "deal", 0.95, ""),
        ("ID сделки", "deal", 0.95, ""),
        ("Сделка ID", "deal", 0.9, ""),
        ("Opportunity ID", "deal", 0.95, "Salesforce"),
        ("Record ID", "deal", 0.9, "HubSpot"),
        ("ID", "deal", 0.3, ""),  # in a history this is usually the history row
        ("Opportunity Name", "title", 0.95, "Salesforce"),
        ("Deal Name", "title", 0.9, ""),
        ("Title", "title", 0.85, ""),
        ("Название сделки", "title", 0.9, ""),
        ("Сделка", "title", 0.7, ""),
        ("Deal", "title", 0.75, ""),
        ("Opportunity", "title", 0.75, ""),
        ("Клиент", "title", 0.6, ""),
        ("Название", "title", 0.7, ""),
        ("STAGE_ID", "stage", 0.95, "Bitrix24 history"),
        ("Status", "stage", 0.7, ""),
        ("Статус", "stage", 0.7, ""),
        ("New status", "stage", 0.9, ""),
        ("New stage", "stage", 0.9, ""),
        ("Новый статус", "stage", 0.9, ""),
        ("To status", "stage", 0.9, ""),
        ("Stage after", "stage", 0.85, ""),
        ("Новая стадия", "stage", 0.9, ""),
        ("To Stage", "stage", 0.95, "Salesforce"),
        ("New Value", "stage", 0.75, "Salesforce field history"),
        ("Новое значение", "stage", 0.75, ""),
        ("Stage", "stage", 0.9, ""),
        ("Этап", "stage", 0.9, ""),
        ("Стадия", "stage", 0.9, ""),
        ("Этап сделки", "stage", 0.9, ""),
        ("Стадия сделки", "stage", 0.9, ""),
        ("Новый этап", "stage", 0.9, ""),
        ("CREATED_TIME", "at", 0.95, "Bitrix24 history"),
        ("Last Modified", "at", 0.9, "Salesforce"),
        ("Last Modified Date", "at", 0.9, "Salesforce"),
        ("Edit Date", "at", 0.9, "Salesforce field history"),
        ("Date", "at", 0.85, ""),
        ("Дата", "at", 0.85, ""),
        ("Changed at", "at", 0.95, ""),
        ("Changed", "at", 0.8, ""),
        ("Timestamp", "at", 0.85, ""),
        ("Дата изменения", "at", 0.9, ""),
        ("Updated", "at", 0.8, ""),
        ("Updated at", "at", 0.85, ""),
        ("Modified", "at", 0.8, ""),
        ("When", "at", 0.8, ""),
        ("Когда", "at", 0.8, ""),
        ("Обновлено", "at", 0.8, ""),
        ("Изменено", "at", 0.8, ""),
        ("Дата перехода", "at", 0.95, ""),
        ("Время", "at", 0.7, ""),
        ("Created Date", "at", 0.6, ""),
        ("Дата создания", "at", 0.6, ""),
        ("From Stage", None, 0.9, ""),
        ("Old Value", None, 0.9, ""),
        ("Старое значение", None, 0.9, ""),
        ("Last Modified By", None, 0.9, ""),
    ]
)

# HubSpot 'Date entered "<Stage> (<Pipeline>)"' and its siblings that are not stage dates.
HUBSPOT_ENTERED = re.compile(r'^\s*date entered\s*["“«]?(.+?)["”»]?\s*$', re.I)
HUBSPOT_OTHER = re.compile(r"^\s*(date exited|cumulative time in|time in|latest time in)\b", re.I)
PIPELINE_SUFFIX = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
# Hand-made registers and amoCRM robot fields: «Дата <stage>», «Дата этапа <stage>»,
# «<stage> (дата)».
STAGE_DATE_RU = re.compile(
    r"^\s*дата(?:\s*[:\-–—]\s*|\s+)(?:этапа\s+|стадии\s+)?[«\"“]?(.+?)[»\"”]?\s*$", re.I
)
STAGE_DATE_SUFFIX = re.compile(
    r"^\s*(.+?)\s*(?:\(\s*дата\s*\)|[,:\-–]\s*дата|\(\s*date\s*\))\s*$", re.I
)
STAGE_DATE_EN = re.compile(r"^\s*(?:date(?:\s*:\s*|\s+)(?:of )?(.+?)|(.+?) date)\s*$", re.I)
# Words after «Дата»/before "date" that name a deal-level date, not a stage.
NOT_A_STAGE = re.compile(
    r"^(создани|закрыти|изменени|редактировани|начала|последн|следующ|рождени|предполага|"
    r"ближайш|обновлени|create|close|closing|modif|edit|update|last|next|expected|birth|start|"
    r"end|due|won|lost|archive|entered|exited)"
)

# Outcome words, compared after norm_label (and without a Bitrix "C<n>:" prefix).
WON_WORDS = frozenset(
    {
        "успешно реализовано", "сделка успешна", "успешная сделка", "успешно", "успех",
        "выиграна", "выиграно", "выигрыш", "победа", "сделка заключена", "реализовано",
        "won deal", "sold", "продано",
        "закрыта успешно", "завершена успешно", "won", "closed won", "closedwon", "deal won",
        "win", "успешные", "s",
    }
)  # fmt: skip
LOST_WORDS = frozenset(
    {
        "закрыто и не реализовано", "не реализовано", "нереализовано", "сделка провалена",
        "провалена", "провал", "анализ причины провала", "проиграна", "проиграно", "проигрыш",
        "отказ", "отказано", "отказался", "отказ клиента", "отменена", "отменено", "слив",
        "неуспешно", "закрыта неуспешно", "не состоялась", "lost", "closed lost", "closedlost",
        "deal lost", "lose", "apology", "провальные", "f", "cancelled", "canceled", "rejected",
        "отклонена", "отклонено", "отменен",
    }
)  # fmt: skip
OPEN_WORDS = frozenset(
    {
        "open", "в работе", "активна", "активная", "открыта", "открытая", "in progress",
        "в процессе", "не закрыта", "в работе (открыта)", "открытые", "p", "active",
        "активный", "активные", "open deal", "opened", "ongoing", "pending",
    }
)  # fmt: skip
# "Paid" is a stage in some funnels and the won outcome in others: won only in a status column.
PAID_WORDS = frozenset({"оплачено", "оплачен", "оплачена", "оплата получена", "paid"})
# Single letters are Bitrix semantic codes (P/S/F); they count only in a status column.
STATUS_ONLY = frozenset({"s", "f", "p"})

STAGE_HINTS = re.compile(
    r"договор|сч[её]т|\bкп\b|коммерческ|предложени|встреч|переговор|контакт|квалифик|заявк|"
    r"\bлид|оплат|презентац|демо|неразобранное|решени|согласовани|замер|смет|"
    r"demo|proposal|negotiat|qualif|contract|meeting|contact|appointment|presentation|invoice|"
    r"\blead|prospect|decision|discovery|closed|^new$|preparation|executing"
)
CHANNEL_HINTS = re.compile(
    r"яндекс|yandex|google|гугл|директ|instagram|инстаграм|facebook|vk|вконтакте|telegram|"
    r"телеграм|avito|авито|сайт|site|web|рекоменд|referral|сарафан|холодн|cold|organic|"
    r"органик|direct|email|рассылк|seo|контекст|таргет|paid search|social|выставк|партн[её]р"
)
CURRENCY_WORDS = frozenset(
    {"rub", "руб", "руб.", "₽", "р.", "usd", "$", "eur", "€", "kzt", "byn", "uah", "cny", "gbp",
     "рубль", "доллар", "евро", "тенге", "российский рубль"}
)  # fmt: skip
DEAL_TYPE_WORDS = frozenset(
    {"new business", "existing business", "new", "existing", "renewal", "upsell", "upgrade",
     "new customer", "existing customer", "repeat", "repeat business", "cross-sell",
     "новый клиент", "существующий клиент", "повторная продажа", "повторная", "первичная",
     "новая продажа", "допродажа", "продление", "новый", "постоянный", "постоянный клиент",
     "первичный", "повторный"}
)  # fmt: skip
PERSON_NAME = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]+(?:[ -][A-ZА-ЯЁ][a-zа-яё.]+){1,2}$")
DEAL_CODE = re.compile(r"^[#№]?\s*[A-Za-zА-Яа-я]{0,6}[-_/ ]?\d{1,12}$")
BITRIX_PREFIX = re.compile(r"^c(\d+):")

# Default stage orders of the CRMs (won/lost left out: they are outcomes, not stages).
KNOWN_ORDERS: dict[str, tuple[str, ...]] = {
    "amoCRM": ("неразобранное", "первичный контакт", "переговоры", "принимают решение",
               "согласование договора"),
    "Bitrix24": ("new", "preparation", "prepayment_invoice", "executing", "final_invoice"),
    "Bitrix24 (names)": ("новая", "подготовка документов", "счет на предоплату", "в работе",
                         "финальный счет"),
    "HubSpot": ("appointment scheduled", "qualified to buy", "presentation scheduled",
                "decision maker bought-in", "contract sent"),
    "Salesforce": ("prospecting", "qualification", "needs analysis", "value proposition",
                   "id. decision makers", "perception analysis", "proposal/price quote",
                   "negotiation/review"),
    "Pipedrive": ("qualified", "contact made", "demo scheduled", "proposal made",
                  "negotiations started"),
    "Pipedrive (old)": ("idea", "contact made", "needs discovered", "proposal presented",
                        "in negotiation"),
}  # fmt: skip


# "07 - Closed Won", "Closed-Lost", "Закрыто: не реализовано": numbering and punctuation aside.
_NUMBERING = re.compile(r"^\s*(?:этап|stage|шаг|step)?\s*\d{1,2}\s*[.):\-–—]?\s+")
_PUNCT = re.compile(r"[\s\-–—_:;,./()|]+")
_CLOSED_WON = re.compile(r"^(closed|закрыт\w*|сделка)\s+(won|win|выигран\w*|успешн\w*)$")
_CLOSED_LOST = re.compile(
    r"^(closed|закрыт\w*|сделка)\s+(lost|lose|проигран\w*|неуспешн\w*|не реализован\w*)$"
)


def _bare(key: str) -> str:
    return _PUNCT.sub(" ", _NUMBERING.sub("", key)).strip()


def outcome_of(key: str, *, in_status: bool = False) -> str | None:
    """``"won"``, ``"lost"``, ``"open"``, ``"paid"`` or None for a normalised value.

    >>> outcome_of("c2:lose"), outcome_of("closed won"), outcome_of("оплачено")
    ('lost', 'won', 'paid')
    >>> outcome_of("07 - closed won"), outcome_of("closed - lost"), outcome_of("active")
    ('won', 'lost', 'open')
    >>> outcome_of("купили в рассрочку"), outcome_of("отвалился"), outcome_of("слился после кп")
    ('won', 'lost', 'lost')
    """
    key = BITRIX_PREFIX.sub("", key)
    if key in STATUS_ONLY and not in_status:
        return None
    found = _outcome(key)
    if found is None and (bare := _bare(key)) != key and bare not in STATUS_ONLY:
        found = _outcome(bare)
    if found is None:
        bare = _bare(key)
        found = "won" if _CLOSED_WON.match(bare) else "lost" if _CLOSED_LOST.match(bare) else None
    return found


# What people type in a hand-kept register for how a client ended, read by word stem: «Купил»,
# «Купили в рассрочку», «Отвалился», «Слился после КП», «Передумал», «Неактуально». A stage
# name never starts so; a won or lost reason often follows the word.
_WON_STEM = re.compile(
    r"^(купил|купила|купили|куплено|покупка соверш|продан[оаы]?\b|продали|сделка состоял|"
    r"bought|purchased|closed.?won|deal closed won)"
)
_LOST_STEM = re.compile(
    r"^(отвал|слил|слив|слился|отказ|передумал|не купил|не актуальн|неактуальн|не целев|"
    r"нецелев|проигр|потерян|пропал|не заинтересован|незаинтересован|не интересно|"
    r"нет бюджета|не дозвонил|недозвон|gone cold|ghosted|no response|unresponsive|"
    r"not interested|disqualif|churn)"
)
_PAID_STEM = re.compile(r"^(оплатил|оплатила|оплатили)\b")


def _outcome(key: str) -> str | None:
    if key in WON_WORDS:
        return "won"
    if key in LOST_WORDS:
        return "lost"
    if key in PAID_WORDS:
        return "paid"
    if key in OPEN_WORDS:
        return "open"
    if _WON_STEM.match(key):
        return "won"
    if _LOST_STEM.match(key):
        return "lost"
    if _PAID_STEM.match(key):
        return "paid"
    return None


# «Дата договора» names the stage «Договор»: the genitive of common stage words, for stage names.
GENITIVE = {
    "договора": "Договор", "оплаты": "Оплата", "предоплаты": "Предоплата", "встречи": "Встреча",
    "заявки": "Заявка", "обращения": "Обращение", "счета": "Счёт", "отгрузки": "Отгрузка",
    "презентации": "Презентация", "подписания": "Подписание", "замера": "Замер",
    "звонка": "Звонок", "лида": "Лид", "консультации": "Консультация", "демонстрации":
    "Демонстрация", "сделки": "Сделка", "поставки": "Поставка", "продажи": "Продажа",
    "отправки кп": "Отправка КП", "кп": "КП",
    "коммерческого предложения": "Коммерческое предложение",
}  # fmt: skip


_TRANSITION = re.compile(
    r"^(?:(?:перехода|переход|входа|попадания)\b\s*(?:(?:в|на)\s+)?)?"
    r"(?:(?:этап|стадию|статус)\b)?\s*[:\-–—]?\s*"
    r"[«\"“]?(.*?)[»\"”]?$",
    re.I,
)


_RU_WORD = re.compile(r"^[а-яё]+$", re.I)
# Genitive endings after «Дата …» back to the nominative, longest first: «подписания» ->
# «подписание», «консультации» -> «консультация», «оплаты» -> «оплата», «заявки» -> «заявка»,
# «выезда» -> «выезд», «полной» -> «полная», «первого» -> «первый».
_GENITIVE_ENDINGS = (
    ("ания", "ание"), ("ения", "ение"), ("ии", "ия"), ("ого", "ый"), ("его", "ий"),
    ("ой", "ая"), ("ей", "яя"), ("ки", "ка"), ("ги", "га"), ("хи", "ха"), ("чи", "ча"),
    ("ши", "ша"), ("щи", "ща"), ("жи", "жа"), ("ы", "а"),
)  # fmt: skip
_VOWELS = set("аеёиоуыэюяй")
_ADJECTIVE_ENDINGS = ("ого", "его", "ой", "ей", "ых", "их")


def _nominative(text: str) -> str:
    """A Russian genitive phrase of one or two words in the nominative; other text as it is.

    >>> _nominative("выезда"), _nominative("полной оплаты"), _nominative("Demo")
    ('выезд', 'полная оплата', 'Demo')
    >>> _nominative("выставления счета"), _nominative("первого звонка")
    ('выставление счета', 'первый звонок')
    """
    words = text.split()
    if not 1 <= len(words) <= 2 or not all(_RU_WORD.match(w) for w in words):
        return text
    out = []
    for i, w in enumerate(words):
        low = w.casefold()
        if i and not words[0].casefold().endswith(_ADJECTIVE_ENDINGS):
            # «выставления счёта»: a noun's complement stays in the genitive; only an
            # adjective («полной оплаты») agrees with the word after it
            out.append(w)
            continue
        for end, new in _GENITIVE_ENDINGS:
            if low.endswith(end) and len(low) > len(end) + 2:
                w = w[: len(w) - len(end)] + new
                break
        else:
            if low.endswith("а") and len(low) > 3 and low[-2] not in _VOWELS:
                w = w[:-1]  # выезда -> выезд, расчёта -> расчёт
                if low.endswith(("нка", "рка")):
                    w = w[:-1] + "о" + w[-1]  # звонка -> звонок, подарка -> подарок
        out.append(w)
    return " ".join(out)


def stage_name_from(text: str, *, genitive: bool = False) -> str:
    """A stage name from the stage part of a date header, nominative where the word is known.

    >>> stage_name_from("договора"), stage_name_from("Встреча назначена")
    ('Договор', 'Встреча назначена')
    >>> stage_name_from("перехода: КП отправлено"), stage_name_from("перехода в этап «Счёт»")
    ('КП отправлено', 'Счёт')
    >>> stage_name_from("выезда", genitive=True), stage_name_from("Встреча назначена")
    ('Выезд', 'Встреча назначена')
    """
    m = _TRANSITION.match(text.strip())
    bare = (m.group(1) if m and m.group(1).strip() else text).strip()
    # «Дата перехода в Заявка»: after the transition words the stage is named as it is.
    genitive = genitive and bare == text.strip()
    text = bare
    if genitive and norm_label(text) not in GENITIVE:
        text = _nominative(text)
    known = GENITIVE.get(norm_label(text))
    if known:
        return known
    return text[:1].upper() + text[1:]
