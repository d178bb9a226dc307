"""Members and the municipalities behind them: shared data, readable by every role."""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from members.models import Member, Municipality

from ..auth import caller
from ..errors import AUTH_ERRORS, NOT_FOUND
from ..pagination import Pagination

PREFIX = "/members"
router = Router(tags=["members"])


class MunicipalityOut(Schema):
    code: str
    name: str
    cvr: str
    gln: str
    region: str


class MemberOut(Schema):
    id: int
    slug: str
    name: str
    status: Member.Status
    joined_on: datetime.date | None
    left_on: datetime.date | None
    municipalities: list[MunicipalityOut]

    @staticmethod
    def resolve_slug(obj: Member) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_name(obj: Member) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_municipalities(obj: Member) -> list[Municipality]:
        return list(obj.municipalities.all())


def _members():
    return Member.objects.select_related("organisation").prefetch_related("municipalities")


@router.get("", response={200: list[MemberOut], **AUTH_ERRORS}, url_name="member_list")
@paginate(Pagination)
def member_list(request: HttpRequest, status: Member.Status | None = None):
    """List the consortium's members (filter by membership status)."""
    caller(request)
    members = _members().order_by("organisation__name")
    if status:
        members = members.filter(status=status)
    return members


@router.get(
    "/{member_id}", response={200: MemberOut, **AUTH_ERRORS, **NOT_FOUND}, url_name="member_detail"
)
def member_detail(request: HttpRequest, member_id: int):
    """One member with its municipalities (CVR, EAN/GLN, region)."""
    caller(request)
    return get_object_or_404(_members(), pk=member_id)
