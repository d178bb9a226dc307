"""Pages of tender timelines: a tender's milestones, the pipeline (udbudsplan) and calendar feeds."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import SECRETARIAT_ROLES, acting_for, any_role, has_role
from consortium import tenancy
from consortium.forms import add_service_errors

from .. import timeline as rules
from ..ical import CalendarEvent, build_calendar
from ..models import MilestoneKind, ProcedureType, Tender, TenderStatus
from ..periods import holiday_reading
from ..schedule import (
    PlannedMilestone,
    calendar_feed_reset,
    calendar_feed_token,
    calendar_feed_user,
    calendar_milestones,
    pipeline_chart,
    pipeline_rows,
    points,
    tender_circumstances,
    tender_timeline,
    timeline_update,
)

# Milestones shown for a procedure: the procedure-specific ones only where they apply.
ONLY_FOR: dict[str, frozenset[str]] = {
    MilestoneKind.PIN: frozenset({rules.OPEN, rules.RESTRICTED}),
    MilestoneKind.REQUESTS_DEADLINE: rules.REQUEST_PROCEDURES,
    MilestoneKind.INVITATION: rules.REQUEST_PROCEDURES,
    MilestoneKind.STANDSTILL_END: rules.STANDSTILL_PROCEDURES,
}
ELECTRONIC_LABELS = {
    MilestoneKind.BID_DEADLINE: gettext_lazy("Tenders are submitted electronically"),
    MilestoneKind.AWARD_DECISION: gettext_lazy("The award decision is notified electronically"),
}


def kinds_for(procedure: str) -> list[str]:
    return [k for k in rules.Kind.ORDER if procedure in ONLY_FOR.get(k, frozenset({procedure}))]


class TimelineForm(forms.Form):
    """One optional date and time per milestone of the tender's procedure."""

    def __init__(self, *args: object, tender: Tender, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.tender = tender
        self.kinds = kinds_for(tender.procedure_type)
        for kind in self.kinds:
            self.fields[kind] = forms.DateTimeField(
                label=MilestoneKind(kind).label,
                required=False,
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
            )
            if kind in ELECTRONIC_LABELS:
                self.fields[f"{kind}_electronic"] = forms.BooleanField(
                    label=ELECTRONIC_LABELS[kind], required=False
                )
        # What may shorten a limit (tenders/time_limits.py), saved with the timeline.
        self.fields["urgency_reason"] = forms.CharField(
            label=gettext_lazy("Reason for urgency"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=gettext_lazy(
                "Fill in only when an urgent need makes the normal time limits impracticable; "
                "the shorter limits then apply."
            ),
        )
        if tender.procedure_type in (rules.RESTRICTED, rules.NEGOTIATED):
            self.fields["bid_deadline_agreed"] = forms.BooleanField(
                label=gettext_lazy(
                    "The bid deadline is agreed with all selected candidates (udbudsloven § 60, "
                    "stk. 5; not for state authorities)"
                ),
                required=False,
            )

    def planned(self) -> dict[str, PlannedMilestone]:
        data = self.cleaned_data
        return {
            kind: PlannedMilestone(data[kind], data.get(f"{kind}_electronic", True))
            for kind in self.kinds
            if data.get(kind)
        }


def _initial(tender: Tender) -> dict[str, object]:
    initial: dict[str, object] = {f"{k}_electronic": True for k in ELECTRONIC_LABELS}
    initial["urgency_reason"] = tender.urgency_reason
    initial["bid_deadline_agreed"] = tender.bid_deadline_agreed
    for kind, value in tender_timeline(tender).items():
        initial[kind] = timezone.localtime(value.due)
        initial[f"{kind}_electronic"] = value.electronic
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
@any_role
def timeline_page(request: HttpRequest, reference: str) -> HttpResponse:
    """A tender's milestones checked against its procedure's minimum time limits."""
    tender = get_object_or_404(
        Tender.objects.select_related("lead_organisation"), reference=reference
    )
    may_edit = has_role(request.user, SECRETARIAT_ROLES)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = TimelineForm(request.POST, tender=tender)
        if form.is_valid():
            try:
                timeline_update(
                    tender=tender,
                    user=request.user,
                    planned=form.planned(),
                    urgency_reason=form.cleaned_data["urgency_reason"],
                    bid_deadline_agreed=form.cleaned_data.get("bid_deadline_agreed"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc, labels=dict(MilestoneKind.choices))
            else:
                messages.success(request, _("The timeline has been saved."))
                return redirect("tender_timeline:timeline", reference=tender.reference)
    else:
        form = TimelineForm(initial=_initial(tender), tender=tender)
    planned = tender_timeline(tender)
    timeline = points(planned)
    circumstances = tender_circumstances(tender)
    suggested = rules.suggested_dates(tender.procedure_type, timeline, circumstances)
    award = timeline.get(rules.Kind.AWARD_DECISION)
    if award and tender.procedure_type in rules.STANDSTILL_PROCEDURES:
        suggested[rules.Kind.STANDSTILL_END] = rules.standstill_end(
            award.day, electronic=award.electronic
        )
    findings = {
        f.kind: f for f in rules.check_timeline(tender.procedure_type, timeline, circumstances)
    }
    rows = [
        {
            "kind": kind,
            "label": MilestoneKind(kind).label,
            "planned": planned.get(kind),
            "earliest": suggested.get(kind),
            "finding": findings.get(kind),
            "holiday": rules.holiday_name(timeline[kind].day) if kind in timeline else "",
        }
        for kind in kinds_for(tender.procedure_type)
    ]
    context = {
        "tender": tender,
        "rows": rows,
        "rules": rules.rules_for(tender.procedure_type),
        "form": form if may_edit else None,
        "no_standstill": tender.procedure_type not in rules.STANDSTILL_PROCEDURES,
        "circumstances": circumstances,
        "strict_reading": holiday_reading() == "strict",
    }
    status = 400 if request.method == "POST" else 200  # shown again after a POST: refused
    return TemplateResponse(request, "tenders/timeline/timeline.html", context, status=status)


class PipelineFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All open tenders")), *TenderStatus.choices],
    )
    procedure = forms.ChoiceField(
        label=gettext_lazy("Procedure type"),
        required=False,
        choices=[("", gettext_lazy("All procedure types")), *ProcedureType.choices],
    )
    year = forms.IntegerField(
        label=gettext_lazy("From year"), required=False, min_value=2000, max_value=2100
    )


@require_safe
@any_role
def pipeline(request: HttpRequest) -> HttpResponse:
    """Every tender on a time axis by quarter (udbudsplan), with the same data as a table."""
    form = PipelineFilterForm(request.GET or None)
    tenders = Tender.objects.all()
    today = timezone.localdate()
    year = today.year
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            tenders = tenders.filter(status=data["status"])
        else:
            tenders = tenders.exclude(status__in=[TenderStatus.CANCELLED, TenderStatus.CONCLUDED])
        if data["procedure"]:
            tenders = tenders.filter(procedure_type=data["procedure"])
        year = data["year"] or year
    else:
        tenders = tenders.exclude(status__in=[TenderStatus.CANCELLED, TenderStatus.CONCLUDED])
    rows = pipeline_rows(tenders)
    chart = pipeline_chart(rows, (year, 1), 8, today=today)
    return TemplateResponse(
        request,
        "tenders/timeline/pipeline.html",
        {
            "form": form,
            "rows": rows,
            "chart": chart,
            "first_year": year,
            "is_secretariat": has_role(request.user, SECRETARIAT_ROLES),
        },
    )


@require_safe
@any_role
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The user's secret calendar address and what it contains."""
    token = calendar_feed_token(request.user)
    url = settings.SITE_URL + reverse("tender_timeline:calendar_feed", args=[token])
    upcoming = calendar_milestones(request.user, since=timezone.localdate())[:20]
    return TemplateResponse(
        request, "tenders/timeline/calendar.html", {"feed_url": url, "upcoming": upcoming}
    )


@require_POST
@any_role
def calendar_reset(request: HttpRequest) -> HttpResponse:
    calendar_feed_reset(user=request.user)
    messages.success(
        request, _("Your calendar has a new address. The old address no longer works.")
    )
    return redirect("tender_timeline:calendar")


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics feed calendar clients fetch without signing in: the secret address is the key."""
    user = calendar_feed_user(token)
    if user is None:
        raise Http404
    # Fetched without a session: the secret address names whose feed it is, and the rest of the
    # request reads as that user (row-level security, consortium/tenancy.py).
    tenancy.switch_to(acting_for(user))
    with translation.override(user.language or "da"):
        events = [
            CalendarEvent(
                uid=f"milestone-{m.pk}@12by-portal",
                start=m.due,
                summary=f"{m.tender.reference} {m.get_kind_display()}: {m.tender.title}",
                description=_("%(milestone)s in tender %(reference)s %(title)s.")
                % {
                    "milestone": m.get_kind_display(),
                    "reference": m.tender.reference,
                    "title": m.tender.title,
                },
                url=settings.SITE_URL
                + reverse("tender_timeline:timeline", args=[m.tender.reference]),
                last_modified=m.updated_at,
            )
            for m in calendar_milestones(user)
        ]
        body = build_calendar(events, name=_("12-by tender deadlines"), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="udbudsfrister.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
