from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from .indexes import after_migrate

        # An event table added after migration 0001 gets the trail's indexes too. (Sent for each
        # app with models; this app has none, so it listens to all; the check is two catalogue
        # queries.)
        post_migrate.connect(after_migrate, dispatch_uid="audit_event_indexes")
