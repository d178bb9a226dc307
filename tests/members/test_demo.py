from __future__ import annotations

from decimal import Decimal

from django.core.management import call_command

from members.models import Commitment, Contact, Fee, FeeModel, Member


def test_demo_has_commitments_contacts_and_a_2026_fee_model(db, settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    assert Commitment.objects.filter(start_year=2026, end_year=2029).count() == 14
    assert Commitment.objects.count() == 28  # the 2022–2025 period is kept as history
    assert Contact.objects.count() == 14 * 3
    fee_model = FeeModel.objects.get(year=2026)
    fees = Fee.objects.filter(fee_model=fee_model)
    assert fees.count() == Member.objects.active().count() == 14
    assert sum(f.amount for f in fees) == fee_model.budget == Decimal("9850000.00")
    assert fees.filter(at_minimum=True).exists()
