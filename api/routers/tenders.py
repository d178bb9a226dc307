# ruff: noqa: B008 (ninja declares parameters with Query(...) defaults)
"""Joint tenders with their lots, timeline and status: shared data, readable by every role."""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from tenders.models import Lot, ProcedureType, Tender, TenderStatus

from ..auth import aware, caller
from ..errors import AUTH_ERRORS, NOT_FOUND
from ..filters import CPV_FILTER, cpv_prefix
from ..pagination import Pagination

PREFIX = "/tenders"
router = Router(tags=["tenders"])


class CpvOut(Schema):
    code: str = Field(description="CPV 2008 code with check digit, e.g. 30192000-1")
    label: str = Field(
        description="The official label in the caller's language: English by default, Danish "
        "with Accept-Language: da"
    )


class TimelineOut(Schema):
    volume_deadline: datetime.datetime | None = Field(
        description="Deadline for members to join and declare volumes"
    )
    bid_deadline: datetime.datetime | None
    expected_start: datetime.date | None = Field(description="Expected contract start")
    term_years: int = Field(description="Base contract term in years")
    option_years: list[int] = Field(description="Options to extend, in years each")
    total_years: int


class LineItemOut(Schema):
    number: int
    description: str
    unit: str = Field(description="The unit its quantities are in, e.g. stk., æske à 100, timer")
    quantity: Decimal | None = Field(description="Estimated annual quantity, in `unit`")


class LotOut(Schema):
    number: int
    title: str
    description: str
    line_items: list[LineItemOut] = Field(description="The lot's price schedule lines")

    @staticmethod
    def resolve_line_items(obj: Lot) -> list:
        return list(obj.line_items.all())


class TenderOut(Schema):
    reference: str
    title: str
    status: TenderStatus
    procedure_type: ProcedureType
    main_cpv: CpvOut | None
    lead: str
    timeline: TimelineOut
    updated_at: datetime.datetime

    @staticmethod
    def resolve_lead(obj: Tender) -> str:
        return obj.lead_organisation.name

    @staticmethod
    def resolve_main_cpv(obj: Tender) -> dict | None:
        return _cpv(obj.main_cpv) if obj.main_cpv else None

    @staticmethod
    def resolve_timeline(obj: Tender) -> dict:
        return {
            "volume_deadline": obj.volume_deadline,
            "bid_deadline": obj.bid_deadline,
            "expected_start": obj.expected_start,
            "term_years": obj.term_years,
            "option_years": [int(y) for y in obj.option_years],
            "total_years": obj.total_years,
        }


class TenderDetailOut(TenderOut):
    description: str
    climate_flag: bool
    additional_cpv: list[CpvOut]
    lots: list[LotOut]

    @staticmethod
    def resolve_additional_cpv(obj: Tender) -> list[dict]:
        return [_cpv(code) for code in obj.additional_cpv.all()]

    @staticmethod
    def resolve_lots(obj: Tender) -> list:
        return list(obj.lots.all())


def _cpv(code: object) -> dict:
    return {"code": code.code, "label": code.label}  # type: ignore[attr-defined]


def _tenders() -> QuerySet[Tender]:
    return Tender.objects.select_related("lead_organisation", "main_cpv")


@router.get("", response={200: list[TenderOut], **AUTH_ERRORS}, url_name="tender_list")
@paginate(Pagination)
def tender_list(
    request: HttpRequest,
    status: TenderStatus | None = None,
    procedure_type: ProcedureType | None = None,
    cpv: str | None = Query(None, pattern=r"^\d{2,8}$", description=CPV_FILTER),
    updated_since: datetime.datetime | None = None,
    deadline_from: datetime.date | None = Query(None, description="Participation deadline ≥"),
    deadline_to: datetime.date | None = Query(None, description="Participation deadline ≤"),
):
    """List tenders, newest reference first; filter by status, procedure, CPV and dates."""
    caller(request)
    tenders = _tenders().order_by("-reference")
    if status:
        tenders = tenders.filter(status=status)
    if procedure_type:
        tenders = tenders.filter(procedure_type=procedure_type)
    if cpv:
        tenders = tenders.filter(main_cpv__code8__startswith=cpv_prefix(cpv))
    if updated_since:
        tenders = tenders.filter(updated_at__gte=aware(updated_since))
    if deadline_from:
        tenders = tenders.filter(volume_deadline__date__gte=deadline_from)
    if deadline_to:
        tenders = tenders.filter(volume_deadline__date__lte=deadline_to)
    return tenders


@router.get(
    "/{reference}",
    response={200: TenderDetailOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="tender_detail",
)
def tender_detail(request: HttpRequest, reference: str):
    """One tender with its lots, CPV codes and timeline."""
    caller(request)
    return get_object_or_404(
        _tenders().prefetch_related("lots__line_items", "additional_cpv"), reference=reference
    )
