"""A tender's agreements as OCDS 1.1 awards and contracts, for the release the builder writes.

One agreement is one award and one contract: the award names the suppliers (parties with `DK-CVR`
identifiers, role `supplier`) and is valued over the longest the agreement may run (base term
plus every option); the contract is the agreement as it stands (base term plus the options used)
with its status in the contractStatus codelist. What an agreement publishes is what its contract
notice and award notice publish anyway: never compliance figures, spend, suppliers' contact
persons or the agreement's documents.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, QuerySet

from agreements.models import Agreement
from agreements.status import AgreementStatus
from consortium.formatting import round_half_up

from .dates import ocds_datetime

if TYPE_CHECKING:
    from tenders.models import Tender

CURRENCY = "DKK"


@dataclass
class AwardsPart:
    """What a tender's agreements add to its release: awards, contracts, supplier parties."""

    awards: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    parties: list[dict[str, Any]] = field(default_factory=list)


# contractStatus codelist (closed). An agreement that has run out or was ended early was in force
# and has come to a close: "terminated" covers both; "cancelled" is only for one never signed.
CONTRACT_STATUS: dict[str, str] = {
    AgreementStatus.UPCOMING: "pending",
    AgreementStatus.ACTIVE: "active",
    AgreementStatus.EXPIRING: "active",
    AgreementStatus.EXPIRED: "terminated",
    AgreementStatus.TERMINATED: "terminated",
}


def years_between(start: datetime.date, last_day: datetime.date) -> Decimal:
    """The length of start … last_day (inclusive) in years, to the month: 2 + 1 + 1 years is 4."""
    delta = relativedelta(last_day + datetime.timedelta(days=1), start)
    return Decimal(delta.years * 12 + delta.months) / 12


def max_extent(agreement: Agreement) -> datetime.date:
    """The last day the agreement may run if every option is used."""
    months = sum(option.months for option in agreement.options.all())
    return agreement.base_end_date + relativedelta(months=months)


def value(annual: Decimal, years: Decimal) -> dict[str, Any]:
    return {"amount": float(round_half_up(annual * years, 2) or 0), "currency": CURRENCY}


def supplier_party(supplier: Any) -> dict[str, Any]:
    return {
        "id": f"DK-CVR-{supplier.cvr}",
        "name": supplier.name,
        "identifier": {"scheme": "DK-CVR", "id": supplier.cvr, "legalName": supplier.name},
        "roles": ["supplier"],
    }


def agreement_award(agreement: Agreement, parties: list[dict[str, Any]]) -> dict[str, Any]:
    last = max_extent(agreement)
    award: dict[str, Any] = {
        "id": agreement.number,
        "title": agreement.title,
        "status": "active",
        "suppliers": [{"id": p["id"], "name": p["name"]} for p in parties],
        "contractPeriod": {
            "startDate": ocds_datetime(agreement.start_date),
            "endDate": ocds_datetime(agreement.base_end_date, end_of_day=True),
            "maxExtentDate": ocds_datetime(last, end_of_day=True),
            "durationInDays": (last - agreement.start_date).days + 1,
        },
    }
    if agreement.expected_annual_value:
        award["value"] = value(
            agreement.expected_annual_value, years_between(agreement.start_date, last)
        )
    if agreement.description:
        award["description"] = agreement.description
    return award


def last_day(agreement: Agreement) -> datetime.date:
    """The last day the agreement is (or was) in force: its current end, or the day before it
    was terminated (from `terminated_on` on it is no longer in force, as `status.py` says)."""
    end = agreement.end_date
    if agreement.terminated_on is not None and agreement.terminated_on <= end:
        end = agreement.terminated_on - datetime.timedelta(days=1)
    return end


def agreement_contract(agreement: Agreement) -> dict[str, Any]:
    end = last_day(agreement)
    contract: dict[str, Any] = {
        "id": agreement.number,
        "awardID": agreement.number,
        "title": agreement.title,
        "status": CONTRACT_STATUS[agreement.status],
        "period": {
            "startDate": ocds_datetime(agreement.start_date),
            "endDate": (
                ocds_datetime(end, end_of_day=True)
                if end >= agreement.start_date
                else ocds_datetime(agreement.start_date)  # ended before it began: never ran
            ),
            "durationInDays": max((end - agreement.start_date).days + 1, 0),
        },
    }
    if agreement.expected_annual_value and end >= agreement.start_date:
        contract["value"] = value(
            agreement.expected_annual_value, years_between(agreement.start_date, end)
        )
    return contract


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.prefetch_related("supplier_links__supplier", "options").order_by(
        "number"
    )


def ocds_agreements_prefetch() -> Prefetch:
    """Load the agreements of many tenders at once (`tender.ocds_agreements`)."""
    return Prefetch("agreements", queryset=_agreements(), to_attr="ocds_agreements")


def ocds_awards_for(tender: Tender) -> AwardsPart:
    """The awards, contracts and supplier parties of a tender's agreements."""
    part = AwardsPart()
    agreements = getattr(tender, "ocds_agreements", None)
    if agreements is None:
        agreements = _agreements().filter(tender=tender)
    seen: set[str] = set()
    for agreement in agreements:
        parties = [supplier_party(link.supplier) for link in agreement.supplier_links.all()]
        part.awards.append(agreement_award(agreement, parties))
        part.contracts.append(agreement_contract(agreement))
        for party in parties:
            if party["id"] not in seen:
                seen.add(party["id"])
                part.parties.append(party)
    return part
