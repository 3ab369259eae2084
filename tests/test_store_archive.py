"""A workspace exported to one zip and imported back whole, on SQLite and PostgreSQL; and zips
made to harm (paths out of the folder, too many members, sizes that lie, bombs) refused whole,
nothing of them written."""

from __future__ import annotations

import contextlib
import io
import json
import struct
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnel.spec import Spec, Stage
from funnel.store import Store, StoreError, open_store
from tests.archives import edited, members_of, refused, zipped
from tests.conftest import STORE_LIMITS

LIMITS = STORE_LIMITS  # the shared store fixture's (tests/conftest.py)
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # sha256(b"abc")
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256(b"")
DOORS = Spec(
    columns={"deal": "ID", "stage": "Этап"},
    stages=(Stage("Новая"), Stage("КП отправлено", match=("КП", "КП отправлено"))),
    won=("Успешно",),
)


@pytest.fixture
def store(fresh_url: Callable[[], str]) -> Iterator[Store]:
    with open_store(fresh_url(), limits=LIMITS) as opened:
        yield opened


def at(day: int) -> datetime:
    return datetime(2026, 12, day, 9, 30, tzinfo=UTC)


def filled(store: Store) -> str:
    """A workspace with a bit of everything; its id."""
    ws = store.create_workspace("Двери Плюс", created=at(1))
    deals = store.add_file(ws.id, "сделки.csv", b"abc", version=1, taken=at(1)).item
    store.add_snapshot(ws.id, deals.source_id, b"", version=2, taken=at(8))
    store.add_snapshot(ws.id, deals.source_id, b"abc", version=3, taken=at(15))
    sheet = store.add_sheet(
        ws.id, "https://docs.google.com/spreadsheets/d/1AbC", "Лист1", version=4
    )
    store.add_snapshot(ws.id, sheet.item.id, b"abc", version=5, taken=at(2))
    store.save_mapping(ws.id, deals.source_id, DOORS, version=6, updated=at(3))
    store.save_mapping(ws.id, deals.source_id, DOORS, version=7, pipeline="Опт", updated=at(4))
    store.add_change(ws.id, date(2026, 3, 1), "Новый скрипт", version=8)
    store.add_change(ws.id, date(2026, 1, 12), "", version=9)
    state = {"page": "funnel", "filters": {"channel": ["Сайт"]}, "period": ["2026-01", "2026-03"]}
    store.save_view(ws.id, "Сайт", state, version=10, created=at(5), updated=at(6))
    return ws.id


def summary(store: Store, workspace_id: str) -> dict[str, object]:
    """What a person sees of a workspace, without the ids the store gives."""
    ws = store.workspace(workspace_id)
    names = {s.id: s.name for s in store.sources(workspace_id)}
    return {
        "name": ws.name,
        "created": ws.created,
        "sources": [(s.kind, s.name, s.url, s.tab) for s in store.sources(workspace_id)],
        "snapshots": [
            (names[s.source_id], s.sha256, s.size, s.file_name, s.taken)
            for s in store.snapshots(workspace_id)
        ],
        "bytes": [store.snapshot_bytes(workspace_id, s.id) for s in store.snapshots(workspace_id)],
        "mappings": [
            (names[m.source_id], m.pipeline, m.spec, m.version, m.updated)
            for m in store.mappings(workspace_id)
        ],
        "changes": [(c.on, c.label) for c in store.changes(workspace_id)],
        "views": [(v.name, v.state, v.created, v.updated) for v in store.views(workspace_id)],
    }


def test_a_workspace_exported_and_imported_back_is_the_same(store: Store):
    original = filled(store)
    exported = store.export_workspace(original)
    copy = store.import_workspace(exported)
    assert copy.id != original
    assert summary(store, copy.id) == summary(store, original)
    assert summary(store, copy.id)["snapshots"] == [
        ("сделки.csv", ABC, 3, "сделки.csv", at(1)),
        ("Лист1", ABC, 3, "Лист1", at(2)),
        ("сделки.csv", EMPTY, 0, "сделки.csv", at(8)),
        ("сделки.csv", ABC, 3, "сделки.csv", at(15)),
    ]
    assert store.size(copy.id) == 3  # b"abc" once, b"" once
    # Exporting the copy gives the very same zip: nothing was lost or reordered on the way.
    assert store.export_workspace(copy.id) == exported


def test_the_zip_holds_files_yaml_mappings_json_changes_and_views(store: Store):
    exported = store.export_workspace(filled(store))
    with zipfile.ZipFile(io.BytesIO(exported)) as zf:
        assert sorted(zf.namelist()) == sorted(
            [
                "manifest.json",
                f"files/{ABC}",
                f"files/{EMPTY}",
                "mappings/1.yaml",
                "mappings/2.yaml",
                "changes.json",
                "views.json",
            ]
        )
        assert zf.read(f"files/{ABC}") == b"abc"
        assert Spec.from_yaml(zf.read("mappings/1.yaml").decode()) == DOORS
        assert json.loads(zf.read("changes.json")) == [
            {"date": "2026-01-12", "label": ""},
            {"date": "2026-03-01", "label": "Новый скрипт"},
        ]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format"] == "voronka-workspace"
    assert [(s["key"], s["kind"], len(s["snapshots"])) for s in manifest["sources"]] == [
        ("s1", "file", 3),
        ("s2", "sheet", 1),
    ]
    assert [(m["source"], m["pipeline"]) for m in manifest["mappings"]] == [
        ("s1", ""),
        ("s1", "Опт"),
    ]


def test_an_import_under_another_name(store: Store):
    copy = store.import_workspace(store.export_workspace(filled(store)), name="Двери Плюс — копия")
    assert store.workspace(copy.id).name == "Двери Плюс — копия"


# ---- hostile zips -----------------------------------------------------------------------------


def declared_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size in both its headers set to ``size``: the
    central directory's field at offset 24, the local header's at 22."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        local = zf.getinfo(member).header_offset
    patched = bytearray(data)
    struct.pack_into("<I", patched, local + 22, size)
    central = patched.index(b"PK\x01\x02")
    name = member.encode()
    while patched[central + 46 : central + 46 + len(name)] != name:
        central = patched.index(b"PK\x01\x02", central + 1)
    struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


def test_not_a_zip_is_refused(store: Store):
    assert refused(store, b"PK\x03\x04 not really").code == "bad_archive"
    assert refused(store, "сделки.csv".encode()).code == "bad_archive"


@pytest.mark.parametrize(
    "name",
    ["../manifest.json", "/etc/passwd", "files/../../x", "C:\\x", "mappings/1.yml", "notes.txt"],
)
def test_a_member_not_of_the_format_is_refused(store: Store, name: str):
    good = store.export_workspace(filled(store))
    error = refused(store, zipped([*members_of(good), (name, b"x")]))
    assert (error.code, error.params["member"]) == ("bad_archive", name)


def test_more_members_than_the_limit_are_refused(store: Store):
    # The limit is 50; 51 members, each a mapping file name the format allows.
    members = [(f"mappings/{n}.yaml", b"stages: [a]\n") for n in range(1, 52)]
    error = refused(store, zipped(members))
    assert (error.code, error.params["found"], error.params["max"]) == ("bad_archive", 51, 50)


def test_a_zip_bomb_is_refused_by_its_declared_size_before_it_is_read(store: Store):
    zeros = bytes(1_000_000)  # a megabyte that deflates to about a kilobyte
    sha = "d29751f2649b32ff572b5e0a9f541ea660a50f94ff0beedfb0b692b924cc8025"  # sha256(zeros)
    error = refused(store, zipped([(f"files/{sha}", zeros)]))
    assert error.code == "too_big"
    assert error.params == {"limit": "file", "found": 1_000_000, "max": 1_000}


@pytest.mark.parametrize("size", [2, 4])  # the member holds 3 bytes
def test_a_member_whose_declared_size_lies_is_refused(store: Store, size: int):
    good = store.export_workspace(filled(store))
    error = refused(store, declared_size(good, f"files/{ABC}", size))
    assert (error.code, error.params["member"]) == ("bad_archive", f"files/{ABC}")


def test_contents_that_do_not_match_their_hash_are_refused(store: Store):
    good = store.export_workspace(filled(store))
    swapped = [(n, b"abd" if n == f"files/{ABC}" else b) for n, b in members_of(good)]
    assert refused(store, zipped(swapped)).params["member"] == f"files/{ABC}"


def test_a_link_member_is_refused(store: Store):
    good = store.export_workspace(filled(store))
    error = refused(store, zipped(members_of(good), attrs=0o120777 << 16))
    assert error.code == "bad_archive"


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
def test_a_member_twice_is_refused(store: Store):
    members = members_of(store.export_workspace(filled(store)))
    assert refused(store, zipped([*members, members[0]])).code == "bad_archive"


def _set(path: list[object], value: object) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target: object = doc
        for key in path[:-1]:
            target = target[key]  # type: ignore[index]
        target[path[-1]] = value  # type: ignore[index]

    return change


@pytest.mark.parametrize(
    ("member", "change"),
    [
        ("manifest.json", _set(["format"], "something-else")),
        ("manifest.json", _set(["sources", 0, "snapshots", 0, "size"], "3")),
        ("manifest.json", _set(["sources", 0, "snapshots", 0, "size"], True)),
        ("manifest.json", _set(["sources", 0, "snapshots", 0, "sha256"], "0" * 64)),
        ("manifest.json", _set(["sources", 0, "kind"], "folder")),
        ("manifest.json", _set(["sources", 1, "key"], "s1")),
        ("manifest.json", _set(["sources", 0, "created"], "yesterday")),
        ("manifest.json", _set(["sources", 0, "created"], "2026-12-01T09:30:00")),  # no zone
        ("manifest.json", _set(["sources", 0, "name"], "я" * 301)),
        ("manifest.json", _set(["mappings", 0, "source"], "s9")),
        ("manifest.json", _set(["mappings", 0, "file"], "../mappings/1.yaml")),
        ("manifest.json", _set(["mappings", 1, "pipeline"], "")),
        ("manifest.json", _set(["mappings", 0, "version"], 2**70)),  # past any INTEGER column
        ("manifest.json", _set(["workspace"], ["Двери Плюс"])),
        ("views.json", _set([0, "state"], "funnel")),
        ("changes.json", _set([0, "date"], "2026-13-45")),
    ],
)
def test_a_manifest_value_of_the_wrong_kind_is_refused(store: Store, member: str, change):
    good = store.export_workspace(filled(store))
    assert refused(store, edited(good, member, change)).code == "bad_archive"


def test_a_file_no_snapshot_uses_is_refused(store: Store):
    good = store.export_workspace(filled(store))
    sha = "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3"  # sha256(b"123")
    error = refused(store, zipped([*members_of(good), (f"files/{sha}", b"123")]))
    assert error.params["member"] == f"files/{sha}"


def test_a_mapping_with_yaml_aliases_is_refused(store: Store):
    good = store.export_workspace(filled(store))
    bomb = b"a: &a [x, x]\nb: &b [*a, *a]\nstages: [*b, *b]\n"
    members = [(n, bomb if n == "mappings/1.yaml" else b) for n, b in members_of(good)]
    error = refused(store, zipped(members))
    assert (error.code, error.params["member"]) == ("bad_archive", "mappings/1.yaml")


def test_a_zip_holding_more_than_a_workspace_may_is_refused(store: Store):
    # Three files of 900 bytes: each under the file limit (1,000), together over the workspace
    # limit (2,500). Their names only have the shape of a sha256: the sizes alone refuse the zip,
    # before any member is read.
    members = [
        ("files/" + sha, body)
        for sha, body in [
            ("3b4d0a3ad2b8be9f3e8e3d5c3b8b3c1f2f2a2f5e9b3d8b9d1f9c3b8d0a9e8f7c", b"1" * 900),
            ("5d0a3ad2b8be9f3e8e3d5c3b8b3c1f2f2a2f5e9b3d8b9d1f9c3b8d0a9e8f7c3b", b"2" * 900),
            ("7a3ad2b8be9f3e8e3d5c3b8b3c1f2f2a2f5e9b3d8b9d1f9c3b8d0a9e8f7c3b4d", b"3" * 900),
        ]
    ]
    error = refused(store, zipped(members))
    assert error.params == {"limit": "workspace", "found": 2_700, "max": 2_500}


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_damaged_zip_is_imported_whole_or_refused_with_a_store_error(store: Store, data):
    good = _good_export()
    damaged = bytearray(good)
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        at_byte = data.draw(st.integers(0, len(damaged) - 1), label="at")
        damaged[at_byte] = data.draw(st.integers(0, 255), label="to")
    cut = data.draw(st.integers(len(damaged) // 2, len(damaged)), label="cut")
    try:
        copy = store.import_workspace(bytes(damaged[:cut]))
    except StoreError:
        return
    # What got through was checked member by member: it is a workspace whole.
    assert [s.name for s in store.sources(copy.id)] == ["сделки.csv", "Лист1"]


@cache
def _good_export() -> bytes:
    with open_store("sqlite://", limits=LIMITS) as scratch:
        return scratch.export_workspace(filled(scratch))


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON document, the document itself first."""
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*path, index))
    return out


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_value_anywhere_in_the_json_is_imported_or_refused_with_a_store_error(
    store: Store, data
):
    good = _good_export()
    member = data.draw(st.sampled_from(["manifest.json", "views.json", "changes.json"]))
    document = json.loads(dict(members_of(good))[member])
    path = data.draw(st.sampled_from(_paths(document)), label="path")
    value = data.draw(JSON, label="value")

    def change(doc):
        if not path:
            doc.clear()  # each of the three is a mapping or a list
            return
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    # Refused with the store's error, or imported: never a crash of another kind.
    with contextlib.suppress(StoreError):
        store.import_workspace(edited(good, member, change))
