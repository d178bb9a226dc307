"""Renewal reminders: telling the secretariat, once, about agreements to renew."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import SECRETARIAT_ROLES
from accounts.models import User
from consortium.emails import queue_email

from ..models import Agreement, RenewalNotice
from ..renewal import horizon_end
from ..selectors import renewal_item


def _secretariat_recipients() -> dict[str, list[str]]:
    """Active secretariat users' addresses, grouped by the language they read mail in."""
    by_language: dict[str, list[str]] = defaultdict(list)
    users = User.objects.filter(is_active=True, role__in=SECRETARIAT_ROLES).order_by("email")
    for user in users:
        by_language[user.language or "da"].append(user.email)
    return dict(by_language)


def _notice_row(item: Any, language: str) -> dict[str, str]:
    from django.utils import translation

    agreement = item.agreement
    with translation.override(language):
        return {
            "number": agreement.number,
            "title": agreement.title,
            "end_date": date_format(agreement.end_date, "SHORT_DATE_FORMAT"),
            "must_start_by": date_format(item.must_start_by, "SHORT_DATE_FORMAT"),
            "successor": str(item.successor) if item.successor else "",
            "path": reverse("agreements:detail", args=[agreement.pk]),
        }


@transaction.atomic
def renewal_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tell the secretariat, once, about agreements entering the renewal horizon and about
    successor tenders that are late to start. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    entered, late = [], []
    agreements = (
        Agreement.objects.ending_within(today, horizon_end(today))
        .select_related("tender", "successor_tender")
        .prefetch_related("options")
        .order_by("end_date", "number")
    )
    for agreement in agreements:
        item = renewal_item(agreement, today)
        _, created = RenewalNotice.objects.get_or_create(
            agreement=agreement, kind=RenewalNotice.Kind.ENTERED_HORIZON, about=agreement.end_date
        )
        if created:
            entered.append(item)
        if item.late:
            _, created = RenewalNotice.objects.get_or_create(
                agreement=agreement, kind=RenewalNotice.Kind.LATE_TO_START, about=item.must_start_by
            )
            if created:
                late.append(item)
    if entered or late:
        for language, addresses in _secretariat_recipients().items():
            queue_email(
                "emails/agreements_renewal",
                to=addresses,
                context={
                    "entered": [_notice_row(item, language) for item in entered],
                    "late": [_notice_row(item, language) for item in late],
                    "plan_path": reverse("agreements:renewals"),
                    "count": len({item.agreement.pk for item in [*entered, *late]}),
                },
                language=language,
            )
    return {"entered": len(entered), "late": len(late)}
