"""Tenders, declarations, spend and tokens for the API tests, built on the standard cast."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create
from cpv.models import CpvCode
from spend.models import SpendLine, Supplier
from tenders.models import (
    LineItem,
    Lot,
    Participation,
    ProcedureType,
    Tender,
    TenderStatus,
    VolumeDeclaration,
)
from tests.conftest import Cast
from tests.factories import valid_cvr

DECLINE_REASON = "Vi har egen aftale til 2028 (fortroligt)"


def make_tender(reference: str, *, lead: Any, status: str = TenderStatus.VOLUME_COLLECTION,
                deadline_days: int | None = 14, lots: int = 2, **fields: Any) -> Tender:  # fmt: skip
    now = timezone.now()
    tender = Tender.objects.create(
        reference=reference,
        title=fields.pop("title", f"Udbud {reference}"),
        status=status,
        procedure_type=fields.pop("procedure_type", ProcedureType.OPEN),
        main_cpv=fields.pop("main_cpv", CpvCode.objects.get(code8="30192000")),
        lead_organisation=lead,
        volume_deadline=now + datetime.timedelta(days=deadline_days) if deadline_days is not None else None,
        bid_deadline=now + datetime.timedelta(days=60),
        expected_start=datetime.date(2027, 1, 1),
        option_years=[1, 1],
        **fields,
    )  # fmt: skip
    for number in range(1, lots + 1):
        lot = Lot.objects.create(tender=tender, number=number, title=f"Delaftale {number}")
        if number == 1:
            LineItem.objects.create(lot=lot, number=1, description="Kopipapir A4", unit="pakke",
                                    quantity=Decimal("1200"))  # fmt: skip
    return tender


@dataclass
class ApiWorld:
    cast: Cast
    open_tender: Tender  # collecting volumes: Odense and Aarhus take part
    closed_tender: Tender  # deadline passed, published
    draft_tender: Tender  # planned: internal
    supplier: Supplier


@pytest.fixture
def api_world(cast: Cast) -> ApiWorld:
    return build_api_world(cast)


def build_api_world(cast: Cast) -> ApiWorld:
    lead = cast.secretariat
    open_tender = make_tender("2099-101", lead=lead)
    closed_tender = make_tender(
        "2099-090", lead=lead, status=TenderStatus.PUBLISHED, deadline_days=-10
    )
    draft_tender = make_tender(
        "2099-120", lead=lead, status=TenderStatus.PLANNED, deadline_days=None
    )
    for tender in (open_tender, closed_tender):
        for member in (cast.odense, cast.aarhus):
            participation = Participation.objects.create(
                tender=tender, member=member, answer=Participation.Answer.PARTICIPATE
            )
            VolumeDeclaration.objects.create(
                participation=participation, lot=tender.lots.get(number=1),
                annual_volume=Decimal("100000.00") if member == cast.odense else Decimal("250000.00"),
            )  # fmt: skip
    # A third member declined the closed tender, with a private reason.
    from tests.conftest import make_member

    vejle = make_member("vejle", "Vejle", "630")
    Participation.objects.create(
        tender=closed_tender, member=vejle, answer=Participation.Answer.DECLINE,
        decline_reason=DECLINE_REASON,
    )  # fmt: skip
    supplier = Supplier.objects.create(cvr=valid_cvr(900), name="Papirgrossisten A/S")
    cpv = CpvCode.objects.get(code8="30192000")
    for member, amounts in ((cast.odense, ("1000.00", "2500.50")), (cast.aarhus, ("77777.77",))):
        for index, amount in enumerate(amounts):
            SpendLine.objects.create(
                member=member, supplier=supplier, amount=Decimal(amount),
                invoice_date=datetime.date(2026, 1 + index, 15), cpv=cpv,
                fingerprint=f"{member.pk}-{index}",
            )  # fmt: skip
    return ApiWorld(cast, open_tender, closed_tender, draft_tender, supplier)


def json_leaves(value: object, path: str = "") -> list[tuple[str, object]]:
    """Every scalar in a JSON document with its path (`releases/0/tender/value/amount`): assert
    on fields, never on substrings of the whole text, where ids and timestamps match by chance."""
    if isinstance(value, dict):
        return [leaf for key, sub in value.items() for leaf in json_leaves(sub, f"{path}/{key}")]
    if isinstance(value, list):
        return [leaf for i, sub in enumerate(value) for leaf in json_leaves(sub, f"{path}/{i}")]
    return [(path, value)]


def token_for(user: Any, scope: str = ApiToken.Scope.READ_WRITE, days: int = 30) -> str:
    _token, secret = api_token_create(user=user, name="test", scope=scope, valid_days=days)
    return secret


class ApiClient:
    """A client that calls the API with a bearer token (or none)."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict | None = None) -> Any:
        return self.client.get(path, params or {}, headers=self.headers)

    def put(self, path: str, body: dict) -> Any:
        return self.client.put(path, body, content_type="application/json", headers=self.headers)

    def post(self, path: str, data: dict) -> Any:
        return self.client.post(path, data, headers=self.headers)


def api_client_for(user: Any, scope: str = ApiToken.Scope.READ_WRITE) -> ApiClient:
    if user is None:
        return ApiClient(None)
    from accounts.access import EDITOR_ROLES, has_role

    if not has_role(user, EDITOR_ROLES):
        scope = ApiToken.Scope.READ
    return ApiClient(token_for(user, scope))
