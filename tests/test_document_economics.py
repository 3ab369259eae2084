"""The client report's channel economics: present with spend and only then, its sentence
names the dearest and the cheapest won deal as the sample's truth counts them, both languages
render, the weak points say what their lost deals cost in spend, and the PDF draws it."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from funnel.compare import MIN_DEALS
from funnel.deals import LOST
from funnel.document.content import SECTIONS, client_report
from funnel.document.html import to_html
from funnel.document.pdf import to_pdf
from funnel.economics.compute import spend_for, with_spend
from funnel.io.readers import read_table
from funnel.report import formats
from funnel.spec_spend import SpendSpec
from tests.test_document_render import parsed

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
LINES = {"media": "Носители информации", "security": "Системы безопасности", "doors": "Двери"}
MADE = date(2026, 12, 4)


def _with_spend(deals, line: str, spec: SpendSpec | None = None):
    frame = read_table(SAMPLES / "spend.xlsx", name="spend.xlsx", sheet=LINES[line]).frame
    return with_spend(deals, spend_for(deals, frame), spec)


@pytest.fixture(scope="module")
def media():
    from tests.conftest import _amocrm_pipeline

    return _with_spend(_amocrm_pipeline("media"), "media")


@pytest.fixture(scope="module")
def security():
    from tests.conftest import _amocrm_pipeline

    return _with_spend(_amocrm_pipeline("security"), "security")


def _truth(line: str) -> pd.DataFrame:
    """The sample's own count per channel (spend, leads, won, won revenue), from its maker."""
    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))["economics"]
    frame = pd.DataFrame(truth[LINES[line]]).T.drop(columns="spend_by_month")
    return frame.astype({"spend": float, "leads": int, "won": int, "won_amount": float})


def _dearest_and_cheapest(line: str) -> tuple[tuple[str, float], tuple[str, float]]:
    t = _truth(line)
    judged = t[(t["spend"] > 0) & (t["won"] > 0) & (t["leads"] >= MIN_DEALS)]
    cac = (judged["spend"] / judged["won"]).sort_values()
    return (cac.index[-1], float(cac.iloc[-1])), (cac.index[0], float(cac.iloc[0]))


def test_the_section_is_there_with_spend_and_not_without(media, sample_doors):
    assert "economics" in SECTIONS
    assert SECTIONS.index("economics") == SECTIONS.index("leaks") + 1
    with_ = client_report(media, made=MADE)
    assert "economics" in with_.sections and with_.economics is not None
    # The saved mapping names its spend sheet but keeps no spend rows: nothing to show.
    without = client_report(sample_doors, made=MADE)
    assert "economics" not in without.sections and without.economics is None
    assert 'id="economics"' not in to_html(without)
    # Asked for alone, it is the only section; left out, it is not made.
    alone = client_report(media, sections=["economics"], made=MADE)
    assert alone.sections == ("economics",)
    assert client_report(media, sections=["funnel"], made=MADE).economics is None


@pytest.mark.parametrize("line", ["media", "security"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_sentence_names_the_dearest_and_the_cheapest(request, line, language):
    deals = request.getfixturevalue(line)
    (dear, dear_cac), (cheap, cheap_cac) = _dearest_and_cheapest(line)
    report = client_report(deals, sections=["conclusions", "economics"], language=language)
    money = lambda v: formats.money(v, "", 0, language)  # noqa: E731  (the sample names none)
    times = dear_cac / cheap_cac
    times_text = formats.number(round(times) if times >= 10 else round(times, 1),
                                0 if times >= 10 else 1, language)  # fmt: skip
    if language == "ru":
        expected = (
            f"«{dear}»: {money(dear_cac)} на выигранную сделку, у канала «{cheap}» — "
            f"{money(cheap_cac)}, в {times_text}"
        )
    else:
        expected = (
            f"“{dear}”: {money(dear_cac)} per won deal; “{cheap}”: {money(cheap_cac)}, "
            f"{times_text} times less."
        )
    page = parsed(to_html(report)).visible
    # Once in the conclusions, once in the section.
    assert page.count(expected) == 2, (expected, page[:3000])


def test_the_sample_truth_is_what_the_table_shows(security):
    report = client_report(security, sections=["economics"], language="en")
    econ = report.economics.econ
    truth = _truth("security")
    shown = pd.DataFrame(
        {"spend": econ.spend, "leads": econ.leads, "won": econ.won, "won_amount": econ.won_amount},
        index=list(econ.labels),
    ).loc[truth.index]
    pd.testing.assert_frame_equal(shown, truth, check_dtype=False)
    page = parsed(to_html(report)).visible
    for channel, r in truth.iterrows():
        row = (
            f"{channel} {formats.number(r['spend'], 0, 'en')} {formats.number(r['leads'], 0, 'en')}"
        )
        assert row in page


def test_spend_without_leads_and_leads_without_spend_are_named(media):
    ru = parsed(to_html(client_report(media, sections=["economics"], language="ru"))).visible
    amount = formats.money(35_000, "", 0, "ru")  # the sample names no currency
    assert f"Расход есть, лидов нет: «Таргет ВКонтакте» ({amount})." in ru
    assert "Название «Таргет ВКонтакте» не совпадает ни с одним каналом сделок" in ru
    assert "Лиды есть, расхода нет: «Рекомендации» (87 лидов)" in ru
    assert "Не окупаются: «Холодные звонки»" in ru
    en = parsed(to_html(client_report(media, sections=["economics"], language="en"))).visible
    assert "Spend and no leads: “Таргет ВКонтакте” (35,000)." in en
    assert "Leads and no spend: “Рекомендации” (87 leads)" in en


@pytest.mark.parametrize("language", ["ru", "en"])
def test_both_languages_draw_three_charts_and_the_table(media, language):
    report = client_report(media, sections=["economics"], language=language)
    page = parsed(to_html(report))
    assert page.tags.count("svg") == 3
    head = {"ru": ("Экономика каналов", "Цена лида", "ROMI", "Все каналы"),
            "en": ("Channel economics", "Cost per lead", "ROMI", "All channels")}  # fmt: skip
    for text in head[language]:
        assert text in page.visible
    assert ("Прибыль" if language == "ru" else "Profit") not in page.visible


def test_a_margin_adds_the_profit_columns(media):
    from tests.conftest import _amocrm_pipeline

    deals = _with_spend(_amocrm_pipeline("media"), "media", SpendSpec(margin=0.4))
    page = parsed(to_html(client_report(deals, sections=["economics"]))).visible
    assert "Прибыль" in page and "ROMI по прибыли" in page and "Прибыль после рекламы" in page


def test_a_weak_point_says_what_its_lost_deals_cost_in_spend(security):
    report = client_report(security, sections=["conclusions", "leaks"], language="ru")
    econ = client_report(security, sections=["economics"]).economics.econ
    leak = report.leaks.leaks[0]
    # Counted again by hand: each channel's spend shared by its leads in the spend's dates,
    # summed over the leads lost at the step.
    first, end = econ.window
    created = pd.Series(security.created)
    inside = ((created >= first) & (created < end)).to_numpy()
    enc = security.encode("channel")
    channel = np.array(enc.labels, dtype=object)[enc.codes]
    frame = pd.DataFrame({"channel": channel, "inside": inside,
                          "lost_here": (security.furthest == leak.step)
                          & (security.outcome == LOST)})  # fmt: skip
    per = (
        frame[frame["inside"]]
        .groupby("channel")
        .agg(leads=("inside", "size"), lost=("lost_here", "sum"))
    )
    spend = pd.Series(dict(zip(econ.labels, econ.spend, strict=True)))
    per = per.join(spend.rename("spend"), how="inner")
    expected = float((per["spend"] * per["lost"] / per["leads"]).sum())
    assert report.leaks.lost_spend[leak.step] == pytest.approx(expected)
    amount = formats.money_short(expected, "", "ru")
    page = parsed(to_html(report)).visible
    assert f"На сделки, потерянные на этом шаге, ушло {amount} рекламы." in page
    assert "Расход на потерянные" in page


def test_without_spend_the_weak_points_say_nothing_of_it(sample_doors):
    report = client_report(sample_doors, sections=["conclusions", "leaks"], made=MADE)
    assert report.leaks is not None and not report.leaks.lost_spend
    assert "рекламы" not in parsed(to_html(report)).visible


def test_the_pdf_draws_the_section(media, tmp_path):
    report = client_report(media, title="Носители", sections=["economics"], made=MADE)
    pdf = to_pdf(report)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for name in ("Экономика каналов", "Холодные звонки", "Email-рассылка", "Таргет ВКонтакте"):
        assert name in text
    # Charts stay vectors.
    assert sum(len(page.images) for page in reader.pages) == 0
    assert 2 <= len(reader.pages) <= 5
    (tmp_path / "economics.pdf").write_bytes(pdf)


def test_a_long_channel_name_is_not_cut_in_the_charts(media):
    long = "Контекстная реклама в поисковых системах и сетях"
    econ = client_report(media, sections=["economics"]).economics.econ
    renamed = dataclasses.replace(
        econ, labels=tuple(long if x == "Контекстная реклама" else x for x in econ.labels)
    )
    from funnel.charts.economics import cac_chart
    from funnel.document.economics import chart_words

    spec = cac_chart(renamed, text=chart_words("ru")).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] >= 320
