"""The secretariat's pages for registering and editing agreements.

Each page validates with a form and writes through a service in agreements/services, so the
audit trail and the compliance recompute are the same as for every other caller.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import secretariat_only
from consortium.forms import add_service_errors

from . import selectors
from .forms import AgreementForm, SuccessorForm, SupplierFormSet, TerminateForm
from .models import Agreement
from .services import (
    SupplierEntry,
    agreement_create,
    agreement_set_successor,
    agreement_suppliers_set,
    agreement_terminate,
    agreement_update,
)


@require_http_methods(["GET", "POST"])
@secretariat_only
def agreement_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Register an agreement (also one the consortium did not tender) or edit its data."""
    agreement = get_object_or_404(Agreement, pk=pk) if pk else None
    initial = (
        AgreementForm.initial_for(agreement)
        if agreement
        else {"baseline_price_level": Decimal(100), "agreement_price_level": Decimal(100)}
    )
    form = AgreementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        relations = {
            "members": data["members"],
            "categories": data["categories"],
            "related_articles": data["related_articles"],
            "option_months": data["option_months"],
        }
        try:
            if agreement is None:
                fields = form.agreement_fields()
                agreement = agreement_create(
                    number=fields.pop("number"), title=fields.pop("title"),
                    start_date=fields.pop("start_date"), base_end_date=fields.pop("base_end_date"),
                    tender=fields.pop("tender"), user=request.user, **relations, **fields,
                )  # fmt: skip
                messages.success(request, _("The agreement is registered. Add its suppliers."))
                return redirect("agreements:suppliers", agreement.pk)
            agreement = agreement_update(
                agreement=agreement, user=request.user, fields=form.agreement_fields(), **relations
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agreement has been saved."))
            return redirect(agreement)
    return TemplateResponse(
        request,
        "agreements/form.html",
        {"form": form, "agreement": agreement},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def suppliers_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement's suppliers: CVR number, rank and the contact person at the supplier."""
    agreement = get_object_or_404(Agreement, pk=pk)
    initial = [
        {
            "cvr": link.supplier.cvr,
            "name": link.supplier.name,
            "rank": link.rank,
            "contact_name": link.contact_name,
            "contact_email": link.contact_email,
            "contact_phone": link.contact_phone,
        }
        for link in agreement.supplier_links.select_related("supplier")
    ]
    formset = SupplierFormSet(request.POST if request.method == "POST" else None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        entries = [
            SupplierEntry(
                cvr=f.cleaned_data["cvr"],
                name=f.cleaned_data.get("name") or "",
                rank=f.cleaned_data.get("rank"),
                contact_name=f.cleaned_data.get("contact_name") or "",
                contact_email=f.cleaned_data.get("contact_email") or "",
                contact_phone=f.cleaned_data.get("contact_phone") or "",
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            agreement_suppliers_set(agreement=agreement, user=request.user, entries=entries)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("The suppliers have been saved."))
            return redirect(agreement)
    invalid = request.method == "POST"
    return TemplateResponse(
        request,
        "agreements/suppliers_form.html",
        {"agreement": agreement, "formset": formset, "problems": problems},
        status=400 if invalid else 200,
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def terminate(request: HttpRequest, pk: int) -> HttpResponse:
    """End the agreement early, with the date and the reason."""
    agreement = get_object_or_404(Agreement, pk=pk)
    initial = {
        "terminated_on": agreement.terminated_on or timezone.localdate(),
        "reason": agreement.termination_reason,
    }
    form = TerminateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement_terminate(
                agreement=agreement, terminated_on=form.cleaned_data["terminated_on"],
                reason=form.cleaned_data["reason"], user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"termination_reason": "reason"})
        else:
            messages.success(request, _("The agreement has been terminated."))
            return redirect(agreement)
    return TemplateResponse(
        request,
        "agreements/terminate.html",
        {"form": form, "agreement": agreement},
        status=400 if form.errors else 200,
    )


@require_POST
@secretariat_only
def successor(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the tender that renews the agreement (from the agreement's page)."""
    agreement = get_object_or_404(Agreement, pk=pk)
    form = SuccessorForm(request.POST, choices=selectors.successor_choices(agreement), suggested=[])
    if not form.is_valid():
        messages.error(request, _("Choose one of the tenders in the list."))
        return redirect(agreement)
    try:
        agreement_set_successor(
            agreement=agreement, tender=form.cleaned_data["successor_tender"], user=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The successor tender has been saved."))
    return redirect(reverse("agreements:detail", args=[agreement.pk]) + "#renewal")
