"""Looking up a tender for a page, and a refusal's messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ..models import Tender


def _tender(reference: str) -> Tender:
    return get_object_or_404(
        Tender.objects.select_related("main_cpv", "lead_organisation", "responsible"),
        reference=reference,
    )


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]
