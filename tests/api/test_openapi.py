"""The OpenAPI document: valid OpenAPI 3.1, and it says what every operation may answer."""

from __future__ import annotations

import jsonschema
import pytest
from django.test import Client

# The OpenAPI 3.1 meta-schema (OAI's schema.json, 2022-10-07) as bundled by schemathesis, which
# validates schemas with it too; openapi-spec-validator is not installed.
from schemathesis.specs.openapi.definitions import OPENAPI_31


@pytest.fixture
def schema(db) -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3_1(schema) -> None:
    assert schema["openapi"].startswith("3.1")
    errors = list(jsonschema.Draft202012Validator(OPENAPI_31).iter_errors(schema))
    assert errors == []


def test_meta_schema_check_can_fail(schema) -> None:
    broken = {**schema, "paths": {"/x": {"get": {"responses": {"200": {"content": 5}}}}}}
    assert list(jsonschema.Draft202012Validator(OPENAPI_31).iter_errors(broken))


def test_every_operation_documents_its_errors_and_auth(schema) -> None:
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    operation_ids = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operation_ids.append(operation["operationId"])
            codes = set(operation["responses"])
            assert {"422", "429"} <= codes, f"{method} {path}"
            if path.endswith("/ocds/releases.json"):
                assert "security" not in operation
                continue
            assert {"401", "403"} <= codes, f"{method} {path}"
            assert {"TokenAuth": []} in operation["security"], f"{method} {path}"
    assert len(operation_ids) == len(set(operation_ids))
