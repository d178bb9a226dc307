"""The secretariat registers and edits agreements in the portal: every edit through a service,
audited, and a change that moves compliance figures starts a recompute job for the agreement."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import (
    Agreement,
    AgreementMember,
    AgreementSupplier,
    ExtensionOption,
)
from agreements.selectors import renewal_item, successor_candidates
from agreements.services import (
    SupplierEntry,
    agreement_create,
    agreement_set_successor,
    agreement_suppliers_set,
    agreement_terminate,
    agreement_update,
    agreement_use_option,
)
from cpv.models import CpvCode
from jobs.models import Job
from knowledge.models import Article
from spend.models import Supplier
from tenders.models import ProcedureType, Tender, TenderStatus
from tests.conftest import client_for
from tests.factories import valid_cvr

from .conftest import D, supplier

pytestmark = pytest.mark.django_db

RECOMPUTE = "agreements.compliance_recompute"


def recompute_jobs(agreement: Agreement) -> int:
    return Job.objects.filter(task_name=RECOMPUTE, task_kwargs__agreement_id=agreement.pk).count()


def tender(cast, reference: str, status: str = TenderStatus.PREPARATION, cpv: str = "30192000-1"):
    return Tender.objects.create(
        reference=reference, title=f"Udbud {reference}", procedure_type=ProcedureType.OPEN,
        status=status, lead_organisation=cast.secretariat, main_cpv_id=cpv,
    )  # fmt: skip


@pytest.fixture
def office(cast) -> Agreement:
    return agreement_create(
        number="2025-050",
        title="Kontorartikler",
        start_date=D(2025, 1, 1),
        base_end_date=D(2026, 12, 31),
        members=[cast.odense],
        categories=[CpvCode.objects.get(code="30192000-1")],
        option_months=[12, 12],
        user=cast.staff,
    )


def form_data(cast, **overrides) -> dict:
    data = {
        "number": "2026-099",
        "title": "Arbejdstøj",
        "description": "Rammeaftale om arbejdstøj til institutionerne.",
        "kind": Agreement.Kind.FRAMEWORK,
        "allocation": Agreement.Allocation.RANKING,
        "tender": "",
        "lot": "",
        "start_date": "2026-02-01",
        "base_end_date": "2028-01-31",
        "option_months": "12, 12",
        "members": [cast.odense.pk, cast.aarhus.pk],
        "categories": "18100000-0, 18110000-3",
        "expected_annual_value": "1.250.000,00",
        "baseline_price_level": "100",
        "agreement_price_level": "92,5",
        "climate_requirements": "Svanemærket eller tilsvarende.",
        "successor_tender": "",
    }
    data.update(overrides)
    return data


# --- registering and editing -------------------------------------------------------------------


def test_secretariat_registers_an_agreement_without_a_tender(cast) -> None:
    response = client_for(cast.staff).post(reverse("agreements:create"), form_data(cast))
    agreement = Agreement.objects.get(number="2026-099")
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:suppliers", args=[agreement.pk])
    assert agreement.tender is None and agreement.title == "Arbejdstøj"
    assert agreement.expected_annual_value == Decimal("1250000.00")
    assert agreement.agreement_price_level == Decimal("92.5")
    assert agreement.expected_savings_percent == Decimal("7.5")
    assert agreement.end_date == agreement.base_end_date == D(2028, 1, 31)
    assert [o.months for o in agreement.options.all()] == [12, 12]
    assert sorted(m.name for m in agreement.members.all()) == ["Aarhus", "Odense"]
    assert sorted(c.code for c in agreement.categories.all()) == ["18100000-0", "18110000-3"]
    assert agreement.has_climate_requirements


def test_registration_form_answers_in_danish(cast) -> None:
    response = client_for(cast.staff).post(
        reverse("agreements:create"),
        form_data(
            cast, base_end_date="2025-01-01", categories="99999999-9", agreement_price_level="0",
            option_months="et år",
        ),
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "Aftalen skal udløbe efter, at den starter." in html
    assert "99999999-9 er ikke en CPV-kode." in html
    assert "Prisniveauet skal være større end 0." in html
    assert "Skriv optionernes længde i hele måneder adskilt af komma, fx 12, 12." in html
    assert not Agreement.objects.exists()


def test_an_agreement_number_is_used_once(cast, office) -> None:
    response = client_for(cast.staff).post(
        reverse("agreements:create"), form_data(cast, number=office.number)
    )
    assert response.status_code == 400
    assert "Der findes allerede en aftale med dette nummer." in response.content.decode()


def test_edit_form_saves_and_audits_who_changed_what(cast, office) -> None:
    article = Article.objects.create(
        title="Analyse: forbrug af kontorartikler", kind="analysis", status="published",
        organisation=cast.secretariat, review_date=D(2027, 1, 1),
    )  # fmt: skip
    url = reverse("agreements:edit", args=[office.pk])
    page = client_for(cast.staff).get(url)
    assert page.status_code == 200 and "2025-050" in page.content.decode()
    response = client_for(cast.staff).post(
        url,
        form_data(
            cast, number="2025-050", title="Kontorartikler og papir", start_date="2025-01-01",
            base_end_date="2026-12-31", members=[cast.odense.pk, cast.aarhus.pk],
            categories="30192000-1 30199000-0", related_articles=[article.pk],
        ),
    )  # fmt: skip
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.title == "Kontorartikler og papir"
    assert list(office.related_articles.all()) == [article]
    assert sorted(m.name for m in office.members.all()) == ["Aarhus", "Odense"]
    # The trail says who: the agreement row and the new member link both carry the user.
    events = office.events.filter(pgh_label="update")
    assert events.exists() and events.last().pgh_context.metadata["user"] == cast.staff.pk
    link = AgreementMember.objects.get(agreement=office, member=cast.aarhus)
    added = link.events.get(pgh_label="insert")
    assert added.pgh_context.metadata["user"] == cast.staff.pk
    detail = client_for(cast.viewer).get(office.get_absolute_url()).content.decode()
    assert "Analyse: forbrug af kontorartikler" in detail


def test_only_changes_that_move_the_figures_start_a_recompute(cast, office) -> None:
    before = recompute_jobs(office)
    agreement_update(agreement=office, user=cast.staff, fields={"title": "Nyt navn"})
    assert recompute_jobs(office) == before
    agreement_update(
        agreement=office, user=cast.staff, fields={"agreement_price_level": Decimal("90")}
    )
    assert recompute_jobs(office) == before + 1
    agreement_update(
        agreement=office, user=cast.staff, categories=[CpvCode.objects.get(code="30199000-0")]
    )
    assert recompute_jobs(office) == before + 2
    agreement_update(agreement=office, user=cast.staff, members=[cast.odense, cast.aarhus])
    assert recompute_jobs(office) == before + 3
    job = Job.objects.filter(task_name=RECOMPUTE).latest("created_at")
    assert job.organisation == cast.secretariat and job.started_by == cast.staff


def test_the_end_follows_the_base_term_and_the_options_used(cast, office) -> None:
    first = office.options.get(sequence=1)
    office = agreement_use_option(agreement=office, option=first, user=cast.staff)
    assert office.end_date == D(2027, 12, 31)
    office = agreement_update(
        agreement=office, user=cast.staff, fields={"base_end_date": D(2027, 6, 30)},
        option_months=[12, 24],
    )  # fmt: skip
    assert office.end_date == D(2028, 6, 30)
    assert [(o.months, o.is_used) for o in office.options.all()] == [(12, True), (24, False)]
    with pytest.raises(ValidationError):
        agreement_update(agreement=office, user=cast.staff, option_months=[6, 24])
    with pytest.raises(ValidationError):
        agreement_update(agreement=office, user=cast.staff, option_months=[])


def test_a_lot_must_belong_to_the_originating_tender(cast, office) -> None:
    own, other = tender(cast, "2026-801"), tender(cast, "2026-802")
    lot = other.lots.create(number=1, title="Papir")
    with pytest.raises(ValidationError) as raised:
        agreement_update(agreement=office, user=cast.staff, fields={"tender": own, "lot": lot})
    assert "lot" in raised.value.message_dict


# --- suppliers ---------------------------------------------------------------------------------


def test_suppliers_page_registers_ranked_suppliers_with_contacts(cast, office) -> None:
    known = supplier(1, "Kontor A/S")
    new_cvr = valid_cvr(7777)
    data = {
        "form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0",
        "form-0-cvr": known.cvr, "form-0-name": "", "form-0-rank": "1",
        "form-0-contact_name": "Mette Holm", "form-0-contact_email": "mh@kontor.test",
        "form-0-contact_phone": "+45 12 34 56 78",
        "form-1-cvr": new_cvr, "form-1-name": "Papirgrossisten ApS", "form-1-rank": "2",
        "form-1-contact_name": "", "form-1-contact_email": "", "form-1-contact_phone": "",
        "form-2-cvr": "", "form-2-name": "", "form-2-rank": "",
        "form-2-contact_name": "", "form-2-contact_email": "", "form-2-contact_phone": "",
    }  # fmt: skip
    Agreement.objects.filter(pk=office.pk).update(allocation=Agreement.Allocation.RANKING)
    before = recompute_jobs(office)
    response = client_for(cast.staff).post(reverse("agreements:suppliers", args=[office.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    links = list(office.supplier_links.select_related("supplier"))
    assert [(x.rank, x.supplier.name) for x in links] == [
        (1, "Kontor A/S"), (2, "Papirgrossisten ApS"),
    ]  # fmt: skip
    assert links[0].contact_name == "Mette Holm" and links[0].contact_phone == "+45 12 34 56 78"
    assert Supplier.objects.get(cvr=new_cvr).name == "Papirgrossisten ApS"
    assert recompute_jobs(office) == before + 1
    page = client_for(cast.staff).get(reverse("agreements:suppliers", args=[office.pk]))
    assert "Mette Holm" in page.content.decode()


def test_swapping_ranks_and_changing_contacts_only_does_not_recompute(cast, office) -> None:
    a, b = supplier(1, "Kontor A/S"), supplier(2, "Papir ApS")
    Agreement.objects.filter(pk=office.pk).update(allocation=Agreement.Allocation.RANKING)
    office.refresh_from_db()
    agreement_suppliers_set(
        agreement=office, user=cast.staff,
        entries=[SupplierEntry(cvr=a.cvr, rank=1), SupplierEntry(cvr=b.cvr, rank=2)],
    )  # fmt: skip
    before = recompute_jobs(office)
    agreement_suppliers_set(
        agreement=office, user=cast.staff,
        entries=[
            SupplierEntry(cvr=a.cvr, rank=2, contact_name="Ny kontakt"),
            SupplierEntry(cvr=b.cvr, rank=1),
        ],
    )  # fmt: skip
    assert [(x.supplier.name, x.rank) for x in office.supplier_links.all()] == [
        ("Papir ApS", 1), ("Kontor A/S", 2),
    ]  # fmt: skip
    assert recompute_jobs(office) == before
    agreement_suppliers_set(
        agreement=office, user=cast.staff, entries=[SupplierEntry(cvr=b.cvr, rank=1)]
    )
    assert recompute_jobs(office) == before + 1
    assert AgreementSupplier.objects.filter(agreement=office).count() == 1


@pytest.mark.parametrize(
    ("allocation", "entries", "message"),
    [
        (Agreement.Allocation.RANKING, [(1, 1), (2, 1)], "To leverandører har samme placering."),
        (Agreement.Allocation.RANKING, [(1, 1), (2, None)], "Ved direkte tildeling efter rangorden skal alle leverandører have en placering."),
        (Agreement.Allocation.SINGLE, [(1, None), (2, None)], "En aftale med én leverandør kan kun have én leverandør."),
        (Agreement.Allocation.MINI_COMPETITION, [(1, None), (1, None)], "Samme leverandør står der to gange."),
        (Agreement.Allocation.MINI_COMPETITION, [(9999, None)], "CVR-nummeret er ikke i leverandørregistret endnu: skriv leverandørens navn."),
    ],
)  # fmt: skip
def test_supplier_rules_are_checked_before_anything_is_written(
    cast, office, allocation, entries, message
) -> None:
    supplier(1, "Kontor A/S")
    supplier(2, "Papir ApS")
    Agreement.objects.filter(pk=office.pk).update(allocation=allocation)
    office.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        agreement_suppliers_set(
            agreement=office, user=cast.staff,
            entries=[SupplierEntry(cvr=valid_cvr(5000 + n), rank=rank) for n, rank in entries],
        )  # fmt: skip
    from django.utils import translation

    with translation.override("da"):
        assert message in " ".join(raised.value.messages)
    assert not office.supplier_links.exists()


def test_an_invalid_cvr_number_is_refused_on_the_page(cast, office) -> None:
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0",
        "form-0-cvr": "12345678", "form-0-name": "Fejl ApS", "form-0-rank": "",
        "form-0-contact_name": "", "form-0-contact_email": "", "form-0-contact_phone": "",
    }  # fmt: skip
    response = client_for(cast.staff).post(reverse("agreements:suppliers", args=[office.pk]), data)
    assert response.status_code == 400
    assert "CVR" in response.content.decode()
    assert not Supplier.objects.filter(cvr="12345678").exists()


# --- termination, options, successor -----------------------------------------------------------


def test_terminating_needs_a_reason_and_recomputes(cast, office) -> None:
    url = reverse("agreements:terminate", args=[office.pk])
    assert client_for(cast.staff).get(url).status_code == 200
    refused = client_for(cast.staff).post(url, {"terminated_on": "2026-03-31", "reason": ""})
    assert refused.status_code == 400
    before = recompute_jobs(office)
    response = client_for(cast.staff).post(
        url, {"terminated_on": "2026-03-31", "reason": "Leverandøren gik konkurs."}
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.terminated_on == D(2026, 3, 31)
    assert office.termination_reason == "Leverandøren gik konkurs."
    assert recompute_jobs(office) == before + 1
    with pytest.raises(ValidationError):
        agreement_terminate(
            agreement=office, terminated_on=D(2030, 1, 1), reason="For sent", user=cast.staff
        )


def test_using_an_option_recomputes_in_a_job_not_in_the_request(
    cast, office, django_capture_on_commit_callbacks
) -> None:
    option = office.options.get(sequence=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(cast.staff).post(
            reverse("agreements:option_use", args=[office.pk, option.pk])
        )
    assert response.status_code == 302
    assert recompute_jobs(office) == 2  # one when it was created, one for the option
    # Only the job's dispatch waits for the commit; nothing computes in the request.
    assert {c.__qualname__.split(".")[0] for c in callbacks} == {"job_enqueue"}


def test_successor_candidates_share_categories_and_are_open(cast, office) -> None:
    same = tender(cast, "2026-901")
    subtree = tender(cast, "2026-902", cpv="30192100-2")
    via_additional = tender(cast, "2026-903", cpv="79500000-9")
    via_additional.additional_cpv.add(CpvCode.objects.get(code="30192000-1"))
    tender(cast, "2026-904", cpv="79500000-9")  # another area
    tender(cast, "2026-905", status=TenderStatus.CANCELLED)
    tender(cast, "2026-906", status=TenderStatus.CONCLUDED)
    assert [t.reference for t in successor_candidates(office)] == [
        same.reference, subtree.reference, via_additional.reference,
    ]  # fmt: skip


def test_successor_set_on_the_agreement_page_ends_the_late_warning(cast, office) -> None:
    candidate = tender(cast, "2026-901")
    late_day = D(2026, 11, 1)
    assert renewal_item(office, late_day).late
    page = client_for(cast.staff).get(office.get_absolute_url()).content.decode()
    assert "Forslag" in page and "2026-901" in page
    response = client_for(cast.staff).post(
        reverse("agreements:successor", args=[office.pk]), {"successor_tender": candidate.pk}
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.successor_tender == candidate
    assert not renewal_item(office, late_day).late
    agreement_set_successor(agreement=office, tender=None, user=cast.staff)
    office.refresh_from_db()
    assert office.successor_tender is None
    with pytest.raises(ValidationError):
        cancelled = tender(cast, "2026-999", status=TenderStatus.CANCELLED)
        agreement_set_successor(agreement=office, tender=cancelled, user=cast.staff)


def test_the_page_lists_what_a_registration_still_lacks(cast, office) -> None:
    html = client_for(cast.staff).get(office.get_absolute_url()).content.decode()
    assert "Registreringen mangler" in html
    assert "leverandører" in html and "prisniveau" in html
    viewer = client_for(cast.viewer).get(office.get_absolute_url()).content.decode()
    assert "Registreringen mangler" not in viewer


def test_options_are_listed_for_a_new_agreement(cast) -> None:
    agreement = agreement_create(
        number="X-1", title="X", start_date=D(2026, 1, 1), base_end_date=D(2026, 12, 31),
        option_months=[6], user=cast.staff,
    )  # fmt: skip
    assert list(
        ExtensionOption.objects.filter(agreement=agreement).values_list("months", flat=True)
    ) == [6]
    assert datetime.date(2026, 12, 31) == agreement.end_date
