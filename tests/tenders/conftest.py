"""Tenders in a known state for the tests of this app."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tenders.models import (
    AwardCriterion,
    Lot,
    Participation,
    ProcedureType,
    Tender,
    TenderStatus,
    VolumeDeclaration,
)


def make_tender(
    cast,
    *,
    status: str = TenderStatus.PLANNED,
    reference: str = "2026-014",
    lots: int = 2,
    **fields,
) -> Tender:
    now = timezone.now()
    defaults = {
        "title": "Kontorartikler",
        "procedure_type": ProcedureType.OPEN,
        "lead_organisation": cast.secretariat,
        "responsible": cast.staff,
        "term_years": 2,
        "option_years": [1, 1],
        "volume_deadline": now + timedelta(days=14),
        "bid_deadline": now + timedelta(days=60),
    }
    defaults.update(fields)
    tender = Tender.objects.create(reference=reference, status=status, **defaults)
    for n in range(1, lots + 1):
        Lot.objects.create(tender=tender, number=n, title=f"Delaftale {n}")
    return tender


def invite(tender: Tender, members) -> list[Participation]:
    return [Participation.objects.get_or_create(tender=tender, member=m)[0] for m in members]


def declare(participation: Participation, *volumes: int | str, answer: str = "participate") -> None:
    participation.answer = answer
    participation.save()
    for lot, volume in zip(participation.tender.lots.order_by("number"), volumes, strict=False):
        VolumeDeclaration.objects.update_or_create(
            participation=participation, lot=lot, defaults={"annual_volume": Decimal(volume)}
        )


def criteria(tender: Tender, *weights: int) -> None:
    for i, weight in enumerate(weights, start=1):
        AwardCriterion.objects.create(
            tender=tender, position=i, name=f"Kriterium {i}", weight=Decimal(weight)
        )


@pytest.fixture
def tender(cast) -> Tender:
    return make_tender(cast)


@pytest.fixture(autouse=True)
def documents_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workflow tests here are about the other guards: treat the documents as rendered.

    Whether documents are current is tested with real renderings in tests/tenders_timeline/.
    """
    from tenders import workflow

    monkeypatch.setattr(workflow, "documents_ready", lambda tender: True)
