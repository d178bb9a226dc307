from __future__ import annotations

import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def recompute_after_spend_import(
    member_id: int, first_date: datetime.date, last_date: datetime.date
) -> None:
    """Recompute the climate figures of the member-years an import touched (a job)."""
    from .services import recompute_enqueue

    recompute_enqueue(
        member_ids=[member_id], years=list(range(first_date.year, last_date.year + 1))
    )


class ClimateConfig(AppConfig):
    name = "climate"
    verbose_name = _("Climate footprint")

    def ready(self) -> None:
        from spend import hooks

        if recompute_after_spend_import not in hooks.AFTER_IMPORT:
            hooks.AFTER_IMPORT.append(recompute_after_spend_import)
