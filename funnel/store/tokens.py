"""The secret tokens of workspace links: made from 256 random bits, kept only as a hash.

A plain sha256 is the right hash here, not a slow password hash (bcrypt, scrypt, argon2): those
exist to make guessing a low-entropy password from its hash expensive, and a token of 256 random
bits cannot be guessed from its hash at any speed. A fast, unsalted hash also lets the store find
a link by the hash of the token it is shown, through a unique index, without reading every link.

>>> token = new_token()
>>> len(token), token_hash(token) == token_hash(token), len(token_hash(token) or "")
(43, True, 64)
>>> token_hash("../../etc/passwd") is None, token_hash("x" * 10_000) is None, token_hash(None)
(True, True, None)
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32  # 256 random bits; at least 128 are needed for a link nobody can guess
# What new_token gives (URL-safe base64 without padding, 43 characters), with room either side
# for tokens of other lengths; anything else is refused before it is hashed or looked up.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,128}")


def new_token() -> str:
    """A new secret token, safe to put in a URL as it is."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: object) -> str | None:
    """The sha256 (hex) under which a token is stored, or None for anything that is not one of
    the tokens :func:`new_token` makes (of any type, length or characters; never raises)."""
    if not isinstance(token, str) or _TOKEN.fullmatch(token) is None:
        return None
    return hashlib.sha256(token.encode("ascii")).hexdigest()
