"""A session ends after a spell without activity: 30 minutes for the secretariat by default."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.middleware import LAST_SEEN
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def idle(client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_defaults_are_30_minutes_for_the_secretariat_and_8_hours_for_members(settings) -> None:
    assert settings.SESSION_IDLE_SECONDS_SECRETARIAT == 30 * 60
    assert settings.SESSION_IDLE_SECONDS == 8 * 3600


def test_secretariat_signed_out_after_30_minutes_idle(cast) -> None:
    client = client_for(cast.staff)
    assert client.get(reverse("tenders:list")).status_code == 200
    idle(client, 30 * 60 + 1)
    response = client.get(reverse("tenders:list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "30 minutter uden aktivitet" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # Signed out for good: the next request is anonymous too.
    assert client.get(reverse("tenders:list")).status_code == 302


def test_secretariat_still_signed_in_just_under_the_limit(cast) -> None:
    client = client_for(cast.staff)
    client.get(reverse("tenders:list"))
    idle(client, 30 * 60 - 5)
    assert client.get(reverse("tenders:list")).status_code == 200


def test_a_member_officer_has_the_longer_limit(cast) -> None:
    client = client_for(cast.officer)
    client.get(reverse("tenders:list"))
    idle(client, 2 * 3600)
    assert client.get(reverse("tenders:list")).status_code == 200
    idle(client, 8 * 3600 + 1)
    assert client.get(reverse("tenders:list")).status_code == 302


@override_settings(SESSION_IDLE_SECONDS_SECRETARIAT=5 * 60)
def test_the_limit_is_configurable(cast) -> None:
    client = client_for(cast.staff)
    client.get(reverse("tenders:list"))
    idle(client, 5 * 60 + 1)
    assert client.get(reverse("tenders:list")).status_code == 302


def test_an_htmx_request_after_the_limit_is_sent_to_the_sign_in_page(cast) -> None:
    client = client_for(cast.staff)
    client.get(reverse("tenders:list"))
    idle(client, 31 * 60)
    response = client.get(reverse("tenders:list"), headers={"HX-Request": "true"})
    assert response.headers.get("HX-Redirect", "").startswith(reverse("account_login"))


def test_signing_in_starts_the_clock(cast) -> None:
    client = client_for(cast.staff)
    assert abs(client.session[LAST_SEEN] - int(time.time())) <= 5
