"""Member directory, member pages, municipalities, contacts and commitments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    MEMBER_ROLES,
    SECRETARIAT_ROLES,
    any_role,
    get_editable_or_404,
    get_visible_or_404,
    role_required,
    secretariat_only,
)
from consortium.forms import add_service_errors, search_query

from .forms import (
    CommitmentForm,
    ContactForm,
    MemberForm,
    MunicipalityCreateForm,
    MunicipalityForm,
    MunicipalityImportForm,
    PopulationFigureForm,
)
from .models import (
    Commitment,
    Contact,
    Member,
    Municipality,
    PopulationFigure,
)
from .selectors import (
    Population,
    directory_members,
    latest_populations,
    member_populations,
    population_history,
    unattached_municipalities,
)
from .services import (
    commitment_save,
    contact_delete,
    contact_save,
    member_create,
    member_update,
    municipalities_import,
    municipality_create,
    municipality_update,
    population_figure_update,
    population_set,
)

member_users = role_required(*SECRETARIAT_ROLES, *MEMBER_ROLES)


# --- directory and member page ------------------------------------------------------------------


@require_safe
@any_role
def directory(request: HttpRequest) -> HttpResponse:
    query = search_query(request)
    members = directory_members()
    if query:
        members = members.filter(
            Q(organisation__name__icontains=query) | Q(municipalities__code=query)
        ).distinct()
    members = list(members)
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else None
    populations: dict[int, Population | None]
    if year is None:
        # The latest year with figures, per member: new figures arrive months into the year.
        populations = latest_populations(members)
    else:
        populations = {
            pk: None if population is None else Population(year, population)
            for pk, population in member_populations(members, year).items()
        }
    rows = [(m, populations[m.pk]) for m in members]
    return TemplateResponse(
        request, "members/directory.html", {"rows": rows, "q": query, "year": year}
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def member_new(request: HttpRequest) -> HttpResponse:
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member = member_create(**data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The member %(name)s is created.") % {"name": member.name})
            return redirect(member)
    return TemplateResponse(
        request,
        "members/form.html",
        {"form": form, "title": _("New member"), "back": "members:directory"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("organisation"), pk=pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member_update(member=Member.objects.get(pk=pk), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The member is saved."))
            return redirect(member)
    return TemplateResponse(
        request,
        "members/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": member.name}, "member": member},
        status=400 if form.errors else 200,
    )


@require_safe
@secretariat_only
def municipality_list(request: HttpRequest) -> HttpResponse:
    """Municipalities that belong to no member, to attach or leave as they are."""
    return TemplateResponse(
        request,
        "members/municipality_list.html",
        {"municipalities": unattached_municipalities()},
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def municipality_new(request: HttpRequest) -> HttpResponse:
    raw_member = request.GET.get("member", "")
    initial = {"member": int(raw_member)} if raw_member.isdigit() else {}
    form = MunicipalityCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            municipality = municipality_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The municipality %(name)s is created.") % {"name": municipality.name}
            )
            return redirect(municipality.member or "members:municipality_list")
    return TemplateResponse(
        request,
        "members/form.html",
        {
            "form": form,
            "title": _("New municipality"),
            "back_url": reverse("members:municipality_list"),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def municipality_edit(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("member"), code=code)
    form = MunicipalityForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        population, year = data.pop("population"), data.pop("population_year")
        try:
            saved = municipality_update(municipality=Municipality.objects.get(code=code), **data)
            if population is not None:
                population_set(municipality=saved, year=year, population=population)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The municipality is saved."))
            return redirect(saved.member or "members:municipality_list")
    return TemplateResponse(
        request,
        "members/municipality_form.html",
        {
            "form": form,
            "title": str(municipality),
            "member": municipality.member,
            "back_url": reverse("members:municipality_list") if not municipality.member else "",
            "population_history": population_history([municipality]),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def population_edit(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_object_or_404(
        PopulationFigure.objects.select_related("municipality__member__organisation"), pk=pk
    )
    form = PopulationFigureForm(request.POST or None, instance=figure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            population_figure_update(
                figure=PopulationFigure.objects.get(pk=pk),
                population=data["population"],
                is_estimate=data["is_estimate"],
                source=data["source"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The population figure is saved."))
            return redirect(figure.municipality.member or "members:municipality_list")
    municipality = figure.municipality
    title = _("Population of %(name)s on 1 January %(year)s") % {
        "name": municipality.name,
        "year": figure.year,
    }
    return TemplateResponse(
        request,
        "members/form.html",
        {
            "form": form,
            "title": title,
            "member": municipality.member,
            "back_url": reverse("members:municipality_edit", args=[municipality.code]),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def municipality_import(request: HttpRequest) -> HttpResponse:
    form = MunicipalityImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = municipalities_import(data=form.cleaned_data["file"].read())
        if report.ok:
            messages.success(
                request,
                _("The municipalities are imported. New: %(created)s. Updated: %(updated)s.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("members:directory")
    # Shown again after a POST only when refused: a bad file, or a file with bad rows.
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "members/import.html", {"form": form, "report": report}, status=status
    )


# --- contacts: the member's own officers and the secretariat -------------------------------------


@require_http_methods(["GET", "POST"])
@member_users
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_editable_or_404(Member.objects.select_related("organisation"), request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=Contact(member=member))
    if request.method == "POST" and form.is_valid():
        try:
            contact_save(contact=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact person is added."))
            return redirect(member)
    return TemplateResponse(
        request,
        "members/form.html",
        {"form": form, "title": _("New contact person"), "member": member},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_users
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(
        Contact.objects.select_related("member__organisation"), request.user, pk=pk
    )
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            contact_save(contact=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact person is saved."))
            return redirect(contact.member)
    return TemplateResponse(
        request,
        "members/contact_form.html",
        {"form": form, "title": contact.name, "member": contact.member, "contact": contact},
        status=400 if form.errors else 200,
    )


@require_POST
@member_users
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(Contact.objects.select_related("member"), request.user, pk=pk)
    member = contact.member
    contact_delete(contact=contact)
    messages.success(request, _("The contact person is removed."))
    return redirect(member)


# --- commitments ---------------------------------------------------------------------------------


def _commitment_form(request: HttpRequest, commitment: Commitment, title: str) -> HttpResponse:
    form = CommitmentForm(request.POST or None, request.FILES or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            commitment_save(
                commitment=form.instance,
                binding_categories=form.cleaned_data["binding_category_codes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment is saved."))
            return redirect(commitment)
    return TemplateResponse(
        request,
        "members/form.html",
        {"form": form, "title": title, "member": commitment.member, "multipart": True},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@secretariat_only
def commitment_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("organisation"), pk=pk)
    return _commitment_form(request, Commitment(member=member), _("New commitment"))


@require_http_methods(["GET", "POST"])
@secretariat_only
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("member__organisation"), pk=pk)
    return _commitment_form(
        request, commitment, _("Commitment %(period)s") % {"period": commitment.period}
    )


@require_safe
@member_users
def commitment_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed document: the member's own users and the secretariat."""
    commitment = get_object_or_404(Commitment, pk=pk)
    get_visible_or_404(Member, request.user, pk=commitment.member_id)
    if not commitment.signed_document:
        raise Http404
    name = commitment.signed_document.name.rsplit("/", 1)[-1]
    return FileResponse(commitment.signed_document.open("rb"), as_attachment=True, filename=name)
