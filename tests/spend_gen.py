"""Messy spend tables with their truth: one small random spend (channels x periods x amounts)
written the many ways people type it, and the tidy rows it must read back as.

The truth is drawn first (seeded) and every written form is made from it; the expected rows are
the truth itself in plain pandas, never the engine's output. Each dimension of a :class:`Variant`
varies on its own: layout, how periods are written, how amounts are written, header spellings,
extra columns that are numbers but not spend, a title above the header, total rows, the file
format. Amounts written in thousands («Затраты, тыс.») are tested on their own in
test_spend_tables.py.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
import zlib
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd
import xlsxwriter
from babel.dates import get_month_names

NONE_LABEL = "(none)"  # the reader's channel for spend with no channel column

LAYOUTS = ("long", "wide_months", "wide_channels", "ads_daily", "two_dates", "sections")
MONTH_STYLES = ("ru_month", "ru_month_g", "ru_short", "en_short", "en_full", "ru_apos",
                "iso_month", "dotted_month",
                "first_day", "last_day", "bare_month")  # fmt: skip
PERIODS = (*MONTH_STYLES, "range", "range_week", "iso_week", "quarter_q", "quarter_ru")
AMOUNTS = ("number", "rub_sign", "us", "ru_rub", "nbsp")
HEADERS = ("ru", "en", "ru_upper", "en_lower", "spaced", "units", "neutral")
FORMATS = ("frame", "csv_cp1251", "csv_utf8_bom", "xlsx_openpyxl", "xlsx_xlsxwriter")
# Which period styles each layout can hold (a daily report has days; two columns hold dates).
PERIODS_OF = {
    "long": PERIODS,
    # year_above: a row of years over month names («2025» over «Ноябрь», «Декабрь»; files only)
    "wide_months": (*MONTH_STYLES, "quarter_q", "quarter_ru", "year_above"),
    "wide_channels": tuple(p for p in PERIODS if p != "bare_month"),
    "ads_daily": ("day",),
    # a month's heading on a row of its own over its channels' rows
    "sections": ("ru_month", "ru_month_g", "en_full", "en_short", "iso_month", "quarter_ru"),
    "two_dates": ("dates_text", "dates_typed"),
}
CHANNELS = ("Яндекс Директ", "VK Реклама", "Google Ads", "Telegram Ads", "Партнёрки", "Авито")
# How the spend table writes a deal's channel: case, spaces, ё as е.
CHANNEL_SPELLINGS = {
    "Яндекс Директ": ("яндекс директ", " Яндекс  Директ", "ЯНДЕКС ДИРЕКТ"),
    "VK Реклама": ("vk реклама", "VK  Реклама ", "Vk Реклама"),
    "Google Ads": ("google ads", "GOOGLE ADS", " Google Ads"),
    "Telegram Ads": ("telegram ads", "Telegram  Ads", "TELEGRAM ADS"),
    "Партнёрки": ("Партнерки", "партнёрки", "ПАРТНЕРКИ "),
    "Авито": ("авито", "АВИТО", " Авито "),
}
# Header spellings per style and role; "neutral" headers say nothing (a blank corner, «Факт»),
# so the column must be told by its values.
_HEADER_WORDS = {
    "ru": {"channel": ("Канал", "Источник", "Рекламный канал", "Площадка"),
           "amount": ("Расход", "Бюджет", "Затраты", "Стоимость", "Сумма"),
           "period": ("Месяц", "Период"), "campaign": ("Кампания", "Название кампании"),
           "start": ("Дата начала", "С", "Начало"), "end": ("Дата окончания", "По", "Конец"),
           "date": ("Дата", "День")},
    "en": {"channel": ("Channel", "Source", "Platform", "Ad network"),
           "amount": ("Spend", "Cost", "Amount spent", "Budget"),
           "period": ("Month", "Period"), "campaign": ("Campaign", "Campaign name"),
           "start": ("Start date", "From", "Date from"), "end": ("End date", "To", "Date to"),
           "date": ("Date", "Day")},
    "units": {"channel": ("Рекламный канал", "Канал привлечения"),
              "amount": ("Расход, ₽", "Бюджет (руб.)", "Сумма, руб.", "Cost, RUB",
                         "Затраты с НДС, руб.", "Amount spent (RUB)"),
              "period": ("Период", "Месяц (факт)"), "campaign": ("Название кампании",),
              "start": ("С", "Период с"), "end": ("По", "Период по"), "date": ("День",)},
    "neutral": {"channel": ("Название", "Реклама", "Что"), "amount": ("Факт", "₽", "Руб."),
                "period": ("Когда", "Мес."), "campaign": ("Кампания",), "start": ("Старт", "Флайт"),
                "end": ("Финиш", "Стоп"), "date": ("Число",)},
}  # fmt: skip
# Numbers beside the spend that are not the spend (and text that is neither channel nor period).
_EXTRAS = {
    "ru": ("Показы", "Клики", "CTR", "CPC", "Конверсии", "Лиды", "Комментарий", "Ответственный"),
    "en": ("Impressions", "Clicks", "CTR", "CPC", "Conversions", "Leads", "Comment", "Owner"),
}
_PEOPLE = ("Иванова А.", "Петров С.", "Smith J.", "Орлова Е.")
_NOTES = ("тест креативов", "", "", "перенос бюджета", "акция", "")


@dataclass(frozen=True)
class Variant:
    layout: str = "long"
    periods: str = "ru_month"
    amounts: str = "number"
    headers: str = "ru"
    extras: bool = False
    title: bool = False
    totals: bool = True
    refund: bool = False
    filldown: bool = False  # long: a period or channel written once over the rows it heads
    split: bool = False  # long: some amounts paid in two rows
    fmt: str = "frame"
    seed: int = 0

    @property
    def id(self) -> str:
        flags = "".join(
            c
            for c, on in zip(
                "xtTrfs",
                (self.extras, self.title, self.totals, self.refund, self.filldown, self.split),
                strict=True,
            )
            if on
        )
        return f"{self.layout}-{self.periods}-{self.amounts}-{self.headers}-{flags}-{self.fmt}"


@dataclass(frozen=True)
class Made:
    variant: Variant
    data: pd.DataFrame | bytes  # a frame as a reader returns it, or a file's bytes
    name: str  # the file name (its extension tells the reader the format)
    expected: pd.DataFrame  # channel, start, end (exclusive), amount: blanks and zeros left out
    channels: tuple[str, ...]  # the deals' spelling
    within: tuple[pd.Timestamp, pd.Timestamp]  # the deals' first and last day
    written_totals: float  # the sum of the total rows and columns written (never spend)
    header_row: int = 1  # the sheet row (1-based) of the column names in a file


def variants(count: int = 90, seed: int = 20260101) -> list[Variant]:
    """A covering set: every value of every dimension at least once, the rest drawn at random."""
    rng = random.Random(seed)
    out: list[Variant] = []
    pairs = [(layout, p) for layout in LAYOUTS for p in PERIODS_OF[layout]]
    for i in range(max(count, len(pairs))):
        layout, period = pairs[i] if i < len(pairs) else rng.choice(pairs)
        out.append(
            Variant(
                layout=layout,
                periods=period,
                amounts=AMOUNTS[i % len(AMOUNTS)],
                headers=HEADERS[(i + i // len(HEADERS)) % len(HEADERS)],
                extras=rng.random() < 0.5,
                title=rng.random() < 0.3,
                totals=rng.random() < 0.7,
                refund=rng.random() < 0.25,
                filldown=rng.random() < 0.3,
                split=rng.random() < 0.3,
                fmt=FORMATS[(i + i // len(FORMATS)) % len(FORMATS)],
                seed=i,
            )
        )
    return out


# ---- the truth --------------------------------------------------------------------------------


def _grain(variant: Variant) -> str:
    if variant.periods in ("iso_week", "range_week"):
        return "week"
    if variant.periods.startswith("quarter"):
        return "quarter"
    return "month"


def _periods(rng: random.Random, grain: str, n: int) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    if grain == "week":
        start = pd.Timestamp.fromisocalendar(rng.choice((2025, 2026)), rng.randint(1, 40), 1)
        return [
            (start + pd.Timedelta(weeks=k), start + pd.Timedelta(weeks=k + 1)) for k in range(n)
        ]
    step = 3 if grain == "quarter" else 1
    first = pd.Timestamp(year=rng.choice((2025, 2026)), month=rng.choice(range(1, 13, step)), day=1)
    starts = [first + pd.DateOffset(months=step * k) for k in range(n + 1)]
    return list(itertools.pairwise(starts))


def _flights(rng: random.Random, first: pd.Timestamp) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Back-to-back or gapped runs of 5 to 40 days."""
    out, start = [], first + pd.Timedelta(days=rng.randint(0, 20))
    for _ in range(rng.randint(2, 4)):
        end = start + pd.Timedelta(days=rng.randint(5, 40))
        out.append((start, end))
        start = end + pd.Timedelta(days=rng.choice((0, 0, 3, 10)))
    return out


def _truth(variant: Variant, rng: random.Random) -> pd.DataFrame:
    """channel, start, end, amount (NaN: a blank cell); a month name without a year gets at most
    twelve months so its year is never in doubt."""
    channels = rng.sample(CHANNELS, rng.randint(2, 4))
    periods = _periods(rng, _grain(variant), rng.randint(2, 5))
    cells = list(itertools.product(channels, periods))
    if variant.layout == "two_dates":  # flights: each channel's own dates, not whole months
        cells = [(c, p) for c in channels for p in _flights(rng, periods[0][0])]
    rows = []
    for channel, (start, end) in cells:
        draw = rng.random()
        kopecks = rng.choice((0, 50, 25)) / 100
        amount = rng.randint(5, 3000) * 100 + kopecks
        if draw < 0.17:
            amount = float("nan") if draw < 0.1 else 0.0
        rows.append((channel, start, end, float(amount)))
    truth = pd.DataFrame(rows, columns=["channel", "start", "end", "amount"])
    if not (truth["amount"].fillna(0) != 0).any():  # some spend, or there is nothing to read
        truth.loc[0, "amount"] = 12_345.0
    if variant.refund:
        truth.loc[rng.randrange(len(truth)), "amount"] = -float(rng.randint(1, 20) * 50)
    return truth


def expected_rows(truth: pd.DataFrame) -> pd.DataFrame:
    """What the reader must give: blanks and zeros are no spend."""
    keep = truth["amount"].notna() & (truth["amount"] != 0)
    return truth[keep].reset_index(drop=True)


# ---- writing cells ----------------------------------------------------------------------------


def _month_name(month: int, locale: str, width: str = "wide") -> str:
    return str(get_month_names(width, "stand-alone", locale)[month])


def period_cell(style: str, start: pd.Timestamp, end: pd.Timestamp) -> object:
    last = end - pd.Timedelta(days=1)
    m, y = start.month, start.year
    return {
        "ru_month": lambda: _month_name(m, "ru").capitalize() + f" {y}",
        "ru_month_g": lambda: _month_name(m, "ru") + f" {y} г.",
        "ru_short": lambda: _month_name(m, "ru", "abbreviated") + f"{y % 100:02d}",
        "en_short": lambda: _month_name(m, "en", "abbreviated") + f"-{y % 100:02d}",
        "iso_month": lambda: f"{y}-{m:02d}",
        "dotted_month": lambda: f"{m:02d}.{y}",
        "first_day": lambda: start.to_pydatetime(),
        "last_day": lambda: last.to_pydatetime(),
        "range": lambda: f"{start:%d.%m.%Y} - {last:%d.%m.%Y}",
        "range_week": lambda: f"{start:%d.%m.%Y}–{last:%d.%m.%Y}",
        "en_full": lambda: f"{_month_name(m, 'en')} {y}",
        "ru_apos": lambda: (
            f"{_month_name(m, 'ru', 'abbreviated').rstrip('.').capitalize()}'{y % 100}"
        ),
        "iso_week": lambda: f"{start.isocalendar()[0]}-W{start.isocalendar()[1]:02d}",
        "quarter_q": lambda: f"Q{(m - 1) // 3 + 1} {y}",
        "quarter_ru": lambda: f"{('I', 'II', 'III', 'IV')[(m - 1) // 3]} кв. {y}",
        "bare_month": lambda: _month_name(m, "ru").capitalize(),
        "year_above": lambda: _month_name(m, "ru").capitalize(),
        "day": lambda: start.to_pydatetime(),
    }[style]()


def _group(whole: str, sep: str) -> str:
    return f"{int(whole):,}".replace(",", sep)


def amount_cell(style: str, amount: float, rng: random.Random) -> object:
    """One amount as typed; a blank is "" or a dash, a refund is "(500)"."""
    if np.isnan(amount):
        return rng.choice(("", "—", None))
    if style == "number":
        return amount
    whole, cents = f"{abs(amount):.2f}".split(".")
    sign = amount < 0
    text = {
        "rub_sign": lambda: f"{_group(whole, ' ')}{'' if cents == '00' else ',' + cents} ₽",
        "us": lambda: f"{_group(whole, ',')}.{cents}",
        "ru_rub": lambda: f"{_group(whole, ' ')},{cents} руб.",
        "nbsp": lambda: f"{_group(whole, chr(0xA0))},{cents}",
    }[style]()
    if not sign:
        return text
    return rng.choice((f"({text})", f"-{text}", f"−{text}"))  # a refund, as accountants write it


def _header(variant: Variant, role: str, rng: random.Random) -> str:
    style = variant.headers
    pool = "en" if style.startswith("en") else style if style in _HEADER_WORDS else "ru"
    word = rng.choice(_HEADER_WORDS[pool][role])
    if style == "neutral" and variant.layout.startswith("wide"):
        return ""  # the corner over the side's labels, left blank
    if style == "ru_upper":
        return word.upper()
    if style == "en_lower":
        return word.lower()
    if style == "spaced":
        return "  Расход ,  ₽ " if role == "amount" else f" {word}  "
    return word


def _spell(channel: str, rng: random.Random) -> str:
    return rng.choice(CHANNEL_SPELLINGS[channel])


def _extra_cells(variant: Variant, amount: float, rng: random.Random) -> list[object]:
    """Impressions, clicks, CTR, CPC, conversions, leads, a comment, an owner: the counts are
    drawn so that they look like an ad account's (clicks < impressions, CPC = spend / clicks)."""
    spend = 0.0 if np.isnan(amount) else abs(amount)
    clicks = max(1, int(spend / rng.uniform(15, 90))) if spend else 0
    shows = clicks * rng.randint(20, 120) + rng.randint(0, 99)
    ctr = f"{100 * clicks / shows:.2f}%".replace(".", ",") if shows else ""
    cpc = round(spend / clicks, 2) if clicks else ""
    conv = clicks // rng.randint(8, 30)
    return [
        shows,
        clicks,
        ctr,
        cpc,
        conv,
        max(0, conv - rng.randint(0, 3)),
        rng.choice(_NOTES),
        rng.choice(_PEOPLE),
    ]


# ---- layouts: a header and rows of cells ------------------------------------------------------


def _grid(variant: Variant, truth: pd.DataFrame, rng: random.Random) -> tuple[list, list, float]:
    """(header, rows, written totals)."""
    total_word = rng.choice(("Итого", "Всего", "Total", "Grand total", "ИТОГО:"))
    spelled = {c: _spell(c, rng) for c in truth["channel"].unique()}
    periods = truth[["start", "end"]].drop_duplicates().itertuples(index=False)
    dated = variant.layout in ("ads_daily", "two_dates")  # dates in cells, written below
    period_of = {} if dated else {(s, e): period_cell(variant.periods, s, e) for s, e in periods}
    if variant.layout == "ads_daily":
        return _daily(variant, truth, spelled, rng)
    if variant.layout == "sections":
        return _sections(variant, truth, spelled, period_of, total_word, rng)
    if variant.layout.startswith("wide"):
        header, rows, written = _wide(variant, truth, spelled, period_of, total_word, rng)
        if variant.extras:  # who runs the channel, a note: text beside the numbers
            words = _EXTRAS["en" if variant.headers.startswith("en") else "ru"][6:]
            header = [*header, *words]
            last = len(rows) - 1 if variant.totals else len(rows)
            beside = [(rng.choice(_NOTES), rng.choice(_PEOPLE)) for _ in rows]
            rows = [[*r, *(beside[i] if i != last else (None, None))] for i, r in enumerate(rows)]
        return header, rows, written
    return _long(variant, truth, spelled, period_of, total_word, rng)


def _wide(variant, truth, spelled, period_of, total_word, rng):
    """Periods across and channels down (or the other way), with a total column and row."""
    cell = lambda a: amount_cell(variant.amounts, a, rng)  # noqa: E731
    grand = grand_of(truth)
    if variant.layout == "wide_months":
        header = [_header(variant, "channel", rng), *period_of.values()]
        rows = []
        for channel, part in truth.groupby("channel", sort=False):
            rows.append([spelled[channel], *(cell(a) for a in part["amount"])])
            if variant.totals:
                rows[-1].append(cell(float(part["amount"].sum())))
        if not variant.totals:
            return header, rows, 0.0
        by_period = truth.groupby(["start", "end"], sort=False)["amount"].sum()
        rows.append([total_word, *(cell(float(a)) for a in by_period), cell(grand)])
        return [*header, total_word], rows, 2 * grand
    header = [_header(variant, "period", rng), *spelled.values()]
    rows = []
    for (s, e), part in truth.groupby(["start", "end"], sort=False):
        amounts = part.set_index("channel")["amount"]
        rows.append([period_of[(s, e)], *(cell(amounts[c]) for c in spelled)])
        if variant.totals:
            rows[-1].append(cell(float(part["amount"].sum())))
    if not variant.totals:
        return header, rows, 0.0
    by_channel = truth.groupby("channel", sort=False)["amount"].sum()
    rows.append([total_word, *(cell(float(by_channel[c])) for c in spelled), cell(grand)])
    return [*header, total_word], rows, 2 * grand


def _sections(variant, truth, spelled, period_of, total_word, rng):
    """Channel and amount columns; each period a heading row over its channels' rows."""
    cell = lambda a: amount_cell(variant.amounts, a, rng)  # noqa: E731
    extras = (
        _EXTRAS["en" if variant.headers.startswith("en") else "ru"][:2] if variant.extras else ()
    )
    rows: list[list[object]] = []
    for (s, e), part in truth.groupby(["start", "end"], sort=False):
        rows.append([period_of[(s, e)], None, *(None for _ in extras)])
        for r in part.itertuples(index=False):
            rows.append(
                [
                    spelled[r.channel],
                    cell(r.amount),
                    *_extra_cells(variant, r.amount, rng)[: len(extras)],
                ]
            )
    written = 0.0
    if variant.totals:
        rows.append([total_word, cell(grand_of(truth)), *(None for _ in extras)])
        written = grand_of(truth)
    header = [_header(variant, "channel", rng), _header(variant, "amount", rng), *extras]
    return header, rows, written


def _long(variant, truth, spelled, period_of, total_word, rng):
    """One row per channel and period (or two for a split payment), grouped by channel with
    subtotals, or by period; a group's period or channel written once when filled down."""
    cell = lambda a: amount_cell(variant.amounts, a, rng)  # noqa: E731
    long = variant.layout == "long"
    roles = ["period", "channel", "amount"] if long else ["start", "end", "channel", "amount"]
    extras = _EXTRAS["en" if variant.headers.startswith("en") else "ru"] if variant.extras else ()
    by_period = long and variant.filldown and variant.seed % 2 == 1
    groups = truth.groupby(["start", "end"] if by_period else "channel", sort=False)
    rows, written = [], 0.0
    for _, part in groups:
        head = True
        for r in part.itertuples(index=False):
            if long:
                when = [period_of[(r.start, r.end)]]
            else:
                last = r.end - pd.Timedelta(days=1)
                typed = variant.periods == "dates_typed"
                when = [
                    r.start.to_pydatetime() if typed else f"{r.start:%d.%m.%Y}",
                    last.to_pydatetime() if typed else f"{last:%d.%m.%Y}",
                ]
            paid = [r.amount]
            if variant.split and long and r.amount > 1000 and rng.random() < 0.4:
                first = round(r.amount * rng.uniform(0.2, 0.8), 2)
                paid = [first, round(r.amount - first, 2)]
            for amount in paid:
                who = spelled[r.channel]
                if variant.filldown and long and not head:  # said on the group's first row
                    when, who = ([None], who) if by_period else (when, None)
                extra = _extra_cells(variant, amount, rng) if extras else []
                rows.append([*when, who, cell(amount), *extra])
                head = False
        if variant.totals and not by_period and rng.random() < 0.5:
            sub = float(part["amount"].sum())
            label = f"Итого {spelled[part['channel'].iloc[0]].strip()}"
            rows.append([None] * len(roles[:-2]) + [label, cell(sub)] + [None] * len(extras))
            written += sub
    if variant.totals:
        rows.append([total_word] + [None] * (len(roles) - 2) + [cell(grand_of(truth))])
        rows[-1] += [None] * len(extras)
        written += grand_of(truth)
    return [*(_header(variant, r, rng) for r in roles), *extras], rows, written


def grand_of(truth: pd.DataFrame) -> float:
    return float(truth["amount"].sum())


def _daily(variant: Variant, truth: pd.DataFrame, spelled: dict, rng: random.Random):
    """An ad account's report: a row per day and campaign, each month's spend split over its
    days and the channel's campaigns (to the kopeck); with a channel column or without one."""
    with_channel = variant.seed % 2 == 0
    roles = ["date", "campaign", *(["channel"] if with_channel else []), "amount"]
    extras = _EXTRAS["en" if variant.headers.startswith("en") else "ru"][:4]
    header = [*(_header(variant, r, rng) for r in roles), *extras]
    rows = []
    for r in truth.itertuples(index=False):
        if np.isnan(r.amount) or r.amount == 0:
            continue
        days = pd.date_range(r.start, r.end - pd.Timedelta(days=1), freq="D")
        campaigns = [f"{r.channel[:2].upper()}_{w}" for w in ("поиск", "ретаргет", "бренд")][
            : rng.randint(1, 3)
        ]
        cents = round(r.amount * 100)
        cuts = sorted(rng.sample(range(1, abs(cents)), len(days) * len(campaigns) - 1))
        shares = [b - a for a, b in itertools.pairwise([0, *cuts, abs(cents)])]
        sign = 1 if r.amount > 0 else -1
        for (day, campaign), share in zip(itertools.product(days, campaigns), shares, strict=True):
            amount = sign * share / 100
            rows.append(
                [
                    period_cell("day", day, day),
                    campaign,
                    *([spelled[r.channel]] if with_channel else []),
                    amount_cell(variant.amounts, amount, rng),
                    *_extra_cells(variant, amount, rng)[:4],
                ]
            )
    rng.shuffle(rows)
    rows.sort(key=lambda row: row[0])
    return header, rows, 0.0


# ---- files ------------------------------------------------------------------------------------


def _text(value: object, cp1251: bool) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, datetime):
        return f"{value:%d.%m.%Y}"
    text = str(value)
    return text.replace("₽", "руб.").replace("−", "-") if cp1251 else text  # not in cp1251


def _file(
    variant: Variant, header: list, rows: list, years: list
) -> tuple[pd.DataFrame | bytes, str]:
    above: list[list[object]] = [["Расходы на рекламу"], []] if variant.title else []
    above += [years] if years else []
    below: list[list[object]] = [[], ["Источник: бухгалтерия, сверка 05.12.2026"]]
    grid = [*above, header, *rows, *(below if variant.title else ())]
    if variant.fmt == "frame":
        frame = pd.DataFrame(rows, columns=[str(h) if isinstance(h, str) else h for h in header])
        return frame.astype(object).where(frame.notna(), None), "spend.frame"
    if variant.fmt.startswith("csv"):
        cp1251 = variant.fmt == "csv_cp1251"
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";" if cp1251 else ",", lineterminator="\r\n")
        for row in grid:
            writer.writerow([_text(v, cp1251) for v in row])
        return out.getvalue().encode("cp1251" if cp1251 else "utf-8-sig"), "spend.csv"
    out_bytes = io.BytesIO()
    if variant.fmt == "xlsx_openpyxl":
        book = openpyxl.Workbook()
        sheet = book.active
        for row in grid:
            sheet.append([None if v == "" else v for v in row])
        for column in sheet.iter_cols():
            for c in column:
                if isinstance(c.value, datetime):
                    c.number_format = "DD.MM.YYYY"
        book.save(out_bytes)
    else:
        book = xlsxwriter.Workbook(out_bytes, {"in_memory": True})
        sheet = book.add_worksheet("Расходы")
        dates = book.add_format({"num_format": "dd.mm.yyyy"})
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if isinstance(v, datetime):
                    sheet.write_datetime(i, j, v, dates)
                elif v is not None and v != "":
                    sheet.write(i, j, v)
        book.close()
    return out_bytes.getvalue(), "spend.xlsx"


def make(variant: Variant) -> Made:
    """The variant's table and what it must read as."""
    rng = random.Random(variant.seed * 7919 + zlib.crc32(variant.id.encode()))
    truth = _truth(variant, rng)
    if variant.periods == "year_above" and variant.fmt == "frame":
        variant = replace(variant, fmt="xlsx_openpyxl")  # two header rows: a file's
    header, rows, written = _grid(variant, truth, rng)
    years: list[object] = []
    if variant.periods == "year_above":  # the year over each year's first month
        starts = truth["start"].drop_duplicates().tolist()
        years = [None] + [
            str(s.year) if i == 0 or s.year != starts[i - 1].year else None
            for i, s in enumerate(starts)
        ]
    elif variant.extras and variant.layout not in ("ads_daily", "sections"):
        order = list(range(len(header)))
        rng.shuffle(order)  # the columns in any order, but months across stay in their order
        if variant.layout == "wide_months":
            months = set(range(1, truth["start"].nunique() + 1))
            in_order = iter(sorted(months))
            order = [next(in_order) if i in months else i for i in order]
        header = [header[i] for i in order]
        rows = [[(row + [None] * len(header))[i] for i in order] for row in rows]
    data, name = _file(variant, header, rows, years)
    expected = expected_rows(truth)
    if variant.layout == "ads_daily" and variant.seed % 2 == 1:
        expected = expected.assign(channel=NONE_LABEL)
    # The deals' dates: often from well before the spend table, to a little after it.
    first = truth["start"].min() - pd.Timedelta(days=rng.choice((0, 0, 45, 200, 500)))
    last = truth["end"].max() - pd.Timedelta(days=1) + pd.Timedelta(days=rng.choice((0, 10)))
    header_row = 1 + 2 * variant.title + bool(years)
    channels = tuple(truth["channel"].unique())
    return Made(variant, data, name, expected, channels, (first, last), written, header_row)


def with_(variant: Variant, **changes: object) -> Variant:
    return replace(variant, **changes)  # type: ignore[arg-type]
