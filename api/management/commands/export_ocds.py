"""Write the OCDS release package of the consortium's published tenders to a file."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from api.auth import aware
from api.ocds.builder import published_tenders, release_package
from api.ocds.config import may_publish, publication_problems
from api.ocds.validation import codelist_errors, schema_errors


class Command(BaseCommand):
    help = "Export published tenders as an OCDS 1.1 release package (JSON)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="File to write ('-' for stdout)")
        parser.add_argument("--since", help="Only releases dated on or after (ISO 8601)")
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Check against the OCDS schema and codelists first (needs jsonschema)",
        )

    def handle(
        self, *args: Any, out: str, since: str | None, validate: bool, **options: Any
    ) -> None:
        if not may_publish():
            raise CommandError(
                "Nothing is published under a placeholder: " + "; ".join(publication_problems())
            )
        since_dt = parse_datetime(since) if since else None
        since_dt = aware(since_dt) if since_dt else None
        if since and since_dt is None:
            raise CommandError(f"--since is not a date and time: {since}")
        uri = settings.SITE_URL + reverse("api:ocds_releases")
        package = release_package(published_tenders(since=since_dt), uri=uri)
        if validate:
            errors = schema_errors(package) + codelist_errors(package)
            if errors:
                raise CommandError("Not valid OCDS:\n" + "\n".join(errors[:50]))
        text = json.dumps(package, ensure_ascii=False, indent=2)
        if out == "-":
            self.stdout.write(text)
        else:
            with open(out, "w", encoding="utf-8") as f:
                f.write(text + "\n")
            self.stderr.write(f"{len(package['releases'])} releases written to {out}")
