from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(db) -> None:
    response = client_for(None).get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_when_the_broker_is_down(db, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client_for(None).get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable" and response.json()["database"] == "ok"


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="consortium.settings",
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-production-secret-with-more-than-fifty-characters-0123456789",
        ALLOWED_HOSTS="portal.example.dk",
        PORTAL_ENV_FILE="/nonexistent/.env",  # production has no development .env
        OCDS_OCID_PREFIX="ocds-a1b2c3",  # a registered prefix and the publisher's CVR
        OCDS_PUBLISHER_CVR="29189757",
        **extra,
    )
    return env


def test_check_deploy_has_no_warnings_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_ocds_prefix_and_publisher() -> None:
    env = _production_env()
    del env["OCDS_OCID_PREFIX"], env["OCDS_PUBLISHER_CVR"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "api.W001" in result.stderr + result.stdout
    assert "api.W002" in result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key() -> None:
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db  # the sign-in page lists the municipalities' identity providers
def test_pages_are_danish_even_for_an_english_browser(client) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "da"
    assert "Log ind" in response.content.decode()


def test_a_signed_in_users_saved_language_applies(cast) -> None:
    from tests.conftest import client_for

    cast.officer.language = "en"
    cast.officer.save()
    response = client_for(cast.officer).get("/start/member/")
    assert response.headers["Content-Language"] == "en"
