"""Answers to other apps' signals. A receiver only calls a service."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from tenders.signals import tender_concluded

from .services import agreements_create_for_tender


@receiver(tender_concluded, dispatch_uid="agreements.create_for_concluded_tender")
def create_agreements_for_concluded_tender(
    sender: Any, tender: Any, user: Any = None, **kwargs: Any
) -> None:
    agreements_create_for_tender(tender=tender, user=user)
