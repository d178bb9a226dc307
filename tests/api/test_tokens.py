"""Personal API tokens: created and revoked in the portal, hashed, expiring, scoped."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create
from api.tokens import token_hash
from tests.conftest import client_for

from .conftest import ApiClient, token_for

TENDERS = "/api/v1/tenders"


def test_token_is_stored_hashed_and_shown_once(cast) -> None:
    client = client_for(cast.officer)
    response = client.post(
        reverse("api_tokens:new"), {"name": "Power BI", "scope": "read", "valid_days": "90"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("12by_")
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=cast.officer)
    assert token.secret_hash == token_hash(secret)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=90)).date()
    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert "Power BI" in listing and token.prefix in listing and secret not in listing


def test_token_page_is_danish(cast) -> None:
    page = client_for(cast.viewer).get(reverse("api_tokens:new")).content.decode()
    assert "API-nøgle" in page
    # A viewer cannot change anything in the portal, so its tokens only read.
    assert 'value="read_write"' not in page


def test_viewer_cannot_create_read_write_token(cast) -> None:
    with pytest.raises(ValidationError):
        api_token_create(user=cast.viewer, name="x", scope="read_write", valid_days=30)


def test_token_validity_is_bounded(cast) -> None:
    with pytest.raises(ValidationError):
        api_token_create(user=cast.officer, name="x", scope="read", valid_days=400)


def test_token_authenticates_and_records_use(cast) -> None:
    secret = token_for(cast.officer, "read")
    response = ApiClient(secret).get(TENDERS)
    assert response.status_code == 200
    assert ApiToken.objects.get(user=cast.officer).last_used_at is not None


def test_missing_and_wrong_tokens_are_401(cast) -> None:
    for client in (ApiClient(None), ApiClient("12by_" + "x" * 50), ApiClient("nonsense")):
        response = client.get(TENDERS)
        assert response.status_code == 401
        assert response.json()["code"] in {"not_authenticated", "token_invalid"}
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_401(cast) -> None:
    secret = token_for(cast.officer)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = ApiClient(secret).get(TENDERS)
    assert response.status_code == 401
    assert response.json() == {"detail": "The token has expired.", "code": "token_expired"}


def test_revoked_token_is_401(cast) -> None:
    secret = token_for(cast.officer)
    token = ApiToken.objects.get(user=cast.officer)
    assert ApiClient(secret).get(TENDERS).status_code == 200
    response = client_for(cast.officer).post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    response = ApiClient(secret).get(TENDERS)
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_deactivated_user_token_is_401(cast) -> None:
    secret = token_for(cast.officer)
    cast.officer.is_active = False
    cast.officer.save()
    assert ApiClient(secret).get(TENDERS).status_code == 401


def test_nobody_revokes_another_users_token(cast) -> None:
    token_for(cast.officer)
    token = ApiToken.objects.get(user=cast.officer)
    for user in (cast.viewer, cast.admin, cast.aarhus_officer):
        response = client_for(user).post(reverse("api_tokens:revoke", args=[token.pk]))
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_follows_the_users_current_role(api_world) -> None:
    cast = api_world.cast
    secret = token_for(cast.officer, "read")
    assert ApiClient(secret).get("/api/v1/spend/summary").status_code == 200
    cast.officer.organisation = cast.board
    cast.officer.role = "board_member"
    cast.officer.save()
    assert ApiClient(secret).get("/api/v1/spend/summary").status_code == 403


def test_read_only_token_cannot_write(api_world) -> None:
    secret = token_for(api_world.cast.officer, "read")
    response = ApiClient(secret).put(
        "/api/v1/declarations/2099-101/lots/2", {"annual_volume": "5000.00"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
