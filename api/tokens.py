"""Making and checking token strings. Pure functions: no database."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "12by_"  # noqa: S105 (a public marker, not a secret)
PREFIX_LENGTH = 8
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0, i)


def token_generate() -> tuple[str, str]:
    """A new (prefix, full token). The full token is `12by_<prefix>_<secret>`."""
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(PREFIX_LENGTH))
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    """SHA-256 of the whole token. The secret has 256 bits of entropy, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_looks_valid(token: str) -> bool:
    """Cheap shape check before any database lookup."""
    return token.startswith(TOKEN_PREFIX) and 40 < len(token) < 100 and token.isascii()
