"""Who may see what: the mode from the settings and the server's address, who is signed in, and
what each grant allows; the decisions as plain functions of plain values, then the few that read
Streamlit's settings, with those settings replaced."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from funnel.store import Store, Workspace, open_store
from ui import access
from ui.access import (
    Grant,
    auth_providers,
    can_create,
    can_edit,
    can_manage,
    can_see_files,
    decide_mode,
    display_name,
    identity_of,
    is_loopback,
    owner_grant,
    stronger,
    visible,
)

ALICE = "https://accounts.google.com#108234567890123456789"
BOB = "https://accounts.google.com#2"
BASE = {"redirect_uri": "https://voronka.example.com/oauth2callback", "cookie_secret": "x" * 32}
PROVIDER = {
    "client_id": "voronka",
    "client_secret": "s3cret",
    "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
}
WHEN = datetime(2026, 12, 4, tzinfo=UTC)


def ws(workspace_id: str, owner: str | None) -> Workspace:
    return Workspace(workspace_id, f"Клиент {workspace_id}", WHEN, WHEN, 1, owner)


# ---- the mode ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.0.0.53", "localhost", "LocalHost", "app.localhost", "::1", "[::1]", " ", ""],
)
def test_loopback_addresses(address: str):
    assert is_loopback(address)
    assert is_loopback(None)


@pytest.mark.parametrize(
    "address",
    ["0.0.0.0", "::", "[::]", "192.168.1.10", "10.0.0.2", "fe80::1%eth0", "voronka.example.com"],
)
def test_other_addresses_are_reachable_by_others(address: str):
    assert not is_loopback(address)


@pytest.mark.parametrize(
    ("env", "configured", "address", "expected"),
    [
        (None, None, None, "local"),  # the default
        (None, None, "127.0.0.1", "local"),
        ("", "", "", "local"),  # blank settings are unset
        ("shared", None, None, "shared"),
        (None, "shared", None, "shared"),
        (" Shared ", None, "localhost", "shared"),
        (None, None, "0.0.0.0", "shared"),  # listening for everyone
        (None, None, "192.168.1.10", "shared"),
        ("local", None, "0.0.0.0", "shared"),  # "local" cannot open a public address
        (None, "local", "::", "shared"),
        ("local", "shared", None, "local"),  # the environment over the secrets
        ("shared", "local", "127.0.0.1", "shared"),
        (None, "local", "127.0.0.1", "local"),
        ("public", None, None, "shared"),  # a value that cannot be read: the safe one
        (None, "локальный", None, "shared"),
        (None, True, None, "shared"),  # `mode = true` in the TOML
        (None, None, 8501, "shared"),  # an address that is not text
    ],
)
def test_the_mode(env: Any, configured: Any, address: Any, expected: str):
    assert decide_mode(env=env, configured=configured, address=address) == expected


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The server's settings as mode() reads them: environment, secrets, server.address."""
    values: dict[str, Any] = {"env": None, "secrets": {}, "broken": False, "address": None}

    def section(name: str) -> tuple[Any, bool]:
        return values["secrets"].get(name), values["broken"]

    def option(name: str) -> Any:
        assert name == "server.address"
        return values["address"]

    monkeypatch.setattr(access, "_secrets_section", section)
    monkeypatch.setattr(access.st, "get_option", option)
    monkeypatch.delenv(access.MODE_ENV, raising=False)
    return values


def test_mode_reads_the_environment_the_secrets_and_the_address(
    settings: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    assert access.mode() == "local"
    settings["secrets"] = {"voronka": {"mode": "shared", "db_url": "sqlite://"}}
    assert access.mode() == "shared"
    monkeypatch.setenv(access.MODE_ENV, "local")
    assert access.mode() == "local"
    settings["address"] = "0.0.0.0"
    assert access.mode() == "shared"
    settings["address"] = "127.0.0.1"
    settings["broken"] = True  # a secrets file that cannot be parsed
    assert access.mode() == "shared"


class _Secrets:
    def __init__(self, outcome: Any) -> None:
        self._outcome = outcome

    def get(self, name: str) -> Any:
        if isinstance(self._outcome, Exception):
            raise self._outcome
        return self._outcome.get(name)


def _secrets_error(error_id: str) -> Exception:
    error = RuntimeError("secrets")
    error.error_id = error_id  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("secrets", "expected"),
    [
        ({}, (None, False)),
        ({"voronka": {"mode": "shared"}}, ({"mode": "shared"}, False)),
        ({"voronka": "shared"}, (None, True)),  # `voronka = "shared"`: not a section
        (_secrets_error("no-secrets-found"), (None, False)),
        (_secrets_error("failed-parsing-secrets-file"), (None, True)),
        (PermissionError("secrets.toml"), (None, True)),
    ],
)
def test_the_secrets_are_read_without_raising(monkeypatch, secrets: Any, expected: Any):
    monkeypatch.setattr(access.st, "secrets", _Secrets(secrets))
    assert access._secrets_section("voronka") == expected


# ---- signing in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ({**BASE, **PROVIDER}, [None]),
        ({**BASE, "google": PROVIDER, "keycloak": PROVIDER}, ["google", "keycloak"]),
        ({**BASE, **PROVIDER, "microsoft": PROVIDER}, [None, "microsoft"]),
        ({**BASE}, []),
        ({**PROVIDER}, []),  # no redirect_uri nor cookie_secret
        ({**BASE, "redirect_uri": "", **PROVIDER}, []),
        ({**BASE, "google": {**PROVIDER, "client_secret": ""}}, []),
        ({**BASE, "my_idp": PROVIDER}, []),  # Streamlit refuses "_" in a provider's name
        ({**BASE, "google": "not a table"}, []),
        (None, []),
        ("auth", []),
    ],
)
def test_the_providers_st_login_can_use(section: Any, expected: list[str | None]):
    assert auth_providers(section) == expected


def test_login_is_configured_only_with_a_provider_and_authlib(monkeypatch):
    monkeypatch.setattr(access, "_secrets_section", lambda name: ({**BASE, **PROVIDER}, False))
    monkeypatch.setattr(access.importlib.util, "find_spec", lambda name: object())
    assert access.login_configured()
    assert access.login_provider_choices() == [None]
    monkeypatch.setattr(access.importlib.util, "find_spec", lambda name: None)
    assert not access.login_configured()
    monkeypatch.setattr(access.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(access, "_secrets_section", lambda name: (None, False))
    assert not access.login_configured()
    assert access.signed_in() is None  # never asks st.user when nothing is configured


@pytest.mark.parametrize(
    ("user", "identity"),
    [
        (
            {"is_logged_in": True, "iss": "https://accounts.google.com", "sub": "1082"},
            "https://accounts.google.com#1082",
        ),
        ({"is_logged_in": True, "sub": "1082", "email": "a@example.com"}, "1082"),
        ({"is_logged_in": True, "email": "a@example.com"}, "a@example.com"),
        ({"is_logged_in": True, "sub": "  ", "email": ""}, None),
        ({"is_logged_in": True, "sub": 1082}, None),  # a claim that is not text
        ({"is_logged_in": False, "sub": "1082"}, None),
        ({"is_logged_in": "yes", "sub": "1082"}, None),
        ({"sub": "1082"}, None),
        ({}, None),
    ],
)
def test_the_identity_is_the_issuer_and_subject(user: dict[str, Any], identity: str | None):
    assert identity_of(user) == identity


def test_a_very_long_identity_is_hashed_never_cut():
    first = identity_of({"is_logged_in": True, "iss": "https://x", "sub": "a" * 600 + "1"})
    second = identity_of({"is_logged_in": True, "iss": "https://x", "sub": "a" * 600 + "2"})
    assert first is not None and second is not None and first != second
    assert first.startswith("sha256:") and len(first) <= access.MAX_IDENTITY_CHARS


def test_the_name_shown_is_the_email_else_the_name():
    user = {"is_logged_in": True, "sub": "1", "email": "anna@example.com", "name": "Анна"}
    assert display_name(user) == "anna@example.com"
    assert display_name({**user, "email": None}) == "Анна"
    assert display_name({**user, "is_logged_in": False}) is None


def test_signed_in_reads_st_user_when_login_is_configured(monkeypatch):
    class User:
        def __init__(self, claims: dict[str, Any]) -> None:
            self.claims = claims

        def to_dict(self) -> dict[str, Any]:
            return self.claims

    monkeypatch.setattr(access, "login_configured", lambda: True)
    claims = {"is_logged_in": True, "iss": "https://accounts.google.com", "sub": "7"}
    monkeypatch.setattr(access.st, "user", User({**claims, "email": "anna@example.com"}))
    assert access.signed_in() == "https://accounts.google.com#7"
    assert access.signed_in_name() == "anna@example.com"
    monkeypatch.setattr(access.st, "user", User({"is_logged_in": False}))
    assert access.signed_in() is None


def test_signed_in_outside_a_session_is_nobody():
    assert access.signed_in() is None
    assert access.signed_in_name() is None


# ---- grants -----------------------------------------------------------------------------------


def test_the_owner_grant():
    mine, theirs, nobodys = ws("a", ALICE), ws("b", BOB), ws("c", None)
    for workspace in (mine, theirs, nobodys):
        assert owner_grant(workspace, mode="local", identity=None) == Grant(workspace.id, "owner")
    assert owner_grant(mine, mode="shared", identity=ALICE) == Grant("a", "owner")
    assert owner_grant(theirs, mode="shared", identity=ALICE) is None
    assert owner_grant(nobodys, mode="shared", identity=ALICE) is None
    assert owner_grant(nobodys, mode="shared", identity=None) is None


def test_what_a_list_may_show():
    listed = [ws("a", ALICE), ws("b", BOB), ws("c", None)]
    assert visible(listed, mode="local", identity=None) == listed
    assert visible(listed, mode="shared", identity=ALICE) == [listed[0]]
    assert visible(listed, mode="shared", identity=None) == []
    assert visible(listed, mode="shared", identity="someone else") == []


@pytest.mark.parametrize(
    ("role", "edit", "files"),
    [("owner", True, True), ("edit", True, True), ("read", False, False)],
)
def test_what_each_role_may_do(role: Any, edit: bool, files: bool):
    grant = Grant("a", role)
    assert (can_edit(grant), can_see_files(grant)) == (edit, files)


def test_no_grant_may_do_nothing():
    assert not can_edit(None)
    assert not can_see_files(None)
    assert not can_manage(None, ws("a", None))


def test_links_renaming_and_deleting_are_the_owner_s():
    owned, unowned = ws("a", ALICE), ws("b", None)
    assert can_manage(Grant("a", "owner"), owned)
    assert not can_manage(Grant("a", "edit"), owned)  # a leaked edit link cannot make more
    assert not can_manage(Grant("a", "read"), owned)
    assert can_manage(Grant("b", "edit"), unowned)  # nobody owns it: its editors keep it
    assert not can_manage(Grant("b", "read"), unowned)
    assert not can_manage(Grant("a", "owner"), unowned)  # a grant of another workspace


def test_the_stronger_grant_wins():
    assert stronger() is None
    assert stronger(None, None) is None
    assert stronger(Grant("a", "owner"), Grant("a", "read")) == Grant("a", "owner")
    assert stronger(Grant("a", "read"), None) == Grant("a", "read")


@pytest.mark.parametrize(
    ("mode", "identity", "login", "allowed"),
    [
        ("local", None, False, True),
        ("local", None, True, True),
        ("shared", ALICE, True, True),
        ("shared", None, True, False),  # sign in first
        ("shared", None, False, True),  # nobody can sign in: made ownerless, opened by links
    ],
)
def test_who_may_make_a_workspace(mode: Any, identity: str | None, login: bool, allowed: bool):
    assert can_create(mode=mode, identity=identity, login=login) is allowed


# ---- with a store -----------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'access.db'}") as opened:
        yield opened


def test_a_link_grants_its_role_until_revoked(store: Store):
    client = store.create_workspace("Двери Плюс", owner=ALICE)
    read = store.create_link(client.id, "read", version=client.version)
    edit = store.create_link(client.id, "edit", version=read.version)
    assert access.grant_for_link(store, read.item[1]) == Grant(client.id, "read")
    assert access.grant_for_link(store, edit.item[1]) == Grant(client.id, "edit")
    store.revoke_link(client.id, read.item[0].id, version=edit.version)
    assert access.grant_for_link(store, read.item[1]) is None
    for junk in ("", "x" * 10_000, "' OR 1=1 --", None, 42, ["token"]):
        assert access.grant_for_link(store, junk) is None


def test_the_list_shows_only_the_signed_in_person_s_workspaces_in_shared_mode(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    mine = store.create_workspace("Двери Плюс", owner=ALICE)
    theirs = store.create_workspace("Альфа", owner=BOB)
    nobodys = store.create_workspace("Пример")
    who: dict[str, Any] = {"mode": "local", "identity": None}
    monkeypatch.setattr(access, "mode", lambda: who["mode"])
    monkeypatch.setattr(access, "signed_in", lambda: who["identity"])
    assert access.visible_workspaces(store) == [theirs, mine, nobodys]
    assert access.grant_for_workspace(theirs) == Grant(theirs.id, "owner")
    who.update(mode="shared")
    assert access.visible_workspaces(store) == []
    assert access.grant_for_workspace(mine) is None
    who.update(identity=ALICE)
    assert access.visible_workspaces(store) == [mine]
    assert access.grant_for_workspace(mine) == Grant(mine.id, "owner")
    assert access.grant_for_workspace(theirs) is None


def test_every_setting_is_documented():
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "modes.md").read_text("utf-8")
    for name in (access.MODE_ENV, "server.address", f"[{access.SECTION}]", "[auth]"):
        assert name in docs, name
    for key in ("redirect_uri", "cookie_secret", *access._PROVIDER_KEYS, 'mode = "shared"'):
        assert key in docs, key
    assert f"?{access.LINK_PARAM}=" in docs
