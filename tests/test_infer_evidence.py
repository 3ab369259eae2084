"""Zero-touch inference on small files counted by hand: each kind of evidence, and the guesses.

Every frame here is typed out so that the expected numbers can be checked with a pencil.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from funnel.cli import main
from funnel.detect.infer import infer_spec
from funnel.metrics import funnel
from funnel.prepare import prepare
from funnel.spec import Spec


def reached(frame: pd.DataFrame, events: pd.DataFrame | None = None) -> tuple:
    inference = infer_spec(frame, events)
    deals = prepare(frame, inference.spec, events=events)
    counts = funnel(deals)
    return inference, deals, counts.reached[0].tolist(), int(counts.won[0]), int(counts.lost[0])


def codes(inference) -> dict[str, dict]:
    return {w.code: w.params for w in inference.warnings}


D = pd.Timestamp


def test_a_stage_named_date_column_places_lost_deals_exactly() -> None:
    # deal_stage / engage_date: a lost deal with an engage date reached Engaging.
    frame = pd.DataFrame(
        {
            "opportunity_id": ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"],
            "sales_agent": ["Anna Smith", "Boris Kay", "Anna Smith", "Boris Kay"] * 2,
            "deal_stage": ["Prospecting", "Engaging", "Engaging", "Won", "Lost", "Lost", "Won",
                           "Engaging"],
            "engage_date": [None, D("2025-01-02"), D("2025-01-03"), D("2025-01-04"),
                            D("2025-01-05"), None, D("2025-01-07"), D("2025-01-08")],
            "close_date": [None, None, None, D("2025-02-04"), D("2025-02-05"), D("2025-02-06"),
                           D("2025-02-07"), None],
            "close_value": [0, 0, 0, 900, 0, 0, 1100, 0],
        }
    )  # fmt: skip
    inference, deals, hit, won, lost = reached(frame)
    spec = inference.spec
    assert [(s.name, s.column) for s in spec.stages] == [
        ("Prospecting", None),
        ("Engaging", "engage_date"),
    ]
    assert spec.columns["owner"] == "sales_agent"
    assert "created" not in spec.columns  # engage_date is a stage's date, not the creation
    # By hand: all 8 reached Prospecting; Engaging: 3 open there + 2 won + A5 (lost with a date)
    assert hit == [8, 6]
    assert (won, lost) == (2, 2)
    # A6 was lost with no engage date: it never reached Engaging, so it was lost at the first
    # stage, which is proven, not a lower bound.
    assert not [n for n in deals.notices if n.code == "lost_stage_unknown"]
    assert codes(inference)["detect_order_evidence"]["basis"] == "date_fill"
    assert not spec.guessed


def test_robot_date_fields_keep_the_first_stage_and_every_deal() -> None:
    stage = ["Первичный контакт", "Первичный контакт", "Встреча назначена", "КП отправлено",
             "Закрыто и не реализовано", "Закрыто и не реализовано", "Успешно реализовано",
             "КП отправлено"]  # fmt: skip
    meeting = [None, None, "03.02.2025", "04.02.2025", "05.02.2025", None, "07.02.2025",
               "08.02.2025"]  # fmt: skip
    proposal = [None, None, None, "10.02.2025", None, None, "12.02.2025", "13.02.2025"]
    frame = pd.DataFrame(
        {
            "ID": range(1, 9),
            "Этап сделки": stage,
            "Бюджет ": [1000.0] * 8,
            "Дата создания сделки": [f"0{d}.02.2025" for d in range(1, 9)],
            "Дата перехода: Встреча назначена": meeting,
            "Дата перехода: КП отправлено": proposal,
        }
    )
    inference, deals, hit, won, lost = reached(frame)
    assert inference.spec.stage_names == ("Первичный контакт", "Встреча назначена", "КП отправлено")
    assert inference.spec.columns["created"] == "Дата создания сделки"
    assert len(deals) == 8  # the deals at the first stage have no date there and stay
    # By hand: meeting = 1 open + 2 open at КП + won + lost #5 (meeting date) = 5; КП = 2 + won
    assert hit == [8, 5, 3]
    assert (won, lost) == (1, 2)


def test_probability_orders_stages_nobody_named_in_ordinary_words() -> None:
    names = {"Зелёный": 10, "Синий": 40, "Фиолетовый": 70}
    stage = ["Зелёный"] * 2 + ["Синий"] * 5 + ["Фиолетовый"] * 9
    frame = pd.DataFrame(
        {"Этап": stage, "Вероятность": [names[s] for s in stage], "Сумма": [100.0] * 16}
    )
    inference = infer_spec(frame)
    assert inference.spec.stage_names == ("Зелёный", "Синий", "Фиолетовый")
    assert codes(inference)["detect_order_evidence"]["basis"] == "probability"
    assert "stage_order" not in inference.spec.guessed


def test_numbered_stage_names_follow_their_numbers() -> None:
    stage = ["3. Альфа"] * 9 + ["1. Гамма"] * 2 + ["2. Бета"] * 5
    inference = infer_spec(pd.DataFrame({"Этап": stage}))
    assert inference.spec.stage_names == ("1. Гамма", "2. Бета", "3. Альфа")
    assert codes(inference)["detect_order_evidence"]["basis"] == "numbered"


def test_nothing_to_go_on_is_a_guess_said_with_its_reason() -> None:
    stage = ["Кайф"] * 2 + ["Драйв"] * 5 + ["Вайб"] * 9
    inference = infer_spec(pd.DataFrame({"Этап": stage}))
    assert inference.spec.stage_names == ("Вайб", "Драйв", "Кайф")  # most deals first
    guess = codes(inference)["detect_order_guess"]
    assert guess["reason"] == "frequency"
    assert "stage_order" in inference.spec.guessed
    assert Spec.from_yaml(inference.spec.to_yaml()).guessed == inference.spec.guessed


def test_one_unknown_stage_among_known_ones_is_named_in_the_guess() -> None:
    stage = ["Новая заявка"] * 4 + ["Кайф"] * 3 + ["Счёт выставлен"] * 6 + ["Встреча"] * 2
    inference = infer_spec(pd.DataFrame({"Этап": stage}))
    assert inference.spec.stage_names[:3] == ("Новая заявка", "Встреча", "Счёт выставлен")
    guess = codes(inference)["detect_order_guess"]
    assert guess["reason"] == "mixed"
    assert "Кайф" in guess["stages"]


def test_dates_that_contradict_the_names_are_flagged() -> None:
    # Deals at «Оплата» have fewer dates than those at «Заявка»: the dates win, flagged.
    frame = pd.DataFrame(
        {
            "Этап": ["Оплата"] * 4 + ["Заявка"] * 4,
            "Дата звонка": [None] * 4 + [D("2025-03-01")] * 4,
        }
    )
    inference = infer_spec(frame)
    assert inference.spec.stage_names == ("Оплата", "Заявка")
    assert codes(inference)["detect_order_guess"]["reason"] == "disagree"


def test_a_history_named_by_title_alone_counts_each_deal_once() -> None:
    rows = [
        ("Acme renewal", "Prospecting", "Prospecting", "2025-01-02"),
        ("Acme renewal", "Prospecting", "Qualification", "2025-01-09"),
        ("Acme renewal", "Qualification", "Qualification", "2025-01-10"),  # amount change
        ("Acme renewal", "Qualification", "Closed Won", "2025-01-20"),
        ("Beta deal", "Prospecting", "Prospecting", "2025-01-03"),
        ("Beta deal", "Prospecting", "Closed Lost", "2025-01-15"),
        ("Gamma", "Prospecting", "Prospecting", "2025-01-04"),
        ("Gamma", "Prospecting", "Qualification", "2025-01-05"),
        ("Gamma", "Qualification", "Needs Analysis", "2025-01-07"),
    ]
    frame = pd.DataFrame(
        rows, columns=["Opportunity Name", "From Stage", "To Stage", "Last Modified"]
    )
    frame["Last Modified"] = pd.to_datetime(frame["Last Modified"])
    inference, deals, hit, won, lost = reached(frame)
    assert inference.spec.layout == "history"
    assert inference.spec.stage_names == ("Prospecting", "Qualification", "Needs Analysis")
    assert len(deals) == 3
    # Beta was lost at Prospecting; Acme won (a win reached every stage); Gamma is at Needs.
    assert hit == [3, 2, 2]
    assert (won, lost) == (1, 1)
    assert codes(inference)["detect_history_by_title"]["column"] == "Opportunity Name"


def _leads_and_wins() -> tuple[pd.DataFrame, pd.DataFrame]:
    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i:03d}x" for i in range(10)],
            "first_contact_date": pd.date_range("2025-01-01", periods=10, freq="D"),
            "origin": ["organic_search", "paid_search", "social", "email", "referral"] * 2,
        }
    )
    wins = pd.DataFrame(
        {
            "lead_id": ["L001x", "L003x", "L003x", "L006x", "ZZZ1", "ZZZ2"],
            "won_date": pd.date_range("2025-03-01", periods=6, freq="D"),
            "business_segment": ["pet", "car", "car", "home", "pet", "toys"],
        }
    )
    return leads, wins


def test_a_closed_deals_list_marks_wins_on_a_lead_list() -> None:
    leads, wins = _leads_and_wins()
    inference, deals, hit, won, lost = reached(leads, wins)
    spec = inference.spec
    assert spec.events is not None and spec.events.stage in spec.won
    assert dict(spec.events.columns) == {"deal": "lead_id", "at": "won_date"}
    assert spec.columns["deal"] == "lead_id"
    # By hand: 10 leads, L001x, L003x (twice) and L006x won: 3 wins; 2 rows match no lead.
    assert hit == [10]
    assert (won, lost) == (3, 0)
    unmatched = next(n for n in deals.notices if n.code == "events_unmatched")
    assert unmatched.params == {"count": 2, "total": 6}
    by_origin = funnel(deals, "channel")
    won_by = dict(zip([lab[0] for lab in by_origin.labels], by_origin.won.tolist(), strict=True))
    assert won_by == {"paid_search": 2, "email": 1, "organic_search": 0, "referral": 0,
                      "social": 0}  # fmt: skip


def test_spec_events_in_the_contract_forms() -> None:
    text = """
columns: {title: Opportunity Name}
stages: [Prospecting, Qualification]
won: [Closed Won]
events: {columns: {deal: Opportunity Name, stage: To Stage, at: Last Modified}, join: title}
"""
    spec = Spec.from_yaml(text)
    assert spec.events is not None
    assert dict(spec.events.columns) == {
        "title": "Opportunity Name",
        "stage": "To Stage",
        "at": "Last Modified",
    }
    marks = Spec.from_yaml(
        "columns: {deal: id}\nstages: [Lead]\nwon: [Won]\n"
        "events: {columns: {deal: id, at: paid_on}, stage: Won}\n"
    )
    assert marks.events is not None and marks.events.stage == "Won"
    assert marks.layout == "snapshot"
    assert Spec.from_yaml(marks.to_yaml()) == marks


def test_a_mark_naming_no_stage_is_refused_with_its_name() -> None:
    leads, wins = _leads_and_wins()
    spec = Spec.from_yaml(
        "columns: {deal: lead_id}\nstages: [Lead]\nwon: [Won]\n"
        "events: {columns: {deal: lead_id, at: won_date}, stage: Paid}\n"
    )
    with pytest.raises(Exception, match="Paid"):
        prepare(leads, spec, events=wins)


def test_cli_infer_and_report_with_a_second_file(tmp_path, capsys) -> None:
    leads, wins = _leads_and_wins()
    leads.to_csv(tmp_path / "leads.csv", index=False)
    wins.to_csv(tmp_path / "closed.csv", index=False)
    assert (
        main(["infer", str(tmp_path / "leads.csv"), "--events", str(tmp_path / "closed.csv")]) == 0
    )
    (tmp_path / "spec.yaml").write_text(capsys.readouterr().out, encoding="utf-8")
    argv = ["report", str(tmp_path / "leads.csv"), "--spec", str(tmp_path / "spec.yaml"),
            "--events", str(tmp_path / "closed.csv"), "--by", "channel"]  # fmt: skip
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"]["won"] == 3
    assert any("2 of 6 rows" in w for w in report["warnings"])
    paid = next(s for s in report["segments"] if s["labels"] == {"channel": "paid_search"})
    assert paid["won"] == 2


def test_report_says_the_order_is_a_guess(tmp_path, capsys) -> None:
    frame = pd.DataFrame({"Этап": ["Кайф"] * 2 + ["Драйв"] * 5 + ["Вайб"] * 9})
    frame.to_csv(tmp_path / "deals.csv", index=False)
    assert main(["infer", str(tmp_path / "deals.csv")]) == 0
    yaml_text = capsys.readouterr().out
    assert "guessed:" in yaml_text and "# 'guessed'" in yaml_text
    (tmp_path / "spec.yaml").write_text(yaml_text, encoding="utf-8")
    assert main(["report", str(tmp_path / "deals.csv"), "--spec", str(tmp_path / "spec.yaml")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "stage_order" in report["guessed"]
    assert any("stage order is a guess" in w for w in report["warnings"])


@pytest.mark.parametrize(
    ("header", "values", "role"),
    [
        ("sales_agent", ["Moses Frase", "Darcel Schlecht", "Anna Snelling"], "owner"),
        ("Менеджер", ["Иванов И.", "Петрова А."], "owner"),
        ("Куратор", ["Анна Смирнова", "Пётр Иванов"], "owner"),
        ("Deal Type", ["New Business", "Existing Business"], None),
        ("Тип сделки", ["Новый клиент", "Повторная продажа"], None),
    ],
)
def test_roles_by_value(header: str, values: list[str], role: str | None) -> None:
    n = 12
    frame = pd.DataFrame(
        {
            "Stage": ["Demo", "Proposal", "Closed Won"] * (n // 3),
            header: [values[i % len(values)] for i in range(n)],
            "Amount": np.arange(1, n + 1) * 100.0,
        }
    )
    guess = next(g for g in infer_spec(frame).guesses if g.column == header)
    assert guess.role == role


@pytest.mark.parametrize(
    "headers",
    [
        ("Дата", "Сделка", "Статус", "Менеджер"),
        ("Timestamp", "Deal", "New status", "Owner"),
        ("Дата изменения", "Клиент", "Новый статус", "Ответственный"),
    ],
)
def test_a_status_log_kept_by_hand_is_a_history(headers, tmp_path) -> None:
    """A Google Sheets log: one row per status change, deals named, rows in any order."""
    from funnel.io.readers import read_table

    stages = ["Новый лид", "Квалифицирован", "Встреча", "Отправлено КП", "Выставлен счёт"]
    rng = np.random.default_rng(7)
    rows, truth = [], []
    for d in range(90):
        furthest = int(rng.integers(0, 5))
        outcome = str(rng.choice(["won", "lost", "open"]))
        t = pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(rng.integers(0, 60)))
        for k in range(furthest + 1):
            rows.append((t, f"Сделка {d}", stages[k], "Анна Петрова"))
            t += pd.Timedelta(hours=int(rng.integers(2, 90)))
        if outcome != "open":
            rows.append((t, f"Сделка {d}", "Оплачено" if outcome == "won" else "Отказ", "Анна"))
        truth.append((furthest, outcome))
    log = pd.DataFrame(rows, columns=list(headers)).sample(frac=1, random_state=3)
    log[headers[0]] = log[headers[0]].dt.strftime("%d.%m.%Y %H:%M")
    log.to_csv(tmp_path / "log.csv", index=False)
    frame = read_table(tmp_path / "log.csv").frame
    inference, _deals, hit, won, lost = reached(frame)
    expected = pd.DataFrame(truth, columns=["furthest", "outcome"])
    expected_hit = [
        int(((expected.furthest >= k) | (expected.outcome == "won")).sum()) for k in range(5)
    ]
    assert inference.spec.stage_names == tuple(stages)
    assert inference.spec.won == ("Оплачено",) and inference.spec.lost == ("Отказ",)
    assert hit == expected_hit
    assert won == int((expected.outcome == "won").sum())
    assert lost == int((expected.outcome == "lost").sum())


@pytest.mark.parametrize(
    ("amounts", "currencies"),
    [
        (["1 200 ₽", "350 000 руб.", "5000", "90 000 р."], {"RUB": 4}),
        (["$1,200", "$950", "€400", "€1,000"], {"USD": 2, "EUR": 2}),
        (["1200", "950", "400", "1000"], None),
    ],
)
def test_currency_typed_into_the_amounts_is_kept(amounts, currencies) -> None:
    frame = pd.DataFrame(
        {
            "Stage": ["Demo", "Proposal", "Closed Won", "Closed Won"],
            "Amount": amounts,
        }
    ).astype(str)
    from funnel.values import coerce_frame

    typed = coerce_frame(frame)
    spec = infer_spec(typed).spec
    if currencies is None:
        assert "currency" not in spec.columns
        return
    assert spec.columns["currency"] == "Amount · currency"
    assert typed["Amount · currency"].value_counts().to_dict() == currencies


# ---- cases an independent review found (files nobody here made) ----


@pytest.mark.parametrize(
    ("won_value", "lost_value", "open_value"),
    [
        ("07 - Closed Won", "08 - Closed Lost", "03 - Demo"),
        ("Closed - won", "Closed - lost", "Active"),
        ("Закрыто: успешно", "Закрыто: не реализовано", "В работе"),
    ],
)
def test_outcome_words_in_any_dress(won_value, lost_value, open_value) -> None:
    frame = pd.DataFrame(
        {
            "Stage": ["01 - Lead", "02 - Qualified", "03 - Demo", open_value]
            + [won_value] * 3
            + [lost_value] * 2,
        }
    )
    spec = infer_spec(frame).spec
    assert won_value in spec.won and lost_value in spec.lost
    assert won_value not in spec.stage_names and lost_value not in spec.stage_names


def test_a_probability_typed_as_text_orders_the_stages() -> None:
    pct = {"Scoping": "20%", "Discovery": "10%", "Closing": "90 %", "Paper process": "70%"}
    stage = ["Closing"] * 9 + ["Paper process"] * 7 + ["Scoping"] * 4 + ["Discovery"] * 2
    frame = pd.DataFrame({"Stage": stage, "Win probability": [pct[s] for s in stage]})
    inference = infer_spec(frame)
    assert inference.spec.stage_names == ("Discovery", "Scoping", "Paper process", "Closing")
    assert "stage_order" not in inference.spec.guessed


def test_a_status_header_holding_stages_is_the_stage_column() -> None:
    # Kommo's English UI heads the pipeline stage column "Status".
    status = ["Incoming leads"] * 2 + ["Initial contact"] * 3 + ["Discussions"] * 4
    status += ["Decision making"] * 5 + ["Closed - won"] * 3 + ["Closed - lost"] * 3
    inference = infer_spec(pd.DataFrame({"Status": status, "Budget": [100.0] * len(status)}))
    assert inference.spec.columns["stage"] == "Status"
    assert inference.spec.stage_names == (
        "Incoming leads",
        "Initial contact",
        "Discussions",
        "Decision making",
    )
    assert inference.spec.won == ("Closed - won",)


def test_a_register_with_no_status_takes_payment_and_refusal_dates() -> None:
    """«Дата полной оплаты» is the win, «Дата отказа» the loss; counted by hand."""
    frame = pd.DataFrame(
        {
            "Клиент": [f"К{i}" for i in range(8)],
            "Дата обращения": [D("2025-01-01")] * 8,
            "Дата консультации": [D("2025-01-03")] * 6 + [None] * 2,
            "Дата договора": [D("2025-01-05")] * 4 + [None] * 4,
            "Дата полной оплаты": [D("2025-01-09")] * 2 + [None] * 6,
            "Дата отказа": [None] * 2
            + [D("2025-01-07"), None, D("2025-01-04"), None]
            + [D("2025-01-02"), None],
        }
    )
    inference, _deals, hit, won, lost = reached(frame)
    assert inference.spec.stage_names == ("Обращение", "Консультация", "Договор")
    assert inference.spec.columns["won_at"] == "Дата полной оплаты"
    assert inference.spec.columns["lost_at"] == "Дата отказа"
    assert hit == [8, 6, 4]
    assert (won, lost) == (2, 3)


def test_a_log_named_by_a_long_header_with_an_updated_column() -> None:
    rows = [
        ("Acme - deal 1", "New", "2024-02-01"),
        ("Acme - deal 1", "Qualified", "2024-02-03"),
        ("Acme - deal 1", "Won", "2024-02-09"),
        ("Initech - deal 2", "New", "2024-02-02"),
        ("Initech - deal 2", "Lost", "2024-02-05"),
        ("Globex - deal 3", "New", "2024-02-04"),
        ("Globex - deal 3", "Qualified", "2024-02-06"),
    ]
    frame = pd.DataFrame(rows, columns=["Company / deal", "Status", "Updated"])
    frame["Updated"] = pd.to_datetime(frame["Updated"])
    inference, deals, hit, won, lost = reached(frame)
    assert inference.spec.layout == "history" and len(deals) == 3
    assert hit == [3, 2] and (won, lost) == (1, 1)


@pytest.mark.parametrize(
    ("header", "stage"),
    [
        ("Дата выезда", "Выезд"),
        ("Дата полной оплаты", "Полная оплата"),
        ("Дата консультации", "Консультация"),
        ("Дата Встреча назначена", "Встреча назначена"),
        ("Дата: Счёт выставлен", "Счёт выставлен"),
    ],
)
def test_stage_names_from_date_headers(header: str, stage: str) -> None:
    from funnel.detect.columns import parse_stage_date_header

    parsed = parse_stage_date_header(header, False)
    assert parsed is not None and parsed[0] == stage


def test_no_outcome_at_all_is_said_in_the_report(tmp_path, capsys) -> None:
    frame = pd.DataFrame({"Этап": ["Новая заявка"] * 3 + ["Встреча"] * 5 + ["Счёт выставлен"] * 2})
    frame.to_csv(tmp_path / "deals.csv", index=False)
    assert main(["infer", str(tmp_path / "deals.csv")]) == 0
    (tmp_path / "spec.yaml").write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["report", str(tmp_path / "deals.csv"), "--spec", str(tmp_path / "spec.yaml")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "outcomes" in report["guessed"]
    assert any("every deal counts as open" in w for w in report["warnings"])


def test_a_stage_after_transition_words_keeps_its_name() -> None:
    from funnel.detect.columns import parse_stage_date_header

    parsed = parse_stage_date_header("Дата перехода в Заявка", False)
    assert parsed is not None and parsed[0] == "Заявка"
