"""AppTest: a hostile or broken upload after a good file keeps the good data, says one thing
in the user's language and shows no traceback, path or library message; every page still
draws. The files come from tests/hostile.py, built at test time."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import hostile
from tests.e2e_support import csv_bytes, small_deals

GOOD = "сделки.csv"
PAGES = ("funnel", "data", "compare", "trends", "changes", "velocity", "planner")


@pytest.fixture
def loaded(at: AppTest) -> AppTest:
    """The Data page with a good file of ours loaded."""
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload").set_value((GOOD, csv_bytes(small_deals(60)), "text/csv")).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].name == GOOD
    return at


def _texts(at: AppTest) -> str:
    kinds = ("error", "warning", "info", "markdown", "caption", "title", "subheader")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def _bytes(make, tmp_path: Path, name: str) -> bytes:
    return make(tmp_path / name).read_bytes()


CASES = [
    ("bomb.xlsx", lambda p: hostile.zip_bomb(p), "zip-бомб"),
    ("locked.xlsx", lambda p: hostile.encrypted_workbook(p), "защищён паролем"),
    ("wide.csv", lambda p: hostile.wide(p), "10\u00a0000 столбцов, а Voronka читает до 500"),
    ("long_cell.csv", lambda p: hostile.long_cell_csv(p), "40\u00a0000 символов"),
    ("one_line.csv", lambda p: hostile.huge_line(p, 600_000), "символов, а Voronka читает строки"),
    ("broken.xlsx", lambda p: hostile.malformed_sheet(p), "повреждён"),
    ("laughs.xlsx", lambda p: hostile.entity_bomb(p), "«laughs.xlsx»"),
]


@pytest.mark.parametrize(("name", "make", "says"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_upload_keeps_the_good_data_and_says_one_thing(
    loaded, tmp_path, name, make, says
):
    at = loaded
    before = at.session_state["dataset"]
    data = make(tmp_path / name).read_bytes()
    at.file_uploader(key="upload").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"] is before  # nothing already loaded is lost
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert says in errors[0] and "Оставлены предыдущие данные" in errors[0], errors[0]
    text = _texts(at)
    for leak in ("Traceback", "/tmp/", str(tmp_path), "Context:", "calamine", "Error while"):
        assert leak not in text, (leak, text)
    # every page still draws the good file
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert at.session_state["dataset"] is before


SPECS = [
    ("bomb.yaml", hostile.yaml_bomb().encode(), "ссылки YAML"),
    ("deep.yaml", hostile.deep_yaml().encode(), "вложен слишком глубоко"),
    ("cp1251.yaml", "columns: {stage: Этап сделки}\n".encode("cp1251"), "не в кодировке UTF-8"),
    ("binary.yaml", b"\x00\x01\x02PK\x03\x04" * 50, "не в кодировке UTF-8"),
    (
        "bad_date.yaml",
        b"columns: {stage: ID}\nstages: [A]\nchanges:\n  - {date: 2026-13-45, label: x}\n",
        "дата в виде ГГГГ-ММ-ДД",
    ),
    ("changes5.yaml", b"columns: {stage: ID}\nstages: [A]\nchanges: 5\n", "«changes» — нужно"),
]


@pytest.mark.parametrize(("name", "data", "says"), SPECS, ids=[s[0] for s in SPECS])
def test_a_hostile_mapping_file_is_refused_with_one_message(loaded, name, data, says):
    at = loaded
    before = at.session_state["dataset"]
    at.file_uploader(key="spec_upload").set_value((name, data, "application/x-yaml")).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"] is before
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and says in errors[0], errors
    assert "Traceback" not in _texts(at)


def test_absurd_amounts_load_and_every_page_draws_without_inf_or_nan(loaded, tmp_path):
    at = loaded
    data = hostile.absurd_amounts(tmp_path / "absurd.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("absurd.csv", data, "text/csv")).run()
    at.file_uploader(key="spec_upload").set_value(
        ("absurd.yaml", hostile.ABSURD_SPEC.encode(), "application/x-yaml")
    ).run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].name == "absurd.csv"
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert not [e.value for e in at.error if "Номер ошибки" in e.value], page
        shown = _texts(at) + " ".join(f"{m.label} {m.value}" for m in at.metric)
        for word in ("inf", "nan", "NaN", "Infinity", "e+308"):
            assert word not in shown.split(), (page, word)
