"""Workflow steps of a tender, with links to what must be fixed when one is refused."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    secretariat_only,
)

from .. import services, workflow
from ..forms import (
    TransitionForm,
)
from ..models import Tender, TenderStatus
from .common import _errors, _tender


@require_POST
@secretariat_only
def tender_transition_view(request: HttpRequest, reference: str) -> HttpResponse:
    tender = _tender(reference)
    form = TransitionForm(request.POST)
    if form.is_valid():
        now = timezone.now()
        target = form.cleaned_data["to_status"]
        try:
            services.tender_transition(
                tender=tender,
                to_status=target,
                user=request.user,
                reason=form.cleaned_data["reason"],
                now=now,
            )
        except ValidationError as exc:
            links = fix_links(tender, target, now)
            for message in _errors(exc):
                messages.error(request, _with_link(message, links.get(message)))
        else:
            tender.refresh_from_db()
            messages.success(
                request,
                _("The tender is now “%(status)s”.") % {"status": tender.get_status_display()},
            )
    return redirect(tender)


def fix_links(tender: Tender, target: str, now: Any) -> dict[str, tuple[str, str]]:
    """For each refusal of moving the tender to `target` now, the page where it is put right."""
    if target != TenderStatus.PUBLISHED:
        return {}
    where = {
        "pooling": (tender.get_absolute_url() + "#pooling", _("Go to the pooling")),
        "criteria": (
            reverse("tenders:criteria", args=[tender.reference]),
            _("Edit award criteria"),
        ),
        "documents": (
            reverse("tender_timeline:documents", args=[tender.reference]),
            _("Go to the tender documents"),
        ),
        "timeline": (
            reverse("tender_timeline:timeline", args=[tender.reference]),
            _("Go to the timeline"),
        ),
    }
    return {message: where[area] for area, message in workflow.publication_checks(tender, now)}


def _with_link(message: str, link: tuple[str, str] | None) -> str:
    if link is None:
        return message
    return format_html('{} <a href="{}">{}</a>', message, *link)
