# ruff: noqa: B008 (ninja declares parameters with Query(...) defaults)
"""Framework agreements and contracts with their suppliers, period, options, bound members and
categories: shared data, readable by every role (their documents and compliance figures are not
here: documents are for bound members, compliance is under /compliance)."""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from agreements.models import Agreement
from agreements.status import AgreementStatus
from consortium.formatting import round_half_up

from ..auth import caller
from ..errors import AUTH_ERRORS, NOT_FOUND
from ..filters import CPV_FILTER, cpv_prefix
from ..pagination import Pagination
from .tenders import CpvOut

PREFIX = "/agreements"
router = Router(tags=["agreements"])


class SupplierOut(Schema):
    cvr: str
    name: str
    rank: int | None = Field(description="Rank for direct award; null under mini-competition")


class OptionOut(Schema):
    sequence: int
    months: int
    used_on: datetime.date | None


class BoundMemberOut(Schema):
    id: int
    name: str


class PeriodOut(Schema):
    start: datetime.date
    base_end: datetime.date = Field(description="Last day of the base term")
    end: datetime.date = Field(description="Current end: the base term plus the options used")
    terminated_on: datetime.date | None


class AgreementOut(Schema):
    id: int
    number: str
    title: str
    kind: Agreement.Kind
    allocation: Agreement.Allocation
    status: AgreementStatus
    tender: str | None = Field(description="Reference of the tender it came from")
    lot: int | None
    period: PeriodOut
    expected_annual_value: Decimal = Field(description="DKK ex. VAT per year")
    expected_savings_rate: Decimal = Field(description="0.08 is prices 8 % below the baseline")
    climate_requirements: bool
    suppliers: list[SupplierOut]
    categories: list[CpvOut]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_status(obj: Agreement) -> str:
        return getattr(obj, "current_status", None) or obj.status

    @staticmethod
    def resolve_tender(obj: Agreement) -> str | None:
        return obj.tender.reference if obj.tender else None

    @staticmethod
    def resolve_lot(obj: Agreement) -> int | None:
        return obj.lot.number if obj.lot else None

    @staticmethod
    def resolve_period(obj: Agreement) -> dict:
        return {
            "start": obj.start_date,
            "base_end": obj.base_end_date,
            "end": obj.end_date,
            "terminated_on": obj.terminated_on,
        }

    @staticmethod
    def resolve_expected_savings_rate(obj: Agreement) -> Decimal:
        return round_half_up(obj.savings_rate, 6) or Decimal(0)

    @staticmethod
    def resolve_climate_requirements(obj: Agreement) -> bool:
        return obj.has_climate_requirements

    @staticmethod
    def resolve_suppliers(obj: Agreement) -> list[dict]:
        return [
            {"cvr": link.supplier.cvr, "name": link.supplier.name, "rank": link.rank}
            for link in obj.supplier_links.all()
        ]

    @staticmethod
    def resolve_categories(obj: Agreement) -> list[dict]:
        return [{"code": code.code, "label": code.label} for code in obj.categories.all()]


class AgreementDetailOut(AgreementOut):
    description: str
    climate_requirements_text: str
    options: list[OptionOut]
    members: list[BoundMemberOut] = Field(description="The members bound by the agreement")
    successor_tender: str | None

    @staticmethod
    def resolve_climate_requirements_text(obj: Agreement) -> str:
        return obj.climate_requirements

    @staticmethod
    def resolve_options(obj: Agreement) -> list:
        return list(obj.options.all())

    @staticmethod
    def resolve_members(obj: Agreement) -> list[dict]:
        return [{"id": m.pk, "name": m.organisation.name} for m in obj.members.all()]

    @staticmethod
    def resolve_successor_tender(obj: Agreement) -> str | None:
        return obj.successor_tender.reference if obj.successor_tender else None


def _agreements() -> QuerySet[Agreement]:
    return (
        Agreement.objects.with_status()
        .select_related("tender", "lot")
        .prefetch_related("supplier_links__supplier", "categories")
    )


@router.get("", response={200: list[AgreementOut], **AUTH_ERRORS}, url_name="agreement_list")
@paginate(Pagination)
def agreement_list(
    request: HttpRequest,
    status: AgreementStatus | None = None,
    cpv: str | None = Query(None, pattern=r"^\d{2,8}$", description=CPV_FILTER),
    in_force_on: datetime.date | None = Query(None, description="In force on this day"),
    ends_from: datetime.date | None = Query(None, description="Current end ≥"),
    ends_to: datetime.date | None = Query(None, description="Current end ≤"),
):
    """List agreements, soonest ending first; filter by status, CPV category and dates."""
    caller(request)
    agreements = _agreements().order_by("end_date", "number")
    if status:
        agreements = agreements.filter(current_status=status)
    if cpv:
        agreements = agreements.filter(categories__code8__startswith=cpv_prefix(cpv)).distinct()
    if in_force_on:
        agreements = agreements.in_force_on(in_force_on)
    if ends_from:
        agreements = agreements.filter(end_date__gte=ends_from)
    if ends_to:
        agreements = agreements.filter(end_date__lte=ends_to)
    return agreements


@router.get(
    "/{number}",
    response={200: AgreementDetailOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="agreement_detail",
)
def agreement_detail(request: HttpRequest, number: str):
    """One agreement with its suppliers, options, bound members and categories."""
    caller(request)
    return get_object_or_404(
        _agreements()
        .select_related("successor_tender")
        .prefetch_related("options", "members__organisation"),
        number=number,
    )
