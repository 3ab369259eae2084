"""AppTest for the Velocity and Planner pages: the sample, a changed target and what-if, both
languages, the register with stage dates and a file with no dates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from funnel.planner import history, plan
from funnel.velocity import stuck_deals
from tests.e2e_support import XLSX_MIME, csv_bytes, small_deals, xlsx_bytes
from ui.i18n import fmt_number

VELOCITY = "app_pages/velocity.py"
PLANNER = "app_pages/planner.py"
REGISTER = Path(__file__).resolve().parent.parent / "sample_data" / "register_doors.xlsx"


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _clean(app: AppTest, page: str) -> None:
    assert not app.exception, (page, app.exception)
    assert not app.error, (page, [e.value for e in app.error])


def _planned_total(ds, target: float) -> int:
    hist = history(ds.deals, "channel")
    base = plan(ds.deals, hist, target)
    ok = np.isfinite(base.leads_rounded) & (base.part > 0)
    return int(base.leads_rounded[ok].sum())


def test_velocity_on_the_sample_lists_the_stuck_deals(at):
    at.switch_page(VELOCITY).run()
    _clean(at, VELOCITY)
    ds = at.session_state["dataset"]
    stuck = stuck_deals(ds.deals)
    assert stuck is not None and stuck.basis == "age"  # the sample is a created/closed snapshot
    tiles = _metrics(at)
    assert tiles["Зависло"] == fmt_number(len(stuck.deals), language="ru")
    assert len(stuck.deals) > 0
    assert any("нет дат перехода по этапам" in i.value for i in at.info)
    assert any("последняя дата в данных" in c.value for c in at.caption)
    table = at.dataframe[-1].value
    assert len(table) == len(stuck.deals)
    assert table.iloc[0]["Сумма"] == stuck.deals["amount"].max()
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Скачать CSV") >= 2


def test_velocity_breakdown_by_channel_survives_a_language_switch(at):
    at.switch_page(VELOCITY).run()
    at.selectbox(key="vel_by_ru").set_value("channel").run()
    _clean(at, VELOCITY)
    at.session_state["lang"] = "en"
    at.run()
    _clean(at, VELOCITY)
    assert at.selectbox(key="vel_by_en").value == "channel"
    assert "Stuck" in _metrics(at)
    assert at.get("vega_lite_chart")


def test_planner_on_the_sample_reaches_the_target(at):
    at.switch_page(PLANNER).run()
    _clean(at, PLANNER)
    ds = at.session_state["dataset"]
    version = at.session_state["dataset_version"]
    box = at.number_input(key=f"plan_target_revenue_{version}")
    target = box.value
    assert target > 0
    tiles = _metrics(at)
    assert tiles["Нужно новых заявок"] == fmt_number(_planned_total(ds, target), language="ru")
    box.set_value(target * 2).run()
    _clean(at, PLANNER)
    doubled = _planned_total(ds, target * 2)
    assert _metrics(at)["Нужно новых заявок"] == fmt_number(doubled, language="ru")
    assert any("зрелым" in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) >= 3


def test_planner_what_if_needs_fewer_leads(at):
    at.switch_page(PLANNER).run()
    before = _metrics(at)["Заявок для той же цели"]
    at.number_input(key="whatif_points").set_value(20).run()
    _clean(at, PLANNER)
    after = _metrics(at)["Заявок для той же цели"]

    def number(text: str) -> int:
        return int(text.replace("\u00a0", "").replace(",", ""))

    assert number(after) < number(before)
    at.segmented_control(key="whatif_mode_ru").set_value("best").run()
    _clean(at, PLANNER)
    assert any("Лучший канал на этом шаге" in c.value for c in at.caption)


def test_planner_in_english_with_won_deals_as_the_target(at):
    # AppTest words the widgets outside the run after a switch: choose first, then switch.
    at.switch_page(PLANNER).run()
    at.segmented_control(key="plan_kind_ru").set_value("won").run()
    _clean(at, PLANNER)
    at.session_state["lang"] = "en"
    at.run()
    _clean(at, PLANNER)
    assert at.title[0].value == "Planner: how many leads"
    assert at.segmented_control(key="plan_kind_en").value == "won"
    tiles = _metrics(at)
    assert "New leads needed" in tiles and "won deals" in tiles["Check"]


def test_register_with_stage_dates(at):
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(
        (REGISTER.name, REGISTER.read_bytes(), XLSX_MIME)
    ).run()
    _clean(at, "data")
    at.switch_page(VELOCITY).run()
    _clean(at, VELOCITY)
    ds = at.session_state["dataset"]
    stuck = stuck_deals(ds.deals)
    assert stuck is not None and stuck.basis == "stage"
    assert _metrics(at)["Зависло"] == fmt_number(len(stuck.deals), language="ru")
    assert any("дольше, чем 80" in c.value for c in at.caption)
    at.switch_page(PLANNER).run()
    _clean(at, PLANNER)


def test_a_file_without_dates(at):
    frame = small_deals(60).drop(columns=["Дата создания"])
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(("no_dates.csv", csv_bytes(frame), "text/csv")).run()
    assert at.session_state["dataset"].deals.created is None
    at.switch_page(VELOCITY).run()
    _clean(at, VELOCITY)
    assert any("нет дат" in i.value for i in at.info)
    at.switch_page(PLANNER).run()
    _clean(at, PLANNER)
    assert any("только по решённым" in c.value for c in at.caption)
    assert any("когда должны прийти заявки" in i.value for i in at.info)


def test_a_small_xlsx_with_creation_dates_only(at):
    at.switch_page("app_pages/data.py").run()
    data = xlsx_bytes(small_deals(40))
    at.file_uploader(key="upload").set_value(("deals.xlsx", data, XLSX_MIME)).run()
    for page in (VELOCITY, PLANNER):
        at.switch_page(page).run()
        _clean(at, page)


def _base_keys() -> set[str]:
    """The keys written in ui/i18n.py itself (the per-feature tables are merged into it)."""
    import ast

    source = (Path(__file__).resolve().parent.parent / "ui" / "i18n.py").read_text("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            if isinstance(target, ast.Name) and target.id == "STRINGS":
                return {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    raise AssertionError("no STRINGS table in ui/i18n.py")


def test_planner_strings_are_complete_and_collide_with_nothing():
    import string

    from ui.strings.planner import STRINGS

    assert not set(STRINGS) & _base_keys()
    for key, entry in STRINGS.items():
        assert set(entry) == {"ru", "en"}, key
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in entry
        ]
        assert fields[0] == fields[1], key
