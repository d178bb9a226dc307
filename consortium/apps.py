from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConsortiumConfig(AppConfig):
    name = "consortium"
    verbose_name = "Consortium"

    def ready(self) -> None:
        post_migrate.connect(_row_level_security, sender=self)
        post_migrate.connect(_figure_change_triggers, sender=self)


def _row_level_security(using: str, **kwargs: Any) -> None:
    """After every `migrate` (as the owner): the tenant tables' policies, made from the models
    (consortium/tenancy.py), and the application role's grants on every table."""
    from django.conf import settings
    from django.db import connections

    from consortium import tenancy

    app_role = settings.DATABASE_APP_ROLE
    owner_role = settings.DATABASE_OWNER.get("USER")
    tenancy.sync_policies(connections[using], app_role if app_role != owner_role else None)


def _figure_change_triggers(using: str, **kwargs: Any) -> None:
    """After every `migrate` (as the owner): the trigger that records a change of the stored
    figures' data on every table they may read (consortium/figure_store.py)."""
    from django.db import connections

    from consortium.figure_store import install_triggers

    install_triggers(connections[using])
