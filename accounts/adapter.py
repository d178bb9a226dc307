"""allauth adapter: nobody signs up alone; the secretariat invites."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.http import HttpRequest

from consortium.tasks import send_rendered_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with a two-factor step that honours a provider's strong sign-in."""
        return [
            "accounts.sso.stages.PortalAuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render in the request (language, links), send from a task (never block on SMTP)."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        payload = {
            "subject": message.subject,
            "body": message.body,
            "html": html,
            "from_email": message.from_email,
            "to": list(message.to),
        }
        transaction.on_commit(lambda: send_rendered_email.delay(**payload))
