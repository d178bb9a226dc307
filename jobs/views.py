from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import (
    any_role,
    get_editable_or_404,
    get_visible_or_404,
    secretariat_admin_only,
)
from consortium.htmx import page_or_partial

from .models import Job
from .services import job_enqueue, job_rerun


@require_safe
@any_role
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.visible_to(request.user).select_related("started_by", "organisation")[:100]
    return TemplateResponse(request, "jobs/list.html", {"jobs": jobs})


@require_safe
@any_role
def job_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The job page; htmx polls its `status` fragment until the job has ended."""
    job = get_visible_or_404(Job.objects.select_related("started_by"), request.user, pk=pk)
    return page_or_partial(request, "jobs/detail.html", "status", {"job": job})


@require_POST
@any_role
def job_rerun_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = get_editable_or_404(Job, request.user, pk=pk)
    if job.state != Job.State.FAILED:
        messages.error(request, _("Only a failed job can be run again."))
        return redirect(job)
    new_job = job_rerun(job=job, user=request.user)
    return redirect(new_job)


@require_POST
@secretariat_admin_only
def job_selfcheck(request: HttpRequest) -> HttpResponse:
    job = job_enqueue(
        task_name="jobs.selfcheck",
        kind="jobs.selfcheck",
        title=_("Check of background worker and e-mail"),
        user=request.user,
    )
    return redirect(job)
