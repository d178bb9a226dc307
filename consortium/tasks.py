"""Tasks shared by every app."""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task

from .emails import send_templated_email


@shared_task(
    name="consortium.send_email",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_email(
    prefix: str, *, to: list[str], context: dict[str, Any], language: str = "da"
) -> None:
    """Send one templated e-mail; the context is JSON (ids and strings, not model instances)."""
    send_templated_email(prefix, to=to, context=context, language=language)
