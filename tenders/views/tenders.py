"""Tender pages: the list, a tender, the member's own tenders, the tender and criteria forms, thresholds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import (
    SECRETARIAT_ROLES,
    any_role,
    has_role,
    member_of,
    role_required,
    secretariat_only,
)
from accounts.models import Role
from consortium.forms import add_service_errors
from consortium.htmx import page_or_partial

from .. import lots, selectors, services, workflow
from ..documents import documents_state_kept
from ..forms import (
    TenderForm,
    ThresholdForm,
    criteria_formset,
)
from ..models import MilestoneKind, Tender, TenderStatus, Threshold
from ..presentation import pooling_chart, pooling_rows, threshold_basis
from ..schedule import DEADLINE_MILESTONES
from .common import _errors, _tender, refuse_frozen
from .documents import released_documents
from .pooling import _polling_context
from .transitions import fix_links

S = TenderStatus


# A refusal of the tender form names a milestone; these are the form's fields for them.
FIELD_OF_MILESTONE = {kind: name for name, kind in DEADLINE_MILESTONES.items()}


MILESTONE_LABELS = dict(MilestoneKind.choices)


@require_safe
@any_role
def tender_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    tenders = Tender.objects.select_related("lead_organisation").order_by("-reference")
    if status in TenderStatus.values:
        tenders = tenders.filter(status=status)
    page = Paginator(tenders, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "tenders/list.html",
        {
            "page": page,
            "tenders": page.object_list,
            "status": status,
            "statuses": TenderStatus.choices,
        },
    )


def _publish_blockers(tender: Tender) -> list[tuple[str, tuple[str, str] | None]]:
    """What still stands in the way of publishing, each with the page where it is put right."""
    links = fix_links(tender, S.PUBLISHED, timezone.now())
    return list(links.items())


@require_safe
@any_role
def tender_detail(request: HttpRequest, reference: str) -> HttpResponse:
    tender = _tender(reference)
    is_secretariat = has_role(request.user, SECRETARIAT_ROLES)
    run = selectors.latest_pooling(tender)
    pooled_rows = pooling_rows(run.result) if run else []
    if not is_secretariat:
        # A member's declared volumes are its own: others see the totals only, a member's
        # users its own row (the secretariat every row).
        own = member_of(request.user)
        pooled_rows = [row for row in pooled_rows if own is not None and row["id"] == own.pk]
    pooling_state = workflow.pooling_state(tender)
    context: dict[str, Any] = {
        "tender": tender,
        "is_secretariat": is_secretariat,
        "lots": tender.lots.prefetch_related("line_items"),
        "lots_changeable": lots.lots_changeable(tender),
        "criteria": tender.criteria.all(),
        "criteria_total": workflow.criteria_total(tender),
        "frozen": workflow.is_frozen(tender),
        "may_correct": is_secretariat and not workflow.corrigendum_errors(tender),
        "corrigenda": tender.corrigenda.select_related("created_by").order_by("number"),
        "working_group": tender.working_group.select_related("member__organisation"),
        "participations": selectors.participations_for(tender, request.user),
        "counts": (
            selectors.live_pooling_today(tender) if tender.participations.exists() else None
        ),
        "run": run,
        "chart": pooling_chart(run.result) if run else None,
        "pooled_rows": pooled_rows,
        "all_pooled_rows": is_secretariat,
        "basis": threshold_basis(run.result) if run else None,
        "polling": _polling_context(tender, run.pk if run else None),
        "pooling_current": pooling_state == "current",
        "milestones": tender.milestones.order_by("due"),
        "document_states": documents_state_kept(tender) if is_secretariat else None,
        "released_documents": (
            released_documents(tender)
            if not is_secretariat and tender.status in workflow.RELEASED_STATUSES
            else None
        ),
        "publish_blockers": (
            _publish_blockers(tender) if is_secretariat and tender.status == S.PREPARATION else []
        ),
        "steps": [
            (target, TenderStatus(target).label)
            for target in workflow.targets(tender)
            if target != TenderStatus.CANCELLED
        ],
        "now": timezone.now(),
    }
    return TemplateResponse(request, "tenders/detail.html", context)


@require_safe
@role_required(Role.OFFICER, Role.VIEWER)
def my_tenders(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_tenders(request.user), 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "tenders/my.html",
        {
            "open": selectors.open_declarations(request.user),
            "page": page,
            "participations": page.object_list,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def tender_form(request: HttpRequest, reference: str | None = None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    tender = _tender(reference) if reference else None
    if tender is not None and (refused := refuse_frozen(request, tender)):
        return refused
    initial = (
        TenderForm.initial_for(tender) if tender else {"term_years": 2, "option_years": "1, 1"}
    )
    form = TenderForm(data, initial=initial, tender=tender)
    reference_field = form.fields["reference"].widget.attrs
    # Checked as soon as the field is left (htmx), and again with the whole form.
    reference_field.update(
        {"hx-get": request.path, "hx-trigger": "change", "hx-target": "closest .form-group",
         "hx-swap": "outerHTML", "hx-sync": "this:replace"}
    )  # fmt: skip
    if request.method == "GET" and request.htmx and "reference" in request.GET:
        return _reference_check(form, request.GET["reference"], tender)
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.tender_save(
                user=request.user,
                tender=tender,
                fields=form.tender_fields(),
                additional_cpv=form.cleaned_data["additional_cpv"],
                working_group=form.cleaned_data["working_group"],
            )
        except ValidationError as exc:
            if tender is not None and tender.pk:
                tender.refresh_from_db()
            add_service_errors(form, exc, fields=FIELD_OF_MILESTONE, labels=MILESTONE_LABELS)
        else:
            messages.success(request, _("The tender has been saved."))
            return redirect(tender)
    return TemplateResponse(
        request,
        "tenders/form.html",
        {"form": form, "tender": tender},
        status=400 if form.errors else 200,
    )


def _reference_check(form: TenderForm, reference: str, tender: Tender | None) -> HttpResponse:
    """The reference field alone, checked: its message if it is taken, invalid or missing."""
    checked = TenderForm({"reference": reference}, initial=form.initial, tender=tender)
    checked.fields["reference"].widget.attrs.update(form.fields["reference"].widget.attrs)
    checked.full_clean()
    response = HttpResponse(checked["reference"].as_field_group())
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_http_methods(["GET", "POST"])
@secretariat_only
def criteria_form(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    tender = _tender(reference)
    if refused := refuse_frozen(request, tender):
        return refused
    formset = criteria_formset(data, criteria=tender.criteria.all())
    adding = data is not None and "add_row" in data
    if request.method == "POST" and not adding and formset.is_valid():
        try:
            services.award_criteria_set(
                user=request.user, tender=tender, criteria=formset.criteria()
            )
        except ValidationError as exc:
            formset._non_form_errors.extend(_errors(exc))
        else:
            messages.success(request, _("The award criteria have been saved."))
            return redirect(tender.get_absolute_url() + "#criteria")
    return page_or_partial(
        request,
        "tenders/criteria_form.html",
        "criteria",
        {"formset": formset, "tender": tender},
        status=400 if request.method == "POST" and not adding else 200,
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def thresholds(request: HttpRequest) -> HttpResponse:
    """The threshold table, and a form to enter the values of a new period."""
    form = ThresholdForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.threshold_create(user=request.user, threshold=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The threshold has been saved."))
            return redirect("tenders:thresholds")
    return TemplateResponse(
        request,
        "tenders/thresholds.html",
        {"form": form, "thresholds": Threshold.objects.all()},
        status=400 if form.errors else 200,
    )
