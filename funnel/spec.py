"""The funnel spec: a small YAML-backed description of a funnel over one source.

``infer`` writes it, a person edits it, ``report`` and the app read it. The key names are a
contract shared with users' saved files; see ``docs/spec.md``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, get_args

import yaml

from funnel import spec_load
from funnel.errors import SpecError
from funnel.spec_spend import SpendSpec, parse_spend

Role = Literal[
    "deal",
    "title",
    "stage",
    "pipeline",
    "channel",
    "product",
    "owner",
    "amount",
    "currency",
    "created",
    "closed",
    "status",
    "lost_stage",
    "won_at",
    "lost_at",
    "loss_reason",
    "at",
]
ROLES: tuple[Role, ...] = get_args(Role)
EVENT_ROLES: tuple[Role, ...] = ("deal", "title", "stage", "at")
# Roles whose values are labels a funnel can be broken down by.
SEGMENT_ROLES: tuple[Role, ...] = ("channel", "product", "owner", "pipeline")

Layout = Literal["snapshot", "stage_dates", "history"]


@dataclass(frozen=True)
class Stage:
    """One step of the funnel, top first.

    ``match`` lists the source values meaning this stage (defaults to ``[name]``); ``group`` is an
    optional block for a coarser view; ``column`` is the date column of this stage in the
    stage-date layout.
    """

    name: str
    match: tuple[str, ...] = ()
    group: str | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        if not self.match:
            object.__setattr__(self, "match", (self.name,))


@dataclass(frozen=True)
class Events:
    """A stage history joined to the deal list: its columns by role and the deal-list join role."""

    columns: Mapping[str, str]
    join: Literal["deal", "title"] = "deal"
    # A second file whose rows each mark one stage (closed deals, invoices, payments): the stage,
    # won or lost value every row marks; then the file needs no stage column.
    stage: str | None = None


@dataclass(frozen=True)
class Change:
    """A dated change to the sales process ("new script from 1 March"), for before/after views."""

    date: date
    label: str


@dataclass(frozen=True)
class Spec:
    """Everything needed to turn a source table into funnel numbers."""

    columns: Mapping[str, str]
    stages: tuple[Stage, ...]
    won: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    filter: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    events: Events | None = None
    changes: tuple[Change, ...] = ()
    # What inference proposed without proof, by subject ("stage_order", "role:<role>"), with the
    # reason in English; confirming the mapping in the app (or deleting the key) clears it.
    guessed: Mapping[str, str] = field(default_factory=dict)
    # Ad spend per channel and period, for channel economics (see funnel/spec_spend.py).
    spend: SpendSpec | None = None

    @property
    def layout(self) -> Layout:
        """Which of the three layouts the spec describes, from its keys alone."""
        if (self.events is not None and self.events.stage is None) or "at" in self.columns:
            return "history"
        if any(s.column for s in self.stages):
            return "stage_dates"
        return "snapshot"

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    @property
    def groups(self) -> tuple[str, ...]:
        """Stage groups in funnel order, each once (stages without a group stand for themselves)."""
        seen: dict[str, None] = {}
        for s in self.stages:
            seen.setdefault(s.group or s.name, None)
        return tuple(seen)

    def with_changes(self, **kwargs: Any) -> Spec:
        return replace(self, **kwargs)

    # ---- YAML -------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"columns": dict(self.columns)}
        stages = []
        for s in self.stages:
            d: dict[str, Any] = {"name": s.name}
            if s.match != (s.name,):
                d["match"] = list(s.match)
            if s.group:
                d["group"] = s.group
            if s.column:
                d["column"] = s.column
            stages.append(d)
        out["stages"] = stages
        out["won"] = list(self.won)
        out["lost"] = list(self.lost)
        if self.filter:
            out["filter"] = {k: list(v) for k, v in self.filter.items()}
        if self.events is not None:
            out["events"] = {"columns": dict(self.events.columns), "join": self.events.join}
            if self.events.stage is not None:
                out["events"]["stage"] = self.events.stage
        if self.changes:
            out["changes"] = [{"date": c.date.isoformat(), "label": c.label} for c in self.changes]
        if self.guessed:
            out["guessed"] = dict(self.guessed)
        if self.spend is not None:
            out["spend"] = self.spend.to_dict()
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(
            self.to_dict(), allow_unicode=True, sort_keys=False, default_flow_style=False
        )

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "spec") -> Spec:
        """A spec from its data, checked against the schema first (every problem named)."""
        spec_load.check(data, source, ROLES, EVENT_ROLES)
        return _parse(data, source)

    @classmethod
    def from_yaml(cls, text: str, *, source: str = "spec") -> Spec:
        """A spec from YAML text: no anchors or aliases, bounded nesting, then the schema."""
        return cls.from_dict(spec_load.load_yaml(text, source), source=source)

    @classmethod
    def from_bytes(cls, data: bytes, *, source: str = "spec") -> Spec:
        """A spec from the bytes of an uploaded file: UTF-8 (or a message saying it is not)."""
        return cls.from_yaml(spec_load.decode(data, source), source=source)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Spec:
        """A spec file on disk, named by its file name; only a regular file is opened."""
        data, name = spec_load.read_file(path)
        return cls.from_bytes(data, source=name)


_TOP_KEYS = {
    "columns", "stages", "won", "lost", "filter", "events", "changes", "guessed", "spend"
}  # fmt: skip


def _str_list(value: Any, what: str, source: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | float):
        return (str(value),)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return tuple(str(v) for v in value)
    raise SpecError(f"{what} must be a list of values", code="spec_shape", file=source)


def _parse(data: Any, source: str) -> Spec:
    if not isinstance(data, Mapping):
        raise SpecError("a spec is a mapping with 'columns' and 'stages'", "spec_shape", source)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise SpecError(
            f"unknown key(s) {', '.join(sorted(map(str, unknown)))}",
            code="spec_key",
            file=source,
            expected=", ".join(sorted(_TOP_KEYS)),
            params={"keys": sorted(map(str, unknown))},
        )
    columns = data.get("columns") or {}
    if not isinstance(columns, Mapping):
        raise SpecError("'columns' must map roles to headers", "spec_shape", source)
    for role in columns:
        if role not in ROLES:
            raise SpecError(
                f"unknown role {role!r} in 'columns'",
                code="spec_role",
                file=source,
                expected=", ".join(ROLES),
                params={"role": str(role)},
            )
    raw_stages = data.get("stages") or []
    if not isinstance(raw_stages, list) or not raw_stages:
        raise SpecError("'stages' must be a non-empty list", "spec_stages", source)
    stages = []
    for i, item in enumerate(raw_stages, 1):
        if isinstance(item, str):
            stages.append(Stage(name=item))
            continue
        if not isinstance(item, Mapping) or "name" not in item:
            raise SpecError(f"stage #{i} needs a 'name'", "spec_stages", source)
        extra = set(item) - {"name", "match", "group", "column"}
        if extra:
            raise SpecError(
                f"stage {item['name']!r}: unknown key(s) {', '.join(sorted(extra))}",
                "spec_key",
                source,
                expected="name, match, group, column",
                params={"keys": sorted(map(str, extra))},
            )
        stages.append(
            Stage(
                name=str(item["name"]),
                match=_str_list(item.get("match"), "match", source),
                group=str(item["group"]) if item.get("group") is not None else None,
                column=str(item["column"]) if item.get("column") is not None else None,
            )
        )
    names = [s.name for s in stages]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SpecError(f"stage name(s) used twice: {', '.join(dupes)}", "spec_stages", source)
    flt_raw = data.get("filter") or {}
    if not isinstance(flt_raw, Mapping):
        raise SpecError("'filter' must map roles to lists of values", "spec_shape", source)
    flt = {str(k): _str_list(v, f"filter.{k}", source) for k, v in flt_raw.items()}
    events = None
    if data.get("events") is not None:
        ev = data["events"]
        if not isinstance(ev, Mapping) or not isinstance(ev.get("columns"), Mapping):
            raise SpecError("'events' needs 'columns'", "spec_shape", source)
        for role in ev["columns"]:
            if role not in EVENT_ROLES:
                raise SpecError(
                    f"unknown role {role!r} in 'events.columns'",
                    "spec_role",
                    source,
                    expected=", ".join(EVENT_ROLES),
                    params={"role": str(role)},
                )
        marks = ev.get("stage")
        if marks is not None and not isinstance(marks, str | int | float):
            raise SpecError("'events.stage' must be one stage name", "spec_events", source)
        needed = ("at",) if marks is not None else ("stage", "at")
        missing = [r for r in needed if r not in ev["columns"]]
        if missing:
            raise SpecError(f"'events.columns' lacks {', '.join(missing)}", "spec_events", source)
        join = ev.get("join", "deal")
        if join not in ("deal", "title"):
            raise SpecError("'events.join' must be deal or title", "spec_events", source)
        ev_columns = {str(k): str(v) for k, v in ev["columns"].items()}
        if join == "title" and "title" not in ev_columns and "deal" in ev_columns:
            # {columns: {deal: Opportunity Name, ...}, join: title}: the deal is named by title.
            ev_columns["title"] = ev_columns.pop("deal")
        events = Events(
            columns=ev_columns, join=join, stage=str(marks) if marks is not None else None
        )
    changes = []
    for item in data.get("changes") or []:
        if not isinstance(item, Mapping) or "date" not in item:
            raise SpecError("each change needs a 'date' and a 'label'", "spec_changes", source)
        when = item["date"]
        if isinstance(when, str):
            try:
                when = date.fromisoformat(when)
            except ValueError:
                raise SpecError(
                    f"change date {item['date']!r} is not a date",
                    "spec_changes",
                    source,
                    expected="YYYY-MM-DD",
                ) from None
        changes.append(Change(date=when, label=str(item.get("label", ""))))
    guessed = data.get("guessed") or {}
    if not isinstance(guessed, Mapping):
        raise SpecError("'guessed' must map a subject to its reason", "spec_shape", source)
    return Spec(
        columns={str(k): str(v) for k, v in columns.items()},
        stages=tuple(stages),
        won=_str_list(data.get("won"), "won", source),
        lost=_str_list(data.get("lost"), "lost", source),
        filter=flt,
        events=events,
        changes=tuple(changes),
        guessed={str(k): str(v) for k, v in guessed.items()},
        spend=parse_spend(data["spend"], source) if data.get("spend") is not None else None,
    )
