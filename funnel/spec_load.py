"""Reading a spec someone else wrote: UTF-8 only, YAML without aliases or deep nesting, and a
schema that names every problem with its key and the type expected.

A spec is a handful of keys; these limits are far above any real one and far below what a
"billion laughs" file or a 10,000-deep nesting needs to exhaust a server.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import yaml

from funnel import files
from funnel.errors import SpecError, printable
from funnel.spec_spend import spend_schema

MAX_SPEC_BYTES = 1024 * 1024
MAX_DEPTH = 10  # a real spec is 3 deep (events -> columns -> header)

_EXPECTED = "expected"  # the schema's own annotation: what a person should write instead


class _Loader(yaml.SafeLoader):
    """Safe YAML whose dates stay text: the schema checks them, so ``2026-13-45`` is named as
    a bad date rather than failing inside the YAML library."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_file(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    """The bytes of a spec file and its name; only a regular file of at most
    :data:`MAX_SPEC_BYTES` is opened (a FIFO or a device would block)."""
    text_path = os.fspath(path)
    name = os.path.basename(text_path) or text_path
    info = files.regular_file(text_path, name, SpecError, "a YAML file")
    if info.st_size > MAX_SPEC_BYTES:
        raise SpecError(
            f"the spec is {info.st_size:,} bytes; Voronka reads specs up to {MAX_SPEC_BYTES:,}",
            code="spec_too_big",
            file=name,
            params={"found": info.st_size, "max": MAX_SPEC_BYTES},
        )
    try:
        with open(text_path, "rb") as fh:
            return fh.read(MAX_SPEC_BYTES + 1), name
    except OSError as exc:
        raise SpecError(
            f"cannot read the spec: {exc.strerror or type(exc).__name__}",
            code="not_found",
            file=name,
        ) from None


def decode(data: bytes, source: str) -> str:
    """The text of a spec file: UTF-8 (a BOM allowed), else a message that says so."""
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError(
            f"the spec is {len(data):,} bytes; Voronka reads specs up to {MAX_SPEC_BYTES:,}",
            code="spec_too_big",
            file=source,
            params={"found": len(data), "max": MAX_SPEC_BYTES},
        )
    if b"\x00" in data[:4096]:
        raise SpecError(
            "the spec is a binary file, not YAML text",
            code="spec_encoding",
            file=source,
            expected="a YAML file saved as UTF-8",
        )
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpecError(
            "the spec is not UTF-8 text (saved as cp1251 or another code page?)",
            code="spec_encoding",
            file=source,
            row=line,
            expected="a YAML file saved as UTF-8",
        ) from None


def load_yaml(text: str, source: str) -> Any:
    """The data of a YAML text, refusing anchors and aliases and nesting past
    :data:`MAX_DEPTH`; dates stay text."""
    if len(text) > MAX_SPEC_BYTES:
        raise SpecError(
            f"the spec has {len(text):,} characters; Voronka reads specs up to {MAX_SPEC_BYTES:,}",
            code="spec_too_big",
            file=source,
        )
    try:
        # The events first, so that nothing is built from a file that nests or refers too much.
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SpecError(
                    "the spec uses YAML anchors or aliases (& and *), which Voronka does not read",
                    code="spec_alias",
                    file=source,
                    row=line,
                    expected="each value written out",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SpecError(
                        f"the spec nests deeper than {MAX_DEPTH} levels",
                        code="spec_too_deep",
                        file=source,
                        row=line,
                        params={"max": MAX_DEPTH},
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SpecError(
            f"not valid YAML: {printable(getattr(exc, 'problem', None) or exc, 160)}",
            code="spec_yaml",
            file=source,
            row=(mark.line + 1) if mark is not None else None,
        ) from None


# ---- the schema -------------------------------------------------------------------------------


def schema(roles: Iterable[str], event_roles: Iterable[str]) -> dict[str, Any]:
    """The JSON schema of a spec's data (as YAML gives it, dates as text)."""
    name = {"type": ["string", "number"], _EXPECTED: "a text"}
    optional_name = {"type": ["string", "number", "null"], _EXPECTED: "a text"}
    values = {
        "anyOf": [
            {"type": ["string", "number", "boolean", "null"]},
            {"type": "array", "items": {"type": ["string", "number", "boolean"]}},
        ],
        _EXPECTED: "a value or a list of values",
    }
    stage = {
        "type": "object",
        "properties": {
            "name": name,
            "match": values,
            "group": optional_name,
            "column": optional_name,
        },
        "required": ["name"],
        "additionalProperties": False,
        _EXPECTED: "a stage name or a mapping with 'name'",
    }
    return {
        "type": "object",
        _EXPECTED: "a mapping with 'columns' and 'stages'",
        "properties": {
            "columns": {
                "type": ["object", "null"],
                "propertyNames": {"enum": list(roles)},
                "additionalProperties": name,
                _EXPECTED: "a mapping of roles to column headers",
            },
            "stages": {
                "type": "array",
                "minItems": 1,
                "items": {"anyOf": [name, stage], _EXPECTED: stage[_EXPECTED]},
                _EXPECTED: "a non-empty list of stages",
            },
            "won": values,
            "lost": values,
            "filter": {
                "type": ["object", "null"],
                "additionalProperties": values,
                _EXPECTED: "a mapping of roles to lists of values",
            },
            "events": {
                "type": ["object", "null"],
                "properties": {
                    "columns": {
                        "type": "object",
                        "propertyNames": {"enum": list(event_roles)},
                        "additionalProperties": name,
                        _EXPECTED: "a mapping of roles to column headers",
                    },
                    "join": {"enum": ["deal", "title"], _EXPECTED: "deal or title"},
                    "stage": optional_name,
                },
                "required": ["columns"],
                "additionalProperties": False,
                _EXPECTED: "a mapping with 'columns'",
            },
            "changes": {
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "properties": {
                        "date": {
                            "type": "string",
                            "format": "date",
                            _EXPECTED: "a date as YYYY-MM-DD",
                        },
                        "label": optional_name,
                    },
                    "required": ["date"],
                    "additionalProperties": False,
                    _EXPECTED: "a mapping with 'date' and 'label'",
                },
                _EXPECTED: "a list of changes, each with 'date' and 'label'",
            },
            "guessed": {
                "type": ["object", "null"],
                "additionalProperties": optional_name,
                _EXPECTED: "a mapping of subjects to reasons",
            },
            "spend": {
                **spend_schema(),
                _EXPECTED: "a mapping with the spend's rows, file or columns (docs/spec.md)",
            },
        },
        "required": ["stages"],
        "additionalProperties": False,
    }


def check(data: Any, source: str, roles: Iterable[str], event_roles: Iterable[str]) -> None:
    """Raise one :class:`SpecError` listing every way ``data`` departs from :func:`schema`;
    ``params["problems"]`` holds each problem's ``key``, ``message`` and ``expected``."""
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(schema(roles, event_roles), format_checker=FormatChecker())
    problems: list[dict[str, str]] = []
    codes: list[str] = []
    for error in sorted(validator.iter_errors(_plain(data)), key=lambda e: list(map(str, e.path))):
        for leaf in _leaves(error):
            problem, code = _describe(leaf)
            if problem not in problems:
                problems.append(problem)
                codes.append(code)
    if not problems:
        return
    text = "; ".join(p["message"] for p in problems)
    raise SpecError(
        text if len(problems) == 1 else f"{len(problems)} problems: {text}",
        code=codes[0],
        file=source,
        params={"problems": problems},
    )


def _plain(data: Any) -> Any:
    """Dates (from a caller's own dict) as ISO text, as YAML here would have kept them."""
    if isinstance(data, Mapping):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    if isinstance(data, date | datetime):
        return data.isoformat()[:10]
    return data


def _leaves(error: Any) -> list[Any]:
    """An ``anyOf`` error stands for the errors of the branch the value was meant for (a
    mapping in a list of stages is meant as a stage mapping); else itself."""
    if error.validator != "anyOf" or not error.context:
        return [error]
    branches: dict[int, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    meant = [
        subs
        for subs in branches.values()
        if not any(s.validator == "type" and not s.relative_path for s in subs)
    ]
    if len(meant) == 1:
        return [leaf for sub in meant[0] for leaf in _leaves(sub)]
    return [error]


def _where(path: Iterable[Any]) -> str:
    return " ".join(f"#{p + 1}" if isinstance(p, int) else printable(p, 60) for p in path)


def _shown(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{value!r} (yes/no)"
    return printable(repr(value), 60)


def _describe(error: Any) -> tuple[dict[str, str], str]:
    path = list(error.absolute_path)
    where = _where(path)
    expected = str(error.schema.get(_EXPECTED, ""))
    subject = f"'{where}'" if where else "the spec"
    kind = error.validator
    instance = error.instance
    code = "spec_shape"
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(printable(k, 60) for k in instance if k not in known)
        message = f"{subject} has unknown key(s) {', '.join(extra)}"
        expected = ", ".join(sorted(known))
        code = "spec_key"
    elif kind == "enum" and error.schema_path and "propertyNames" in error.schema_path:
        message = f"unknown role {_shown(instance)} in {subject}"
        expected = ", ".join(map(str, error.validator_value))
        code = "spec_role"
    elif kind == "required":
        missing = [k for k in error.validator_value if k not in instance]
        message = f"{subject} lacks {', '.join(repr(k) for k in missing)}"
    elif kind == "format":
        message = f"{subject}: {_shown(instance)} is not a date"
    elif kind == "minItems":
        message = f"{subject} is empty"
    elif kind == "enum":
        message = f"{subject}: {_shown(instance)} is not one of {', '.join(error.validator_value)}"
    else:  # type, anyOf
        message = f"{subject} is {_shown(instance)}"
    if path and path[0] in ("stages", "changes", "events"):
        code = {"stages": "spec_stages", "changes": "spec_changes", "events": "spec_events"}[
            path[0]
        ]
        if kind == "additionalProperties":
            code = "spec_key"
    if expected:
        message += f" (expected {expected})"
    return {"key": where, "message": message, "expected": expected}, code
