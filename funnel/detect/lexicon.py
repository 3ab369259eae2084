"""Sales phases in Russian and English: where a stage named in ordinary words sits in a funnel.

A stage name is placed on one scale of phases, matched on word stems, so that a pipeline nobody
has seen («Новая заявка → Встреча проведена → КП отправлено → Счёт выставлен») is ordered as a
person would order it. The scale (0 new lead … 9 after-sale) is coarse on purpose: two stages
of one phase tie, and the tie is left to other evidence (dates, deal counts) or marked a guess.

The default pipelines of the CRMs people export from are listed too, each stage with its own
place on the same scale, so that a pipeline mixing default and custom stages stays in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from funnel.values import norm_label

# (phase, pattern) tried in order: the first match decides. Specific phrases come before the
# single stems they contain («счёт на предоплату» is an invoice, not a payment).
_PHASES: list[tuple[float, str]] = [
    # the outcome of an earlier phase: after-sale («Результат внедрения», feedback)
    (
        9.0,
        r"результат|отзыв|feedback|implementation review|results? review|follow.?up|"
        r"satisf|defect",
    ),
    # waiting for the money: after the invoice, before the payment
    (
        6.8,
        r"(ожида|жд[её]м|ждут)\w* (оплат|предоплат|деньг)|awaiting payment|waiting for payment|"
        r"payment pending|к оплате|на оплате|дат\w* оплат|срок\w* оплат|payment date|"
        r"payment terms",
    ),
    # obstacles between the invoice and the payment («ваш факс куда-то потерялся»)
    (6.5, r"препятстви|obstacle|blocker"),
    (6.0, r"\bсч[её]т\w* на (пред)?оплат|invoice"),
    # the client's details, asked for to draw up the contract
    (5.8, r"реквизит|company details|billing details|requisites"),
    (5.9, r"procurement|legal review|security review|закупк|тендерн\w* комисс"),
    (
        6.0,
        r"согласовани\w* договор|договор|contract|\bсч[её]т\b|\bсч[её]т[аау]|выставлен\w* сч|"
        r"подписани|signing|commit",
    ),
    (7.0, r"предоплат|предоплач|prepay|аванс|deposit"),
    (7.4, r"оплат|оплач|payment|paid|деньги получ|поступлени\w* (денег|средств)"),
    (
        2.5,
        r"needs analysis|анализ потребност|выявлени\w* потребност|потребност|needs|"
        r"discovery|бриф|brief|детал|detail",
    ),
    (2.0, r"квалиф|qualif|прогрев|nurtur|\bsql\b|\bmql\b|уточн\w* (задач|детал)"),
    # the decision follows the talks («Принимают решение» after «Переговоры»)
    (5.5, r"принима\w* решени|решени|decision|bought.?in"),
    (-0.5, r"интерес|interest|inquiry|enquiry"),  # interest noticed, before the request
    (
        0.0,
        r"неразобран|не обработан|^нов(ая|ый|ое|ые)\b|^new\b|new lead|lead in|^входящ|"
        r"^заявк|заявка получ|получ\w* заявк|обращени|^лид\b|^лиды\b|^inbound|^incoming|"
        r"подписк|subscri|sign.?up|newsletter|registr|регистрац|^idea$|^raw\b|^unqualified|"
        r"поступил|^lead$|^заявки\b|request",
    ),
    (
        1.0,
        r"перв\w* контакт|контакт|contact|связ|дозвон|звонок|звонк|^call\b|attempt|"
        r"знакомств|взят\w* в работу|reach(ed)? out|prospect|engag|outreach|touch|introduc|"
        r"connect",
    ),
    (
        3.0,
        r"встреч|демо|demo|презентац|presentation|meeting|appointment|замер|осмотр|визит|"
        r"visit|консультац|тест.?драйв|trial|пробн|showing|показ",
    ),
    (
        4.0,
        r"\bт?кп\b|коммерческ|предложени|proposal|quote|quotation|расч[её]т|смет|прайс|"
        r"\bprice\b|offer|оффер|value proposition|тендер|tender|\brfp\b|estimate",
    ),
    (
        5.0,
        r"переговор|negotiat|возражени|objection|"
        r"согласовани|review|обсужд|discuss|торг|perception|shortlist|"
        r"рассматрива|раздум|думает",
    ),
    (
        8.0,
        r"производств|отгруз|достав|delivery|shipping|shipped|поставк|исполн|"
        r"выполн|монтаж|установ|внедр|implement|onboard|executing|запуск|launch|"
        r"сборк|комплектаци|fulfil|обязательств|obligation|production",
    ),
    (
        9.0,
        r"после\w* продаж|after.?sale|повторн|постоянн|регулярн|забот|доволен|"
        r"retention|upsell|допродаж|renewal|продлени|лояльн|недодел|гарант|regular|"
        r"repeat",
    ),
    # a lead's temperature in a hand-kept register: cold, warm, hot (ready to buy)
    (0.5, r"^холодн|^cold\b"),
    (1.5, r"^т[её]пл|^warm\b"),
    (3.5, r"^горяч|^hot\b"),
]
# A temperature orders stages but is no event: no date column («Дата обращения») is its date
# by phase alone.
_TEMPERATURE = re.compile(r"^(холодн|т[её]пл|горяч)|^(cold|warm|hot)\b")
PHASES = [(phase, re.compile(pattern)) for phase, pattern in _PHASES]

# Within one phase, the usual sequence of what happens to a thing: offered, planned, asked for,
# sent, received or done, looked at, settled, signed. The first match decides.
_STEPS = [
    (0.7, re.compile(r"подписан[аоы]?\b|\bsigned")),
    (0.6, re.compile(r"согласован[аоы]?\b|принят[аоы]?\b|\baccepted|approved|agreed|"
                     r"confirmed|подтвержд[её]н|снят[аоы]?\b|устранен[аоы]?\b|resolved|"
                     r"overcome|handled|\bwon\b")),
    (0.4, re.compile(r"рассмотрен[аоы]?\b|reviewed|considered|изучен[аоы]?\b")),
    (0.3, re.compile(r"проведен[аоы]?\b|состоял|прошл[аио]\b|\bdone\b|\bheld\b|completed|"
                     r"conducted|получен[аоы]?\b|received|собран[аоы]?\b|collected|gathered|"
                     r"уточн[её]н")),
    (0.2, re.compile(r"отправлен[аоы]?\b|выслан[аоы]?\b|\bsent\b|issued|"
                     r"выставлен[аоы]?\b|\bmade\b|presented")),
    (0.1, re.compile(r"запрошен[аоы]?\b|requested|asked")),
    (0.05, re.compile(r"назначен[аоы]?\b|запланирован|scheduled|planned|booked")),
]  # fmt: skip

# Default pipelines (won and lost left out: they are outcomes, not stages), each stage placed
# on the phase scale. A pipeline matching two or more of a CRM's defaults follows that CRM.
KNOWN_ORDERS: dict[str, tuple[tuple[str, float], ...]] = {
    "amoCRM": (("неразобранное", 0.0), ("первичный контакт", 1.0), ("переговоры", 5.0),
               ("принимают решение", 5.5), ("согласование договора", 6.0)),
    "Bitrix24": (("new", 0.0), ("preparation", 4.0), ("prepayment_invoice", 6.0),
                 ("executing", 8.0), ("final_invoice", 8.5)),
    "Bitrix24 (names)": (("новая", 0.0), ("подготовка документов", 4.0),
                         ("счет на предоплату", 6.0), ("в работе", 8.0),
                         ("финальный счет", 8.5)),
    "Bitrix24 leads": (("не обработан", 0.0), ("в работе", 1.0), ("обработан", 2.0)),
    "HubSpot": (("appointment scheduled", 2.8), ("qualified to buy", 2.9),
                ("presentation scheduled", 3.2), ("decision maker bought-in", 5.2),
                ("contract sent", 6.0)),
    "Salesforce": (("prospecting", 1.0), ("qualification", 2.0), ("needs analysis", 2.5),
                   ("value proposition", 4.0), ("id. decision makers", 4.2),
                   ("perception analysis", 4.4), ("proposal/price quote", 4.6),
                   ("negotiation/review", 5.0)),
    "Zoho CRM": (("qualification", 2.0), ("needs analysis", 2.5), ("value proposition", 4.0),
                 ("identify decision makers", 4.2), ("proposal/price quote", 4.6),
                 ("negotiation/review", 5.0)),
    "Pipedrive": (("lead in", 0.0), ("qualified", 0.9), ("contact made", 1.1),
                  ("needs defined", 2.5), ("demo scheduled", 3.0), ("proposal made", 4.0),
                  ("negotiations started", 5.0), ("invoice sent", 6.0)),
    "Pipedrive (old)": (("idea", 0.0), ("contact made", 1.1), ("needs discovered", 2.5),
                        ("proposal presented", 4.0), ("in negotiation", 5.0)),
    "retailCRM": (("новый", 0.0), ("согласование с клиентом", 1.0), ("предоплата поступила", 7.0),
                  ("комплектация", 8.0), ("передан в доставку", 8.2), ("доставляется", 8.4)),
}  # fmt: skip

_BITRIX_PREFIX = re.compile(r"^c\d+:")
_NUMBERED = re.compile(r"^\s*(?:этап|stage|шаг|step)?\s*(\d{1,2})\s*[.):\-–—]?\s+\S", re.I)


def _key(label: object) -> str:
    return _BITRIX_PREFIX.sub("", norm_label(label))


def phase_of(label: object) -> float | None:
    """Where a stage name sits on the phase scale (0 new … 9 after-sale), or None.

    >>> phase_of("КП отправлено"), phase_of("Встреча проведена"), phase_of("Invoice Sent")
    (4.2, 3.3, 6.2)
    >>> phase_of("Счёт на предоплату"), phase_of("Ожидание оплаты"), phase_of("Кайф")
    (6.0, 6.8, None)
    """
    key = _key(label).replace("_", " ")
    for phase, pattern in PHASES:
        if pattern.search(key):
            step = next((s for s, p in _STEPS if p.search(key)), 0.0)
            return round(phase + step, 2)
    return None


@dataclass(frozen=True)
class KnownOrder:
    """The CRM default pipeline most stage names belong to, and each name's place on it."""

    crm: str
    places: dict[str, float]  # label key -> phase, for the labels that are default stages


def known_order(labels: Iterable[object]) -> KnownOrder | None:
    """The CRM whose default stages name two or more of ``labels``, the most matched first.

    >>> known_order(["Lead In", "Contact Made", "Проверка"]).crm
    'Pipedrive'
    """
    keys = {_key(x) for x in labels}
    best: KnownOrder | None = None
    for crm, order in KNOWN_ORDERS.items():
        places = {k: p for k, p in order if k in keys}
        if len(places) >= 2 and (best is None or len(places) > len(best.places)):
            best = KnownOrder(crm, places)
    return best


def numbered(label: object) -> int | None:
    """The number a stage name starts with («1. Заявка», "Stage 3 - Demo"), or None.

    >>> numbered("1. Новая заявка"), numbered("03 - Demo"), numbered("Этап 2: КП"), numbered("КП")
    (1, 3, 2, None)
    """
    m = _NUMBERED.match(str(label))
    return int(m.group(1)) if m else None


# ---- a date column's stage ------------------------------------------------------------------

_WORD = re.compile(r"[a-zа-я0-9]+")
_DATE_WORDS = re.compile(
    r"^(дата|даты|date|dt|day|time|when|at|on|of|the|на|в|во|к|перехода|переход|вход|entered|"
    r"enter|reached|этапа|стадии|stage|день|время)$"
)


def stems(text: object) -> set[str]:
    """Word stems of a label (first five letters, date words left out), for loose matching.

    >>> sorted(stems("engage_date")), sorted(stems("Дата перехода в «КП отправлено»"))
    (['engag'], ['кп', 'отпра'])
    """
    words = _WORD.findall(norm_label(str(text).replace("_", " ")))
    return {w[:5] for w in words if not _DATE_WORDS.match(w)}


def same_stage(header_part: object, label: object) -> float:
    """How surely a date column's stage words and a stage value name one stage (0 to 1).

    Shared word stems count most; two names of the same phase (an «КП» date for the stage
    «Коммерческое предложение») count as a looser match.

    >>> same_stage("engage", "Engaging"), same_stage("КП", "КП отправлено")
    (1.0, 1.0)
    >>> same_stage("Demo", "Demo Scheduled"), same_stage("КП", "Коммерческое предложение")
    (1.0, 0.6)
    >>> same_stage("Оплата", "Встреча"), same_stage("Обращение", "Холодный")
    (0.0, 0.0)
    """
    a, b = stems(header_part), stems(label)
    if a and b and a & b:
        return round(len(a & b) / min(len(a), len(b)), 3)
    pa, pb = phase_of(header_part), phase_of(label)
    if any(_TEMPERATURE.match(norm_label(x)) for x in (header_part, label)):
        return 0.0
    if pa is not None and pb is not None and int(pa) == int(pb):
        return 0.6
    return 0.0
