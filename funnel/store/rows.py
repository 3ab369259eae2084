"""Rows as records and back: the checks every value passes before it is saved (names, views,
sizes), the errors they raise, and the times and ids the store gives."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from funnel.errors import printable
from funnel.spec import Spec
from funnel.store.errors import StoreError
from funnel.store.records import (
    Link,
    MarkedChange,
    SavedMapping,
    SavedView,
    Snapshot,
    Source,
    Workspace,
)
from funnel.store.schema import blobs
from funnel.store.settings import MAX_NAME_CHARS, MAX_VIEW_BYTES


def view_json(state: Mapping[str, Any]) -> str:
    """A view's state as canonical JSON text; only plain JSON data (no NaN) of at most
    :data:`~funnel.store.settings.MAX_VIEW_BYTES` is accepted."""
    if not isinstance(state, Mapping):
        raise StoreError("a view is a mapping of plain values", code="bad_view")
    try:
        text = json.dumps(
            dict(state), ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
        )
    except (TypeError, ValueError, RecursionError) as exc:
        raise StoreError(
            f"a view holds plain JSON data only: {printable(exc, 120)}", code="bad_view"
        ) from None
    size = len(text.encode("utf-8"))
    if size > MAX_VIEW_BYTES:
        raise too_big("view", size, MAX_VIEW_BYTES)
    return text


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    """Aware UTC: SQLite gives back naive text, PostgreSQL the session's zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def workspace_size(conn: sa.Connection, workspace_id: str) -> int:
    total = sa.func.coalesce(sa.func.sum(blobs.c.size), 0)
    return int(
        conn.execute(sa.select(total).where(blobs.c.workspace_id == workspace_id)).scalar_one()
    )


def checked_name(
    value: object, what: str, *, limit: int = MAX_NAME_CHARS, allow_empty: bool = False
) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if (not text and not allow_empty) or len(text) > limit or not isinstance(value, str):
        raise StoreError(
            f"{what}: text of {0 if allow_empty else 1} to {limit} characters expected",
            code="bad_name",
            expected=f"{0 if allow_empty else 1} to {limit} characters",
            params={"what": what, "max": limit},
        )
    return text


def not_found(what: str, key: str) -> StoreError:
    return StoreError(
        f"no {what} {printable(key, 80)}", code="not_found", params={"what": what, "id": key}
    )


def too_big(limit: str, found: int, maximum: int, *, file: str | None = None) -> StoreError:
    return StoreError(
        f"the {limit} would be {found:,} bytes; the store keeps up to {maximum:,}",
        code="too_big",
        file=file,
        params={"limit": limit, "found": found, "max": maximum},
    )


def workspace_record(row: Any) -> Workspace:
    values = row if isinstance(row, Mapping) else row._mapping
    return Workspace(
        id=values["id"],
        name=values["name"],
        created=utc(values["created_at"]),
        updated=utc(values["updated_at"]),
        version=values["version"],
        owner=values.get("owner"),
    )


def source_record(row: Any) -> Source:
    values = row if isinstance(row, Mapping) else row._mapping
    return Source(
        id=values["id"],
        workspace_id=values["workspace_id"],
        kind=values["kind"],
        name=values["name"],
        created=utc(values["created_at"]),
        url=values.get("url"),
        tab=values.get("tab"),
    )


def snapshot_record(row: Any) -> Snapshot:
    values = row if isinstance(row, Mapping) else row._mapping
    return Snapshot(
        id=values["id"],
        source_id=values["source_id"],
        sha256=values["sha256"],
        size=int(values["size"]),
        file_name=values["file_name"],
        taken=utc(values["taken_at"]),
        events_sha256=values.get("events_sha256"),
        events_file_name=values.get("events_file_name"),
    )


def mapping_record(row: Any) -> SavedMapping:
    values = row if isinstance(row, Mapping) else row._mapping
    return SavedMapping(
        source_id=values["source_id"],
        pipeline=values["pipeline"],
        spec=Spec.from_yaml(values["spec_yaml"], source="saved mapping"),
        yaml=values["spec_yaml"],
        version=values["version"],
        updated=utc(values["updated_at"]),
    )


def change_record(row: Any) -> MarkedChange:
    values = row if isinstance(row, Mapping) else row._mapping
    return MarkedChange(id=values["id"], on=values["on_date"], label=values["label"])


def view_record(row: Any) -> SavedView:
    values = row if isinstance(row, Mapping) else row._mapping
    return SavedView(
        id=values["id"],
        name=values["name"],
        state=json.loads(values["state_json"]),
        created=utc(values["created_at"]),
        updated=utc(values["updated_at"]),
    )


def link_record(row: Any) -> Link:
    values = row if isinstance(row, Mapping) else row._mapping
    revoked = values.get("revoked_at")
    return Link(
        id=values["id"],
        workspace_id=values["workspace_id"],
        role=values["role"],
        label=values["label"],
        created=utc(values["created_at"]),
        revoked=utc(revoked) if revoked is not None else None,
    )
