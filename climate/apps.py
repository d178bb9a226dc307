from __future__ import annotations

import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from agreements.hooks import Recomputed


def recompute_after_spend_import(
    member_id: int, first_date: datetime.date, last_date: datetime.date
) -> None:
    """Recompute the climate figures of the member-years an import touched (a job)."""
    from .services import recompute_enqueue

    recompute_enqueue(
        member_ids=[member_id], years=list(range(first_date.year, last_date.year + 1))
    )


def recompute_after_agreement_change(recomputed: Recomputed) -> None:
    """After a changed agreement's compliance figures: the climate figures of the members it can
    move, every year (a job), so its spend and the share bought with climate requirements agree
    with the compliance figures at once. Imports come through spend's hook; the nightly
    recompute is its own."""
    if not recomputed.after_agreement_change:
        return
    from .services import members_an_agreement_moves, recompute_enqueue

    moved = members_an_agreement_moves(recomputed.agreement_id, recomputed.members or [])
    if moved != []:
        recompute_enqueue(member_ids=moved, secretariat=True)


class ClimateConfig(AppConfig):
    name = "climate"
    verbose_name = _("Climate footprint")

    def ready(self) -> None:
        from agreements import hooks as agreement_hooks
        from spend import hooks

        if recompute_after_spend_import not in hooks.AFTER_IMPORT:
            hooks.AFTER_IMPORT.append(recompute_after_spend_import)
        if recompute_after_agreement_change not in agreement_hooks.AFTER_COMPLIANCE_RECOMPUTE:
            agreement_hooks.AFTER_COMPLIANCE_RECOMPUTE.append(recompute_after_agreement_change)
