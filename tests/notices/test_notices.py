"""Notices of a joint tender: buyers, framework, award; a removed value gives a Danish error
naming the portal's field; changing the tender marks a notice outdated; the pages, the download
and the job follow the validation result."""

from __future__ import annotations

from django.utils import timezone
from lxml import etree

from agreements.models import Agreement, AgreementSupplier
from jobs.models import Job
from members.models import Municipality
from notices.builder import NS
from notices.models import Notice, NoticeKind, ReceivedTenders
from notices.selectors import is_outdated
from notices.services import notice_generate
from spend.models import Supplier
from tenders.models import Tender, TenderStatus
from tests.conftest import client_for


def _xml(notice: Notice) -> etree._Element:
    return etree.fromstring(notice.xml.encode())


def test_joint_contract_notice_names_every_buyer_and_the_framework(joint_tender, cast) -> None:
    tender = joint_tender
    notice = notice_generate(tender=tender, kind=NoticeKind.CONTRACT, user=cast.staff)
    root = _xml(notice)
    buyers = root.findall("cac:ContractingParty", NS)
    assert len(buyers) >= 2
    assert {
        b.findtext("cac:ContractingPartyType/cbc:PartyTypeCode", namespaces=NS) for b in buyers
    } == {"la"}
    leads = root.findall(".//efac:Organization/efbc:GroupLeadIndicator", NS)
    assert sorted(x.text for x in leads).count("true") == 1
    assert root.find(".//efbc:AwardingCPBIndicator", NS).text == "true"
    cvrs = root.xpath(".//efac:Company/cac:PartyLegalEntity/cbc:CompanyID/text()", namespaces=NS)
    assert set(
        Municipality.objects.filter(
            member__participations__tender=tender, member__participations__answer="participate"
        ).values_list("cvr", flat=True)
    ) <= set(cvrs)
    nuts = root.xpath(
        ".//efac:Company/cac:PostalAddress/cbc:CountrySubentityCode/text()", namespaces=NS
    )
    assert all(code.startswith("DK0") for code in nuts)
    assert (
        root.findtext(
            ".//cbc:ContractingSystemTypeCode[@listName='framework-agreement']", namespaces=NS
        )
        == "fa-wo-rc"
    )
    assert (
        root.findtext(".//cac:FrameworkAgreement/cbc:MaximumOperatorQuantity", namespaces=NS) == "1"
    )
    first_lot = root.find("cac:ProcurementProjectLot", NS)
    weights = first_lot.xpath(".//efbc:ParameterNumeric/text()", namespaces=NS)
    assert sum(float(w) for w in weights) == 100  # fmt: skip


def test_award_notice_names_the_suppliers_with_cvr(joint_tender, cast) -> None:
    tender = joint_tender
    Tender.objects.filter(pk=tender.pk).update(
        status=TenderStatus.CONCLUDED, status_changed_at=timezone.now(), awarded_at=timezone.now()
    )
    tender.refresh_from_db()
    cvrs = ["10000009", "10000017"]
    for number, lot in enumerate(tender.lots.order_by("number"), start=1):
        agreement = Agreement.objects.create(
            number=f"RA-77-{number}", title=lot.title, tender=tender, lot=lot,
            start_date=timezone.localdate(), base_end_date=timezone.localdate().replace(year=2030),
            end_date=timezone.localdate().replace(year=2030), expected_annual_value=150000,
        )  # fmt: skip
        supplier = Supplier.objects.create(
            cvr=cvrs[number - 1], name=f"Leverandør {number} A/S", address="Vej 1",
            postcode="8000", city="Aarhus C", nuts_code="DK042", company_size="large",
        )  # fmt: skip
        AgreementSupplier.objects.create(agreement=agreement, supplier=supplier, rank=1)
        ReceivedTenders.objects.create(lot=lot, tenders=3, sme=1)
    notice = notice_generate(tender=tender, kind=NoticeKind.AWARD, user=cast.staff)
    assert notice.is_valid, notice.validation
    found = set(_xml(notice).xpath(".//cac:PartyLegalEntity/cbc:CompanyID/text()", namespaces=NS))
    assert set(cvrs) <= found


def test_removed_legal_type_is_a_danish_error_naming_the_portal_field(joint_tender, cast) -> None:
    tender = joint_tender
    municipality = Municipality.objects.filter(member__participations__tender=tender).first()
    Municipality.objects.filter(pk=municipality.pk).update(legal_type="")
    notice = notice_generate(tender=tender, kind=NoticeKind.CONTRACT, user=cast.staff)
    assert notice.error_count == 1
    client = client_for(cast.staff)
    page = client.get(f"/tenders/{tender.reference}/notices/{notice.pk}/")
    text = page.content.decode()
    assert "Køberens retlige status (BT-11-Procedure-Buyer) mangler eller er forkert for" in text
    assert f"{municipality.name} Kommune" in text
    assert "Feltet Ordregiverens retlige form rettes under kommunens stamdata" in text
    assert f"/members/municipalities/{municipality.code}/edit/" in text
    assert "cac:" not in text and "/cn:" not in text
    assert client.get(f"/tenders/{tender.reference}/notices/{notice.pk}/xml/").status_code == 403


def test_removed_deadline_is_a_danish_error_naming_the_timeline(joint_tender, cast) -> None:
    tender = joint_tender
    tender.milestones.filter(kind="bid_deadline").delete()
    notice = notice_generate(tender=tender, kind=NoticeKind.CONTRACT, user=cast.staff)
    page = (
        client_for(cast.staff)
        .get(f"/tenders/{tender.reference}/notices/{notice.pk}/")
        .content.decode()
    )
    assert "Frist for modtagelse af tilbud" in page
    assert "Feltet Tilbudsfrist rettes under udbuddets tidsplan" in page


def test_valid_notice_downloads_as_final_xml(joint_tender, cast) -> None:
    tender = joint_tender
    notice = notice_generate(tender=tender, kind=NoticeKind.CONTRACT, user=cast.staff)
    response = client_for(cast.staff).get(f"/tenders/{tender.reference}/notices/{notice.pk}/xml/")
    assert response.status_code == 200
    assert response["X-Content-SHA256"] == notice.sha256
    assert response.content == notice.xml.encode()
    assert f'filename="{tender.reference}_eforms-16_v1.xml"' in response["Content-Disposition"]


def test_changing_the_tender_marks_the_notice_outdated(joint_tender, cast) -> None:
    tender = joint_tender
    notice = notice_generate(tender=tender, kind=NoticeKind.CONTRACT, user=cast.staff)
    assert not is_outdated(notice)
    Tender.objects.filter(pk=tender.pk).update(title="Rengøringsmidler og papir")
    assert is_outdated(Notice.objects.get(pk=notice.pk))
    again = notice_generate(
        tender=Tender.objects.get(pk=tender.pk), kind=NoticeKind.CONTRACT, user=cast.staff
    )
    assert again.version == 2
    assert not is_outdated(again)


def test_generate_page_starts_a_job_with_progress(
    joint_tender, cast, django_capture_on_commit_callbacks
) -> None:
    tender = joint_tender
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.staff).post(
            f"/tenders/{tender.reference}/notices/new/", {"kind": "pin"}
        )
    assert response.status_code == 302
    notice = Notice.objects.get(tender=tender, kind="pin")
    job = Job.objects.get(kind="notices.generate")
    assert response["Location"] == job.get_absolute_url()
    assert job.state == "succeeded", job.error
    assert job.progress == 100
    assert job.result["notice_id"] == notice.pk
