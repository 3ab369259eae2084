"""The store's one error: a stable code (``not_found``, ``stale_version``, ``too_big``, ...) and
the numbers behind it, for the UI to put into words."""

from __future__ import annotations

from funnel.errors import FunnelError


class StoreError(FunnelError):
    """A workspace cannot be read or saved as asked.

    Codes: ``not_found`` (no such workspace, source, snapshot, change, view or link),
    ``stale_version`` (another writer saved first: ``params`` has ``expected`` and ``found``),
    ``too_big`` (``params`` has ``limit`` (``file``, ``workspace``, ``view``), ``found`` and
    ``max`` in bytes), ``bad_name``, ``bad_view``, ``bad_role`` (a link's role is neither
    ``edit`` nor ``read``), ``bad_archive`` (an import refused: ``params`` has ``member`` where
    one is to blame), ``bad_setting`` (an environment variable) and ``database`` (the database
    refused the save; nothing of it was kept).
    """
