"""A corpus of spreadsheets nobody on the team made, with the funnel each one must give.

Written independently of ``sample_data/make_samples.py`` and of the engine: every case starts
from a simulated ground truth (one row per deal: the furthest stage it reached, its outcome,
channel, owner, amount and the date it entered every stage it reached), renders it the way a
CRM or a person would, and computes the expected funnel from the ground truth with plain
pandas (``expected_from``). Nothing here imports ``funnel``.

Conventions of the expected numbers (those of docs/metrics.md):

- ``reached[k]``: deals whose furthest stage is k or later; a won deal reached every stage.
- A file that shows a lost deal only as "lost" (Bitrix24, HubSpot snapshots) hides the stage at
  loss: there every lost deal counts at the first stage only (``lost_hidden``), the provable
  lower bound. Every other case keeps the stage at loss one way or another, and its expected
  numbers are the true ones.
- Open deals sit more at later stages than at earlier ones (``OPEN_LATE`` weights), so ordering
  stages by how many deals carry each value gives the wrong order: only real evidence (dates,
  history, a CRM's known stage list, the words) can order them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

NONE = "(none)"  # the engine's label for a missing segment value (docs/metrics.md)


def norm(value: object) -> str:
    """Comparison key of a label: NBSP and runs of spaces collapsed, trimmed, casefolded, ё->е."""
    text = re.sub(r"[\s\u00a0]+", " ", str(value)).strip().casefold()
    return text.replace("ё", "е")


@dataclass(frozen=True)
class Expected:
    """What the engine must give for a case, all computed from the ground truth."""

    # Accepted names per stage, in funnel order (the first is the canonical one). None: the
    # case does not judge stage names (a lead -> won funnel named by the engine).
    stages: tuple[tuple[str, ...], ...] | None
    reached: tuple[int, ...] | None
    won: int
    lost: int
    open: int
    deals: int
    # channel label -> (reached per stage, won); None when the case has no channel.
    by_channel: dict[str, tuple[tuple[int, ...], int]] | None = None
    # channel label -> deals, for a case that judges only deals and wins per channel.
    deals_by_channel: dict[str, int] | None = None
    columns: dict[str, str] = field(default_factory=dict)  # role -> header the spec must map
    not_columns: dict[str, str] = field(default_factory=dict)  # role -> header it must NOT map
    notice_number: int | None = None  # a number some notice must mention (unmatched rows)
    # Lost deals the engine must flag as lost at an unknown stage (a snapshot hiding the stage
    # at loss: all of them); None: not judged.
    lost_unknown: int | None = None
    # How many deals carry each stage's value in the file's stage column (snapshot cases): the
    # counts a frequency ordering would use. Empty when the file has no stage column.
    sitting: tuple[int, ...] = ()


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, bytes]
    main: str
    events: str | None
    expected: Expected
    truth: pd.DataFrame = field(repr=False, compare=False)


# ---- ground truth ------------------------------------------------------------------------------

OPEN_LATE = "open deals weighted toward later stages"


def _p(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def simulate(
    rng: np.random.Generator,
    n: int,
    n_stages: int,
    *,
    outcome_p: tuple[float, float, float],  # won, lost, open
    open_w: Sequence[float],
    lost_w: Sequence[float],
    channels: dict[str | None, float] | None,
    owners: Sequence[str],
    start: str = "2024-09-02",
    span_days: int = 300,
    amount_median: float = 200_000.0,
) -> pd.DataFrame:
    """One row per deal: deal, outcome, furthest, channel, owner, amount, created, e0.., closed.

    ``e<k>`` is when the deal entered stage k (NaT when it never got there), strictly
    increasing; ``created`` equals ``e0``; ``closed`` is after the last stage entered.
    """
    outcome = rng.choice(np.array(["won", "lost", "open"]), size=n, p=_p(outcome_p))
    furthest = np.full(n, n_stages - 1, dtype=int)
    is_open, is_lost = outcome == "open", outcome == "lost"
    furthest[is_open] = rng.choice(n_stages, size=int(is_open.sum()), p=_p(open_w))
    furthest[is_lost] = rng.choice(n_stages, size=int(is_lost.sum()), p=_p(lost_w))
    if channels is not None:
        names = list(channels)
        picks = rng.choice(len(names), size=n, p=_p(list(channels.values())))
        channel = pd.Series([names[i] for i in picks], dtype=object)
    else:
        channel = pd.Series([None] * n, dtype=object)
    owner = rng.choice(np.array(list(owners)), size=n)
    amount = np.round(rng.lognormal(np.log(amount_median), 0.7, size=n), -2)
    t0 = pd.Timestamp(start)
    day = rng.integers(0, span_days, size=n)
    sec = rng.integers(9 * 3600, 19 * 3600, size=n)
    created = t0 + pd.to_timedelta(day, unit="D") + pd.to_timedelta(sec, unit="s")
    frame = pd.DataFrame(
        {
            "deal": np.arange(1, n + 1),
            "outcome": outcome,
            "furthest": furthest,
            "channel": channel,
            "owner": owner,
            "amount": amount,
            "created": created,
        }
    )
    entry = pd.Series(created)
    for k in range(n_stages):
        if k:
            gap = rng.integers(1, 15, size=n)
            move = rng.integers(-3 * 3600, 3 * 3600, size=n)
            entry = entry + pd.to_timedelta(gap, unit="D") + pd.to_timedelta(move, unit="s")
        frame[f"e{k}"] = entry.where(furthest >= k)
    last = frame[[f"e{k}" for k in range(n_stages)]].max(axis=1)
    close_gap = pd.to_timedelta(rng.integers(1, 20, size=n), unit="D")
    frame["closed"] = (last + close_gap).where(outcome != "open")
    return frame


def entries(truth: pd.DataFrame) -> list[str]:
    return [c for c in truth.columns if re.fullmatch(r"e\d+", c)]


def expected_from(
    truth: pd.DataFrame,
    stages: Sequence[str | tuple[str, ...]],
    *,
    lost_hidden: bool = False,
    with_channels: bool = True,
    columns: dict[str, str] | None = None,
    not_columns: dict[str, str] | None = None,
    sitting: Sequence[int] = (),
) -> Expected:
    """The expected funnel of ``truth``, with plain pandas.

    ``lost_hidden``: the file shows lost deals only as lost, so each counts at the first stage.
    """
    furthest = truth["furthest"].where(~(lost_hidden & (truth["outcome"] == "lost")), 0)
    n_stages = len(stages)
    reached = tuple(int((furthest >= k).sum()) for k in range(n_stages))
    counts = truth["outcome"].value_counts()
    by_channel = None
    if with_channels:
        frame = pd.DataFrame(
            {
                "channel": truth["channel"].map(lambda c: NONE if c is None else norm(c)),
                "furthest": furthest,
                "won": truth["outcome"] == "won",
            }
        )
        by_channel = {}
        for label, part in frame.groupby("channel", sort=True):
            part_reached = tuple(int((part["furthest"] >= k).sum()) for k in range(n_stages))
            by_channel[str(label)] = (part_reached, int(part["won"].sum()))
    return Expected(
        stages=tuple((s,) if isinstance(s, str) else tuple(s) for s in stages),
        reached=reached,
        won=int(counts.get("won", 0)),
        lost=int(counts.get("lost", 0)),
        open=int(counts.get("open", 0)),
        deals=len(truth),
        by_channel=by_channel,
        columns=dict(columns or {}),
        not_columns=dict(not_columns or {}),
        sitting=tuple(sitting),
        lost_unknown=int(counts.get("lost", 0)) if lost_hidden else None,
    )


def sitting_counts(values: Sequence[object], stages: Sequence[str]) -> tuple[int, ...]:
    """How many rows carry each stage's value: what a frequency ordering would count."""
    counts = pd.Series([norm(v) for v in values]).value_counts()
    return tuple(int(counts.get(norm(s), 0)) for s in stages)


# ---- rendering helpers -------------------------------------------------------------------------


def csv_bytes(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    sep: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
    footer: Sequence[str] = (),
) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    for line in footer:
        buf.write(line + newline)
    return buf.getvalue().encode(encoding)


def quoted_csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """Every field quoted, as Pipedrive and HubSpot write them."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[object]], sheet: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, pd.Timestamp):
                cell.value = cell.value.to_pydatetime()
                cell.number_format = "DD.MM.YYYY"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def d(ts: object, fmt: str) -> str:
    """A timestamp as text, or "" when missing."""
    if ts is None or pd.isna(ts):
        return ""
    return pd.Timestamp(ts).strftime(fmt)


def us_date(ts: object, with_time: bool = False) -> str:
    """M/D/YYYY (and h:mm AM/PM): a US-locale Salesforce or Google Sheets date."""
    if ts is None or pd.isna(ts):
        return ""
    t = pd.Timestamp(ts)
    text = f"{t.month}/{t.day}/{t.year}"
    if with_time:
        hour = t.hour % 12 or 12
        text += f" {hour}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"
    return text


def ru_money(x: float, sep: str = " ") -> str:
    """1 200 000,50 (Bitrix24 number_format(x, 2, ',', ' '))."""
    return f"{x:,.2f}".replace(",", sep).replace(".", ",")


def unique_names(rng: np.random.Generator, n: int, first: Sequence[str], second: Sequence[str]):
    """n distinct "first second" combinations (a counter appended when they run out)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = f"{rng.choice(first)} {rng.choice(second)}"
        if name in seen:
            name = f"{name} {len(names) + 2}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


RU_COMPANIES = (
    "Ромашка",
    "Вектор",
    "СтройМастер",
    "Альфа-Трейд",
    "Северный ветер",
    "ТехноПарк",
    "Гранит",
    "Меридиан",
    "Лесторг",
    "Оптима",
    "Кедр",
    "Профиль",
)
RU_FORMS = ("ООО", "АО", "ИП", "ООО", "ООО")
RU_PEOPLE = (
    "Алексей Смирнов",
    "Мария Козлова",
    "Дмитрий Орлов",
    "Елена Волкова",
    "Сергей Морозов",
    "Ольга Лебедева",
    "Артём Фёдоров",
)
EN_COMPANIES = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Cyberdyne",
    "Soylent",
    "Tyrell",
    "Wonka",
)
EN_SUFFIX = ("Inc", "LLC", "GmbH", "Ltd", "Corp", "Group", "Labs", "Partners")
EN_PEOPLE = ("John Miller", "Sara Lopez", "Wei Chen", "Olga Novak", "Ahmed Haddad", "Lena Vogel")


def ru_company(rng: np.random.Generator) -> str:
    return f"{rng.choice(RU_FORMS)} «{rng.choice(RU_COMPANIES)}»"


# ---- 1. Pipedrive ------------------------------------------------------------------------------

PIPEDRIVE_STAGES = ["Lead In", "Contact Made", "Demo Scheduled", "Proposal Made", "Invoice Sent"]
PIPEDRIVE_OWNERS = ["Anna Keller", "Marco Rossi", "Priya Nair", "Tom Becker"]


def pipedrive(seed: int = 101, n: int = 420, shuffle: bool = False) -> Case:
    """Pipedrive's "Deal - <field>" CSV; a lost deal keeps the stage it was lost at.

    A won deal keeps the stage it was won from (mostly Invoice Sent, some Proposal Made): it
    still reached every stage.
    """
    rng = np.random.default_rng(seed)
    stages = PIPEDRIVE_STAGES
    truth = simulate(
        rng,
        n,
        len(stages),
        outcome_p=(0.18, 0.30, 0.52),
        open_w=[1, 2, 3, 4, 5],
        lost_w=[3, 3, 2, 2, 1],
        channels={
            "Paid social": 0.2,
            "Organic search": 0.25,
            "Email marketing": 0.15,
            "Referral": 0.2,
            "Event": 0.1,
            None: 0.1,
        },
        owners=PIPEDRIVE_OWNERS,
        start="2024-03-04",
        amount_median=4_000.0,
    )
    header = [
        "Deal - ID",
        "Deal - Title",
        "Deal - Creator",
        "Deal - Owner",
        "Deal - Value",
        "Deal - Currency of Value",
        "Deal - Weighted value",
        "Deal - Probability",
        "Deal - Organization",
        "Deal - Pipeline",
        "Deal - Contact person",
        "Deal - Stage",
        "Deal - Label",
        "Deal - Status",
        "Deal - Deal created",
        "Deal - Update time",
        "Deal - Last stage change",
        "Deal - Won time",
        "Deal - Lost time",
        "Deal - Deal closed on",
        "Deal - Lost reason",
        "Deal - Expected close date",
        "Deal - Source origin",
        "Deal - Source channel",
    ]
    prob = [0.1, 0.25, 0.5, 0.75, 0.9]
    reasons = ["Price too high", "Went with competitor", "No budget", "No response"]
    fmt = "%Y-%m-%d %H:%M:%S"
    rows, stage_values = [], []
    for r in truth.itertuples():
        status = r.outcome.capitalize()
        k = r.furthest
        if r.outcome == "won" and rng.random() < 0.15:
            k = 3  # marked won straight from Proposal Made
        stage = stages[k]
        stage_values.append(stage)
        entered_k = getattr(r, f"e{k}")
        org = f"{rng.choice(EN_COMPANIES)} {rng.choice(EN_SUFFIX)}"
        weighted = (
            r.amount if r.outcome == "won" else 0.0 if r.outcome == "lost" else r.amount * prob[k]
        )
        stamps = [getattr(r, f"e{j}") for j in range(k + 1)] + [r.closed]
        updated = max(t for t in stamps if not pd.isna(t)) + pd.Timedelta(hours=2)
        rows.append(
            [
                3000 + r.deal,
                f"{org} deal",
                r.owner if rng.random() < 0.7 else "Admin Account",
                r.owner,
                f"{r.amount:.0f}",
                "EUR",
                f"{weighted:.2f}".rstrip("0").rstrip("."),
                "",
                org,
                "Sales pipeline",
                str(rng.choice(EN_PEOPLE)),
                stage,
                str(rng.choice(["", "", "Hot", "Warm", "Cold"])),
                status,
                d(r.created, fmt),
                d(updated, fmt),
                d(entered_k, fmt) if k else "",
                d(r.closed, fmt) if r.outcome == "won" else "",
                d(r.closed, fmt) if r.outcome == "lost" else "",
                d(r.closed, fmt),
                str(rng.choice(reasons)) if r.outcome == "lost" else "",
                d(r.created + pd.Timedelta(days=int(rng.integers(20, 90))), "%Y-%m-%d"),
                str(rng.choice(["Manually created", "Manually created", "Import", "Web forms"])),
                r.channel or "",
            ]
        )
    if shuffle:
        order = rng.permutation(len(header))
        header = [header[i] for i in order]
        rows = [[row[i] for i in order] for row in rows]
    name = "pipedrive_shuffled" if shuffle else "pipedrive"
    sitting = sitting_counts(stage_values, stages)
    expected = expected_from(
        truth,
        stages,
        columns={"owner": "Deal - Owner", "channel": "Deal - Source channel"},
        sitting=sitting,
    )
    fname = f"deals-{seed}-2025-06-30.csv"
    return Case(name, {fname: quoted_csv_bytes(header, rows)}, fname, None, expected, truth)


# ---- 2. Bitrix24 -------------------------------------------------------------------------------

BITRIX_STAGES = ["Новая заявка", "Встреча проведена", "КП отправлено", "Счёт выставлен"]
BITRIX_OWNERS = [
    "Иванова Мария",
    "Петров Сергей",
    "Кузнецов Алексей",
    "Смирнова Ольга",
    "Соколов Дмитрий",
]


def bitrix(seed: int = 202, n: int = 380) -> Case:
    """Bitrix24 deal list re-saved by Excel: cp1251, ';', dd.mm.yyyy, "1 200 000,50".

    A lost deal shows only as «Сделка провалена» (or «Анализ причины провала»): the stage at
    loss is hidden, so expected reached counts every lost deal at the first stage only.
    """
    rng = np.random.default_rng(seed)
    stages = BITRIX_STAGES
    truth = simulate(
        rng,
        n,
        len(stages),
        outcome_p=(0.2, 0.3, 0.5),
        open_w=[1, 2, 3, 4],
        lost_w=[3, 2, 2, 1],
        channels={
            "Звонок": 0.2,
            "Веб-сайт": 0.25,
            "Реклама": 0.2,
            "Рекомендация": 0.15,
            "Электронная почта": 0.1,
            "Выставка": 0.05,
            None: 0.05,
        },
        owners=BITRIX_OWNERS,
        amount_median=450_000.0,
    )
    header = [
        "ID",
        "Название сделки",
        "Стадия сделки",
        "Вероятность",
        "Сумма",
        "Валюта",
        "Компания",
        "Контакт",
        "Ответственный",
        "Источник",
        "Тип",
        "Дата начала",
        "Дата создания",
        "Дата изменения",
        "Предполагаемая дата закрытия",
        "Сделка закрыта",
        "Кем создана",
        "Комментарий",
    ]
    rows, stage_values = [], []
    for r in truth.itertuples():
        if r.outcome == "won":
            stage = "Сделка успешна"
        elif r.outcome == "lost":
            stage = "Сделка провалена" if rng.random() < 0.85 else "Анализ причины провала"
        else:
            stage = stages[r.furthest]
        stage_values.append(stage)
        company = ru_company(rng)
        kop = 0.5 if rng.random() < 0.2 else 0.0
        channel = r.channel or ""
        if channel and rng.random() < 0.05:
            channel = channel.lower()  # typed by hand somewhere along the way
        last = r.closed if r.outcome != "open" else getattr(r, f"e{r.furthest}")
        rows.append(
            [
                r.deal + 1200,
                f"Поставка для {company}" if rng.random() < 0.6 else f"Сделка #{r.deal + 1200}",
                stage,
                "" if r.outcome != "open" else f"{[10, 30, 50, 80][r.furthest]}",
                ru_money(r.amount + kop),
                "Российский рубль",
                company,
                str(rng.choice(RU_PEOPLE)),
                r.owner,
                channel,
                str(rng.choice(["Продажа", "Продажа", "Сервисное обслуживание"])),
                d(r.created, "%d.%m.%Y"),
                d(r.created, "%d.%m.%Y %H:%M:%S"),
                d(last + pd.Timedelta(minutes=7), "%d.%m.%Y %H:%M:%S"),
                d(r.created + pd.Timedelta(days=30), "%d.%m.%Y"),
                "Да" if r.outcome != "open" else "Нет",
                r.owner,
                "",
            ]
        )
    expected = expected_from(
        truth,
        stages,
        lost_hidden=True,
        columns={"owner": "Ответственный", "channel": "Источник"},
        sitting=sitting_counts(stage_values, stages),
    )
    data = csv_bytes(header, rows, sep=";", encoding="cp1251", newline="\r\n")
    fname = "DEAL_20250630_4f1b2c.csv"
    return Case("bitrix24_cp1251", {fname: data}, fname, None, expected, truth)


# ---- 3. amoCRM ---------------------------------------------------------------------------------

AMO_STAGES = [
    "Первичный контакт",
    "Квалификация",
    "Встреча назначена",
    "КП отправлено",
    "Счёт выставлен",
    "Оплата",
]
AMO_ROBOT = {2: "Дата перехода: Встреча назначена", 3: "Дата перехода: КП отправлено"}
AMO_ROBOT[4] = "Дата перехода: Счёт выставлен"


def amocrm(seed: int = 303, n: int = 450) -> Case:
    """amoCRM xlsx with robot-filled stage-date fields for three stages.

    Lost deals show as «Закрыто и не реализовано»; the robot fields are filled for every deal
    that reached their stage, lost ones included. The ground truth loses deals only at the
    first stage or at a robot-dated stage, so the file tells every stage at loss: expected exact.
    """
    rng = np.random.default_rng(seed)
    stages = AMO_STAGES
    truth = simulate(
        rng,
        n,
        len(stages),
        outcome_p=(0.15, 0.3, 0.55),
        open_w=[1, 2, 3, 4, 5, 6],
        lost_w=[4, 0, 3, 2, 2, 0],
        channels={
            "Яндекс.Директ": 0.3,
            "Сайт": 0.25,
            "Авито": 0.15,
            "Рекомендация": 0.15,
            "Звонок": 0.1,
            None: 0.05,
        },
        owners=["Анна Соколова", "Игорь Белов", "Наталья Крылова", "Павел Зайцев"],
        amount_median=180_000.0,
    )
    header = [
        "ID",
        "Название сделки",
        "Бюджет ",
        "Ответственный",
        "Дата создания сделки",
        "Кем создана сделка",
        "Дата редактирования",
        "Кем редактирована",
        "Дата закрытия",
        "Теги",
        "Примечание",
        "Этап сделки",
        "Воронка",
        "Полное имя контакта",
        "Компания контакта",
        "Источник",
        "Причина отказа",
        *AMO_ROBOT.values(),
    ]
    fmt = "%d.%m.%Y %H:%M:%S"
    rows, stage_values = [], []
    for r in truth.itertuples():
        if r.outcome == "won":
            stage = "Успешно реализовано"
        elif r.outcome == "lost":
            stage = "Закрыто и не реализовано"
        else:
            stage = stages[r.furthest]
        stage_values.append(stage)
        last = r.closed if r.outcome != "open" else getattr(r, f"e{r.furthest}")
        robot = [getattr(r, f"e{k}") for k in AMO_ROBOT]
        rows.append(
            [
                20_000_000 + r.deal * 17,
                f"Сделка #{20_000_000 + r.deal * 17}",
                int(r.amount),
                r.owner,
                d(r.created, fmt),
                r.owner if rng.random() < 0.5 else "Робот",
                d(last + pd.Timedelta(minutes=3), fmt),
                r.owner,
                d(r.closed, fmt) if r.outcome != "open" else "не закрыта",
                str(rng.choice(["", "", "сайт", "повторный", "VIP"])),
                "",
                stage,
                "Продажи",
                str(rng.choice(RU_PEOPLE)),
                ru_company(rng),
                r.channel or "",
                str(rng.choice(["Дорого", "Выбрали конкурента", "Нет ответа"]))
                if r.outcome == "lost"
                else "",
                *[None if pd.isna(t) else pd.Timestamp(t).normalize() for t in robot],
            ]
        )
    expected = expected_from(
        truth,
        stages,
        columns={"owner": "Ответственный", "channel": "Источник"},
        sitting=sitting_counts(stage_values, stages),
    )
    fname = "amocrm_export_leads_2025-06-30.xlsx"
    data = xlsx_bytes(header, rows, "Сделки")
    return Case("amocrm_robot_dates", {fname: data}, fname, None, expected, truth)


# ---- 4. Hand-kept Russian register -------------------------------------------------------------

REGISTER_RU_STAGES: list[tuple[str, ...]] = [
    ("Заявка", "Дата заявки"),
    ("Квалификация",),
    ("Встреча",),
    ("КП",),
    ("Счёт",),
    ("Оплата",),
]
REGISTER_RU_HEADERS = ["Дата заявки", "Квалификация", "Встреча", "КП", "Счёт", "Оплата"]


def register_ru(seed: int = 404, n: int = 260) -> Case:
    """A hand-kept xlsx register: title row, a merged «Этапы воронки (дата перехода)» header
    over bare stage names holding dates, a status column, an ИТОГО row at the bottom.

    Paid (Оплачено) deals are won and have the Оплата date; 6% of intermediate stage dates
    were never typed in (a skipped cell counts as reached when a later stage is).
    """
    rng = np.random.default_rng(seed)
    n_stages = len(REGISTER_RU_HEADERS)
    truth = simulate(
        rng,
        n,
        n_stages,
        outcome_p=(0.25, 0.3, 0.45),
        open_w=[1, 2, 3, 3, 2, 0],
        lost_w=[3, 3, 2, 2, 1, 0],
        channels={
            "Сайт": 0.3,
            "Авито": 0.2,
            "Рекомендация": 0.2,
            "Яндекс Директ": 0.2,
            "Выставка": 0.1,
        },
        owners=["Иванов И.", "Петрова А.", "Сидоренко В."],
        amount_median=95_000.0,
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Воронка 2025"
    lead = ["№", "Клиент", "Менеджер", "Канал", "Сумма, руб."]
    tail = ["Статус", "Комментарий"]
    first_stage_col = len(lead) + 1
    last_col = len(lead) + n_stages + len(tail)
    ws.cell(1, 1, "Воронка продаж — реестр сделок 2025").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    for j, text in enumerate(lead, start=1):
        ws.cell(2, j, text)
        ws.merge_cells(start_row=2, start_column=j, end_row=3, end_column=j)
    ws.cell(2, first_stage_col, "Этапы воронки (дата перехода)").alignment = Alignment(
        horizontal="center"
    )
    ws.merge_cells(
        start_row=2,
        start_column=first_stage_col,
        end_row=2,
        end_column=first_stage_col + n_stages - 1,
    )
    for j, text in enumerate(REGISTER_RU_HEADERS):
        ws.cell(3, first_stage_col + j, text)
    for j, text in enumerate(tail, start=first_stage_col + n_stages):
        ws.cell(2, j, text)
        ws.merge_cells(start_row=2, start_column=j, end_row=3, end_column=j)
    status = {"won": "Оплачено", "lost": "Отказ", "open": "В работе"}
    row_i = 4
    total = 0.0
    for r in truth.itertuples():
        channel = str(r.channel)
        roll = rng.random()
        if roll < 0.05:
            channel = channel.lower()
        elif roll < 0.1:
            channel = channel + " "
        amount: object = float(r.amount)
        total += r.amount
        if rng.random() < 0.1:
            amount = f"{ru_money(r.amount, chr(160))[:-3]} р."
        values = [r.deal, ru_company(rng), r.owner, channel, amount]
        for j, v in enumerate(values, start=1):
            ws.cell(row_i, j, v)
        for k in range(n_stages):
            t = getattr(r, f"e{k}")
            if pd.isna(t):
                continue
            if 0 < k < r.furthest and rng.random() < 0.06:
                continue  # never typed in
            cell = ws.cell(row_i, first_stage_col + k, pd.Timestamp(t).normalize().to_pydatetime())
            cell.number_format = "DD.MM.YYYY"
        ws.cell(row_i, first_stage_col + n_stages, status[r.outcome])
        note = "перезвонить" if r.outcome == "open" and rng.random() < 0.2 else None
        ws.cell(row_i, first_stage_col + n_stages + 1, note)
        row_i += 1
    row_i += 1
    ws.cell(row_i, 2, "ИТОГО")
    ws.cell(row_i, 5, total)
    out = io.BytesIO()
    wb.save(out)
    expected = expected_from(
        truth, REGISTER_RU_STAGES, columns={"owner": "Менеджер", "channel": "Канал"}
    )
    fname = "Реестр сделок 2025.xlsx"
    return Case("register_ru_merged_header", {fname: out.getvalue()}, fname, None, expected, truth)


# ---- 5. English register CSV -------------------------------------------------------------------

REGISTER_EN_HEADERS = [
    "Date entered Discovery",
    "Demo date",
    "proposal_date",
    "Date: Negotiation",
    "Contract signed (date)",
]
REGISTER_EN_STAGES: list[tuple[str, ...]] = [
    ("Discovery",),
    ("Demo",),
    ("Proposal",),
    ("Negotiation",),
    ("Contract signed",),
]


def _register_en_rows(truth: pd.DataFrame, rng: np.random.Generator) -> tuple[list, list]:
    n_stages = len(entries(truth))
    headers = [*REGISTER_EN_HEADERS[: n_stages - 1], REGISTER_EN_HEADERS[-1]]
    header = ["Deal", "Account", "Owner", "Lead source", "Amount (USD)", *headers, "Status"]
    header.append("Notes")
    rows = []
    for r in truth.itertuples():
        dates = [us_date(getattr(r, f"e{k}")) for k in range(n_stages)]
        rows.append(
            [
                f"{rng.choice(EN_COMPANIES)} - {int(rng.integers(2, 400))} seats",
                f"{rng.choice(EN_COMPANIES)} {rng.choice(EN_SUFFIX)}",
                r.owner,
                r.channel or "",
                f"${r.amount:,.0f}",
                *dates,
                r.outcome.capitalize(),
                "",
            ]
        )
    return header, rows


def register_en(seed: int = 505, n: int = 300, shuffle: bool = False) -> Case:
    """A Google-Sheets register downloaded as CSV: US dates, a mix of stage-date header forms.

    A won deal has every date up to "Contract signed"; open and lost deals never reach it.
    """
    rng = np.random.default_rng(seed)
    truth = simulate(
        rng,
        n,
        len(REGISTER_EN_HEADERS),
        outcome_p=(0.2, 0.35, 0.45),
        open_w=[1, 2, 3, 3, 0],
        lost_w=[3, 3, 2, 2, 0],
        channels={"Inbound": 0.35, "Outbound": 0.25, "Partner": 0.15, "Webinar": 0.15, None: 0.1},
        owners=["Kate Morgan", "Luis Ortega", "Ben Walsh"],
        start="2024-10-07",
        amount_median=18_000.0,
    )
    header, rows = _register_en_rows(truth, rng)
    if shuffle:
        order = rng.permutation(len(header))
        while [i for i in order if 5 <= i < 10] == list(range(5, 10)):
            order = rng.permutation(len(header))
        header = [header[i] for i in order]
        rows = [[row[i] for i in order] for row in rows]
    expected = expected_from(
        truth, REGISTER_EN_STAGES, columns={"owner": "Owner", "channel": "Lead source"}
    )
    name = "register_en_shuffled" if shuffle else "register_en"
    fname = "Pipeline tracker - Deals.csv"
    return Case(name, {fname: csv_bytes(header, rows)}, fname, None, expected, truth)


def tiny_truth() -> pd.DataFrame:
    """Eight deals over Discovery, Demo, Proposal, Contract signed, written out by hand.

    deal outcome furthest channel     deal outcome furthest channel
    1    won     3        Web          5    open    1        Web
    2    won     3        Referral     6    open    2        Web
    3    lost    0        Web          7    open    2        Referral
    4    lost    2        Referral     8    lost    1        Web
    """
    rows = [
        (1, "won", 3, "Web"),
        (2, "won", 3, "Referral"),
        (3, "lost", 0, "Web"),
        (4, "lost", 2, "Referral"),
        (5, "open", 1, "Web"),
        (6, "open", 2, "Web"),
        (7, "open", 2, "Referral"),
        (8, "lost", 1, "Web"),
    ]
    frame = pd.DataFrame(rows, columns=["deal", "outcome", "furthest", "channel"])
    frame["owner"] = ["Kate Morgan", "Ben Walsh"] * 4
    frame["amount"] = [12_000.0, 30_000.0, 5_000.0, 8_000.0, 9_500.0, 14_000.0, 7_000.0, 6_000.0]
    starts = pd.to_datetime(
        [
            "2025-01-06",
            "2025-01-09",
            "2025-01-14",
            "2025-01-20",
            "2025-02-03",
            "2025-02-04",
            "2025-02-13",
            "2025-02-17",
        ]
    )
    frame["created"] = starts
    for k in range(4):
        frame[f"e{k}"] = (starts + pd.Timedelta(days=5 * k + k * k)).where(frame["furthest"] >= k)
    last = frame[[f"e{k}" for k in range(4)]].max(axis=1)
    frame["closed"] = (last + pd.Timedelta(days=4)).where(frame["outcome"] != "open")
    return frame


TINY_STAGES: list[tuple[str, ...]] = [("Discovery",), ("Demo",), ("Proposal",)]
TINY_STAGES.append(("Contract signed",))


def tiny() -> Case:
    """The hand-counted case: the English register layout over ``tiny_truth``."""
    truth = tiny_truth()
    header, rows = _register_en_rows(truth, np.random.default_rng(8))
    expected = expected_from(
        truth, TINY_STAGES, columns={"owner": "Owner", "channel": "Lead source"}
    )
    fname = "tiny tracker.csv"
    return Case("tiny_hand_counted", {fname: csv_bytes(header, rows)}, fname, None, expected, truth)


# The tiny case counted by hand from the table in ``tiny_truth``'s docstring.
TINY_BY_HAND = {
    "reached": (8, 7, 5, 2),
    "won": 2,
    "lost": 3,
    "open": 3,
    "by_channel": {"web": ((5, 4, 2, 1), 1), "referral": ((3, 3, 3, 1), 1)},
}


# ---- 6. Maven-like CRM sales opportunities -----------------------------------------------------

MAVEN_PRODUCTS = ["GTX Basic", "GTX Pro", "MG Special", "MG Advanced", "GTX Plus Pro", "GTK 500"]


def maven(seed: int = 606, n: int = 500) -> Case:
    """deal_stage Prospecting / Engaging / Won / Lost; engage_date for every deal that reached
    Engaging (won and lost ones included), so a lost deal with an engage_date reached Engaging.
    """
    rng = np.random.default_rng(seed)
    stages = ["Prospecting", "Engaging"]
    truth = simulate(
        rng,
        n,
        2,
        outcome_p=(0.48, 0.28, 0.24),
        open_w=[1, 3],
        lost_w=[1, 4],
        channels=None,
        owners=[
            "Moira Delacroix",
            "Hank Oduya",
            "Violet Marsh",
            "Rosalind Teague",
            "Cyrus Balogun",
            "Elke Brandt",
        ],
        start="2023-10-20",
        amount_median=1_500.0,
    )
    header = [
        "opportunity_id",
        "sales_agent",
        "product",
        "account",
        "deal_stage",
        "engage_date",
        "close_date",
        "close_value",
    ]
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
    ids: set[str] = set()
    rows, stage_values = [], []
    for r in truth.itertuples():
        oid = "".join(rng.choice(alphabet, 8))
        while oid in ids:
            oid = "".join(rng.choice(alphabet, 8))
        ids.add(oid)
        stage = r.outcome.capitalize() if r.outcome != "open" else stages[r.furthest]
        stage_values.append(stage)
        account = f"{rng.choice(EN_COMPANIES)}{rng.choice(['tech', 'ron', 'plus', 'max'])}"
        if r.outcome == "open" and r.furthest == 0 and rng.random() < 0.3:
            account = ""
        value = "" if r.outcome == "open" else f"{r.amount:.0f}" if r.outcome == "won" else "0"
        rows.append(
            [
                oid,
                r.owner,
                str(rng.choice(MAVEN_PRODUCTS)),
                account,
                stage,
                d(r.e1, "%Y-%m-%d"),
                d(r.closed, "%Y-%m-%d"),
                value,
            ]
        )
    expected = expected_from(
        truth,
        stages,
        with_channels=False,
        columns={"owner": "sales_agent", "product": "product"},
        sitting=sitting_counts(stage_values, stages),
    )
    fname = "sales_pipeline.csv"
    return Case("maven_engage_date", {fname: csv_bytes(header, rows)}, fname, None, expected, truth)


# ---- 7. Salesforce Opportunity History report --------------------------------------------------

SF_STAGES = [
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
]


def salesforce_history(seed: int = 707, n: int = 260) -> Case:
    """The Opportunity History report alone: no record ID, several rows per opportunity, rows
    with From Stage == To Stage (amount or close date edits), skipped stages, CRLF, footer.

    Every opportunity is reported from its creation, so the history gives every stage at loss:
    expected exact; deals = distinct Opportunity Names.
    """
    rng = np.random.default_rng(seed)
    stages = SF_STAGES
    truth = simulate(
        rng,
        n,
        len(stages),
        outcome_p=(0.2, 0.3, 0.5),
        open_w=[1, 2, 3, 4, 5],
        lost_w=[2, 3, 3, 2, 1],
        channels=None,
        owners=["Rachel Kim", "Daniel Osei", "Grace Liu", "Mark Ferreira"],
        start="2024-07-01",
        amount_median=45_000.0,
    )
    names = unique_names(
        rng,
        n,
        [f"{c} {s}" for c in EN_COMPANIES for s in ("Inc", "Ltd", "Corp")],
        ["- Renewal", "- New Logo", "- Expansion", "- 250 Widgets", "- Platform", "- Pilot"],
    )
    header = [
        "Opportunity Name",
        "From Stage",
        "To Stage",
        "Amount",
        "Probability (%)",
        "Close Date",
        "Last Modified",
        "Owner",
    ]
    prob = {s: p for s, p in zip(stages, (10, 20, 40, 60, 80), strict=True)}
    prob.update({"Closed Won": 100, "Closed Lost": 0})
    rows, stage_values = [], []
    for r, name in zip(truth.itertuples(), names, strict=True):
        path = [k for k in range(r.furthest + 1)]
        # skipped stages: created straight at Qualification, or a jump over a middle stage
        if len(path) > 1 and rng.random() < 0.15:
            path = path[1:]
        if len(path) > 2 and rng.random() < 0.15:
            drop = int(rng.integers(1, len(path) - 1))
            path = path[:drop] + path[drop + 1 :]
        amount = float(r.amount)
        close = r.created + pd.Timedelta(days=int(rng.integers(30, 120)))
        events: list[tuple[str, str, pd.Timestamp]] = []
        prev = ""
        for k in path:
            events.append((prev, stages[k], getattr(r, f"e{k}")))
            prev = stages[k]
        final = {"won": "Closed Won", "lost": "Closed Lost"}.get(r.outcome)
        if final:
            events.append((prev, final, r.closed))
        out = []
        for i, (src, dst, at) in enumerate(events):
            out.append([name, src, dst, amount, prob[dst], us_date(close), at])
            # edits of amount or close date without a stage change
            if i + 1 < len(events) and rng.random() < 0.3:
                nxt = events[i + 1][2]
                mid = at + (nxt - at) / 2
                amount = float(np.round(amount * rng.uniform(0.8, 1.2), -2))
                if rng.random() < 0.5:
                    close = close + pd.Timedelta(days=14)
                out.append([name, dst, dst, amount, prob[dst], us_date(close), mid])
        stage_values.append(events[-1][1])
        for row in out:
            rows.append([*row[:6], us_date(row[6], with_time=True), r.owner])
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    footer = [
        "",
        '"Confidential Information - Do Not Distribute"',
        '"Copyright © 2000-2025 salesforce.com, inc. All rights reserved."',
    ]
    data = csv_bytes(header, rows, newline="\r\n", footer=footer)
    expected = expected_from(
        truth,
        stages,
        with_channels=False,
        columns={"owner": "Owner"},
        sitting=sitting_counts(stage_values, stages),
    )
    fname = "report1719923456789.csv"
    return Case("salesforce_history_only", {fname: data}, fname, None, expected, truth)


# ---- 8. Leads list + closed deals (two files) --------------------------------------------------

LEAD_ORIGINS = {
    "organic_search": 0.28,
    "paid_search": 0.2,
    "social": 0.16,
    "unknown": 0.12,
    "direct_traffic": 0.08,
    "email": 0.06,
    "referral": 0.05,
    None: 0.05,
}


def leads_and_closed(seed: int = 808, n: int = 600) -> Case:
    """A marketing leads list and a closed-deals list keyed by lead_id; two closed rows name a
    lead_id the leads list does not have. Funnel: lead -> won, per origin.
    """
    rng = np.random.default_rng(seed)
    truth = simulate(
        rng,
        n,
        1,
        outcome_p=(0.12, 0.0, 0.88),
        open_w=[1],
        lost_w=[1],
        channels=LEAD_ORIGINS,
        owners=["sdr"],
        start="2024-01-01",
        span_days=360,
    )

    def hex_id() -> str:
        return "".join(rng.choice(list("0123456789abcdef"), 32))

    truth["lead_id"] = [hex_id() for _ in range(n)]
    leads = [
        [r.lead_id, d(r.created, "%Y-%m-%d"), hex_id(), r.channel or ""] for r in truth.itertuples()
    ]
    segments = ["home_decor", "health_beauty", "car_accessories", "pet", "computers"]
    closed_rows = []
    for r in truth[truth["outcome"] == "won"].itertuples():
        won_at = r.created + pd.Timedelta(days=int(rng.integers(3, 60)), hours=5)
        closed_rows.append(
            [
                r.lead_id,
                hex_id(),
                hex_id(),
                hex_id(),
                d(won_at, "%Y-%m-%d %H:%M:%S"),
                str(rng.choice(segments)),
                str(rng.choice(["online_big", "online_medium", "industry", "offline"])),
                str(rng.choice(["reseller", "manufacturer"])),
                "0.0",
            ]
        )
    for _ in range(2):  # closed deals whose lead is not in the leads list
        closed_rows.append(
            [
                hex_id(),
                hex_id(),
                hex_id(),
                hex_id(),
                "2024-11-20 10:00:00",
                "pet",
                "online_small",
                "reseller",
                "0.0",
            ]
        )
    order = rng.permutation(len(closed_rows))
    closed_rows = [closed_rows[i] for i in order]
    leads_file = csv_bytes(["lead_id", "first_contact_date", "landing_page_id", "origin"], leads)
    closed_file = csv_bytes(
        [
            "lead_id",
            "seller_id",
            "sdr_id",
            "sr_id",
            "won_date",
            "business_segment",
            "lead_type",
            "business_type",
            "declared_monthly_revenue",
        ],
        closed_rows,
    )
    base = expected_from(truth, ["lead"], columns={"channel": "origin"})
    assert base.by_channel is not None
    per_channel = {label: (reached[0], won) for label, (reached, won) in base.by_channel.items()}
    expected = Expected(
        stages=None,
        reached=None,
        won=base.won,
        lost=0,
        open=base.open,
        deals=base.deals,
        by_channel={label: ((), won) for label, (_, won) in per_channel.items()},
        deals_by_channel={label: n_deals for label, (n_deals, _) in per_channel.items()},
        columns={"channel": "origin"},
        notice_number=2,
    )
    files = {"leads_dataset.csv": leads_file, "closed_deals_dataset.csv": closed_file}
    return Case(
        "leads_plus_closed_deals",
        files,
        "leads_dataset.csv",
        "closed_deals_dataset.csv",
        expected,
        truth,
    )


# ---- 9. HubSpot --------------------------------------------------------------------------------

HUBSPOT_STAGES = [
    "Appointment Scheduled",
    "Qualified To Buy",
    "Presentation Scheduled",
    "Decision Maker Bought-In",
    "Contract Sent",
]


def hubspot(seed: int = 909, n: int = 340) -> Case:
    """HubSpot all-deals export: default stages, Closed Won / Closed Lost (stage at loss hidden:
    lost deals count at the first stage only), "Deal Type" New/Existing Business (not a
    product), "Deal owner", "Original Traffic Source".
    """
    rng = np.random.default_rng(seed)
    stages = HUBSPOT_STAGES
    truth = simulate(
        rng,
        n,
        len(stages),
        outcome_p=(0.2, 0.25, 0.55),
        open_w=[1, 2, 3, 4, 5],
        lost_w=[3, 3, 2, 1, 1],
        channels={
            "Organic Search": 0.25,
            "Paid Search": 0.2,
            "Direct Traffic": 0.15,
            "Referrals": 0.1,
            "Social Media": 0.1,
            "Email Marketing": 0.1,
            "Offline Sources": 0.1,
        },
        owners=["Jessica Park", "Omar Farouk", "Linda Svensson", "Chris Adeyemi"],
        start="2024-05-06",
        amount_median=12_000.0,
    )
    header = [
        "Record ID",
        "Deal Name",
        "Deal Stage",
        "Pipeline",
        "Amount",
        "Close Date",
        "Create Date",
        "Deal owner",
        "Deal Type",
        "Original Traffic Source",
        "Last Activity Date",
        "Associated Company",
    ]
    fmt = "%Y-%m-%d %H:%M"
    rows, stage_values = [], []
    for r in truth.itertuples():
        if r.outcome == "won":
            stage = "Closed Won"
        elif r.outcome == "lost":
            stage = "Closed Lost"
        else:
            stage = stages[r.furthest]
        stage_values.append(stage)
        company = f"{rng.choice(EN_COMPANIES)} {rng.choice(EN_SUFFIX)}"
        last = r.closed if r.outcome != "open" else getattr(r, f"e{r.furthest}")
        rows.append(
            [
                9_100_000_000 + r.deal * 131,
                f"{company} - {rng.choice(['Annual', 'Starter', 'Enterprise'])}",
                stage,
                "Sales Pipeline",
                f"{r.amount:.0f}" if rng.random() < 0.95 else "",
                d(r.closed if r.outcome != "open" else r.created + pd.Timedelta(days=60), fmt),
                d(r.created, fmt),
                r.owner,
                str(rng.choice(["New Business", "New Business", "Existing Business", ""])),
                r.channel,
                d(last, fmt),
                company,
            ]
        )
    expected = expected_from(
        truth,
        stages,
        lost_hidden=True,
        columns={"owner": "Deal owner", "channel": "Original Traffic Source"},
        not_columns={"product": "Deal Type"},
        sitting=sitting_counts(stage_values, stages),
    )
    fname = "hubspot-crm-exports-all-deals-2025-06-30.csv"
    return Case(
        "hubspot_default", {fname: quoted_csv_bytes(header, rows)}, fname, None, expected, truth
    )


# ---- a small business's own register: lead temperature and how each client ended ----------------

TEMPERATURE = {
    "ru": (("Холодный", "Тёплый", "Горячий"), "Статус клиента"),
    "ru_bare": (("холодный", "теплый", "горячий"), "Где сейчас"),
    "en": (("Cold", "Warm", "Hot"), "Lead status"),
}
TEMPERATURE_WON = {
    "ru": ["Купил", "Купили", "купил(а)", "Купил в рассрочку"],
    "ru_bare": ["купил", "Купили"],
    "en": ["Bought", "Purchased", "bought (repeat)"],
}
TEMPERATURE_LOST = {
    "ru": ["Отвалился", "слился", "Передумал", "Отказ — дорого", "Неактуально"],
    "ru_bare": ["отвалился", "Слились после КП"],
    "en": ["Ghosted", "Not interested", "Gone cold", "Disqualified"],
}


def temperature_register(language: str = "ru", seed: int = 707, n: int = 240) -> Case:
    """A register typed by the owner: one status column with the lead's temperature while the
    client is open, and how it ended, in many spellings, once closed. The stage a lost client
    was at is not kept, so each lost client counts at the first stage only."""
    rng = np.random.default_rng(seed)
    stages, status_header = TEMPERATURE[language]
    truth = simulate(
        rng,
        n,
        len(stages),
        outcome_p=(0.2, 0.35, 0.45),
        open_w=[1, 3, 5],  # more hot leads waiting than cold ones: counts would invert the order
        lost_w=[3, 2, 1],
        channels={"Авито": 0.4, "Сарафан": 0.3, "Инстаграм": 0.3}
        if language != "en"
        else {"Ads": 0.5, "Word of mouth": 0.5},
        owners=["Ирина", "Олег"] if language != "en" else ["Ann", "Joe"],
        amount_median=25_000.0,
    )
    won, lost = TEMPERATURE_WON[language], TEMPERATURE_LOST[language]
    status = []
    for _, deal in truth.iterrows():
        if deal["outcome"] == "won":
            status.append(won[int(rng.integers(len(won)))])
        elif deal["outcome"] == "lost":
            status.append(lost[int(rng.integers(len(lost)))])
        else:
            status.append(stages[int(deal["furthest"])])
    money = "Сумма" if language != "en" else "Amount"
    when = "Дата обращения" if language != "en" else "First contact"
    name = "Клиент" if language != "en" else "Client"
    source = "Откуда узнал" if language != "en" else "Source"
    header = [name, status_header, source, money, when]
    rows = [
        [
            f"{name} {i + 1}",
            status[i],
            truth["channel"].iloc[i],
            ru_money(truth["amount"].iloc[i])
            if language != "en"
            else f"{truth['amount'].iloc[i]:,.0f}",
            d(truth["created"].iloc[i], "%d.%m.%Y")
            if language != "en"
            else us_date(truth["created"].iloc[i]),
        ]
        for i in range(n)
    ]
    expected = expected_from(
        truth,
        stages,
        lost_hidden=True,
        columns={"stage": status_header, "channel": source},
        sitting=sitting_counts(status, stages),
    )
    fname = "клиенты.csv" if language != "en" else "my clients.csv"
    data = (
        csv_bytes(header, rows, sep=";", encoding="cp1251")
        if language != "en"
        else csv_bytes(header, rows)
    )
    return Case(f"temperature_register_{language}", {fname: data}, fname, None, expected, truth)


# ---- the corpus --------------------------------------------------------------------------------

BUILDERS: tuple[Callable[[], Case], ...] = (
    tiny,
    pipedrive,
    lambda: pipedrive(seed=111, n=200, shuffle=True),
    bitrix,
    amocrm,
    register_ru,
    register_en,
    lambda: register_en(seed=515, n=180, shuffle=True),
    maven,
    salesforce_history,
    leads_and_closed,
    hubspot,
    temperature_register,
    lambda: temperature_register("ru_bare", seed=717, n=160),
    lambda: temperature_register("en", seed=727, n=200),
)


def cases() -> list[Case]:
    return [build() for build in BUILDERS]
