"""Talking to Google safely: its hosts only, bounded responses, service account keys.

Every request for a Google Sheet, redirect hops and the service account's token exchange
included, goes through :class:`GoogleOnlyAdapter`, which refuses any other host before
connecting, bounds the time it waits and stops reading a body past a size cap.

Tests route Google's hosts to a fake on the loopback: set ``VORONKA_GOOGLE_LOOPBACK`` to
``127.0.0.1:PORT`` (only a loopback address is accepted). Every check still runs against the
Google URL; only the socket goes elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from funnel.errors import InputError

LOOPBACK_ENV = "VORONKA_GOOGLE_LOOPBACK"
MAX_BYTES = 100 * 1024 * 1024  # a full 10-million-cell sheet as CSV is about this
TIMEOUT = (10.0, 30.0)  # connect, and each read of the socket
DEADLINE = 120.0  # seconds for one whole response body
MAX_REDIRECTS = 5

# Exact hosts, plus the download servers the CSV export redirects to.
GOOGLE_HOSTS = frozenset(
    {
        "docs.google.com",
        "sheets.googleapis.com",
        "oauth2.googleapis.com",
        "accounts.google.com",
    }
)
GOOGLE_SUFFIXES = (".googleusercontent.com",)
SIGN_IN_HOSTS = frozenset({"accounts.google.com"})
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def is_google_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in GOOGLE_HOSTS or host.endswith(GOOGLE_SUFFIXES)


# ---- the transport: Google only, bounded ---------------------------------------------------


def _loopback_from_env() -> str | None:
    value = os.environ.get(LOOPBACK_ENV, "").strip()
    if not value:
        return None
    host = urlsplit(f"http://{value}").hostname or ""
    if host not in _LOOPBACK_HOSTS:
        raise ValueError(f"{LOOPBACK_ENV} must be a loopback address, not {value!r}")
    return value


class GoogleOnlyAdapter(HTTPAdapter):
    """Sends a request only to a Google host, waits at most ``timeout``, reads at most
    ``max_bytes`` of the body (streamed, stopped past the cap).

    With ``loopback`` ("127.0.0.1:PORT") the socket goes to that address instead, the Host
    header still naming the Google host: the test hook, and nothing else differs.
    """

    def __init__(
        self,
        *,
        max_bytes: int = MAX_BYTES,
        timeout: tuple[float, float] = TIMEOUT,
        deadline: float = DEADLINE,
        loopback: str | None = None,
    ) -> None:
        super().__init__(max_retries=0)
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.deadline = deadline
        self.loopback = loopback

    def send(self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any):  # type: ignore[override]
        url = request.url or ""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme != "https" or not is_google_host(host):
            raise InputError(
                f"Refused to fetch {parts.scheme}://{host}: only Google's own hosts are fetched.",
                code="not_google",
                file=host or url[:60],
            )
        kwargs["timeout"] = self.timeout
        if self.loopback:
            request.headers["Host"] = parts.netloc
            request.url = (
                f"http://{self.loopback}{url[len(parts.scheme) + 3 + len(parts.netloc) :]}"
            )
            kwargs["proxies"] = {}
        try:
            response = super().send(request, stream=True, **kwargs)
        finally:
            request.url = url
        response.url = url
        if not stream:
            self._read_capped(response)
        return response

    def _read_capped(self, response: requests.Response) -> None:
        host = urlsplit(response.url).hostname or ""
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            response.close()
            raise _too_large(host, self.max_bytes)
        started = time.monotonic()
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_content(64 * 1024):
            total += len(chunk)
            if total > self.max_bytes:
                response.close()
                raise _too_large(host, self.max_bytes)
            if time.monotonic() - started > self.deadline:
                response.close()
                raise requests.exceptions.ReadTimeout(f"{host} sent too slowly")
            chunks.append(chunk)
        # requests keeps a read body here; setting it is how a capped read becomes .content.
        response._content = b"".join(chunks)
        response._content_consumed = True


def _too_large(host: str, limit: int) -> InputError:
    return InputError(
        f"The sheet is over the {limit / 2**20:.0f} MB limit.",
        code="gsheet_too_large",
        file=host,
        params={"limit_bytes": limit},
    )


def google_session(
    *,
    max_bytes: int = MAX_BYTES,
    timeout: tuple[float, float] = TIMEOUT,
    deadline: float = DEADLINE,
    loopback: str | None = None,
) -> requests.Session:
    """A requests session that can reach Google's hosts only (see :class:`GoogleOnlyAdapter`).

    ``loopback`` defaults to ``$VORONKA_GOOGLE_LOOPBACK`` (tests only).
    """
    adapter = GoogleOnlyAdapter(
        max_bytes=max_bytes,
        timeout=timeout,
        deadline=deadline,
        loopback=loopback or _loopback_from_env(),
    )
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.max_redirects = MAX_REDIRECTS
    return session


# ---- service account keys -------------------------------------------------------------------


def service_account_email(info: Mapping[str, Any]) -> str:
    """The address to share a sheet with, from a service account key."""
    email = info.get("client_email")
    if not isinstance(email, str) or "@" not in email:
        raise bad_key("the key has no client_email")
    return email


def credentials_fingerprint(info: Mapping[str, Any]) -> str:
    """A short digest that tells keys apart (a cache key part) without revealing them."""
    material = "\n".join(
        str(info.get(k, "")) for k in ("client_email", "private_key_id", "private_key")
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def parse_key(data: bytes) -> dict[str, Any]:
    """A service account key file's JSON, checked enough to give a clear message when wrong."""
    try:
        info = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_key("the file is not JSON") from exc
    if not isinstance(info, dict):
        raise bad_key("the JSON is not a service account key (type must be service_account)")
    check_key(info)
    return info


REQUIRED_FIELDS = ("type", "client_email", "private_key", "token_uri")


def key_problems(info: Mapping[str, Any]) -> list[str]:
    """What keeps ``info`` from being a service account key: the names of missing fields, and
    "type" when it is there but not "service_account". Never a field's value."""
    missing = [k for k in REQUIRED_FIELDS if not info.get(k)]
    if "type" not in missing and info.get("type") != "service_account":
        missing.insert(0, "type")
    return missing


def check_key(info: Mapping[str, Any]) -> None:
    """Raise ``gsheet_bad_key`` naming what is wrong with a key's fields."""
    problems = key_problems(info)
    if "type" in problems and info.get("type"):
        raise bad_key("the JSON is not a service account key (type must be service_account)")
    if problems:
        raise bad_key("the key lacks " + ", ".join(problems))


def bad_key(why: str) -> InputError:
    # Never the key's content: only which part is wrong.
    return InputError(
        f"The service account key cannot be used: {why}.",
        code="gsheet_bad_key",
        file="service account key",
        expected="the JSON key file downloaded from Google Cloud (IAM → Service accounts → Keys)",
    )


def key_rejected(detail: str) -> InputError:
    """A well-formed key that Google refused at the token exchange: deleted, disabled, or the
    account removed. ``detail`` is Google's error code (never the key)."""
    return InputError(
        f"Google rejected the service account key ({detail}): it was deleted or disabled.",
        code="gsheet_key_rejected",
        file="service account key",
        expected="a new JSON key of the service account from Google Cloud",
    )


def load_key_file(path: str) -> dict[str, Any]:
    """A service account key from a file path (the CLI's ``--credentials``)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(1024 * 1024)
    except OSError as exc:
        raise InputError(
            f"Cannot open the key file: {exc.strerror or exc}.",
            code="not_found",
            file=path,
        ) from exc
    return parse_key(data)
