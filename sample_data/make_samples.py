"""Make Voronka's sample files: one simulated company, three business lines, several export layouts.

The company and its funnels follow Alexey Evchuk's article (three amoCRM pipelines: security
systems, storage media, doors) and the two leaks he keeps finding: many leads drop right after
the first touch, and many drop between the invoice/quote and the payment. The same simulated deals
are written as an amoCRM export, a hand-kept doors register, a Pipedrive export and a Bitrix24 CSV,
with ``truth.json`` holding the numbers a correct engine must reproduce. ``spend.xlsx`` is what
each line paid for its channels, kept by hand in three layouts, for cost per lead and ROMI.

Run ``python sample_data/make_samples.py [OUT_DIR]``. A fixed seed and a fixed "today" make every
run write the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
import yaml

SEED = 20261120
TODAY = datetime(2026, 11, 20, 9, 0, 0)  # the moment every export is taken
FIRST_DAY = datetime(2025, 8, 1)  # creation dates span FIRST_DAY .. TODAY (15.6 months)
SCRIPT_DATE = datetime(2026, 3, 1)  # doors: a new closing script from this day on
SCRIPT_LOSS_FACTOR = 0.55  # ... keeps this share of the invoice->payment losses
ZOMBIE_SHARE = 0.05  # lost deals nobody closed: they stay open at their stage forever
NO_REASON_SHARE = 0.1  # lost deals closed without a loss reason
SMALL_SEGMENT = ("Противопожарные двери", 15)  # a product too small to judge

# Probability to get past the first touch, by channel (leak 1: wrong ads, wrong leads, no answer).
FIRST_TOUCH = {
    "Контекстная реклама": 0.40,
    "Email-рассылка": 0.50,
    "Холодные звонки": 0.38,
    "Рекомендации": 0.80,
    "Выставка": 0.60,
}
# Share of deals that get from invoice/quote sent to payment, by channel (leak 2).
INVOICE_TO_PAYMENT = {
    "Контекстная реклама": 0.45,
    "Email-рассылка": 0.78,
    "Холодные звонки": 0.33,
    "Рекомендации": 0.78,
    "Выставка": 0.50,
}


@dataclass(frozen=True)
class Line:
    """One business line = one amoCRM pipeline, with the knobs of its simulation."""

    name: str
    name_en: str
    stage_pairs: tuple[tuple[str, str], ...]
    n_deals: int
    channels: dict[str, float]  # channel -> weight
    products: dict[str, tuple[float, float]]  # product -> (weight, median amount)
    amount_range: tuple[float, float]
    amount_step: float  # amounts are rounded to this
    owners: tuple[str, ...]
    creator: str | None  # who enters deals in the CRM; None = the owner
    pass_p: tuple[float | None, ...]  # P(leave stage k forward); None = channel-driven leak
    median_days: tuple[float, ...]  # median days spent at stage k
    invoice: int  # index of the invoice/quote-sent stage
    payment: int  # index of the payment-received stage
    leak_weights: tuple[float, ...]  # how leak 2 spreads over stages invoice..payment-1
    leak_factor: float
    tags: tuple[str, ...]

    @property
    def stages(self) -> tuple[str, ...]:
        return tuple(ru for ru, _ in self.stage_pairs)

    @property
    def stages_en(self) -> tuple[str, ...]:
        return tuple(en for _, en in self.stage_pairs)


SECURITY = Line(
    name="Системы безопасности",
    name_en="Security systems",
    stage_pairs=(  # (Russian, English)
        ("Интерес выявлен", "Interest identified"),
        ("Детали для КП", "Details for proposal"),
        ("Демонстрация предложена", "Demo offered"),
        ("Демонстрация проведена", "Demo held"),
        ("Расчёт отправлен", "Quote sent"),
        ("Расчёт получен", "Quote received"),
        ("Расчёт рассмотрен", "Quote reviewed"),
        ("Возражения собраны", "Objections collected"),
        ("Возражения сняты", "Objections resolved"),
        ("Договор предложен", "Contract offered"),
        ("Реквизиты получены", "Company details received"),
        ("Договор и счёт отправлены", "Contract and invoice sent"),
        ("Договор получен", "Contract received"),
        ("Договор подписан", "Contract signed"),
        ("Дата оплаты согласована", "Payment date agreed"),
        ("Оплата получена", "Payment received"),
        ("Обязательства выполнены", "Obligations fulfilled"),
        ("Результат внедрения", "Implementation review"),
    ),
    n_deals=600,
    channels={
        "Контекстная реклама": 0.55,
        "Рекомендации": 0.15,
        "Выставка": 0.15,
        "Холодные звонки": 0.10,
        "Email-рассылка": 0.05,
    },
    products={
        "СКУД": (0.35, 600_000),
        "Видеонаблюдение": (0.40, 450_000),
        "Охранная сигнализация": (0.25, 300_000),
    },
    amount_range=(150_000, 3_000_000),
    amount_step=1000,
    owners=("Дмитрий Козлов", "Елена Морозова"),
    creator="Светлана Орлова",  # the article: "the administrator enters the interest"
    pass_p=(None, 0.85, 0.80, 0.92) + (None,) * 11 + (0.99, 0.98, 1.0),
    median_days=(2, 4, 5, 7, 2, 3, 5, 4, 6, 3, 2, 3, 2, 5, 7, 10, 30, 30),
    invoice=4,
    payment=15,
    leak_weights=(0.05, 0.10, 0.15, 0.25, 0.15, 0.05, 0.05, 0.03, 0.07, 0.05, 0.05),
    leak_factor=0.95,
    tags=("тендер", "ключевой клиент", "госзаказ"),
)
MEDIA = Line(
    name="Носители информации",
    name_en="Storage media",
    stage_pairs=(  # (Russian, English)
        ("Подписка на рассылку", "Newsletter signup"),
        ("Знакомство", "Introduction"),
        ("Прайс отправлен", "Price list sent"),
        ("Первый заказ оплачен", "First order paid"),
        ("Заказ выполнен", "Order fulfilled"),
        ("Регулярные заказы", "Regular orders"),
    ),
    n_deals=900,
    channels={
        "Email-рассылка": 0.60,
        "Контекстная реклама": 0.20,
        "Рекомендации": 0.10,
        "Холодные звонки": 0.10,
    },
    products={
        "Флешки": (0.45, 20_000),
        "Чехлы": (0.30, 12_000),
        "Зарядки": (0.25, 15_000),
    },
    amount_range=(5_000, 80_000),
    amount_step=10,
    owners=("Ольга Новикова", "Анна Смирнова"),
    creator="Робот",  # a subscription form on the site creates the deal
    pass_p=(None, 0.85, None, 0.98, 0.75, 1.0),
    median_days=(3, 4, 10, 5, 30, 20),
    invoice=2,
    payment=3,
    leak_weights=(1.0,),
    leak_factor=0.88,
    tags=("сайт", "опт", "повторный"),
)
DOORS = Line(
    name="Двери",
    name_en="Doors",
    stage_pairs=(  # (Russian, English)
        ("Интерес уточнён", "Interest confirmed"),
        ("Заявка получена", "Request received"),
        ("Счёт выставлен", "Invoice issued"),
        ("Препятствия устранены", "Obstacles removed"),
        ("Оплата получена", "Payment received"),
        ("В производстве", "In production"),
        ("Доволен/недоделки устранены", "Satisfied / defects fixed"),
    ),
    n_deals=900,
    channels={
        "Холодные звонки": 0.55,
        "Рекомендации": 0.15,
        "Выставка": 0.15,
        "Контекстная реклама": 0.10,
        "Email-рассылка": 0.05,
    },
    products={
        "Входные двери": (0.6, 250_000),
        "Межкомнатные двери": (0.4, 180_000),
    },
    amount_range=(40_000, 900_000),
    amount_step=100,
    owners=("Игорь Волков", "Сергей Павлов", "Анна Смирнова"),
    creator=None,
    pass_p=(None, 0.85, None, None, 0.99, 0.98, 1.0),
    median_days=(3, 5, 7, 7, 3, 21, 10),
    invoice=2,
    payment=4,
    leak_weights=(0.6, 0.4),
    leak_factor=1.0,
    tags=("застройщик", "повторный", "объект сдан"),
)
LINES = (SECURITY, MEDIA, DOORS)

WON_AMO, LOST_AMO = "Успешно реализовано", "Закрыто и не реализовано"
WON_REGISTER, LOST_REGISTER, OPEN_REGISTER = "Успешно реализовано", "Не реализовано", "В работе"

REASONS = {  # reason -> (weight, English); grouped by where in the funnel a deal is lost
    "early": {
        "Не целевой": (0.35, "Not a target client"),
        "Не отвечает": (0.30, "No answer"),
        "Звонил по старой рекламе": (0.20, "Called about an old ad"),
        "Нет сертификата на товар": (0.15, "No product certificate"),
    },
    "middle": {
        "Не отвечает": (0.30, "No answer"),
        "Нет бюджета": (0.25, "No budget"),
        "Сроки не устроили": (0.20, "Timing did not fit"),
        "Работают с другими": (0.25, "Works with a competitor"),
    },
    "leak": {
        "Дорого": (0.35, "Too expensive"),
        "Нет бюджета": (0.20, "No budget"),
        "Работают с другими": (0.25, "Works with a competitor"),
        "Не отвечает": (0.15, "No answer"),
        "Документы потерялись": (0.05, "Documents got lost"),
    },
    "late": {
        "Недоволен качеством": (0.6, "Unhappy with quality"),
        "Не отвечает": (0.4, "No answer"),
    },
}
REASON_EN = {ru: en for group in REASONS.values() for ru, (_, en) in group.items()}
CHANNEL_EN = {
    "Контекстная реклама": "Paid search",
    "Email-рассылка": "Email newsletter",
    "Холодные звонки": "Cold calls",
    "Рекомендации": "Referral",
    "Выставка": "Trade show",
}
PRODUCT_EN = {
    "СКУД": "Access control",
    "Видеонаблюдение": "CCTV",
    "Охранная сигнализация": "Burglar alarm",
    "Флешки": "USB flash drives",
    "Чехлы": "Phone cases",
    "Зарядки": "Chargers",
    "Входные двери": "Entrance doors",
    "Межкомнатные двери": "Interior doors",
    "Противопожарные двери": "Fire doors",
}
OWNER_EN = {
    "Дмитрий Козлов": "Dmitry Kozlov",
    "Елена Морозова": "Elena Morozova",
    "Ольга Новикова": "Olga Novikova",
    "Анна Смирнова": "Anna Smirnova",
    "Игорь Волков": "Igor Volkov",
    "Сергей Павлов": "Sergey Pavlov",
}
UTM = {"Контекстная реклама": ("yandex", "google"), "Email-рассылка": ("sendsay",)}
MONTHS = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)  # fmt: skip

MALE = ("Алексей", "Андрей", "Виктор", "Павел", "Максим", "Николай", "Роман", "Юрий", "Артём")
FEMALE = ("Ирина", "Мария", "Наталья", "Татьяна", "Юлия", "Светлана", "Оксана", "Екатерина")
SURNAMES = (
    "Иванов", "Петров", "Соколов", "Лебедев", "Кузнецов", "Попов", "Васильев", "Фёдоров",
    "Михайлов", "Белов", "Тарасов", "Комаров", "Орлов", "Киселев", "Макаров", "Зайцев",
)  # fmt: skip
# Made-up plant names: generic roots, so no real company is named.
ROOTS_A = ("Гранит", "Меридиан", "Вектор", "Импульс", "Ресурс", "Прогресс", "Заречье", "Полесье")
ROOTS_B = ("хим", "маш", "пром", "металл", "энерго", "пласт", "лес", "агро", "транс")
SHOPS = ("Флешка", "Гаджет", "Цифра", "ТехноТочка", "Заряд", "Мобилка", "Смарт", "Планета")
BUILDERS = ("Строй", "Дом", "Град", "Квартал", "Монолит", "Жилстрой", "Новострой", "Кирпич")
BUILDER_TAILS = ("Инвест", "Групп", "Монтаж", "Девелопмент", "Сервис", "Проект")


def _pick(rng: np.random.Generator, weights: dict) -> str:
    keys = list(weights)
    w = np.array([v[0] if isinstance(v, tuple) else v for v in weights.values()], dtype=float)
    return keys[int(rng.choice(len(keys), p=w / w.sum()))]


def _creation_days(rng: np.random.Generator, n: int) -> list[datetime]:
    """Working days weigh more; the New Year holidays and weekends are quiet; a mild growth."""
    days = pd.date_range(FIRST_DAY, TODAY - timedelta(days=1), freq="D").normalize()
    weight = np.where(days.day_of_week < 5, 1.0, np.where(days.day_of_week == 5, 0.25, 0.1))
    weight = weight * np.where((days.month == 1) & (days.day <= 8), 0.2, 1.0)
    weight = weight * np.linspace(0.8, 1.2, len(days))
    picked = np.sort(rng.choice(len(days), size=n, p=weight / weight.sum()))
    return [days[int(i)].to_pydatetime() for i in picked]


def _company(rng: np.random.Generator, line: Line) -> str:
    if line is SECURITY:
        form = ("АО", "ООО", "ПАО")[int(rng.integers(3))]
        tail = ("завод", "комбинат", "")[int(rng.integers(3))]
        return f"{form} «{rng.choice(ROOTS_A)}{rng.choice(ROOTS_B)}{tail}»"
    if line is MEDIA:
        if rng.random() < 0.5:
            initials = f"{rng.choice(list('АВГДЕИКМНОПС'))}.{rng.choice(list('АВГДИМНПС'))}."
            return f"ИП {rng.choice(SURNAMES)} {initials}"
        return f"Магазин «{rng.choice(SHOPS)}»"
    return f"ООО «{rng.choice(BUILDERS)}{rng.choice(BUILDER_TAILS)}»"


def _contact(rng: np.random.Generator) -> str:
    surname = str(rng.choice(SURNAMES))
    if rng.random() < 0.5:
        return f"{rng.choice(MALE)} {surname}"
    return f"{rng.choice(FEMALE)} {surname}а"


def _amount(rng: np.random.Generator, line: Line, product: str) -> float:
    low, high = line.amount_range
    median = line.products[product][1]
    raw = min(max(median * math.exp(0.6 * rng.standard_normal()), low), high)
    amount = round(raw / line.amount_step) * line.amount_step
    if line is DOORS and rng.random() < 0.06:
        amount += 0.5  # someone's invoice has kopecks
    return float(amount)


def _pass_probability(line: Line, k: int, channel: str, invoice_at: datetime | None) -> float:
    fixed = line.pass_p[k]
    if fixed is not None:
        return fixed
    if k == 0:
        return FIRST_TOUCH[channel]
    target = INVOICE_TO_PAYMENT[channel] * line.leak_factor
    if line is DOORS and invoice_at is not None and invoice_at >= SCRIPT_DATE:
        target = 1 - (1 - target) * SCRIPT_LOSS_FACTOR
    return target ** line.leak_weights[k - line.invoice]


def _reason_group(line: Line, k: int) -> str:
    if k == 0:
        return "early"
    if k < line.invoice:
        return "middle"
    return "leak" if k < line.payment else "late"


def simulate(seed: int = SEED) -> pd.DataFrame:
    """All deals of the three lines: one row each, with the full stage history as a list."""
    rng = np.random.default_rng(seed)
    rows = []
    for line in LINES:
        days = _creation_days(rng, line.n_deals)
        for day in days:
            channel = _pick(rng, line.channels)
            product = _pick(rng, line.products)
            owner = str(rng.choice(line.owners))
            hours = rng.uniform(0, 24) if line.creator == "Робот" else rng.uniform(9, 19)
            created = day + timedelta(seconds=int(hours * 3600))
            entered = [created]
            status, lost_reason, closed = "open", "", None
            k = 0
            while True:
                invoice_at = entered[line.invoice] if len(entered) > line.invoice else None
                ok = rng.random() < _pass_probability(line, k, channel, invoice_at)
                spread = 0.6 if ok else 0.8
                days_here = line.median_days[k] * (1 if ok else 1.6)
                d = days_here * math.exp(spread * rng.standard_normal())
                at = entered[-1] + timedelta(seconds=int(d * 86400) + 60)
                if at > TODAY:
                    break
                if not ok:
                    if rng.random() < ZOMBIE_SHARE:
                        break
                    status, closed = "lost", at
                    if rng.random() >= NO_REASON_SHARE:
                        lost_reason = _pick(rng, REASONS[_reason_group(line, k)])
                    break
                if k == len(line.stages) - 1:
                    status, closed = "won", at
                    break
                entered.append(at)
                k += 1
            rows.append(
                {
                    "pipeline": line.name,
                    "channel": channel,
                    "product": product,
                    "owner": owner,
                    "amount": _amount(rng, line, product),
                    "created": created,
                    "entered": entered,
                    "stage_index": k,
                    "status": status,
                    "closed": closed,
                    "lost_reason": lost_reason,
                    "company": _company(rng, line),
                    "contact": _contact(rng),
                    "phone": "+7 9{:02d} {:03d}-{:02d}-{:02d}".format(
                        *(int(x) for x in rng.integers([0, 0, 0, 0], [100, 1000, 100, 100]))
                    ),
                    "tags": str(rng.choice(line.tags)) if rng.random() < 0.15 else "",
                    "utm": str(rng.choice(UTM[channel])) if channel in UTM else "",
                    "edited_after_hours": float(rng.uniform(0.1, 72)),
                }
            )
    deals = pd.DataFrame(rows)
    doors = deals.index[deals["pipeline"] == DOORS.name].to_numpy()
    small = rng.choice(doors, size=SMALL_SEGMENT[1], replace=False)
    deals.loc[small, "product"] = SMALL_SEGMENT[0]
    deals = deals.sort_values(["created", "pipeline"], kind="stable").reset_index(drop=True)
    gaps = rng.integers(1, 40, size=len(deals))
    deals.insert(0, "amo_id", 24_310_000 + np.cumsum(gaps))
    deals.insert(1, "deal_no", np.arange(1, len(deals) + 1))
    return deals


# ---------------------------------------------------------------- formatting helpers


def _line(name: str) -> Line:
    return next(line for line in LINES if line.name == name)


def _dt(value: datetime | None) -> str:
    return "" if pd.isna(value) else value.strftime("%d.%m.%Y %H:%M:%S")


def _iso(value: datetime | None) -> str:
    return "" if pd.isna(value) else value.strftime("%Y-%m-%d %H:%M:%S")


def _number(value: float) -> str:
    return f"{value:.2f}" if value % 1 else f"{value:.0f}"


def _rub(value: float, style: int) -> str:
    """A hand-typed ruble amount: NBSP-grouped digits, optional kopecks, one of three suffixes."""
    whole = f"{int(value):,}".replace(",", "\u00a0")
    kop = f",{round(value % 1 * 100):02d}" if value % 1 else ""
    return whole + kop + (" ₽", " руб.", " р.")[style]


def _title(deal: pd.Series) -> str:
    if deal["pipeline"] == MEDIA.name and deal["deal_no"] % 3:
        return f"Сделка #{deal['amo_id']}"  # amoCRM's default name for form-created deals
    return deal["company"]


def _edited(deal: pd.Series) -> datetime:
    last = deal["closed"] if pd.notna(deal["closed"]) else deal["entered"][-1]
    return min(last + timedelta(hours=deal["edited_after_hours"]), TODAY)


def _csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8", sep: str = ",") -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, sep=sep, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue().encode(encoding)


def _workbook(path: Path) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": TODAY, "author": "Voronka sample data"})
    return book


# ---------------------------------------------------------------- layouts


def amocrm_frame(deals: pd.DataFrame) -> pd.DataFrame:
    """The amoCRM snapshot: the current stage only, so a lost deal shows only as lost; the
    account keeps a custom field «Этап отказа» filled by a robot, as amoCRM users do."""
    stage = [
        WON_AMO
        if d.status == "won"
        else LOST_AMO
        if d.status == "lost"
        else _line(d.pipeline).stages[d.stage_index]
        for d in deals.itertuples()
    ]
    creator = [
        _line(p).creator or o for p, o in zip(deals["pipeline"], deals["owner"], strict=True)
    ]
    return pd.DataFrame(
        {
            "ID": deals["amo_id"].astype(str),
            "Название сделки": [_title(d) for _, d in deals.iterrows()],
            "Бюджет ": deals["amount"].map(_number),
            "Ответственный": deals["owner"],
            "Дата создания сделки": deals["created"].map(_dt),
            "Кем создана сделка": creator,
            "Дата редактирования": [_dt(_edited(d)) for _, d in deals.iterrows()],
            "Дата закрытия": [_dt(c) if pd.notna(c) else "не закрыта" for c in deals["closed"]],
            "Теги": deals["tags"],
            "Этап сделки": stage,
            "Воронка": deals["pipeline"],
            "Полное имя контакта": deals["contact"],
            "Компания": deals["company"],
            "Мобильный телефон": deals["phone"],
            "Источник": deals["channel"],
            "Продукт": deals["product"],
            "Причина отказа": deals["lost_reason"],
            # A custom field a robot fills on loss: amoCRM itself forgets the stage at loss.
            "Этап отказа": [
                _line(d.pipeline).stages[d.stage_index] if d.status == "lost" else ""
                for d in deals.itertuples()
            ],
            "utm_source": deals["utm"],
        }
    )


def write_amocrm_xlsx(frame: pd.DataFrame, path: Path) -> None:
    book = _workbook(path)
    sheet = book.add_worksheet("Сделки")
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, name)
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for col, value in enumerate(values):
            if col in (0, 2):  # ID and budget are numbers; every date is text, as amoCRM writes it
                sheet.write_number(row, col, float(value))
            elif value:
                sheet.write_string(row, col, value)
    book.close()


def register_columns() -> list[str]:
    return [
        "№", "Клиент", "Менеджер", "Канал", "Продукт", "Сумма, руб.",
        *(f"Дата: {stage}" for stage in DOORS.stages),
        "Дата закрытия", "Статус", "Причина отказа",
    ]  # fmt: skip


def write_register(deals: pd.DataFrame, path: Path) -> None:
    """The doors register a manager keeps by hand: titles, month rows, text amounts, ИТОГО."""
    rng = np.random.default_rng(SEED + 1)  # messiness has its own stream: the deals stay put
    doors = deals[deals["pipeline"] == DOORS.name]
    book = _workbook(path)
    sheet = book.add_worksheet("Реестр")
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "text_wrap": True, "bg_color": "#DDEBF7"})
    month = book.add_format({"bold": True, "italic": True, "bg_color": "#F2F2F2"})
    date = book.add_format({"num_format": "dd.mm.yyyy"})
    columns = register_columns()
    first_date = columns.index(f"Дата: {DOORS.stages[0]}")
    sheet.merge_range(0, 0, 0, 5, "Реестр сделок — двери", title)
    sheet.write_string(1, 0, f"выгрузка от {TODAY:%d.%m.%Y}")
    for col, name in enumerate(columns):
        sheet.write_string(3, col, name, header)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 5, 18)
    sheet.set_column(first_date, first_date + len(DOORS.stages), 12)
    row, current_month, total = 4, None, 0.0
    for number, deal in enumerate(doors.itertuples(), start=1):
        key = (deal.created.year, deal.created.month)
        if key != current_month:
            current_month = key
            sheet.merge_range(row, 0, row, 2, f"{MONTHS[key[1] - 1]} {key[0]}", month)
            row += 1
        status = {"won": WON_REGISTER, "lost": LOST_REGISTER, "open": OPEN_REGISTER}[deal.status]
        if rng.random() < 0.02:
            status += " "  # typed by hand
        style = int(rng.choice(3, p=[0.7, 0.2, 0.1]))
        cells = [number, deal.company, deal.owner, deal.channel, deal.product]
        cells += [_rub(deal.amount, style)]
        for col, value in enumerate(cells):
            sheet.write(row, col, value)
        for k, at in enumerate(deal.entered):
            if rng.random() < 0.03:  # someone typed the date instead of picking it
                sheet.write_string(row, first_date + k, f"{at:%d.%m.%Y}")
            else:
                sheet.write_datetime(
                    row, first_date + k, at.replace(hour=0, minute=0, second=0), date
                )
        closed_col = first_date + len(DOORS.stages)
        if pd.notna(deal.closed):
            sheet.write_string(row, closed_col, f"{deal.closed:%d.%m.%Y}")
        sheet.write_string(row, closed_col + 1, status)
        if deal.lost_reason:
            sheet.write_string(row, closed_col + 2, deal.lost_reason)
        total += deal.amount
        row += 1
    won = int((doors["status"] == "won").sum())
    sheet.write_string(row, 0, "ИТОГО", bold)
    sheet.write_string(row, 1, f"{len(doors)} сделок", bold)
    sheet.write_string(row, 5, _rub(total, 0), bold)
    sheet.write_string(row, first_date + len(DOORS.stages) + 1, f"реализовано: {won}", bold)
    sheet.freeze_panes(4, 2)
    book.close()


def pipedrive_frame(deals: pd.DataFrame) -> pd.DataFrame:
    """The Pipedrive export: a lost deal keeps the stage it was lost at."""
    lines = [_line(p) for p in deals["pipeline"]]
    return pd.DataFrame(
        {
            "Deal - ID": deals["deal_no"].astype(str),
            "Deal - Title": [_title(d) for _, d in deals.iterrows()],
            "Deal - Owner": deals["owner"].map(OWNER_EN),
            "Deal - Value": deals["amount"].map(_number),
            "Deal - Currency of Value": "RUB",
            "Deal - Pipeline": [line.name_en for line in lines],
            "Deal - Stage": [
                line.stages_en[k] for line, k in zip(lines, deals["stage_index"], strict=True)
            ],
            "Deal - Status": deals["status"].str.capitalize(),
            "Deal - Deal created": deals["created"].map(_iso),
            "Deal - Won time": [
                _iso(c) if s == "won" else ""
                for s, c in zip(deals["status"], deals["closed"], strict=True)
            ],
            "Deal - Lost time": [
                _iso(c) if s == "lost" else ""
                for s, c in zip(deals["status"], deals["closed"], strict=True)
            ],
            "Deal - Lost reason": deals["lost_reason"].map(lambda r: REASON_EN.get(r, "")),
            "Deal - Source channel": deals["channel"].map(CHANNEL_EN),
            "Deal - Product name": deals["product"].map(PRODUCT_EN),
            "Deal - Organization": deals["company"],
        }
    )


def bitrix_frame(deals: pd.DataFrame) -> pd.DataFrame:
    """A Bitrix24 list re-saved by Russian Excel: ';', cp1251, decimal comma, LOSE/APOLOGY."""
    rng = np.random.default_rng(SEED + 2)
    stage = []
    for d in deals.itertuples():
        if d.status == "won":
            stage.append("Сделка успешна")
        elif d.status == "lost":
            stage.append("Анализ причины провала" if rng.random() < 0.2 else "Сделка провалена")
        else:
            stage.append(_line(d.pipeline).stages[d.stage_index])
    planned = [
        c + timedelta(days=sum(_line(p).median_days))
        for c, p in zip(deals["created"], deals["pipeline"], strict=True)
    ]
    return pd.DataFrame(
        {
            "ID": (deals["deal_no"] + 1200).astype(str),
            "Название сделки": [_title(d) for _, d in deals.iterrows()],
            "Направление": deals["pipeline"],
            "Стадия сделки": stage,
            "Сумма": deals["amount"].map(lambda a: f"{a:.2f}".replace(".", ",")),
            "Валюта": "Российский рубль",
            "Компания": deals["company"],
            "Контакт": deals["contact"],
            "Ответственный": deals["owner"],
            "Дата создания": deals["created"].map(_dt),
            "Дата изменения": [_dt(_edited(d)) for _, d in deals.iterrows()],
            "Сделка закрыта": deals["status"].map(lambda s: "Нет" if s == "open" else "Да"),
            "Дата начала": deals["created"].map(lambda c: f"{c:%d.%m.%Y}"),
            "Предполагаемая дата закрытия": [f"{p:%d.%m.%Y}" for p in planned],
            "Источник": deals["channel"],
            "Товар": deals["product"],
            "Причина отказа": deals["lost_reason"],
        }
    )


# ---------------------------------------------------------------- ad spend (spend.xlsx)

# What each line pays for its channels, as a consultant books it per month. «Рекомендации» is
# absent on purpose (referrals cost nothing); «Таргет ВКонтакте» was a test that brought no leads.
# Kinds: ("growing", first, last) a budget raised over time; ("steady", monthly) a fixed fee;
# ("lump", {"YYYY-MM": amount}) one-off payments (an exhibition booth, a test campaign).
SPEND_PLAN: dict[str, dict[str, tuple]] = {
    SECURITY.name: {
        "Контекстная реклама": ("growing", 62_000, 115_000),
        "Выставка": ("lump", {"2025-10": 430_000, "2026-04": 510_000}),
        "Холодные звонки": ("steady", 45_000),
        "Email-рассылка": ("steady", 7_500),
    },
    MEDIA.name: {
        "Email-рассылка": ("steady", 8_000),
        "Контекстная реклама": ("growing", 4_500, 9_000),
        "Холодные звонки": ("steady", 25_000),
        "Таргет ВКонтакте": ("lump", {"2026-05": 15_000, "2026-06": 20_000}),
    },
    DOORS.name: {
        "Холодные звонки": ("steady", 110_000),  # two callers
        "Выставка": ("lump", {"2025-09": 350_000, "2026-03": 390_000}),
        "Контекстная реклама": ("growing", 11_000, 19_000),
        "Email-рассылка": ("steady", 5_000),
    },
}
SPEND_QUIET = {(MEDIA.name, "Email-рассылка", "2026-01")}  # no mailing over the holidays
# How each sheet spells a channel: only case and spaces differ from the deals' names.
SPEND_SPELLING = {
    SECURITY.name: {"Email-рассылка": "email-рассылка", "Выставка": "Выставка "},
    MEDIA.name: {"Контекстная реклама": "Контекстная  реклама", "Email-рассылка": "EMAIL-рассылка"},
    DOORS.name: {
        "Холодные звонки": "холодные звонки",
        "Контекстная реклама": " Контекстная реклама",
    },
}  # fmt: skip


def spend_months() -> list[datetime]:
    """The first day of every month deals were created in: FIRST_DAY .. TODAY."""
    return [p.to_timestamp().to_pydatetime() for p in pd.period_range(FIRST_DAY, TODAY, freq="M")]


def spend_frame() -> pd.DataFrame:
    """Spend per line, channel and month in whole roubles (months with nothing spent are absent).

    Its own random stream, so the deals and every other file stay as they were. The current
    month is booked to date, as a consultant does mid-month.
    """
    rng = np.random.default_rng(SEED + 3)
    months = spend_months()
    so_far = (TODAY - months[-1]).days / pd.Timestamp(months[-1]).days_in_month
    rows = []
    for line_name, plan in SPEND_PLAN.items():
        for channel, (kind, *args) in plan.items():
            for i, month in enumerate(months):
                key = f"{month:%Y-%m}"
                share = so_far if i == len(months) - 1 else 1.0
                if kind == "growing":
                    level = args[0] + (args[1] - args[0]) * i / (len(months) - 1)
                    amount = round(level * share * math.exp(0.08 * rng.standard_normal()), -1)
                elif kind == "steady":
                    bonus = 1.2 if rng.random() < 0.15 else 1.0  # a month with a bonus or extra
                    step = 1000 if args[0] >= 20_000 else 100
                    amount = round(args[0] * bonus * share / step) * step
                else:
                    amount = args[0].get(key, 0)
                if amount and (line_name, channel, key) not in SPEND_QUIET:
                    rows.append((line_name, channel, month, int(amount)))
    return pd.DataFrame(rows, columns=["line", "channel", "month", "amount"])


def _spelled(line_name: str, channel: str) -> str:
    return SPEND_SPELLING[line_name].get(channel, channel)


def write_spend(spend: pd.DataFrame, path: Path) -> None:
    """The consultant's budget workbook: one sheet per line, each laid out differently, as a
    table kept by hand for years ends up (long with real dates and a total row; wide with text
    months under a title; long with text months and text amounts)."""
    rng = np.random.default_rng(SEED + 4)  # NBSP or plain space in the doors amounts
    book = _workbook(path)
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    month_format = book.add_format({"num_format": "mmmm yyyy", "align": "left"})
    money = book.add_format({"num_format": "#,##0"})
    money_bold = book.add_format({"num_format": "#,##0", "bold": True})

    # Security: long, a real date per month, a numeric amount, «Итого» at the bottom.
    part = spend[spend["line"] == SECURITY.name].sort_values("month", kind="stable")
    sheet = book.add_worksheet(SECURITY.name)
    for col, name in enumerate(("Месяц", "Канал", "Расход, ₽")):
        sheet.write_string(0, col, name, header)
    for row, r in enumerate(part.itertuples(), start=1):
        sheet.write_datetime(row, 0, r.month, month_format)
        sheet.write_string(row, 1, _spelled(SECURITY.name, str(r.channel)))
        sheet.write_number(row, 2, r.amount, money)
    last = len(part) + 1
    sheet.write_string(last, 1, "Итого", bold)
    sheet.write_formula(last, 2, f"=SUM(C2:C{last})", money_bold, int(part["amount"].sum()))
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 14)

    # Media: wide, a title row, then «Канал» and one text column per month; blanks for nothing.
    part = spend[spend["line"] == MEDIA.name]
    months = spend_months()
    sheet = book.add_worksheet(MEDIA.name)
    sheet.write_string(
        0, 0, "Рекламный бюджет, руб.", book.add_format({"bold": True, "font_size": 14})
    )
    sheet.write_string(1, 0, "Канал", header)
    for col, month in enumerate(months, start=1):
        sheet.write_string(1, col, f"{MONTHS[month.month - 1]} {month.year}", header)
    for row, channel in enumerate(SPEND_PLAN[MEDIA.name], start=2):
        sheet.write_string(row, 0, _spelled(MEDIA.name, channel))
        mine = part[part["channel"] == channel]
        booked = dict(zip(mine["month"].dt.strftime("%Y-%m"), mine["amount"], strict=True))
        for col, month in enumerate(months, start=1):
            if f"{month:%Y-%m}" in booked:
                sheet.write_number(row, col, booked[f"{month:%Y-%m}"], money)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, len(months), 14)

    # Doors: long, months typed as «01.2026», amounts typed as «45 000 ₽».
    part = spend[spend["line"] == DOORS.name].sort_values("month", kind="stable")
    sheet = book.add_worksheet(DOORS.name)
    for col, name in enumerate(("Период", "Источник", "Затраты")):
        sheet.write_string(0, col, name, header)
    for row, r in enumerate(part.itertuples(), start=1):
        sheet.write_string(row, 0, f"{r.month:%m.%Y}")
        sheet.write_string(row, 1, _spelled(DOORS.name, str(r.channel)))
        separator = "\u00a0" if rng.random() < 0.3 else " "
        sheet.write_string(row, 2, f"{r.amount:,} ₽".replace(",", separator))
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 14)
    book.close()


# ---------------------------------------------------------------- the numbers to reproduce


def funnel_counts(deals: pd.DataFrame, line: Line, english: bool = False) -> dict:
    """Deals, outcomes, reached per stage and won amount of one line, from the simulation."""
    part = deals[deals["pipeline"] == line.name]
    furthest = np.where(part["status"] == "won", len(line.stages) - 1, part["stage_index"])
    names = line.stages_en if english else line.stages
    won = part["status"] == "won"
    return {
        "deals": len(part),
        "won": int(won.sum()),
        "lost": int((part["status"] == "lost").sum()),
        "open": int((part["status"] == "open").sum()),
        "won_amount": round(float(part.loc[won, "amount"].sum()), 2),
        "reached": {name: int((furthest >= k).sum()) for k, name in enumerate(names)},
    }


def _rate(part: pd.DataFrame, line: Line, start: int, end: int) -> dict:
    furthest = np.where(part["status"] == "won", len(line.stages) - 1, part["stage_index"])
    base = int((furthest >= start).sum())
    passed = int((furthest >= end).sum())
    return {"from": base, "to": passed, "rate": round(passed / base, 4) if base else None}


def leak_figures(deals: pd.DataFrame) -> dict:
    """Both leaks per line and channel, and the doors script before/after (reached-based)."""
    out: dict = {}
    for line in LINES:
        part = deals[deals["pipeline"] == line.name]
        entry = {
            "first_touch_step": [line.stages[0], line.stages[1]],
            "invoice_to_payment_step": [line.stages[line.invoice], line.stages[line.payment]],
            "first_touch": {"all": _rate(part, line, 0, 1)},
            "invoice_to_payment": {"all": _rate(part, line, line.invoice, line.payment)},
        }
        for channel in line.channels:
            sub = part[part["channel"] == channel]
            entry["first_touch"][channel] = _rate(sub, line, 0, 1)
            entry["invoice_to_payment"][channel] = _rate(sub, line, line.invoice, line.payment)
        out[line.name] = entry
    doors = deals[deals["pipeline"] == DOORS.name]
    invoice_at = doors["entered"].map(
        lambda e: e[DOORS.invoice] if len(e) > DOORS.invoice else None
    )
    reached_invoice = doors[invoice_at.notna()]
    at = invoice_at[invoice_at.notna()]
    out[DOORS.name]["script_change"] = {
        "date": f"{SCRIPT_DATE:%Y-%m-%d}",
        "by_invoice_date": {
            "before": _rate(reached_invoice[at < SCRIPT_DATE], DOORS, DOORS.invoice, DOORS.payment),
            "after": _rate(reached_invoice[at >= SCRIPT_DATE], DOORS, DOORS.invoice, DOORS.payment),
        },
        "by_creation_date": {
            "before": _rate(
                doors[doors["created"] < SCRIPT_DATE], DOORS, DOORS.invoice, DOORS.payment
            ),
            "after": _rate(
                doors[doors["created"] >= SCRIPT_DATE], DOORS, DOORS.invoice, DOORS.payment
            ),
        },
    }
    return out


def economics(deals: pd.DataFrame, spend: pd.DataFrame) -> dict:
    """Per line and channel: spend (whole period and per month), leads, won deals, won amount.

    A channel with spend and no leads, or with leads and no spend, has 0 on the missing side.
    """
    out: dict = {}
    for line in LINES:
        part = deals[deals["pipeline"] == line.name]
        booked = spend[spend["line"] == line.name]
        channels = list(line.channels) + [
            c for c in SPEND_PLAN[line.name] if c not in line.channels
        ]
        entry = {}
        for channel in channels:
            mine = part[part["channel"] == channel]
            won = mine["status"] == "won"
            months = booked[booked["channel"] == channel]
            entry[channel] = {
                "spend": int(months["amount"].sum()),
                "leads": len(mine),
                "won": int(won.sum()),
                "won_amount": round(float(mine.loc[won, "amount"].sum()), 2),
                "spend_by_month": {
                    f"{m:%Y-%m}": int(a)
                    for m, a in zip(months["month"], months["amount"], strict=True)
                },
            }
        out[line.name] = entry
    return out


def truth(deals: pd.DataFrame, spend: pd.DataFrame) -> dict:
    amo_note = (
        "amoCRM keeps only the current stage: a lost deal shows 'Закрыто и не реализовано'. "
        "The export's custom field «Этап отказа» keeps the stage at loss, so with it 'reached' "
        "(the true simulated funnel) is reproducible; 'reached_observable' is what the file "
        "supports without that field (open deals at or past the stage plus won deals; every "
        "deal reached stage 1), a lower bound beyond stage 1, as in the Bitrix24 file."
    )
    amo: dict = {}
    for line in LINES:
        counts = funnel_counts(deals, line)
        part = deals[deals["pipeline"] == line.name]
        open_at = part.loc[part["status"] == "open", "stage_index"]
        counts["reached_observable"] = {
            name: len(part) if k == 0 else int((open_at >= k).sum()) + counts["won"]
            for k, name in enumerate(line.stages)
        }
        amo[line.name] = counts
    return {
        "reference_date": f"{TODAY:%Y-%m-%d %H:%M:%S}",
        "seed": SEED,
        "deals": len(deals),
        "creation_dates": {
            "first": _iso(deals["created"].min()),
            "last": _iso(deals["created"].max()),
        },
        "small_segment": {
            "pipeline": DOORS.name,
            "product": SMALL_SEGMENT[0],
            "deals": SMALL_SEGMENT[1],
        },
        "files": {
            "amocrm_export.xlsx": {"pipelines": amo, "note": amo_note},
            "amocrm_export.csv": {"same_as": "amocrm_export.xlsx"},
            "register_doors.xlsx": {"pipelines": {DOORS.name: funnel_counts(deals, DOORS)}},
            "pipedrive_deals.csv": {
                "pipelines": {
                    line.name_en: funnel_counts(deals, line, english=True) for line in LINES
                }
            },
            "bitrix_deals.csv": {
                "same_as": "amocrm_export.xlsx",
                "note": "Bitrix also keeps only the current stage; lost = 'Сделка провалена' "
                "or 'Анализ причины провала', won = 'Сделка успешна'.",
            },
        },
        "leaks": leak_figures(deals),
        "economics": economics(deals, spend),
    }


# The article's six blocks of the security funnel, by the index of their first step.
SECURITY_BLOCKS = {
    0: "Детали",
    4: "Предложение",
    7: "Возражения",
    9: "Договор",
    14: "Оплата",
    16: "Забота",
}


def _blocks(stages: tuple[str, ...]) -> list[dict[str, str]]:
    out, block = [], ""
    for i, name in enumerate(stages):
        block = SECURITY_BLOCKS.get(i, block)
        out.append({"name": name, "group": block})
    return out


def saved_specs() -> dict[str, dict]:
    """Mappings as a consultant saves them after confirming the stage order once, one per
    pipeline (``<file>.<pipeline>.spec.yaml``).

    A snapshot export does not carry its stage order (amoCRM and Pipedrive keep it in the CRM,
    not in the file), so the app opens the sample with the confirmed mappings, as a returning
    user would with last month's specs.
    """
    amo_columns = {
        "deal": "ID", "title": "Название сделки", "amount": "Бюджет ",
        "owner": "Ответственный", "created": "Дата создания сделки",
        "closed": "Дата закрытия", "stage": "Этап сделки", "pipeline": "Воронка",
        "channel": "Источник", "product": "Продукт", "loss_reason": "Причина отказа",
        "lost_stage": "Этап отказа",
    }  # fmt: skip
    pipedrive_columns = {
        "deal": "Deal - ID", "title": "Deal - Title", "owner": "Deal - Owner",
        "amount": "Deal - Value", "currency": "Deal - Currency of Value",
        "pipeline": "Deal - Pipeline", "stage": "Deal - Stage", "status": "Deal - Status",
        "created": "Deal - Deal created", "closed": "Deal - Won time",
        "loss_reason": "Deal - Lost reason",
        "channel": "Deal - Source channel", "product": "Deal - Product name",
    }  # fmt: skip
    # The changes the consultant marked: the doors script (planted: it lifts invoice -> payment)
    # and a security landing page that was not planted to do anything (a change that did not
    # help beyond noise looks like this).
    changes = {
        "security": [("2026-01-12", "Новый лендинг", "New landing page")],
        "doors": [(f"{SCRIPT_DATE:%Y-%m-%d}", "Новый скрипт закрытия", "New closing script")],
    }
    specs = {}
    for slug, line in (("security", SECURITY), ("media", MEDIA), ("doors", DOORS)):
        stages = _blocks(line.stages) if line is SECURITY else [{"name": s} for s in line.stages]
        marked = changes.get(slug, [])
        specs[f"amocrm_export.{slug}.spec.yaml"] = {
            "columns": amo_columns,
            "stages": stages,
            "won": ["Успешно реализовано"],
            "lost": ["Закрыто и не реализовано"],
            "filter": {"pipeline": [line.name]},
            **({"changes": [{"date": d, "label": ru} for d, ru, _ in marked]} if marked else {}),
            # The consultant's spend table, one sheet per pipeline (read where it lies).
            "spend": {"by": "channel", "file": "spend.xlsx", "sheet": line.name},
        }
        specs[f"pipedrive_deals.{slug}.spec.yaml"] = {
            "columns": pipedrive_columns,
            "stages": [{"name": en} for en in line.stages_en],
            "won": ["Won"],
            "lost": ["Lost"],
            "filter": {"pipeline": [line.name_en]},
            **({"changes": [{"date": d, "label": en} for d, _, en in marked]} if marked else {}),
        }
    return specs


def write_all(out_dir: Path) -> dict[str, Path]:
    """Simulate and write every sample file into ``out_dir``; return them by name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    deals = simulate()
    amo = amocrm_frame(deals)
    paths = {
        name: out_dir / name
        for name in (
            "amocrm_export.xlsx", "amocrm_export.csv", "register_doors.xlsx",
            "pipedrive_deals.csv", "bitrix_deals.csv", "spend.xlsx", "truth.json",
        )
    }  # fmt: skip
    write_amocrm_xlsx(amo, paths["amocrm_export.xlsx"])
    paths["amocrm_export.csv"].write_bytes(_csv_bytes(amo))
    write_register(deals, paths["register_doors.xlsx"])
    paths["pipedrive_deals.csv"].write_bytes(_csv_bytes(pipedrive_frame(deals)))
    paths["bitrix_deals.csv"].write_bytes(_csv_bytes(bitrix_frame(deals), "cp1251", ";"))
    spend = spend_frame()
    write_spend(spend, paths["spend.xlsx"])
    text = json.dumps(truth(deals, spend), ensure_ascii=False, indent=2) + "\n"
    paths["truth.json"].write_text(text, encoding="utf-8")
    for name, spec in saved_specs().items():
        paths[name] = out_dir / name
        text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
        paths[name].write_text(text, encoding="utf-8")
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for name, path in write_all(target).items():
        print(f"{path.stat().st_size:>9,} B  {name}")
