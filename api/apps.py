from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API and open data")

    def ready(self) -> None:
        from .ocds import config  # noqa: F401  (registers the deploy check)
