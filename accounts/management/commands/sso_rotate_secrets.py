"""Re-encrypt the identity providers' client secrets under the first of SSO_ENCRYPTION_KEYS."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.sso.services import secrets_rotate


class Command(BaseCommand):
    help = "Re-encrypt stored identity provider secrets under the first SSO_ENCRYPTION_KEYS key."

    def handle(self, *args: object, **options: object) -> None:
        count = secrets_rotate()
        self.stdout.write(f"{count} secret(s) re-encrypted.")
