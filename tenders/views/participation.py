"""A member's answer to a tender, and reopening it after the deadline."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import (
    SECRETARIAT_ROLES,
    any_role,
    get_editable_or_404,
    get_for_user,
    has_role,
    secretariat_only,
)
from consortium.forms import add_service_errors

from .. import selectors, services, workflow
from ..forms import (
    ParticipationForm,
    ReopenForm,
)
from ..models import Participation
from .common import _errors, _tender


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
    lots = list(tender.lots.prefetch_related("line_items"))
    is_secretariat = has_role(request.user, SECRETARIAT_ROLES)
    # The member's own users read "your"; the secretariat reads the member's name.
    own = participation.member.organisation_id == request.user.organisation_id
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
                    decline_category=data["decline_category"],
                    decline_reason=data["decline_reason"],
                    volumes=volumes,
                    version=data["version"],
                    change_reason=data.get("change_reason", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if own:
                    messages.success(request, _("Your answer has been saved."))
                else:  # the secretariat answering for a member
                    messages.success(
                        request,
                        _("The answer for %(member)s has been saved.")
                        % {"member": participation.member.name},
                    )
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
            "own": own,
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
