"""A snapshot's second file (a stage history register or a closed-deals list, joined to the
deals by id), on SQLite and PostgreSQL: attached, replaced and detached with its contents kept
once and dropped when no snapshot uses them, refused like any file, carried by an export, and
taken off again by the migration's downgrade."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from funnel.store import Store, StoreError, open_store
from funnel.store.engine import MIGRATIONS, make_engine, upgrade
from tests.archives import edited, members_of, refused, zipped
from tests.conftest import STORE_LIMITS

LIMITS = STORE_LIMITS  # the shared store fixture's (tests/conftest.py)
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # sha256(b"abc")
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256(b"")
HISTORY = b"id,stage,at\n1042,Won,2026-12-01\n"  # 32 bytes
HISTORY_2 = b"id,stage,at\n1042,Lost,2026-12-02\n"  # 33 bytes


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def at(day: int) -> datetime:
    return datetime(2026, 12, day, 9, 30, tzinfo=UTC)


def blobs_of(url: str, workspace_id: str) -> dict[str, int]:
    """The workspace's stored contents, sha256 to size, read straight from the database."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT sha256, size FROM blobs WHERE workspace_id = :w"), {"w": workspace_id}
        )
        found = {row.sha256: int(row.size) for row in rows}
    engine.dispose()
    return found


# ---- attach, replace, detach ------------------------------------------------------------------


def test_a_second_file_is_attached_replaced_and_detached(store: Store, url: str):
    ws = store.create_workspace("Двери Плюс")
    deals = store.add_file(ws.id, "deals.csv", b"abc", version=1, taken=at(1)).item
    assert (deals.events_sha256, deals.events_file_name) == (None, None)
    assert store.events_bytes(ws.id, deals.id) is None

    attached = store.attach_events(ws.id, deals.id, HISTORY, "history.csv", version=2)
    assert attached.version == 3
    assert attached.item == store.snapshots(ws.id)[0]
    assert (attached.item.sha256, attached.item.file_name, attached.item.taken) == (
        ABC,
        "deals.csv",
        at(1),
    )
    assert (attached.item.events_sha256, attached.item.events_file_name) == (
        sha(HISTORY),
        "history.csv",
    )
    assert store.events_bytes(ws.id, deals.id) == HISTORY
    assert store.snapshot_bytes(ws.id, deals.id) == b"abc"
    assert blobs_of(url, ws.id) == {ABC: 3, sha(HISTORY): 32}
    assert store.size(ws.id) == 35

    # A new register: the old one's contents go; without a name, the name stays.
    replaced = store.attach_events(ws.id, deals.id, HISTORY_2, version=3)
    assert (replaced.item.events_sha256, replaced.item.events_file_name) == (
        sha(HISTORY_2),
        "history.csv",
    )
    assert store.events_bytes(ws.id, deals.id) == HISTORY_2
    assert blobs_of(url, ws.id) == {ABC: 3, sha(HISTORY_2): 33}
    assert store.size(ws.id) == 36

    # The same contents under another name: only the name changes.
    renamed = store.attach_events(ws.id, deals.id, HISTORY_2, " closed.xlsx ", version=4)
    assert renamed.item.events_file_name == "closed.xlsx"
    assert blobs_of(url, ws.id) == {ABC: 3, sha(HISTORY_2): 33}

    detached = store.attach_events(ws.id, deals.id, None, version=5)
    assert detached.version == 6
    assert (detached.item.events_sha256, detached.item.events_file_name) == (None, None)
    assert store.events_bytes(ws.id, deals.id) is None
    assert blobs_of(url, ws.id) == {ABC: 3}
    assert store.size(ws.id) == 3
    # Detaching what is not there is a save that changes nothing else.
    assert store.attach_events(ws.id, deals.id, None, version=6).item == detached.item


def test_contents_shared_by_a_file_and_second_files_are_kept_once(store: Store, url: str):
    ws = store.create_workspace("Двери Плюс")
    first = store.add_file(ws.id, "deals.csv", b"abc", version=1, taken=at(1)).item
    second = store.add_snapshot(ws.id, first.source_id, b"", version=2, taken=at(8)).item
    # The second snapshot's register is the first snapshot's file, byte for byte.
    store.attach_events(ws.id, second.id, b"abc", "history.csv", version=3)
    store.attach_events(ws.id, first.id, HISTORY, "history.csv", version=4)
    store.attach_events(ws.id, second.id, HISTORY, "history.csv", version=5)
    assert blobs_of(url, ws.id) == {ABC: 3, EMPTY: 0, sha(HISTORY): 32}
    assert store.size(ws.id) == 35
    # Detached from one snapshot, the register stays for the other.
    store.attach_events(ws.id, first.id, None, version=6)
    assert blobs_of(url, ws.id) == {ABC: 3, EMPTY: 0, sha(HISTORY): 32}
    assert store.events_bytes(ws.id, second.id) == HISTORY
    store.attach_events(ws.id, second.id, b"abc", version=7)
    assert blobs_of(url, ws.id) == {ABC: 3, EMPTY: 0}
    # A file's contents stay when a second file of the same contents is detached.
    store.attach_events(ws.id, second.id, None, version=8)
    assert blobs_of(url, ws.id) == {ABC: 3, EMPTY: 0}
    assert store.snapshot_bytes(ws.id, first.id) == b"abc"


def test_deleting_a_source_drops_second_files_no_other_snapshot_uses(store: Store, url: str):
    ws = store.create_workspace("Двери Плюс")
    a1 = store.add_file(ws.id, "a.csv", b"abc", version=1, taken=at(1)).item
    a2 = store.add_snapshot(ws.id, a1.source_id, b"", version=2, taken=at(8)).item
    b = store.add_file(ws.id, "b.csv", b"xyz", version=3, taken=at(2)).item
    store.attach_events(ws.id, a1.id, HISTORY, "history.csv", version=4)  # only here
    store.attach_events(ws.id, a2.id, b"xyz", "closed.csv", version=5)  # b's file
    store.attach_events(ws.id, b.id, b"abc", "history.csv", version=6)  # a1's file
    assert blobs_of(url, ws.id) == {ABC: 3, EMPTY: 0, sha(HISTORY): 32, sha(b"xyz"): 3}
    assert store.size(ws.id) == 38

    assert store.delete_source(ws.id, a1.source_id, version=7) == 8
    # a's own file b"" and its register go; b"abc" stays as b's register, b"xyz" as b's file.
    assert blobs_of(url, ws.id) == {ABC: 3, sha(b"xyz"): 3}
    assert store.size(ws.id) == 6
    assert store.snapshot_bytes(ws.id, b.id) == b"xyz"
    assert store.events_bytes(ws.id, b.id) == b"abc"

    assert store.delete_source(ws.id, b.source_id, version=8) == 9
    assert blobs_of(url, ws.id) == {}


def test_deleting_a_workspace_with_second_files_removes_them(url: str):
    with open_store(url, limits=LIMITS) as store:
        doomed = store.create_workspace("Двери Плюс")
        kept = store.create_workspace("Альфа")
        snap = store.add_file(doomed.id, "deals.csv", b"abc", version=1).item
        store.attach_events(doomed.id, snap.id, HISTORY, "history.csv", version=2)
        other = store.add_file(kept.id, "deals.csv", b"abc", version=1).item
        store.attach_events(kept.id, other.id, HISTORY, "history.csv", version=2)
        store.delete_workspace(doomed.id, version=3)
        assert blobs_of(url, doomed.id) == {}
        assert blobs_of(url, kept.id) == {ABC: 3, sha(HISTORY): 32}
        assert store.events_bytes(kept.id, other.id) == HISTORY


# ---- refused ----------------------------------------------------------------------------------


def test_a_second_file_saved_on_stale_data_is_refused(store: Store):
    ws = store.create_workspace("Двери Плюс")
    snap = store.add_file(ws.id, "deals.csv", b"abc", version=1).item
    store.rename_workspace(ws.id, "Двери Плюс (опт)", version=2)  # another window
    with pytest.raises(StoreError) as stale:
        store.attach_events(ws.id, snap.id, HISTORY, "history.csv", version=2)
    assert (stale.value.code, stale.value.params) == (
        "stale_version",
        {"expected": 2, "found": 3},
    )
    assert store.snapshots(ws.id)[0].events_sha256 is None
    assert store.size(ws.id) == 3


def test_a_second_file_of_no_snapshot_here_is_refused(store: Store):
    ws = store.create_workspace("Двери Плюс")
    other = store.create_workspace("Альфа")
    theirs = store.add_file(other.id, "deals.csv", b"abc", version=1).item
    for snapshot_id in ("0" * 32, theirs.id):
        with pytest.raises(StoreError) as missing:
            store.attach_events(ws.id, snapshot_id, HISTORY, "history.csv", version=1)
        assert (missing.value.code, missing.value.params) == (
            "not_found",
            {"what": "snapshot", "id": snapshot_id},
        )
        with pytest.raises(StoreError) as unread:
            store.events_bytes(ws.id, snapshot_id)
        assert unread.value.code == "not_found"
    assert store.workspace(ws.id).version == 1


@pytest.mark.parametrize("name", [None, "", "   ", "x" * 301])
def test_a_second_file_needs_a_name(store: Store, name):
    ws = store.create_workspace("Двери Плюс")
    snap = store.add_file(ws.id, "deals.csv", b"abc", version=1).item
    with pytest.raises(StoreError) as refused_name:
        store.attach_events(ws.id, snap.id, HISTORY, name, version=2)
    assert refused_name.value.code == "bad_name"
    assert store.workspace(ws.id).version == 2


def test_a_second_file_has_the_limits_of_any_file(store: Store, url: str):
    ws = store.create_workspace("Двери Плюс")
    snap = store.add_file(ws.id, "deals.csv", b"1" * 1_000, version=1).item
    store.add_file(ws.id, "more.csv", b"2" * 1_000, version=2)
    with pytest.raises(StoreError) as big:
        store.attach_events(ws.id, snap.id, b"3" * 1_001, "history.csv", version=3)
    assert (big.value.code, big.value.params, big.value.file) == (
        "too_big",
        {"limit": "file", "found": 1_001, "max": 1_000},
        "history.csv",
    )
    with pytest.raises(StoreError) as full:
        store.attach_events(ws.id, snap.id, b"3" * 501, "history.csv", version=3)
    assert (full.value.code, full.value.params) == (
        "too_big",
        {"limit": "workspace", "found": 2_501, "max": 2_500},
    )
    assert store.workspace(ws.id).version == 3
    assert store.size(ws.id) == 2_000
    # Up to the limit, and contents the workspace already holds take no more room.
    store.attach_events(ws.id, snap.id, b"3" * 500, "history.csv", version=3)
    assert store.size(ws.id) == 2_500
    store.attach_events(ws.id, snap.id, b"2" * 1_000, "closed.csv", version=4)
    assert blobs_of(url, ws.id) == {sha(b"1" * 1_000): 1_000, sha(b"2" * 1_000): 1_000}


# ---- export and import ------------------------------------------------------------------------


def with_events(store: Store) -> str:
    ws = store.create_workspace("Двери Плюс", created=at(1))
    first = store.add_file(ws.id, "сделки.csv", b"abc", version=1, taken=at(1)).item
    second = store.add_snapshot(ws.id, first.source_id, b"", version=2, taken=at(8)).item
    store.attach_events(ws.id, first.id, HISTORY, "история.csv", version=3)
    store.attach_events(ws.id, second.id, b"abc", "закрытые.csv", version=4)
    return ws.id


def kept(store: Store, workspace_id: str) -> list[tuple[object, ...]]:
    return [
        (
            s.sha256,
            s.file_name,
            s.taken,
            s.events_sha256,
            s.events_file_name,
            store.snapshot_bytes(workspace_id, s.id),
            store.events_bytes(workspace_id, s.id),
        )
        for s in store.snapshots(workspace_id)
    ]


def test_an_export_carries_second_files_and_imports_them_back(store: Store):
    original = with_events(store)
    exported = store.export_workspace(original)
    with zipfile.ZipFile(io.BytesIO(exported)) as zf:
        assert sorted(n for n in zf.namelist() if n.startswith("files/")) == sorted(
            f"files/{h}" for h in (ABC, EMPTY, sha(HISTORY))
        )
        assert zf.read(f"files/{sha(HISTORY)}") == HISTORY
        manifest = json.loads(zf.read("manifest.json"))
    assert [s.get("events") for s in manifest["sources"][0]["snapshots"]] == [
        {"sha256": sha(HISTORY), "size": 32, "file_name": "история.csv"},
        {"sha256": ABC, "size": 3, "file_name": "закрытые.csv"},
    ]
    copy = store.import_workspace(exported)
    assert kept(store, copy.id) == kept(store, original)
    assert kept(store, copy.id)[0][3:] == (sha(HISTORY), "история.csv", b"abc", HISTORY)
    assert store.size(copy.id) == store.size(original) == 35
    assert store.export_workspace(copy.id) == exported


def test_a_zip_made_before_second_files_imports(store: Store):
    manifest = {
        "format": "voronka-workspace",
        "format_version": 1,
        "workspace": {"name": "Двери Плюс", "created": "2026-12-01T09:30:00+00:00"},
        "sources": [
            {
                "key": "s1",
                "kind": "file",
                "name": "deals.csv",
                "url": None,
                "tab": None,
                "created": "2026-12-01T09:30:00+00:00",
                "snapshots": [
                    {
                        "sha256": ABC,
                        "size": 3,
                        "file_name": "deals.csv",
                        "taken": "2026-12-01T09:30:00+00:00",
                    }
                ],
            }
        ],
        "mappings": [],
    }
    old = zipped(
        [
            ("manifest.json", json.dumps(manifest).encode()),
            (f"files/{ABC}", b"abc"),
            ("changes.json", b"[]"),
            ("views.json", b"[]"),
        ]
    )
    copy = store.import_workspace(old)
    (snap,) = store.snapshots(copy.id)
    assert (snap.sha256, snap.events_sha256, snap.events_file_name) == (ABC, None, None)
    assert store.events_bytes(copy.id, snap.id) is None
    # And it takes a second file like any other.
    store.attach_events(copy.id, snap.id, HISTORY, "history.csv", version=1)
    assert store.events_bytes(copy.id, snap.id) == HISTORY


def _events(key: str, value: object) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target = doc["sources"][0]["snapshots"][0]
        if key == "":
            target["events"] = value
        elif value is KeyError:
            del target["events"][key]
        else:
            target["events"][key] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _events("sha256", "0" * 64),  # its file is not in the zip
        _events("sha256", 7),
        _events("size", 33),  # not the size of its file
        _events("size", "32"),
        _events("size", KeyError),
        _events("file_name", KeyError),
        _events("file_name", "   "),
        _events("file_name", "я" * 301),
        _events("", "history.csv"),
        _events("", [ABC]),
    ],
)
def test_a_second_file_entry_that_lies_is_refused(store: Store, change):
    good = store.export_workspace(with_events(store))
    assert refused(store, edited(good, "manifest.json", change)).code == "bad_archive"


def test_a_second_file_no_snapshot_lists_is_refused(store: Store):
    good = store.export_workspace(with_events(store))
    error = refused(store, edited(good, "manifest.json", _events("", None)))
    assert error.params["member"] == f"files/{sha(HISTORY)}"
    # Its file gone too, the zip is whole again.
    members = [(n, b) for n, b in members_of(good) if n != f"files/{sha(HISTORY)}"]
    whole = edited(zipped(members), "manifest.json", _events("", None))
    copy = store.import_workspace(whole)
    assert [s.events_sha256 for s in store.snapshots(copy.id)] == [None, ABC]


# ---- the migration ----------------------------------------------------------------------------


def _downgrade(url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.connect() as connection, connection.begin():
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()


def test_the_downgrade_keeps_snapshots_and_drops_only_second_files(
    fresh_url: Callable[[], str],
):
    from tests.test_store import _schema

    before = fresh_url()
    engine = make_engine(before)
    upgrade(engine, "v0002")
    engine.dispose()

    url = fresh_url()
    with open_store(url, limits=LIMITS) as store:
        ws = store.create_workspace("Двери Плюс")
        first = store.add_file(ws.id, "deals.csv", b"abc", version=1, taken=at(1)).item
        second = store.add_snapshot(ws.id, first.source_id, b"", version=2, taken=at(8)).item
        store.attach_events(ws.id, first.id, HISTORY, "history.csv", version=3)
        store.attach_events(ws.id, second.id, b"abc", "closed.csv", version=4)
        store.save_view(ws.id, "Все", {"page": "funnel"}, version=5)
    _downgrade(url, "v0002")
    assert _schema(url) == _schema(before)
    assert blobs_of(url, ws.id) == {ABC: 3, EMPTY: 0}
    # Opened again, the store upgrades it: everything but the second files is there.
    with open_store(url, limits=LIMITS) as store:
        assert [(s.sha256, s.file_name, s.events_sha256) for s in store.snapshots(ws.id)] == [
            (ABC, "deals.csv", None),
            (EMPTY, "deals.csv", None),
        ]
        assert [v.name for v in store.views(ws.id)] == ["Все"]
        assert store.workspace(ws.id).version == 6
        assert store.size(ws.id) == 3
        assert store.import_workspace(store.export_workspace(ws.id)).name == "Двери Плюс"
