"""Tasks shared by every app."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

# `send_email` is defined next to `queue_email`, which sends it; importing it here registers it
# with the worker, which loads every app's tasks module.
from .emails import SMTP_RETRY, send_email

__all__ = ["send_email", "send_rendered_email"]


@shared_task(name="consortium.send_rendered_email", **SMTP_RETRY)
def send_rendered_email(
    *, subject: str, body: str, html: str | None, from_email: str, to: list[str]
) -> None:
    """Send a message rendered elsewhere (allauth's account e-mails)."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@shared_task(name="consortium.forget_figure_changes")
def forget_figure_changes() -> int:
    """Nightly: the record of changes behind the stored figures, kept small."""
    from .figure_store import forget_old_changes

    return forget_old_changes()
