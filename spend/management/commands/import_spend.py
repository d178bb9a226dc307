"""Import a member's spend file from the command line, through the same service as the web."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from members.models import Municipality
from spend.importing.fields import FIELDS
from spend.models import SpendImport
from spend.services import spend_import_create, spend_import_run


class Command(BaseCommand):
    help = (
        "Import a spend file (ERP CSV/XLSX, UBL XML or ZIP) for the member a municipality belongs "
        "to. Exit code 1 when the file is rejected. --json prints "
        '{"status": "imported"|"unchanged"|"rejected", "lines": N, "errors": [{"line": n, "reason": "…"}]} '
        "where lines is the number of lines newly written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="kommunekode, e.g. 461")
        parser.add_argument("--mapping", type=Path, help="JSON: field → column header")
        parser.add_argument("--json", action="store_true", dest="as_json")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid lines of a file with errors"
        )
        parser.add_argument("--from", dest="period_start", type=datetime.date.fromisoformat)
        parser.add_argument("--to", dest="period_end", type=datetime.date.fromisoformat)

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]  # type: ignore[assignment]
        code = str(options["municipality"]).zfill(3)
        municipality = Municipality.objects.select_related("member").filter(code=code).first()
        if municipality is None or municipality.member is None:
            raise CommandError(f"No member has the municipality with code {code}.")
        mapping = self._mapping(options.get("mapping"))  # type: ignore[arg-type]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with translation.override("da"), pghistory.context(source="import_spend"):
            with path.open("rb") as handle:
                spend_import = spend_import_create(
                    member=municipality.member,
                    user=None,
                    file=handle,
                    name=path.name,
                    valid_only=bool(options["valid_only"]),
                    period_start=options.get("period_start"),  # type: ignore[arg-type]
                    period_end=options.get("period_end"),  # type: ignore[arg-type]
                    mapping=mapping,
                )
            spend_import = spend_import_run(spend_import_id=spend_import.pk)
        self._report(spend_import, as_json=bool(options["as_json"]))
        if spend_import.status == SpendImport.Status.REJECTED:
            raise SystemExit(1)

    def _mapping(self, path: Path | None) -> dict[str, str]:
        if path is None:
            return {}
        try:
            mapping = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the mapping {path}: {exc}") from None
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            raise CommandError("The mapping must be a JSON object of field → column header.")
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise CommandError(f"Unknown fields in the mapping: {unknown}. Known: {list(FIELDS)}")
        return mapping

    def _report(self, spend_import: SpendImport, *, as_json: bool) -> None:
        errors = [
            {
                "line": e["line"],
                "reason": f"{e['file']}: {e['reason']}"
                if e.get("file") and e["file"] != spend_import.original_name
                else e["reason"],
            }
            for e in spend_import.errors
        ]
        if as_json:
            payload = {
                "status": spend_import.status,
                "lines": spend_import.lines_new,
                "errors": errors,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(
            f"{spend_import.original_name}: {spend_import.get_status_display()} — "
            f"{spend_import.lines_new} new, {spend_import.lines_existing} already there, "
            f"{spend_import.error_count} errors"
        )
        for error in errors[:50]:
            self.stdout.write(f"  line {error['line']}: {error['reason']}")
