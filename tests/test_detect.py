"""Column detection and spec inference over frames shaped like real CRM exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.detect.columns import ColumnGuess, detect_columns
from funnel.detect.infer import Inference, infer_spec
from funnel.report.words import notice_text
from funnel.spec import Spec

NA = None


def dates(*days: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(days)), dtype="datetime64[ns]")


def text(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def roles(guesses: tuple[ColumnGuess, ...]) -> dict[str, str]:
    return {g.role: g.column for g in guesses if g.role is not None and g.role != "stage_date"}


def role_of(frame: pd.DataFrame, header: str, *, events: bool = False) -> str | None:
    guess = {g.column: g for g in detect_columns(frame, events=events)}[header]
    return guess.role if guess.confidence >= 0.5 else None


def round_trips(inference: Inference) -> None:
    spec = inference.spec
    assert Spec.from_yaml(spec.to_yaml()) == spec


# ---- headers --------------------------------------------------------------------------------

# Each header is tested alone, on a column whose values fit the role, so the header decides.
_TEXT = ["a", "b", "a", "c", "b", "a"]
_STAGES = ["Переговоры", "Первичный контакт", "Переговоры", "КП отправлено", "Переговоры", "Новая"]
_STATUS = ["Open", "Won", "Lost", "Open", "Won", "Open"]
_MONEY = [1200.0, 55000.0, 300.5, 99000.0, 15000.0, 7300.0]
_IDS = [101.0, 102.0, 103.0, 104.0, 105.0, 106.0]
_DATES = pd.to_datetime(
    ["2024-01-03", "2024-01-05", None, "2024-02-01", "2024-02-07", "2024-03-01"]
)
_CURRENCY = ["RUB", "RUB", "USD", "RUB", "EUR", "RUB"]
_NAMES = ["Окна для дачи", "ООО Ромашка", "Двери", "ИП Петров", "Склад", "Офис"]

VALUES = {
    "stage": _STAGES,
    "status": _STATUS,
    "amount": _MONEY,
    "deal": _IDS,
    "created": _DATES,
    "closed": _DATES,
    "at": _DATES,
    "currency": _CURRENCY,
    "title": _NAMES,
    "lost_stage": _STAGES,
}

HEADERS = [
    # amoCRM
    ("ID", "deal"),
    ("Название сделки", "title"),
    ("Бюджет ", "amount"),
    ("Бюджет", "amount"),
    ("Ответственный", "owner"),
    ("Дата создания сделки", "created"),
    ("Дата создания", "created"),
    ("Дата закрытия", "closed"),
    ("Этап сделки", "stage"),
    ("Статус сделки", "stage"),
    ("Воронка", "pipeline"),
    ("Источник", "channel"),
    ("Источник лида", "channel"),
    ("Источник лида.1", "channel"),
    ("utm_source", "channel"),
    ("utm_source.1", "channel"),
    ("utm_medium", None),
    ("utm_campaign", None),
    ("Причина отказа", "loss_reason"),
    ("Причина отказа.1", "loss_reason"),
    ("Кем создана сделка", None),
    ("Кем создана", None),
    ("Дата редактирования", None),
    ("Мобильный телефон", None),
    ("Рабочий email", None),
    ("Теги", None),
    ("Примечание 2", None),
    ("_ym_uid", None),
    ("roistat", None),
    # Bitrix24
    ("Стадия сделки", "stage"),
    ("Стадия заявки", "stage"),
    ("Сумма", "amount"),
    ("Сумма, руб.", "amount"),
    ("Валюта", "currency"),
    ("Направление", "pipeline"),
    ("Товар", "product"),
    ("Тип", "product"),
    ("Дата изменения", None),
    ("Предполагаемая дата закрытия", None),
    ("Компания: Название компании", None),
    ("Группа стадий", "status"),
    ("Причина провала", "loss_reason"),
    # Bitrix24 REST / history
    ("STAGE_ID", "stage"),
    ("CATEGORY_ID", "pipeline"),
    # Pipedrive
    ("Deal - ID", "deal"),
    ("Deal - Title", "title"),
    ("Deal - Owner", "owner"),
    ("Deal - Value", "amount"),
    ("Deal - Currency of Value", "currency"),
    ("Deal - Currency", "currency"),
    ("Deal - Currency of Weighted value", None),
    ("Deal - Weighted value", None),
    ("Deal - Pipeline", "pipeline"),
    ("Deal - Stage", "stage"),
    ("Deal - Status", "status"),
    ("Deal - Deal created", "created"),
    ("Deal - Deal closed on", "closed"),
    ("Deal - Lost reason", "loss_reason"),
    ("Deal - Source channel", "channel"),
    ("Deal - Source channel ID", None),
    ("Deal - Product name", "product"),
    ("Deal - Expected close date", None),
    ("Deal - Organization", None),
    # HubSpot
    ("Record ID", "deal"),
    ("Deal Name", "title"),
    ("Deal Stage", "stage"),
    ("Close Date", "closed"),
    ("Create Date", "created"),
    ("Deal owner", "owner"),
    ("Amount", "amount"),
    ("Amount in company currency", "amount"),
    ("Pipeline", "pipeline"),
    ("Currency", "currency"),
    ("Deal Type", "product"),
    ("Closed Lost Reason", "loss_reason"),
    ("Original Traffic Source", "channel"),
    ("Original Traffic Source Drill-Down 1", None),
    ("Last Activity Date", None),
    ('Date exited "Appointment Scheduled (Sales Pipeline)"', None),
    ('Cumulative time in "Appointment Scheduled (Sales Pipeline)"', None),
    # Salesforce
    ("Opportunity Name", "title"),
    ("Opportunity Owner", "owner"),
    ("Stage", "stage"),
    ("Created Date", "created"),
    ("Lead Source", "channel"),
    ("Type", "product"),
    ("Probability (%)", None),
    ("Expected Revenue", None),
    ("Account Name", None),
    ("Opportunity ID", "deal"),
    # hand-made registers
    ("№", "deal"),
    ("Клиент", "title"),
    ("Менеджер", "owner"),
    ("Канал", "channel"),
    ("Продукт", "product"),
    ("Услуга", "product"),
    ("Статус", "status"),
    ("Этап", "stage"),
    ("Этап отказа", "lost_stage"),
    ("Этап при отказе", "lost_stage"),
    ("Stage at loss", "lost_stage"),
    ("Lost stage", "lost_stage"),
    ("Loss reason", "loss_reason"),
    ("Стоимость, ₽", "amount"),
    ("  Сумма  сделки ", "amount"),
    ("Дата закрытия сделки", "closed"),
]


@pytest.mark.parametrize(("header", "role"), HEADERS)
def test_header_role(header: str, role: str | None) -> None:
    values = VALUES.get(role or "", _TEXT)
    frame = pd.DataFrame({header: pd.Series(values)})
    if role is None:
        frame = pd.DataFrame({header: pd.Series(_TEXT)})
    assert role_of(frame, header) == role


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("OWNER_ID", "deal"),
        ("STAGE_ID", "stage"),
        ("CREATED_TIME", "at"),
        ("To Stage", "stage"),
        ("From Stage", None),
        ("Last Modified", "at"),
        ("Last Modified By", None),
        ("Opportunity Name", "title"),
        ("New Value", "stage"),
        ("Changed at", "at"),
        ("Date", "at"),
        ("Дата изменения", "at"),
    ],
)
def test_event_header_role(header: str, role: str | None) -> None:
    values = {"deal": [1.0, 1.0, 2.0, 2.0, 3.0, 3.0], "title": _NAMES}.get(role or "")
    values = values if values is not None else VALUES.get(role or "", _TEXT)
    frame = pd.DataFrame({header: pd.Series(values)})
    assert role_of(frame, header, events=True) == role


@pytest.mark.parametrize(
    ("header", "stage"),
    [
        ("Дата Встреча назначена", "Встреча назначена"),
        ("Дата Договор / счет отправлен", "Договор / счет отправлен"),
        ("Дата Предоплата / оплата получена", "Предоплата / оплата получена"),
        ("Дата этапа КП отправлено", "КП отправлено"),
        ("Дата договора", "Договор"),
        ("Дата оплаты", "Оплата"),
        ("Замер (дата)", "Замер"),
        ('Date entered "Qualified To Buy (Sales Pipeline)"', "Qualified To Buy"),
        ('Date entered "Contract Sent (Sales Pipeline)"', "Contract Sent"),
        ("Meeting date", "Meeting"),
    ],
)
def test_stage_date_headers(header: str, stage: str) -> None:
    frame = pd.DataFrame({header: _DATES, "Дата прочее": _DATES})
    guess = detect_columns(frame)[0]
    assert (guess.role, guess.stage) == ("stage_date", stage)


def test_created_and_closed_are_not_stage_dates() -> None:
    frame = pd.DataFrame(
        {"Дата создания": _DATES, "Дата закрытия": _DATES, "Дата КП": _DATES, "Дата счета": _DATES}
    )
    got = {g.column: (g.role, g.stage) for g in detect_columns(frame)}
    assert got == {
        "Дата создания": ("created", None),
        "Дата закрытия": ("closed", None),
        "Дата КП": ("stage_date", "КП"),
        "Дата счета": ("stage_date", "Счёт"),
    }


def test_a_lone_stage_date_is_the_creation_date() -> None:
    frame = pd.DataFrame({"Дата обращения": _DATES, "Сумма": _MONEY})
    assert roles(detect_columns(frame)) == {"created": "Дата обращения", "amount": "Сумма"}


def test_each_role_once_best_wins() -> None:
    frame = pd.DataFrame(
        {
            "utm_source": text("yandex", "google", "yandex", NA, "vk", "yandex"),
            "Источник": text("Сайт", "Авито", "Сайт", "Звонок", "Сайт", "Авито"),
            "utm_source.1": text("yandex", "google", "yandex", NA, "vk", "yandex"),
            "Deal - Source origin": text("API", "Import", "API", "API", "API", "API"),
        }
    )
    guesses = {g.column: g.role for g in detect_columns(frame)}
    assert guesses == {
        "utm_source": None,
        "Источник": "channel",
        "utm_source.1": None,
        "Deal - Source origin": None,
    }


def test_pipedrive_source_channel_over_origin() -> None:
    frame = pd.DataFrame(
        {
            "Deal - Source origin": text("Manually created", "Import", "API"),
            "Deal - Source channel": text("Organic search", "Referral", "Paid search"),
        }
    )
    assert roles(detect_columns(frame)) == {"channel": "Deal - Source channel"}


def test_mangled_duplicate_loses_to_original() -> None:
    frame = pd.DataFrame({"Причина отказа.1": text("Дорого", NA), "Причина отказа": text(NA, "x")})
    assert roles(detect_columns(frame)) == {"loss_reason": "Причина отказа"}


def test_header_contradicting_type_loses() -> None:
    frame = pd.DataFrame({"Сумма": _DATES, "Бюджет": _MONEY})
    assert roles(detect_columns(frame))["amount"] == "Бюджет"


# ---- values ---------------------------------------------------------------------------------


def test_roles_from_values_with_meaningless_headers() -> None:
    n = 40
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "Колонка 1": np.arange(1, n + 1, dtype=float),
            "Колонка 2": pd.Series(
                rng.choice(
                    ["Первичный контакт", "Переговоры", "Договор", "Успешно реализовано"], n
                ),
                dtype="str",
            ),
            "Колонка 3": rng.integers(5, 900, n) * 1000.0 + rng.integers(0, 99, n),
            "Колонка 4": pd.Series(
                rng.choice(["Выиграна", "Проиграна", "В работе"], n), dtype="str"
            ),
            "Колонка 5": pd.Series(rng.choice(["Яндекс Директ", "Сайт", "Авито"], n), dtype="str"),
            "Колонка 6": pd.Series(pd.date_range("2024-01-01", periods=n, freq="D")),
            "Колонка 7": pd.Series(
                [
                    pd.NaT if i % 3 else pd.Timestamp("2024-06-01") + pd.Timedelta(days=i)
                    for i in range(n)
                ]
            ),
            "Колонка 8": 45_000 + np.arange(n, dtype=float) * 1.37,  # Excel serials, not money
            "Колонка 9": pd.Series(rng.choice(["RUB", "USD"], n), dtype="str"),
            "Колонка 10": pd.Series([f"+7 900 {i:07d}" for i in range(n)], dtype="str"),
        }
    )
    assert roles(detect_columns(frame)) == {
        "deal": "Колонка 1",
        "stage": "Колонка 2",
        "amount": "Колонка 3",
        "status": "Колонка 4",
        "channel": "Колонка 5",
        "created": "Колонка 6",
        "closed": "Колонка 7",
        "currency": "Колонка 9",
    }


def test_status_header_with_stage_values_is_a_stage() -> None:
    frame = pd.DataFrame(
        {
            "Статус": text(
                "Новая заявка", "КП отправлено", "Договор", "КП отправлено", "Отказ", "Договор"
            )
        }
    )
    assert roles(detect_columns(frame)) == {"stage": "Статус"}


# ---- whole exports --------------------------------------------------------------------------


def amocrm_frame() -> pd.DataFrame:
    """An amoCRM deal export: three pipelines, lost deals only as «Закрыто и не реализовано»."""
    rows = (
        [("Продажи", "Неразобранное")] * 3
        + [("Продажи", "Первичный контакт")] * 9
        + [("Продажи", "Переговоры")] * 6
        + [("Продажи", "Принимают решение")] * 4
        + [("Продажи", "Согласование договора")] * 2
        + [("Продажи", "Успешно реализовано")] * 5
        + [("Продажи", "Закрыто и не реализовано")] * 7
        + [("Партнёры", "Заявка партнёра")] * 4
        + [("Партнёры", "Успешно реализовано")] * 2
        + [("Сервис", "Диагностика")] * 3
        + [("Сервис", "Закрыто и не реализовано")] * 1
    )
    n = len(rows)
    rng = np.random.default_rng(7)
    created = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 120, n), unit="D")
    closed = [
        c + pd.Timedelta(days=9) if stage.startswith(("Успешно", "Закрыто")) else pd.NaT
        for c, (_, stage) in zip(created, rows, strict=True)
    ]
    return pd.DataFrame(
        {
            "ID": np.arange(31_000_001, 31_000_001 + n, dtype=float),
            "Название сделки": text(*[f"Сделка #{i}" for i in range(n)]),
            "Бюджет ": rng.integers(10, 500, n) * 1000.0,
            "Ответственный": text(*rng.choice(["Иван Петров", "Анна Смирнова"], n)),
            "Дата создания сделки": pd.Series(created, dtype="datetime64[ns]"),
            "Кем создана сделка": text(*["Робот"] * n),
            "Дата редактирования": pd.Series(created, dtype="datetime64[ns]"),
            "Дата закрытия": pd.Series(closed, dtype="datetime64[ns]"),
            "Теги": text(*[NA] * n),
            "Этап сделки": text(*[s for _, s in rows]),
            "Воронка": text(*[p for p, _ in rows]),
            "Мобильный телефон": text(*[f"+7 9{i:09d}" for i in range(n)]),
            "Источник": text(*rng.choice(["Сайт", "Звонок", "Авито"], n)),
            "utm_source": text(*rng.choice(["yandex", "google"], n)),
            "utm_source.1": text(*[NA] * n),
            "Причина отказа": text(*[NA] * n),
            "Причина отказа.1": text(*[NA] * n),
        }
    )


def test_amocrm_snapshot_with_three_pipelines() -> None:
    inference = infer_spec(amocrm_frame())
    spec = inference.spec
    assert spec.layout == "snapshot"
    assert dict(spec.columns) == {
        "deal": "ID",
        "title": "Название сделки",
        "amount": "Бюджет ",
        "owner": "Ответственный",
        "created": "Дата создания сделки",
        "closed": "Дата закрытия",
        "stage": "Этап сделки",
        "pipeline": "Воронка",
        "channel": "Источник",
        "loss_reason": "Причина отказа",
    }
    assert spec.stage_names == (
        "Неразобранное",
        "Первичный контакт",
        "Переговоры",
        "Принимают решение",
        "Согласование договора",
    )
    assert spec.won == ("Успешно реализовано",)
    assert spec.lost == ("Закрыто и не реализовано",)
    assert dict(spec.filter) == {"pipeline": ("Продажи",)}
    text_ = " ".join(notice_text(w) for w in inference.warnings)
    assert "«Партнёры»" in text_ and "«Сервис»" in text_ and "'filter'" in text_
    assert "stage at which they were lost is unknown" in text_
    round_trips(inference)


def bitrix_frame(stage_ids: bool) -> pd.DataFrame:
    names = {
        "NEW": "Новая",
        "PREPARATION": "Подготовка документов",
        "PREPAYMENT_INVOICE": "ТКП отправлено",
        "EXECUTING": "В работе",
        "FINAL_INVOICE": "Финальный счёт",
        "WON": "Сделка успешна",
        "LOSE": "Сделка провалена",
        "APOLOGY": "Анализ причины провала",
    }
    counts = {
        "NEW": 2,
        "PREPARATION": 4,
        "PREPAYMENT_INVOICE": 6,
        "EXECUTING": 3,
        "FINAL_INVOICE": 1,
        "WON": 5,
        "LOSE": 4,
        "APOLOGY": 1,
    }
    stages = [s for s, k in counts.items() for _ in range(k)]
    n = len(stages)
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "ID": np.arange(1, n + 1, dtype=float),
            "Название сделки": text(*[f"Заявка {i}" for i in range(n)]),
            "Стадия сделки": text(*(stages if stage_ids else [names[s] for s in stages])),
            "Ответственный": text(*rng.choice(["Ольга К.", "Пётр С."], n)),
            "Сумма": rng.integers(1, 90, n) * 1500.0,
            "Валюта": text(*["Российский рубль"] * n),
            "Тип": text(*rng.choice(["Продажа", "Комплексная продажа"], n)),
            "Дата создания": dates(*[f"2024-03-{d:02d}" for d in rng.integers(1, 28, n)]),
            "Дата изменения": dates(*["2024-04-01"] * n),
            "Предполагаемая дата закрытия": dates(*["2024-05-01"] * n),
            "Кем создана": text(*["Администратор"] * n),
            "Направление": text(*["Общее"] * n),
        }
    )


@pytest.mark.parametrize("stage_ids", [True, False], ids=["stage IDs", "stage names"])
def test_bitrix24_snapshot(stage_ids: bool) -> None:
    inference = infer_spec(bitrix_frame(stage_ids))
    spec = inference.spec
    assert spec.layout == "snapshot"
    assert dict(spec.columns) == {
        "deal": "ID",
        "title": "Название сделки",
        "stage": "Стадия сделки",
        "owner": "Ответственный",
        "amount": "Сумма",
        "currency": "Валюта",
        "product": "Тип",
        "created": "Дата создания",
        "pipeline": "Направление",
    }
    if stage_ids:
        assert spec.stage_names == (
            "NEW",
            "PREPARATION",
            "PREPAYMENT_INVOICE",
            "EXECUTING",
            "FINAL_INVOICE",
        )
        assert (spec.won, spec.lost) == (("WON",), ("LOSE", "APOLOGY"))
    else:
        # Renamed stages match no default order: known ones lead, the rest by frequency.
        assert spec.stage_names[:2] == ("Новая", "Подготовка документов")
        assert set(spec.stage_names) == {
            "Новая",
            "Подготовка документов",
            "ТКП отправлено",
            "В работе",
            "Финальный счёт",
        }
        assert (spec.won, spec.lost) == (
            ("Сделка успешна",),
            ("Сделка провалена", "Анализ причины провала"),
        )
    assert not spec.filter
    assert any("stage at which they were lost" in notice_text(w) for w in inference.warnings)
    round_trips(inference)


def test_bitrix24_pipeline_prefixes() -> None:
    stages = ["NEW"] * 5 + ["PREPARATION"] * 3 + ["WON"] * 2 + ["C2:NEW"] * 2 + ["C2:LOSE"]
    frame = pd.DataFrame({"ID": np.arange(len(stages), dtype=float), "Стадия": text(*stages)})
    inference = infer_spec(frame)
    assert inference.spec.stage_names == ("NEW", "PREPARATION")
    assert (inference.spec.won, inference.spec.lost) == (("WON",), ())
    assert any("C2:" in notice_text(w) for w in inference.warnings)


def pipedrive_frame() -> pd.DataFrame:
    rows = [
        ("Qualified", "Open"),
        ("Qualified", "Lost"),
        ("Qualified", "Lost"),
        ("Contact Made", "Open"),
        ("Contact Made", "Lost"),
        ("Demo Scheduled", "Open"),
        ("Proposal Made", "Lost"),
        ("Negotiations Started", "Won"),
        ("Negotiations Started", "Won"),
        ("Negotiations Started", "Open"),
        ("Qualified", "Open"),
        ("Qualified", "Open"),
    ]
    n = len(rows)
    return pd.DataFrame(
        {
            "Deal - ID": np.arange(1, n + 1, dtype=float),
            "Deal - Title": text(*[f"Acme {i} deal" for i in range(n)]),
            "Deal - Creator": text(*["Jane"] * n),
            "Deal - Owner": text(*(["Jane Doe", "Max Payne"] * (n // 2))),
            "Deal - Value": [1500.0, 900, 12000, 450, 3300, 780, 5100, 2900, 6400, 1200, 300, 99],
            "Deal - Currency of Value": text(*["EUR"] * n),
            "Deal - Weighted value": np.linspace(10, 100, n),
            "Deal - Pipeline": text(*["Default pipeline"] * n),
            "Deal - Stage": text(*[s for s, _ in rows]),
            "Deal - Status": text(*[s for _, s in rows]),
            "Deal - Deal created": dates(*[f"2024-05-{d:02d} 10:00" for d in range(1, n + 1)]),
            "Deal - Update time": dates(*["2024-06-01"] * n),
            "Deal - Deal closed on": dates(
                *[f"2024-06-{d:02d}" if s != "Open" else None for d, (_, s) in enumerate(rows, 1)]
            ),
            "Deal - Lost reason": text(*["Price" if s == "Lost" else NA for _, s in rows]),
            "Deal - Source origin": text(*["Manually created"] * n),
            "Deal - Source channel": text(*(["Organic search", "Referral", "Paid search"] * 4)),
            "Deal - Expected close date": dates(*["2024-07-01"] * n),
        }
    )


def test_pipedrive_status_keeps_the_stage() -> None:
    inference = infer_spec(pipedrive_frame())
    spec = inference.spec
    assert spec.layout == "snapshot"
    assert dict(spec.columns) == {
        "deal": "Deal - ID",
        "title": "Deal - Title",
        "owner": "Deal - Owner",
        "amount": "Deal - Value",
        "currency": "Deal - Currency of Value",
        "pipeline": "Deal - Pipeline",
        "stage": "Deal - Stage",
        "status": "Deal - Status",
        "created": "Deal - Deal created",
        "closed": "Deal - Deal closed on",
        "loss_reason": "Deal - Lost reason",
        "channel": "Deal - Source channel",
    }
    assert spec.stage_names == (
        "Qualified",
        "Contact Made",
        "Demo Scheduled",
        "Proposal Made",
        "Negotiations Started",
    )
    assert (spec.won, spec.lost) == (("Won",), ("Lost",))
    # The stage a lost deal kept is its stage at loss: nothing to warn about.
    assert not any("lost is unknown" in notice_text(w) for w in inference.warnings)
    round_trips(inference)


def hubspot_frame() -> pd.DataFrame:
    order = [
        "Appointment Scheduled",
        "Qualified To Buy",
        "Presentation Scheduled",
        "Decision Maker Bought-In",
        "Contract Sent",
    ]
    reached = [1, 2, 2, 3, 5, 5, 1, 4, 2, 3]
    outcome = ["Closed Lost", "Qualified To Buy", "Closed Lost", "Presentation Scheduled",
               "Closed Won", "Closed Won", "Appointment Scheduled", "Closed Lost",
               "Qualified To Buy", "Closed Lost"]  # fmt: skip
    n = len(reached)
    base = pd.Timestamp("2024-02-01")
    frame = pd.DataFrame(
        {
            "Record ID": np.arange(9_001_001, 9_001_001 + n, dtype=float),
            "Deal Name": text(*[f"Deal {i}" for i in range(n)]),
            "Deal Stage": text(*outcome),
            "Close Date": dates(*["2024-04-01"] * n),
            "Deal owner": text(*(["Ann Lee", "Bob Ray"] * 5)),
            "Amount": [1000.0, 2500, 400, 9000, 1200, 3300, 800, 700, 6100, 150],
            "Pipeline": text(*["Sales Pipeline"] * n),
            "Create Date": dates(*[str((base + pd.Timedelta(days=i)).date()) for i in range(n)]),
        }
    )
    # Exports list the stage-time columns alphabetically, not in pipeline order.
    for name in sorted([*order, "Closed Won", "Closed Lost"]):
        k = order.index(name) + 1 if name in order else None
        col = []
        for i, r in enumerate(reached):
            if k is not None and k <= r:
                col.append(base + pd.Timedelta(days=i + 3 * k))
            elif k is None and outcome[i] == name:
                col.append(base + pd.Timedelta(days=i + 20))
            else:
                col.append(pd.NaT)
        frame[f'Date entered "{name} (Sales Pipeline)"'] = pd.Series(col, dtype="datetime64[ns]")
        frame[f'Date exited "{name} (Sales Pipeline)"'] = pd.Series(col, dtype="datetime64[ns]")
        frame[f'Cumulative time in "{name} (Sales Pipeline)"'] = np.arange(n, dtype=float) * 1e5
    return frame


def test_hubspot_stage_dates_in_pipeline_order() -> None:
    inference = infer_spec(hubspot_frame())
    spec = inference.spec
    assert spec.layout == "stage_dates"
    assert dict(spec.columns) == {
        "deal": "Record ID",
        "title": "Deal Name",
        "stage": "Deal Stage",
        "closed": "Close Date",
        "owner": "Deal owner",
        "amount": "Amount",
        "pipeline": "Pipeline",
        "created": "Create Date",
    }
    assert spec.stage_names == (
        "Appointment Scheduled",
        "Qualified To Buy",
        "Presentation Scheduled",
        "Decision Maker Bought-In",
        "Contract Sent",
    )
    assert [s.column for s in spec.stages] == [
        f'Date entered "{s} (Sales Pipeline)"' for s in spec.stage_names
    ]
    assert (spec.won, spec.lost) == (("Closed Won",), ("Closed Lost",))
    guesses = {g.column: g for g in inference.guesses}
    assert guesses['Date exited "Contract Sent (Sales Pipeline)"'].role is None
    assert guesses['Date entered "Contract Sent (Sales Pipeline)"'].stage == "Contract Sent"
    round_trips(inference)


def test_hubspot_custom_stages_ordered_by_their_dates() -> None:
    base = pd.Timestamp("2024-01-01")
    frame = pd.DataFrame({"Deal Name": text("a", "b", "c", "d")})
    for name, k in [("Discovery", 1), ("Offer", 3), ("Demo", 2)]:
        frame[f'Date entered "{name} (Main)"'] = pd.Series(
            [base + pd.Timedelta(days=i * 2 + k) if i + 1 >= k else pd.NaT for i in range(4)],
            dtype="datetime64[ns]",
        )
    assert infer_spec(frame).spec.stage_names == ("Discovery", "Demo", "Offer")


def salesforce_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    names = ["Acme - 200 Widgets", "Globex Renewal", "Initech Upsell", "Umbrella Pilot"]
    report = pd.DataFrame(
        {
            "Account Name": text("Acme", "Globex", "Initech", "Umbrella"),
            "Created Date": dates("2024-01-02", "2024-01-10", "2024-02-01", "2024-02-03"),
            "Opportunity Name": text(*names),
            "Opportunity Owner": text("Sam Fox", "Sam Fox", "Ivy Chen", "Ivy Chen"),
            "Stage": text("Closed Won", "Closed Lost", "Negotiation/Review", "Needs Analysis"),
            "Type": text("New Customer", "Existing Customer - Upgrade", "New Customer", NA),
            "Close Date": dates("2024-03-01", "2024-03-05", "2024-04-01", "2024-04-15"),
            "Age": [59.0, 55.0, 40.0, 20.0],
            "Amount": [12000.0, 5000.0, 7500.0, 3000.0],
        }
    )
    paths = {
        names[0]: ["Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
                   "Negotiation/Review", "Closed Won"],
        names[1]: ["Qualification", "Qualification", "Needs Analysis", "Closed Lost"],
        names[2]: ["Prospecting", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"],
        names[3]: ["Prospecting", "Needs Analysis"],
    }  # fmt: skip
    rows = []
    for i, (name, path) in enumerate(paths.items()):
        previous = None
        for j, stage in enumerate(path):
            when = pd.Timestamp("2024-01-01") + pd.Timedelta(days=i * 3 + j * 7)
            rows.append((name, stage, previous, 1000.0 * (j + 1), when, "Sam Fox", "Sam Fox"))
            previous = stage
    history = pd.DataFrame(
        rows,
        columns=["Opportunity Name", "To Stage", "From Stage", "Amount", "Last Modified",
                 "Last Modified By", "Owner"],
    )  # fmt: skip
    history["Last Modified"] = history["Last Modified"].astype("datetime64[ns]")
    for col in ("Opportunity Name", "To Stage", "From Stage", "Last Modified By", "Owner"):
        history[col] = history[col].astype("str")
    history["Probability (%)"] = 10.0
    return report, history.sample(frac=1.0, random_state=1)


def test_salesforce_report_with_history_joined_on_title() -> None:
    report, history = salesforce_frames()
    inference = infer_spec(report, history)
    spec = inference.spec
    assert spec.layout == "history"
    assert dict(spec.columns) == {
        "created": "Created Date",
        "title": "Opportunity Name",
        "owner": "Opportunity Owner",
        "stage": "Stage",
        "product": "Type",
        "closed": "Close Date",
        "amount": "Amount",
    }
    assert spec.events is not None
    assert spec.events.join == "title"
    assert dict(spec.events.columns) == {
        "title": "Opportunity Name",
        "stage": "To Stage",
        "at": "Last Modified",
    }
    assert spec.stage_names == (
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Proposal/Price Quote",
        "Negotiation/Review",
    )
    assert (spec.won, spec.lost) == (("Closed Won",), ("Closed Lost",))
    assert roles(inference.events_guesses) == {
        "title": "Opportunity Name",
        "stage": "To Stage",
        "at": "Last Modified",
    }
    round_trips(inference)


def register_frame() -> pd.DataFrame:
    """A hand-made Russian register: one date column per stage reached, a status column."""
    d = "2024-03-{:02d}".format
    return pd.DataFrame(
        {
            "№": [1.0, 2, 3, 4, 5, 6, 7],
            "Клиент": text("ООО Ромашка", "ИП Иванов", "Стройдвор", "Окна+", "Дом", "Лес", "Мир"),
            "Источник": text("Сайт", "Авито", "Сайт", "Рекомендация", "Сайт", "Авито", "Сайт"),
            "Менеджер": text("Олег", "Олег", "Ира", "Ира", "Олег", "Ира", "Олег"),
            "Дата обращения": dates(d(1), d(2), d(3), d(4), d(5), d(6), d(7)),
            "Дата замера": dates(d(3), d(4), d(6), None, d(8), d(9), None),
            "Дата КП": dates(d(5), d(6), d(9), None, d(10), None, None),
            "Дата договора": dates(d(8), None, d(12), None, d(14), None, None),
            "Дата оплаты": dates(d(10), None, d(15), None, None, None, None),
            "Сумма, руб.": [120000.0, 80000, 250000, 60000, 99000, 45000, 30000],
            "Статус": text("Оплачено", "Отказ", "Оплачено", "Отказ", "В работе", "Отказ", NA),
            "Примечание": text(NA, "дорого", NA, "не вышел на связь", NA, NA, NA),
        }
    )


def test_hand_made_register_with_stage_dates() -> None:
    inference = infer_spec(register_frame())
    spec = inference.spec
    assert spec.layout == "stage_dates"
    assert dict(spec.columns) == {
        "deal": "№",
        "title": "Клиент",
        "channel": "Источник",
        "owner": "Менеджер",
        "amount": "Сумма, руб.",
        "status": "Статус",
    }
    assert spec.stage_names == ("Обращение", "Замер", "КП", "Договор", "Оплата")
    assert [s.column for s in spec.stages] == [
        "Дата обращения",
        "Дата замера",
        "Дата КП",
        "Дата договора",
        "Дата оплаты",
    ]
    # In a status column «Оплачено» is the won outcome: nothing else there says won.
    assert (spec.won, spec.lost) == (("Оплачено",), ("Отказ",))
    assert not any("creation date" in notice_text(w) for w in inference.warnings)
    round_trips(inference)


def bitrix_history() -> pd.DataFrame:
    paths = {
        10: ["NEW", "PREPARATION", "PREPAYMENT_INVOICE", "WON"],
        11: ["NEW", "PREPARATION", "LOSE"],
        12: ["NEW", "LOSE"],
        13: ["NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON"],
        14: ["NEW", "PREPAYMENT_INVOICE", "APOLOGY"],
        15: ["NEW", "PREPARATION", "EXECUTING"],
    }
    rows = []
    for deal, path in paths.items():
        for j, stage in enumerate(path):
            kind = 1 if j == 0 else 3 if stage in ("WON", "LOSE", "APOLOGY") else 2
            when = pd.Timestamp("2024-05-01 09:00") + pd.Timedelta(hours=deal * 5 + j * 30)
            rows.append((len(rows) + 1, kind, deal, when, 0, "P", stage))
    frame = pd.DataFrame(
        rows,
        columns=["ID", "TYPE_ID", "OWNER_ID", "CREATED_TIME", "CATEGORY_ID",
                 "STAGE_SEMANTIC_ID", "STAGE_ID"],
    )  # fmt: skip
    frame = frame.astype({"ID": float, "TYPE_ID": float, "OWNER_ID": float, "CATEGORY_ID": float})
    frame["CREATED_TIME"] = frame["CREATED_TIME"].astype("datetime64[ns]")
    frame["STAGE_ID"] = frame["STAGE_ID"].astype("str")
    frame["STAGE_SEMANTIC_ID"] = frame["STAGE_SEMANTIC_ID"].astype("str")
    return frame


def test_bitrix24_stage_history_as_the_source() -> None:
    inference = infer_spec(bitrix_history())
    spec = inference.spec
    assert spec.layout == "history"
    assert spec.events is None
    assert {r: spec.columns[r] for r in ("deal", "stage", "at")} == {
        "deal": "OWNER_ID",
        "stage": "STAGE_ID",
        "at": "CREATED_TIME",
    }
    assert "created" not in spec.columns  # CREATED_TIME is the event time here
    assert spec.stage_names == (
        "NEW",
        "PREPARATION",
        "PREPAYMENT_INVOICE",
        "EXECUTING",
        "FINAL_INVOICE",
    )
    assert (spec.won, spec.lost) == (("WON",), ("LOSE", "APOLOGY"))
    round_trips(inference)


def test_bitrix24_deal_list_with_history_joined_on_id() -> None:
    deals = pd.DataFrame(
        {
            "ID": [10.0, 11, 12, 13, 14, 15],
            "Стадия сделки": text("WON", "LOSE", "LOSE", "WON", "APOLOGY", "EXECUTING"),
            "Сумма": [100.0, 200, 300, 400, 500, 600],
            "Дата создания": dates(*["2024-05-01"] * 6),
        }
    )
    spec = infer_spec(deals, bitrix_history()).spec
    assert spec.events is not None and spec.events.join == "deal"
    assert dict(spec.events.columns) == {
        "deal": "OWNER_ID",
        "stage": "STAGE_ID",
        "at": "CREATED_TIME",
    }
    assert spec.stage_names[0] == "NEW" and spec.stage_names[-1] == "FINAL_INVOICE"


def test_warnings_for_a_bare_list() -> None:
    frame = pd.DataFrame({"Клиент": text("a", "b"), "Телефон": text("1", "2")})
    warnings = " ".join(notice_text(w) for w in infer_spec(frame).warnings)
    assert "No stage column" in warnings
    assert "No amount column" in warnings
    assert "No creation date" in warnings


def test_paid_as_the_last_stage_is_won_when_nothing_else_says_won() -> None:
    frame = pd.DataFrame(
        {"Этап": text("Заявка", "Заявка", "Счёт выставлен", "Оплачено", "Заявка", "Счёт выставлен")}
    )
    inference = infer_spec(frame)
    assert inference.spec.stage_names == ("Заявка", "Счёт выставлен")
    assert inference.spec.won == ("Оплачено",)
    assert any(w.code == "detect_paid_is_won" for w in inference.warnings)


def test_paid_before_a_won_value_stays_a_stage() -> None:
    frame = pd.DataFrame(
        {"Этап": text("Заявка", "Оплачено", "В производстве", "Успешно реализовано", "Заявка")}
    )
    inference = infer_spec(frame)
    assert "Оплачено" in inference.spec.stage_names
    assert inference.spec.won == ("Успешно реализовано",)


def test_history_guesses_agree_with_the_spec() -> None:
    guesses = {g.column: g.role for g in infer_spec(bitrix_history()).guesses}
    assert guesses["ID"] is None  # the history row, not the deal
    assert guesses["OWNER_ID"] == "deal"
    assert guesses["CREATED_TIME"] == "at"


def test_renamed_stage_in_a_known_order_is_placed_by_its_words() -> None:
    # The portal renamed PREPAYMENT_INVOICE to «ТКП отправлено»: a proposal, after the documents.
    inference = infer_spec(bitrix_frame(stage_ids=False))
    assert inference.spec.stage_names == (
        "Новая",
        "Подготовка документов",
        "ТКП отправлено",
        "В работе",
        "Финальный счёт",
    )
    assert not inference.spec.guessed
    evidence = next(w for w in inference.warnings if w.code == "detect_order_evidence")
    assert evidence.params == {"basis": "crm_default", "crm": "Bitrix24 (names)"}


# ---- invariance -----------------------------------------------------------------------------

BUILDERS = {
    "amoCRM": amocrm_frame,
    "Bitrix24": lambda: bitrix_frame(True),
    "Bitrix24 names": lambda: bitrix_frame(False),
    "Pipedrive": pipedrive_frame,
    "HubSpot": hubspot_frame,
    "register": register_frame,
    "Bitrix24 history": bitrix_history,
    "Salesforce": lambda: salesforce_frames()[0],
}
FRAMES = {name: build() for name, build in BUILDERS.items()}


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(sorted(FRAMES)), data=st.data())
def test_row_order_does_not_change_the_spec(name: str, data: st.DataObject) -> None:
    frame = FRAMES[name]
    order = data.draw(st.permutations(range(len(frame))))
    shuffled = frame.iloc[list(order)].reset_index(drop=True)
    assert infer_spec(shuffled).spec == infer_spec(frame).spec


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(sorted(FRAMES)), data=st.data())
def test_column_order_does_not_change_roles(name: str, data: st.DataObject) -> None:
    frame = FRAMES[name]
    order = data.draw(st.permutations(list(frame.columns)))
    assert roles(detect_columns(frame[list(order)])) == roles(detect_columns(frame))
    assert infer_spec(frame[list(order)]).spec.columns == infer_spec(frame).spec.columns


@settings(max_examples=30, deadline=None)
@given(
    stages=st.lists(
        st.sampled_from(
            ["Первичный контакт", "Переговоры", "Принимают решение", "Успешно реализовано",
             "Закрыто и не реализовано", "Неразобранное", "переговоры "]
        ),
        min_size=2,
        max_size=40,
    ),
    data=st.data(),
)  # fmt: skip
def test_generated_snapshots_shuffle_invariant(stages: list[str], data: st.DataObject) -> None:
    frame = pd.DataFrame(
        {
            "Этап сделки": text(*stages),
            "Бюджет ": np.arange(1, len(stages) + 1, dtype=float) * 1000.0,
        }
    )
    order = data.draw(st.permutations(range(len(frame))))
    shuffled = frame.iloc[list(order)].reset_index(drop=True)
    spec = infer_spec(frame).spec
    assert infer_spec(shuffled).spec == spec
    # Spellings differing by case or spaces are one stage; outcomes are never stages.
    assert len({s.lower().strip() for s in spec.stage_names}) == len(spec.stage_names)
    assert not set(spec.stage_names) & {"Успешно реализовано", "Закрыто и не реализовано"}


def test_paid_status_is_won_and_leaves_the_stages() -> None:
    frame = pd.DataFrame(
        {
            "Этап": text("Заявка", "Счёт", "Оплачено", "Заявка", "Счёт", "Оплачено", "Заявка"),
            "Статус": text("В работе", "Отказ", "Оплачено", "Отказ", "В работе", "Оплачено", NA),
        }
    )
    spec = infer_spec(frame).spec
    assert (spec.won, spec.lost) == (("Оплачено",), ("Отказ",))
    assert spec.stage_names == ("Заявка", "Счёт")


def test_pipedrive_won_time_is_the_close_date_unless_closed_on_exists() -> None:
    won = pd.to_datetime(["2025-02-01", None, "2025-03-01"])
    frame = pd.DataFrame(
        {
            "Deal - Stage": ["Qualified", "Contact Made", "Qualified"],
            "Deal - Status": ["Won", "Open", "Won"],
            "Deal - Deal created": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]),
            "Deal - Won time": won,
        }
    )
    assert infer_spec(frame).spec.columns["closed"] == "Deal - Won time"
    frame["Deal - Deal closed on"] = won
    assert infer_spec(frame).spec.columns["closed"] == "Deal - Deal closed on"


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Чек", "amount"),
        ("Средний чек, руб.", "amount"),
        ("Цена", "amount"),
        ("Price", "amount"),
        ("Откуда узнали", "channel"),
    ],
)
def test_everyday_headers_of_a_register_are_read(header, role):
    frame = pd.DataFrame(
        {
            "Клиент": [f"ИП {i}" for i in range(30)],
            header: [12_000 + 500 * i for i in range(30)]
            if role == "amount"
            else ["Авито", "Сарафан", "Инстаграм"] * 10,
        }
    )
    assert {g.role: g.column for g in detect_columns(frame)}.get(role) == header


_SPELT = st.sampled_from(["Звонок", "звонок ", "", " ", "VK", "A"])


@given(st.lists(st.one_of(st.none(), _SPELT, st.integers(0, 400).map(str)), max_size=600))
def test_text_counts_are_value_counts(cells) -> None:
    """A text column's profile counts its values as pandas' value_counts does (most common
    first, ties in the order first seen), on the str dtype and on plain objects alike."""
    from funnel.detect.columns import _TOP, _text_counts

    for series in (pd.Series(cells, dtype="str"), pd.Series(cells, dtype=object)):
        expected = series.dropna().astype(str).value_counts(sort=True)
        top, counts = _text_counts(series)
        assert top == [str(v) for v in expected.index[:_TOP]]
        assert counts.tolist() == expected.tolist()
