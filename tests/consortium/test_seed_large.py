"""`seed_demo --scale large` at a tiny size: the counts, the shapes of the lines, suppliers that
repeat, stored figures that are current, and the same content for the same seed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from accounts.models import Organisation, User
from agreements.models import Agreement, ComplianceFigure
from agreements.services.compliance import compliance_recompute
from consortium.management.scale import (
    Scale,
    counts,
    digest,
    seed_large,
    supplier_cvr,
    supplier_ids,
)
from cpv.models import significant_prefix
from knowledge.models import Article
from members.models import Member, Municipality
from spend.models import SpendLine, Supplier
from tenders.models import Participation, Tender, TenderStatus
from tests.conftest import flush_deferred_checks, rolled_back
from tests.factories import OrganisationFactory

SCALE = Scale.large(lines=3000, seed=7)


def _quiet(_: str) -> None:
    pass


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with rolled_back(django_db_blocker):
        OrganisationFactory(slug="sekretariat", kind=Organisation.Kind.SECRETARIAT)
        result = seed_large(SCALE, password="x", out=_quiet)
        flush_deferred_checks()
        yield {"counts": result, "digest": digest()}


@pytest.fixture
def world(seeded: dict[str, Any], db: None) -> dict[str, Any]:
    return seeded


def _lines() -> Any:
    return SpendLine.objects.filter(fingerprint__startswith="skala-7-")


def test_smaller_sets_shrink_with_their_lines_but_keep_every_kind() -> None:
    assert Scale.large() == Scale(lines=10_000_000)
    assert Scale.large(lines=1_000_000) == Scale(
        lines=1_000_000, suppliers=2_500, tenders=60, agreements=250, articles=2_000, users=200
    )
    assert (
        Scale(lines=3000, suppliers=300, tenders=18, agreements=20, articles=40, users=120, seed=7)
        == SCALE
    )


def test_counts(world) -> None:
    assert world["counts"]["municipalities"] == 98
    assert Municipality.objects.filter(member__isnull=False).count() == 98
    assert Member.objects.count() == 98  # one member per municipality here
    assert _lines().count() == 3000
    assert Supplier.objects.filter(cvr__in=[supplier_cvr(n) for n in range(1, 301)]).count() == 300
    assert User.objects.count() == 120
    assert Tender.objects.filter(reference__startswith="N").count() == 18
    statuses = Counter(Tender.objects.values_list("status", flat=True))
    assert statuses == dict.fromkeys(TenderStatus.values, 2)
    assert Agreement.objects.filter(number__startswith="N-").count() == 20
    assert Article.objects.filter(title__endswith="(skala)").count() == 40
    # Every member answered every tender from volume collection on: 7 statuses × 2 × 98.
    assert Participation.objects.count() == 7 * 2 * 98


def test_lines_have_the_e_invoice_and_the_erp_shape(world) -> None:
    e_invoices = _lines().filter(cpv__isnull=False)
    erp = _lines().filter(cpv__isnull=True)
    assert 0.35 < e_invoices.count() / 3000 < 0.55
    for line in e_invoices[:50]:
        assert line.account == "" and line.unspsc and line.category_code == line.cpv_id
        assert line.invoice_number.startswith("OIO-")
    for line in erp[:50]:
        assert line.account and line.unspsc == "" and len(line.category_code) == 8
        assert line.invoice_number.startswith("F")
    assert _lines().filter(amount__lt=0).exists()
    first, last = (
        min(_lines().values_list("invoice_date", flat=True)),
        max(_lines().values_list("invoice_date", flat=True)),
    )
    assert date(2022, 1, 1) <= first < date(2022, 3, 1) and date(2026, 9, 1) < last <= date(
        2026, 11, 30
    )
    # Each line belongs to the import of its member, year and shape.
    line = erp.select_related("spend_import").first()
    assert line.spend_import.member_id == line.member_id
    assert line.spend_import.format == "erp_csv"
    assert str(line.invoice_date.year) in line.spend_import.original_name


def test_suppliers_repeat_as_in_life(world) -> None:
    ids = supplier_ids(SCALE)
    per_supplier = Counter(_lines().values_list("supplier_id", flat=True))
    # Zipf over 300: rank 1 is drawn with probability ln 2 / ln 300 ≈ 12 %, ranks 1–10 with
    # ln 11 / ln 300 ≈ 42 %.
    assert 0.09 < per_supplier[ids[0]] / 3000 < 0.15
    assert 0.37 < sum(per_supplier[i] for i in ids[:10]) / 3000 < 0.47
    assert per_supplier[ids[0]] > 3 * per_supplier[ids[9]]


def test_stored_compliance_figures_are_current(world) -> None:
    agreement = (
        Agreement.objects.filter(number__startswith="N-", compliance_figures__isnull=False)
        .order_by("number")
        .first()
    )
    figure = ComplianceFigure.objects.filter(agreement=agreement).order_by("month").first()
    prefixes = [significant_prefix(c.code8) for c in agreement.categories.all()]
    by_hand = sum(
        (
            line.amount
            for line in SpendLine.objects.filter(
                member_id=figure.member_id,
                invoice_date__year=figure.month.year,
                invoice_date__month=figure.month.month,
                cpv__isnull=False,
            ).select_related("cpv")
            if any(line.cpv.code8.startswith(p) for p in prefixes)
        ),
        Decimal(0),
    )
    assert figure.category_spend == by_hand
    before = ComplianceFigure.objects.aggregate(Sum("category_spend"), Sum("supplier_spend"))
    compliance_recompute()
    assert (
        ComplianceFigure.objects.aggregate(Sum("category_spend"), Sum("supplier_spend")) == before
    )


def test_same_seed_same_content_and_a_second_run_adds_nothing(world) -> None:
    assert world["digest"]
    seed_large(SCALE, password="x", out=_quiet)
    assert counts() == world["counts"]
    _lines().delete()
    seed_large(SCALE, password="x", out=_quiet)
    assert digest() == world["digest"]
    _lines().delete()
    other = Scale.large(lines=3000, seed=8)
    seed_large(other, password="x", out=_quiet)
    assert digest() != world["digest"]


def test_the_command_refuses_a_negative_line_count() -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "large", "--lines", "-1", "--force")
