"""The audit trail as the secretariat reads it: per object, and the latest changes overall."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from accounts.access import secretariat_only

from .presentation import describe
from .selectors import Cursor, events_for_object, latest_events


@require_safe
@secretariat_only
def recent(request: HttpRequest) -> HttpResponse:
    """The latest changes, newest first, a page at a time (`before=` continues a page on)."""
    before = Cursor.decode(request.GET.get("before"))
    page = latest_events(before=before)
    return TemplateResponse(
        request,
        "audit/recent.html",
        {
            "events": describe(page.events),
            "older": page.next_cursor.encode() if page.next_cursor else "",
            "continued": before is not None,
        },
    )


@require_safe
@secretariat_only
def object_history(request: HttpRequest, app_label: str, model_name: str, pk: str) -> HttpResponse:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    events = events_for_object(model, pk)
    if events is None:
        raise Http404
    obj = model._default_manager.filter(pk=pk).first()
    return TemplateResponse(
        request,
        "audit/object_history.html",
        {
            "events": describe(events),
            "obj": obj,
            "label": str(obj) if obj else (events[0].object_label if events else pk),
            "model_label": model._meta.verbose_name,
        },
    )
