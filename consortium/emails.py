"""E-mail as template triplets: `<prefix>_subject.txt`, `<prefix>.txt`, `<prefix>.html`.

Mail is always sent from a Celery task (`queue_email` enqueues after commit), so a slow or absent
mail server never blocks a request, and transient SMTP errors are retried.
"""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

# How every e-mail task retries: transient SMTP and network errors, with backoff.
SMTP_RETRY = {
    "acks_late": True,
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


def render_email(
    prefix: str, context: dict[str, Any], language: str = "da"
) -> tuple[str, str, str]:
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{prefix}_subject.txt", ctx).strip()
        text = render_to_string(f"{prefix}.txt", ctx)
        html = render_to_string(f"{prefix}.html", ctx)
    return " ".join(subject.split()), text, html


def send_templated_email(
    prefix: str, *, to: list[str], context: dict[str, Any], language: str = "da"
) -> None:
    """Render and send now. Use from tasks; requests use `queue_email`."""
    subject, text, html = render_email(prefix, context, language)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(name="consortium.send_email", **SMTP_RETRY)
def send_email(
    prefix: str, *, to: list[str], context: dict[str, Any], language: str = "da"
) -> None:
    """Send one templated e-mail; the context is JSON (ids and strings, not model instances)."""
    send_templated_email(prefix, to=to, context=context, language=language)


def queue_email(
    prefix: str, *, to: list[str], context: dict[str, Any], language: str = "da"
) -> None:
    """Send by a background task once the current transaction has committed."""
    transaction.on_commit(
        lambda: send_email.delay(prefix, to=to, context=context, language=language)
    )
