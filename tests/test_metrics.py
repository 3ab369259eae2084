"""Funnel numbers on small hand-counted frames, in every layout, and invariants on random ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel.errors import SpecError
from funnel.metrics import funnel
from funnel.overtime.velocity import durations
from funnel.prepare import prepare
from funnel.spec import Spec
from funnel.values import encode_labels

AMO_SPEC = Spec.from_yaml(
    """
columns: {deal: ID, stage: Этап сделки, channel: Источник, amount: "Бюджет ", created: Создана}
stages:
  - name: Первичный контакт
    match: [Первичный контакт, Неразобранное]
  - Переговоры
  - Счёт выставлен
won: [Успешно реализовано]
lost: [Закрыто и не реализовано]
"""
)


def amo_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": [1, 2, 3, 4, 5, 6, 7, 8],
            "Этап сделки": [
                "Неразобранное",
                "Счёт выставлен",
                "Закрыто и не реализовано",
                "Успешно реализовано",
                "Переговоры",
                "счёт  выставлен",  # spelling drift: same stage
                "Отложено",  # not in the spec: left out with a notice
                "Успешно реализовано",
            ],
            "Источник": ["Email", "email ", None, "Звонки", "Звонки", "Email", "Email", "Email"],
            "Бюджет ": [100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 50.0],
            "Создана": pd.to_datetime(["2025-01-05"] * 4 + ["2025-02-10"] * 4),
        }
    )


def test_snapshot_hand_counted():
    deals = prepare(amo_frame(), AMO_SPEC)
    total = funnel(deals)
    # Deals kept: 1,2,3,4,5,6,8 (7 is unmapped). 3 is lost at an unknown stage -> first stage.
    assert total.deals[0] == 7
    assert total.reached[0].tolist() == [7, 5, 4]  # 2,4,5,6,8 ; 2,4,6,8
    assert (total.won[0], total.lost[0], total.open[0]) == (2, 1, 4)
    assert total.lost_stage_unknown[0] == 1
    assert total.won_amount[0, 0] == 450.0
    assert total.open_amount[0, 0] == 100 + 200 + 500 + 600
    assert total.open_at[0].tolist() == [1, 1, 2]
    assert total.lost_at[0].tolist() == [1, 0, 0]
    np.testing.assert_allclose(total.step_conversion[0], [5 / 7, 4 / 5, 2 / 4])
    # Decided: open deals sitting at the stage leave the denominator.
    np.testing.assert_allclose(total.step_conversion_decided[0], [5 / 6, 4 / 4, 2 / 2])
    np.testing.assert_allclose(total.pct_of_top[0], [1, 5 / 7, 4 / 7])
    assert total.drop_off[0].tolist() == [2, 1, 2]
    codes = {n.code: n for n in deals.notices}
    assert codes["unmapped_stage"].params["values"] == {"Отложено": 1}
    assert codes["lost_stage_unknown"].params == {"count": 1, "lost": 1}


def test_breakdown_keeps_none_segment_and_groups_spellings():
    by = funnel(prepare(amo_frame(), AMO_SPEC), "channel")
    assert by.labels == (("Email",), ("Звонки",), ("(none)",))
    assert by.deals.tolist() == [4, 2, 1]
    assert by.won.tolist() == [1, 1, 0]
    total = funnel(prepare(amo_frame(), AMO_SPEC))
    assert (by.at.sum(axis=0) == total.at[0]).all()


def test_two_dimensions_and_month():
    deals = prepare(amo_frame(), AMO_SPEC)
    both = funnel(deals, ["channel", "month"])
    assert set(both.labels) == {
        ("Email", "2025-01"),
        ("Email", "2025-02"),
        ("Звонки", "2025-01"),
        ("Звонки", "2025-02"),
        ("(none)", "2025-01"),
    }
    assert both.deals.sum() == 7
    assert funnel(deals, "Этап сделки").deals.sum() == 7  # any source column works


def test_weeks_run_monday_to_sunday():
    frame = amo_frame()
    # Sunday 2 March 2025 closes a week; Monday 3 March opens the next one. Deal 7 (index 6)
    # is at a stage outside the spec and left out.
    frame["Создана"] = pd.to_datetime(
        ["2025-03-02", "2025-03-03", "2025-03-09", "2025-03-10"] + ["2025-03-03"] * 4
    )
    weeks = funnel(prepare(frame, AMO_SPEC), "week")
    sizes = dict(zip([label[0] for label in weeks.labels], weeks.deals.tolist(), strict=True))
    assert sizes == {
        "2025-02-24/2025-03-02": 1,
        "2025-03-03/2025-03-09": 5,
        "2025-03-10/2025-03-16": 1,
    }


def test_pipedrive_lost_keeps_its_stage():
    frame = pd.DataFrame(
        {
            "Deal - Stage": [
                "Qualified",
                "Proposal Made",
                "Proposal Made",
                "Negotiation",
                "Qualified",
            ],
            "Deal - Status": ["Open", "Lost", "Won", "Lost", "Lost"],
            "Deal - Value": [10, 20, 30, 40, 50],
        }
    )
    spec = Spec.from_dict(
        {
            "columns": {
                "stage": "Deal - Stage",
                "status": "Deal - Status",
                "amount": "Deal - Value",
            },
            "stages": ["Qualified", "Proposal Made", "Negotiation"],
            "won": ["Won"],
            "lost": ["Lost"],
        }
    )
    deals = prepare(frame, spec)
    total = funnel(deals)
    assert total.reached[0].tolist() == [5, 3, 2]
    assert total.lost_at[0].tolist() == [1, 1, 1]
    assert total.lost_stage_unknown[0] == 0
    assert total.won_amount[0, 0] == 30
    assert total.lost_amount[0, 0] == 20 + 40 + 50
    assert not [n for n in deals.notices if n.code == "lost_stage_unknown"]


def test_lost_stage_column_places_lost_deals():
    frame = amo_frame().assign(
        **{"Этап отказа": [None, None, "Переговоры", None, None, None, None, None]}
    )
    spec = Spec.from_dict(
        {**AMO_SPEC.to_dict(), "columns": {**AMO_SPEC.columns, "lost_stage": "Этап отказа"}}
    )
    total = funnel(prepare(frame, spec))
    assert total.lost_stage_unknown[0] == 0
    assert total.lost_at[0].tolist() == [0, 1, 0]
    assert total.reached[0].tolist() == [7, 6, 4]


def register_frame() -> pd.DataFrame:
    d = pd.to_datetime
    return pd.DataFrame(
        {
            "Клиент": ["A", "B", "C", "D", "E"],
            "Дата: Интерес": d(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", None]),
            "Дата: Счёт": d(["2025-01-11", None, "2025-01-05", None, None]),
            "Дата: Оплата": d(["2025-01-21", None, None, "2025-01-30", None]),
            "Статус": ["Успешно", "Отказ", "Отказ", "В работе", "В работе"],
        }
    )


REGISTER_SPEC = Spec.from_yaml(
    """
columns: {title: Клиент, status: Статус}
stages:
  - {name: Интерес, column: "Дата: Интерес"}
  - {name: Счёт, column: "Дата: Счёт"}
  - {name: Оплата, column: "Дата: Оплата"}
won: [Успешно]
lost: [Отказ]
"""
)


def test_stage_dates_layout():
    deals = prepare(register_frame(), REGISTER_SPEC)
    assert REGISTER_SPEC.layout == "stage_dates"
    total = funnel(deals)
    # E has no date at all and is open: it cannot be placed and is left out with a notice.
    assert total.deals[0] == 4
    # D skipped Счёт but reached Оплата: Счёт counts as reached.
    assert total.reached[0].tolist() == [4, 3, 2]
    assert total.lost_at[0].tolist() == [1, 1, 0]  # B lost at Интерес, C at Счёт
    assert total.lost_stage_unknown[0] == 0
    times = durations(deals)
    assert times is not None
    # Интерес -> next entered stage: A 10 days, C 2 days, D 26 days (skipped Счёт) -> median 10
    assert times.step_median[0] == 10
    assert times.step_median[1] == 10  # A only: 11 -> 21
    assert times.to_win_median == 20  # A: created 01.01 (first stage) to Оплата 21.01
    assert {n.code for n in deals.notices} >= {"unmapped_stage"}


def test_history_alone_bitrix():
    events = pd.DataFrame(
        {
            "OWNER_ID": [1, 1, 1, 2, 2, 3, 3, 3, 4],
            "STAGE_ID": [
                "NEW",
                "PREPARATION",
                "WON",
                "NEW",
                "LOSE",
                "NEW",
                "PREPARATION",
                "PREPAYMENT_INVOICE",
                "LOSE",
            ],
            "CREATED_TIME": pd.to_datetime(
                [
                    "2025-01-01",
                    "2025-01-03",
                    "2025-01-10",
                    "2025-01-02",
                    "2025-01-04",
                    "2025-01-01",
                    "2025-01-02",
                    "2025-01-06",
                    "2025-01-08",
                ]
            ),
        }
    )
    spec = Spec.from_dict(
        {
            "columns": {"deal": "OWNER_ID", "stage": "STAGE_ID", "at": "CREATED_TIME"},
            "stages": ["NEW", "PREPARATION", "PREPAYMENT_INVOICE"],
            "won": ["WON"],
            "lost": ["LOSE"],
        }
    )
    deals = prepare(events, spec)
    total = funnel(deals)
    # Deal 4 has only a LOSE event: lost at an unknown stage.
    assert total.deals[0] == 4
    assert total.reached[0].tolist() == [4, 2, 2]
    # Deal 3's last event is PREPAYMENT_INVOICE: still open there.
    assert (total.won[0], total.lost[0], total.lost_stage_unknown[0]) == (1, 2, 1)
    assert total.lost_at[0].tolist() == [2, 0, 0]
    assert total.open_at[0].tolist() == [0, 0, 1]
    times = durations(deals)
    assert times is not None and times.step_median[0] == 1.5  # deal 1: 2 days, deal 3: 1 day


def test_history_joined_on_title_salesforce():
    opportunities = pd.DataFrame(
        {
            "Opportunity Name": ["Acme", "Globex", "Initech"],
            "Lead Source": ["Web", "Partner", "Web"],
            "Amount": [1000.0, 2000.0, 3000.0],
            "Stage": ["Closed Won", "Negotiation/Review", "Prospecting"],
        }
    )
    history = pd.DataFrame(
        {
            "Opportunity Name": ["Acme", "Acme", "Acme", "Globex", "Globex", "Globex"],
            "To Stage": [
                "Prospecting",
                "Negotiation/Review",
                "Closed Won",
                "Prospecting",
                "Negotiation/Review",
                "Negotiation/Review",
            ],
            "Last Modified": pd.to_datetime(
                ["2025-03-01", "2025-03-05", "2025-03-09", "2025-03-02", "2025-03-04", "2025-03-20"]
            ),
        }
    )
    spec = Spec.from_dict(
        {
            "columns": {
                "title": "Opportunity Name",
                "channel": "Lead Source",
                "amount": "Amount",
                "stage": "Stage",
            },
            "stages": ["Prospecting", "Negotiation/Review"],
            "won": ["Closed Won"],
            "lost": ["Closed Lost"],
            "events": {
                "columns": {
                    "title": "Opportunity Name",
                    "stage": "To Stage",
                    "at": "Last Modified",
                },
                "join": "title",
            },
        }
    )
    deals = prepare(opportunities, spec, events=history)
    total = funnel(deals)
    assert total.deals[0] == 3  # Initech has no history: its snapshot stage is used
    assert total.reached[0].tolist() == [3, 2]
    assert total.won[0] == 1 and total.won_amount[0, 0] == 1000.0
    web = funnel(deals, "channel")
    assert dict(zip([lab[0] for lab in web.labels], web.deals.tolist(), strict=True)) == {
        "Web": 2,
        "Partner": 1,
    }


def test_filter_and_multi_currency():
    frame = pd.DataFrame(
        {
            "Воронка": ["Двери", "Двери", "Флешки", "двери "],
            "Этап": ["A", "Won", "Won", "Won"],
            "Сумма": [1.0, 2.0, 3.0, 4.0],
            "Валюта": ["RUB", "RUB", "RUB", "USD"],
        }
    )
    spec = Spec.from_dict(
        {
            "columns": {
                "pipeline": "Воронка",
                "stage": "Этап",
                "amount": "Сумма",
                "currency": "Валюта",
            },
            "stages": ["A"],
            "won": ["Won"],
            "filter": {"pipeline": ["Двери"]},
        }
    )
    deals = prepare(frame, spec)
    assert len(deals) == 3
    total = funnel(deals)
    assert dict(zip(total.currencies, total.won_amount[0], strict=True)) == {"RUB": 2.0, "USD": 4.0}
    assert any(n.code == "filtered_out" for n in deals.notices)


def test_missing_column_names_it_and_suggests():
    spec = Spec.from_dict({**AMO_SPEC.to_dict(), "columns": {"stage": "Этап", "amount": "Бюджет "}})
    with pytest.raises(SpecError) as info:
        prepare(amo_frame(), spec, source="deals.xlsx")
    err = info.value
    assert err.code == "missing_column" and err.column in ("Этап", "Бюджет")
    assert "deals.xlsx" in str(err) and "did you mean 'Этап сделки'" in str(err)


def test_headers_differing_only_in_spacing_still_match():
    spec = Spec.from_dict(
        {**AMO_SPEC.to_dict(), "columns": {**AMO_SPEC.columns, "amount": "Бюджет"}}
    )
    assert funnel(prepare(amo_frame(), spec)).won_amount[0, 0] == 450.0


def test_grouped_folds_blocks():
    spec = Spec.from_dict(
        {
            "columns": {"stage": "s"},
            "stages": [
                {"name": "a", "group": "G1"},
                {"name": "b", "group": "G1"},
                {"name": "c", "group": "G2"},
            ],
            "won": ["w"],
        }
    )
    deals = prepare(pd.DataFrame({"s": ["a", "b", "b", "c", "w"]}), spec)
    g = funnel(deals).grouped()
    assert g.stages == ("G1", "G2")
    assert g.reached[0].tolist() == [5, 2]


def test_encode_labels_table():
    enc = encode_labels(pd.Series(["Ёлка", "елка", "  ЕЛКА", None, "", "Сосна"]))
    assert [enc.labels[c] for c in enc.codes] == [
        "Ёлка",
        "Ёлка",
        "Ёлка",
        "(none)",
        "(none)",
        "Сосна",
    ]


# ---- invariants ------------------------------------------------------------------------------

STAGES = ["s0", "s1", "s2", "s3"]
RANDOM_SPEC = Spec.from_dict(
    {
        "columns": {"stage": "stage", "channel": "ch", "amount": "amt"},
        "stages": STAGES,
        "won": ["won"],
        "lost": ["lost"],
    }
)

deal_rows = st.lists(
    st.tuples(
        st.sampled_from([*STAGES, "won", "lost"]),
        st.sampled_from(["Email", "Звонки", "Выставка", None]),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
    ),
    min_size=1,
    max_size=60,
)


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["stage", "ch", "amt"])


@settings(max_examples=80, deadline=None)
@given(deal_rows)
def test_invariants(rows):
    deals = prepare(_frame(rows), RANDOM_SPEC)
    total = funnel(deals)
    by = funnel(deals, "channel", drop_empty=False)
    reached = total.reached[0]
    assert (np.diff(reached) <= 0).all(), "reached never grows along the funnel"
    assert reached[0] == total.deals[0] == len(rows)
    for rate in (total.step_conversion, total.step_conversion_decided, total.pct_of_top):
        finite = rate[np.isfinite(rate)]
        assert ((finite >= 0) & (finite <= 1)).all()
    lo, hi = total.step_interval
    ok = np.isfinite(lo)
    assert (lo[ok] <= total.step_conversion[ok] + 1e-12).all()
    assert (total.step_conversion[ok] <= hi[ok] + 1e-12).all()
    assert (by.at.sum(axis=0) == total.at[0]).all(), "segments add up to the total"
    np.testing.assert_allclose(by.amount_at.sum(axis=0), total.amount_at[0])
    assert total.won[0] + total.lost[0] + total.open[0] == total.deals[0]


@settings(max_examples=40, deadline=None)
@given(deal_rows, st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a = funnel(prepare(_frame(rows), RANDOM_SPEC), "channel")
    b = funnel(prepare(_frame(shuffled), RANDOM_SPEC), "channel")
    order_a = sorted(range(len(a.labels)), key=lambda g: a.labels[g])
    order_b = sorted(range(len(b.labels)), key=lambda g: b.labels[g])
    assert (a.at[order_a] == b.at[order_b]).all()
    np.testing.assert_allclose(a.amount_at[order_a], b.amount_at[order_b])


def test_history_rows_without_a_deal_are_not_a_deal():
    events = pd.DataFrame(
        {
            "deal": [1, 1, None, None],
            "stage": ["NEW", "WON", "NEW", "LOSE"],
            "at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"]),
        }
    )
    spec = Spec.from_dict(
        {
            "columns": {"deal": "deal", "stage": "stage", "at": "at"},
            "stages": ["NEW"],
            "won": ["WON"],
            "lost": ["LOSE"],
        }
    )
    total = funnel(prepare(events, spec))
    assert (total.deals[0], total.won[0], total.lost[0]) == (1, 1, 0)


def test_a_spec_without_stages_is_an_error_not_an_empty_funnel():
    spec = Spec(columns={"amount": "Бюджет "}, stages=())
    with pytest.raises(SpecError) as info:
        prepare(amo_frame(), spec, source="склад.csv")
    assert info.value.code == "no_stages" and "склад.csv" in str(info.value)


def test_stage_table_reads_like_the_chart():
    from funnel.report.summary import stage_table

    table = stage_table(funnel(prepare(amo_frame(), AMO_SPEC)), won_label="won")
    assert table["stage"].tolist()[-1] == "won"
    assert table["reached"].tolist() == [7, 5, 4, 2]
    # each row's % of previous is what the chart prints on that bar
    np.testing.assert_allclose(table["pct_of_previous"].tolist()[1:], [5 / 7, 4 / 5, 2 / 4])
    assert np.isnan(table["pct_of_previous"][0])
    assert table["reached_amount"].tolist()[-1] == 450.0


def test_average_won_deal_leaves_blank_amounts_out():
    from funnel.diagnostics import improve_step

    frame = amo_frame()
    # Won: deal 4 (400) and deal 8, whose amount is now blank: the average is 400, not 200.
    frame.loc[7, "Бюджет "] = None
    deals = prepare(frame, AMO_SPEC)
    counts = funnel(deals)
    assert counts.won[0] == 2 and counts.won_amount[0, 0] == 400
    assert counts.avg_won_amount[0, 0] == 400
    for view in (counts.known(), counts.grouped(), counts.select([0])):
        assert view.avg_won_amount[0, 0] == 400
    by_channel = funnel(deals, "channel")
    email = [lab[0] for lab in by_channel.labels].index("Email")
    assert np.isnan(by_channel.avg_won_amount[email, 0])  # its only win has no amount
    # The what-if prices extra wins at that average.
    uplift = improve_step(counts.known(), 0, 0, 1.0)
    assert uplift.extra_won_amount == pytest.approx(uplift.extra_won * 400)
