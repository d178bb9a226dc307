"""Property-based test of the whole API against its own OpenAPI schema (schemathesis, in-process).

Every operation gets generated requests — valid and invalid parameters and bodies — sent with a
real token through Django's WSGI handler. No request may cause a server error, and every answer
must have a documented status, content type and body shape. Bounded: a fixed number of examples
per operation, derandomised so a failure reproduces.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import token_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 25
TIME_BUDGET_SECONDS = 240


@pytest.fixture
def in_transaction_wsgi():
    """Keep the test's database connection open across WSGI requests, as Django's test client
    does: the handler would otherwise close it when each request finishes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_api_conforms_to_its_schema(
    api_world, role, settings, in_transaction_wsgi, monkeypatch
) -> None:
    settings.API_THROTTLE_RATE = "100000/m"
    token = token_for(api_world.cast.user(role), "read_write")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_transaction_wsgi)
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        check()
        assert time.monotonic() - started < TIME_BUDGET_SECONDS, "schemathesis run over budget"
