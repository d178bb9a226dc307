"""The deadline calculator page (fristberegner) for the secretariat.

Three small GET forms — tender deadlines, the standstill, the last day for answers — each calling
the same pure calculator as `manage.py deadlines` (tenders/deadlines.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.access import secretariat_only

from .. import deadlines
from ..periods import holiday_reading

PROCEDURE_CHOICES = [
    ("open", _("Open procedure")),
    ("restricted", _("Restricted procedure")),
    ("negotiated", _("Competitive procedure with negotiation")),
    ("dps", _("Dynamic purchasing system")),
]


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CalculatorForm(forms.Form):
    """A form whose `result()` is the calculator's answer (after `is_valid()`)."""

    prefix_name = ""

    def __init__(self, data: Any = None) -> None:
        mine = data if data is not None and data.get("calc") == self.prefix_name else None
        super().__init__(mine, prefix=self.prefix_name)
        self.answer: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            try:
                self.answer = self.calculate(cleaned)
            except deadlines.CalculatorError as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned

    def calculate(self, data: dict[str, Any]) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


class TenderDeadlinesForm(CalculatorForm):
    prefix_name = "tender"
    procedure = forms.ChoiceField(label=_("Procedure type"), choices=PROCEDURE_CHOICES)
    dispatch = _date_field(_("Contract notice sent"))
    pin = _date_field(
        _("Prior information notice sent"),
        required=False,
        help_text=_("Shortens the limits when sent 35 days to 12 months before the notice."),
    )
    invitation = _date_field(
        _("Invitation to tender sent"),
        required=False,
        help_text=_("Restricted, negotiated and DPS: the bid deadline is counted from it."),
    )
    not_electronic = forms.BooleanField(
        label=_("Tenders are not submitted electronically"), required=False
    )
    urgent = forms.BooleanField(
        label=_("Urgent need that the contracting authority can substantiate"), required=False
    )
    agreed = forms.BooleanField(
        label=_("Bid deadline agreed with all selected candidates (not a state authority)"),
        required=False,
    )

    def calculate(self, data: dict[str, Any]) -> deadlines.TenderDeadlines:
        return deadlines.tender_deadlines(
            procedure=data["procedure"],
            dispatch=data["dispatch"],
            pin=data.get("pin"),
            urgent=data.get("urgent", False),
            electronic=not data.get("not_electronic", False),
            agreed=data.get("agreed", False),
            invitation=data.get("invitation"),
        )


class StandstillForm(CalculatorForm):
    prefix_name = "standstill"
    notified = _date_field(_("Award decision notified"))
    letter = forms.BooleanField(label=_("Notified by letter (not electronically)"), required=False)

    def calculate(self, data: dict[str, Any]) -> deadlines.StandstillDeadlines:
        return deadlines.standstill_deadlines(
            notified=data["notified"], letter=data.get("letter", False)
        )


class QuestionsForm(CalculatorForm):
    prefix_name = "questions"
    bid_deadline = _date_field(_("Bid deadline"))

    def calculate(self, data: dict[str, Any]) -> deadlines.AnswerDeadline:
        return deadlines.questions_deadline(bid_deadline=data["bid_deadline"])


@require_safe
@secretariat_only
def calculator(request: HttpRequest) -> HttpResponse:
    """The earliest lawful dates of a procedure, with the rule behind each."""
    calculators = []
    for form_class in (TenderDeadlinesForm, StandstillForm, QuestionsForm):
        form = form_class(request.GET or None)
        submitted = form.is_bound and form.is_valid()
        calculators.append({"form": form, "result": form.answer if submitted else None})
    context = {
        "tender_calc": calculators[0],
        "standstill_calc": calculators[1],
        "questions_calc": calculators[2],
        "strict_reading": holiday_reading() == "strict",
    }
    return TemplateResponse(request, "tenders/deadlines.html", context)
