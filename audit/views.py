"""The audit trail as the secretariat reads it: per object, and the latest changes overall."""

from __future__ import annotations

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from accounts.access import secretariat_only

from .selectors import events_for_object, recent_events


@require_safe
@secretariat_only
def recent(request: HttpRequest) -> HttpResponse:
    page = Paginator(recent_events(), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "audit/recent.html", {"page": page})


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
            "events": events,
            "obj": obj,
            "label": str(obj) if obj else (events[0].object_label if events else pk),
            "model_label": model._meta.verbose_name,
        },
    )
