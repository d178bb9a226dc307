"""Workflow steps of a tender, and inviting the members when volume collection opens."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Role, User
from consortium.emails import queue_email
from members.models import Member

from .. import workflow
from ..models import (
    Participation,
    Tender,
    TenderStatus,
)
from ..signals import tender_concluded
from .participation import participations_close_unanswered
from .tender import _context


class TransitionRefused(ValidationError):
    """A workflow step the tender may not take now; `messages` say why, in the user's language."""


@transaction.atomic
def tender_transition(
    *,
    tender: Tender,
    to_status: str,
    user: User | None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Tender:
    """Move the tender to `to_status` if every guard allows it; refuse with the reasons if not.

    Entering volume collection invites every active member; concluding sends
    `tender_concluded` (inside this transaction) so the agreements app creates the agreement(s).
    """
    now = now or timezone.now()
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    errors = workflow.transition_errors(tender, to_status, now=now, reason=reason)
    if errors:
        raise TransitionRefused(errors)
    previous = tender.status
    with _context(user, action="tender_transition", transition=f"{previous}→{to_status}"):
        tender.status = to_status
        tender.status_changed_at = now
        if to_status == TenderStatus.CANCELLED:
            tender.cancel_reason = reason.strip()
        if to_status == TenderStatus.AWARDED:
            tender.awarded_at = now
        tender.full_clean()
        tender.save()
        if to_status == TenderStatus.VOLUME_COLLECTION:
            participations_invite(tender=tender, user=user)
        if to_status == TenderStatus.CONCLUDED:
            tender_concluded.send(sender=Tender, tender=tender, user=user)
    if previous == TenderStatus.VOLUME_COLLECTION and to_status != TenderStatus.CANCELLED:
        # Volume collection ends: no answer stays open, even if the beat task did not run.
        participations_close_unanswered(tender=tender, now=now, closing=True)
    return tender


def participations_invite(*, tender: Tender, user: User | None) -> list[Participation]:
    """Create a participation for every active member and tell its officers (e-mail + portal).

    The portal notice is the open invitation itself: it stands on the officers' start page and
    under "My tenders" until answered. Members invited before keep their answers.
    """
    created = []
    for member in Member.objects.active().select_related("organisation"):
        participation, was_created = Participation.objects.get_or_create(
            tender=tender, member=member
        )
        if was_created:
            created.append(participation)
    officers = User.objects.filter(
        organisation__member__in=[p.member_id for p in created],
        role=Role.OFFICER,
        is_active=True,
    )
    link = reverse("tenders:detail", args=[tender.reference])
    for officer in officers:
        queue_email(
            "emails/tender_invitation",
            to=[officer.email],
            context={
                "reference": tender.reference,
                "title": tender.title,
                "deadline": _datetime_text(tender.volume_deadline, officer.language),
                "path": link,
                "name": officer.get_short_name() if hasattr(officer, "get_short_name") else "",
            },
            language=officer.language,
        )
    return created


def _datetime_text(value: datetime.datetime | None, language: str) -> str:
    """A date and time as the reader writes it: 21.11.2026 12:00 in Danish."""
    if value is None:
        return ""
    with translation.override(language or settings.LANGUAGE_CODE):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
