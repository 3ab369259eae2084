"""AppTest of the mapping editor: each stage edit, edits that cannot work, a file no stage was
recognised in, and the note on the Funnel page when the stage order is a guess."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from funnel.metrics import funnel
from tests.e2e_support import STAGES, csv_bytes, small_deals
from ui.i18n import fmt_number

# ---- helpers --------------------------------------------------------------------------------


def _editor_key(at: AppTest) -> str:
    keys = [e.key for e in at.data_editor if e.key and e.key.startswith("stages_")]
    assert len(keys) == 1, keys
    return keys[0]


def _edit(
    at: AppTest,
    *,
    edited: dict[int, dict[str, Any]] | None = None,
    added: list[dict[str, Any]] | None = None,
    deleted: list[int] | None = None,
) -> AppTest:
    """Edit the stage table as a person would in the browser, then rerun."""
    at.session_state[_editor_key(at)] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    at.run()
    assert not at.exception, at.exception
    return at


def _apply(at: AppTest) -> AppTest:
    button = next(b for b in at.button if b.key and b.key.startswith("apply_"))
    button.click().run()
    assert not at.exception, at.exception
    return at


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _with_invoice_dates(n: int = 40) -> pd.DataFrame:
    """small_deals plus the date an invoice was sent, for the deals at that stage or won."""
    frame = small_deals(n)
    sent = frame["Этап сделки"].isin([STAGES[2], "Успешно реализовано"])
    frame["Дата счёта"] = [f"{1 + i % 28:02d}.10.2025" if s else "" for i, s in enumerate(sent)]
    return frame


@pytest.fixture
def snapshot(at: AppTest) -> AppTest:
    """The Data page on a small snapshot export (three stages, won, lost, an invoice date)."""
    at.switch_page("app_pages/data.py").run()
    upload = ("сделки.csv", csv_bytes(_with_invoice_dates()), "text/csv")
    at.file_uploader(key="upload").set_value(upload).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].name == "сделки.csv"
    return at


def _spec(at: AppTest):
    return at.session_state["dataset"].spec


# ---- stage edits ----------------------------------------------------------------------------


def test_a_new_stage_row_is_on_and_its_empty_cells_stay_empty(snapshot):
    at = snapshot
    before = _spec(at).stage_names
    # a row added in the browser: name and number typed, everything else left as it came
    _edit(at, added=[{"order": 2, "name": "Discovery"}])
    _apply(at)
    spec = _spec(at)
    assert not _errors(at), _errors(at)
    assert spec.stage_names == (before[0], "Discovery", *before[1:])
    discovery = spec.stages[1]
    assert discovery.column is None and discovery.group is None
    assert discovery.match == ("Discovery",)
    assert "nan" not in spec.to_yaml()
    # the editor shows the applied mapping with the new row's empty cells empty
    rows = at.data_editor[0].value.set_index("name")
    assert rows.loc["Discovery", "group"] == "" and rows.loc["Discovery", "column"] == "—", rows
    assert bool(rows.loc["Discovery", "on"])
    assert not (rows.astype(str) == "nan").any().any()


def test_reorder_by_number(snapshot):
    at = snapshot
    names = _spec(at).stage_names
    _edit(at, edited={0: {"order": len(names) + 1}})
    _apply(at)
    assert _spec(at).stage_names == (*names[1:], names[0])


def _move(at: AppTest, name: str, direction: str) -> AppTest:
    pick = next(s for s in at.selectbox if s.key and s.key.startswith("move_pick_"))
    pick.set_value(name).run()
    button = next(b for b in at.button if b.key and b.key.startswith(f"move_{direction}_"))
    button.click().run()
    assert not at.exception, at.exception
    return at


def test_move_a_stage_up_and_down_with_the_buttons_keeps_pending_edits(snapshot):
    at = snapshot
    names = list(_spec(at).stage_names)
    assert len(names) >= 3
    # an edit not applied yet: the second stage renamed
    _edit(at, edited={1: {"name": "Second"}})
    _move(at, names[2], "up")  # third stage one place up, before "Second"
    _move(at, names[0], "down")  # first stage one place down
    _move(at, names[0], "down")  # and again
    table = at.data_editor(key=_editor_key(at)).value
    assert table["name"].tolist()[:3] == [names[2], "Second", names[0]], table
    assert table["order"].tolist() == list(range(1, len(table) + 1))
    _apply(at)
    spec = _spec(at)
    assert spec.stage_names[:3] == (names[2], "Second", names[0])
    assert spec.stages[1].match == (names[1],)  # renamed, still counting its own rows
    # the top stage cannot go further up: nothing changes, no error
    _move(at, names[2], "up")
    assert at.data_editor(key=_editor_key(at)).value["name"].tolist()[0] == names[2]


def test_rename_keeps_the_rows_the_stage_counts(snapshot):
    at = snapshot
    before = funnel(at.session_state["dataset"].deals)
    i = _spec(at).stage_names.index("Переговоры")
    _edit(at, edited={i: {"name": "Talks"}})
    _apply(at)
    spec = _spec(at)
    assert spec.stage_names[i] == "Talks" and spec.stages[i].match == ("Переговоры",)
    after = funnel(at.session_state["dataset"].deals)
    assert after.reached.tolist() == before.reached.tolist()


def test_merge_two_values_into_one_stage(snapshot):
    at = snapshot
    names = list(_spec(at).stage_names)
    i, j = names.index("Переговоры"), names.index("Счёт выставлен")
    _edit(
        at,
        edited={i: {"name": "Работа", "match": "Переговоры, Счёт выставлен"}},
        deleted=[j],
    )
    _apply(at)
    spec = _spec(at)
    assert "Счёт выставлен" not in spec.stage_names
    assert spec.stages[i].name == "Работа"
    assert spec.stages[i].match == ("Переговоры", "Счёт выставлен")
    deals = at.session_state["dataset"].deals
    assert len(deals) == 40  # no deal dropped by the merge


def test_group_stages_into_a_block(snapshot):
    at = snapshot
    _edit(at, edited={0: {"group": "Начало"}, 1: {"group": "Начало"}})
    _apply(at)
    spec = _spec(at)
    assert [s.group for s in spec.stages[:2]] == ["Начало", "Начало"]
    assert spec.stages[2].group is None


def test_a_snapshot_stage_gets_a_date_column(snapshot):
    at = snapshot
    i = _spec(at).stage_names.index("Счёт выставлен")
    _edit(at, edited={i: {"column": "Дата счёта"}})
    # the preview follows the edit before anything is applied
    assert any("Воронка по этой разметке" in m.value for m in at.markdown)
    _apply(at)
    spec = _spec(at)
    assert spec.stages[i].column == "Дата счёта"
    assert [s.column for k, s in enumerate(spec.stages) if k != i] == [None] * (
        len(spec.stages) - 1
    )
    assert spec.guessed == {}


def test_won_values_are_marked(snapshot):
    at = snapshot
    v = at.session_state["dataset_version"]
    won = at.multiselect(key=f"won_{v}")
    assert won.value == ["Успешно реализовано"]
    won.set_value(["Успешно реализовано", "Счёт выставлен"]).run()
    # a won value that is also a stage: the row is named, nothing is applied
    errors = _errors(at)
    assert any(e.startswith("Строка 3:") and "«Счёт выставлен»" in e for e in errors), errors


@pytest.mark.parametrize(
    ("edit", "row", "says"),
    [
        ({"edited": {0: {"column": "Дата счёта"}, 1: {"column": "Дата счёта"}}}, 2, "столбец даты"),
        ({"edited": {1: {"name": "Новая заявка"}}}, 2, "уже есть в строке 1"),
        ({"edited": {2: {"match": "Счёт выставлен, Переговоры"}}}, 3, "уже относится к строке 2"),
        ({"added": [{"match": "Что-то"}]}, 4, "нет названия"),
    ],
)
def test_an_edit_that_cannot_work_names_the_row_and_applies_nothing(snapshot, edit, row, says):
    at = snapshot
    before = _spec(at)
    _edit(at, **edit)
    problems = [e for e in _errors(at) if e.startswith(f"Строка {row}:")]
    assert problems and says in problems[0], _errors(at)
    _apply(at)
    assert any("Ничего не применено" in e for e in _errors(at)), _errors(at)
    assert _spec(at) == before


# ---- a file with no stage recognised ----------------------------------------------------------

UNKNOWN = pd.DataFrame(
    {
        "code": [f"X{i:03d}" for i in range(18)],
        "col_a": ["alpha"] * 6 + ["beta"] * 4 + ["gamma"] * 3 + ["omega"] * 2 + ["sigma"] * 3,
        "col_b": [f"2025-03-{1 + i:02d}" for i in range(18)],
        "col_c": [100 * (i + 1) for i in range(18)],
    }
)


def test_a_file_with_no_stage_opens_into_the_editor_and_the_funnel_keeps_the_old_data(at):
    before = at.session_state["dataset"]
    deals_before = _metrics(at)["Сделок"]
    at.switch_page("app_pages/data.py").run()
    upload = ("register.csv", UNKNOWN.to_csv(index=False).encode(), "text/csv")
    at.file_uploader(key="upload").set_value(upload).run()
    assert not at.exception, at.exception
    assert not _errors(at), _errors(at)
    assert at.session_state["dataset"] is before
    draft = at.session_state["pending_dataset"]
    assert draft.name == "register.csv"
    warned = [w.value for w in at.warning]
    assert any("Какой столбец содержит этап" in w for w in warned), warned
    assert any("register.csv" in w and "amocrm_export.xlsx" in w for w in warned), warned
    # the file is shown: its preview and its columns with their values
    frames = [d.value for d in at.dataframe]
    assert any("col_a" in f.columns for f in frames)
    assert any(f.iloc[:, 0].tolist() == list(UNKNOWN.columns) for f in frames)

    at.switch_page("app_pages/funnel.py").run()
    assert _metrics(at)["Сделок"] == deals_before
    assert any("register.csv" in i.value for i in at.info)

    # which column holds the stage? col_a; won and lost values; then apply
    at.switch_page("app_pages/data.py").run()
    v = at.session_state["dataset_version"]
    at.selectbox(key=f"role_stage_{v}").set_value("col_a").run()
    assert any("«alpha»" in c.value for c in at.caption)  # the chosen column's values
    at.multiselect(key=f"won_{v}").set_value(["omega"]).run()
    at.multiselect(key=f"lost_{v}").set_value(["sigma"]).run()
    rows = at.data_editor[0].value
    assert rows["name"].tolist() == ["alpha", "beta", "gamma"]
    assert not _errors(at), _errors(at)
    _apply(at)
    assert "pending_dataset" not in at.session_state or at.session_state["pending_dataset"] is None
    ds = at.session_state["dataset"]
    assert ds.name == "register.csv"
    counts = funnel(ds.deals)
    # by hand: 18 deals; beta or later 4 + 3 + 2 (won) = 9; gamma or later 5; won 2
    assert counts.reached[0].tolist() == [18, 9, 5] and int(counts.won[0]) == 2
    at.switch_page("app_pages/funnel.py").run()
    assert _metrics(at)["Сделок"] == fmt_number(18, language="ru")


def test_the_date_columns_asked_for_become_stages(at):
    at.switch_page("app_pages/data.py").run()
    upload = ("register.csv", UNKNOWN.to_csv(index=False).encode(), "text/csv")
    at.file_uploader(key="upload").set_value(upload).run()
    v = at.session_state["dataset_version"]
    at.multiselect(key=f"ask_dates_{v}").set_value(["col_b"]).run()
    rows = at.data_editor[0].value
    assert rows[["name", "column"]].values.tolist() == [["col_b", "col_b"]]
    assert not _errors(at), _errors(at)
    _apply(at)
    ds = at.session_state["dataset"]
    assert ds.name == "register.csv" and ds.spec.layout == "stage_dates"
    assert funnel(ds.deals).reached[0].tolist() == [18]


def test_a_stage_dates_register_gets_a_stage_and_its_date_column(at):
    frame = pd.DataFrame(
        {
            "who": [f"Клиент {i}" for i in range(6)],
            "d1": ["2025-01-01"] * 6,
            "d2": ["2025-01-05"] * 4 + [""] * 2,
            "d3": ["2025-01-09"] * 1 + [""] * 5,
        }
    )
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(
        ("reg.csv", frame.to_csv(index=False).encode(), "text/csv")
    ).run()
    spec = _spec(at)
    assert spec.layout == "stage_dates"
    dated = {s.column for s in spec.stages}
    rows = at.data_editor[0].value
    # every date column the stages do not use yet, as a new stage each
    added = [
        {"order": len(rows) + 1 + i, "name": f"Этап {c}", "column": c}
        for i, c in enumerate(c for c in ("d1", "d2", "d3") if c not in dated)
    ]
    _edit(at, added=added)
    assert not _errors(at), _errors(at)
    _apply(at)
    spec = _spec(at)
    assert sorted(s.column for s in spec.stages) == ["d1", "d2", "d3"]
    assert funnel(at.session_state["dataset"].deals).reached[0].tolist() == [6, 4, 1]


# ---- the guess note ---------------------------------------------------------------------------

GUESSED = pd.DataFrame(
    {
        "ID": range(1, 31),
        "Этап сделки": ["Флорп"] * 12 + ["Зиндл"] * 9 + ["Квакс"] * 6 + ["Успешно реализовано"] * 3,
        "Бюджет": [1000] * 30,
    }
)


@pytest.fixture
def guessed(at: AppTest) -> AppTest:
    """A file whose stage names are nonsense words, so their order is a guess by counts."""
    at.switch_page("app_pages/data.py").run()
    upload = ("флорп.csv", csv_bytes(GUESSED), "text/csv")
    at.file_uploader(key="upload").set_value(upload).run()
    assert at.session_state["dataset"].name == "флорп.csv"
    spec = at.session_state["dataset"].spec
    if not spec.guessed:  # detection does not mark guesses yet: say it in a saved mapping
        text = spec.to_yaml() + "guessed:\n  stage_order: ordered by deal counts\n"
        at.file_uploader(key="spec_upload").set_value(
            ("guess.yaml", text.encode(), "application/x-yaml")
        ).run()
    assert at.session_state["dataset"].spec.guessed
    at.switch_page("app_pages/funnel.py").run()
    assert not at.exception, at.exception
    return at


def test_the_funnel_page_says_the_order_is_a_guess_until_confirmed(guessed):
    at = guessed
    notes = [w.value for w in at.warning if "Порядок этапов угадан" in w.value]
    assert len(notes) == 1, [w.value for w in at.warning]
    assert any("угаданном порядке" in w.value for w in at.warning)  # the weak points say it too
    at.button(key="guess_ok_funnel").click().run()
    assert not at.exception, at.exception
    ds = at.session_state["dataset"]
    assert ds.spec.guessed == {}
    assert not [w.value for w in at.warning if "угадан" in w.value]
    assert any("подтверждён" in s.value for s in at.success)
    # remembered for the file like any applied mapping
    assert at.session_state["last_spec_by_source"][ds.key] == ds.spec


def test_the_compare_page_says_it_too_and_the_check_button_opens_the_editor(guessed):
    at = guessed
    at.switch_page("app_pages/compare.py").run()
    assert any("Порядок этапов угадан" in w.value for w in at.warning)
    at.button(key="guess_edit_compare").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Данные"


def test_applying_an_edit_clears_the_guess(guessed):
    at = guessed
    at.switch_page("app_pages/data.py").run()
    _edit(at, edited={0: {"order": 9}})
    _apply(at)
    assert at.session_state["dataset"].spec.guessed == {}


# ---- words ------------------------------------------------------------------------------------


def test_english_funnel_table_has_no_none_and_english_percentages(at):
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    table = next(d for d in at.dataframe if "% of top" in d.value.columns)
    shown = str(table.proto)  # the display values the browser gets
    assert re.search(r"\d\.\d%", shown) and not re.search(r"\d,\d\s?%", shown)
    assert "None" not in shown


@pytest.mark.parametrize(
    ("language", "pct", "count"), [("en", "10.7%", "1,249"), ("ru", "10,7\u00a0%", "1\u00a0249")]
)
def test_shown_table_follows_the_language(language, pct, count, monkeypatch):
    import ui.tables as tables

    monkeypatch.setattr(tables, "lang", lambda: language)
    monkeypatch.setattr(
        "ui.i18n.lang", lambda: language
    )  # fmt_* read the language when not given one
    frame = pd.DataFrame({"p": [0.1068, float("nan")], "n": [1249, 3]})
    styler, config = tables.shown_table(frame, percent=["p"])
    assert styler.data["p"].tolist() == [pct, "—"]  # a gap: text, right-aligned
    assert list(config) == ["p"]
    html = styler.to_html()  # a full column stays numeric, written in the language
    assert count in html and "None" not in html and "nan" not in html


def test_a_missing_segment_is_named_in_russian(at):
    frame = small_deals(40)
    frame.loc[frame.index % 4 == 0, "Источник"] = ""
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(("сделки.csv", csv_bytes(frame), "text/csv")).run()
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="compare_by_ru").set_value("channel").run()
    options = at.selectbox(key="baseline_channel_ru").options
    assert "(не указано)" in options and "(none)" not in options, options
    table = next(d for d in at.dataframe if "Сегмент" in d.value.columns)
    assert "(не указано)" in table.value["Сегмент"].tolist()


NEW_NOTICES = [
    ("detect_order_guess", {"reason": "frequency", "stages": ["Флорп", "Зиндл"]}, "Флорп"),
    ("detect_order_guess", {"reason": "disagree", "stages": []}, "—"),
    ("detect_order_evidence", {"basis": "crm_default", "crm": "amoCRM"}, "amoCRM"),
    ("detect_order_evidence", {"basis": "history"}, ""),
    ("detect_stage_date_match", {"column": "engage_date", "stage": "Engaging"}, "engage_date"),
    ("detect_events_marks_stage", {"stage": "Demo", "key": "Deal"}, "Demo"),
    ("events_unmatched", {"count": 1249, "total": 5000}, "5"),
    ("detect_history_by_title", {"column": "Title"}, "Title"),
]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(("code", "params", "shows"), NEW_NOTICES)
def test_new_detection_notices_speak_both_languages(monkeypatch, language, code, params, shows):
    from funnel.notices import Notice
    from ui import i18n, notices

    monkeypatch.setattr(i18n, "lang", lambda: language)
    text = notices.notice_text(Notice(code, params))
    assert text != f"n_{code}" and shows in text and "{" not in text, text
    if language == "ru":
        assert not any(w in text for w in ("history", "frequency", "crm_default")), text
        assert "1\u00a0249" in text or code != "events_unmatched", text
    assert (code in notices.WARNING_CODES) == (code in {"detect_order_guess", "events_unmatched"})


# ---- a deal list with a second file: a stage history, or marks such as payments -------------

HISTORY_STEPS = ("Шаг A", "Шаг B", "Шаг C", "Шаг D")


def _deal_list(n: int = 30) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": range(1, n + 1),
            "Клиент": [f"ООО {i}" for i in range(1, n + 1)],
            "Источник": ["Сайт" if i % 2 else "Звонок" for i in range(n)],
        }
    )


def _history(deals: pd.DataFrame) -> pd.DataFrame:
    """Deal i goes through the first (i % 4) + 1 steps, one day apart, in step order."""
    rows = []
    for i, deal in enumerate(deals["ID"]):
        for k in range(i % 4 + 1):
            rows.append(
                {"ID сделки": deal, "Этап": HISTORY_STEPS[k], "Дата": f"{2 + k:02d}.03.2025"}
            )
    return pd.DataFrame(rows)


def _reached_by_hand(history: pd.DataFrame, stages: list[str]) -> list[int]:
    """Deals that reached each of ``stages`` (a subset of the steps, in order): a deal reached a
    stage when its furthest step is that stage or a later one."""
    furthest = history["Этап"].map(HISTORY_STEPS.index).groupby(history["ID сделки"]).max()
    return [int((furthest >= HISTORY_STEPS.index(s)).sum()) for s in stages]


def _attach(at: AppTest, name: str, frame: pd.DataFrame) -> AppTest:
    upload = (name, frame.to_csv(index=False).encode(), "text/csv")
    at.file_uploader(key="events_upload").set_value(upload).run()
    assert not at.exception, at.exception
    return at


def test_a_deal_list_with_a_stage_history_is_edited_and_applied(at):
    deals = _deal_list()
    history = _history(deals)
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(("сделки.csv", csv_bytes(deals), "text/csv")).run()
    _attach(at, "история.csv", history)
    spec = _spec(at)
    assert at.session_state["dataset"].name == "сделки.csv" and spec.layout == "history"
    assert spec.stage_names == HISTORY_STEPS
    assert not _errors(at)  # the second file says which deal reached which stage
    # rename the second step and switch the third off
    _edit(at, edited={1: {"name": "Встреча"}, 2: {"on": False}})
    assert not _errors(at)
    _apply(at)
    spec = _spec(at)
    assert spec.stage_names == ("Шаг A", "Встреча", "Шаг D")
    assert spec.layout == "history" and spec.events is not None
    counts = funnel(at.session_state["dataset"].deals)
    expected = _reached_by_hand(history, ["Шаг A", "Шаг B", "Шаг D"])
    assert [int(x) for x in counts.reached[0]] == expected == [30, 22, 7]


def test_a_lead_list_with_its_payments_is_edited_and_applied(at):
    leads = pd.DataFrame(
        {
            "ID заявки": range(101, 141),
            "Имя": [f"Клиент {i}" for i in range(40)],
            "Канал": ["Директ" if i % 3 else "Рассылка" for i in range(40)],
            "Дата заявки": [f"{1 + i % 28:02d}.04.2025" for i in range(40)],
        }
    )
    paid = leads.iloc[::4][["ID заявки"]].assign(**{"Дата оплаты": "15.05.2025", "Сумма": 5000})
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value(("заявки.csv", csv_bytes(leads), "text/csv")).run()
    _attach(at, "оплаты.csv", paid)
    ds = at.session_state["dataset"]
    assert ds.name == "заявки.csv" and ds.spec.events is not None
    assert not _errors(at)
    first = ds.spec.stage_names[0]
    _edit(at, edited={0: {"name": "Лид"}})
    _apply(at)
    spec = _spec(at)
    assert spec.stage_names[0] == "Лид" and spec.stages[0].match == (first,)
    counts = funnel(at.session_state["dataset"].deals)
    assert int(counts.reached[0][0]) == len(leads)
    # won: the leads whose ID is in the payments file, counted by hand
    assert int(counts.won[0]) == leads["ID заявки"].isin(paid["ID заявки"]).sum() == 10


def test_a_pending_file_can_be_dropped(at):
    at.switch_page("app_pages/data.py").run()
    upload = ("register.csv", UNKNOWN.to_csv(index=False).encode(), "text/csv")
    at.file_uploader(key="upload").set_value(upload).run()
    assert at.session_state["pending_dataset"] is not None
    at.button(key="pending_discard").click().run()
    assert not at.exception, at.exception
    assert (
        at.session_state["pending_dataset"] is None
        if "pending_dataset" in at.session_state
        else True
    )
    assert at.session_state["dataset"].is_sample
    assert not any("Какой столбец" in w.value for w in at.warning)


def test_a_new_stage_column_offers_its_values_as_stages(snapshot):
    at = snapshot
    v = at.session_state["dataset_version"]
    at.selectbox(key=f"role_stage_{v}").set_value("Источник").run()
    at.button(key=f"retake_{v}").click().run()
    assert not at.exception, at.exception
    assert at.data_editor[0].value["name"].tolist() == ["Сайт", "Звонок"]


# ---- the preview ------------------------------------------------------------------------------


def _preview(at: AppTest) -> dict[str, str]:
    """The preview table: stage -> deals that reached it, as shown."""
    table = next(tb for tb in at.table if "Дошли" in " ".join(map(str, tb.value.columns)))
    frame = table.value
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True))


def test_the_preview_counts_the_mapping_in_use_then_follows_an_edit_not_yet_applied(snapshot):
    at = snapshot
    # small_deals(40): deal i sits at state (7 i) mod 5 of [3 stages, won, lost], eight each.
    # A snapshot counts a deal at every stage up to where it stands; a lost one at the first.
    first, second, third = STAGES
    assert _preview(at) == {first: "40", second: "24", third: "16", "Успех": "8"}
    names = list(_spec(at).stage_names)
    _edit(at, edited={names.index(second): {"on": False}})
    # its eight deals now match no stage and are left out: 40 - 8 reach the first stage
    assert _preview(at) == {first: "32", third: "16", "Успех": "8"}
    assert any("не учтено: 8" in c.value for c in at.caption)
    assert _spec(at).stage_names == tuple(names)  # nothing applied yet
    _edit(at)  # the edit undone: the preview is the mapping in use again
    assert _preview(at) == {first: "40", second: "24", third: "16", "Успех": "8"}
