"""The secretariat's insight settings: the volume-kept flag thresholds and framework maximums.
(The pages with the figures are served by reports/insight_views.py, which renders the reports'
tables.)"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import SECRETARIAT_ROLES, role_required
from agreements.models import Agreement
from consortium.forms import add_service_errors

from . import selectors
from .forms import DeclarationsForm, MaximumForm, ThresholdsForm
from .models import EnteredDeclaration, FrameworkMaximum
from .services import declarations_set, framework_maximum_set, settings_save

HUNDRED = Decimal(100)


@require_http_methods(["GET", "POST"])
@role_required(*SECRETARIAT_ROLES)
def settings_page(request: HttpRequest) -> HttpResponse:
    limits = selectors.thresholds()
    form = ThresholdsForm(
        request.POST or None,
        initial={
            "low_percent": limits.low_threshold * HUNDRED,
            "high_percent": limits.high_margin * HUNDRED,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            settings_save(
                low_threshold=form.cleaned_data["low_percent"] / HUNDRED,
                high_margin=form.cleaned_data["high_percent"] / HUNDRED,
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The thresholds are saved."))
            return redirect("insight:settings")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "insight/settings.html",
        {
            "form": form,
            "maximums": selectors.framework_consumption(),
            "without_tender": Agreement.objects.filter(tender__isnull=True).order_by("number"),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(*SECRETARIAT_ROLES)
def maximum_page(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk, kind=Agreement.Kind.FRAMEWORK)
    entry = FrameworkMaximum.objects.filter(agreement=agreement).first()
    form = MaximumForm(
        request.POST or None,
        initial={"maximum_value": entry.maximum_value, "note": entry.note} if entry else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            framework_maximum_set(
                agreement=agreement,
                maximum_value=form.cleaned_data["maximum_value"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The maximum value is saved."))
            return redirect("insight:settings")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "insight/maximum.html",
        {"form": form, "agreement": agreement, "pooled": selectors.framework_consumption([pk])},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(*SECRETARIAT_ROLES)
def declarations_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The declared annual volumes of an agreement registered without a joint tender."""
    agreement = get_object_or_404(Agreement, pk=pk, tender__isnull=True)
    members = list(agreement.members.select_related("organisation").order_by("organisation__name"))
    entered = dict(
        EnteredDeclaration.objects.filter(agreement=agreement).values_list(
            "member_id", "annual_volume"
        )
    )
    form = DeclarationsForm(
        request.POST or None,
        members=members,
        initial={f"member_{m.pk}": entered.get(m.pk) for m in members},
    )
    if request.method == "POST" and form.is_valid():
        try:
            declarations_set(
                agreement=agreement,
                volumes={m.pk: form.cleaned_data[f"member_{m.pk}"] for m in members},
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The declarations are saved. The figures are recomputed."))
            return redirect("insight:settings")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "insight/declarations.html",
        {"form": form, "agreement": agreement},
        status=status,
    )
