"""The deadline calculator (fristberegner) on the command line.

    manage.py deadlines tender --procedure restricted --dispatch 2026-02-02 --invitation 2026-03-16
    manage.py deadlines standstill --notified 2026-06-01 [--letter]
    manage.py deadlines questions --bid-deadline 2026-10-28
Add --json for JSON. A bad date or an unknown procedure ends with exit code 2.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from tenders import deadlines

USAGE_ERROR = 2


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s: “%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-04.")
            % {"option": option, "value": value},
            returncode=USAGE_ERROR,
        ) from None


def _required(value: str | None, option: str) -> date:
    day = _date(value, option)
    if day is None:
        raise CommandError(_("%(option)s is required.") % {"option": option}, returncode=2)
    return day


class Command(BaseCommand):
    help = "Earliest lawful deadlines of a procedure, with the rule behind each (fristberegner)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        tender = actions.add_parser("tender", help="deadlines for requests and tenders")
        # Checked by the calculator (not by argparse) so the error is the calculator's own.
        tender.add_argument("--procedure", required=True, help="open, restricted, negotiated, dps")
        tender.add_argument("--dispatch", required=True, help="contract notice sent (YYYY-MM-DD)")
        tender.add_argument("--pin", help="prior information notice sent (YYYY-MM-DD)")
        tender.add_argument("--urgent", action="store_true", help="an urgent need (akut behov)")
        tender.add_argument(
            "--not-electronic", action="store_true", help="tenders are not submitted electronically"
        )
        tender.add_argument(
            "--agreed", action="store_true", help="bid deadline agreed with the candidates"
        )
        tender.add_argument("--invitation", help="invitation to tender sent (YYYY-MM-DD)")
        standstill = actions.add_parser("standstill", help="the standstill period")
        standstill.add_argument("--notified", required=True, help="award decision notified")
        standstill.add_argument("--letter", action="store_true", help="notified by letter")
        questions = actions.add_parser("questions", help="the last day to answer questions")
        questions.add_argument("--bid-deadline", required=True, help="the bid deadline's date")
        for sub in (tender, standstill, questions):
            sub.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: object, **options: Any) -> None:
        with translation.override("da"):
            result = self.calculate(options)
            if options.get("json"):
                self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
            else:
                self.stdout.write("\n".join(result.lines()))

    def calculate(self, options: dict[str, Any]) -> Any:
        action = options["action"]
        try:
            if action == "tender":
                return deadlines.tender_deadlines(
                    procedure=options["procedure"],
                    dispatch=_required(options["dispatch"], "--dispatch"),
                    pin=_date(options.get("pin"), "--pin"),
                    urgent=options["urgent"],
                    electronic=not options["not_electronic"],
                    agreed=options["agreed"],
                    invitation=_date(options.get("invitation"), "--invitation"),
                )
            if action == "standstill":
                return deadlines.standstill_deadlines(
                    notified=_required(options["notified"], "--notified"),
                    letter=options["letter"],
                )
            return deadlines.questions_deadline(
                bid_deadline=_required(options["bid_deadline"], "--bid-deadline")
            )
        except deadlines.CalculatorError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
