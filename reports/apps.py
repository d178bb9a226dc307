from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        post_migrate.connect(_figure_change_triggers, sender=self)


def _figure_change_triggers(using: str, **kwargs: Any) -> None:
    """After every `migrate` (as the owner): the trigger that records a change of the figures'
    data on every table they may read (reports/figure_store.py)."""
    from django.db import connections

    from .figure_store import install_triggers

    install_triggers(connections[using])
