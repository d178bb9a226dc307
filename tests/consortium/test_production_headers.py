"""The production settings, as a fresh process reads them: security headers, cookies, sessions,
CSP without inline scripts, and API errors in JSON (never the debug page)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="portal.example.dk")
out = {"settings": {name: getattr(settings, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "SESSION_IDLE_SECONDS_SECRETARIAT", "SECURE_SSL_REDIRECT", "LANGUAGE_COOKIE_SECURE")}}
login = client.get("/accounts/login/", secure=True)
out["login"] = {
    "status": login.status_code,
    "headers": dict(login.headers),
    "cookies": {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"]),
                    "samesite": v["samesite"]} for k, v in login.cookies.items()},
    "body": login.content.decode(),
}
plain = client.get("/accounts/login/", secure=False)
out["plain"] = {"status": plain.status_code, "location": plain.headers.get("Location", "")}
for name, path in (("api_404", "/api/v1/no-such-thing"), ("api_tender_404", "/api/v1/tenders/0000-000")):
    missing = client.get(path, secure=True)
    out[name] = {"status": missing.status_code, "type": missing.headers.get("Content-Type", ""),
                 "body": missing.content.decode()[:2000]}
page_404 = client.get("/no-such-page/", secure=True)
out["page_404"] = {"status": page_404.status_code, "body": page_404.content.decode()[:5000]}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production() -> dict:
    db = settings.DATABASES["default"]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "consortium.settings",
        "PORTAL_ENV_FILE": "/dev/null",  # only what is given here: no development .env
        "DEBUG": "false",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "portal.example.dk",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.dk",
        "SITE_URL": "https://portal.example.dk",
        "EMAIL_URL": "smtp+tls://user:password@smtp.example.dk:587",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        # Static files unhashed: the manifest exists only after collectstatic in a deployment.
        "STATIC_MANIFEST": "false",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_is_not_debug_and_cookies_are_secure(production) -> None:
    assert production["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_IDLE_SECONDS_SECRETARIAT": 1800,
        "SECURE_SSL_REDIRECT": True,
        "LANGUAGE_COOKIE_SECURE": True,
    }
    cookies = production["login"]["cookies"]
    assert cookies, "the sign-in page sets its CSRF cookie"
    assert all(c["secure"] and c["samesite"] == "Lax" for c in cookies.values()), cookies


def test_plain_http_is_redirected_to_https(production) -> None:
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"].startswith("https://portal.example.dk/")


def test_security_headers(production) -> None:
    assert production["login"]["status"] == 200
    headers = {k.lower(): v for k, v in production["login"]["headers"].items()}
    hsts = headers["strict-transport-security"]
    assert (
        re.search(r"max-age=(\d+)", hsts) and int(re.search(r"max-age=(\d+)", hsts)[1]) >= 31536000
    )
    assert "includeSubDomains" in hsts
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert {"private", "no-store"} <= {d.strip() for d in headers["cache-control"].split(",")}
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp)[1]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    # Django adds a nonce to the header only for a page that uses one.


def test_no_inline_script_runs_without_the_nonce(production) -> None:
    body = production["login"]["body"]
    nonce = re.search(r"'nonce-([^']+)'", production["login"]["headers"]["Content-Security-Policy"])
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert "src=" in tag or (nonce and f'nonce="{nonce[1]}"' in tag), tag
    assert not re.search(r"\son[a-z]+\s*=", body), "inline event handlers are blocked by the CSP"


def test_api_errors_are_json_never_the_debug_page(production) -> None:
    for name in ("api_404", "api_tender_404"):
        answer = production[name]
        assert answer["status"] in (401, 404), answer
        assert answer["type"].startswith("application/json"), answer
        assert set(json.loads(answer["body"])) >= {"detail", "code"}
    page = production["page_404"]
    assert page["status"] == 404
    assert "Traceback" not in page["body"] and "DEBUG = True" not in page["body"]


def test_a_crash_under_the_api_answers_json(rf) -> None:
    from consortium.views import server_error

    response = server_error(rf.get("/api/v1/tenders"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["code"] == "server_error"
    page = server_error(rf.get("/tenders/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
