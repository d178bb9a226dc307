"""Write a tender's EU notice as eForms XML; exit 1 with the errors when it does not validate.

python manage.py export_eforms 2026-014 --notice contract --out 2026-014.xml
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import override

from tenders.models import Tender

from ...builder import build_notice
from ...data import notice_content, notice_data
from ...fields import explain
from ...models import Notice, NoticeKind
from ...validation import SDK_VERSION, validate

KINDS = {"pin": NoticeKind.PIN, "contract": NoticeKind.CONTRACT, "award": NoticeKind.AWARD}


class Command(BaseCommand):
    help = "Write a tender's eForms notice (pin, contract or award) and validate it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference")
        parser.add_argument("--notice", choices=sorted(KINDS), required=True)
        parser.add_argument("--out", required=True, help="The XML file to write.")

    def handle(self, *args: object, **options: str) -> None:
        tender = Tender.objects.filter(reference=options["reference"]).first()
        if tender is None:
            raise CommandError(f"No tender with the reference {options['reference']}.")
        kind = KINDS[options["notice"]]
        content = notice_content(tender, kind)
        xml = build_notice(notice_data(content, version=1, issued=timezone.now()))
        Path(options["out"]).write_bytes(xml)
        report = validate(xml)
        # The same explanations as the tender's page, from an unsaved notice.
        notice = Notice(tender=tender, kind=kind, xml=xml.decode(), data_snapshot=content,
                        validation=report.as_json(), sdk_version=SDK_VERSION)  # fmt: skip
        with override("da"):
            problems = [e for e in explain(notice) if e.is_error]
        for message in report.xsd_errors:
            self.stderr.write(f"XSD: {message}")
        for e in problems:
            self.stderr.write(f"{e.rule_id}: {e.message} {e.correction}")
        if report.xsd_errors or problems:
            self.stderr.write(
                f"{options['out']}: {len(report.xsd_errors) + len(problems)} errors (SDK {SDK_VERSION})."
            )
            sys.exit(1)
        self.stdout.write(f"{options['out']}: valid (SDK {SDK_VERSION}, {report.seconds:.2f} s).")
