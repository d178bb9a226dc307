from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Organisation, Role, User
from accounts.services import user_create


def test_role_must_fit_the_organisation_kind(cast) -> None:
    user = User(
        email="x@odense.test", organisation=cast.odense.organisation, role=Role.SECRETARIAT_STAFF
    )
    with pytest.raises(ValidationError) as info:
        user.full_clean()
    assert "Rollen »Sekretariatsmedarbejder« findes ikke i Odense." in str(info.value)


def test_role_needs_an_organisation(db) -> None:
    with pytest.raises(IntegrityError):
        User.objects.create(email="lonely@example.test", role=Role.OFFICER)


def test_email_is_unique_whatever_the_case(cast) -> None:
    with pytest.raises(ValidationError):
        user_create(
            email="INDKOB@Odense.test", organisation=cast.odense.organisation, role=Role.OFFICER
        )


def test_user_create_stores_lower_case_email_with_verified_address(cast) -> None:
    user = user_create(
        email="  Ny.Person@Odense.Test ", organisation=cast.odense.organisation, role=Role.VIEWER
    )
    assert user.email == "ny.person@odense.test"
    address = user.emailaddress_set.get()
    assert address.verified and address.primary


def test_role_properties(cast) -> None:
    assert cast.admin.is_secretariat and cast.admin.is_secretariat_admin
    assert cast.staff.is_secretariat and not cast.staff.is_secretariat_admin
    assert cast.officer.is_member_user and cast.officer.is_officer
    assert cast.viewer.is_member_user and not cast.viewer.is_officer
    assert cast.board_member.is_board and not cast.board_member.is_member_user


def test_only_one_secretariat(cast) -> None:
    with pytest.raises(IntegrityError):
        Organisation.objects.create(
            kind=Organisation.Kind.SECRETARIAT, name="Another", slug="another"
        )
