"""Checking a release package against the OCDS 1.1.5 schema and its codelists.

Used by the tests and by `export_ocds --validate`.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).parent / "schema"
RELEASE_SCHEMA_ID = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def codelist(name: str) -> frozenset[str]:
    with (SCHEMA_DIR / "codelists" / name).open(encoding="utf-8") as f:
        return frozenset(row["Code"] for row in csv.DictReader(f))


def schema_errors(package: dict[str, Any]) -> list[str]:
    """Every way the package breaks the release-package schema (draft-04, with date-times)."""
    release_schema = _load("release-schema.json")
    registry = Registry().with_resource(
        RELEASE_SCHEMA_ID, Resource.from_contents(release_schema, default_specification=DRAFT4)
    )
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.match(value):
            raise ValueError(f"{value!r} is not an RFC 3339 date-time")
        datetime.datetime.fromisoformat(value)
        return True

    validator = jsonschema.Draft4Validator(
        _load("release-package-schema.json"), registry=registry, format_checker=checker
    )
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(package)
    ]


def codelist_errors(package: dict[str, Any]) -> list[str]:
    """Values outside their codelist, for every codelist field the schema names (open ones too:
    the portal uses only the standard's own codes)."""
    release_schema = _load("release-schema.json")
    definitions = release_schema["definitions"]
    errors: list[str] = []

    def walk(schema: dict[str, Any], value: Any, path: str) -> None:
        if "$ref" in schema:
            schema = definitions[schema["$ref"].split("/")[-1]]
        if value is None:
            return
        if "codelist" in schema:
            allowed = codelist(schema["codelist"])
            for item in value if isinstance(value, list) else [value]:
                if item not in allowed:
                    errors.append(f"{path}: {item!r} is not in {schema['codelist']}")
        if isinstance(value, dict):
            for key, sub in value.items():
                if key in schema.get("properties", {}):
                    walk(schema["properties"][key], sub, f"{path}/{key}")
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            for index, sub in enumerate(value):
                walk(schema["items"], sub, f"{path}/{index}")

    for index, release in enumerate(package.get("releases", [])):
        walk(release_schema, release, f"releases/{index}")
    return errors
