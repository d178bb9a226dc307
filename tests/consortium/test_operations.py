"""Operations: a request id that follows a request into its jobs, error reporting that is off
unless configured, and uploaded files on an S3-compatible object store."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from tests.api.conftest import api_client_for
from tests.conftest import client_for
from tests.spend.files import csv_bytes

ROOT = Path(__file__).resolve().parents[2]


def probe(code: str, **env: str) -> str:
    """Run `code` in a fresh process with the portal's own settings and `env`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "consortium.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.django_db
def test_every_response_names_its_request_id(cast) -> None:
    first = client_for(cast.officer).get(reverse("tenders:list"))
    second = client_for(cast.officer).get(reverse("tenders:list"))
    assert len(first["X-Request-ID"]) >= 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_request_id_follows_the_request_into_its_job(cast, real_worker) -> None:
    api = api_client_for(cast.officer)
    upload = SimpleUploadedFile("udtraek.csv", csv_bytes(), content_type="text/csv")
    response = api.client.post("/api/v1/spend/uploads", {"file": upload}, headers=api.headers)
    assert response.status_code == 202, response.content
    request_id = response["X-Request-ID"]
    job = Job.objects.get(pk=response.json()["job_id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (Job.State.SUCCEEDED, Job.State.FAILED):
            break
        time.sleep(0.2)
    assert job.state == Job.State.SUCCEEDED
    lines = []
    for raw in real_worker.log().splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            continue
    mine = [line for line in lines if line.get("request_id") == request_id]
    assert mine, f"no worker log line carries {request_id}"
    assert any(line.get("task_id") for line in mine)
    assert {"timestamp", "level", "event"} <= set(mine[0])


def test_error_reporting_is_off_unless_configured() -> None:
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    assert probe(code) == "False"
    dsn = "https://0123456789abcdef@errors.example.invalid/1"
    assert probe(code, SENTRY_DSN=dsn) == "True"
    sent_pii = probe(
        "import sentry_sdk; print(sentry_sdk.get_client().options['send_default_pii'])",
        SENTRY_DSN=dsn,
    )
    assert sent_pii == "False"


@pytest.fixture
def s3_server(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=(tmp_path / "s3.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_files_on_an_s3_compatible_store(s3_server) -> None:
    env = {
        "STORAGE_S3_BUCKET": "portal-files",
        "STORAGE_S3_ENDPOINT_URL": s3_server,
        "STORAGE_S3_REGION": "eu-north-1",
        "STORAGE_S3_ACCESS_KEY": "test",
        "STORAGE_S3_SECRET_KEY": "test",
    }
    code = """
import boto3
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
o = settings.STORAGES["default"]["OPTIONS"]
boto3.client("s3", endpoint_url=o["endpoint_url"], region_name=o["region_name"],
             aws_access_key_id="test", aws_secret_access_key="test").create_bucket(
    Bucket="portal-files", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
name = default_storage.save("spend/imports/1/udtraek.csv", ContentFile(b"CVR;Navn\\n"))
again = default_storage.save("spend/imports/1/udtraek.csv", ContentFile(b"other"))
with default_storage.open(name, "rb") as handle:
    body = handle.read().decode()
print(type(storages["default"]).__name__, name != again, body == "CVR;Navn\\n")
"""
    assert probe(code, **env) == "S3Storage True True"
    assert (
        probe(
            "from django.core.files.storage import storages; print(type(storages['default']).__name__)"
        )
        == "FileSystemStorage"
    )
