"""Where the store lives and how big a workspace may grow, each overridable by an environment
variable: ``VORONKA_DB_URL``, ``VORONKA_DATA_DIR``, ``VORONKA_MAX_FILE_BYTES``,
``VORONKA_MAX_WORKSPACE_BYTES``, ``VORONKA_MAX_ARCHIVE_MEMBERS``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from funnel.store.errors import StoreError

DEFAULT_DATA_DIR = "data"
DB_FILE = "voronka.db"
MAX_FILE_BYTES = 50 * 1024 * 1024  # one export of a CRM; real ones are a few megabytes
MAX_WORKSPACE_BYTES = 500 * 1024 * 1024  # a year of weekly exports of a large CRM
MAX_ARCHIVE_MEMBERS = 10_000  # an imported zip: files, mappings, the manifest
MAX_VIEW_BYTES = 64 * 1024  # a saved view is a page, some filters, a breakdown and a period
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class Limits:
    """Sizes in bytes past which a save or an import is refused with ``too_big``."""

    file_bytes: int = MAX_FILE_BYTES
    workspace_bytes: int = MAX_WORKSPACE_BYTES
    archive_members: int = MAX_ARCHIVE_MEMBERS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The defaults, each replaced by its environment variable where one is set."""
        env = os.environ if env is None else env
        return cls(
            file_bytes=_positive(env, "VORONKA_MAX_FILE_BYTES", MAX_FILE_BYTES),
            workspace_bytes=_positive(env, "VORONKA_MAX_WORKSPACE_BYTES", MAX_WORKSPACE_BYTES),
            archive_members=_positive(env, "VORONKA_MAX_ARCHIVE_MEMBERS", MAX_ARCHIVE_MEMBERS),
        )


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder of the default SQLite file: ``VORONKA_DATA_DIR``, else ``./data``."""
    env = os.environ if env is None else env
    return Path(env.get("VORONKA_DATA_DIR") or DEFAULT_DATA_DIR).resolve()


def database_url(env: Mapping[str, str] | None = None) -> str:
    """``VORONKA_DB_URL`` if set, else a SQLite file in :func:`data_dir` (made on first use).

    >>> database_url({"VORONKA_DB_URL": "postgresql+psycopg://crm@db/voronka"})
    'postgresql+psycopg://crm@db/voronka'
    >>> database_url({"VORONKA_DATA_DIR": "/srv/voronka"})
    'sqlite:////srv/voronka/voronka.db'
    """
    env = os.environ if env is None else env
    if env.get("VORONKA_DB_URL"):
        return env["VORONKA_DB_URL"]
    return f"sqlite:///{data_dir(env) / DB_FILE}"


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise StoreError(
            f"{name} must be a whole number of bytes above zero",
            code="bad_setting",
            column=name,
            expected="a whole number above zero",
            params={"name": name},
        )
    return value
