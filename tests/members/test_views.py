"""Member pages and forms: who may change what, Danish validation, history kept."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Organisation
from members.models import Commitment, Contact, Member
from tests.conftest import client_for


def _contact(member: Member, name: str = "Mette Jørgensen") -> Contact:
    return Contact.objects.create(member=member, name=name, role=Contact.Role.PROCUREMENT_LEAD)


def test_directory_shows_every_member_to_every_role(cast) -> None:
    _contact(cast.aarhus, "Lars Østergaard")
    for user in (cast.viewer, cast.board_member, cast.aarhus_officer, cast.staff):
        page = client_for(user).get(reverse("members:directory")).content.decode()
        assert "Odense" in page and "Aarhus" in page and "Lars Østergaard" in page


def test_officer_edits_own_contacts_only(cast) -> None:
    own, other = _contact(cast.odense), _contact(cast.aarhus, "Jens Bæk")
    client = client_for(cast.officer)
    response = client.post(
        reverse("members:contact_edit", args=[own.pk]),
        {"name": "Mette Jørgensen", "title": "Indkøbschef", "role": "procurement_lead",
         "email": "mj@odense.test", "phone": "", "working_group": "IT", "hours_per_year": "40"},
    )  # fmt: skip
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Indkøbschef" and own.hours_per_year == 40
    assert client.get(reverse("members:contact_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("members:contact_new", args=[cast.aarhus.pk])).status_code == 404
    assert (
        client_for(cast.viewer).get(reverse("members:contact_edit", args=[own.pk])).status_code
        == 403
    )
    assert (
        client_for(cast.staff).get(reverse("members:contact_edit", args=[other.pk])).status_code
        == 200
    )


def test_contact_validation_is_danish(cast) -> None:
    response = client_for(cast.officer).post(
        reverse("members:contact_new", args=[cast.odense.pk]),
        {"name": "", "role": "procurement_lead", "email": "not-an-address", "hours_per_year": "-1"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Dette felt er påkrævet" in page and "gyldig e-mail-adresse" in page


def test_commitment_history_is_kept_and_overlaps_refused(cast) -> None:
    client = client_for(cast.staff)
    url = reverse("members:commitment_new", args=[cast.odense.pk])
    base = {"working_group_hours": "100", "opt_out_deadline_days": "30", "opt_out_allowed": "on",
            "binding_procedures": ["mini_competition"], "binding_category_codes": "30192000-1"}  # fmt: skip
    pdf = SimpleUploadedFile(
        "byraadsbeslutning.pdf", b"%PDF-1.4 signed", content_type="application/pdf"
    )
    assert (
        client.post(
            url, {**base, "start_year": "2022", "end_year": "2025", "signed_document": pdf}
        ).status_code
        == 302
    )
    assert client.post(url, {**base, "start_year": "2026", "end_year": "2029"}).status_code == 302
    overlap = client.post(url, {**base, "start_year": "2028", "end_year": "2031"})
    assert overlap.status_code == 400
    assert "har allerede en forpligtelse" in overlap.content.decode()
    periods = [c.period for c in Commitment.objects.filter(member=cast.odense)]
    assert periods == ["2026–2029", "2022–2025"]
    first = Commitment.objects.get(member=cast.odense, start_year=2022)
    assert [c.code8 for c in first.binding_categories.all()] == ["30192000"]

    page = (
        client_for(cast.viewer)
        .get(reverse("members:detail", args=[cast.odense.pk]))
        .content.decode()
    )
    assert "2022–2025" in page and "2026–2029" in page
    document = reverse("members:commitment_document", args=[first.pk])
    assert client_for(cast.viewer).get(document).status_code == 200
    assert client_for(cast.aarhus_officer).get(document).status_code == 404


def test_bad_commitment_is_refused_in_danish(cast) -> None:
    response = client_for(cast.staff).post(
        reverse("members:commitment_new", args=[cast.odense.pk]),
        {"start_year": "2029", "end_year": "2026", "working_group_hours": "0",
         "opt_out_deadline_days": "30", "binding_category_codes": "99999999-9"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ukendte CPV-koder" in page
    assert not Commitment.objects.exists()


def test_member_start_page_shows_own_municipality(cast) -> None:
    _contact(cast.odense, "Hanne Højgaard")
    page = client_for(cast.viewer).get(reverse("start_member")).content.decode()
    assert "Hanne Højgaard" in page and "461" in page
    assert reverse("members:contact_edit", args=[Contact.objects.get().pk]) not in page
    officer_page = client_for(cast.officer).get(reverse("start_member")).content.decode()
    assert reverse("members:contact_edit", args=[Contact.objects.get().pk]) in officer_page


def test_the_start_page_reads_only_what_it_shows(cast) -> None:
    """The member page's lists of tender answers and agreements are not on the start page, so
    it does not read them (hundreds of rows each for a member of a national body)."""
    client = client_for(cast.officer)
    start = client.get(reverse("start_member"))
    member_page = client.get(cast.odense.get_absolute_url())
    assert start.status_code == member_page.status_code == 200
    assert "member_lists" not in start.context and "member_lists" in member_page.context
    lists = "members/includes/lists.html"
    assert lists not in [t.name for t in start.templates]
    assert lists in [t.name for t in member_page.templates]


def test_secretariat_creates_and_edits_a_member(cast) -> None:
    client = client_for(cast.admin)
    response = client.post(
        reverse("members:member_new"), {"name": "Skanderborg", "status": "candidate"}
    )
    member = Member.objects.get(organisation__name="Skanderborg")
    assert response["Location"] == member.get_absolute_url()
    response = client.post(
        reverse("members:member_edit", args=[member.pk]),
        {"name": "Skanderborg", "status": "withdrawing", "joined_on": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "opsigelse" in response.context["form"].errors["notice_given_on"][0]
    member.refresh_from_db()
    assert member.status == "candidate"


@pytest.mark.parametrize("name", ["Odense", "odense ", "Århus"])
def test_member_named_like_an_existing_one_is_refused_at_the_name(cast, name: str) -> None:
    """The name gives the organisation's short name; one that is taken is refused, never a 500."""
    before = Organisation.objects.count()
    response = client_for(cast.admin).post(
        reverse("members:member_new"), {"name": name, "status": "candidate"}
    )
    assert response.status_code == 400
    existing = "Aarhus" if name == "Århus" else "Odense"
    assert response.context["form"].errors["name"] == [
        f"{existing} findes allerede i portalen. Vælg et navn, der ikke kan forveksles med det."
    ]
    assert f'value="{name}"' in response.content.decode()
    assert Organisation.objects.count() == before


def test_member_name_without_letters_or_digits_is_refused_at_the_name(cast) -> None:
    response = client_for(cast.admin).post(
        reverse("members:member_new"), {"name": "– ! –", "status": "candidate"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Navnet skal indeholde bogstaver eller tal."]


def test_a_long_member_name_gets_a_short_name_that_fits(cast) -> None:
    name = "Fælleskommunalt indkøbsfællesskab for Sydjylland og Sønderjylland " * 2
    response = client_for(cast.admin).post(
        reverse("members:member_new"), {"name": name.strip(), "status": "candidate"}
    )
    assert response.status_code == 302
    slug = Member.objects.get(organisation__name=name.strip()).organisation.slug
    assert slug.startswith("faelleskommunalt-indkoebsfaellesskab") and len(slug) <= 60
    assert not slug.endswith("-")


def test_member_slugs_keep_the_danish_letters(cast) -> None:
    from members.services import member_create

    assert member_create(name="Ærø").organisation.slug == "aeroe"
    assert member_create(name="Læsø").organisation.slug == "laesoe"
    assert member_create(name="Aabenraa Å").organisation.slug == "aabenraa-aa"
