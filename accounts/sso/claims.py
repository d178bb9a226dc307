"""What an identity provider said about a person, read alike for OpenID Connect and SAML."""

from __future__ import annotations

from typing import Any

from accounts.models import NSIS_LOA_ATTRIBUTE, IdentityProvider

from .providers import AUTHN_CONTEXTS


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None]
    if isinstance(value, str):
        return [value]
    return [str(value)]


def claims_of(extra_data: dict) -> dict[str, list[str]]:
    """Every claim or attribute as a list of strings.

    For OpenID Connect the ID token and the userinfo answer, both from the provider itself
    (the ID token's signature checked); SAML attributes come as lists already.
    """
    if "id_token" in extra_data or "userinfo" in extra_data:
        merged = {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
        # acr/amr describe the authentication: only the ID token's count.
        for key in ("acr", "amr"):
            merged.pop(key, None)
            if key in (extra_data.get("id_token") or {}):
                merged[key] = extra_data["id_token"][key]
    else:
        merged = dict(extra_data)
    return {key: _values(value) for key, value in merged.items()}


def first(claims: dict[str, list[str]], name: str) -> str:
    values = claims.get(name) or []
    return values[0].strip() if values else ""


def email_of(idp: IdentityProvider, claims: dict[str, list[str]], fallback: str = "") -> str:
    name = (
        idp.email_claim if idp.protocol == IdentityProvider.Protocol.OIDC else idp.email_attribute
    )
    return (first(claims, name) if name else "").lower() or (fallback or "").lower()


def email_verified_claim(claims: dict[str, list[str]]) -> bool:
    return first(claims, "email_verified").lower() == "true"


def authentication_values(claims: dict[str, list[str]]) -> set[str]:
    """The values by which a provider describes how the person authenticated."""
    return {
        *claims.get("acr", []),
        *claims.get("amr", []),
        *claims.get(AUTHN_CONTEXTS, []),
        *claims.get(NSIS_LOA_ATTRIBUTE, []),
    }


def is_strong(idp: IdentityProvider, claims: dict[str, list[str]]) -> bool:
    """Whether the provider asserted an authentication the portal counts as two-factor."""
    accepted = {value.strip() for value in idp.strong_auth_values if value.strip()}
    return bool(accepted & authentication_values(claims))
