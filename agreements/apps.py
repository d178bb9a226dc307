from __future__ import annotations

import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def recompute_after_spend_import(
    member_id: int, first_date: datetime.date, last_date: datetime.date
) -> None:
    """Recompute the compliance figures an import touched (a job; never in the request)."""
    from .services import compliance_recompute_enqueue

    compliance_recompute_enqueue(member_id=member_id, start=first_date, end=last_date)


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from spend import hooks

        from . import receivers  # noqa: F401 — connects the tender_concluded receiver

        if recompute_after_spend_import not in hooks.AFTER_IMPORT:
            hooks.AFTER_IMPORT.append(recompute_after_spend_import)
