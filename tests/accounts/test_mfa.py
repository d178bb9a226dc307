"""Two-factor authentication: required for the secretariat when the setting says so."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from tests.conftest import client_for


def test_secretariat_without_totp_is_sent_to_set_it_up(cast, settings) -> None:
    settings.REQUIRE_MFA_FOR_SECRETARIAT = True
    response = client_for(cast.staff).get(reverse("start_secretariat"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_htmx_requests_get_a_client_redirect(cast, settings) -> None:
    settings.REQUIRE_MFA_FOR_SECRETARIAT = True
    response = client_for(cast.staff).get(reverse("jobs:list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_account_pages_stay_reachable_without_totp(cast, settings) -> None:
    settings.REQUIRE_MFA_FOR_SECRETARIAT = True
    assert client_for(cast.staff).get(reverse("mfa_index")).status_code == 200


def test_member_roles_are_offered_but_not_forced(cast, settings) -> None:
    settings.REQUIRE_MFA_FOR_SECRETARIAT = True
    assert client_for(cast.officer).get(reverse("start_member")).status_code == 200
    assert client_for(cast.officer).get(reverse("mfa_index")).status_code == 200


def test_not_required_when_the_setting_is_off(cast, settings) -> None:
    settings.REQUIRE_MFA_FOR_SECRETARIAT = False
    assert client_for(cast.staff).get(reverse("start_secretariat")).status_code == 200


def _current_code(secret: str) -> str:
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def test_secretariat_with_totp_signs_in_with_a_code(cast, settings) -> None:
    settings.REQUIRE_MFA_FOR_SECRETARIAT = True
    secret = generate_totp_secret()
    TOTP.activate(cast.staff, secret)
    assert Authenticator.objects.filter(user=cast.staff, type=Authenticator.Type.TOTP).exists()

    client = client_for(None)
    response = client.post(
        reverse("account_login"), {"login": cast.staff.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # Not signed in until the code is given.
    assert client.get(reverse("start_secretariat")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("start_secretariat")).status_code == 200


def test_wrong_code_is_refused(cast, settings) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.staff, secret)
    client = client_for(None)
    client.post(
        reverse("account_login"), {"login": cast.staff.email, "password": "correct-horse-battery"}
    )
    response = client.post(
        reverse("mfa_authenticate"),
        {"code": "000000" if _current_code(secret) != "000000" else "111111"},
    )
    assert response.status_code == 200
    assert client.get(reverse("start_secretariat")).status_code == 302


def test_login_is_rate_limited(cast) -> None:
    client = client_for(None)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": cast.viewer.email, "password": "wrong"})
    # Even the right password is refused once an account has had 5 failed attempts in 5 minutes.
    response = client.post(
        reverse("account_login"), {"login": cast.viewer.email, "password": "correct-horse-battery"}
    )
    assert response.status_code in (200, 429)
    assert "mange mislykkede forsøg på at logge ind" in response.content.decode()
    assert client.get(reverse("start_member")).status_code == 302
