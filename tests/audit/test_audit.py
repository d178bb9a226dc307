from __future__ import annotations

from django.urls import reverse

from accounts.models import Role
from tests.conftest import client_for


def test_changes_are_recorded_with_who_and_what(cast) -> None:
    client = client_for(cast.admin)
    client.post(
        reverse("accounts:invitation_new"),
        {
            "full_name": "Ny",
            "email": "ny@odense.test",
            "organisation": cast.odense.organisation.pk,
            "role": Role.OFFICER,
        },
    )
    from accounts.models import Invitation

    invitation = Invitation.objects.get(email="ny@odense.test")
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))

    page = client.get(reverse("audit:object", args=["accounts", "invitation", invitation.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Oprettet" in html and "Ændret" in html
    assert str(cast.admin) in html
    # The token's hash is not part of the trail.
    assert "token_hash" not in html and invitation.token_hash not in html


def test_deletes_are_recorded(cast) -> None:
    org_pk = cast.aarhus.organisation.pk
    from accounts.models import Organisation

    spare = Organisation.objects.create(
        kind=Organisation.Kind.MEMBER, name="Midlertidig", slug="tmp"
    )
    spare_pk = spare.pk
    spare.delete()
    html = (
        client_for(cast.staff)
        .get(reverse("audit:object", args=["accounts", "organisation", spare_pk]))
        .content.decode()
    )
    assert "Slettet" in html and "Midlertidig" in html
    assert org_pk  # the cast's own organisations are untouched


def test_recent_changes_page_lists_events(cast) -> None:
    html = client_for(cast.staff).get(reverse("audit:recent")).content.decode()
    assert "Odense" in html
