"""A snapshot's second file (stage history register or closed-deals list) as a blob.

Revision ID: v0003
Revises: v0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0003"
down_revision = "v0002"
branch_labels = None
depends_on = None

HASH = sa.String(64)
NAME = sa.String(300)
FK = "fk_snapshots_workspace_id_events_sha256_blobs"


def upgrade() -> None:
    # On SQLite a foreign key needs a copy of the table. That is safe for snapshots: no table
    # refers to it, so dropping the old copy cascades to nothing.
    with op.batch_alter_table("snapshots") as batch:
        batch.add_column(sa.Column("events_sha256", HASH, nullable=True))
        batch.add_column(sa.Column("events_file_name", NAME, nullable=True))
        batch.create_foreign_key(
            FK,
            "blobs",
            ["workspace_id", "events_sha256"],
            ["workspace_id", "sha256"],
            deferrable=True,
            initially="DEFERRED",
        )


def downgrade() -> None:
    # The snapshots stay, without their second files. As in upgrade: copying snapshots on
    # SQLite cascades to nothing, no table refers to it.
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_constraint(FK, type_="foreignkey")
        batch.drop_column("events_file_name")
        batch.drop_column("events_sha256")
    # The contents only a second file used go too: at v0002 every blob belongs to a snapshot's
    # file, and an export would list the others as files of no snapshot (refused on import).
    op.execute(
        "DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM snapshots"
        " WHERE snapshots.workspace_id = blobs.workspace_id"
        " AND snapshots.sha256 = blobs.sha256)"
    )
