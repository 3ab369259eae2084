"""The workspace store: each client's files and their snapshots, the confirmed mappings, the
marked changes and the saved views; every save one transaction, checked against the workspace's
version so that a second writer never overwrites the first unawares."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from funnel.errors import printable
from funnel.spec import Spec
from funnel.spec_load import MAX_SPEC_BYTES
from funnel.store import archive, transfer
from funnel.store.engine import WRITE, make_engine, upgrade
from funnel.store.errors import StoreError
from funnel.store.records import (
    Link,
    LinkRole,
    MarkedChange,
    Saved,
    SavedMapping,
    SavedView,
    Snapshot,
    Source,
    Workspace,
)
from funnel.store.rows import (
    change_record,
    checked_name,
    link_record,
    mapping_record,
    new_id,
    not_found,
    snapshot_record,
    source_record,
    too_big,
    utc,
    utc_now,
    view_json,
    view_record,
    workspace_record,
    workspace_size,
)
from funnel.store.schema import (
    OWNER,
    blobs,
    changes,
    links,
    mappings,
    snapshots,
    sources,
    views,
    workspaces,
)
from funnel.store.settings import Limits, database_url
from funnel.store.tokens import new_token, token_hash

LINK_ROLES: tuple[LinkRole, ...] = ("edit", "read")


class Anyone(enum.Enum):
    """The owner filter of :meth:`Store.workspaces` that keeps every workspace."""

    ANYONE = "anyone"


ANYONE = Anyone.ANYONE


def open_store(url: str | None = None, *, limits: Limits | None = None) -> Store:
    """The store at ``url`` (default: :func:`~funnel.store.settings.database_url`), its schema
    created or upgraded first."""
    engine = make_engine(url or database_url())
    try:
        upgrade(engine)
    except Exception:
        engine.dispose()
        raise
    return Store(engine, limits or Limits.from_env())


class Store:
    """One database of workspaces. Readers return records; writers take the workspace
    ``version`` the caller last read and return what they saved with the version after it."""

    def __init__(self, engine: sa.Engine, limits: Limits) -> None:
        self._engine = engine
        self.limits = limits

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ---- workspaces ---------------------------------------------------------------------------

    def workspaces(self, *, owner: str | Anyone | None = ANYONE) -> list[Workspace]:
        """Every workspace, by name; with ``owner``, only those that person owns (``None``:
        only those nobody owns)."""
        query = sa.select(workspaces).order_by(workspaces.c.name, workspaces.c.created_at)
        if owner is None:
            query = query.where(workspaces.c.owner.is_(None))
        elif isinstance(owner, str):
            query = query.where(workspaces.c.owner == owner)
        with self._read() as conn:
            return [workspace_record(row) for row in conn.execute(query)]

    def workspace(self, workspace_id: str) -> Workspace:
        with self._read() as conn:
            return self._workspace(conn, workspace_id)

    def create_workspace(
        self, name: str, *, created: datetime | None = None, owner: str | None = None
    ) -> Workspace:
        """A new empty workspace; ``owner`` is the identity of the person who may open it
        without a link in shared mode (None: nobody signed in)."""
        now = utc_now()
        row = {
            "id": new_id(),
            "name": checked_name(name, "workspace"),
            "created_at": utc(created) if created else now,
            "updated_at": now,
            "version": 1,
            "owner": _checked_owner(owner),
        }
        with self._transaction() as conn:
            conn.execute(sa.insert(workspaces).values(row))
        return workspace_record(row)

    def rename_workspace(self, workspace_id: str, name: str, *, version: int) -> Workspace:
        new_name = checked_name(name, "workspace")
        with self._write(workspace_id, version) as (conn, _):
            conn.execute(
                sa.update(workspaces).where(workspaces.c.id == workspace_id).values(name=new_name)
            )
            return self._workspace(conn, workspace_id)

    def delete_workspace(self, workspace_id: str, *, version: int) -> None:
        """The workspace and everything it holds (files, snapshots, mappings, changes, views,
        links)."""
        with self._write(workspace_id, version) as (conn, _):
            conn.execute(sa.delete(workspaces).where(workspaces.c.id == workspace_id))

    def size(self, workspace_id: str) -> int:
        """Bytes of file contents the workspace holds (each content counted once)."""
        with self._read() as conn:
            self._workspace(conn, workspace_id)
            return workspace_size(conn, workspace_id)

    # ---- sources and snapshots ----------------------------------------------------------------

    def sources(self, workspace_id: str) -> list[Source]:
        query = (
            sa.select(sources)
            .where(sources.c.workspace_id == workspace_id)
            .order_by(sources.c.created_at, sources.c.name, sources.c.id)
        )
        with self._read() as conn:
            self._workspace(conn, workspace_id)
            return [source_record(row) for row in conn.execute(query)]

    def snapshots(self, workspace_id: str, source_id: str | None = None) -> list[Snapshot]:
        """The snapshots of one source (or of all), oldest first."""
        query = sa.select(snapshots).where(snapshots.c.workspace_id == workspace_id)
        if source_id is not None:
            query = query.where(snapshots.c.source_id == source_id)
        query = query.order_by(snapshots.c.taken_at, snapshots.c.id)
        with self._read() as conn:
            self._workspace(conn, workspace_id)
            return [snapshot_record(row) for row in conn.execute(query)]

    def snapshot_bytes(self, workspace_id: str, snapshot_id: str) -> bytes:
        query = (
            sa.select(blobs.c.data)
            .join(
                snapshots,
                sa.and_(
                    snapshots.c.workspace_id == blobs.c.workspace_id,
                    snapshots.c.sha256 == blobs.c.sha256,
                ),
            )
            .where(snapshots.c.workspace_id == workspace_id, snapshots.c.id == snapshot_id)
        )
        with self._read() as conn:
            data = conn.execute(query).scalar()
        if data is None:
            raise not_found("snapshot", snapshot_id)
        return bytes(data)

    def add_file(
        self,
        workspace_id: str,
        name: str,
        data: bytes,
        *,
        version: int,
        taken: datetime | None = None,
    ) -> Saved[Snapshot]:
        """A new file source with ``data`` as its first snapshot."""
        file_name = checked_name(name, "file")
        self._check_file(file_name, data)
        now = utc_now()
        source_id = new_id()
        with self._write(workspace_id, version) as (conn, new_version):
            conn.execute(
                sa.insert(sources).values(
                    id=source_id,
                    workspace_id=workspace_id,
                    kind="file",
                    name=file_name,
                    created_at=now,
                )
            )
            snapshot = self._put_snapshot(
                conn, workspace_id, source_id, data, file_name, utc(taken) if taken else now
            )
        return Saved(snapshot, new_version)

    def add_sheet(
        self, workspace_id: str, url: str, tab: str, *, version: int, name: str | None = None
    ) -> Saved[Source]:
        """A Google Sheets tab as a source; each fetch of it is then a snapshot."""
        row = {
            "id": new_id(),
            "workspace_id": workspace_id,
            "kind": "sheet",
            "name": checked_name(name or tab, "sheet"),
            "url": checked_name(url, "sheet link", limit=2000),
            "tab": checked_name(tab, "tab"),
            "created_at": utc_now(),
        }
        with self._write(workspace_id, version) as (conn, new_version):
            conn.execute(sa.insert(sources).values(row))
        return Saved(source_record(row), new_version)

    def add_snapshot(
        self,
        workspace_id: str,
        source_id: str,
        data: bytes,
        *,
        version: int,
        file_name: str | None = None,
        taken: datetime | None = None,
    ) -> Saved[Snapshot]:
        """A new export of a file source, or a fetch of a sheet, dated ``taken`` (now)."""
        with self._read() as conn:
            source = self._source(conn, workspace_id, source_id)
        name = checked_name(file_name or source.name, "file")
        self._check_file(name, data)
        with self._write(workspace_id, version) as (conn, new_version):
            self._source(conn, workspace_id, source_id)  # not deleted in between
            when = utc(taken) if taken else utc_now()
            snapshot = self._put_snapshot(conn, workspace_id, source_id, data, name, when)
        return Saved(snapshot, new_version)

    def delete_source(self, workspace_id: str, source_id: str, *, version: int) -> int:
        """The source with its snapshots and mappings; contents no snapshot shares any more go
        too. Returns the workspace's new version."""
        with self._write(workspace_id, version) as (conn, new_version):
            self._source(conn, workspace_id, source_id)
            conn.execute(sa.delete(sources).where(sources.c.id == source_id))
            _drop_unused_blobs(conn, workspace_id)
        return new_version

    def attach_events(
        self,
        workspace_id: str,
        snapshot_id: str,
        data: bytes | None,
        file_name: str | None = None,
        *,
        version: int,
    ) -> Saved[Snapshot]:
        """Keep ``data`` as the snapshot's second file (a stage history register or a
        closed-deals list, joined to its deals by id), replacing the one attached before;
        ``None`` detaches it. ``file_name`` defaults to the name of the file replaced. The
        contents are kept once per workspace like any file's, with the same limits, and go when
        no snapshot uses them any more."""
        name: str | None = None
        if data is not None:
            if file_name is None:
                with self._read() as conn:
                    file_name = self._snapshot_row(conn, workspace_id, snapshot_id).events_file_name
            name = checked_name(file_name, "file")
            self._check_file(name, data)
        with self._write(workspace_id, version) as (conn, new_version):
            before = self._snapshot_row(conn, workspace_id, snapshot_id).events_sha256
            sha256 = None if data is None else self._put_blob(conn, workspace_id, data, name)
            conn.execute(
                sa.update(snapshots)
                .where(snapshots.c.id == snapshot_id)
                .values(events_sha256=sha256, events_file_name=name)
            )
            if before is not None and before != sha256:
                _drop_unused_blobs(conn, workspace_id, before)
            snapshot = snapshot_record(self._snapshot_row(conn, workspace_id, snapshot_id))
        return Saved(snapshot, new_version)

    def events_bytes(self, workspace_id: str, snapshot_id: str) -> bytes | None:
        """The contents of the snapshot's second file, None when it has none."""
        with self._read() as conn:
            sha256 = self._snapshot_row(conn, workspace_id, snapshot_id).events_sha256
            if sha256 is None:
                return None
            data = conn.execute(
                sa.select(blobs.c.data).where(
                    blobs.c.workspace_id == workspace_id, blobs.c.sha256 == sha256
                )
            ).scalar_one()
        return bytes(data)

    # ---- mappings, changes, views -------------------------------------------------------------

    def mappings(self, workspace_id: str) -> list[SavedMapping]:
        query = (
            sa.select(mappings)
            .join(sources, sources.c.id == mappings.c.source_id)
            .where(sources.c.workspace_id == workspace_id)
            .order_by(sources.c.created_at, sources.c.id, mappings.c.pipeline)
        )
        with self._read() as conn:
            self._workspace(conn, workspace_id)
            return [mapping_record(row) for row in conn.execute(query)]

    def mapping(self, workspace_id: str, source_id: str, pipeline: str = "") -> SavedMapping | None:
        """The confirmed mapping of a source and pipeline, or None before one is saved."""
        query = sa.select(mappings).where(
            mappings.c.source_id == source_id, mappings.c.pipeline == pipeline
        )
        with self._read() as conn:
            self._source(conn, workspace_id, source_id)
            row = conn.execute(query).first()
        return mapping_record(row) if row is not None else None

    def save_mapping(
        self,
        workspace_id: str,
        source_id: str,
        spec: Spec,
        *,
        version: int,
        pipeline: str = "",
        updated: datetime | None = None,
    ) -> Saved[SavedMapping]:
        """Confirm ``spec`` for a source and pipeline (``""``: the whole source), as YAML."""
        text = spec.to_yaml()
        pipeline = checked_name(pipeline, "pipeline", allow_empty=True)
        if len(text.encode("utf-8")) > MAX_SPEC_BYTES:
            raise too_big("mapping", len(text.encode("utf-8")), MAX_SPEC_BYTES)
        key = sa.and_(mappings.c.source_id == source_id, mappings.c.pipeline == pipeline)
        with self._write(workspace_id, version) as (conn, new_version):
            self._source(conn, workspace_id, source_id)
            before = conn.execute(sa.select(mappings.c.version).where(key)).scalar()
            row = {
                "source_id": source_id,
                "pipeline": pipeline,
                "spec_yaml": text,
                "version": (before or 0) + 1,
                "updated_at": utc(updated) if updated else utc_now(),
            }
            if before is None:
                conn.execute(sa.insert(mappings).values(row))
            else:
                conn.execute(sa.update(mappings).where(key).values(row))
        return Saved(mapping_record(row), new_version)

    def changes(self, workspace_id: str) -> list[MarkedChange]:
        query = (
            sa.select(changes)
            .where(changes.c.workspace_id == workspace_id)
            .order_by(changes.c.on_date, changes.c.id)
        )
        with self._read() as conn:
            self._workspace(conn, workspace_id)
            return [change_record(row) for row in conn.execute(query)]

    def add_change(
        self, workspace_id: str, on: date, label: str, *, version: int
    ) -> Saved[MarkedChange]:
        text = checked_name(label, "change label", allow_empty=True)
        with self._write(workspace_id, version) as (conn, new_version):
            result = conn.execute(
                sa.insert(changes)
                .values(workspace_id=workspace_id, on_date=on, label=text)
                .returning(changes.c.id)
            )
            change_id = result.scalar_one()
        return Saved(MarkedChange(id=change_id, on=on, label=text), new_version)

    def delete_change(self, workspace_id: str, change_id: int, *, version: int) -> int:
        with self._write(workspace_id, version) as (conn, new_version):
            gone = conn.execute(
                sa.delete(changes).where(
                    changes.c.workspace_id == workspace_id, changes.c.id == change_id
                )
            )
            if gone.rowcount != 1:
                raise not_found("change", str(change_id))
        return new_version

    def views(self, workspace_id: str) -> list[SavedView]:
        query = sa.select(views).where(views.c.workspace_id == workspace_id).order_by(views.c.name)
        with self._read() as conn:
            self._workspace(conn, workspace_id)
            return [view_record(row) for row in conn.execute(query)]

    def save_view(
        self,
        workspace_id: str,
        name: str,
        state: Mapping[str, Any],
        *,
        version: int,
        created: datetime | None = None,
        updated: datetime | None = None,
    ) -> Saved[SavedView]:
        """Save ``state`` (plain JSON data) under ``name``, replacing a view of that name."""
        view_name = checked_name(name, "view")
        text = view_json(state)
        now = utc_now()
        with self._write(workspace_id, version) as (conn, new_version):
            key = sa.and_(views.c.workspace_id == workspace_id, views.c.name == view_name)
            before = conn.execute(sa.select(views.c.id, views.c.created_at).where(key)).first()
            row = {
                "id": before.id if before else new_id(),
                "workspace_id": workspace_id,
                "name": view_name,
                "state_json": text,
                "created_at": before.created_at if before else utc(created or now),
                "updated_at": utc(updated or now),
            }
            if before is None:
                conn.execute(sa.insert(views).values(row))
            else:
                conn.execute(sa.update(views).where(key).values(row))
        return Saved(view_record(row), new_version)

    def delete_view(self, workspace_id: str, view_id: str, *, version: int) -> int:
        with self._write(workspace_id, version) as (conn, new_version):
            gone = conn.execute(
                sa.delete(views).where(views.c.workspace_id == workspace_id, views.c.id == view_id)
            )
            if gone.rowcount != 1:
                raise not_found("view", view_id)
        return new_version

    # ---- secret links -------------------------------------------------------------------------

    def create_link(
        self, workspace_id: str, role: LinkRole, *, version: int, label: str = ""
    ) -> Saved[tuple[Link, str]]:
        """A new secret link into the workspace with ``role`` (``"edit"`` or ``"read"``): the
        link and its token. The token is given here once and never again (only its hash is
        kept), so the caller shows it now or makes a new link later."""
        if role not in LINK_ROLES:
            raise StoreError(
                f"a link's role is one of {', '.join(LINK_ROLES)}",
                code="bad_role",
                expected=" or ".join(LINK_ROLES),
                params={"role": printable(role, 40)},
            )
        token = new_token()
        digest = token_hash(token)
        assert digest is not None  # new_token makes only what token_hash takes
        row = {
            "id": new_id(),
            "workspace_id": workspace_id,
            "token_sha256": digest,
            "role": role,
            "label": checked_name(label, "link label", allow_empty=True),
            "created_at": utc_now(),
            "revoked_at": None,
        }
        with self._write(workspace_id, version) as (conn, new_version):
            conn.execute(sa.insert(links).values(row))
        return Saved((link_record(row), token), new_version)

    def links(self, workspace_id: str, *, revoked: bool = False) -> list[Link]:
        """The workspace's links, oldest first: those still open, or with ``revoked`` all of
        them. Never their tokens."""
        query = sa.select(links).where(links.c.workspace_id == workspace_id)
        if not revoked:
            query = query.where(links.c.revoked_at.is_(None))
        query = query.order_by(links.c.created_at, links.c.id)
        with self._read() as conn:
            self._workspace(conn, workspace_id)
            return [link_record(row) for row in conn.execute(query)]

    def revoke_link(self, workspace_id: str, link_id: str, *, version: int) -> int:
        """Close a link for good: its token opens nothing from now on (a link revoked before
        keeps its first revocation time). Returns the workspace's new version."""
        key = sa.and_(links.c.workspace_id == workspace_id, links.c.id == link_id)
        with self._write(workspace_id, version) as (conn, new_version):
            if conn.execute(sa.select(links.c.id).where(key)).first() is None:
                raise not_found("link", link_id)
            conn.execute(
                sa.update(links)
                .where(key, links.c.revoked_at.is_(None))
                .values(revoked_at=utc_now())
            )
        return new_version

    def open_link(self, token: str) -> tuple[Workspace, Link] | None:
        """The workspace a token opens and its link; None for a token that is unknown,
        malformed (any text, of any length, or not text at all), revoked, or whose workspace
        was deleted."""
        digest = token_hash(token)
        if digest is None:
            return None
        with self._read() as conn:
            row = conn.execute(
                sa.select(links).where(links.c.token_sha256 == digest, links.c.revoked_at.is_(None))
            ).first()
            if row is None:
                return None
            found = conn.execute(
                sa.select(workspaces).where(workspaces.c.id == row.workspace_id)
            ).first()
        if found is None:
            return None
        return workspace_record(found), link_record(row)

    # ---- export and import --------------------------------------------------------------------

    def export_workspace(self, workspace_id: str) -> bytes:
        """The whole workspace as one zip (see :mod:`funnel.store.archive`)."""
        with self._read() as conn:
            if conn.dialect.name == "postgresql":
                # One consistent view of the workspace across the export's many queries.
                conn.execution_options(isolation_level="REPEATABLE READ")
            contents = transfer.contents_of(conn, self._workspace(conn, workspace_id))
            return archive.write(contents)

    def import_workspace(
        self, data: bytes, *, name: str | None = None, owner: str | None = None
    ) -> Workspace:
        """A new workspace from an exported zip, every member checked before anything is
        written, and all of it written in one transaction. It belongs to ``owner`` and has no
        links: an export carries neither, so a copy opens for nobody the original was shared
        with."""
        contents = archive.read(data, self.limits)
        workspace = Workspace(
            id=new_id(),
            name=checked_name(name or contents.name, "workspace"),
            created=contents.created,
            updated=utc_now(),
            version=1,
            owner=_checked_owner(owner),
        )
        with self._transaction() as conn:
            transfer.write_contents(conn, workspace, contents)
        return workspace

    # ---- transactions -------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn, _database_errors():
            yield conn

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn, _database_errors():
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def _write(self, workspace_id: str, version: int) -> Iterator[tuple[sa.Connection, int]]:
        """One transaction that first moves the workspace from ``version`` to the next; if
        another writer moved it first, nothing is written and ``stale_version`` is raised."""
        with self._transaction() as conn:
            moved = conn.execute(
                sa.update(workspaces)
                .where(workspaces.c.id == workspace_id, workspaces.c.version == version)
                .values(version=version + 1, updated_at=utc_now())
            )
            if moved.rowcount != 1:
                found = conn.execute(
                    sa.select(workspaces.c.version).where(workspaces.c.id == workspace_id)
                ).scalar()
                if found is None:
                    raise not_found("workspace", workspace_id)
                raise StoreError(
                    f"the workspace was saved by someone else (version {found}, not {version})",
                    code="stale_version",
                    params={"expected": version, "found": found},
                )
            yield conn, version + 1

    def _workspace(self, conn: sa.Connection, workspace_id: str) -> Workspace:
        row = conn.execute(sa.select(workspaces).where(workspaces.c.id == workspace_id)).first()
        if row is None:
            raise not_found("workspace", workspace_id)
        return workspace_record(row)

    def _source(self, conn: sa.Connection, workspace_id: str, source_id: str) -> Source:
        row = conn.execute(
            sa.select(sources).where(
                sources.c.id == source_id, sources.c.workspace_id == workspace_id
            )
        ).first()
        if row is None:
            raise not_found("source", source_id)
        return source_record(row)

    def _snapshot_row(self, conn: sa.Connection, workspace_id: str, snapshot_id: str) -> Any:
        row = conn.execute(
            sa.select(snapshots).where(
                snapshots.c.id == snapshot_id, snapshots.c.workspace_id == workspace_id
            )
        ).first()
        if row is None:
            raise not_found("snapshot", snapshot_id)
        return row

    def _check_file(self, name: str, data: bytes) -> None:
        if len(data) > self.limits.file_bytes:
            raise too_big("file", len(data), self.limits.file_bytes, file=name)

    def _put_snapshot(
        self,
        conn: sa.Connection,
        workspace_id: str,
        source_id: str,
        data: bytes,
        file_name: str,
        taken: datetime,
    ) -> Snapshot:
        sha256 = self._put_blob(conn, workspace_id, data, file_name)
        row = {
            "id": new_id(),
            "source_id": source_id,
            "workspace_id": workspace_id,
            "sha256": sha256,
            "size": len(data),
            "file_name": file_name,
            "taken_at": taken,
        }
        conn.execute(sa.insert(snapshots).values(row))
        return snapshot_record(row)

    def _put_blob(
        self, conn: sa.Connection, workspace_id: str, data: bytes, file_name: str | None
    ) -> str:
        """The sha256 of ``data``, kept once per workspace: contents already held take no
        more room, new ones must fit in the workspace's limit."""
        sha256 = hashlib.sha256(data).hexdigest()
        stored = conn.execute(
            sa.select(blobs.c.size).where(
                blobs.c.workspace_id == workspace_id, blobs.c.sha256 == sha256
            )
        ).first()
        if stored is None:
            total = workspace_size(conn, workspace_id) + len(data)
            if total > self.limits.workspace_bytes:
                raise too_big("workspace", total, self.limits.workspace_bytes, file=file_name)
            conn.execute(
                sa.insert(blobs).values(
                    workspace_id=workspace_id, sha256=sha256, size=len(data), data=data
                )
            )
        return sha256


def _drop_unused_blobs(conn: sa.Connection, workspace_id: str, sha256: str | None = None) -> None:
    """Delete the workspace's contents (or only ``sha256``) that no snapshot uses, neither as
    its file nor as its second file."""
    used = sa.select(snapshots.c.id).where(
        snapshots.c.workspace_id == blobs.c.workspace_id,
        sa.or_(snapshots.c.sha256 == blobs.c.sha256, snapshots.c.events_sha256 == blobs.c.sha256),
    )
    query = sa.delete(blobs).where(blobs.c.workspace_id == workspace_id, ~sa.exists(used))
    if sha256 is not None:
        query = query.where(blobs.c.sha256 == sha256)
    conn.execute(query)


def _checked_owner(owner: str | None) -> str | None:
    if owner is None:
        return None
    return checked_name(owner, "owner", limit=OWNER.length or 500)


@contextmanager
def _database_errors() -> Iterator[None]:
    try:
        yield
    except sa.exc.DBAPIError as exc:
        raise StoreError(
            f"the database refused the save, nothing of it was kept: {printable(exc.orig, 300)}",
            code="database",
        ) from exc
