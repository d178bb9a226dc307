"""Compliance and savings against a hand computation, in Python and in the stored SQL figures.

By hand (see the lines in conftest.hand_world):

Kontorartikler (A), savings rate 1 − 92/100 = 0,08
  Odense 2025-03: category 1000 + 500 + 250 = 1750,00; suppliers 1000 + 250 = 1250,00;
                  compliance 1250/1750 = 71,43 %; savings 1250 × 0,08 = 100,00
  Odense 2025-04: category −200 + 1200 + 800 = 1800,00; suppliers −200 + 1200 = 1000,00;
                  compliance 55,56 %; savings 80,00
  Aarhus 2025-03: category 400,00; suppliers 400,00; compliance 100 %; savings 32,00
PC'er (B), savings rate 1 − 85/100 = 0,15
  Odense 2025-07: category 2000 + 1000 + 333,33 = 3333,33; suppliers 2000 + 333,33 = 2333,33;
                  savings 2333,33 × 0,15 = 349,9995 → 350,00
Nothing else: Svendborg is not bound, Aarhus is not bound to B, lines before the start, lines
without category from other suppliers.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from agreements.compliance import (
    AgreementTerms,
    Figure,
    Line,
    compute_compliance,
    realised_savings,
    savings_rate,
)
from agreements.models import ComplianceFigure
from agreements.services import agreement_terminate, compliance_recompute
from cpv.models import CpvCode
from spend.models import SpendLine

from .conftest import D, line

pytestmark = pytest.mark.django_db


def hand_figures(w) -> dict[tuple[int, int, datetime.date], tuple[str, str, str]]:
    o, r = w.cast.odense.pk, w.cast.aarhus.pk
    return {
        (w.a.pk, o, D(2025, 3, 1)): ("1750.00", "1250.00", "100.00"),
        (w.a.pk, o, D(2025, 4, 1)): ("1800.00", "1000.00", "80.00"),
        (w.a.pk, r, D(2025, 3, 1)): ("400.00", "400.00", "32.00"),
        (w.b.pk, o, D(2025, 7, 1)): ("3333.33", "2333.33", "350.00"),
    }


def stored(**filters) -> dict[tuple[int, int, datetime.date], tuple[str, str, str]]:
    return {
        (f.agreement_id, f.member_id, f.month): (
            str(f.category_spend),
            str(f.supplier_spend),
            str(f.savings),
        )
        for f in ComplianceFigure.objects.filter(**filters)
    }


def terms_of(agreement) -> AgreementTerms:
    agreement.refresh_from_db()
    return AgreementTerms(
        agreement_id=agreement.pk,
        start=agreement.start_date,
        end=agreement.end_date,
        members=frozenset(agreement.members.values_list("pk", flat=True)),
        category_prefixes=frozenset(c.prefix for c in agreement.categories.all()),
        suppliers=frozenset(agreement.suppliers.values_list("pk", flat=True)),
        savings_rate=agreement.savings_rate,
    )


def test_pure_computation_matches_the_hand_computation(hand_world) -> None:
    lines = [
        Line(x.member_id, x.supplier_id, x.cpv.code8 if x.cpv else None, x.invoice_date, x.amount)
        for x in SpendLine.objects.select_related("cpv")
    ]  # fmt: skip
    figures = compute_compliance(lines, [terms_of(hand_world.a), terms_of(hand_world.b)])
    got = {
        key: (str(f.category_spend), str(f.supplier_spend), str(f.savings))
        for key, f in figures.items()
    }
    assert got == hand_figures(hand_world)
    march = figures[(hand_world.a.pk, hand_world.cast.odense.pk, D(2025, 3, 1))]
    assert round(march.compliance, 4) == Decimal("0.7143")


def test_full_recompute_stores_the_hand_computation(hand_world) -> None:
    written = compliance_recompute()
    assert written == 4
    assert stored() == hand_figures(hand_world)
    figure = ComplianceFigure.objects.get(agreement=hand_world.a, member=hand_world.cast.aarhus)
    assert figure.compliance == 1


def test_recompute_twice_changes_nothing(hand_world) -> None:
    compliance_recompute()
    compliance_recompute()
    assert stored() == hand_figures(hand_world)


def test_incremental_recompute_touches_only_the_imported_months(hand_world) -> None:
    compliance_recompute()
    march_before = ComplianceFigure.objects.get(
        agreement=hand_world.a, member=hand_world.cast.odense, month=D(2025, 3, 1)
    ).computed_at
    # An import adds an April line for Odense (with the A supplier ranked 1).
    line(hand_world.cast.odense, hand_world.s["s1"], "30192000-1", D(2025, 4, 20), "100.00")
    written = compliance_recompute(
        member_id=hand_world.cast.odense.pk, start=D(2025, 4, 20), end=D(2025, 4, 20)
    )
    assert written == 1
    expected = hand_figures(hand_world)
    expected[(hand_world.a.pk, hand_world.cast.odense.pk, D(2025, 4, 1))] = (
        "1900.00", "1100.00", "88.00",
    )  # fmt: skip
    assert stored() == expected
    march_after = ComplianceFigure.objects.get(
        agreement=hand_world.a, member=hand_world.cast.odense, month=D(2025, 3, 1)
    ).computed_at
    assert march_after == march_before
    compliance_recompute()
    assert stored() == expected


def test_incremental_recompute_removes_figures_of_deleted_lines(hand_world) -> None:
    compliance_recompute()
    SpendLine.objects.filter(member=hand_world.cast.aarhus).delete()
    compliance_recompute(
        member_id=hand_world.cast.aarhus.pk, start=D(2025, 3, 1), end=D(2025, 7, 31)
    )
    assert (hand_world.a.pk, hand_world.cast.aarhus.pk, D(2025, 3, 1)) not in stored()


def test_termination_stops_counting_from_the_termination_day(hand_world) -> None:
    agreement_terminate(agreement=hand_world.a, terminated_on=D(2025, 4, 3), reason="Konkurs")
    compliance_recompute()
    april = stored()[(hand_world.a.pk, hand_world.cast.odense.pk, D(2025, 4, 1))]
    assert april == ("-200.00", "-200.00", "-16.00")  # only 2 April is before the termination


def test_savings_helpers() -> None:
    assert savings_rate(Decimal("100"), Decimal("92")) == Decimal("0.08")
    assert realised_savings(Decimal("2333.33"), Decimal("0.15")) == Decimal("350.00")
    assert realised_savings(Decimal("-0.05"), Decimal("0.1")) == Decimal("-0.01")
    assert Figure().compliance is None


def test_recomputing_one_agreement_reads_only_its_categories_and_suppliers(hand_world) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        compliance_recompute(agreement_id=hand_world.a.pk)
    insert = next(q["sql"] for q in queries if "INSERT INTO" in q["sql"])
    prefixes = insert.split("scope_codes AS")[0]
    assert f"ac.agreement_id = {hand_world.a.pk}" in prefixes.replace("::bigint", "")
    no_category_branch = insert.split("UNION ALL")[1].split("sums AS")[0]
    assert f"s.agreement_id = {hand_world.a.pk}" in no_category_branch.replace("::bigint", "")
    assert stored() == {
        k: v for k, v in hand_figures(hand_world).items() if k[0] == hand_world.a.pk
    }


def _in_thread(target, *args, **kwargs):
    """Run `target` in a thread with its own database connection; return (thread, outcome).

    The thread acts as the test does (a new thread starts with no acting context)."""
    import contextvars
    import threading

    from django.db import connection

    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = target(*args, **kwargs)
        except Exception as exc:  # handed to the test thread
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=contextvars.copy_context().run, args=(run,))
    thread.start()
    return thread, outcome


def _held_recompute(started, release, **scope) -> int:
    """A recompute whose transaction stays open until `release` is set."""
    from django.db import transaction

    with transaction.atomic():
        written = compliance_recompute(**scope)
        started.set()
        assert release.wait(20)
    return written


def _member_locks() -> list[int]:
    """The members whose recompute lock is held in this database now."""
    from django.db import connection

    from agreements.services import COMPLIANCE_LOCK

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s"
            " AND granted AND database = (SELECT oid FROM pg_database"
            " WHERE datname = current_database())",
            [COMPLIANCE_LOCK],
        )
        return sorted(row[0] for row in cursor.fetchall())


# One test for both (a transactional test costs a database flush and reload).
@pytest.mark.django_db(transaction=True)
def test_concurrent_recomputes_wait_for_the_member_lock_and_do_not_collide(
    transactional_db, hand_world
) -> None:
    import threading
    import time

    compliance_recompute()
    odense = hand_world.cast.odense.pk
    started, release = threading.Event(), threading.Event()
    # An import's recompute for Odense is still open when the nightly full recompute starts.
    first, first_outcome = _in_thread(
        _held_recompute, started, release, member_id=odense, start=D(2025, 3, 1),
        end=D(2025, 7, 31),
    )  # fmt: skip
    try:
        assert started.wait(20)
        assert _member_locks() == [odense]
        second, second_outcome = _in_thread(compliance_recompute)
        time.sleep(1)
        assert second.is_alive(), "the full recompute did not wait for the member's lock"
    finally:
        release.set()
        first.join(20)
    second.join(20)
    assert "error" not in first_outcome, first_outcome
    assert "error" not in second_outcome, second_outcome
    assert second_outcome["result"] == 4
    assert stored() == hand_figures(hand_world)


def test_division_category_covers_its_own_division_only(cast) -> None:
    """An agreement on division 30 (office machinery) must not count spend in division 33."""
    from agreements.models import Agreement
    from agreements.services import agreement_create

    from .conftest import supplier

    office = supplier(11, "Kontorudstyr A/S")
    agreement = agreement_create(
        number="2025-030",
        title="Kontormaskiner",
        start_date=D(2025, 1, 1),
        base_end_date=D(2026, 12, 31),
        members=[cast.odense],
        categories=[CpvCode.objects.get(code="30000000-9")],
        suppliers=[(office, None)],
        allocation=Agreement.Allocation.RANKING,
        baseline_price_level=Decimal("100"),
        agreement_price_level=Decimal("90"),
    )
    line(cast.odense, office, "30192000-1", D(2025, 3, 1), "100.00")
    line(cast.odense, office, "33140000-3", D(2025, 3, 2), "900.00")  # medical consumables
    compliance_recompute()
    figure = ComplianceFigure.objects.get(agreement=agreement, member=cast.odense)
    assert figure.category_spend == Decimal("100.00")
