"""Volume declarations: a member's expected annual volume per lot (tenant data until pooled).

Members read their own member's declarations and the secretariat reads all; a procurement officer
writes their own member's, until the tender's participation deadline. A change quotes the
`version` it read, so two people editing at once cannot silently overwrite each other.
"""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from accounts.access import MEMBER_ROLES, SECRETARIAT_ROLES
from accounts.models import Role
from tenders.models import Lot, VolumeDeclaration

from ..auth import caller, require_write_scope
from ..errors import AUTH_ERRORS, NOT_FOUND, ApiError, ErrorOut
from ..pagination import Pagination
from ..services import DeclarationConflict, volume_declaration_put, volume_declaration_version

PREFIX = "/declarations"
router = Router(tags=["volume declarations"])
READERS = SECRETARIAT_ROLES | MEMBER_ROLES


class DeclarationOut(Schema):
    tender: str
    lot: int
    member_id: int
    member: str
    annual_volume: Decimal = Field(description="Expected annual volume, DKK ex. VAT")
    quantity: Decimal | None = Field(
        description="Expected annual quantity, in the units of the lot's lines (`units`)"
    )
    units: list[str] = Field(description="The units of the lot's price schedule lines")
    version: str = Field(
        description="Send this back when you change the declaration. It is the version of the "
        "member's whole answer to the tender: a change on any of its lots changes it"
    )
    updated_at: datetime.datetime

    @staticmethod
    def resolve_tender(obj: VolumeDeclaration) -> str:
        return obj.lot.tender.reference

    @staticmethod
    def resolve_lot(obj: VolumeDeclaration) -> int:
        return obj.lot.number

    @staticmethod
    def resolve_units(obj: VolumeDeclaration) -> list[str]:
        return obj.lot.units()

    @staticmethod
    def resolve_member_id(obj: VolumeDeclaration) -> int:
        return obj.participation.member_id

    @staticmethod
    def resolve_member(obj: VolumeDeclaration) -> str:
        return obj.participation.member.organisation.name

    @staticmethod
    def resolve_version(obj: VolumeDeclaration) -> str:
        return volume_declaration_version(obj)


class DeclarationIn(Schema):
    annual_volume: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    quantity: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    version: str | None = Field(
        None,
        max_length=64,
        description="The version you read; leave out only when declaring on a lot for the first time",
    )


def _declarations(request: HttpRequest) -> QuerySet[VolumeDeclaration]:
    return (
        VolumeDeclaration.objects.visible_to(request.auth)
        .select_related("lot__tender", "participation__member__organisation")
        .prefetch_related("lot__line_items")
    )


@router.get("", response={200: list[DeclarationOut], **AUTH_ERRORS}, url_name="declaration_list")
@paginate(Pagination)
def declaration_list(
    request: HttpRequest,
    tender: str | None = Query(None, max_length=20, description="Tender reference"),
):
    """The caller's member's declarations (the secretariat sees every member's)."""
    caller(request, READERS)
    declarations = _declarations(request).order_by("-lot__tender__reference", "lot__number", "pk")
    if tender:
        declarations = declarations.filter(lot__tender__reference=tender)
    return declarations


@router.get(
    "/{reference}/lots/{lot_number}",
    response={200: DeclarationOut, 400: ErrorOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="declaration_detail",
)
def declaration_detail(
    request: HttpRequest,
    reference: str,
    lot_number: int,
    member_id: int | None = Query(
        None,
        description="Whose declaration: the secretariat must name the member; members may "
        "name only their own",
    ),
):
    """One member's declaration on one lot: the caller's own, or the named member's for the
    secretariat (which reads them all, as in the list, but never writes them)."""
    user = caller(request, READERS)
    declarations = _declarations(request).filter(
        lot__tender__reference=reference, lot__number=lot_number
    )
    if member_id is None and user.role in SECRETARIAT_ROLES:
        raise ApiError(400, "member_required", _("Name the member with member_id."))
    if member_id is not None:
        # Members' `_declarations` hold their own member's only: another member's is not found.
        declarations = declarations.filter(participation__member_id=member_id)
    return get_object_or_404(declarations)


@router.put(
    "/{reference}/lots/{lot_number}",
    response={200: DeclarationOut, 201: DeclarationOut, **AUTH_ERRORS, **NOT_FOUND, 409: ErrorOut},
    url_name="declaration_put",
)
def declaration_put(request: HttpRequest, reference: str, lot_number: int, payload: DeclarationIn):
    """Declare or change the expected annual volume on a lot (procurement officers, own member)."""
    user = caller(request, {Role.OFFICER})
    require_write_scope(request)
    lot = get_object_or_404(
        Lot.objects.select_related("tender"), tender__reference=reference, number=lot_number
    )
    try:
        declaration, created = volume_declaration_put(
            user=user,
            lot=lot,
            annual_volume=payload.annual_volume,
            quantity=payload.quantity,
            version=payload.version,
        )
    except DeclarationConflict as exc:
        raise ApiError(409, exc.code, exc.message) from None
    except PermissionDenied:
        raise ApiError(403, "permission_denied", _("Your role may not do this.")) from None
    except ValidationError as exc:
        raise ApiError(422, "invalid", " ".join(exc.messages)) from None
    declaration = _declarations(request).get(pk=declaration.pk)
    return Status(201 if created else 200, declaration)
