"""Client workspaces that last: files and their snapshots, mappings, marked changes and views,
on SQLite by default (``./data/voronka.db``) or PostgreSQL by URL (``VORONKA_DB_URL``).

>>> from funnel.store import open_store
>>> with open_store("sqlite://") as store:
...     client = store.create_workspace("Двери Плюс")
...     export = b"id,stage\\n1042,Won\\n"
...     saved = store.add_file(client.id, "deals.csv", export, version=client.version)
...     [s.name for s in store.sources(client.id)], saved.version
(['deals.csv'], 2)
"""

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
from funnel.store.settings import Limits, data_dir, database_url
from funnel.store.store import Store, open_store

__all__ = [
    "Limits",
    "Link",
    "LinkRole",
    "MarkedChange",
    "Saved",
    "SavedMapping",
    "SavedView",
    "Snapshot",
    "Source",
    "Store",
    "StoreError",
    "Workspace",
    "data_dir",
    "database_url",
    "open_store",
]
