"""Fee models, the fees calculated from them and the members' fee statements (secretariat)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import get_visible_or_404, secretariat_only
from consortium.forms import add_service_errors
from jobs.services import job_enqueue

from ..models import Member
from ..views import member_users
from .exports import fee_overview_xlsx
from .forms import FeeModelForm
from .models import FeeModel, FeeStatement
from .selectors import fee_table
from .services import (
    fee_model_save,
    fee_model_split,
    fee_statements_refusal,
    fees_calculate,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@secretariat_only
def fee_model_list(request: HttpRequest) -> HttpResponse:
    fee_models = FeeModel.objects.annotate(stored_fees=Count("fees"))
    return TemplateResponse(request, "members/fee_model_list.html", {"fee_models": fee_models})


@require_http_methods(["GET", "POST"])
@secretariat_only
def fee_model_form(request: HttpRequest, year: int | None = None) -> HttpResponse:
    fee_model = get_object_or_404(FeeModel, year=year) if year else FeeModel()
    form = FeeModelForm(request.POST or None, instance=fee_model)
    if request.method == "POST" and form.is_valid():
        try:
            fee_model_save(fee_model=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The fee model is saved. Calculate the fees to use it."))
            return redirect(fee_model)
    title = _("Fee model %(year)s") % {"year": year} if year else _("New fee model")
    back_url = fee_model.get_absolute_url() if year else reverse("members:fee_models")
    return TemplateResponse(
        request,
        "members/form.html",
        {"form": form, "title": title, "back_url": back_url},
        status=400 if form.errors else 200,
    )


@require_safe
@secretariat_only
def fee_model_detail(request: HttpRequest, year: int) -> HttpResponse:
    fee_model = get_object_or_404(FeeModel, year=year)
    preview_error = None
    preview = None
    try:
        preview, _members = fee_model_split(fee_model=fee_model)
    except ValidationError as exc:
        preview_error = " ".join(exc.messages)
    statements = (
        FeeStatement.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("member__organisation")[:200]
    )
    return TemplateResponse(
        request,
        "members/fee_model_detail.html",
        {
            "fee_model": fee_model,
            "table": fee_table(fee_model),
            "preview": preview,
            "preview_error": preview_error,
            "statements": statements,
        },
    )


@require_POST
@secretariat_only
def fee_model_calculate(request: HttpRequest, year: int) -> HttpResponse:
    fee_model = get_object_or_404(FeeModel, year=year)
    try:
        fees = fees_calculate(fee_model=fee_model)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        count = len(fees)
        messages.success(
            request,
            ngettext(
                "%(count)s fee is calculated and stored.",
                "%(count)s fees are calculated and stored.",
                count,
            )
            % {"count": count},
        )
    return redirect(fee_model)


@require_POST
@secretariat_only
def fee_statements_start(request: HttpRequest, year: int) -> HttpResponse:
    fee_model = get_object_or_404(FeeModel, year=year)
    refusal = fee_statements_refusal(fee_model)
    if refusal:
        messages.error(request, refusal)
        return redirect(fee_model)
    member_id = request.POST.get("member", "")
    member = None
    if member_id:
        # Only a member with a stored fee this year can have a statement.
        if not member_id.isdigit() or len(member_id) > 18:
            raise Http404
        member = get_object_or_404(
            Member.objects.select_related("organisation"), pk=member_id, fees__fee_model=fee_model
        )
    title = (
        _("Fee statement %(year)s for %(name)s") % {"year": year, "name": member.name}
        if member
        else _("Fee statements %(year)s for all members") % {"year": year}
    )
    job = job_enqueue(
        task_name="members.render_fee_statements",
        kind="members.fee_statements",
        title=title,
        user=request.user,
        task_kwargs={"year": year, "member_ids": [member.pk] if member else None},
    )
    return redirect(job)


@require_safe
@secretariat_only
def fee_overview(request: HttpRequest, year: int) -> HttpResponse:
    fee_model = get_object_or_404(FeeModel, year=year)
    response = HttpResponse(fee_overview_xlsx(fee_table(fee_model)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kontingenter-{year}.xlsx"'
    return response


@require_safe
@member_users
def fee_statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_visible_or_404(
        FeeStatement.objects.select_related("member__organisation"), request.user, pk=pk
    )
    return FileResponse(
        statement.pdf.open("rb"),
        as_attachment=True,
        filename=statement.filename,
        content_type="application/pdf",
    )
