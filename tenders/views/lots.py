"""The secretariat's pages for a tender's lots and their price schedule lines."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import secretariat_only
from consortium.forms import add_service_errors

from .. import lots
from ..forms import LineItemFormSet, LotForm
from ..models import Lot
from .common import _tender, refuse_frozen


@require_http_methods(["GET", "POST"])
@secretariat_only
def lot_form(request: HttpRequest, reference: str, number: int | None = None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    tender = _tender(reference)
    if refused := refuse_frozen(request, tender):
        return refused
    lot = get_object_or_404(Lot, tender=tender, number=number) if number else None
    items = list(lot.line_items.all()) if lot else []
    initial = (
        {"number": lot.number, "title": lot.title, "description": lot.description}
        if lot
        else {"number": (tender.lots.count() + 1)}
    )
    form = LotForm(data, initial=initial)
    formset = LineItemFormSet(
        data,
        prefix="items",
        initial=[
            {
                "number": i.number,
                "description": i.description,
                "unit": i.unit,
                "quantity": i.quantity,
            }
            for i in items
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            lots.lot_save(
                user=request.user, tender=tender, lot=lot,
                items=[row.cleaned_data for row in rows], **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as exc:
            subforms = {f"line_items.{i}": row for i, row in enumerate(rows)}
            add_service_errors(form, exc, subforms=subforms)
        else:
            messages.success(request, _("The lot has been saved."))
            return redirect(tender.get_absolute_url() + "#lots")
    return TemplateResponse(
        request,
        "tenders/lot_form.html",
        {
            "form": form,
            "formset": formset,
            "tender": tender,
            "lot": lot,
            "lots_changeable": lots.lots_changeable(tender),
        },
        # Shown again after a POST only when refused.
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@secretariat_only
def lot_delete(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    tender = _tender(reference)
    if refused := refuse_frozen(request, tender):
        return refused
    lot = get_object_or_404(Lot.objects.select_related("tender"), tender=tender, number=number)
    try:
        lots.lot_delete(user=request.user, lot=lot)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Lot %(number)s has been removed.") % {"number": lot.number})
    return redirect(tender.get_absolute_url() + "#lots")
