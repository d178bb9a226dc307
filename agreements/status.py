"""An agreement's status follows from its dates; this is the one rule, in Python and in SQL.

* terminated — ended early by decision (`terminated_on` has passed); explicit, never derived;
* upcoming — not started yet;
* expired — its current end (base term plus options used) has passed;
* expiring — ends within `AGREEMENTS_EXPIRING_MONTHS` (default 6) months;
* active — otherwise.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


def expiring_months() -> int:
    return int(getattr(settings, "AGREEMENTS_EXPIRING_MONTHS", 6))


def expiring_threshold(today: datetime.date, months: int | None = None) -> datetime.date:
    """The last end date that counts as expiring seen from `today`."""
    return today + relativedelta(months=expiring_months() if months is None else months)


def agreement_status(
    *,
    start: datetime.date,
    end: datetime.date,
    terminated_on: datetime.date | None,
    today: datetime.date,
    months: int | None = None,
) -> str:
    """The status of an agreement on `today` (see the module docstring)."""
    if terminated_on is not None and terminated_on <= today:
        return AgreementStatus.TERMINATED
    if today < start:
        return AgreementStatus.UPCOMING
    if end < today:
        return AgreementStatus.EXPIRED
    if end <= expiring_threshold(today, months):
        return AgreementStatus.EXPIRING
    return AgreementStatus.ACTIVE
