"""The one tenancy mechanism: visible_to / editable_by and the 404/403 helpers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import get_editable_or_404, get_visible_or_404
from jobs.models import Job


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
