"""Pooling the declared volumes with historical spend, and the threshold table."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from jobs.models import Job
from jobs.services import job_enqueue
from spend.selectors import members_spend_in_categories

from .. import pooling
from ..models import (
    Participation,
    PoolingRun,
    Tender,
    TenderStatus,
)
from ..selectors import spend_period
from .tender import _context


def tender_pool_volumes(
    *,
    tender: Tender,
    user: User | None,
    progress: Callable[[float, str], None] | None = None,
    now: datetime.datetime | None = None,
) -> PoolingRun:
    """Pool the participants' declarations with their historical spend and store the result.

    Reads outside the write transaction so progress can be reported as it goes; the stored run
    is one atomic insert, with the digest of its inputs (`workflow.pooling_is_current`). The
    threshold is the one in force on the planned publication date, or today without one.
    Running it twice gives two runs with the same figures.
    """
    from .. import selectors

    now = now or timezone.now()
    report = progress or (lambda percent, message: None)
    data = selectors.pooling_input(tender, now=now)
    report(
        10,
        ngettext("Read %(n)s declaration.", "Read %(n)s declarations.", len(data.declarations))
        % {"n": len(data.declarations)},
    )

    start, end = data.spend_period or spend_period(timezone.localtime(now).date())
    participants = [m.id for m in data.members if m.answer == Participation.Answer.PARTICIPATE]
    report(20, _("Reading the participants' historical spend"))
    # One grouped query for all participants, not one per member.
    spend: dict[int, Decimal] = members_spend_in_categories(
        participants, selectors.tender_cpv_codes(tender), start, end
    )
    report(90, _("Computing the pooled volumes"))
    data = dataclasses.replace(data, spend=spend)
    result = pooling.compute_pooling(data)
    report(95, _("Storing the result…"))
    with transaction.atomic(), _context(user, action="tender_pool_volumes"):
        run = PoolingRun(
            tender=tender,
            computed_at=now,
            computed_by=user,
            annual_total=Decimal(result["annual_total"]),
            estimated_value=Decimal(result["estimated_value"]),
            eu_procedure_required=result["eu_procedure_required"],
            provisional=result["provisional"],
            result=result,
            inputs_digest=pooling.inputs_digest(data),
        )
        run.full_clean()
        run.save()
    return run


POOLABLE = (TenderStatus.VOLUME_COLLECTION, TenderStatus.PREPARATION)


def tender_pooling_start(*, tender: Tender, user: User) -> Any:
    """Start pooling in the background, or return the pooling job already under way."""
    from ..selectors import POOLING_JOB_KIND

    if tender.status not in POOLABLE:
        raise ValidationError(
            _("Volumes can be pooled during volume collection and preparation only.")
        )
    running = (
        Job.objects.unfinished()
        .filter(kind=POOLING_JOB_KIND, task_kwargs__tender_id=tender.pk)
        .first()
    )
    if running:
        return running
    return job_enqueue(
        task_name="tenders.pool_volumes",
        kind=POOLING_JOB_KIND,
        title=_("Pooling of volumes for %(reference)s") % {"reference": tender.reference},
        user=user,
        task_kwargs={"tender_id": tender.pk},
    )


@transaction.atomic
def threshold_create(*, user: User, threshold: Any) -> Any:
    """Enter a threshold value for a period (e.g. the official DKK values of a revision)."""
    with _context(user, action="threshold_create"):
        threshold.full_clean()
        threshold.save()
    return threshold
