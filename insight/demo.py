"""Demo data for the insight figures, made on the demo's own agreements and spend (no new
tenders): declared volumes entered for the agreements registered without a joint tender, chosen
from each member's actual spend so that the members differ visibly — the first keeps about 65 % of
its declaration, the second overshoots it by about 45 %, the others keep 85–105 % —, and a
maximum for the office supplies agreement that its spend has used to about 93 %. Then the
figures are computed."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from agreements.models import Agreement, ComplianceFigure

from .models import EnteredDeclaration, FrameworkMaximum
from .services import recompute

# Share of its declaration each member (in name order) bought; repeated for more members.
KEPT = (
    Decimal("0.65"),
    Decimal("1.45"),
    Decimal("0.92"),
    Decimal("1.05"),
    Decimal("0.85"),
    Decimal("0.98"),
)
NEAR_MAXIMUM = ("2023-004", Decimal("0.93"))
THOUSAND = Decimal("1000")


def seed(today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    year = today.year - 1  # the last whole year: every demo member has spend in all of it
    for agreement in Agreement.objects.filter(tender__isnull=True).order_by("number"):
        spend = dict(
            ComplianceFigure.objects.filter(agreement=agreement, month__year=year)
            .values_list("member_id")
            .annotate(total=Sum("supplier_spend"))
            .values_list("member_id", "total")
        )
        members = agreement.members.order_by("organisation__name")
        for index, member in enumerate(members):
            bought = spend.get(member.pk)
            if not bought or bought <= 0:
                continue
            # Declared annual volume in whole thousands, as members declare.
            declared = (bought / KEPT[index % len(KEPT)] / THOUSAND).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            ) * THOUSAND
            EnteredDeclaration.objects.update_or_create(
                agreement=agreement, member=member, defaults={"annual_volume": declared}
            )
    number, share = NEAR_MAXIMUM
    agreement = Agreement.objects.filter(number=number).first()
    if agreement is not None:
        consumed = ComplianceFigure.objects.filter(agreement=agreement).aggregate(
            total=Sum("supplier_spend")
        )["total"]
        if consumed and consumed > 0:
            FrameworkMaximum.objects.update_or_create(
                agreement=agreement,
                defaults={
                    "maximum_value": (consumed / share / THOUSAND).quantize(
                        Decimal(1), rounding=ROUND_HALF_UP
                    )
                    * THOUSAND,
                    "note": "Demo: udbudsbekendtgørelsens maksimale værdi",
                },
            )
    return recompute(today=today)
