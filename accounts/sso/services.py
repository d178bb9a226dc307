"""Writes for identity providers."""

from __future__ import annotations

from django.db import transaction

from accounts.models import IdentityProvider

from . import crypto


@transaction.atomic
def identity_provider_save(
    *, provider: IdentityProvider, client_secret: str = ""
) -> IdentityProvider:
    """Save a provider's configuration; a new client secret is stored encrypted."""
    if client_secret:
        provider.client_secret_encrypted = crypto.encrypt(client_secret)
    provider.full_clean()
    provider.save()
    return provider


def identity_provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider whose organisation claims the address's domain (None if not one)."""
    domain = email.strip().lower().rsplit("@", 1)[-1]
    matches = list(
        IdentityProvider.objects.filter(enabled=True, email_domains__contains=[domain])[:2]
    )
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def secrets_rotate() -> int:
    """Encrypt every stored client secret under the first key; return how many."""
    count = 0
    for provider in IdentityProvider.objects.select_for_update().exclude(
        client_secret_encrypted=""
    ):
        provider.client_secret_encrypted = crypto.rotate(provider.client_secret_encrypted)
        provider.save(update_fields=["client_secret_encrypted", "updated_at"])
        count += 1
    return count
