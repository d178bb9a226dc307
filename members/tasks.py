"""Background work for members: rendering fee statements."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.models import Job
from jobs.runner import JobError, JobOutcome, job_task, report

from .fees.services import fee_statements_refusal, fee_statements_render
from .models import FeeModel


@job_task(name="members.render_fee_statements")
def render_fee_statements(
    job: Job, *, year: int, member_ids: list[int] | None = None
) -> JobOutcome:
    """Render the fee statements of one budget year (all members, or those given)."""
    fee_model = FeeModel.objects.filter(year=year).first()
    if fee_model is None:
        raise JobError(_("The fees for %(year)s have not been calculated.") % {"year": year})
    # Checked again when the job runs: the fees may have gone out of date since it was started.
    refusal = fee_statements_refusal(fee_model)
    if refusal:
        raise JobError(refusal)

    def progress(done: int, total: int, name: str) -> None:
        report(job, 5 + 90 * done / max(total, 1), _("Rendering %(name)s…") % {"name": name})

    try:
        statements = fee_statements_render(
            fee_model=fee_model, member_ids=member_ids, job_id=job.pk, progress=progress
        )
    except ValidationError as exc:
        raise JobError(" ".join(exc.messages)) from exc
    if not statements:
        raise JobError(_("No fees to make statements for."))
    if len(statements) == 1:
        url = statements[0].get_absolute_url()
    else:
        url = reverse("members:fee_model", args=[year]) + "#statements"
    count = len(statements)
    return JobOutcome(
        message=ngettext(
            "%(count)s fee statement is ready.", "%(count)s fee statements are ready.", count
        )
        % {"count": count},
        result={"statements": [s.pk for s in statements]},
        result_url=url,
    )
