"""Secrets of identity providers, encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256).

Keys come from `SSO_ENCRYPTION_KEYS` (a list of urlsafe base64 Fernet keys): the first encrypts,
every one decrypts, so a new key is put first and `manage.py sso_rotate_secrets` re-encrypts
the stored secrets under it before the old key is dropped. Without the setting a key is derived
from SECRET_KEY and SECRET_KEY_FALLBACKS (so rotating SECRET_KEY the documented way keeps
the secrets readable until `sso_rotate_secrets` has run).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _derived(secret: str) -> bytes:
    digest = hashlib.sha256(b"portal-sso-secrets:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _keys() -> list[bytes]:
    configured = list(getattr(settings, "SSO_ENCRYPTION_KEYS", []) or [])
    if configured:
        return [key.encode() if isinstance(key, str) else key for key in configured]
    return [_derived(settings.SECRET_KEY), *(_derived(k) for k in settings.SECRET_KEY_FALLBACKS)]


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except ValueError as exc:
        raise ImproperlyConfigured(f"SSO_ENCRYPTION_KEYS holds an invalid key: {exc}") from exc


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """The clear text; empty when nothing is stored or no key opens it (then sign-in fails)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def rotate(token: str) -> str:
    """The same secret encrypted under the first key."""
    return _fernet().rotate(token.encode()).decode() if token else ""
