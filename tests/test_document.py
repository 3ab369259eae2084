"""The client report as data: hand-counted numbers on a small file, and which sections the data
fills or leaves out (funnel/document/content.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from funnel.document.content import client_report
from funnel.prepare import prepare
from funnel.spec import Spec, Stage

# Two channels of 40 deals through stages A -> B -> C -> won, counted by hand:
#                lost at A  open at A  lost at B  open at B  lost at C  open at C  won
#   Сайт              10         5          5          5          3          2      10
#   Звонки            25         3          4          2          1          1       4
# reached A = 80, B = 80 - 35 - 8 = 37, C = 37 - 9 - 7 = 21, won = 21 - 4 - 3 = 14.
# Won deals are worth 100 000, every other deal 50 000.
PLAN = {
    "Сайт": {"lost": {"A": 10, "B": 5, "C": 3}, "open": {"A": 5, "B": 5, "C": 2}, "won": 10},
    "Звонки": {"lost": {"A": 25, "B": 4, "C": 1}, "open": {"A": 3, "B": 2, "C": 1}, "won": 4},
}
SPEC = Spec(
    columns={
        "channel": "Канал",
        "product": "Продукт",
        "stage": "Этап",
        "lost_stage": "Этап отказа",
        "amount": "Сумма",
        "title": "Сделка",
    },
    stages=(Stage("A"), Stage("B"), Stage("C")),
    won=("Успех",),
    lost=("Отказ",),
)


def small_frame(channels: dict[str, str] | None = None, product: str = "Двери") -> pd.DataFrame:
    """The table above; ``channels`` renames the two channels (hostile names, one name)."""
    rename = channels or {}
    rows = []
    for channel, counts in PLAN.items():
        name = rename.get(channel, channel)
        for stage, n in counts["lost"].items():
            rows += [(name, "Отказ", stage, 50_000)] * n
        for stage, n in counts["open"].items():
            rows += [(name, stage, None, 50_000)] * n
        rows += [(name, "Успех", None, 100_000)] * counts["won"]
    frame = pd.DataFrame(rows, columns=["Канал", "Этап", "Этап отказа", "Сумма"])
    frame["Продукт"] = product
    frame["Сделка"] = [f"Сделка {i}" for i in range(len(frame))]
    return frame


@pytest.fixture(scope="module")
def small():
    return prepare(small_frame(), SPEC)


def test_totals_and_stage_table_counted_by_hand(small):
    report = client_report(small, language="ru", made=date(2026, 12, 4))
    total = report.funnels[0]
    assert (total.deals, total.won, total.lost, total.open) == (80, 14, 48, 18)
    assert total.won_amount == 14 * 100_000
    assert total.open_amount == 18 * 50_000
    assert total.lost_amount == 48 * 50_000
    table = total.table
    assert list(table["stage"]) == ["A", "B", "C", "Выиграно"]
    assert list(table["reached"]) == [80, 37, 21, 14]
    assert list(table["lost_at"][:3]) == [35, 9, 4]
    assert list(table["open_at"][:3]) == [8, 7, 3]
    assert table["pct_of_previous"][1] == pytest.approx(37 / 80)
    assert table["pct_of_top"][3] == pytest.approx(14 / 80)
    assert total.win_rate == pytest.approx(14 / 80)
    assert total.win_rate_decided == pytest.approx(14 / (14 + 48))


def test_the_cover_names_source_filters_and_date(small):
    report = client_report(
        small,
        title="ООО «Ромашка»",
        source="deals.xlsx",
        filters={"channel": ["Сайт"], "owner": []},
        made=date(2026, 12, 4),
        language="en",
    )
    cover = report.cover
    assert (cover.title, cover.source, cover.made, cover.language) == (
        "ООО «Ромашка»",
        "deals.xlsx",
        date(2026, 12, 4),
        "en",
    )
    assert cover.filters == (("channel", ("Сайт",)),)  # an empty filter is no filter
    assert cover.deals == 80
    assert (cover.period_from, cover.period_to) == (None, None)  # no dates in the file


def test_a_pages_filters_and_mask(small):
    from funnel.filters import Filters, mask

    chosen = Filters(created_from=date(2026, 1, 1), values={"channel": ("Сайт",)})
    report = client_report(small, mask=mask(small, chosen), filters=chosen)
    # The mask keeps Сайт's 40 deals (no creation dates here, so the date bound keeps none
    # out: see funnel.filters.mask); the cover names both filters.
    assert report.funnels[0].deals == 40 and report.funnels[0].won == 10
    assert report.cover.filters == (("channel", ("Сайт",)),)
    assert (report.cover.created_from, report.cover.created_to) == (date(2026, 1, 1), None)
    assert report.comparisons == ()  # one channel left


def test_the_biggest_leak_and_what_fixing_it_is_worth(small):
    report = client_report(small, by="channel")
    leaks = report.leaks
    assert leaks is not None
    first = leaks.leaks[0]
    assert (first.stage_from, first.stage_to, first.lost_deals) == ("A", "B", 35)
    # Decided step A: passed 37 of 80 - 8 open.
    assert first.rate == pytest.approx(37 / 72)
    # Сайт passes A at 25 of 35 decided, Звонки at 12 of 37; Звонки raised to Сайт's rate
    # goes on at its own decided rates: B 6 of 10, C 4 of 5, and a won deal is 100 000.
    assert (first.best_segment, first.worst_segment) == ("Сайт", "Звонки")
    extra = 37 * (25 / 35 - 12 / 37) * (6 / 10) * (4 / 5)
    worth = leaks.worth.set_index("step").loc[0]
    assert worth["basis"] == "best"
    assert worth["extra_won"] == pytest.approx(extra)
    assert worth["extra_won_amount"] == pytest.approx(extra * 100_000)
    found = [f for f in report.conclusions if f.code == "leak"]
    assert found[0].params["lost"] == 35
    assert found[0].params["extra_won"] == pytest.approx(extra)


def test_reliably_better_and_worse_channels(small):
    report = client_report(small, by="channel")
    # A -> B: Сайт 25 of 40, Звонки 12 of 40: z = 2.9, p = 0.004, 0.011 after BH over 6 cells.
    verdicts = {
        (f.code, f.params["segment"], f.params["step"])
        for f in report.conclusions
        if f.code in ("better", "worse")
    }
    assert ("better", "Сайт", "A → B") in verdicts
    assert ("worse", "Звонки", "A → B") in verdicts
    part = report.comparisons[0]
    assert part.by == "channel"
    assert sorted(part.segments["deals"]) == [40, 40]
    assert part.multiples["facet"] and part.heatmap["layer"]  # Vega-Lite dicts of the charts


def test_sections_follow_the_data(small):
    report = client_report(small)
    # No dates: no trends, no before/after, no velocity; one product: only channels compared.
    assert report.sections == ("conclusions", "funnel", "compare", "leaks", "method")
    assert report.trends is None and report.velocity is None and report.changes == ()
    assert [p.by for p in report.comparisons] == ["channel"]
    assert report.plan is None  # no target


def test_one_channel_leaves_the_comparison_out():
    one = prepare(small_frame({"Звонки": "Сайт"}), SPEC)
    report = client_report(one)
    assert "compare" not in report.sections
    assert report.comparisons == ()
    assert not [f for f in report.conclusions if f.code in ("better", "worse")]
    leak = report.leaks.leaks[0] if report.leaks else None
    assert leak is not None and leak.too_small  # nothing to compare: a flat 10 points
    worth = report.leaks.worth.set_index("step").loc[0] if report.leaks else None
    assert worth is not None and worth["basis"] == "flat"
    assert worth["to_rate"] == pytest.approx(37 / 72 + 0.10)


def test_one_funnel_per_pipeline_when_there_are_several():
    frame = small_frame()
    # The first 50 rows (Сайт's 40, then 10 of Звонки's lost at A) in one pipeline.
    frame["Воронка"] = ["Опт"] * 50 + ["Розница"] * 30
    spec = Spec(
        columns={**SPEC.columns, "pipeline": "Воронка"},
        stages=SPEC.stages,
        won=SPEC.won,
        lost=SPEC.lost,
    )
    report = client_report(prepare(frame, spec), sections=("funnel",))
    assert [p.name for p in report.funnels] == ["", "Опт", "Розница"]
    assert [p.deals for p in report.funnels] == [80, 50, 30]
    assert [p.won for p in report.funnels] == [14, 10, 4]
    assert list(report.funnels[1].table["reached"]) == [50, 25, 15, 10]


def test_no_value_is_named_in_words():
    from funnel.document.sentences import finding_text

    params = {"by": "channel", "segment": "(none)", "step": "A → B", "rate": 0.5}
    text = finding_text("better", {**params, "other_rate": 0.2, "trials": 40}, "ru", "")
    assert "«(не указано)»" in text and "(none)" not in text


def test_loss_reasons_of_the_biggest_leak():
    frame = small_frame()
    lost_a = frame.index[(frame["Этап"] == "Отказ") & (frame["Этап отказа"] == "A")]
    # Сайт's 10 lost at A, then Звонки's 25: 6 Дорого, 4 + 20 Не целевой, 5 blank.
    frame["Причина отказа"] = None
    frame.loc[lost_a, "Причина отказа"] = ["Дорого"] * 6 + ["Не целевой"] * 24 + [None] * 5
    spec = Spec(
        columns={**SPEC.columns, "loss_reason": "Причина отказа"},
        stages=SPEC.stages,
        won=SPEC.won,
        lost=SPEC.lost,
    )
    report = client_report(prepare(frame, spec), sections=("leaks",))
    assert report.leaks is not None
    assert report.leaks.reasons[0] == (("Не целевой", 24), ("Дорого", 6))
    assert report.leaks.reasons[1] == ()  # none given for the losses at B


def test_a_snapshot_without_the_stage_at_loss_says_so():
    spec = Spec(
        columns={k: v for k, v in SPEC.columns.items() if k != "lost_stage"},
        stages=SPEC.stages,
        won=SPEC.won,
        lost=SPEC.lost,
    )
    report = client_report(prepare(small_frame(), spec))
    # Every one of the 48 losses sits at A for want of its stage: no leak can be placed.
    assert "leaks" not in report.sections
    codes = {f.code: f.params for f in report.conclusions}
    assert codes["leaks_unknown"] == {"lost": 48}
    caveats = {f.code: f.params for f in report.caveats}
    assert caveats["lower_bound"] == {"unknown": 48, "lost": 48}
    # reached B = 80 - 48 lost - 8 open at A, C = 24 - 7 open at B, won = 17 - 3 open at C
    assert list(report.funnels[0].table["reached"]) == [80, 24, 17, 14]


def test_a_filter_that_keeps_no_deal(small):
    import numpy as np

    report = client_report(small, mask=np.zeros(len(small), dtype=bool))
    assert report.sections == ("conclusions", "method")
    assert [f.code for f in report.conclusions] == ["no_deals"]
    assert report.cover.deals == 0


def test_asked_sections_only(small):
    report = client_report(small, sections=("funnel", "method"))
    assert report.sections == ("funnel", "method")
    assert report.comparisons == () and report.leaks is None


def test_the_sample_with_dates_fills_trends_changes_and_velocity(sample_doors):
    report = client_report(sample_doors, language="ru")
    for section in ("trends", "changes", "velocity"):
        assert section in report.sections
    assert report.cover.period_from == pd.Timestamp(sample_doors.created.min()).date()
    # The doors mapping marks the closing script of 2026-03-01, planted to lift a step.
    assert [c.when for c in report.changes] == [date(2026, 3, 1)]
    moved = [f for f in report.conclusions if f.code == "change_moved"]
    assert moved and moved[0].params["label"] == report.changes[0].label
    total = report.funnels[0]
    assert total.deals == len(sample_doors)
    assert total.won == int((sample_doors.outcome == 1).sum())


def test_the_plan_when_a_target_is_set(sample_doors):
    report = client_report(sample_doors, target=10_000_000, sections=("plan",))
    assert report.sections == ("plan",)
    assert report.plan is not None
    assert report.plan.target == 10_000_000
    assert report.plan.leads == int(report.plan.table["leads"].sum())
    assert report.plan.chart is not None and report.plan.chart["layer"]


def test_stuck_deals_by_age_without_stage_dates(sample_security):
    # The security mapping has creation and close dates but no stage dates: an open deal is
    # held against how long the won deals took from creation to a win.
    report = client_report(sample_security, sections=("velocity",))
    speed = report.velocity
    assert speed is not None and speed.stuck_basis == "age"
    assert speed.open_total == int((sample_security.outcome == 0).sum())
    assert 0 < speed.stuck <= speed.open_checked <= speed.open_total
