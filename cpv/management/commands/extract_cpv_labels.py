"""Regenerate cpv/data/cpv2008_labels.csv from an eForms SDK, or check it against one."""

from __future__ import annotations

from pathlib import Path

from defusedxml.ElementTree import ParseError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpv.loading import LABELS_PATH, read_labels, read_structure
from cpv.sdk import compare_codes, labels_csv, read_sdk_labels


class Command(BaseCommand):
    help = (
        "Write the official English and Danish CPV labels of the eForms SDK at SDK_DIR "
        "(the folder holding translations/code_en.xml and code_da.xml) to "
        "cpv/data/cpv2008_labels.csv. Refuses when the SDK's CPV codes are not the vocabulary's."
    )
    # Works on files only, so it runs without a database (the model checks would need one).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sdk_dir", type=Path, help="root folder of an eForms SDK release")
        parser.add_argument(
            "--output", type=Path, default=LABELS_PATH, help="where to write (default: %(default)s)"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail if cpv/data/cpv2008_labels.csv differs from the SDK",
        )

    def handle(self, *args: object, sdk_dir: Path, output: Path, check: bool, **options: object):
        sdk_dir, output = Path(sdk_dir), Path(output)  # call_command passes options as given
        try:
            labels = read_sdk_labels(sdk_dir)
            compare_codes(labels, {r["code8"] for r in read_structure()})
        except (OSError, ValueError, ParseError) as exc:  # SdkMismatch, DefusedXmlException
            raise CommandError(str(exc)) from exc
        if check:
            stored = read_labels()
            differing = sorted(code for code in labels if stored.get(code) != labels[code])
            if differing:
                raise CommandError(f"{len(differing)} CPV codes differ from the SDK: {differing}")
            self.stdout.write(f"{LABELS_PATH.name} matches the SDK ({len(labels)} codes).")
            return
        output.write_text(labels_csv(labels), encoding="utf-8", newline="")
        self.stdout.write(f"Wrote {len(labels)} CPV labels to {output}.")
