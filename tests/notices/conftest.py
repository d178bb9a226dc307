"""A joint tender of two member municipalities with everything a notice needs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cpv.models import CpvCode
from members.models import Municipality
from tenders.models import Milestone, MilestoneKind, Tender, TenderStatus
from tenders.services import tender_pool_volumes
from tests.tenders.conftest import criteria, declare, invite, make_tender


@pytest.fixture(scope="session", autouse=True)
def compiled_rules() -> None:
    """Generate the three phases' stylesheets once for the whole run (a file lock makes the
    xdist workers wait for the one that writes them; a later run finds them cached)."""
    from pathlib import Path

    from django.conf import settings

    from notices.schematron import compiled_phase_path
    from notices.validation import MAIN_SCHEMATRON, SDK_VERSION

    for phase in ("eforms-4", "eforms-16", "eforms-29"):
        compiled_phase_path(
            MAIN_SCHEMATRON, phase, cache_dir=Path(settings.NOTICES_CACHE_DIR),
            sdk_version=SDK_VERSION,
        )  # fmt: skip


BUYERS = {
    "461": ("DK031", "Flakhaven 2", "5000", "Odense C", "29189587"),
    "751": ("DK042", "Rådhuspladsen 2", "8000", "Aarhus C", "55133018"),
}


@pytest.fixture
def joint_tender(cast) -> Tender:
    for code, (nuts, street, postcode, city, cvr) in BUYERS.items():
        Municipality.objects.filter(code=code).update(
            region="1083" if nuts == "DK031" else "1082", nuts_code=nuts, address=street,
            postcode=postcode, city=city, cvr=cvr, legal_type="la",
            email=f"udbud{code}@kommune.test", phone="+45 70 10 10 00",
        )  # fmt: skip
    tender = make_tender(
        cast, reference="2026-077", status=TenderStatus.PREPARATION,
        main_cpv=CpvCode.objects.get(code="30192000-1"), description="Fællesudbud",
        bid_validity_days=90, documents_url="https://udbud.12-by.test/2026-077",
        framework_max_participants=1,
    )  # fmt: skip
    criteria(tender, 60, 40)
    for participation in invite(tender, [cast.odense, cast.aarhus]):
        declare(participation, 100000, 50000)
    now = timezone.now()
    for kind, days in (
        (MilestoneKind.PUBLICATION, 40),
        (MilestoneKind.BID_DEADLINE, 80),
        (MilestoneKind.CONTRACT_START, 200),
    ):
        Milestone.objects.create(tender=tender, kind=kind, due=now + timedelta(days=days))
    tender_pool_volumes(tender=tender, user=cast.staff)
    return tender
