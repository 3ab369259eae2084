"""Errors in words: every error code the engine and the readers raise has its own message in
both app languages, and a Russian message never carries the engine's English text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from funnel.errors import FunnelError, InputError, SpecError
from ui import i18n, notices

FUNNEL = Path(__file__).resolve().parent.parent / "funnel"
# Raised only on the command line (its options) or by the JSON report: the app never meets them.
CLI_ONLY = {"cli.py", "overtime.py"}
# Worded by a message of its own (with the similar headers), not by its code.
OWN_WORDING = {"missing_column"}


def raised_codes() -> set[tuple[str, str]]:
    """``(error class, code)`` for every ``InputError(...)``/``SpecError(...)`` written with a
    literal code in ``funnel/`` outside the CLI-only modules."""
    found = set()
    for path in FUNNEL.rglob("*.py"):
        if path.name in CLI_ONLY and path.parent.name in ("funnel", "report"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("InputError", "SpecError"):
                continue
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if code is None and len(node.args) > 1:
                code = node.args[1]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.add((node.func.id, code.value))
    return found


def key_of(kind: str, code: str) -> str:
    return ("read_" if kind == "InputError" else "spec_") + code


CODES = sorted(raised_codes())


@pytest.fixture(params=["ru", "en"])
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(i18n, "lang", lambda: request.param)
    return str(request.param)


def test_the_scan_finds_the_errors_it_must():
    assert ("InputError", "unpacked_too_big") in CODES
    assert ("SpecError", "events_missing") in CODES
    assert ("SpecError", "spec_role") in CODES
    assert not any(code == "bad_target" for _, code in CODES)  # a CLI option's error


@pytest.mark.parametrize(("kind", "code"), [c for c in CODES if c[1] not in OWN_WORDING])
def test_every_raised_code_has_a_message_in_both_languages(kind: str, code: str):
    entry = i18n.STRINGS.get(key_of(kind, code))
    assert entry is not None, key_of(kind, code)
    assert re.search("[а-яё]", entry["ru"]) and entry["en"], key_of(kind, code)


ENGLISH = "the engine's English sentence"


def _error(kind: str, code: str) -> FunnelError:
    cls = InputError if kind == "InputError" else SpecError
    return cls(
        ENGLISH,
        code=code,
        file="сделки.xlsx",
        row=3,
        column="Канал",
        expected="something in English",
        params={"found": 12, "max": 10, "keys": ["extra"], "role": "chanel", "email": "bot@x.iam"},
    )


@pytest.mark.parametrize(("kind", "code"), [c for c in CODES if c[1] not in OWN_WORDING])
def test_a_message_is_whole_and_russian_has_no_english_sentence(
    kind: str, code: str, language: str
):
    text = notices.error_text(_error(kind, code))
    assert text and "{" not in text and "}" not in text, text
    if language == "ru":
        assert ENGLISH not in text, text
        assert re.search("[а-яё]", text), text


@pytest.mark.parametrize("kind", ["InputError", "SpecError"])
def test_an_unknown_code_still_gets_a_russian_message_with_its_code(kind: str, language: str):
    text = notices.error_text(_error(kind, "no_such_code_yet"))
    assert "{" not in text
    if language == "ru":
        assert ENGLISH not in text and "no_such_code_yet" in text, text
    else:
        assert ENGLISH in text, text  # English readers get the engine's own sentence


def test_a_spec_with_unknown_keys_names_them_in_russian(language: str):
    text = notices.error_text(
        SpecError(
            "unknown key(s) colums", code="spec_key", file="m.yaml", params={"keys": ["colums"]}
        )
    )
    assert "colums" in text and "m.yaml" in text
    assert ("неизвестные ключи" in text) == (language == "ru")
