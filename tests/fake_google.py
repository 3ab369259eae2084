"""A fake Google on 127.0.0.1 for the Sheets tests: the CSV export (with its 307 redirect to a
googleusercontent download host), the sign-in page, spreadsheets.get, values.get/batchGet and the
OAuth token endpoint, which checks the service account's signed JWT and refuses a key it does
not know (never added, or revoked with ``revoke_key``) with ``invalid_grant``, as Google does.

The real requests, google-auth and gspread code talks to it: ``funnel.io.gsheets`` routes Google's
hosts here when given ``loopback=fake.address`` (or ``VORONKA_GOOGLE_LOOPBACK``), and the
Host header tells the fake which Google host was asked.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

SA_EMAIL = "voronka-reader@voronka-test.iam.gserviceaccount.com"
SIGN_IN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Google Sheets - Sign in</title></head>"
    b"<body><form action='https://accounts.google.com/signin'>Sign in</form></body></html>"
)


@dataclass
class Tab:
    title: str
    rows: list[list[str]]


@dataclass
class Spreadsheet:
    """One sheet of the fake: tabs by gid, who may read it, how the export behaves."""

    title: str
    tabs: dict[int, Tab]
    public: bool = True  # "anyone with the link can view"
    export_public: bool = False  # the CSV export opens even when the API refuses
    shared_with: set[str] = field(default_factory=set)
    published_id: str | None = None
    sign_in: str = "redirect"  # "redirect" to accounts.google.com, or "html" with status 200
    redirect_to: str | None = None  # a download host other than googleusercontent (tests)
    status: int | None = None  # force a status (429 quota) on every request for this sheet
    delay: float = 0.0  # seconds before answering (timeouts)
    omit_length: bool = False  # send the CSV without Content-Length (a streamed download)

    def first_gid(self) -> int:
        return next(iter(self.tabs))


def service_account_key(token_uri: str = "https://oauth2.googleapis.com/token") -> dict[str, Any]:
    """A fresh RSA key in Google's service account JSON layout."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return {
        "type": "service_account",
        "project_id": "voronka-test",
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": SA_EMAIL,
        "client_id": "1234567890",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
    }


def rows_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


class FakeGoogle:
    """The state the handler answers from; tests edit ``sheets`` between requests."""

    def __init__(self) -> None:
        self.sheets: dict[str, Spreadsheet] = {}
        self.public_keys: dict[str, str] = {}  # client_email -> PEM, for JWT checks
        self.tokens: dict[str, str] = {}  # access token -> client_email
        self.log: list[tuple[str, str, str]] = []  # (method, host, path)
        self.address = ""

    def add_key(self, info: dict[str, Any]) -> None:
        """Let the token endpoint accept JWTs signed with this service account key."""
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
        self.public_keys[info["client_email"]] = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )

    def revoke_key(self, info: dict[str, Any]) -> None:
        """Delete a key in "Google Cloud": the token endpoint refuses its JWTs from now on."""
        self.public_keys.pop(info["client_email"], None)

    def hosts(self) -> list[str]:
        return [host for _, host, _ in self.log]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGoogle

    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass

    # ---- plumbing ----
    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str,
        headers: dict[str, str] | None = None,
        length: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:  # without it, HTTP/1.0 ends the body by closing the connection
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json; charset=UTF-8")

    def _api_error(self, status: int, reason: str, message: str) -> None:
        self._json(status, {"error": {"code": status, "message": message, "status": reason}})

    def _redirect(self, location: str, status: int = 307) -> None:
        self._send(status, b"", "text/html", {"Location": location})

    # ---- routing ----
    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        parts = urlsplit(self.path)
        self.fake.log.append((method, host, parts.path))
        query = parse_qs(parts.query)
        if host == "oauth2.googleapis.com" and parts.path == "/token":
            return self._token()
        if host == "docs.google.com":
            return self._docs(parts.path, query)
        if host.endswith(".googleusercontent.com"):
            return self._download(parts.path, query)
        if host == "accounts.google.com":
            return self._send(200, SIGN_IN_PAGE, "text/html; charset=utf-8")
        if host == "sheets.googleapis.com":
            return self._api(parts.path, query)
        self._send(404, b"unknown host", "text/plain")

    # ---- docs.google.com: export and publish ----
    def _find(self, key: str) -> Spreadsheet | None:
        if key in self.fake.sheets:
            return self.fake.sheets[key]
        return next((s for s in self.fake.sheets.values() if s.published_id == key), None)

    def _docs(self, path: str, query: dict[str, list[str]]) -> None:
        segments = path.strip("/").split("/")  # spreadsheets d [e] KEY export|pub
        published = len(segments) >= 5 and segments[2] == "e"
        key = segments[3] if published else (segments[2] if len(segments) > 2 else "")
        sheet = self._find(key)
        if sheet is None:
            return self._send(404, b"<html><body>Not found</body></html>", "text/html")
        if sheet.delay:
            time.sleep(sheet.delay)
        if sheet.status:
            return self._send(sheet.status, b"<html>Too many requests</html>", "text/html")
        if not (sheet.public or sheet.export_public or published):
            if sheet.sign_in == "html":
                return self._send(200, SIGN_IN_PAGE, "text/html; charset=utf-8")
            return self._redirect(
                "https://accounts.google.com/ServiceLogin?continue=" + quote(path), 302
            )
        gid = int((query.get("gid") or [sheet.first_gid()])[0])
        if gid not in sheet.tabs:
            return self._send(400, b"<html>Bad request</html>", "text/html")
        target = sheet.redirect_to or "https://doc-0s-6k-sheets.googleusercontent.com"
        self._redirect(f"{target}/export/{key}/{gid}?format=csv")

    def _download(self, path: str, query: dict[str, list[str]]) -> None:
        _, key, gid = path.strip("/").split("/")
        sheet = self._find(key)
        assert sheet is not None
        tab = sheet.tabs[int(gid)]
        name = f"{sheet.title} - {tab.title}.csv"
        self._send(
            200,
            rows_csv(tab.rows),
            "text/csv",
            {
                "Content-Disposition": f'attachment; filename="sheet.csv"; '
                f"filename*=UTF-8''{quote(name)}"
            },
            length=not sheet.omit_length,
        )

    # ---- oauth2.googleapis.com/token: the JWT bearer grant ----
    def _token(self) -> None:
        import google.auth.jwt

        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        assertion = (form.get("assertion") or [""])[0]
        try:
            claims = google.auth.jwt.decode(assertion, verify=False)
            pem = self.fake.public_keys[claims["iss"]]
            google.auth.jwt.decode(assertion, certs=pem, audience=claims["aud"])
        except Exception:
            # What Google answers for a deleted key, or one it never issued.
            return self._json(
                400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
            )
        token = f"ya29.fake-{len(self.fake.tokens)}"
        self.fake.tokens[token] = claims["iss"]
        self._json(200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"})

    # ---- sheets.googleapis.com/v4 ----
    def _api(self, path: str, query: dict[str, list[str]]) -> None:
        auth = self.headers.get("Authorization", "")
        email = self.fake.tokens.get(auth.removeprefix("Bearer ").strip())
        if email is None:
            return self._api_error(401, "UNAUTHENTICATED", "Request had invalid credentials.")
        rest = unquote(path.removeprefix("/v4/spreadsheets/"))
        key, _, tail = rest.partition("/")
        key, _, verb = key.partition(":")
        sheet = self.fake.sheets.get(key)
        if sheet is None:
            return self._api_error(404, "NOT_FOUND", "Requested entity was not found.")
        if sheet.delay:
            time.sleep(sheet.delay)
        if sheet.status:
            return self._api_error(sheet.status, "RESOURCE_EXHAUSTED", "Quota exceeded.")
        if not sheet.public and email not in sheet.shared_with:
            return self._api_error(403, "PERMISSION_DENIED", "The caller does not have permission")
        if not tail and not verb:
            return self._json(200, self._metadata(key, sheet))
        if verb == "batchGet":
            ranges = [self._values(sheet, r) for r in query.get("ranges", [])]
            return self._json(200, {"spreadsheetId": key, "valueRanges": ranges})
        if tail.startswith("values/"):
            return self._json(200, self._values(sheet, tail.removeprefix("values/")))
        self._api_error(400, "INVALID_ARGUMENT", "Unsupported request.")

    @staticmethod
    def _metadata(key: str, sheet: Spreadsheet) -> dict[str, Any]:
        return {
            "spreadsheetId": key,
            "properties": {"title": sheet.title, "locale": "ru_RU"},
            "sheets": [
                {
                    "properties": {
                        "sheetId": gid,
                        "title": tab.title,
                        "index": i,
                        "sheetType": "GRID",
                        "gridProperties": {
                            "rowCount": max(len(tab.rows), 1000),
                            "columnCount": max((len(r) for r in tab.rows), default=26),
                        },
                    }
                }
                for i, (gid, tab) in enumerate(sheet.tabs.items())
            ],
        }

    @staticmethod
    def _values(sheet: Spreadsheet, a1: str) -> dict[str, Any]:
        title = a1.split("!")[0].strip("'").replace("''", "'")
        tab = next((t for t in sheet.tabs.values() if t.title == title), None)
        rows = tab.rows if tab is not None else []
        # The API drops trailing empty cells and rows, as the real one does.
        trimmed = [list(r) for r in rows]
        for r in trimmed:
            while r and r[-1] == "":
                r.pop()
        while trimmed and not trimmed[-1]:
            trimmed.pop()
        return {"range": a1, "majorDimension": "ROWS", "values": trimmed}


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up
            super().handle_error(request, client_address)


@contextmanager
def fake_google() -> Iterator[FakeGoogle]:
    """A running fake on a free loopback port; ``fake.address`` is "127.0.0.1:PORT"."""
    fake = FakeGoogle()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    fake.address = f"127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
