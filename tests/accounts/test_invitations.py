"""Invitation only: the secretariat administrator invites, the e-mailed link creates the account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Role, User
from accounts.services import invitation_accept, invitation_create, invitation_revoke
from tests.conftest import client_for

PASSWORD = "Kommunalt-indkøb-2026"


def _link_from_outbox() -> str:
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    match = re.search(r"http://testserver(/invitation/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_invitation_accepted_end_to_end(cast, django_capture_on_commit_callbacks) -> None:
    admin = client_for(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("accounts:invitation_new"),
            {
                "full_name": "Mette Madsen",
                "email": "mette@odense.test",
                "organisation": cast.odense.organisation.pk,
                "role": Role.OFFICER,
            },
        )
    assert response.status_code == 302
    message = mail.outbox[0]
    assert message.to == ["mette@odense.test"]
    assert "inviteret" in message.body  # Danish by default
    link = _link_from_outbox()

    visitor = client_for(None)
    page = visitor.get(link)
    assert page.status_code == 200
    assert "Odense" in page.content.decode()

    response = visitor.post(
        link, {"full_name": "Mette Madsen", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    # Signed in, to the home address, which sends each role on to its start page.
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="mette@odense.test")
    assert user.organisation == cast.odense.organisation and user.role == Role.OFFICER
    assert user.check_password(PASSWORD)
    start = visitor.get(response["Location"], follow=True)
    assert start.redirect_chain == [(reverse("start_member"), 302)]
    assert start.status_code == 200 and start.wsgi_request.user == user

    # The link works once.
    again = client_for(None).get(link)
    assert again.status_code == 410
    invitation = Invitation.objects.get(email="mette@odense.test")
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_user == user


def test_weak_password_is_refused_with_a_danish_message(cast) -> None:
    _invitation, token = invitation_create(
        invited_by=cast.admin,
        email="p@odense.test",
        organisation=cast.odense.organisation,
        role=Role.VIEWER,
    )
    link = reverse("accounts:invitation_accept", args=[token])
    response = client_for(None).post(
        link, {"full_name": "P", "password1": "12345", "password2": "12345"}
    )
    assert response.status_code == 400
    assert "for kort" in response.content.decode()
    assert not User.objects.filter(email="p@odense.test").exists()


def test_expired_invitation_cannot_be_used(cast) -> None:
    invitation, token = invitation_create(
        invited_by=cast.admin,
        email="late@odense.test",
        organisation=cast.odense.organisation,
        role=Role.VIEWER,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client_for(None).get(reverse("accounts:invitation_accept", args=[token]))
    assert response.status_code == 410
    with pytest.raises(ValidationError):
        invitation_accept(token=token, full_name="Late", password=PASSWORD)


def test_revoked_invitation_cannot_be_used(cast) -> None:
    invitation, token = invitation_create(
        invited_by=cast.admin,
        email="gone@odense.test",
        organisation=cast.odense.organisation,
        role=Role.VIEWER,
    )
    response = client_for(cast.admin).post(
        reverse("accounts:invitation_revoke", args=[invitation.pk])
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED and invitation.revoked_by == cast.admin
    assert (
        client_for(None).get(reverse("accounts:invitation_accept", args=[token])).status_code == 410
    )
    with pytest.raises(ValidationError):
        invitation_revoke(invitation=invitation, revoked_by=cast.admin)


def test_a_new_invitation_replaces_the_pending_one(cast) -> None:
    first, _first_token = invitation_create(
        invited_by=cast.admin,
        email="twice@odense.test",
        organisation=cast.odense.organisation,
        role=Role.VIEWER,
    )
    invitation_create(
        invited_by=cast.admin,
        email="twice@odense.test",
        organisation=cast.odense.organisation,
        role=Role.OFFICER,
    )
    first.refresh_from_db()
    assert first.status == Invitation.Status.REVOKED


def test_role_must_fit_organisation_in_the_form(cast) -> None:
    response = client_for(cast.admin).post(
        reverse("accounts:invitation_new"),
        {
            "full_name": "X",
            "email": "x@odense.test",
            "organisation": cast.odense.organisation.pk,
            "role": Role.BOARD_MEMBER,
        },
    )
    assert response.status_code == 400
    assert "findes ikke" in response.content.decode()
    assert not Invitation.objects.filter(email="x@odense.test").exists()


def test_existing_user_cannot_be_invited_again(cast) -> None:
    response = client_for(cast.admin).post(
        reverse("accounts:invitation_new"),
        {
            "full_name": "X",
            "email": "INDKOB@odense.test",
            "organisation": cast.odense.organisation.pk,
            "role": Role.VIEWER,
        },
    )
    assert response.status_code == 400
    assert "findes allerede" in response.content.decode()


def test_token_is_stored_only_as_a_hash(cast) -> None:
    invitation, token = invitation_create(
        invited_by=cast.admin,
        email="h@odense.test",
        organisation=cast.odense.organisation,
        role=Role.VIEWER,
    )
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_sign_up_is_closed(db) -> None:
    response = client_for(None).post(
        reverse("account_signup"),
        {"email": "self@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="self@example.test").exists()
    assert response.status_code == 200


def test_password_reset_mail_is_sent_by_a_task(cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(None).post(reverse("account_reset_password"), {"email": cast.viewer.email})
    assert not mail.outbox  # nothing sent inside the request
    for callback in callbacks:
        callback()
    assert mail.outbox[0].to == [cast.viewer.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
