"""The board reads the members' reasons for declining as counts by category, of tenders whose
answers are closed, in the reports page, its export and the pack."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from reports import figures
from reports.packs import build_pack_html, pack_sections
from tenders.models import DeclineCategory, Participation, TenderStatus
from tests.conftest import client_for, make_member

from .conftest import YEAR, deadline, make_tender

pytestmark = pytest.mark.django_db

C = DeclineCategory


def _decline(tender, member, category: str, reason: str) -> None:
    Participation.objects.create(
        tender=tender, member=member, answer=Participation.Answer.DECLINE,
        decline_category=category, decline_reason=reason,
    )  # fmt: skip


@pytest.fixture
def declines(cast):
    vejle = make_member("vejle", "Vejle", "630")
    closed = make_tender(cast, 21, status=TenderStatus.PUBLISHED, volume_deadline=deadline(3))
    other = make_tender(cast, 22, status=TenderStatus.CONCLUDED, volume_deadline=deadline(5))
    collecting = make_tender(
        cast, 23, status=TenderStatus.VOLUME_COLLECTION, volume_deadline=deadline(12, 20)
    )
    cancelled = make_tender(cast, 24, status=TenderStatus.CANCELLED, volume_deadline=deadline(4))
    _decline(closed, cast.odense, C.OWN_AGREEMENT, "Odenses egen aftale")
    _decline(closed, cast.aarhus, C.OWN_AGREEMENT, "Aarhus' egen aftale")
    _decline(closed, vejle, C.BUDGET, "Vejles budget")
    _decline(other, cast.odense, "", "Fra før kategorierne")  # counted as "other"
    _decline(collecting, cast.aarhus, C.CAPACITY, "Aarhus har travlt")
    _decline(cancelled, vejle, C.NO_NEED, "Intet behov i Vejle")
    return cast


def test_declines_are_counted_by_category_for_closed_tenders_only(declines) -> None:
    table = figures.declines_by_category_table(YEAR)
    counts = {r["category_key"]: r["declines"] for r in table.rows}
    # By hand: 2026-021 (published) own agreement ×2, budget ×1; 2026-022 (concluded) one decline
    # without a category → other; 2026-023 is still collecting, 2026-024 cancelled: not counted.
    assert counts == {
        C.OWN_AGREEMENT: 2, C.NO_NEED: 0, C.REQUIREMENTS: 0, C.BUDGET: 1, C.CAPACITY: 0, C.OTHER: 1,
    }  # fmt: skip
    assert table.total["declines"] == 4
    shares = {r["category_key"]: r["share"] for r in table.rows}
    assert shares[C.OWN_AGREEMENT] == Decimal(2) / Decimal(4)
    assert "1 fællesudbud indsamler stadig svar" in table.note
    assert not [c for c in table.columns if c.key in ("member", "reason")]


def test_the_board_reads_the_counts_on_the_page_in_the_export_and_in_the_pack(declines) -> None:
    client = client_for(declines.board_member)
    page = client.get(reverse("reports:dashboard") + "?period=2026").content.decode()
    assert "Fravalg fordelt på årsag" in page and "Dækket af kommunens egen aftale" in page
    export = client.get(
        reverse("reports:table_export", args=["declines-by-category"]) + "?period=2026"
    )
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    rows = {r[0]: r[1] for r in book.active.iter_rows(values_only=True) if r and r[0]}
    assert rows["Dækket af kommunens egen aftale"] == 2 and rows["I alt"] == 4
    pack = build_pack_html(YEAR, version=None).html
    assert "Fravalg fordelt på årsag" in pack
    for words in ("Odenses egen aftale", "Vejles budget", "Aarhus har travlt", "Intet behov"):
        assert words not in page and words not in pack
    assert "declines-by-category" in {t.slug for s in pack_sections(YEAR) for t in s.tables}
