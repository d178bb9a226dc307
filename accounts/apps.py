from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock

        # Signing in is activity: the idle clock starts then, not with the next request.
        user_logged_in.connect(start_idle_clock, dispatch_uid="accounts.start_idle_clock")
