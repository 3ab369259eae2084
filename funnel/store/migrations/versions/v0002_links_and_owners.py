"""Who may see what: an owner per workspace and secret links (kept as hashes) into it.

Revision ID: v0002
Revises: v0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0002"
down_revision = "v0001"
branch_labels = None
depends_on = None

ID = sa.String(32)
HASH = sa.String(64)
NAME = sa.String(300)
WHEN = sa.DateTime(timezone=True)
OWNER = sa.String(500)


def upgrade() -> None:
    # A nullable column needs no copy of the table, on SQLite either.
    op.add_column("workspaces", sa.Column("owner", OWNER, nullable=True))
    op.create_index("ix_workspaces_owner", "workspaces", ["owner"])
    op.create_table(
        "links",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("token_sha256", HASH, nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("label", NAME, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.CheckConstraint("role IN ('edit', 'read')", name="ck_links_role"),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            ondelete="CASCADE",
            name="fk_links_workspace_id_workspaces",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_links"),
        sa.UniqueConstraint("token_sha256", name="uq_links_token_sha256"),
    )
    op.create_index("ix_links_workspace_id", "links", ["workspace_id"])


def downgrade() -> None:
    op.drop_table("links")
    op.drop_index("ix_workspaces_owner", table_name="workspaces")
    # Not a batch copy of the table: on SQLite, dropping the old copy of workspaces would
    # cascade to every file, source and mapping. SQLite 3.35 and later drop a column in place.
    op.execute("ALTER TABLE workspaces DROP COLUMN owner")
