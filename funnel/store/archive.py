"""A workspace as one zip, and back: the files of every snapshot and the second files attached
to them (``files/<sha256>``), each mapping as YAML (``mappings/<n>.yaml``), the marked changes
(``changes.json``), the saved views (``views.json``) and ``manifest.json`` tying them together.

An imported zip is treated as hostile: only the member names above, no more members than the
limit, no member larger than its limit, each read no further than it declares and checked
against what it declares (length, and the sha256 in its name), and every value in the JSON
checked for its type before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from funnel.errors import FunnelError, printable
from funnel.spec import Spec
from funnel.spec_load import MAX_SPEC_BYTES
from funnel.store.errors import StoreError
from funnel.store.records import MarkedChange, SavedMapping, SavedView, Snapshot, Source
from funnel.store.rows import too_big
from funnel.store.settings import MAX_NAME_CHARS, MAX_VIEW_BYTES, Limits

FORMAT = "voronka-workspace"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHANGES = "changes.json"
VIEWS = "views.json"
MAX_JSON_BYTES = 16 * 1024 * 1024  # the manifest, changes and views of a very large workspace
_MEMBER = re.compile(
    r"manifest\.json|changes\.json|views\.json|files/[0-9a-f]{64}|mappings/[0-9]{1,6}\.yaml"
)
_CHUNK = 1024 * 1024
_MAX_INT = 2**31 - 1  # what an INTEGER column holds on every database
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same workspace always gives the same bytes


@dataclass(frozen=True)
class Contents:
    """Everything a workspace holds, ids being only references between its parts."""

    name: str
    created: datetime
    sources: tuple[Source, ...]
    snapshots: tuple[Snapshot, ...]
    blobs: Mapping[str, bytes]
    mappings: tuple[SavedMapping, ...]
    changes: tuple[MarkedChange, ...]
    views: tuple[SavedView, ...]
    # The size of each blob, when known without reading it.
    sizes: Mapping[str, int] | None = None


def write(contents: Contents) -> bytes:
    """The zip of ``contents``; sources are keyed ``s1``, ``s2``... in order, so exporting an
    imported workspace gives the same bytes again."""
    keys = {source.id: f"s{n}" for n, source in enumerate(contents.sources, 1)}
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "workspace": {"name": contents.name, "created": _when_text(contents.created)},
        "sources": [
            {
                "key": keys[source.id],
                "kind": source.kind,
                "name": source.name,
                "url": source.url,
                "tab": source.tab,
                "created": _when_text(source.created),
                "snapshots": [
                    _snapshot_entry(snap, contents)
                    for snap in contents.snapshots
                    if snap.source_id == source.id
                ],
            }
            for source in contents.sources
        ],
        "mappings": [
            {
                "source": keys[mapping.source_id],
                "pipeline": mapping.pipeline,
                "file": f"mappings/{n}.yaml",
                "version": mapping.version,
                "updated": _when_text(mapping.updated),
            }
            for n, mapping in enumerate(contents.mappings, 1)
        ],
    }
    changes = [{"date": c.on.isoformat(), "label": c.label} for c in contents.changes]
    views = [
        {
            "name": v.name,
            "state": v.state,
            "created": _when_text(v.created),
            "updated": _when_text(v.updated),
        }
        for v in contents.views
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        _put(zf, MANIFEST, _json_bytes(manifest))
        for sha256 in sorted(contents.blobs):
            # The fastest deflate: three times quicker than the default on CRM exports, for
            # a zip about a third larger.
            _put(zf, f"files/{sha256}", contents.blobs[sha256], level=1)
        for n, mapping in enumerate(contents.mappings, 1):
            _put(zf, f"mappings/{n}.yaml", mapping.yaml.encode("utf-8"))
        _put(zf, CHANGES, _json_bytes(changes))
        _put(zf, VIEWS, _json_bytes(views))
    return buffer.getvalue()


def _snapshot_entry(snap: Snapshot, contents: Contents) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "sha256": snap.sha256,
        "size": snap.size,
        "file_name": snap.file_name,
        "taken": _when_text(snap.taken),
    }
    if snap.events_sha256 is not None:
        sha256 = snap.events_sha256
        size = (contents.sizes or {}).get(sha256)
        entry["events"] = {
            "sha256": sha256,
            "size": len(contents.blobs[sha256]) if size is None else size,
            "file_name": snap.events_file_name,
        }
    return entry


def read(data: bytes, limits: Limits) -> Contents:
    """The contents of an exported zip, or a :class:`StoreError` (``bad_archive``,
    ``too_big``) naming the member to blame; nothing is trusted before it is checked."""
    most = limits.workspace_bytes + MAX_JSON_BYTES * 3 + MAX_SPEC_BYTES * 10
    if len(data) > most:
        raise too_big("archive", len(data), most)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as exc:
        raise _bad(f"not a zip file: {printable(exc, 120)}") from None
    # Left open on success: the files are read from it again, one at a time, while they are
    # written to the database (a workspace may be larger than the memory to spare).
    try:
        texts, files = _members(zf, limits)
        manifest = _json(texts, MANIFEST, dict)
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise _bad(
                f"not a Voronka workspace of format {FORMAT_VERSION}",
                member=MANIFEST,
                expected=f"format {FORMAT!r}, format_version {FORMAT_VERSION}",
            )
        return _contents(manifest, texts, ZippedFiles(zf, files))
    except BaseException:
        zf.close()
        raise


class ZippedFiles(Mapping[str, bytes]):
    """The files of a checked zip by sha256, each read (and checked again) only when asked
    for."""

    def __init__(self, zf: zipfile.ZipFile, sizes: Mapping[str, int]) -> None:
        self._zf = zf
        self.sizes = dict(sizes)

    def __getitem__(self, sha256: str) -> bytes:
        if sha256 not in self.sizes:
            raise KeyError(sha256)
        body = _read_member(self._zf, self._zf.getinfo(f"files/{sha256}"), keep=True)
        assert body is not None
        return body

    def __iter__(self) -> Iterator[str]:
        return iter(self.sizes)

    def __len__(self) -> int:
        return len(self.sizes)


# ---- reading, member by member ----------------------------------------------------------------


def _members(zf: zipfile.ZipFile, limits: Limits) -> tuple[dict[str, bytes], dict[str, int]]:
    """The text members' bytes by name, and the files' sizes by sha256: every member checked
    (name, kind, declared size) before any is read, then each read and checked in turn; files
    are hashed as they stream by, not kept."""
    infos = zf.infolist()
    if len(infos) > limits.archive_members:
        raise _bad(
            f"the zip has {len(infos):,} members; a workspace has at most "
            f"{limits.archive_members:,}",
            params={"found": len(infos), "max": limits.archive_members},
        )
    declared_files = 0
    for info in infos:
        name = info.filename
        if not _MEMBER.fullmatch(name):
            raise _bad("a member the format does not have", member=name)
        if info.flag_bits & 0x1:
            raise _bad("the member is encrypted", member=name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _bad("the member is compressed in an unknown way", member=name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _bad("the member is a link", member=name)
        most = _most(name, limits)
        if info.file_size > most:
            raise too_big("file" if name.startswith("files/") else "member", info.file_size, most)
        if name.startswith("files/"):
            declared_files += info.file_size
    if declared_files > limits.workspace_bytes:
        raise too_big("workspace", declared_files, limits.workspace_bytes)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise _bad("a member is in the zip twice")
    texts: dict[str, bytes] = {}
    files: dict[str, int] = {}
    for info in infos:
        if info.filename.startswith("files/"):
            _read_member(zf, info, keep=False)
            files[info.filename.removeprefix("files/")] = info.file_size
        else:
            body = _read_member(zf, info, keep=True)
            assert body is not None
            texts[info.filename] = body
    return texts, files


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, keep: bool) -> bytes | None:
    """Read a member no further than it declares (plus one byte, to catch a lie), checking its
    length and, for a file, its sha256; its bytes if ``keep``."""
    name = info.filename
    digest = hashlib.sha256()
    chunks: list[bytes] = []
    read = 0
    try:
        with zf.open(info) as fh:
            while read <= info.file_size:
                chunk = fh.read(min(_CHUNK, info.file_size + 1 - read))
                if not chunk:
                    break
                read += len(chunk)
                digest.update(chunk)
                if keep:
                    chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _bad(f"the member cannot be read: {printable(exc, 160)}", member=name) from None
    if read != info.file_size:
        raise _bad(
            f"the member holds {read:,} bytes or more, not the {info.file_size:,} it declares",
            member=name,
        )
    if name.startswith("files/") and digest.hexdigest() != name.removeprefix("files/"):
        raise _bad("the contents do not match their sha256", member=name)
    return b"".join(chunks) if keep else None


def _most(name: str, limits: Limits) -> int:
    if name.startswith("files/"):
        return limits.file_bytes
    if name.startswith("mappings/"):
        return MAX_SPEC_BYTES
    return MAX_JSON_BYTES


def _contents(manifest: dict[str, Any], members: dict[str, bytes], files: ZippedFiles) -> Contents:
    workspace = _field(manifest, "workspace", dict, MANIFEST)
    sources: list[Source] = []
    snapshots: list[Snapshot] = []
    used: set[str] = set()
    for item in _field(manifest, "sources", list, MANIFEST):
        entry = _of(item, dict, MANIFEST, "a source")
        key = _text(entry, "key", MANIFEST)
        if any(s.id == key for s in sources):
            raise _bad(f"source {printable(key, 60)} is listed twice", member=MANIFEST)
        kind = _field(entry, "kind", str, MANIFEST)
        if kind not in ("file", "sheet"):
            raise _bad("a source is a file or a sheet", member=MANIFEST, expected="file, sheet")
        sources.append(
            Source(
                id=key,
                workspace_id="",
                kind=kind,  # checked just above
                name=_text(entry, "name", MANIFEST),
                created=_when(entry, "created", MANIFEST),
                url=_text(entry, "url", MANIFEST, optional=True, limit=2000),
                tab=_text(entry, "tab", MANIFEST, optional=True),
            )
        )
        for n, raw in enumerate(_field(entry, "snapshots", list, MANIFEST), 1):
            snap = _of(raw, dict, MANIFEST, "a snapshot")
            sha256, size = _file(snap, files)
            used.add(sha256)
            # The second file, when one was attached (zips made before it could be have none).
            events = snap.get("events")
            events_sha256 = events_name = None
            if events is not None:
                events = _of(events, dict, MANIFEST, "a snapshot's 'events'")
                events_sha256, _ = _file(events, files)
                events_name = _text(events, "file_name", MANIFEST)
                used.add(events_sha256)
            snapshots.append(
                Snapshot(
                    id=f"{key}.{n}",
                    source_id=key,
                    sha256=sha256,
                    size=size,
                    file_name=_text(snap, "file_name", MANIFEST),
                    taken=_when(snap, "taken", MANIFEST),
                    events_sha256=events_sha256,
                    events_file_name=events_name,
                )
            )
    unused = sorted(set(files) - used)
    if unused:
        raise _bad(f"files/{unused[0]} belongs to no snapshot", member=f"files/{unused[0]}")
    mappings = _mappings(manifest, members, {s.id for s in sources})
    listed = {MANIFEST, CHANGES, VIEWS}
    listed |= {f"mappings/{n}.yaml" for n in range(1, len(mappings) + 1)}
    extra = sorted(set(members) - listed)
    if extra:
        raise _bad(f"{extra[0]} is in no part of the manifest", member=extra[0])
    return Contents(
        name=_text(workspace, "name", MANIFEST),
        created=_when(workspace, "created", MANIFEST),
        sources=tuple(sources),
        snapshots=tuple(snapshots),
        blobs=files,
        sizes=files.sizes,
        mappings=mappings,
        changes=_changes(members),
        views=_views(members),
    )


def _file(entry: dict[str, Any], files: ZippedFiles) -> tuple[str, int]:
    """The sha256 and size an entry declares, checked against the file in the zip."""
    sha256 = _field(entry, "sha256", str, MANIFEST)
    stored = files.sizes.get(sha256)
    if stored is None:
        raise _bad(f"files/{printable(sha256, 70)} is missing", member=MANIFEST)
    size = _field(entry, "size", int, MANIFEST)
    if size != stored:
        raise _bad(f"files/{sha256} is not {size:,} bytes", member=MANIFEST)
    return sha256, size


def _mappings(
    manifest: dict[str, Any], members: dict[str, bytes], source_keys: set[str]
) -> tuple[SavedMapping, ...]:
    out: list[SavedMapping] = []
    for n, item in enumerate(_field(manifest, "mappings", list, MANIFEST), 1):
        entry = _of(item, dict, MANIFEST, "a mapping")
        member = f"mappings/{n}.yaml"
        if _field(entry, "file", str, MANIFEST) != member or member not in members:
            raise _bad(f"mapping #{n} should be in {member}", member=MANIFEST)
        source = _field(entry, "source", str, MANIFEST)
        if source not in source_keys:
            raise _bad(f"mapping #{n} is of no listed source", member=MANIFEST)
        pipeline = _text(entry, "pipeline", MANIFEST, allow_empty=True)
        if any(m.source_id == source and m.pipeline == pipeline for m in out):
            raise _bad(f"mapping #{n} repeats a source and pipeline", member=MANIFEST)
        version = _field(entry, "version", int, MANIFEST)
        if not 1 <= version <= _MAX_INT:
            raise _bad(f"mapping #{n} has version {version}", member=MANIFEST)
        try:
            text = members[member].decode("utf-8")
            spec = Spec.from_yaml(text, source=member)
        except UnicodeDecodeError:
            raise _bad(f"{member} is not UTF-8 text", member=member) from None
        except FunnelError as exc:
            raise _bad(f"{member} is not a valid mapping: {exc.message}", member=member) from None
        out.append(
            SavedMapping(
                source_id=source,
                pipeline=pipeline,
                spec=spec,
                yaml=text,
                version=version,
                updated=_when(entry, "updated", MANIFEST),
            )
        )
    return tuple(out)


def _changes(members: dict[str, bytes]) -> tuple[MarkedChange, ...]:
    out = []
    for n, item in enumerate(_json(members, CHANGES, list), 1):
        entry = _of(item, dict, CHANGES, "a change")
        try:
            on = date.fromisoformat(_field(entry, "date", str, CHANGES))
        except ValueError:
            raise _bad(
                f"change #{n} has no valid date", member=CHANGES, expected="YYYY-MM-DD"
            ) from None
        label = _text(entry, "label", CHANGES, allow_empty=True)
        out.append(MarkedChange(id=n, on=on, label=label))
    return tuple(out)


def _views(members: dict[str, bytes]) -> tuple[SavedView, ...]:
    out: list[SavedView] = []
    for item in _json(members, VIEWS, list):
        entry = _of(item, dict, VIEWS, "a view")
        name = _text(entry, "name", VIEWS)
        if any(v.name == name for v in out):
            raise _bad(f"view {printable(name, 60)} is listed twice", member=VIEWS)
        state = _field(entry, "state", dict, VIEWS)
        size = len(json.dumps(state, ensure_ascii=False).encode("utf-8"))
        if size > MAX_VIEW_BYTES:
            raise too_big("view", size, MAX_VIEW_BYTES)
        out.append(
            SavedView(
                id="",
                name=name,
                state=state,
                created=_when(entry, "created", VIEWS),
                updated=_when(entry, "updated", VIEWS),
            )
        )
    return tuple(out)


# ---- typed fields -----------------------------------------------------------------------------


def _json(members: dict[str, bytes], member: str, kind: type) -> Any:
    if member not in members:
        raise _bad(f"{member} is missing", member=member)
    try:
        value = json.loads(members[member].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _bad(f"{member} is not JSON text", member=member) from None
    return _of(value, kind, member, "the whole file")


def _of(value: Any, kind: type, member: str, what: str) -> Any:
    # bool is an int to Python, never to the format.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _bad(f"{what} in {member} is not {_KIND[kind]}", member=member, expected=_KIND[kind])
    return value


def _field(entry: dict[str, Any], key: str, kind: type, member: str) -> Any:
    if key not in entry:
        raise _bad(f"{member} lacks {key!r}", member=member)
    return _of(entry[key], kind, member, repr(key))


def _text(
    entry: dict[str, Any],
    key: str,
    member: str,
    *,
    optional: bool = False,
    allow_empty: bool = False,
    limit: int = MAX_NAME_CHARS,
) -> Any:
    if optional and entry.get(key) is None:
        return None
    value = _field(entry, key, str, member)
    if len(value) > limit or (not value.strip() and not allow_empty):
        raise _bad(f"{key!r} in {member} is not 1 to {limit} characters", member=member)
    return value


def _when(entry: dict[str, Any], key: str, member: str) -> datetime:
    text = _field(entry, key, str, member)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _bad(
            f"{key!r} in {member} is not a moment", member=member, expected="ISO 8601 with a zone"
        )
    return moment.astimezone(UTC)


_KIND = {dict: "a mapping", list: "a list", str: "text", int: "a whole number"}


# ---- writing ----------------------------------------------------------------------------------


def _put(zf: zipfile.ZipFile, name: str, body: bytes, *, level: int = 6) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, body, compresslevel=level)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")


def _when_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _bad(
    message: str,
    *,
    member: str | None = None,
    expected: str | None = None,
    params: dict[str, object] | None = None,
) -> StoreError:
    return StoreError(
        message,
        code="bad_archive",
        file=printable(member, 120) if member else None,
        expected=expected,
        params={"member": member, **(params or {})},
    )
