"""The climate footprint pages: the consortium's, each member's (with its metered energy), the
emission factors and their versions, and the spreadsheets. They live in reports because their
figures come from reports/figures/climate.py; the writes are the climate app's services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    MEMBER_ROLES,
    SECRETARIAT_ROLES,
    get_editable_or_404,
    get_visible_or_404,
    has_role,
    member_of,
    min_group,
    role_required,
)
from accounts.models import Role
from climate.forms import FactorFormSet, FactorVersionForm, MeteredConsumptionForm
from climate.models import FactorVersion
from climate.selectors import years_with_figures
from climate.services import FactorEntry, factor_version_create, metered_consumption_save
from consortium import charts
from consortium.forms import add_service_errors
from consortium.xlsx import xlsx_response
from members.models import Member

from . import figures
from .exports import tables_to_xlsx
from .tables import Table

BOARD_AND_SECRETARIAT = (*SECRETARIAT_ROLES, Role.BOARD_MEMBER)
MEMBER_SIDE = (*SECRETARIAT_ROLES, Role.OFFICER, Role.VIEWER)
EVERYONE = (*BOARD_AND_SECRETARIAT, Role.OFFICER, Role.VIEWER)


def _year(request: HttpRequest, years: list[int]) -> int:
    """?year=, else the latest year with figures, else this year."""
    raw = request.GET.get("year", "")
    if raw:
        if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
            raise Http404
        return int(raw)
    return years[-1] if years else timezone.localdate().year


def _charts(tables: list[Table]) -> dict[str, Any]:
    """A chart beside each table that has one; the table is its accessible text."""
    result: dict[str, Any] = {}
    for t in tables:
        if not t.rows:
            continue
        if t.slug.endswith("climate-by-division"):
            result[t.slug] = charts.bar_chart(t, label="label", value="co2e")
        elif t.slug.endswith("climate-by-member"):
            result[t.slug] = charts.bar_chart(t, label="member", value="per_inhabitant")
        elif t.slug.endswith("climate-trend"):
            result[t.slug] = charts.column_chart(t, label="short", series=["co2e"])
    return result


def _member_context(member: Member, year: int, user: Any) -> dict[str, Any]:
    with figures.one_computation():
        tables = figures.climate_tables(year, member)
        key = figures.climate_key_figures(year, member)
    return {
        "member": member,
        "year": year,
        "years": years_with_figures(member) or [year],
        "key_figures": key,
        "tables": tables,
        "charts": _charts(tables),
        "caveats": figures.caveats(),
        "version": FactorVersion.objects.in_force(),
        "attribution": figures.licence_note(FactorVersion.objects.in_force()),
    }


@require_safe
@role_required(*EVERYONE)
def overview(request: HttpRequest) -> HttpResponse:
    """The consortium's footprint for the secretariat and the board; a member's users go to
    their own member's page."""
    if has_role(request.user, MEMBER_ROLES):
        member = member_of(request.user)
        if member is None:
            raise Http404
        return redirect("climate:member", member_pk=member.pk)
    years = years_with_figures()
    year = _year(request, years)
    with figures.one_computation():
        tables = figures.climate_tables(year, None, min_group(request.user))
        key = figures.climate_key_figures(year)
    version = FactorVersion.objects.in_force()
    return TemplateResponse(
        request,
        "climate/overview.html",
        {
            "year": year,
            "years": years or [year],
            "key_figures": key,
            "tables": tables,
            "charts": _charts(tables),
            "caveats": figures.caveats(),
            "version": version,
            "attribution": figures.licence_note(version),
            "per_member_links": has_role(request.user, SECRETARIAT_ROLES),
        },
    )


@require_safe
@role_required(*MEMBER_SIDE)
def member(request: HttpRequest, member_pk: int) -> HttpResponse:
    """One member's footprint: the secretariat for any member, a member's users their own."""
    member = get_visible_or_404(
        Member.objects.select_related("organisation"), request.user, pk=member_pk
    )
    year = _year(request, years_with_figures(member))
    context = _member_context(member, year, request.user)
    context["form"] = _metered_form_for(request, member, year)
    return TemplateResponse(request, "climate/member.html", context)


def _metered_form_for(request: HttpRequest, member: Member, year: int):
    may_edit = has_role(request.user, SECRETARIAT_ROLES) or (
        request.user.role == Role.OFFICER and member_of(request.user) == member
    )
    if not may_edit:
        return None
    return MeteredConsumptionForm(initial={"year": year})


@require_POST
@role_required(*SECRETARIAT_ROLES, Role.OFFICER)
def metered(request: HttpRequest, member_pk: int) -> HttpResponse:
    """Enter a year's metered electricity or district heating: an officer for its own member,
    the secretariat for any."""
    member = get_editable_or_404(
        Member.objects.select_related("organisation"), request.user, pk=member_pk
    )
    form = MeteredConsumptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            metered_consumption_save(
                user=request.user, member=member, year=data["year"], kind=data["kind"],
                kwh=data["kwh"], kg_per_kwh=data["kg_per_kwh"],
                factor_source=data["factor_source"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The metered consumption has been saved."))
            return redirect(
                reverse("climate:member", args=[member.pk]) + f"?year={data['year']}#metered"
            )
    year = form.cleaned_data.get("year") if form.is_valid() else None
    year = year or timezone.localdate().year
    context = _member_context(member, year, request.user)
    context["form"] = form
    return TemplateResponse(request, "climate/member.html", context, status=400)


@require_safe
@role_required(*EVERYONE)
def factors(request: HttpRequest) -> HttpResponse:
    """The emission factors of a version (the one in force unless ?version=), and the list of
    versions; everyone signed in may read them, with their source and licence."""
    versions = list(FactorVersion.objects.select_related("created_by").order_by("-number"))
    raw = request.GET.get("version", "")
    chosen = versions[0] if versions else None
    if raw:
        chosen = next((v for v in versions if str(v.number) == raw), None)
        if chosen is None:
            raise Http404
    return TemplateResponse(
        request,
        "climate/factors.html",
        {
            "versions": versions,
            "chosen": chosen,
            "in_force": versions[0] if versions else None,
            "factors": list(chosen.factors.all()) if chosen else [],
            "attribution": figures.ATTRIBUTION,
            "may_edit": has_role(request.user, SECRETARIAT_ROLES),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*SECRETARIAT_ROLES)
def factor_version_new(request: HttpRequest) -> HttpResponse:
    """A new factor version: a copy of the one in force to edit; saving it puts it in force and
    recomputes every figure in a job."""
    current = FactorVersion.objects.in_force()
    initial = [
        {
            "division": f.division,
            "label": f.label,
            "kg_per_dkk": f.kg_per_dkk,
            "confidence": f.confidence,
        }
        for f in (current.factors.all() if current else [])
    ]
    post = request.POST if request.method == "POST" else None
    form = FactorVersionForm(post)
    formset = FactorFormSet(post, initial=initial, prefix="factors")
    if post is not None and form.is_valid() and formset.is_valid():
        entries = [
            FactorEntry(
                division=f.cleaned_data["division"],
                label=f.cleaned_data["label"],
                kg_per_dkk=f.cleaned_data.get("kg_per_dkk"),
                confidence=f.cleaned_data.get("confidence") or "",
            )
            for f in formset.forms
            if f.cleaned_data
        ]
        try:
            version = factor_version_create(
                user=request.user, note=form.cleaned_data["note"], factors=entries
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Factor version %(number)s is in force; the figures are being recomputed.")
                % {"number": version.number},
            )
            return redirect("climate:factors")
    return TemplateResponse(
        request,
        "climate/factor_version_form.html",
        {"form": form, "formset": formset, "current": current},
        status=400 if post is not None else 200,
    )


def _xlsx(tables: list[Table], year: int, filename: str) -> HttpResponse:
    subtitle = str(year) + " · " + figures.licence_note(FactorVersion.objects.in_force())
    return xlsx_response(tables_to_xlsx(tables, subtitle=subtitle), filename)


@require_safe
@role_required(*BOARD_AND_SECRETARIAT)
def export(request: HttpRequest) -> HttpResponse:
    """The consortium's climate tables as one workbook (the board's with its minimum group)."""
    year = _year(request, years_with_figures())
    with translation.override("da"), figures.one_computation():
        tables = figures.climate_tables(year, None, min_group(request.user))
        return _xlsx(tables, year, f"klimaaftryk-{year}.xlsx")


@require_safe
@role_required(*MEMBER_SIDE)
def member_export(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_visible_or_404(
        Member.objects.select_related("organisation"), request.user, pk=member_pk
    )
    year = _year(request, years_with_figures(member))
    with translation.override("da"), figures.one_computation():
        tables = figures.climate_tables(year, member)
        return _xlsx(tables, year, f"klimaaftryk-{member.pk}-{year}.xlsx")
