"""Spend pages: a member's imports (upload, preview with mapping, progress, errors) and the
secretariat's supplier registry."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    SECRETARIAT_ROLES,
    get_editable_or_404,
    get_for_user,
    get_visible_or_404,
    member_of,
    role_required,
    secretariat_only,
)
from accounts.models import Role
from consortium.csv_export import csv_response
from consortium.formatting import format_number
from consortium.forms import search_query
from consortium.htmx import page_or_partial
from members.models import Member

from .forms import ColumnMappingForm, StartImportForm, UploadForm
from .importing.fields import FIELDS
from .models import ColumnMapping, SpendImport, Supplier
from .selectors import (
    import_preview,
    supplier_registry,
    supplier_spend_by_member,
    withdrawal_preview,
)
from .services import (
    ImportNotWithdrawable,
    column_mapping_save,
    spend_import_configure,
    spend_import_create,
    spend_import_enqueue,
    spend_import_withdraw,
)

spend_readers = role_required(*SECRETARIAT_ROLES, Role.OFFICER, Role.VIEWER)
spend_editors = role_required(*SECRETARIAT_ROLES, Role.OFFICER)


@require_safe
@spend_readers
def import_list(request: HttpRequest) -> HttpResponse:
    imports = SpendImport.objects.visible_to(request.user).select_related(
        "member__organisation", "uploaded_by", "job"
    )
    page = Paginator(imports, 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "spend/import_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@spend_editors
def import_new(request: HttpRequest) -> HttpResponse:
    is_secretariat = request.user.role in SECRETARIAT_ROLES
    # A POST is a submitted form even when nothing came with it (a file whose name the parser
    # dropped, say): it is answered with the form's errors, not as a fresh form.
    submitted = request.method == "POST"
    form = UploadForm(
        request.POST if submitted else None,
        request.FILES if submitted else None,
        choose_member=is_secretariat,
    )
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"] if is_secretariat else member_of(request.user)
        if member is None:
            raise Http404
        upload = form.cleaned_data["file"]
        spend_import = spend_import_create(
            member=member, user=request.user, file=upload, name=upload.name
        )
        return redirect(spend_import)
    return TemplateResponse(
        request, "spend/import_new.html", {"form": form}, status=400 if form.errors else 200
    )


@require_safe
@spend_readers
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The import: preview and start while pending; progress, result and errors afterwards."""
    spend_import, can_edit = get_for_user(
        SpendImport.objects.select_related("member__organisation", "job", "uploaded_by"),
        request.user,
        pk=pk,
    )
    context = {"imp": spend_import, "can_edit": can_edit, "errors": spend_import.errors[:100]}
    running = spend_import.job and not spend_import.job.is_finished
    if spend_import.is_pending and can_edit and not running:
        preview = import_preview(spend_import)
        context["preview"] = preview
        context["fields"] = FIELDS
        context["form"] = StartImportForm(
            headers=preview.headers if spend_import.is_erp else [],
            initial_mapping=preview.columns,
            initial={"valid_only": spend_import.valid_only},
        )
    response = page_or_partial(request, "spend/import_detail.html", "status", context)
    if getattr(request, "htmx", False) and spend_import.is_pending and "form" in context:
        # The job ended without importing (it failed): the page offers the start form again,
        # which lies outside the polled region, so the whole page is drawn anew.
        response["HX-Refresh"] = "true"
    return response


@require_safe
@spend_editors
def import_preview_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview table with the mapping chosen in the form (htmx, on every change)."""
    spend_import = get_editable_or_404(SpendImport, request.user, pk=pk)
    mapping = {name: request.GET.get(f"map_{name}", "") for name in FIELDS}
    preview = import_preview(spend_import, mapping=mapping if any(mapping.values()) else None)
    return TemplateResponse(
        request,
        "spend/import_detail.html#preview_table",
        {"imp": spend_import, "preview": preview, "fields": FIELDS},
    )


@require_POST
@spend_editors
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    spend_import = get_editable_or_404(SpendImport, request.user, pk=pk)
    if spend_import.status not in (SpendImport.Status.PENDING, SpendImport.Status.REJECTED) or (
        spend_import.job and not spend_import.job.is_finished
    ):
        messages.info(request, _("This import has already been started."))
        return redirect(spend_import)
    headers = request.POST.getlist("headers") if spend_import.is_erp else []
    form = StartImportForm(request.POST, headers=headers, initial_mapping={})
    if not form.is_valid():
        messages.error(request, _("Check the choices: %(errors)s") % {"errors": _form_errors(form)})
        return redirect(spend_import)
    mapping = form.mapping() if headers else None
    with transaction.atomic():
        spend_import_configure(
            spend_import=spend_import,
            valid_only=form.cleaned_data["valid_only"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            mapping=mapping,
        )
        if mapping and form.cleaned_data.get("save_mapping"):
            column_mapping_save(member=spend_import.member, columns=mapping, user=request.user)
        spend_import_enqueue(spend_import=spend_import, user=request.user)
    return redirect(spend_import)


def _form_errors(form: StartImportForm) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errs)}"
        for name, errs in form.errors.items()
        if name in form.fields
    ) or " ".join(form.non_field_errors())


@require_http_methods(["GET", "POST"])
@spend_editors
def import_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET), then withdraw (POST) an import: the lines it added are removed."""
    spend_import = get_editable_or_404(
        SpendImport.objects.select_related("member__organisation"), request.user, pk=pk
    )
    not_withdrawable = _(
        "This import cannot be withdrawn: only an import that was imported or found unchanged can."
    )
    if not spend_import.is_standing:
        messages.info(request, not_withdrawable)
        return redirect(spend_import)
    if request.method == "POST":
        try:
            spend_import = spend_import_withdraw(spend_import=spend_import, user=request.user)
        except ImportNotWithdrawable:  # withdrawn meanwhile, in another tab
            messages.info(request, not_withdrawable)
            return redirect(spend_import)
        messages.success(request, _withdrawal_message(spend_import))
        return redirect(spend_import)
    return TemplateResponse(
        request,
        "spend/import_withdraw.html",
        {"imp": spend_import, "effect": withdrawal_preview(spend_import)},
    )


def _withdrawal_message(spend_import: SpendImport) -> str:
    """What the withdrawal did: the lines removed, and those another import still holds."""
    removed = spend_import.lines_withdrawn
    passed_on = getattr(spend_import, "lines_passed_on", 0)
    if removed:
        message = ngettext(
            "The import was withdrawn: %(count)s line was removed.",
            "The import was withdrawn: %(count)s lines were removed.",
            removed,
        ) % {"count": format_number(removed)}
    elif passed_on:
        message = _("The import was withdrawn. No lines were removed.")
    else:
        return _(
            "The import was withdrawn. No lines were removed: it had added none of its own, "
            "as all its lines were already imported."
        )
    if passed_on:
        message += " " + ngettext(
            "%(n)s line the import added stays, because another import that still stands holds "
            "it too.",
            "%(n)s lines the import added stay, because another import that still stands holds "
            "them too.",
            passed_on,
        ) % {"n": format_number(passed_on)}
    return message


@require_safe
@spend_readers
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The error report as CSV; file names and reasons quote the member's file, so they are
    written as inert text."""
    spend_import = get_visible_or_404(SpendImport, request.user, pk=pk)
    stem = spend_import.original_name.rsplit(".", 1)[0][:60] or "import"
    return csv_response(
        f"fejlrapport-{stem}.csv",
        [_("File"), _("Line"), pgettext("error report", "Reason")],
        (
            [error.get("file") or spend_import.original_name, error["line"], error["reason"]]
            for error in spend_import.errors
        ),
    )


@require_http_methods(["GET", "POST"])
@spend_editors
def mapping_edit(request: HttpRequest) -> HttpResponse:
    """The member's saved column mapping; the secretariat picks the member with ?member=<id>."""
    if request.user.role in SECRETARIAT_ROLES:
        member_id = request.GET.get("member") or request.POST.get("member")
        if not member_id:
            members = Member.objects.select_related("organisation")
            return TemplateResponse(request, "spend/mapping_choose.html", {"members": members})
        member = get_object_or_404(Member, pk=member_id) if str(member_id).isdigit() else None
        if member is None:
            raise Http404
    else:
        member = member_of(request.user)
        if member is None:
            raise Http404
    saved = ColumnMapping.objects.filter(member=member).first()
    form = ColumnMappingForm(request.POST or None, initial=saved.columns if saved else {})
    if request.method == "POST" and form.is_valid():
        column_mapping_save(member=member, columns=form.mapping(), user=request.user)
        messages.success(request, _("The column mapping was saved."))
        url = request.path + (
            f"?member={member.pk}" if request.user.role in SECRETARIAT_ROLES else ""
        )
        return redirect(url)
    return TemplateResponse(
        request,
        "spend/mapping_edit.html",
        {"form": form, "member": member, "saved": saved},
        status=400 if form.errors else 200,
    )


@require_safe
@secretariat_only
def supplier_list(request: HttpRequest) -> HttpResponse:
    search = search_query(request, 100)
    page = Paginator(supplier_registry(search), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "spend/supplier_list.html", {"page": page, "q": search})


@require_safe
@secretariat_only
def supplier_detail(request: HttpRequest, cvr: str) -> HttpResponse:
    supplier = get_object_or_404(Supplier.objects.prefetch_related("names"), cvr=cvr)
    return TemplateResponse(
        request,
        "spend/supplier_detail.html",
        {"supplier": supplier, "by_member": supplier_spend_by_member(supplier)},
    )
