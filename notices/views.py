"""Pages of a tender's EU notices: make one (a job), the versions, a version in Danish with
what to correct, the XML download, and the tenders received per lot."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import SECRETARIAT_ROLES, any_role, has_role, secretariat_only
from consortium.htmx import page_or_partial

from .access import notice_for, tender_for_notices
from .data import tender_suppliers
from .fields import explain
from .forms import GenerateForm, ReceivedTendersForm, SupplierDetailsForm
from .models import Notice, ReceivedTenders
from .selectors import is_outdated, notice_kinds_for, notice_states
from .services import notice_generate_enqueue


@require_safe
@any_role
def notice_list(request: HttpRequest, reference: str) -> HttpResponse:
    """The tender's notices: what it calls for, the latest of each kind, every version."""
    tender = tender_for_notices(request.user, reference)
    secretariat = has_role(request.user, SECRETARIAT_ROLES)
    versions = Notice.objects.filter(tender=tender).defer("xml").select_related("made_by")
    if not secretariat:
        versions = versions.filter(error_count=0)
    context = {
        "tender": tender,
        "states": notice_states(tender),
        "versions": versions.order_by("kind", "-version"),
        "kinds": notice_kinds_for(tender),
        "may_generate": secretariat,
    }
    return page_or_partial(request, "notices/list.html", "panel", context)


@require_POST
@secretariat_only
def notice_generate_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Start making a notice from the tender's current data; go to the job page."""
    tender = tender_for_notices(request.user, reference)
    form = GenerateForm(request.POST)
    if not form.is_valid() or form.cleaned_data["kind"] not in notice_kinds_for(tender):
        messages.error(request, _("The tender does not call for this notice in its status."))
        return redirect("notices:list", reference=reference)
    job = notice_generate_enqueue(tender=tender, kind=form.cleaned_data["kind"], user=request.user)
    return redirect(job)


@require_safe
@any_role
def notice_detail(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """One version as a readable page in Danish, with what to correct before it can be sent."""
    notice = notice_for(request.user, reference, pk)
    if not notice.is_valid and not has_role(request.user, SECRETARIAT_ROLES):
        raise PermissionDenied
    context = {
        "tender": notice.tender,
        "notice": notice,
        "data": notice.data_snapshot,
        "explanations": explain(notice),
        "outdated": is_outdated(notice),
    }
    return TemplateResponse(request, "notices/detail.html", context)


@require_safe
@any_role
def notice_download(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The XML of a version without errors; a version with errors is never handed out."""
    notice = notice_for(request.user, reference, pk)
    if not notice.is_valid:
        raise PermissionDenied
    response = HttpResponse(notice.xml.encode("utf-8"), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{notice.filename}"'
    response["X-Content-SHA256"] = notice.sha256
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@secretariat_only
def received_tenders(request: HttpRequest, reference: str) -> HttpResponse:
    """The tenders each lot received, as the award notice reports them."""
    tender = tender_for_notices(request.user, reference)
    lots = list(tender.lots.order_by("number"))
    existing = {r.lot_id: r for r in ReceivedTenders.objects.filter(lot__in=lots)}
    forms = [
        (
            lot,
            ReceivedTendersForm(
                request.POST if request.method == "POST" else None,
                instance=existing.get(lot.pk) or ReceivedTenders(lot=lot),
                prefix=f"lot{lot.number}",
            ),
        )
        for lot in lots
    ]
    if request.method == "POST" and all(form.is_valid() for _lot, form in forms):
        for _lot, form in forms:
            form.save()
        messages.success(request, _("The tenders received have been saved."))
        return redirect("notices:list", reference=reference)
    return TemplateResponse(
        request,
        "notices/received.html",
        {"tender": tender, "forms": forms},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@secretariat_only
def supplier_details(request: HttpRequest, reference: str) -> HttpResponse:
    """The winning suppliers' address and size, as the award notice names them."""
    tender = tender_for_notices(request.user, reference)
    data = request.POST if request.method == "POST" else None
    forms = [
        (supplier, SupplierDetailsForm(data, instance=supplier, prefix=f"s{supplier.pk}"))
        for supplier in tender_suppliers(tender)
    ]
    if request.method == "POST" and all(form.is_valid() for _supplier, form in forms):
        for _supplier, form in forms:
            form.save()
        messages.success(request, _("The suppliers' details have been saved."))
        return redirect("notices:list", reference=reference)
    return TemplateResponse(
        request,
        "notices/suppliers.html",
        {"tender": tender, "forms": forms},
        status=400 if request.method == "POST" else 200,
    )
