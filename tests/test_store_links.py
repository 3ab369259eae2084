"""Who may open a workspace, on SQLite and PostgreSQL: owners, and secret links kept only as the
hash of their token, revoked for good, gone with their workspace and never exported."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnel.store import Link, Store, StoreError, open_store
from funnel.store.tokens import new_token, token_hash
from tests.conftest import STORE_LIMITS

LIMITS = STORE_LIMITS  # the shared store fixture's (tests/conftest.py)
ALICE = "https://accounts.google.com#108234567890123456789"
BOB = "https://login.example.org/realms/team#0b2c3d4e"


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(sa.text(query))]
    engine.dispose()
    return rows


# ---- owners -----------------------------------------------------------------------------------


def test_a_workspace_has_an_owner_and_the_list_filters_by_it(store: Store):
    mine = store.create_workspace("Двери Плюс", owner=ALICE)
    theirs = store.create_workspace("Альфа", owner=BOB)
    nobodys = store.create_workspace("Пример")
    assert (mine.owner, theirs.owner, nobodys.owner) == (ALICE, BOB, None)
    assert store.workspace(mine.id).owner == ALICE
    # No argument: every workspace, as before owners existed.
    assert [w.name for w in store.workspaces()] == ["Альфа", "Двери Плюс", "Пример"]
    assert store.workspaces(owner=ALICE) == [mine]
    assert store.workspaces(owner=BOB) == [theirs]
    assert store.workspaces(owner=None) == [nobodys]
    assert store.workspaces(owner="someone else") == []
    # A save keeps the owner.
    renamed = store.rename_workspace(mine.id, "Двери Плюс (опт)", version=1)
    assert renamed.owner == ALICE


@pytest.mark.parametrize("owner", ["", "   ", "x" * 501])
def test_an_owner_is_text_of_1_to_500_characters(store: Store, owner: str):
    with pytest.raises(StoreError) as refused:
        store.create_workspace("Двери Плюс", owner=owner)
    assert refused.value.code == "bad_name"
    assert store.workspaces() == []


# ---- links ------------------------------------------------------------------------------------


def test_a_link_opens_its_workspace_and_only_its_hash_is_kept(store: Store, url: str):
    ws = store.create_workspace("Двери Плюс", owner=ALICE)
    saved = store.create_link(ws.id, "read", version=ws.version, label="для клиента")
    link, token = saved.item
    assert saved.version == 2  # a link is a save like any other
    assert (link.workspace_id, link.role, link.label, link.revoked, link.active) == (
        ws.id,
        "read",
        "для клиента",
        None,
        True,
    )
    assert len(token) >= 22 and token_hash(token) is not None  # 128 random bits at the least
    opened = store.open_link(token)
    assert opened is not None
    assert opened == (store.workspace(ws.id), link)
    assert store.links(ws.id) == [link]
    # The database holds the token's sha256, never the token.
    (row,) = _rows(url, "SELECT * FROM links")
    assert hashlib.sha256(token.encode()).hexdigest() in row
    assert not any(token in str(value) for value in row)


def test_every_link_has_a_token_of_its_own(store: Store):
    ws = store.create_workspace("Двери Плюс")
    version, tokens = ws.version, set()
    for n in range(20):
        saved = store.create_link(ws.id, "edit" if n % 2 else "read", version=version)
        version = saved.version
        tokens.add(saved.item[1])
    assert len(tokens) == 20
    assert len(store.links(ws.id)) == 20
    for token in tokens:
        opened = store.open_link(token)
        assert opened is not None and opened[0].id == ws.id


def test_a_link_of_another_role_is_refused(store: Store):
    ws = store.create_workspace("Двери Плюс")
    with pytest.raises(StoreError) as refused:
        store.create_link(ws.id, "owner", version=1)  # type: ignore[arg-type]
    assert refused.value.code == "bad_role"
    assert store.links(ws.id) == []
    assert store.workspace(ws.id).version == 1


def test_making_a_link_on_a_stale_version_is_refused(store: Store):
    ws = store.create_workspace("Двери Плюс")
    store.rename_workspace(ws.id, "Двери Плюс (опт)", version=1)
    with pytest.raises(StoreError) as stale:
        store.create_link(ws.id, "edit", version=1)
    assert stale.value.code == "stale_version"
    assert store.links(ws.id, revoked=True) == []


def test_a_revoked_link_opens_nothing_and_is_listed_only_when_asked(store: Store):
    ws = store.create_workspace("Двери Плюс")
    edit = store.create_link(ws.id, "edit", version=1, label="команда")
    read = store.create_link(ws.id, "read", version=edit.version)
    (edit_link, edit_token), (read_link, read_token) = edit.item, read.item
    version = store.revoke_link(ws.id, edit_link.id, version=read.version)
    assert version == read.version + 1
    assert store.open_link(edit_token) is None
    assert store.open_link(read_token) is not None
    assert store.links(ws.id) == [read_link]
    listed = store.links(ws.id, revoked=True)
    assert [(x.id, x.active) for x in listed] == [(edit_link.id, False), (read_link.id, True)]
    revoked_at = listed[0].revoked
    # Revoking again changes nothing of the link; an unknown link is not found.
    version = store.revoke_link(ws.id, edit_link.id, version=version)
    assert store.links(ws.id, revoked=True)[0].revoked == revoked_at
    with pytest.raises(StoreError) as missing:
        store.revoke_link(ws.id, "0" * 32, version=version)
    assert missing.value.code == "not_found"
    # A link is revoked only through its own workspace.
    other = store.create_workspace("Альфа")
    with pytest.raises(StoreError) as elsewhere:
        store.revoke_link(other.id, read_link.id, version=1)
    assert elsewhere.value.code == "not_found"
    assert store.open_link(read_token) is not None


def test_deleting_a_workspace_deletes_its_links(store: Store, url: str):
    doomed = store.create_workspace("Двери Плюс")
    kept = store.create_workspace("Альфа")
    doomed_token = store.create_link(doomed.id, "edit", version=1).item[1]
    kept_token = store.create_link(kept.id, "read", version=1).item[1]
    store.delete_workspace(doomed.id, version=2)
    assert store.open_link(doomed_token) is None
    assert store.open_link(kept_token) is not None
    assert _rows(url, "SELECT workspace_id FROM links") == [(kept.id,)]


JUNK = [
    "",
    " ",
    "null",
    "x" * 21,
    "x" * 129,
    "a" * 1_000_000,
    "' OR '1'='1",
    "%' --",
    "токен-токен-токен-токен-токен",
    "A" * 42 + "\x00",
    "A" * 42 + "\n",
    "\ud800" * 43,  # a lone surrogate: text no encoding takes
    "../../../etc/passwd",
    "A" * 43,  # the right shape, but no link has it
]


@pytest.mark.parametrize("token", JUNK, ids=range(len(JUNK)))
def test_junk_opens_nothing_and_never_raises(store: Store, token: str):
    ws = store.create_workspace("Двери Плюс")
    store.create_link(ws.id, "edit", version=1)
    assert store.open_link(token) is None


@pytest.mark.parametrize("token", [None, 42, b"A" * 43, ["A" * 43], {"token": "x"}])
def test_anything_but_text_opens_nothing(store: Store, token: object):
    assert store.open_link(token) is None  # type: ignore[arg-type]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(junk=st.text(max_size=300))
def test_any_text_opens_nothing(store: Store, junk: str):
    if not store.workspaces():  # one workspace with a link, for all the examples
        ws = store.create_workspace("Двери Плюс")
        store.create_link(ws.id, "edit", version=1)
    assert store.open_link(junk) is None


def test_a_token_is_256_random_bits_in_url_safe_text():
    tokens = {new_token() for _ in range(1_000)}
    assert len(tokens) == 1_000
    assert all(len(t) == 43 and token_hash(t) is not None for t in tokens)


# ---- export and import ------------------------------------------------------------------------


def test_an_export_carries_no_link_and_an_import_makes_none(store: Store, url: str):
    ws = store.create_workspace("Двери Плюс", owner=ALICE)
    saved = store.add_file(ws.id, "deals.csv", b"abc", version=1)
    made = store.create_link(ws.id, "read", version=saved.version, label="для клиента")
    link, token = made.item
    exported = store.export_workspace(ws.id)
    digest = hashlib.sha256(token.encode()).hexdigest()
    with zipfile.ZipFile(io.BytesIO(exported)) as zf:
        names = zf.namelist()
        text = b"".join(zf.read(name) for name in names)
    assert not any("link" in name for name in names)
    for secret in (token, digest, link.id, "для клиента", ALICE):
        assert secret.encode() not in text, secret
    copy = store.import_workspace(exported, owner=BOB)
    assert (copy.owner, store.workspace(copy.id).owner) == (BOB, BOB)
    assert store.links(copy.id, revoked=True) == []
    opened = store.open_link(token)
    assert opened is not None and opened[0].id == ws.id  # the token still opens the original only
    assert store.import_workspace(exported).owner is None
    assert _rows(url, "SELECT COUNT(*) FROM links") == [(1,)]


def test_link_records_are_plain_and_frozen(store: Store):
    ws = store.create_workspace("Двери Плюс")
    link = store.create_link(ws.id, "read", version=1).item[0]
    assert isinstance(link, Link)
    with pytest.raises(AttributeError):
        link.role = "edit"  # type: ignore[misc]
    assert "token" not in repr(link).lower()


def test_going_back_to_v0001_and_up_again_keeps_every_file(url: str):
    from alembic import command
    from alembic.config import Config

    from funnel.store.engine import MIGRATIONS, WRITE, make_engine

    with open_store(url, limits=LIMITS) as store:
        ws = store.create_workspace("Двери Плюс", owner=ALICE)
        saved = store.add_file(ws.id, "deals.csv", b"abc", version=1)
        store.create_link(ws.id, "read", version=saved.version)
    engine = make_engine(url)
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = conn
            command.downgrade(config, "v0001")
    engine.dispose()
    assert _rows(url, "SELECT COUNT(*) FROM sources") == [(1,)]
    with open_store(url, limits=LIMITS) as store:
        (back,) = store.workspaces()
        assert (back.id, back.owner, store.links(back.id)) == (ws.id, None, [])
        assert [s.name for s in store.sources(ws.id)] == ["deals.csv"]
        assert store.size(ws.id) == 3
