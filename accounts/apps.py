from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in as allauth_logged_in
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock
        from .sso.sessions import remember_sign_in

        # Signing in is activity: the idle clock starts then, not with the next request.
        user_logged_in.connect(start_idle_clock, dispatch_uid="accounts.start_idle_clock")
        # A sign-in through an identity provider marks the session (strong or not, which one).
        allauth_logged_in.connect(remember_sign_in, dispatch_uid="accounts.sso.remember_sign_in")
