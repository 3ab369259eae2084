"""Workspaces with their files, snapshots, mappings, marked changes and saved views.

Revision ID: v0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(32)
HASH = sa.String(64)
NAME = sa.String(300)
WHEN = sa.DateTime(timezone=True)


def _owner(table: str) -> sa.Column[str]:
    return sa.Column(
        "workspace_id",
        ID,
        sa.ForeignKey(
            "workspaces.id", ondelete="CASCADE", name=f"fk_{table}_workspace_id_workspaces"
        ),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workspaces"),
    )
    op.create_table(
        "blobs",
        _owner("blobs"),
        sa.Column("sha256", HASH, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "sha256", name="pk_blobs"),
    )
    op.create_table(
        "sources",
        sa.Column("id", ID, nullable=False),
        _owner("sources"),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("tab", NAME, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint("kind IN ('file', 'sheet')", name="ck_sources_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
    )
    op.create_index("ix_sources_workspace_id", "sources", ["workspace_id"])
    op.create_table(
        "snapshots",
        sa.Column("id", ID, nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("sha256", HASH, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("file_name", NAME, nullable=False),
        sa.Column("taken_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], ondelete="CASCADE", name="fk_snapshots_source_id_sources"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "sha256"],
            ["blobs.workspace_id", "blobs.sha256"],
            ondelete="CASCADE",
            name="fk_snapshots_workspace_id_sha256_blobs",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
    )
    op.create_index("ix_snapshots_source_id", "snapshots", ["source_id"])
    op.create_table(
        "mappings",
        sa.Column("source_id", ID, nullable=False),
        sa.Column("pipeline", NAME, nullable=False),
        sa.Column("spec_yaml", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], ondelete="CASCADE", name="fk_mappings_source_id_sources"
        ),
        sa.PrimaryKeyConstraint("source_id", "pipeline", name="pk_mappings"),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        _owner("changes"),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("label", NAME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_changes"),
    )
    op.create_index("ix_changes_workspace_id", "changes", ["workspace_id"])
    op.create_table(
        "views",
        sa.Column("id", ID, nullable=False),
        _owner("views"),
        sa.Column("name", NAME, nullable=False),
        sa.Column("state_json", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_views"),
        sa.UniqueConstraint("workspace_id", "name", name="uq_views_workspace_id_name"),
    )
    op.create_index("ix_views_workspace_id", "views", ["workspace_id"])


def downgrade() -> None:
    for table in ("views", "changes", "mappings", "snapshots", "sources", "blobs", "workspaces"):
        op.drop_table(table)
