"""The spec's ``spend:`` block: where a funnel's ad spend comes from and how it meets the deals.

A spend table (channel, period, amount) is read from a file, a Google Sheet or typed into the
app; the block keeps what a person confirmed about it, so the same numbers come back with the
mapping: which of its columns are what, which deal role its channels are matched to, the
spend names that are written differently from the deals' (``channels``), an optional gross
margin, and the table itself once read (``rows``: the app keeps it with the mapping; the CLI
may name a ``file`` instead). See ``docs/spec.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args

from funnel.errors import SpecError

SpendRole = Literal["channel", "campaign", "period", "start", "end", "amount", "currency"]
SPEND_ROLES: tuple[SpendRole, ...] = get_args(SpendRole)
SpendLayout = Literal["long", "wide"]
SPEND_KEYS = ("by", "file", "sheet", "layout", "columns", "channel", "channels", "margin", "rows")
ROW_KEYS = ("channel", "start", "end", "amount", "currency", "campaign")
# Rows kept inline beyond this are folded into calendar months (a year of daily spend on fifty
# campaigns is 18,000 rows; its months are what the numbers need).
MAX_INLINE_ROWS = 3000


@dataclass(frozen=True)
class SpendRow:
    """One amount spent on one channel over [start, end) (``start`` None: no period given)."""

    channel: str
    amount: float
    start: date | None = None
    end: date | None = None  # exclusive
    currency: str = ""
    campaign: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"channel": self.channel}
        if self.start is not None and self.end is not None:
            out["start"] = self.start.isoformat()
            out["end"] = self.end.isoformat()
        out["amount"] = round(self.amount, 2)
        if self.currency:
            out["currency"] = self.currency
        if self.campaign:
            out["campaign"] = self.campaign
        return out


@dataclass(frozen=True)
class SpendSpec:
    """How a funnel's spend is read and matched; see the module docstring."""

    by: str = "channel"
    file: str | None = None
    sheet: str | None = None
    layout: SpendLayout | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    # Every row is this channel (an ad account's own report has no channel column).
    channel: str | None = None
    # A spend label -> the deal label it stands for, where normalising case and spaces is not
    # enough ("Яндекс.Директ" -> "Контекстная реклама").
    channels: Mapping[str, str] = field(default_factory=dict)
    margin: float | None = None
    rows: tuple[SpendRow, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"by": self.by}
        for key in ("file", "sheet", "layout", "channel"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.columns:
            out["columns"] = dict(self.columns)
        if self.channels:
            out["channels"] = dict(self.channels)
        if self.margin is not None:
            out["margin"] = self.margin
        if self.rows:
            out["rows"] = [r.to_dict() for r in self.rows]
        return out


def _date(value: Any, what: str, source: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SpecError(
            f"{what} {value!r} is not a date", "spec_spend", source, expected="YYYY-MM-DD"
        ) from None


def _row(item: Any, i: int, source: str) -> SpendRow:
    if not isinstance(item, Mapping) or "channel" not in item or "amount" not in item:
        raise SpecError(f"spend row #{i} needs 'channel' and 'amount'", "spec_spend", source)
    extra = set(map(str, item)) - set(ROW_KEYS)
    if extra:
        raise SpecError(
            f"spend row #{i}: unknown key(s) {', '.join(sorted(extra))}",
            "spec_key",
            source,
            expected=", ".join(ROW_KEYS),
            params={"keys": sorted(extra)},
        )
    try:
        amount = float(item["amount"])
    except (TypeError, ValueError):
        raise SpecError(f"spend row #{i}: amount is not a number", "spec_spend", source) from None
    start = item.get("start")
    end = item.get("end")
    if (start is None) != (end is None):
        raise SpecError(f"spend row #{i} needs both 'start' and 'end'", "spec_spend", source)
    first = _date(start, "spend start", source) if start is not None else None
    last = _date(end, "spend end", source) if end is not None else None
    if first is not None and last is not None and last <= first:
        raise SpecError(f"spend row #{i} ends before it starts", "spec_spend", source)
    return SpendRow(
        channel=str(item["channel"]),
        amount=amount,
        start=first,
        end=last,
        currency=str(item.get("currency") or ""),
        campaign=str(item.get("campaign") or ""),
    )


def parse_spend(data: Any, source: str) -> SpendSpec:
    """The ``spend:`` block of a spec (already checked against the schema's shape)."""
    if not isinstance(data, Mapping):
        raise SpecError("'spend' must be a mapping", "spec_shape", source)
    unknown = set(map(str, data)) - set(SPEND_KEYS)
    if unknown:
        raise SpecError(
            f"unknown key(s) in 'spend': {', '.join(sorted(unknown))}",
            code="spec_key",
            file=source,
            expected=", ".join(SPEND_KEYS),
            params={"keys": sorted(unknown)},
        )
    columns = data.get("columns") or {}
    if not isinstance(columns, Mapping) or any(r not in SPEND_ROLES for r in columns):
        raise SpecError(
            "'spend.columns' must map spend roles to headers",
            "spec_role",
            source,
            expected=", ".join(SPEND_ROLES),
        )
    channels = data.get("channels") or {}
    if not isinstance(channels, Mapping):
        raise SpecError("'spend.channels' must map spend names to deal names", "spec_shape", source)
    margin = data.get("margin")
    if margin is not None:
        if isinstance(margin, bool) or not isinstance(margin, int | float) or not 0 < margin <= 1:
            raise SpecError(
                f"spend margin {margin!r} is not a share",
                "spec_spend",
                source,
                expected="a number above 0 and at most 1, as 0.35",
            )
        margin = float(margin)
    layout = data.get("layout")
    if layout is not None and layout not in get_args(SpendLayout):
        raise SpecError("'spend.layout' must be long or wide", "spec_spend", source)
    raw_rows = data.get("rows") or []
    if not isinstance(raw_rows, list):
        raise SpecError("'spend.rows' must be a list", "spec_shape", source)

    def text(key: str) -> str | None:
        return str(data[key]) if data.get(key) is not None else None

    return SpendSpec(
        by=str(data.get("by") or "channel"),
        file=text("file"),
        sheet=text("sheet"),
        layout=layout,
        columns={str(k): str(v) for k, v in columns.items()},
        channel=text("channel"),
        channels={str(k): str(v) for k, v in channels.items()},
        margin=margin,
        rows=tuple(_row(item, i, source) for i, item in enumerate(raw_rows, 1)),
    )


def spend_schema() -> dict[str, Any]:
    """The JSON schema of the ``spend:`` block, for the spec's schema check."""
    text = {"type": ["string", "number", "null"]}
    return {
        "type": ["object", "null"],
        "properties": {
            "by": text,
            "file": text,
            "sheet": text,
            "layout": {"enum": ["long", "wide", None]},
            "columns": {"type": ["object", "null"], "propertyNames": {"enum": list(SPEND_ROLES)}},
            "channel": text,
            "channels": {"type": ["object", "null"]},
            "margin": {"type": ["number", "null"]},
            "rows": {
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "properties": {key: {} for key in ROW_KEYS},
                    "required": ["channel", "amount"],
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
