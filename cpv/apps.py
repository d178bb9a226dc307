from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CpvConfig(AppConfig):
    name = "cpv"
    verbose_name = _("CPV vocabulary")
