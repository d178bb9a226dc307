"""Tenders as OCDS 1.1 releases, and the release package that publishes them.

Only what a contracting authority publishes anyway goes in: the tender, its lots and timeline,
the authorities taking part once the tender is published, and the pooled (summed) estimate once
the participation deadline has passed. Never a member's spend, a reason for declining, a pending
answer, a single member's declaration, or a tender still in internal planning (a draft).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import DateTimeField, Max, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Greatest
from django.utils import timezone, translation

from agreements.models import Agreement, AgreementSupplier, ExtensionOption
from api.ocds.awards import AwardsPart, ocds_agreements_prefetch, ocds_awards_for
from api.ocds.dates import ocds_datetime
from consortium.formatting import round_half_up
from members.models import Member
from tenders.models import Participation, ProcedureType, Tender, TenderStatus, VolumeDeclaration

OCDS_VERSION = "1.1"
CURRENCY = "DKK"

# Planned and needs-analysis tenders are internal drafts: not published.
PUBLISHED_STATUSES = (
    TenderStatus.VOLUME_COLLECTION,
    TenderStatus.PREPARATION,
    TenderStatus.PUBLISHED,
    TenderStatus.EVALUATION,
    TenderStatus.AWARDED,
    TenderStatus.CONCLUDED,
    TenderStatus.CANCELLED,
)
# From publication on, the participating authorities and the pooled estimate are public: the
# contract notice names them.
NOTICE_STATUSES = (
    TenderStatus.PUBLISHED,
    TenderStatus.EVALUATION,
    TenderStatus.AWARDED,
    TenderStatus.CONCLUDED,
)

# tenderStatus codelist (closed).
TENDER_STATUS: dict[str, str] = {
    TenderStatus.VOLUME_COLLECTION: "planning",
    TenderStatus.PREPARATION: "planning",
    TenderStatus.PUBLISHED: "active",
    TenderStatus.EVALUATION: "active",
    TenderStatus.AWARDED: "complete",
    TenderStatus.CONCLUDED: "complete",
    TenderStatus.CANCELLED: "cancelled",
}

# method codelist (closed); the Danish name of the procedure goes in procurementMethodDetails.
PROCUREMENT_METHOD: dict[str, str] = {
    ProcedureType.OPEN: "open",
    ProcedureType.RESTRICTED: "selective",
    ProcedureType.NEGOTIATED: "selective",
    ProcedureType.DIALOGUE: "selective",
    # Call-offs compete among the suppliers already admitted to the framework or system.
    ProcedureType.MINI_COMPETITION: "selective",
    ProcedureType.DPS: "selective",
    ProcedureType.BELOW_THRESHOLD: "open",
}

# procurementCategory codelist (closed), from the main CPV code's kind.
CATEGORY = {"supplies": "goods", "services": "services", "works": "works"}


def awards_for(tender: Tender) -> AwardsPart:
    """Awards and contracts of a tender, from its agreements: `awards.py` turns each agreement
    (suppliers, period, value) into one of each."""
    return ocds_awards_for(tender)


def ocid(tender: Tender) -> str:
    """A stable ocid: the registered prefix and the tender's reference, which never changes."""
    return f"{settings.OCDS_OCID_PREFIX}-{tender.reference}"


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": float(round_half_up(amount, 2) or 0), "currency": CURRENCY}


def publisher_party() -> dict[str, Any]:
    """The consortium's secretariat, a central purchasing body (udbudsloven § 105): it runs the
    procurement for the municipalities, which buy and pay. So it is the procuring entity and
    never a buyer."""
    party: dict[str, Any] = {
        "id": "12by-secretariat",
        "name": settings.OCDS_PUBLISHER_NAME,
        "roles": ["procuringEntity"],
    }
    if settings.OCDS_PUBLISHER_CVR:
        cvr = settings.OCDS_PUBLISHER_CVR
        party["id"] = f"DK-CVR-{cvr}"
        party["identifier"] = {"scheme": "DK-CVR", "id": cvr, "legalName": party["name"]}
    return party


def _municipality_parties(member: Member, roles: list[str]) -> list[dict[str, Any]]:
    parties = []
    for municipality in member.municipalities.all():
        if municipality.cvr:
            party = {
                "id": f"DK-CVR-{municipality.cvr}",
                "name": f"{municipality.name} Kommune",
                "identifier": {
                    "scheme": "DK-CVR",
                    "id": municipality.cvr,
                    "legalName": f"{municipality.name} Kommune",
                },
            }
        else:
            party = {"id": f"12by-municipality-{municipality.code}", "name": municipality.name}
        party["roles"] = list(roles)
        if municipality.address:
            party["address"] = {"streetAddress": municipality.address, "countryName": "Danmark"}
        parties.append(party)
    return parties


class _Parties:
    """Parties of one release, merged by id (one authority may be lead and buyer)."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}

    def add(self, party: dict[str, Any]) -> dict[str, Any]:
        existing = self.by_id.get(party["id"])
        if existing is None:
            self.by_id[party["id"]] = party
            return party
        existing["roles"] = list(dict.fromkeys(existing["roles"] + party["roles"]))
        return existing

    def reference(self, party: dict[str, Any]) -> dict[str, str]:
        return {"id": party["id"], "name": party["name"]}

    def all(self) -> list[dict[str, Any]]:
        return list(self.by_id.values())


def _classification(cpv: Any) -> dict[str, Any]:
    return {"scheme": "CPV", "id": cpv.code8, "description": cpv.label_da}


def _items(tender: Tender) -> list[dict[str, Any]]:
    items = []
    for lot in tender.lots.all():
        lines = list(lot.line_items.all())
        if not lines:
            item: dict[str, Any] = {
                "id": f"lot-{lot.number}",
                "description": f"Delaftale {lot.number}: {lot.title}",
            }
            if tender.main_cpv:
                item["classification"] = _classification(tender.main_cpv)
            items.append(item)
        for line in lines:
            item = {
                "id": f"lot-{lot.number}-line-{line.number}",
                "description": f"Delaftale {lot.number}: {line.description}",
                "unit": {"name": line.unit},
            }
            if line.quantity is not None:
                item["quantity"] = float(line.quantity)
            if tender.main_cpv:
                item["classification"] = _classification(tender.main_cpv)
            items.append(item)
    return items


def _pooled_declarations() -> QuerySet[VolumeDeclaration]:
    return VolumeDeclaration.objects.filter(participation__answer=Participation.Answer.PARTICIPATE)


def pooled_annual_volume(tender: Tender) -> Decimal | None:
    """The sum of the participating members' declared annual volumes (never one member's)."""
    return (
        _pooled_declarations()
        .filter(lot__tender=tender)
        .aggregate(total=Sum("annual_volume"))["total"]
    )


def _participants(tender: Tender) -> list[Member]:
    """The members taking part, by name (`published_tenders` has them loaded)."""
    loaded = getattr(tender, "ocds_participations", None)
    if loaded is not None:
        return [participation.member for participation in loaded]
    return list(
        Member.objects.filter(
            participations__tender=tender,
            participations__answer=Participation.Answer.PARTICIPATE,
        )
        .prefetch_related("municipalities")
        .order_by("organisation__name")
    )


def _last_change(rows: QuerySet[Any], tender_path: str) -> Subquery:
    """The latest `updated_at` among `rows` that belong to the outer query's tender."""
    return Subquery(
        rows.filter(**{tender_path: OuterRef("pk")})
        .order_by()
        .values(tender_path)
        .annotate(last=Max("updated_at"))
        .values("last")[:1],
        output_field=DateTimeField(),
    )


def with_release_date(tenders: QuerySet[Tender]) -> QuerySet[Tender]:
    """Annotate `release_at`: when the tender's release last changed.

    A release holds the tender and its agreements (the awards and contracts), so it changes when
    either does: the tender, one of its agreements, an agreement's suppliers or its options; and,
    from publication on, the participating authorities and the pooled estimate (answers and
    declarations, which the secretariat may still change).
    PostgreSQL's GREATEST skips NULLs, so a tender without agreements has its own date.
    """
    return tenders.annotate(
        release_at=Greatest(
            "updated_at",
            _last_change(Agreement.objects.all(), "tender"),
            _last_change(AgreementSupplier.objects.all(), "agreement__tender"),
            _last_change(ExtensionOption.objects.all(), "agreement__tender"),
            _last_change(Participation.objects.all(), "tender"),
            _last_change(VolumeDeclaration.objects.all(), "lot__tender"),
            output_field=DateTimeField(),
        )
    )


def release_date(tender: Tender) -> datetime.datetime:
    """When the tender's release last changed (`with_release_date`'s annotation, else read)."""
    annotated = getattr(tender, "release_at", None)
    if annotated is not None:
        return annotated
    return (
        with_release_date(Tender.objects.filter(pk=tender.pk))
        .values_list("release_at", flat=True)
        .get()
    )


def release_for(tender: Tender) -> dict[str, Any]:
    """The current state of one tender as an OCDS release."""
    with translation.override("da"):
        procedure_label = str(ProcedureType(tender.procedure_type).label)
    parties = _Parties()
    # A member that runs a tender itself buys too: its municipalities are the procuring entity
    # and buyers. A tender run by the secretariat has the secretariat as procuring entity.
    lead_member = getattr(tender.lead_organisation, "member", None)
    lead_parties = (
        _municipality_parties(lead_member, ["procuringEntity", "buyer"]) if lead_member else []
    )
    lead = parties.add(lead_parties[0] if lead_parties else publisher_party())
    for extra in lead_parties[1:]:
        parties.add(extra)

    status = tender.status
    public_notice = status in NOTICE_STATUSES
    if public_notice:
        # The participating municipalities are the buyers: the contract notice names them.
        for participant in _participants(tender):
            for party in _municipality_parties(participant, ["buyer"]):
                parties.add(party)

    tender_block: dict[str, Any] = {
        "id": tender.reference,
        "title": tender.title,
        "status": TENDER_STATUS[status],
        "procuringEntity": parties.reference(lead),
        "procurementMethod": PROCUREMENT_METHOD[tender.procedure_type],
        "procurementMethodDetails": procedure_label,
        "items": _items(tender),
    }
    if tender.description:
        tender_block["description"] = tender.description
    if tender.main_cpv:
        tender_block["mainProcurementCategory"] = CATEGORY[tender.main_cpv.kind]
    if tender.bid_deadline:
        tender_block["tenderPeriod"] = {"endDate": ocds_datetime(tender.bid_deadline)}
    if tender.expected_start:
        # The term runs up to the day before the same date `term_years` later (1 January 2027
        # for two years: to 31 December 2028, the end of that day).
        day = datetime.timedelta(days=1)
        base_last = _add_years(tender.expected_start, tender.term_years) - day
        max_last = _add_years(tender.expected_start, tender.total_years) - day
        tender_block["contractPeriod"] = {
            "startDate": ocds_datetime(tender.expected_start),
            "endDate": ocds_datetime(base_last, end_of_day=True),
            "maxExtentDate": ocds_datetime(max_last, end_of_day=True),
            "durationInDays": (max_last - tender.expected_start).days + 1,
        }
    if public_notice:
        if hasattr(tender, "pooled_volume"):  # annotated by `published_tenders`
            annual = tender.pooled_volume
        else:
            annual = pooled_annual_volume(tender)
        if annual:
            # The estimate over the whole term including options, as a contract notice states it.
            tender_block["value"] = _value(annual * tender.total_years)
    if not tender_block["items"]:
        del tender_block["items"]

    tags = ["planning"] if TENDER_STATUS[status] == "planning" else ["tender"]
    if status == TenderStatus.CANCELLED:
        tags = ["tenderCancellation"]
    awards = awards_for(tender)
    if awards.awards:
        tags.append("award")
    if awards.contracts:
        tags.append("contract")
    for party in awards.parties:
        parties.add(party)

    # A new date, and so a new release id, whenever the tender or one of its agreements changes.
    changed = release_date(tender)
    release: dict[str, Any] = {
        "ocid": ocid(tender),
        "id": f"{ocid(tender)}-{changed.astimezone(datetime.UTC):%Y%m%dT%H%M%S%fZ}",
        "date": ocds_datetime(changed),
        "tag": tags,
        "initiationType": "tender",
        "language": "da",
        "parties": parties.all(),
        "tender": tender_block,
    }
    # `buyer` names one organisation. A joint tender has several, each a party with the role
    # "buyer"; naming one of them here would say that it alone pays, so it is left out then.
    buyers = [p for p in parties.all() if "buyer" in p["roles"]]
    if len(buyers) == 1:
        release["buyer"] = parties.reference(buyers[0])
    if tender.volume_deadline:
        met = tender.volume_deadline <= timezone.now()
        release["planning"] = {
            "milestones": [
                {
                    "id": "participation-deadline",
                    "title": "Frist for tilslutning og volumenangivelse",
                    "type": "preProcurement",
                    "dueDate": ocds_datetime(tender.volume_deadline),
                    "status": "met" if met else "scheduled",
                }
            ]
        }
    if awards.awards:
        release["awards"] = awards.awards
    if awards.contracts:
        release["contracts"] = awards.contracts
    return release


def published_tenders(
    since: datetime.datetime | None = None, until: datetime.datetime | None = None
) -> QuerySet[Tender]:
    """Published tenders, with their release date, whose release is dated in [since, until)."""
    # Everything a release reads is loaded here, a fixed number of queries for any number of
    # tenders: the lead member's municipalities, the participants, the pooled estimate and the
    # agreements with their suppliers and options.
    participations = (
        Participation.objects.filter(answer=Participation.Answer.PARTICIPATE)
        .select_related("member__organisation")
        .prefetch_related("member__municipalities")
        .order_by("member__organisation__name")
    )
    pooled = Subquery(
        _pooled_declarations()
        .filter(lot__tender=OuterRef("pk"))
        .order_by()
        .values("lot__tender")
        .annotate(total=Sum("annual_volume"))
        .values("total")[:1]
    )
    tenders = with_release_date(
        Tender.objects.filter(status__in=PUBLISHED_STATUSES)
        .select_related("lead_organisation__member", "main_cpv")
        .prefetch_related(
            "lots__line_items",
            "lead_organisation__member__municipalities",
            Prefetch("participations", queryset=participations, to_attr="ocds_participations"),
            ocds_agreements_prefetch(),
        )
        .annotate(pooled_volume=pooled)
        .order_by("reference")
    )
    if since:
        tenders = tenders.filter(release_at__gte=since)
    if until:
        tenders = tenders.filter(release_at__lt=until)
    return tenders


def release_package(tenders: Iterable[Tender], *, uri: str) -> dict[str, Any]:
    """A release package (OCDS 1.1) with one release per tender: its current state."""
    publisher: dict[str, Any] = {"name": settings.OCDS_PUBLISHER_NAME}
    if settings.OCDS_PUBLISHER_CVR:
        publisher.update(scheme="DK-CVR", uid=settings.OCDS_PUBLISHER_CVR)
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": ocds_datetime(timezone.now()),
        "publisher": publisher,
        "releases": [release_for(tender) for tender in tenders],
    }
    if settings.OCDS_LICENSE:
        package["license"] = settings.OCDS_LICENSE
    return package
