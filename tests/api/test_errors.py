"""Every error's `detail` speaks the caller's language: English for a program unless it asks for
Danish with Accept-Language, the portal's language for a signed-in session. `code` never changes."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from api.models import ApiToken
from tests.conftest import client_for

from .conftest import ApiClient, api_client_for, token_for

TENDERS = "/api/v1/tenders"
DANISH = {"HTTP_ACCEPT_LANGUAGE": "da"}


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    return body["detail"]


def test_token_errors_are_english_by_default_and_danish_on_request(cast) -> None:
    secret = token_for(cast.officer)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client = ApiClient(secret).client
    headers = {"Authorization": f"Bearer {secret}"}
    english = _error(client.get(TENDERS, headers=headers), 401, "token_expired")
    danish = _error(client.get(TENDERS, headers=headers, **DANISH), 401, "token_expired")
    assert english == "The token has expired."
    assert danish == "Nøglen er udløbet."


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({}, "Send a valid token"), ({"HTTP_ACCEPT_LANGUAGE": "da-DK,da;q=0.9"}, "Send en gyldig")],
)
def test_missing_token_error_follows_accept_language(db, headers, expected) -> None:
    from django.test import Client

    detail = _error(Client().get(TENDERS, **headers), 401, "not_authenticated")
    assert detail.startswith(expected)


def test_not_found_and_invalid_are_translated(api_world) -> None:
    client = api_client_for(api_world.cast.viewer)
    assert _error(client.get(f"{TENDERS}/1999-001"), 404, "not_found") == "Not found."
    danish = client.client.get(f"{TENDERS}/1999-001", headers=client.headers, **DANISH)
    assert _error(danish, 404, "not_found") == "Findes ikke."
    invalid = client.client.get(TENDERS, {"status": "nope"}, headers=client.headers, **DANISH)
    assert _error(invalid, 422, "invalid") == "Forespørgslen er ikke gyldig."


def test_conflicts_speak_the_same_language_as_other_errors(api_world) -> None:
    client = api_client_for(api_world.cast.officer)
    url = "/api/v1/declarations/2099-101/lots/1"  # exists: a change needs the version read
    body = '{"annual_volume": "1.00"}'
    english = client.client.put(url, body, content_type="application/json", headers=client.headers)
    assert _error(english, 409, "version_conflict").startswith("The declaration exists")
    danish = client.client.put(
        url, body, content_type="application/json", headers=client.headers, **DANISH
    )
    assert _error(danish, 409, "version_conflict") == (
        "Angivelsen findes allerede: send den version, du hentede, for at ændre den."
    )


def test_session_errors_follow_the_portal_language(api_world) -> None:
    board = client_for(api_world.cast.board_member)
    danish = _error(board.get("/api/v1/declarations"), 403, "permission_denied")
    board.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _error(board.get("/api/v1/declarations"), 403, "permission_denied")
    assert english == "Your role may not do this."
    assert danish == "Din rolle må ikke gøre dette."
