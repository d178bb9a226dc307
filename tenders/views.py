"""Tender pages: list, detail, the officer's answers, and the secretariat's forms and actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    SECRETARIAT_ROLES,
    any_role,
    get_editable_or_404,
    get_for_user,
    has_role,
    member_of,
    role_required,
    secretariat_only,
)
from accounts.models import Role
from consortium.forms import add_service_errors
from consortium.htmx import page_or_partial

from . import lots, selectors, services, workflow
from .documents import documents_state
from .forms import (
    CriterionFormSet,
    ParticipationForm,
    ReopenForm,
    TenderForm,
    ThresholdForm,
    TransitionForm,
)
from .models import MilestoneKind, Participation, Tender, TenderStatus, Threshold
from .presentation import pooling_chart, pooling_rows, pooling_xlsx, threshold_basis
from .schedule import DEADLINE_MILESTONES
from .views_documents import released_documents

S = TenderStatus

# A refusal of the tender form names a milestone; these are the form's fields for them.
FIELD_OF_MILESTONE = {kind: name for name, kind in DEADLINE_MILESTONES.items()}
MILESTONE_LABELS = dict(MilestoneKind.choices)


def _tender(reference: str) -> Tender:
    return get_object_or_404(
        Tender.objects.select_related("main_cpv", "lead_organisation", "responsible"),
        reference=reference,
    )


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@require_safe
@any_role
def tender_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    tenders = Tender.objects.select_related("lead_organisation").order_by("-reference")
    if status in TenderStatus.values:
        tenders = tenders.filter(status=status)
    return TemplateResponse(
        request,
        "tenders/list.html",
        {"tenders": tenders, "status": status, "statuses": TenderStatus.choices},
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
        "working_group": tender.working_group.select_related("member__organisation"),
        "participations": selectors.participations_for(tender, request.user),
        "counts": selectors.live_pooling(tender) if tender.participations.exists() else None,
        "run": run,
        "chart": pooling_chart(run.result) if run else None,
        "pooled_rows": pooled_rows,
        "all_pooled_rows": is_secretariat,
        "basis": threshold_basis(run.result) if run else None,
        "polling": _polling_context(tender, run.pk if run else None),
        "pooling_current": pooling_state == "current",
        "milestones": tender.milestones.order_by("due"),
        "document_states": documents_state(tender) if is_secretariat else None,
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
    return TemplateResponse(
        request,
        "tenders/my.html",
        {
            "open": selectors.open_declarations(request.user),
            "participations": selectors.my_tenders(request.user),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@any_role
def participation_edit(request: HttpRequest, reference: str, member: str) -> HttpResponse:
    """A member's answer and volumes; read-only for viewers and once locked."""
    tender = _tender(reference)
    participation, can_edit = get_for_user(
        Participation.objects.select_related("member__organisation", "answered_by"),
        request.user,
        tender=tender,
        member__organisation__slug=member,
    )
    lots = list(tender.lots.all())
    is_secretariat = has_role(request.user, SECRETARIAT_ROLES)
    lock = workflow.answer_lock(participation, request.user)
    form = ParticipationForm(
        initial=ParticipationForm.initial_for(participation), lots=lots, with_reason=is_secretariat
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ParticipationForm(request.POST, lots=lots, with_reason=is_secretariat)
        if form.is_valid():
            data = form.cleaned_data
            volumes = {
                lot.pk: services.LotVolume(data[f"volume_{lot.pk}"], data[f"quantity_{lot.pk}"])
                for lot in lots
            }
            try:
                services.participation_answer(
                    participation=participation,
                    user=request.user,
                    answer=data["answer"],
                    decline_reason=data["decline_reason"],
                    volumes=volumes,
                    version=data["version"],
                    change_reason=data.get("change_reason", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your answer has been saved."))
                return redirect("tenders:participation", reference, member)
    commitment = selectors.binding_commitment(tender, participation.member)
    return TemplateResponse(
        request,
        "tenders/participation.html",
        {
            "tender": tender,
            "participation": participation,
            "declarations": participation.declarations.select_related("lot").order_by(
                "lot__number"
            ),
            "form": form,
            "editable": can_edit and not lock.locked,
            "locked": lock.locked,
            # The secretariat changing an answer after the deadline gives a reason, as when
            # reopening.
            "needs_reason": lock is workflow.AnswerLock.WITH_REASON,
            "commitment": commitment,
            "opt_out_deadline": (
                selectors.opt_out_deadline(tender, commitment) if commitment else None
            ),
            "reopen_form": ReopenForm() if is_secretariat else None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@secretariat_only
def participation_reopen(request: HttpRequest, reference: str, member: str) -> HttpResponse:
    tender = _tender(reference)
    participation = get_editable_or_404(
        Participation, request.user, tender=tender, member__organisation__slug=member
    )
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason and a time to reopen until."))
    else:
        try:
            services.participation_reopen(
                participation=participation,
                user=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The answer is open for changes again."))
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
    return redirect("tenders:participation", reference, member)


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
        {"tender": tender, "live": selectors.live_pooling(tender)},
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
    name = f"puljing-{tender.reference}-{timezone.localtime(run.computed_at):%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@secretariat_only
def tender_form(request: HttpRequest, reference: str | None = None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    tender = _tender(reference) if reference else None
    initial = (
        TenderForm.initial_for(tender) if tender else {"term_years": 2, "option_years": "1, 1"}
    )
    form = TenderForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        clash = Tender.objects.filter(reference=form.cleaned_data["reference"])
        if tender:
            clash = clash.exclude(pk=tender.pk)
        if clash.exists():
            form.add_error("reference", _("Another tender has this reference."))
        else:
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


@require_http_methods(["GET", "POST"])
@secretariat_only
def criteria_form(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    tender = _tender(reference)
    formset = CriterionFormSet(
        data,
        prefix="criteria",
        initial=[
            {"name": c.name, "kind": c.kind, "weight": c.weight, "is_climate": c.is_climate}
            for c in tender.criteria.all()
        ],
    )
    if request.method == "POST" and formset.is_valid():
        criteria = [
            services.CriterionData(
                name=f.cleaned_data["name"],
                kind=f.cleaned_data["kind"],
                weight=f.cleaned_data["weight"],
                is_climate=f.cleaned_data["is_climate"],
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.award_criteria_set(user=request.user, tender=tender, criteria=criteria)
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, _("The award criteria have been saved."))
            return redirect(tender.get_absolute_url() + "#criteria")
    return TemplateResponse(
        request,
        "tenders/criteria_form.html",
        {"formset": formset, "tender": tender},
        status=400 if request.method == "POST" else 200,
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
