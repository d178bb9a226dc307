"""Background work for spend data: running an uploaded file's import with progress."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consortium.formatting import format_number
from jobs.models import Job
from jobs.runner import JobError, JobOutcome, job_task, report

from .models import SpendImport
from .services import spend_import_run


@job_task(name="spend.import_file")
def import_file(job: Job, *, spend_import_id: int) -> JobOutcome:
    """Import one uploaded spend file; a rejected file ends the job as failed with the reason."""
    spend_import = spend_import_run(
        spend_import_id=spend_import_id, progress=lambda pct, msg: report(job, pct, msg)
    )
    url = spend_import.get_absolute_url()
    if spend_import.status == SpendImport.Status.REJECTED:
        first = spend_import.errors[0]["reason"] if spend_import.errors else ""
        raise JobError(
            _("The file was rejected: %(count)s errors, nothing was imported. %(first)s")
            % {"count": spend_import.error_count, "first": first}
        )
    if spend_import.status == SpendImport.Status.UNCHANGED:
        message = _("Nothing new: all %(count)s lines were already imported.") % {
            "count": format_number(spend_import.lines_valid)
        }
    else:
        message = _("%(new)s new lines imported (%(existing)s were already there).") % {
            "new": format_number(spend_import.lines_new),
            "existing": format_number(spend_import.lines_existing),
        }
    return JobOutcome(message=message, result_url=url)
