"""Zips made and edited by hand for the store's archive tests (a hostile import is a zip a
person changed)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest

from funnel.store import Store, StoreError


def members_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def zipped(members: list[tuple[str, bytes]], *, attrs: int = 0o644 << 16) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, body in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = attrs
            zf.writestr(info, body)
    return buffer.getvalue()


def edited(data: bytes, member: str, change: Callable[[dict], object]) -> bytes:
    """The zip with one JSON member changed by ``change`` (which edits it in place)."""
    out = []
    for name, body in members_of(data):
        if name == member:
            value = json.loads(body)
            change(value)
            body = json.dumps(value).encode()
        out.append((name, body))
    return zipped(out)


def refused(store: Store, data: bytes) -> StoreError:
    before = store.workspaces()
    with pytest.raises(StoreError) as error:
        store.import_workspace(data)
    assert store.workspaces() == before, "a refused zip wrote something"
    return error.value
