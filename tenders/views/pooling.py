"""Pooling a tender's volumes: start it, follow it live, export the result."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.access import (
    any_role,
    secretariat_only,
)
from consortium.htmx import page_or_partial

from .. import selectors, services
from ..models import Tender
from ..presentation import pooling_xlsx
from .common import _errors, _tender


@require_POST
@secretariat_only
def tender_pool(request: HttpRequest, reference: str) -> HttpResponse:
    tender = _tender(reference)
    try:
        services.tender_pooling_start(tender=tender, user=request.user)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect(tender.get_absolute_url() + "#pooling")


# How often a tender page asks for the pooling's progress: every second while a job runs, and
# slowly while pooling is possible, so that a run started later (by someone else, or by the
# command) still shows up without every open page asking every few seconds.
POLL_RUNNING = "1s"


POLL_IDLE = "10s"


def _polling_context(tender: Tender, shown_run: int | None) -> dict[str, Any]:
    job = selectors.pooling_job(tender)
    can_pool = tender.status in services.POOLABLE
    running = job is not None and not job.is_finished
    return {
        "tender": tender,
        "job": job,
        "can_pool": can_pool,
        "shown_run": shown_run or 0,
        "poll": POLL_RUNNING if running else (POLL_IDLE if can_pool else None),
    }


@require_safe
@any_role
def pooling_status(request: HttpRequest, reference: str) -> HttpResponse:
    """The newest pooling job's progress, polled by the tender page (visible to every role).

    The page says which stored pooling it shows (`run`); when a newer one exists it is told to
    reload, so every run — the first or a later one — ends with its result on the page.
    """
    tender = _tender(reference)
    latest = selectors.latest_pooling(tender)
    raw = request.GET.get("run", "")
    shown = int(raw) if raw.isdigit() else None
    context = _polling_context(tender, shown if raw else (latest.pk if latest else None))
    context["run_shown"] = latest if (latest and (not raw or latest.pk == shown)) else None
    response = page_or_partial(request, "tenders/pooling_status.html", "status", context)
    if getattr(request, "htmx", False) and raw and (latest.pk if latest else 0) != (shown or 0):
        # A pooling finished since the page was drawn: reload it to show the new result.
        response["HX-Refresh"] = "true"
    return response


@require_safe
@secretariat_only
def live_pooling(request: HttpRequest, reference: str) -> HttpResponse:
    tender = _tender(reference)
    return page_or_partial(
        request,
        "tenders/live.html",
        "live",
        {"tender": tender, "live": selectors.live_pooling_today(tender)},
    )


@require_safe
@secretariat_only
def pooling_export(request: HttpRequest, reference: str) -> HttpResponse:
    tender = _tender(reference)
    run = selectors.latest_pooling(tender)
    if run is None:
        raise Http404
    response = HttpResponse(
        pooling_xlsx(tender, run),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = (
        f"samlet-volumen-{tender.reference}-{timezone.localtime(run.computed_at):%Y%m%d-%H%M}.xlsx"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
