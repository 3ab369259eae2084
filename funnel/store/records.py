"""What the store hands out: frozen records of plain values (no database objects)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from funnel.spec import Spec

SourceKind = Literal["file", "sheet"]
LinkRole = Literal["edit", "read"]
T = TypeVar("T")


@dataclass(frozen=True)
class Workspace:
    """One client's workspace. ``version`` grows by one with every save; a writer passes the
    version it last read, so a save made on stale data is refused rather than lost.

    ``owner`` is the signed-in person's stable identity (shared mode), None for a workspace
    made where nobody signs in."""

    id: str
    name: str
    created: datetime
    updated: datetime
    version: int
    owner: str | None = None


@dataclass(frozen=True)
class Source:
    """An uploaded file (``kind="file"``) or a Google Sheets tab (``kind="sheet"``, with its
    ``url`` and ``tab``); its contents over time are its snapshots."""

    id: str
    workspace_id: str
    kind: SourceKind
    name: str
    created: datetime
    url: str | None = None
    tab: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """One export (or one fetch of a sheet) of a source: its bytes by ``sha256``, kept once per
    workspace however many snapshots share them.

    ``events_sha256`` and ``events_file_name`` name the export's second file when one is
    attached (a stage history register or a closed-deals list, joined to the deals by id),
    kept the same way; None when there is none."""

    id: str
    source_id: str
    sha256: str
    size: int
    file_name: str
    taken: datetime
    events_sha256: str | None = None
    events_file_name: str | None = None


@dataclass(frozen=True)
class SavedMapping:
    """The confirmed mapping of one source and pipeline (``""`` for the whole source)."""

    source_id: str
    pipeline: str
    spec: Spec
    yaml: str
    version: int
    updated: datetime


@dataclass(frozen=True)
class MarkedChange:
    """A dated change to the sales process, for before/after views."""

    id: int
    on: date
    label: str


@dataclass(frozen=True)
class SavedView:
    """A named view: page, filters, breakdown and period as plain JSON data."""

    id: str
    name: str
    state: Mapping[str, Any]
    created: datetime
    updated: datetime


@dataclass(frozen=True)
class Link:
    """A secret link into a workspace: ``role`` ``"edit"`` (everything but the owner's own
    settings) or ``"read"`` (the dashboards only). The token is never part of it: the store
    keeps only the token's hash and hands the token out once, when the link is made."""

    id: str
    workspace_id: str
    role: LinkRole
    label: str
    created: datetime
    revoked: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked is None


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What a save made, and the workspace's version after it (for the next save)."""

    item: T
    version: int
