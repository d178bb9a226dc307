"""Settings for the test suite: the real PostgreSQL and Redis, isolated from development data."""

from __future__ import annotations

import os
import re
import tempfile
import uuid

from consortium.logs import logging_config
from consortium.settings import *  # noqa: F403
from consortium.settings import (
    CACHES,
    DATABASES,
    REDIS_URL,
    STORAGES,
    celery_queues,
    celery_task_queues,
    celery_task_routes,
)

# One id per test process, shared with the Celery workers it starts, so that queues, cache keys
# and uploaded files of parallel runs on the same machine never meet. pytest-xdist's workers inherit
# the run's id from the controlling process and add their own name (gw0, gw1, …) to it; a Celery
# worker started by a test gets the full id and no xdist name.
_RUN = os.environ.setdefault("TEST_RUN_ID", uuid.uuid4().hex[:10])
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
RUN_ID = f"{_RUN}-{_XDIST_WORKER}" if _XDIST_WORKER else _RUN

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False

# A Celery worker started by a test must use the test database, not the development one.
if os.environ.get("WORKER_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["WORKER_DATABASE_NAME"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
# A second alias on the test database, standing in for a reports replica: used only by the
# tests that turn REPORTS_REPLICA on (tests/consortium/test_scale_out.py).
DATABASES["reports"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPORTS_REPLICA = False

# Redis: a database number of its own (15 unless TEST_REDIS_DB says otherwise).
TEST_REDIS_URL = re.sub(r"/\d+$", "", REDIS_URL) + "/" + os.environ.get("TEST_REDIS_DB", "15")
CELERY_BROKER_URL = TEST_REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = f"test-{RUN_ID}"
TASK_QUEUES = celery_queues(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_ROUTES = celery_task_routes(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_QUEUES = celery_task_queues(CELERY_TASK_DEFAULT_QUEUE)
CELERY_TASK_ALWAYS_EAGER = True  # tests with a real worker switch this off
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {
    **CACHES,
    "default": {**CACHES["default"], "LOCATION": TEST_REDIS_URL, "KEY_PREFIX": f"test-{RUN_ID}"},
}

# Dashboards are computed at every request in the tests (consortium/figure_store.py keeps them
# between requests otherwise); tests/consortium/test_figure_store.py turns the store on.
FIGURES_STORED = False

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"portal-test-media-{RUN_ID}")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
REQUIRE_MFA_FOR_SECRETARIAT = False
SITE_URL = "http://testserver"

# Static files come from the finders in tests (no collectstatic), as in development.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# Production refuses to publish OCDS under the placeholder prefix or without the publisher's CVR
# (api/ocds/config.py); the tests publish as a configured portal would.
OCDS_OCID_PREFIX = "ocds-t3st01"
OCDS_PUBLISHER_CVR = "29189757"

# Log lines as production writes them (JSON), so tests can follow a request id into a worker's log.
LOGGING = logging_config(fmt="json", level="INFO")
