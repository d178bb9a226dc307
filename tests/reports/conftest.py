"""Tenders, answers and spend for the report tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.periods import parse_period
from spend.models import SpendLine, Supplier
from tenders.models import Lot, Participation, Tender, TenderStatus, VolumeDeclaration
from tests.factories import valid_cvr

YEAR = parse_period("2026")


def deadline(month: int, day: int = 15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, 12))


def make_tender(
    cast, n: int, *, status=TenderStatus.PREPARATION, volumes=None, options=(1, 1), **fields
) -> Tender:
    """Tender 2026-<n>; `volumes` maps a member to its annual volume (None: it declined)."""
    tender = Tender.objects.create(
        reference=f"2026-{n:03d}",
        title=f"Fællesudbud nr. {n} – kontorartikler",
        procedure_type=fields.pop("procedure_type", "open"),
        status=status,
        lead_organisation=cast.secretariat,
        term_years=2,
        option_years=list(options),
        volume_deadline=fields.pop("volume_deadline", deadline(1 + n % 11)),
        **fields,
    )
    lot = Lot.objects.create(tender=tender, number=1, title="Delaftale 1")
    for member, volume in (volumes or {}).items():
        answer = Participation.Answer.PARTICIPATE if volume else Participation.Answer.DECLINE
        p = Participation.objects.create(
            tender=tender, member=member, answer=answer,
            decline_reason="" if volume else "Egen aftale til 2027",
        )  # fmt: skip
        if volume:
            VolumeDeclaration.objects.create(participation=p, lot=lot, annual_volume=volume)
    return tender


@pytest.fixture
def data(cast):
    make_tender(
        cast, 1, volumes={cast.odense: Decimal("1000000.50"), cast.aarhus: Decimal("2500000")}
    )
    make_tender(cast, 2, volumes={cast.odense: Decimal("300000"), cast.aarhus: None}, options=())
    supplier = Supplier.objects.create(cvr=valid_cvr(900), name="Lyreco Danmark A/S")
    for i, amount in enumerate(["12500.00", "-500.25", "80000.00"]):
        SpendLine.objects.create(
            member=cast.odense, supplier=supplier, amount=Decimal(amount),
            invoice_date=datetime.date(2026, 3, 1 + i), fingerprint=f"fp{i}",
        )  # fmt: skip
    return cast
