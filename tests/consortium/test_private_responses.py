"""No response that may carry private data is kept by a shared cache or the browser's history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import api_client_for
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_signed_in_pages_are_private_and_not_stored(cast) -> None:
    for path in ("/start/member/", reverse("tenders:list"), reverse("spend:import_list")):
        response = client_for(cast.officer).get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= directives(response), path


def test_error_pages_and_the_sign_in_page_are_not_stored(cast) -> None:
    anonymous = Client()
    assert {"private", "no-store"} <= directives(anonymous.get(reverse("account_login")))
    missing = client_for(cast.officer).get("/tenders/9999-999/")
    assert missing.status_code == 404
    assert {"private", "no-store"} <= directives(missing)


def test_api_answers_are_private_and_not_stored(cast) -> None:
    response = api_client_for(cast.officer).get("/api/v1/members")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_view_that_says_public_keeps_it(rf) -> None:
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control

    from consortium.middleware import PrivateResponseMiddleware

    def public_view(request):
        response = HttpResponse("x")
        patch_cache_control(response, public=True, max_age=60)
        return response

    response = PrivateResponseMiddleware(public_view)(rf.get("/"))
    assert directives(response) == {"public", "max-age=60"}
    response = PrivateResponseMiddleware(lambda r: HttpResponse("x"))(rf.get("/"))
    assert directives(response) == {"private", "no-store"}
