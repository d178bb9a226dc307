"""The OCDS release package: valid against the OCDS 1.1.5 schema and codelists, stable ocids,
and nothing tenant-private in it."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from accounts.models import Organisation
from agreements.models import Agreement, AgreementSupplier, ComplianceFigure, ExtensionOption
from agreements.services import agreement_terminate
from api.ocds import builder
from api.ocds.validation import codelist_errors, schema_errors
from members.models import Member
from spend.models import SpendLine
from tenders.models import Participation, ProcedureType, Tender, TenderStatus, VolumeDeclaration
from tests.conftest import build_cast, flush_deferred_checks, rolled_back

from .conftest import DECLINE_REASON, ApiWorld, build_api_world, json_leaves, make_tender
from .test_areas import make_areas

URL = "/api/v1/ocds/releases.json"


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ApiWorld]:
    """The demo data plus tenders in every status and procedure, as the tender feature makes them.

    Built once for the module (seeding takes seconds); each test runs in a savepoint of its own.
    """
    with rolled_back(django_db_blocker):
        api_world = build_api_world(build_cast())
        call_command("seed_demo", password="demo-password-for-tests", force=True)
        secretariat = Organisation.objects.get(kind=Organisation.Kind.SECRETARIAT)
        holstebro = Member.objects.get(organisation__slug="holstebro-lemvig")
        procedures = list(ProcedureType)
        for index, status in enumerate(TenderStatus):
            lead = holstebro.organisation if index % 3 == 0 else secretariat
            tender = make_tender(
                f"2098-{index + 1:03d}",
                lead=lead,
                status=status,
                deadline_days=-5 if index > 3 else 5,
                procedure_type=procedures[index % len(procedures)],
                description="Fælles indkøb for medlemmerne.",
            )
            participation = Participation.objects.create(
                tender=tender, member=holstebro, answer=Participation.Answer.PARTICIPATE
            )
            VolumeDeclaration.objects.create(
                participation=participation,
                lot=tender.lots.first(),
                annual_volume=Decimal("123456.78"),
            )
        # The demo agreements (active, expiring, expired, upcoming, with and without options) as the
        # awards of the awarded and concluded tenders; plus one terminated early.
        awarded = list(
            Tender.objects.filter(
                reference__startswith="2098-",
                status__in=[TenderStatus.AWARDED, TenderStatus.CONCLUDED],
            ).order_by("reference")
        )
        agreements = list(Agreement.objects.order_by("number"))
        assert agreements, "the demo data has agreements"
        for index, agreement in enumerate(agreements):
            Agreement.objects.filter(pk=agreement.pk).update(tender=awarded[index % len(awarded)])
        first = agreements[0]
        Agreement.objects.filter(pk=first.pk).update(
            terminated_on=first.start_date, termination_reason="Leverandøren gik konkurs (internt)"
        )
        api_world.areas = make_areas(api_world.cast)
        flush_deferred_checks()
        yield api_world


@pytest.fixture
def demo(demo_world: ApiWorld, db: None) -> ApiWorld:
    return demo_world


def _package(**params: str) -> dict:
    response = Client().get(URL, params)
    assert response.status_code == 200
    return response.json()


def test_demo_package_is_valid_ocds(demo) -> None:
    package = _package()
    assert package["releases"], "the demo data publishes tenders"
    assert any(r.get("awards") for r in package["releases"])
    assert schema_errors(package) == []
    assert codelist_errors(package) == []


def test_validation_catches_bad_packages(demo) -> None:
    package = _package()
    package["releases"][0]["tender"]["status"] = "open"
    package["releases"][0]["tender"]["procurementMethod"] = "auction"
    del package["releases"][0]["initiationType"]
    assert any("initiationType" in e for e in schema_errors(package))
    errors = codelist_errors(package)
    assert any("tenderStatus" in e for e in errors)
    assert any("method" in e for e in errors)


def test_releases_carry_parties_cpv_and_dkk(demo, settings) -> None:
    settings.OCDS_PUBLISHER_CVR = "29189757"
    releases = {r["tender"]["id"]: r for r in _package()["releases"]}
    published = releases["2099-090"]
    assert published["ocid"] == f"{settings.OCDS_OCID_PREFIX}-2099-090"
    assert published["tag"] == ["tender"]
    assert published["tender"]["status"] == "active"
    assert published["tender"]["items"][0]["classification"] == {
        "scheme": "CPV",
        "id": "30192000",
        "description": published["tender"]["items"][0]["classification"]["description"],
    }
    # The pooled estimate over the whole term (2 + 1 + 1 years), never one member's figure.
    assert published["tender"]["value"] == {"amount": 1_400_000.0, "currency": "DKK"}
    buyers = [p for p in published["parties"] if "buyer" in p["roles"]]
    assert {p["identifier"]["scheme"] for p in buyers} == {"DK-CVR"}
    # The secretariat, a central purchasing body, runs it; the municipalities buy.
    assert published["tender"]["procuringEntity"]["id"] == "DK-CVR-29189757"
    assert "DK-CVR-29189757" not in {p["id"] for p in buyers}
    # A member-led tender names each of the member's municipalities (each its own authority).
    holstebro_led = releases["2098-004"]
    assert len([p for p in holstebro_led["parties"] if "procuringEntity" in p["roles"]]) == 2


def test_ocids_are_stable_and_prefixed(demo, settings) -> None:
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    first = {r["ocid"]: r["id"] for r in _package()["releases"]}
    second = {r["ocid"]: r["id"] for r in _package()["releases"]}
    assert first == second
    assert all(ocid.startswith("ocds-abc123-") for ocid in first)


_leaves = json_leaves


def _amounts(package: dict) -> dict[str, Decimal]:
    """Every money amount in the package, by path."""
    return {
        path: Decimal(str(value))
        for path, value in _leaves(package)
        if path.endswith("/amount") and isinstance(value, int | float)
    }


def _strings(package: dict) -> list[str]:
    return [value for _path, value in _leaves(package) if isinstance(value, str)]


def test_private_data_never_published(demo) -> None:
    package = _package()
    assert not [text for text in _strings(package) if DECLINE_REASON in text]
    # Vejle declined 2099-090: not a buyer there (it takes part in demo tenders of its own).
    declined_in = next(r for r in package["releases"] if r["tender"]["id"] == "2099-090")
    assert not [p for p in declined_in["parties"] if "Vejle" in p["name"]]
    # No amount is one member's declared volume or spend (api_world's Odense and Aarhus).
    private = set(
        VolumeDeclaration.objects.filter(lot__tender__reference__startswith="2099-").values_list(
            "annual_volume", flat=True
        )
    ) | set(SpendLine.objects.filter(supplier=demo.supplier).values_list("amount", flat=True))
    assert {Decimal("100000"), Decimal("77777.77")} <= private
    leaked = {path: amount for path, amount in _amounts(package).items() if amount in private}
    assert leaked == {}
    # Drafts (planned, needs analysis) and the open tender's participants stay private.
    refs = {r["tender"]["id"] for r in _package()["releases"]}
    assert "2099-120" not in refs
    assert not Tender.objects.filter(
        reference__in=refs, status__in=[TenderStatus.PLANNED, TenderStatus.NEEDS_ANALYSIS]
    ).exists()
    collecting = next(r for r in _package()["releases"] if r["tender"]["id"] == "2099-101")
    assert [p["roles"] for p in collecting["parties"]] == [["procuringEntity"]]
    assert "value" not in collecting["tender"]


def test_package_filters_by_date(demo) -> None:
    _age(Tender.objects.get(reference="2099-090"), "2020-01-01T12:00:00Z")
    old = Client().get(URL, {"until": "2021-01-01T00:00:00Z"}).json()["releases"]
    assert [r["tender"]["id"] for r in old] == ["2099-090"]
    new = Client().get(URL, {"since": "2021-01-01"}).json()["releases"]
    assert "2099-090" not in {r["tender"]["id"] for r in new}
    assert Client().get(URL, {"since": "yesterday"}).status_code == 422


def _release(ocid_ref: str, **params: str) -> dict | None:
    releases = {r["tender"]["id"]: r for r in _package(**params)["releases"]}
    return releases.get(ocid_ref)


def test_a_change_to_an_agreement_makes_a_new_release(demo) -> None:
    old = "2020-01-01T12:00:00Z"
    Tender.objects.filter(reference="2099-301").update(updated_at=old)
    agreements = Agreement.objects.filter(tender__reference="2099-301")
    agreements.update(updated_at=old)
    AgreementSupplier.objects.filter(agreement__in=agreements).update(updated_at=old)
    ExtensionOption.objects.filter(agreement__in=agreements).update(updated_at=old)
    before = _release("2099-301")
    assert before["date"] == old
    assert _release("2099-301", since="2021-01-01") is None
    assert _release("2099-301", until="2021-01-01") is not None

    agreement_terminate(
        agreement=agreements.get(number="API-2099-1"),
        terminated_on=datetime.date.today(),
        reason="Leverandøren ophørte",
    )

    after = _release("2099-301", since="2021-01-01")
    assert after is not None, "a change to the tender's agreement is found by `since`"
    assert after["date"] > before["date"] and after["id"] != before["id"]
    assert after["ocid"] == before["ocid"]
    assert _release("2099-301", until="2021-01-01") is None


def _age(tender: Tender, when: str) -> None:
    """Date everything a release of `tender` is made of back to `when`."""
    Tender.objects.filter(pk=tender.pk).update(updated_at=when)
    agreements = Agreement.objects.filter(tender=tender)
    agreements.update(updated_at=when)
    AgreementSupplier.objects.filter(agreement__in=agreements).update(updated_at=when)
    ExtensionOption.objects.filter(agreement__in=agreements).update(updated_at=when)
    Participation.objects.filter(tender=tender).update(updated_at=when)
    VolumeDeclaration.objects.filter(lot__tender=tender).update(updated_at=when)


def test_a_changed_answer_after_publication_makes_a_new_release(demo) -> None:
    """From publication on, the participating authorities and the pooled estimate are in the
    release, so a secretariat change to an answer or a declaration dates a new release."""
    tender = Tender.objects.get(reference__startswith="2098-", status=TenderStatus.PUBLISHED)
    _age(tender, "2020-01-01T12:00:00Z")
    assert _release(tender.reference, since="2021-01-01") is None
    declaration = VolumeDeclaration.objects.get(lot__tender=tender)
    declaration.annual_volume += 1
    declaration.save()  # e.g. the secretariat corrected it after the deadline, with a reason
    assert _release(tender.reference, since="2021-01-01") is not None


def test_awards_and_contracts_come_from_agreements(demo) -> None:
    assert builder.awards_for(demo.closed_tender) == builder.AwardsPart()  # no agreement yet
    package = _package()
    releases = {r["tender"]["id"]: r for r in package["releases"]}
    release = releases["2099-301"]
    assert release["tag"] == ["tender", "award", "contract"]
    awards = {a["id"]: a for a in release["awards"]}
    contracts = {c["id"]: c for c in release["contracts"]}
    assert set(awards) == set(contracts) == {"API-2099-1", "API-2099-2"}
    current = awards["API-2099-1"]
    # Three years' base term (start of last year to end of next) and two one-year options: the
    # award is worth five years at 1 234 000 a year; the contract as it stands three.
    assert current["value"] == {"amount": 6_170_000.0, "currency": "DKK"}
    assert contracts["API-2099-1"]["value"] == {"amount": 3_702_000.0, "currency": "DKK"}
    assert contracts["API-2099-1"]["status"] == "active"
    assert contracts["API-2099-2"]["status"] == "terminated"  # ran out in 2021
    assert contracts["API-2099-1"]["awardID"] == "API-2099-1"
    assert [s["name"] for s in current["suppliers"]] == ["Kontorhuset A/S", "Papirlageret ApS"]
    suppliers = [p for p in release["parties"] if "supplier" in p["roles"]]
    assert len(suppliers) == 2
    for party in suppliers:
        assert party["roles"] == ["supplier"]
        assert party["identifier"]["scheme"] == "DK-CVR"
        assert party["id"] == f"DK-CVR-{party['identifier']['id']}"
    # Every demo agreement is published somewhere, and the whole package is still valid OCDS.
    published = {a["id"] for r in package["releases"] for a in r.get("awards", [])}
    assert set(Agreement.objects.values_list("number", flat=True)) <= published
    statuses = {c["status"] for r in package["releases"] for c in r.get("contracts", [])}
    assert {"active", "terminated"} <= statuses
    assert schema_errors(package) == [] and codelist_errors(package) == []


def test_agreement_private_data_never_published(demo) -> None:
    package = _package()
    strings = _strings(package)
    # Termination reasons and suppliers' contact persons.
    reasons = set(Agreement.objects.exclude(termination_reason="").values_list(
        "termination_reason", flat=True))  # fmt: skip
    assert reasons, "the demo has a terminated agreement"
    contacts = set()
    for row in AgreementSupplier.objects.values("contact_name", "contact_email", "contact_phone"):
        contacts |= {value for value in row.values() if value}
    assert not [text for text in strings if text in reasons | contacts]
    assert not [text for text in strings if "@" in text]
    # Compliance figures (members' spend and savings), one by one or summed per agreement.
    figures = ComplianceFigure.objects.all()
    assert figures.exists()
    private = set()
    for field in ("category_spend", "supplier_spend", "savings"):
        private |= set(figures.values_list(field, flat=True))
        private |= {row["total"] for row in figures.values("agreement").annotate(total=Sum(field))}
        private.add(figures.aggregate(total=Sum(field))["total"])
    leaked = {path: amount for path, amount in _amounts(package).items() if amount in private}
    assert leaked == {}
    assert not [path for path, _value in _leaves(package) if "compliance" in path.lower()]


def test_export_ocds_command_writes_a_valid_package(demo, tmp_path) -> None:
    out = tmp_path / "releases.json"
    call_command("export_ocds", out=str(out), validate=True)
    package = json.loads(out.read_text(encoding="utf-8"))
    assert package["uri"].endswith(URL)
    assert len(package["releases"]) == len(_package()["releases"])
