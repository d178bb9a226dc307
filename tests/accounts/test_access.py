"""The one tenancy mechanism: visible_to / editable_by and the 404/403 helpers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldError, MultipleObjectsReturned, PermissionDenied
from django.http import Http404

from accounts.access import get_editable_or_404, get_for_user, get_visible_or_404, member_of
from accounts.models import Organisation, Role
from jobs.models import Job
from members.models import Contact
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def jobs(cast):
    def job(org, user):
        return Job.objects.create(
            kind="t", title="t", organisation=org, started_by=user, task_name="x"
        )

    return {
        "odense": job(cast.odense.organisation, cast.officer),
        "aarhus": job(cast.aarhus.organisation, cast.aarhus_officer),
        "secretariat": job(cast.secretariat, cast.staff),
    }


def test_secretariat_sees_every_organisations_rows(cast, jobs) -> None:
    assert set(Job.objects.visible_to(cast.staff)) == set(jobs.values())


def test_member_users_see_only_their_own_organisation(cast, jobs) -> None:
    assert list(Job.objects.visible_to(cast.officer)) == [jobs["odense"]]
    assert list(Job.objects.visible_to(cast.viewer)) == [jobs["odense"]]
    assert list(Job.objects.visible_to(cast.aarhus_officer)) == [jobs["aarhus"]]


def test_board_and_anonymous_see_no_member_rows(cast, jobs) -> None:
    assert not Job.objects.visible_to(cast.board_member).exists()
    assert not Job.objects.visible_to(AnonymousUser()).exists()


def test_inactive_user_sees_nothing(cast, jobs) -> None:
    cast.officer.is_active = False
    assert not Job.objects.visible_to(cast.officer).exists()


def test_viewers_edit_nothing_officers_their_own(cast, jobs) -> None:
    assert not Job.objects.editable_by(cast.viewer).exists()
    assert list(Job.objects.editable_by(cast.officer)) == [jobs["odense"]]
    assert Job.objects.editable_by(cast.admin).count() == 3


def test_other_municipalitys_object_is_404_like_a_missing_one(cast, jobs) -> None:
    with pytest.raises(Http404):
        get_visible_or_404(Job, cast.officer, pk=jobs["aarhus"].pk)
    with pytest.raises(Http404):
        get_visible_or_404(Job, cast.officer, pk="00000000-0000-0000-0000-000000000000")
    with pytest.raises(Http404):
        get_visible_or_404(Job, cast.officer, pk="not-a-uuid")
    assert get_visible_or_404(Job, cast.officer, pk=jobs["odense"].pk) == jobs["odense"]


def test_read_only_object_is_403(cast, jobs) -> None:
    with pytest.raises(PermissionDenied):
        get_editable_or_404(Job, cast.viewer, pk=jobs["odense"].pk)
    with pytest.raises(Http404):
        get_editable_or_404(Job, cast.viewer, pk=jobs["aarhus"].pk)


# --- member_of: the user's own member ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", None),
        ("staff", None),
        ("officer", "odense"),
        ("viewer", "odense"),
        ("board", None),
        ("anonymous", None),
    ],
)
def test_member_of_each_role(cast, role, expected) -> None:
    user = cast.user(role) or AnonymousUser()
    member = member_of(user)
    assert (member.organisation.slug if member else None) == expected


def test_member_of_another_members_officer_is_their_own(cast) -> None:
    assert member_of(cast.aarhus_officer) == cast.aarhus


def test_member_of_is_none_for_an_inactive_user(cast) -> None:
    cast.officer.is_active = False
    assert member_of(cast.officer) is None


def test_member_of_an_organisation_not_yet_registered_as_a_member_is_none(cast) -> None:
    org = OrganisationFactory(slug="ny-kommune", kind=Organisation.Kind.MEMBER)
    user = UserFactory(email="ny@ny.test", organisation=org, role=Role.OFFICER)
    assert member_of(user) is None


# --- get_for_user: the object and whether the user may change it ---------------------------------


@pytest.fixture
def contacts(cast):
    return {
        "odense": Contact.objects.create(member=cast.odense, name="Lone"),
        "aarhus": Contact.objects.create(member=cast.aarhus, name="Jens"),
    }


def test_get_for_user_own_object_with_edit_right(cast, contacts) -> None:
    assert get_for_user(Contact, cast.officer, pk=contacts["odense"].pk) == (
        contacts["odense"],
        True,
    )
    assert get_for_user(Contact, cast.staff, pk=contacts["aarhus"].pk) == (contacts["aarhus"], True)


def test_get_for_user_read_only(cast, contacts) -> None:
    assert get_for_user(Contact, cast.viewer, pk=contacts["odense"].pk) == (
        contacts["odense"],
        False,
    )


def test_get_for_user_accepts_a_queryset(cast, contacts) -> None:
    queryset = Contact.objects.select_related("member")
    contact, can_edit = get_for_user(queryset, cast.officer, member__organisation__slug="odense")
    assert contact == contacts["odense"] and can_edit


@pytest.mark.parametrize(
    "lookup",
    [
        {"pk": "foreign"},
        {"pk": "missing"},
        {"pk": "abc"},  # not a number
        {"pk": "12abc"},
        {"pk": 2**63},  # beyond the database's integers
        {"member": "abc"},  # a relation's key, malformed
        {"member__organisation__slug": "aarhus"},
    ],
)
def test_get_for_user_foreign_missing_or_malformed_is_404(cast, contacts, lookup) -> None:
    values = {"foreign": contacts["aarhus"].pk, "missing": contacts["aarhus"].pk + 1000}
    lookup = {k: values.get(v, v) if isinstance(v, str) else v for k, v in lookup.items()}
    with pytest.raises(Http404):
        get_for_user(Contact, cast.officer, **lookup)


def test_get_visible_or_404_bad_uuid_is_404(cast, jobs) -> None:
    for pk in ("not-a-uuid", "", "00000000-0000-0000-0000-00000000000g"):
        with pytest.raises(Http404):
            get_visible_or_404(Job, cast.officer, pk=pk)


# --- a mistake in the caller is not a 404 --------------------------------------------------------


def test_several_objects_raise_instead_of_404(cast, jobs) -> None:
    with pytest.raises(MultipleObjectsReturned):
        get_visible_or_404(Job, cast.staff, kind="t")


def test_lookup_on_a_field_that_does_not_exist_raises(cast, jobs) -> None:
    with pytest.raises(FieldError):
        get_visible_or_404(Job, cast.officer, no_such_field="x")
    with pytest.raises(FieldError):
        get_for_user(Contact, cast.officer, member__no_such_field="x")


def test_lookup_with_the_wrong_kind_of_object_raises(cast, contacts) -> None:
    with pytest.raises(ValueError, match="Must be"):
        get_visible_or_404(Contact, cast.officer, member=cast.secretariat)


def test_members_own_words_are_read_by_the_secretariat_and_the_member_never_the_board(
    cast,
) -> None:
    from accounts.access import sees_members_own_words

    assert sees_members_own_words(cast.staff, cast.aarhus)
    assert sees_members_own_words(cast.admin)
    assert sees_members_own_words(cast.officer, cast.odense)
    assert not sees_members_own_words(cast.officer, cast.aarhus)
    assert not sees_members_own_words(cast.officer)
    assert not sees_members_own_words(cast.board_member, cast.odense)
    assert not sees_members_own_words(cast.board_member)
