"""API keys: made at random, kept only as a hash.

A key carries 256 random bits, so a plain SHA-256 is enough to keep it: a slow password
hash protects guessable secrets, and nobody guesses 2^256.
"""

from __future__ import annotations

import hashlib
import re
import secrets

KEY_PREFIX = "cpd_"
# Names appear in history and logs: short, readable, no spaces or control characters.
KEY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_key(credential: str) -> bool:
    """A key rather than a token (a JWT never starts with the prefix)."""
    return credential.startswith(KEY_PREFIX)


def valid_name(name: str) -> bool:
    return KEY_NAME.fullmatch(name) is not None
