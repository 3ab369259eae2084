"""Who may see what (see docs/modes.md).

**Local mode** (the default: the server listens on 127.0.0.1, localhost or ::1): one person at
their own computer; every workspace is listed and opens with every right.

**Shared mode** (``VORONKA_MODE=shared``, ``mode = "shared"`` in the ``[voronka]`` section of
``.streamlit/secrets.toml``, or ``server.address`` set to any address that is not loopback): no
page lists a workspace that is not the signed-in person's own; a workspace opens for its owner
(signed in through ``st.login`` with the OIDC provider of the secrets' ``[auth]`` section) or by
a secret link, with that link's role.

The decisions are small pure functions of plain values (:func:`decide_mode`,
:func:`auth_providers`, :func:`identity_of`, :func:`owner_grant`, :func:`visible`, the ``can_*``
checks); the functions without arguments read them from the environment, the secrets, the
server's options and ``st.user``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import ipaddress
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from funnel.store import Store, Workspace

log = logging.getLogger(__name__)

Mode = Literal["local", "shared"]
Role = Literal["owner", "edit", "read"]
MODE_ENV = "VORONKA_MODE"
SECTION = "voronka"  # the app's section of .streamlit/secrets.toml (also holds db_url)
AUTH_SECTION = "auth"  # Streamlit's own section for st.login
# The query parameter that carries a secret link's token (``?key=...``).
LINK_PARAM = "key"
MAX_IDENTITY_CHARS = 500  # what the store's owner column holds
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
_NO_SECRETS = "no-secrets-found"  # Streamlit's error id when there is no secrets.toml at all


@dataclass(frozen=True)
class Grant:
    """What the session may do in one workspace: ``owner`` (everything), ``edit`` (all but
    the owner's own: links, renaming, deleting) or ``read`` (the dashboards only)."""

    workspace_id: str
    role: Role


# ---- the mode ---------------------------------------------------------------------------------


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to ``address`` is reachable from this computer only. Unset (None
    or blank) counts as loopback, as local mode is the default; Streamlit itself then listens
    on every interface, so docs/modes.md tells to pin ``server.address = "127.0.0.1"``.

    >>> [is_loopback(a) for a in ("127.0.0.1", "localhost", "[::1]", "127.8.0.1", None)]
    [True, True, True, True, True]
    >>> [is_loopback(a) for a in ("0.0.0.0", "::", "192.168.1.5", "voronka.example.com")]
    [False, False, False, False]
    """
    if address is None or not address.strip():
        return True
    text = address.strip().lower().removeprefix("[").removesuffix("]")
    if text in ("localhost", "localhost.") or text.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(text.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name: whoever can resolve it can reach it


def decide_mode(*, env: object = None, configured: object = None, address: object = None) -> Mode:
    """The mode from ``VORONKA_MODE`` (``env``), else the secrets' ``[voronka] mode``
    (``configured``); a non-loopback ``address`` makes it shared whatever they say. A value
    that is neither ``local`` nor ``shared`` (a typo, a number) gives shared: a setting that
    cannot be read must not open every workspace to everyone.

    >>> decide_mode(), decide_mode(configured="shared"), decide_mode(address="0.0.0.0")
    ('local', 'shared', 'shared')
    >>> decide_mode(env="local", configured="shared"), decide_mode(env="local", address="::")
    ('local', 'shared')
    >>> decide_mode(env="Lokal")
    'shared'
    """
    if address is not None and not (isinstance(address, str) and is_loopback(address)):
        return "shared"
    for value in (env, configured):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        wanted = value.strip().lower() if isinstance(value, str) else None
        if wanted == "local":
            return "local"
        if wanted == "shared":
            return "shared"
        log.warning("the mode setting is neither 'local' nor 'shared'; running shared")
        return "shared"
    return "local"


def mode() -> Mode:
    """This server's mode, from the environment, the secrets and ``server.address``."""
    section, broken = _secrets_section(SECTION)
    if broken:
        log.warning("the secrets cannot be read; running shared")
        return "shared"
    configured = section.get("mode") if section is not None else None
    try:
        address = st.get_option("server.address")
    except Exception:  # no such option in this Streamlit: the default, loopback
        address = None
    return decide_mode(env=os.environ.get(MODE_ENV), configured=configured, address=address)


# ---- signing in -------------------------------------------------------------------------------


def auth_providers(section: object) -> list[str | None]:
    """The providers ``st.login`` can use with the secrets' ``[auth]`` section: None for the
    one written in the section itself, then each named one (a table of its own); none unless
    ``redirect_uri`` and ``cookie_secret`` are set too.

    >>> base = {"redirect_uri": "https://v.example.com/oauth2callback", "cookie_secret": "s"}
    >>> keys = {"client_id": "i", "client_secret": "s", "server_metadata_url": "https://x"}
    >>> auth_providers({**base, **keys}), auth_providers({**base, "google": keys})
    ([None], ['google'])
    >>> auth_providers(keys), auth_providers(None), auth_providers({**base, "my_idp": keys})
    ([], [], [])
    """
    if not isinstance(section, Mapping) or not all(
        _text(section.get(key)) for key in ("redirect_uri", "cookie_secret")
    ):
        return []
    found: list[str | None] = []
    if all(_text(section.get(key)) for key in _PROVIDER_KEYS):
        found.append(None)
    for name, value in section.items():
        # Streamlit refuses provider names with "_" (see st.login).
        if (
            isinstance(value, Mapping)
            and "_" not in str(name)
            and all(_text(value.get(key)) for key in _PROVIDER_KEYS)
        ):
            found.append(str(name))
    return found


def login_configured() -> bool:
    """Whether ``st.login`` can work here: an OIDC provider in the secrets' ``[auth]`` section,
    and Authlib installed (Streamlit needs it for signing in). Never raises."""
    return bool(login_provider_choices()) and importlib.util.find_spec("authlib") is not None


def login_provider_choices() -> list[str | None]:
    """The providers to offer: pass each to ``st.login`` (None: the default one)."""
    section, _broken = _secrets_section(AUTH_SECTION)
    return auth_providers(section)


def identity_of(user: Mapping[str, Any]) -> str | None:
    """A signed-in person's stable identity from ``st.user``'s claims: the issuer and subject
    (``iss#sub``: a provider never gives the same subject to two people, and a person keeps it
    when their name or e-mail changes), else the e-mail; None when nobody is signed in.

    >>> identity_of({"is_logged_in": True, "iss": "https://accounts.google.com", "sub": "10"})
    'https://accounts.google.com#10'
    >>> identity_of({"is_logged_in": False, "sub": "10"}), identity_of({})
    (None, None)
    """
    if user.get("is_logged_in") is not True:
        return None
    sub, iss, email = (_text(user.get(k)) for k in ("sub", "iss", "email"))
    identity = (f"{iss}#{sub}" if iss else sub) if sub else email
    if not identity:
        return None
    if len(identity) > MAX_IDENTITY_CHARS:  # never cut: two people could then share a prefix
        return "sha256:" + hashlib.sha256(identity.encode("utf-8", "replace")).hexdigest()
    return identity


def display_name(user: Mapping[str, Any]) -> str | None:
    """What to show of the signed-in person (e-mail, else name); None when nobody is."""
    if user.get("is_logged_in") is not True:
        return None
    return _text(user.get("email")) or _text(user.get("name")) or None


def signed_in() -> str | None:
    """The signed-in person's identity (:func:`identity_of`), or None: nobody signed in, no
    provider configured, or no Streamlit session. Never raises."""
    user = _user()
    return identity_of(user) if user is not None else None


def signed_in_name() -> str | None:
    """The signed-in person as they read themselves (e-mail or name), or None."""
    user = _user()
    return display_name(user) if user is not None else None


def _user() -> Mapping[str, Any] | None:
    if not login_configured():
        return None
    try:
        user = st.user.to_dict()
    except Exception:  # no session (a bare script), or Streamlit's auth refusing its settings
        return None
    return user if isinstance(user, Mapping) else None


# ---- grants -----------------------------------------------------------------------------------


def owner_grant(workspace: Workspace, *, mode: Mode, identity: str | None) -> Grant | None:
    """The grant a session has in ``workspace`` without a link: ``owner`` in local mode, and in
    shared mode for the signed-in owner only; None otherwise."""
    if mode == "local" or (identity is not None and workspace.owner == identity):
        return Grant(workspace.id, "owner")
    return None


def grant_for_workspace(workspace: Workspace) -> Grant | None:
    """:func:`owner_grant` for this server's mode and the person signed in now."""
    return owner_grant(workspace, mode=mode(), identity=signed_in())


def grant_for_link(store: Store, token: object) -> Grant | None:
    """The grant a secret link's token gives (its role), or None for any token that opens
    nothing (unknown, malformed, revoked, of a deleted workspace). Raises
    :class:`~funnel.store.StoreError` only when the database fails."""
    opened = store.open_link(token) if isinstance(token, str) else None
    if opened is None:
        return None
    _workspace, link = opened
    return Grant(link.workspace_id, link.role)


def stronger(*grants: Grant | None) -> Grant | None:
    """The grant with the most rights of those given (an owner who also holds a read link
    stays the owner); None when none is given.

    >>> stronger(None, Grant("w", "read"), Grant("w", "edit"))
    Grant(workspace_id='w', role='edit')
    """
    rank = {"read": 0, "edit": 1, "owner": 2}
    present = [g for g in grants if g is not None]
    return max(present, key=lambda g: rank[g.role]) if present else None


def visible(
    workspaces: Iterable[Workspace], *, mode: Mode, identity: str | None
) -> list[Workspace]:
    """What a workspace list may show: all in local mode; in shared mode those of the signed-in
    person, and none to nobody."""
    if mode == "local":
        return list(workspaces)
    if identity is None:
        return []
    return [ws for ws in workspaces if ws.owner == identity]


def visible_workspaces(store: Store) -> list[Workspace]:
    """The workspaces this session may list (:func:`visible`), asked of the store so that in
    shared mode other people's are never even read."""
    current = mode()
    if current == "local":
        return store.workspaces()
    identity = signed_in()
    if identity is None:
        return []
    return visible(store.workspaces(owner=identity), mode=current, identity=identity)


def can_create(*, mode: Mode, identity: str | None, login: bool) -> bool:
    """Whether a session may make a workspace: always in local mode; in shared mode when signed
    in, or when no sign-in is configured at all (the workspace then has no owner and opens only
    by its links: the app gives its maker an edit link at once)."""
    return mode == "local" or identity is not None or not login


def can_edit(grant: Grant | None) -> bool:
    """Uploads, the mapping editor, marked changes, saved views: owner and edit links."""
    return grant is not None and grant.role in ("owner", "edit")


def can_see_files(grant: Grant | None) -> bool:
    """The raw files (the Data page's tables, downloads, the export zip): not a read link."""
    return can_edit(grant)


def can_manage(grant: Grant | None, workspace: Workspace) -> bool:
    """Links (make, revoke), renaming, deleting: the owner; an edit link only in a workspace
    nobody owns (made where nobody signs in), so that revoking a leaked edit link is final
    wherever there is an owner to do it."""
    if grant is None or grant.workspace_id != workspace.id:
        return False
    return grant.role == "owner" or (grant.role == "edit" and workspace.owner is None)


# ---- reading the secrets ----------------------------------------------------------------------


def _secrets_section(name: str) -> tuple[Mapping[str, Any] | None, bool]:
    """A section of ``.streamlit/secrets.toml`` (None when absent) and whether the secrets are
    broken (a file that cannot be read or parsed, or a value where a section should be)."""
    try:
        section = st.secrets.get(name)
    except Exception as exc:
        if getattr(exc, "error_id", None) == _NO_SECRETS or isinstance(exc, FileNotFoundError):
            return None, False
        return None, True
    if section is None:
        return None, False
    if not isinstance(section, Mapping):
        return None, True
    return section, False


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
