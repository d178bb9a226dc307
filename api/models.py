"""Personal API tokens: how a user's own programs (BI tools, ERP) call the API on their behalf.

A token acts as its user, with the user's current role and organisation, so the API applies
exactly the tenancy rules the pages do. Only a SHA-256 hash of the secret is stored; the secret is
shown once when the token is created. The prefix (the characters after `12by_`) identifies a token
in lists and logs without revealing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited
from consortium.models import TimeStampedModel


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def owned_by(self, user: object) -> ApiTokenQuerySet:
        """A user's own tokens: tokens are personal, nobody else lists or revokes them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


@audited(exclude=["last_used_at"])
class ApiToken(TimeStampedModel):
    """A personal API token (API-nøgle)."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    # Row-level security (consortium/tenancy.py): an organisation's tokens are its own; a token
    # is looked up by its hash before anyone is known to be acting.
    tenant_path = "user__organisation"
    tenant_read_also_sql = "portal_scope() = 'authenticate'"

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (12by_{self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE
