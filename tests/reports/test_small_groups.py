"""Per-agreement figures in reports follow the board's minimum group, as the agreement pages do:
an aggregate over one or two members is those members' own figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import override_settings
from django.utils import timezone

from agreements.models import Agreement, ComplianceFigure
from reports import figures
from reports.periods import parse_period

YEAR = parse_period("2026")


def _agreement(cast, number: str, title: str, members, climate: str = "") -> Agreement:
    agreement = Agreement.objects.create(
        number=number, title=title, start_date=datetime.date(2025, 1, 1),
        base_end_date=datetime.date(2099, 12, 31), end_date=datetime.date(2099, 12, 31),
        climate_requirements=climate,
    )  # fmt: skip
    agreement.members.set(members)
    for member in members:
        ComplianceFigure.objects.create(
            agreement=agreement, member=member, month=datetime.date(2026, 3, 1),
            category_spend=Decimal("1000.00"), supplier_spend=Decimal("700.00"),
            savings=Decimal("77.00"), computed_at=timezone.now(),
        )  # fmt: skip
    return agreement


def test_an_agreement_with_figures_from_too_few_members_is_named_not_shown(cast) -> None:
    _agreement(cast, "2026-501", "Kopipapir", [cast.odense, cast.aarhus], climate="FSC-papir")
    by_agreement = figures.compliance_by_agreement_table(YEAR)
    climate = figures.climate_table(YEAR)
    assert by_agreement.rows == [] and climate.rows == []
    assert climate.total["supplier"] == Decimal(0)  # the total is of the rows shown
    assert "2026-501 Kopipapir" in by_agreement.note and "2026-501 Kopipapir" in climate.note
    # A member's own scorecard still shows its own figures.
    own = figures.compliance_by_agreement_table(YEAR, member=cast.odense)
    assert [r["agreement"] for r in own.rows] == ["2026-501 Kopipapir"]

    with override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=2):
        by_agreement = figures.compliance_by_agreement_table(YEAR)
        climate = figures.climate_table(YEAR)
    assert [r["supplier"] for r in by_agreement.rows] == [Decimal("1400.00")]
    assert [r["supplier"] for r in climate.rows] == [Decimal("1400.00")]
    assert by_agreement.note == "" and climate.note == ""


def test_a_month_with_figures_from_too_few_members_is_left_blank(cast) -> None:
    _agreement(cast, "2026-502", "Rengøring", [cast.odense, cast.aarhus])
    blank = figures.compliance_by_month_table(YEAR)
    march = blank.rows[2]
    assert (march["compliance"], march["saved"]) == (None, None)
    assert march["month"] in blank.note
    # The member's own months are its own: shown to its users.
    own = figures.compliance_by_month_table(YEAR, member=cast.odense)
    assert own.rows[2]["saved"] == Decimal("77.00")
    with override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=2):
        shown = figures.compliance_by_month_table(YEAR)
    march = shown.rows[2]
    assert (march["compliance"], march["saved"]) == (Decimal("0.7"), Decimal("154.00"))
    assert shown.note == ""
