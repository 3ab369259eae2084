"""The store's tables (SQLAlchemy Core). The migrations build exactly these; a test compares
the two, so a change here needs a new revision in ``migrations/versions``."""

from __future__ import annotations

import sqlalchemy as sa

ID = sa.String(32)  # uuid4 hex
HASH = sa.String(64)  # sha256 hex
NAME = sa.String(300)
WHEN = sa.DateTime(timezone=True)
# Who owns a workspace in shared mode: the signed-in person's stable identity from the OIDC
# provider (its issuer and subject), never a display name.
OWNER = sa.String(500)

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _owner() -> sa.Column[str]:
    return sa.Column(
        "workspace_id",
        ID,
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


workspaces = sa.Table(
    "workspaces",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("name", NAME, nullable=False),
    sa.Column("created_at", WHEN, nullable=False),
    sa.Column("updated_at", WHEN, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("owner", OWNER, nullable=True, index=True),
)

# File contents, once per workspace and hash however many snapshots share them.
blobs = sa.Table(
    "blobs",
    metadata,
    sa.Column(
        "workspace_id",
        ID,
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("sha256", HASH, primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", ID, primary_key=True),
    _owner(),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("name", NAME, nullable=False),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("tab", NAME, nullable=True),
    sa.Column("created_at", WHEN, nullable=False),
    sa.CheckConstraint("kind IN ('file', 'sheet')", name="kind"),
)

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column(
        "source_id",
        ID,
        sa.ForeignKey("sources.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("workspace_id", ID, nullable=False),
    sa.Column("sha256", HASH, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("file_name", NAME, nullable=False),
    sa.Column("taken_at", WHEN, nullable=False),
    # The export's second file, joined to its deals by id (a stage history register or a
    # closed-deals list), when one was attached: its contents are a blob like the file's own.
    sa.Column("events_sha256", HASH, nullable=True),
    sa.Column("events_file_name", NAME, nullable=True),
    sa.ForeignKeyConstraint(
        ["workspace_id", "sha256"], ["blobs.workspace_id", "blobs.sha256"], ondelete="CASCADE"
    ),
    # No cascade: the store drops a blob only once no snapshot uses it, so a mistake there is
    # refused by the database instead of taking snapshots with it. Checked at commit: deleting
    # a workspace reaches its blobs and its snapshots by separate cascades, in no set order.
    sa.ForeignKeyConstraint(
        ["workspace_id", "events_sha256"],
        ["blobs.workspace_id", "blobs.sha256"],
        deferrable=True,
        initially="DEFERRED",
    ),
)

mappings = sa.Table(
    "mappings",
    metadata,
    sa.Column(
        "source_id",
        ID,
        sa.ForeignKey("sources.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("pipeline", NAME, primary_key=True),
    sa.Column("spec_yaml", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", WHEN, nullable=False),
)

changes = sa.Table(
    "changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _owner(),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("label", NAME, nullable=False),
)

views = sa.Table(
    "views",
    metadata,
    sa.Column("id", ID, primary_key=True),
    _owner(),
    sa.Column("name", NAME, nullable=False),
    sa.Column("state_json", sa.Text, nullable=False),
    sa.Column("created_at", WHEN, nullable=False),
    sa.Column("updated_at", WHEN, nullable=False),
    sa.UniqueConstraint("workspace_id", "name"),
)

# Secret links into a workspace. Only the sha256 of each token is kept: the token itself is
# shown once, when the link is made, and cannot be read back from the database.
links = sa.Table(
    "links",
    metadata,
    sa.Column("id", ID, primary_key=True),
    _owner(),
    sa.Column("token_sha256", HASH, nullable=False, unique=True),
    sa.Column("role", sa.String(8), nullable=False),
    sa.Column("label", NAME, nullable=False),
    sa.Column("created_at", WHEN, nullable=False),
    sa.Column("revoked_at", WHEN, nullable=True),
    sa.CheckConstraint("role IN ('edit', 'read')", name="role"),
)
