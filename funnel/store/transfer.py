"""A workspace's whole contents read out of the database for an export, and written back in
for an import (under new ids), each inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import sqlalchemy as sa

from funnel.store import archive
from funnel.store.records import Workspace
from funnel.store.rows import (
    change_record,
    mapping_record,
    new_id,
    snapshot_record,
    source_record,
    view_json,
    view_record,
)
from funnel.store.schema import blobs, changes, mappings, snapshots, sources, views, workspaces


class StoredBlobs(Mapping[str, bytes]):
    """A workspace's file contents by sha256, each read from the database only when asked
    for: an export holds one file at a time, not the whole workspace."""

    def __init__(self, conn: sa.Connection, workspace_id: str) -> None:
        self._conn = conn
        self._workspace_id = workspace_id
        query = sa.select(blobs.c.sha256, blobs.c.size).where(blobs.c.workspace_id == workspace_id)
        self.sizes = {
            row.sha256: int(row.size) for row in conn.execute(query.order_by(blobs.c.sha256))
        }
        self._hashes = tuple(self.sizes)

    def __getitem__(self, sha256: str) -> bytes:
        data = self._conn.execute(
            sa.select(blobs.c.data).where(
                blobs.c.workspace_id == self._workspace_id, blobs.c.sha256 == sha256
            )
        ).scalar()
        if data is None:
            raise KeyError(sha256)
        return bytes(data)

    def __iter__(self) -> Iterator[str]:
        return iter(self._hashes)

    def __len__(self) -> int:
        return len(self._hashes)


def contents_of(conn: sa.Connection, workspace: Workspace) -> archive.Contents:
    """Everything ``workspace`` holds, in the order an export lists it; the file contents are
    read while the export is written, so ``conn`` must stay open until then."""
    workspace_id = workspace.id
    stored = StoredBlobs(conn, workspace_id)
    return archive.Contents(
        name=workspace.name,
        created=workspace.created,
        sources=tuple(
            source_record(row)
            for row in conn.execute(
                sa.select(sources)
                .where(sources.c.workspace_id == workspace_id)
                .order_by(sources.c.created_at, sources.c.name, sources.c.id)
            )
        ),
        snapshots=tuple(
            snapshot_record(row)
            for row in conn.execute(
                sa.select(snapshots)
                .where(snapshots.c.workspace_id == workspace_id)
                .order_by(snapshots.c.taken_at, snapshots.c.id)
            )
        ),
        blobs=stored,
        sizes=stored.sizes,
        mappings=tuple(
            mapping_record(row)
            for row in conn.execute(
                sa.select(mappings)
                .join(sources, sources.c.id == mappings.c.source_id)
                .where(sources.c.workspace_id == workspace_id)
                .order_by(sources.c.created_at, sources.c.id, mappings.c.pipeline)
            )
        ),
        changes=tuple(
            change_record(row)
            for row in conn.execute(
                sa.select(changes)
                .where(changes.c.workspace_id == workspace_id)
                .order_by(changes.c.on_date, changes.c.id)
            )
        ),
        views=tuple(
            view_record(row)
            for row in conn.execute(
                sa.select(views).where(views.c.workspace_id == workspace_id).order_by(views.c.name)
            )
        ),
    )


def write_contents(conn: sa.Connection, workspace: Workspace, contents: archive.Contents) -> None:
    """A new ``workspace`` holding ``contents``; every source, snapshot and view gets a new id."""
    conn.execute(
        sa.insert(workspaces).values(
            id=workspace.id,
            name=workspace.name,
            created_at=workspace.created,
            updated_at=workspace.updated,
            version=workspace.version,
            owner=workspace.owner,
        )
    )
    for sha256, body in contents.blobs.items():
        conn.execute(
            sa.insert(blobs).values(
                workspace_id=workspace.id, sha256=sha256, size=len(body), data=body
            )
        )
    new_ids = {source.id: new_id() for source in contents.sources}
    for source in contents.sources:
        conn.execute(
            sa.insert(sources).values(
                id=new_ids[source.id],
                workspace_id=workspace.id,
                kind=source.kind,
                name=source.name,
                url=source.url,
                tab=source.tab,
                created_at=source.created,
            )
        )
    for snap in contents.snapshots:
        conn.execute(
            sa.insert(snapshots).values(
                id=new_id(),
                source_id=new_ids[snap.source_id],
                workspace_id=workspace.id,
                sha256=snap.sha256,
                size=snap.size,
                file_name=snap.file_name,
                taken_at=snap.taken,
                events_sha256=snap.events_sha256,
                events_file_name=snap.events_file_name,
            )
        )
    for mapping in contents.mappings:
        conn.execute(
            sa.insert(mappings).values(
                source_id=new_ids[mapping.source_id],
                pipeline=mapping.pipeline,
                spec_yaml=mapping.yaml,
                version=mapping.version,
                updated_at=mapping.updated,
            )
        )
    for change in contents.changes:
        conn.execute(
            sa.insert(changes).values(
                workspace_id=workspace.id, on_date=change.on, label=change.label
            )
        )
    for view in contents.views:
        conn.execute(
            sa.insert(views).values(
                id=new_id(),
                workspace_id=workspace.id,
                name=view.name,
                state_json=view_json(view.state),
                created_at=view.created,
                updated_at=view.updated,
            )
        )
