"""The insight figures against a hand computation (the world is in conftest.py; today 31.3.2026).

Volume kept (declared pro rata by days in force, bought = supplier spend on the agreement):
  A Odense 2025: declared 100.000 × 365/365 = 100.000,00; bought 40.000 + 25.000 = 65.000,00;
                 65 % < 70 % → low
  A Aarhus 2025: declared 200.000,00; bought 320.000,00; 160 % > 120 % → high
  A Odense 2026: declared 100.000 × 90/365 = 24.657,534… → 24.657,53 (1.1.–31.3., the year so
                 far); bought 20.000,00; 81,11 % → no flag
  A Aarhus 2026: declared 200.000 × 90/365 = 49.315,068… → 49.315,07; bought 0 → low
  B Odense 2025: 184 days (1.7.–31.12.), nothing declared (no tender), bought 0; 2026: 90 days
  C Odense 2025: 365 days, nothing declared, bought 700,00 (Maskiner ApS in division 30)
Framework A: 65.000 + 20.000 + 320.000 = 405.000 of 500.000 = 81 % → warning.
Off-contract, Odense 2025 (each line once, under the most specific covering agreement):
  A: Lokal Boghandel March 1.000,00 → 100,00; Nærbutikken April 2.000,00 → 200,00
  B: Lokal Boghandel August 333,33 × 0,15 = 49,9995 → 50,00
  C: Lokal Boghandel May 400,00 (B not yet in force) × 0,05 → 20,00
  total 3.733,33, missed savings 370,00; not: Maskiner ApS in 30192 (on C, which covers it), the
  line without a category, the line in division 45, Svendborg's line (bound by nothing).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from agreements.services import compliance_recompute
from consortium import tenancy
from insight import rules
from insight.models import OffContractFigure, VolumeKeptFigure
from insight.selectors import (
    framework_consumption,
    member_year_metrics,
    off_contract_by_agreement_supplier,
    off_contract_by_supplier,
    volume_kept,
)
from insight.services import off_contract_lines, recompute, settings_save

from .conftest import TODAY, D, line

pytestmark = pytest.mark.django_db


def stored_volume(w):
    names = {w.a.pk: "A", w.b.pk: "B", w.c.pk: "C"}
    members = {w.cast.odense.pk: "odense", w.cast.aarhus.pk: "aarhus"}
    return {
        (names[f.agreement_id], members[f.member_id], f.year): (
            str(f.declared_annual),
            f.days_in_force,
            f.days_in_year,
            str(f.declared),
            str(f.spend),
        )
        for f in VolumeKeptFigure.objects.all()
    }


def stored_off(w):
    names = {w.a.pk: "A", w.b.pk: "B", w.c.pk: "C"}
    return sorted(
        (names[f.agreement_id], f.supplier.name if f.supplier else None, f.year, str(f.amount),
         str(f.missed_savings), f.lines)
        for f in OffContractFigure.objects.select_related("supplier")
    )  # fmt: skip


HAND_VOLUME = {
    ("A", "odense", 2025): ("100000.00", 365, 365, "100000.00", "65000.00"),
    ("A", "aarhus", 2025): ("200000.00", 365, 365, "200000.00", "320000.00"),
    ("A", "odense", 2026): ("100000.00", 90, 365, "24657.53", "20000.00"),
    ("A", "aarhus", 2026): ("200000.00", 90, 365, "49315.07", "0.00"),
    ("B", "odense", 2025): ("0.00", 184, 365, "0.00", "0.00"),
    ("B", "odense", 2026): ("0.00", 90, 365, "0.00", "0.00"),
    ("C", "odense", 2025): ("0.00", 365, 365, "0.00", "700.00"),
}

HAND_OFF = sorted(
    [
        ("A", "Lokal Boghandel ApS", 2025, "1000.00", "100.00", 1),
        ("A", "Nærbutikken A/S", 2025, "2000.00", "200.00", 1),
        ("B", "Lokal Boghandel ApS", 2025, "333.33", "50.00", 1),
        ("C", "Lokal Boghandel ApS", 2025, "400.00", "20.00", 1),
    ]
)


def test_stored_figures_match_the_hand_computation(computed) -> None:
    assert stored_volume(computed) == HAND_VOLUME
    assert stored_off(computed) == HAND_OFF


def test_volume_kept_ratio_and_flags(computed) -> None:
    w = computed
    rows = {(r["agreement"], r["member"], 2025): r for r in volume_kept(2025)}
    odense = rows[("2025-101", "Odense", 2025)]
    assert odense["ratio"] == Decimal("0.65")
    assert odense["flag"] == rules.Flag.LOW
    assert rows[("2025-101", "Aarhus", 2025)]["flag"] == rules.Flag.HIGH
    assert rows[("2025-103", "Odense", 2025)]["ratio"] is None
    this_year = {r["member"]: r for r in volume_kept(2026, agreement_id=w.a.pk)}
    assert this_year["Odense"]["flag"] == rules.Flag.NONE
    assert round(this_year["Odense"]["ratio"], 4) == Decimal("0.8111")
    assert this_year["Aarhus"]["flag"] == rules.Flag.LOW
    # The secretariat moves the thresholds: 65 % is no longer low, 160 % still high.
    settings_save(low_threshold=Decimal("0.60"), high_margin=Decimal("0.50"))
    rows = {r["member"]: r for r in volume_kept(2025, agreement_id=w.a.pk)}
    assert (rows["Odense"]["flag"], rows["Aarhus"]["flag"]) == (rules.Flag.NONE, rules.Flag.HIGH)


def test_framework_at_81_percent_of_its_maximum_warns(computed) -> None:
    rows = {r["agreement"]: r for r in framework_consumption()}
    a = rows["2025-101"]
    assert (a["maximum"], a["source"], a["consumed"]) == (
        Decimal("500000.00"),
        "entered",
        Decimal("405000.00"),
    )
    assert a["share"] == Decimal("0.81")
    assert a["level"] == rules.Level.WARNING
    assert rows["2025-102"]["level"] is None and rows["2025-102"]["maximum"] is None
    assert rows["2025-103"]["consumed"] == Decimal("700.00")


@pytest.mark.parametrize(
    ("consumed", "level"),
    [
        ("79999.99", rules.Level.OK),  # 79,99 %
        ("80000.00", rules.Level.WARNING),  # 80 %
        ("100000.00", rules.Level.REACHED),  # 100 %: nothing more may be bought
        ("100010.00", rules.Level.EXCEEDED),  # 100,01 %
    ],
)
def test_framework_maximum_edges(consumed, level) -> None:
    assert rules.consumption_level(Decimal(consumed), Decimal("100000.00")) == level


def test_no_maximum_no_level() -> None:
    assert rules.consumption_level(Decimal("5"), None) is None


def test_off_contract_by_agreement_and_supplier_with_missed_savings(computed) -> None:
    w = computed
    rows = off_contract_by_agreement_supplier(2025, member_id=w.cast.odense.pk)
    assert [(r["agreement"], r["supplier"], r["amount"], r["missed"]) for r in rows] == [
        ("2025-101", "Nærbutikken A/S", Decimal("2000.00"), Decimal("200.00")),
        ("2025-101", "Lokal Boghandel ApS", Decimal("1000.00"), Decimal("100.00")),
        ("2025-102", "Lokal Boghandel ApS", Decimal("333.33"), Decimal("50.00")),
        ("2025-103", "Lokal Boghandel ApS", Decimal("400.00"), Decimal("20.00")),
    ]
    top = off_contract_by_supplier(2025, member_id=w.cast.odense.pk, limit=10)
    assert [(r["supplier"], r["amount"], r["missed"]) for r in top] == [
        ("Nærbutikken A/S", Decimal("2000.00"), Decimal("200.00")),
        ("Lokal Boghandel ApS", Decimal("1733.33"), Decimal("170.00")),
    ]
    assert off_contract_by_supplier(2025, member_id=w.svendborg.pk) == []


def test_member_year_metrics_for_the_peer_comparison(computed) -> None:
    w = computed
    with tenancy.acting_as(tenancy.SYSTEM):
        metrics = member_year_metrics(2025)
    odense = metrics[w.cast.odense.pk]
    assert odense["volume_kept_ratio"] == Decimal("0.65")
    assert odense["off_contract_dkk"] == Decimal("3733.33")
    assert odense["missed_savings_dkk"] == Decimal("370.00")
    # off-contract ÷ (off-contract + bought on agreements) = 3.733,33 ÷ (3.733,33 + 65.700)
    assert odense["off_contract_share"] == Decimal("3733.33") / Decimal("69433.33")
    assert metrics[w.cast.aarhus.pk]["volume_kept_ratio"] == Decimal("1.6")
    assert metrics[w.cast.aarhus.pk]["off_contract_dkk"] == Decimal("0.00")


def test_drill_down_to_the_invoice_lines_paged(computed) -> None:
    w = computed
    lines = off_contract_lines(member_id=w.cast.odense.pk, agreement_id=w.a.pk, year=2025)
    assert [(x.invoice_date, x.supplier, x.amount) for x in lines] == [
        (D(2025, 4, 1), "Nærbutikken A/S", Decimal("2000.00")),
        (D(2025, 3, 10), "Lokal Boghandel ApS", Decimal("1000.00")),
    ]
    page2 = off_contract_lines(member_id=w.cast.odense.pk, agreement_id=w.a.pk, limit=1, offset=1)
    assert [x.amount for x in page2] == [Decimal("1000.00")]
    by_supplier = off_contract_lines(member_id=w.cast.odense.pk, supplier_id=w.s["s4"].pk)
    assert sorted(x.amount for x in by_supplier) == [
        Decimal("333.33"), Decimal("400.00"), Decimal("1000.00")
    ]  # fmt: skip
    # The lines add up to the stored figures.
    assert sum(x.amount for x in off_contract_lines(member_id=w.cast.odense.pk)) == Decimal(
        "3733.33"
    )


def test_recompute_is_idempotent_and_incremental_equals_full(computed) -> None:
    w = computed
    before = (stored_volume(w), stored_off(w))
    recompute(today=TODAY)
    assert (stored_volume(w), stored_off(w)) == before
    line(w.cast.odense, w.s["s5"], "30192000-1", D(2025, 9, 1), "500.00")
    line(w.cast.odense, w.s["s1"], "30192000-1", D(2025, 9, 2), "5000.00")
    compliance_recompute(member_id=w.cast.odense.pk, start=D(2025, 9, 1), end=D(2025, 9, 2))
    recompute([w.cast.odense.pk], [2025], today=TODAY)
    incremental = (stored_volume(w), stored_off(w))
    assert incremental[0][("A", "odense", 2025)][4] == "70000.00"
    assert ("A", "Nærbutikken A/S", 2025, "2500.00", "250.00", 2) in incremental[1]
    recompute(today=TODAY)
    assert (stored_volume(w), stored_off(w)) == incremental
    # The other member's and the other year's figures were left alone by the incremental run.
    assert incremental[0][("A", "aarhus", 2025)] == before[0][("A", "aarhus", 2025)]


def test_a_pooled_estimate_is_the_maximum_when_none_is_entered(computed) -> None:
    from django.utils import timezone

    from tenders.models import PoolingRun

    w = computed
    w.a.framework_maximum.delete()
    PoolingRun.objects.create(
        tender=w.a.tender, computed_at=timezone.now(), annual_total=Decimal("300000"),
        estimated_value=Decimal("1200000"),
        result={"lots": [{"id": w.a.lot_id, "estimated_value": "600000.00"}]},
    )  # fmt: skip
    a = next(r for r in framework_consumption([w.a.pk]) if r["agreement"] == "2025-101")
    assert (a["maximum"], a["source"], a["level"]) == (
        Decimal("600000.00"),
        "pooled",
        rules.Level.OK,
    )


def test_entered_declarations_for_an_agreement_without_a_tender(computed) -> None:
    """C came about without a joint tender: the secretariat enters Odense's declaration of
    1.000 kr.; it bought 700 kr. on C in 2025: 70 %, just at the threshold (not below it)."""
    from insight.services import declarations_set

    w = computed
    declarations_set(agreement=w.c, volumes={w.cast.odense.pk: Decimal("1000.00")})
    recompute(today=TODAY)
    row = next(r for r in volume_kept(2025, agreement_id=w.c.pk))
    assert (row["declared"], row["spend"], row["ratio"], row["flag"]) == (
        Decimal("1000.00"), Decimal("700.00"), Decimal("0.7"), rules.Flag.NONE,
    )  # fmt: skip
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        declarations_set(agreement=w.a, volumes={w.cast.odense.pk: Decimal("1")})


def test_more_than_ten_suppliers_fold_into_one_row_with_exact_totals(computed) -> None:
    from .conftest import supplier

    w = computed
    for n in range(12):
        line(w.cast.odense, supplier(100 + n, f"Leverandør {n:02d}"), "30192000-1",
             D(2025, 10, 1), f"{100 + n}.00")  # fmt: skip
    recompute([w.cast.odense.pk], [2025], today=TODAY)
    rows = [r for r in off_contract_by_agreement_supplier(2025, member_id=w.cast.odense.pk)
            if r["agreement"] == "2025-101"]  # fmt: skip
    named = [r for r in rows if r["supplier_id"]]
    rest = [r for r in rows if r["supplier_id"] is None]
    assert len(named) == 10 and len(rest) == 1
    # A's suppliers: Nærbutikken 2.000, Lokal Boghandel 1.000, then 111 … 104; 103 … 100 are
    # the rest: 4 suppliers, 406,00 kr., missed 10 % of each rounded: 40,60.
    assert (rest[0]["suppliers"], rest[0]["amount"], rest[0]["missed"]) == (
        4, Decimal("406.00"), Decimal("40.60"),
    )  # fmt: skip
    total = sum(r["amount"] for r in rows)
    assert total == Decimal("3000.00") + sum(Decimal(100 + n) for n in range(12))
    others = off_contract_lines(
        member_id=w.cast.odense.pk, agreement_id=w.a.pk, year=2025,
        exclude_suppliers=[r["supplier_id"] for r in named],
    )  # fmt: skip
    assert sorted(x.amount for x in others) == [Decimal(f"{100 + n}.00") for n in range(4)]


def test_the_demo_declares_from_spend_so_members_differ(computed) -> None:
    """insight.demo: for an agreement without a joint tender, a declaration in whole thousands
    from last year's spend at the member's share (Odense, first by name on C: 65 %)."""
    from insight import demo
    from insight.models import EnteredDeclaration

    w = computed
    demo.seed(today=D(2026, 3, 31))
    # C: Odense bought 700,00 in 2025 → 700 ÷ 0,65 = 1.076,92 → 1.000 (whole thousands).
    entered = {
        (e.agreement_id, e.member_id): e.annual_volume for e in EnteredDeclaration.objects.all()
    }
    assert entered == {(w.c.pk, w.cast.odense.pk): Decimal("1000.00")}
    row = next(r for r in volume_kept(2025, agreement_id=w.c.pk))
    assert row["ratio"] == Decimal("0.7")
