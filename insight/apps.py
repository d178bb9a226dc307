from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "insight"
    verbose_name = _("Member insight")

    def ready(self) -> None:
        from agreements import hooks

        from .tasks import recompute_after_compliance

        if recompute_after_compliance not in hooks.AFTER_COMPLIANCE_RECOMPUTE:
            hooks.AFTER_COMPLIANCE_RECOMPUTE.append(recompute_after_compliance)
