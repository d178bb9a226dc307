"""Demo data for the notices: the tenders each lot of a concluded demo tender received."""

from __future__ import annotations

from agreements.models import AgreementSupplier
from tenders.models import Lot, TenderStatus

from .models import ReceivedTenders


def seed() -> list[ReceivedTenders]:
    # The winning suppliers' address and size, as the award notice names them (invented).
    links = AgreementSupplier.objects.filter(
        agreement__tender__status=TenderStatus.CONCLUDED
    ).select_related("supplier")
    for number, link in enumerate(links.order_by("supplier__cvr"), start=1):
        supplier = link.supplier
        if not supplier.postcode:
            supplier.address = f"Industrivej {number}"
            supplier.postcode, supplier.city, supplier.nuts_code = "8000", "Aarhus C", "DK042"
            supplier.company_size = "large" if number % 2 else "medium"
            supplier.save()
    records = []
    for lot in Lot.objects.filter(tender__status=TenderStatus.CONCLUDED).order_by("pk"):
        record, _ = ReceivedTenders.objects.update_or_create(
            lot=lot, defaults={"tenders": 4, "sme": 2, "other_eea": 1, "non_eea": 0}
        )
        records.append(record)
    return records
