"""Looking up a tender for a page, a refusal's messages, and the refusal of edits once the
tender is published."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from .. import workflow
from ..models import Tender


def _tender(reference: str) -> Tender:
    return get_object_or_404(
        Tender.objects.select_related("main_cpv", "lead_organisation", "responsible"),
        reference=reference,
    )


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def refuse_frozen(request: HttpRequest, tender: Tender) -> HttpResponse | None:
    """The edit pages of a published tender's conditions: a message and back to the tender,
    where the secretariat issues a corrigendum instead (the services refuse as well)."""
    if not workflow.is_frozen(tender):
        return None
    messages.error(request, workflow.frozen_message(tender))
    return redirect(tender.get_absolute_url() + "#corrigenda")
