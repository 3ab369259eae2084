"""The sales-phase lexicon: stage names placed on one scale, as a person would order them."""

from __future__ import annotations

import pytest

from funnel.detect import lexicon

# Each row is a pipeline as a person would order it; the lexicon must never put a later stage
# before an earlier one (ties are allowed: other evidence breaks them).
PIPELINES = [
    ["Новая заявка", "Квалификация", "Встреча назначена", "КП отправлено", "Счёт выставлен",
     "Оплата получена"],
    ["Неразобранное", "Первичный контакт", "Переговоры", "Принимают решение",
     "Согласование договора"],
    ["Lead In", "Contact Made", "Demo Scheduled", "Proposal Made", "Invoice Sent"],
    ["Подписка на рассылку", "Знакомство", "Прайс отправлен", "Первый заказ оплачен",
     "Заказ выполнен", "Регулярные заказы"],
    ["Заявка", "Замер", "Смета", "Договор подписан", "Предоплата", "Монтаж"],
    ["New lead", "Discovery call", "Demo done", "Quote sent", "Negotiation", "Contract signed",
     "Awaiting payment", "Paid", "Onboarding"],
    ["Встреча назначена", "Встреча проведена"],
    ["КП отправлено", "КП согласовано"],
    ["Счёт на предоплату", "Ожидание оплаты", "Оплачено"],
    # custom pipelines as consultants set them up, none of them from our samples
    ["Новое обращение", "Выявление потребности", "Назначена встреча", "Встреча проведена",
     "Отправлено КП", "Переговоры", "Согласование договора", "Выставлен счёт",
     "Ожидание оплаты", "Оплачено"],
    ["Входящая заявка", "Дозвон", "Квалификация", "Замер", "Расчёт сметы", "Договор",
     "Предоплата", "Производство", "Монтаж", "Отзыв получен"],
    ["Лид", "Первичный контакт", "Бриф", "Презентация", "Коммерческое предложение",
     "Работа с возражениями", "Подписание договора", "Оплата"],
    ["New Lead", "Attempted to Contact", "Connected", "Discovery Call", "Demo Scheduled",
     "Demo Completed", "Proposal Sent", "Negotiation", "Verbal Commit", "Contract Sent"],
    ["Inbound", "MQL", "SQL", "Discovery", "Solution Demo", "Proposal", "Procurement",
     "Invoice", "Payment Received", "Onboarding", "Renewal"],
    ["Interest confirmed", "Request received", "Quote sent", "Quote approved",
     "Company details received", "Contract signed", "Awaiting payment", "Paid"],
]  # fmt: skip


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda p: " → ".join(p)[:40])
def test_ordinary_names_keep_their_order(pipeline: list[str]) -> None:
    phases = [lexicon.phase_of(name) for name in pipeline]
    assert all(p is not None for p in phases), dict(zip(pipeline, phases, strict=True))
    assert phases == sorted(phases), dict(zip(pipeline, phases, strict=True))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Кайф", None),
        ("Закуп", None),
        ("ТКП отправлено", 4.2),  # технико-коммерческое предложение
        ("Дата: В производстве", 8.0),
        ("invoice_sent", 6.2),
    ],
)
def test_phase_of(name: str, expected: float | None) -> None:
    assert lexicon.phase_of(name) == expected


@pytest.mark.parametrize(
    ("labels", "crm"),
    [
        (["Appointment Scheduled", "Qualified To Buy", "Contract Sent"], "HubSpot"),
        (["Prospecting", "Qualification", "Negotiation/Review"], "Salesforce"),
        (["C2:NEW", "C2:PREPARATION", "C2:EXECUTING"], "Bitrix24"),
        (["Не обработан", "В работе", "Обработан"], "Bitrix24 leads"),
        (["Idea", "Contact Made", "Needs Discovered"], "Pipedrive (old)"),
        (["Заявка", "Встреча"], None),
    ],
)
def test_known_order(labels: list[str], crm: str | None) -> None:
    found = lexicon.known_order(labels)
    assert (found.crm if found else None) == crm


def test_hubspot_default_places_qualified_after_the_appointment() -> None:
    # HubSpot's own order beats the general one (qualification before a meeting).
    found = lexicon.known_order(["Appointment Scheduled", "Qualified To Buy"])
    assert found is not None
    assert found.places["appointment scheduled"] < found.places["qualified to buy"]


@pytest.mark.parametrize(
    ("header", "stage", "at_least"),
    [
        ("engage", "Engaging", 1.0),
        ("Demo", "Demo Scheduled", 1.0),
        ("КП", "КП отправлено", 1.0),
        ("КП", "Коммерческое предложение", 0.6),
        ("Заявки", "Новая заявка", 1.0),
        ("proposal", "Quote sent", 0.6),
    ],
)
def test_same_stage_matches_by_meaning(header: str, stage: str, at_least: float) -> None:
    assert lexicon.same_stage(header, stage) >= at_least


@pytest.mark.parametrize(
    ("header", "stage"),
    [("Оплата", "Встреча"), ("close", "Engaging"), ("Счёт", "КП отправлено")],
)
def test_same_stage_refuses_other_stages(header: str, stage: str) -> None:
    assert lexicon.same_stage(header, stage) < 0.6


@pytest.mark.parametrize(
    ("label", "number"),
    [("1. Заявка", 1), ("02 - Demo", 2), ("Stage 3: Proposal", 3), ("Этап 4 КП", 4),
     ("КП", None), ("2025 план", None)],
)  # fmt: skip
def test_numbered(label: str, number: int | None) -> None:
    assert lexicon.numbered(label) == number
