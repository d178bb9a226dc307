"""Tasks shared by every app."""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from .emails import send_templated_email

SMTP_RETRY = {
    "acks_late": True,
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="consortium.send_email", **SMTP_RETRY)
def send_email(
    prefix: str, *, to: list[str], context: dict[str, Any], language: str = "da"
) -> None:
    """Send one templated e-mail; the context is JSON (ids and strings, not model instances)."""
    send_templated_email(prefix, to=to, context=context, language=language)


@shared_task(name="consortium.send_rendered_email", **SMTP_RETRY)
def send_rendered_email(
    *, subject: str, body: str, html: str | None, from_email: str, to: list[str]
) -> None:
    """Send a message rendered elsewhere (allauth's account e-mails)."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
