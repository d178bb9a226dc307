"""Forms of the reports app. They validate input only."""

from __future__ import annotations

import contextlib

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BoardMeeting
from .periods import PeriodError, current_year_period, parse_period, period_choices


class BoardMeetingForm(forms.ModelForm):
    period = forms.ChoiceField(
        label=_("Report period"),
        help_text=_("The period the board report pack for this meeting covers."),
    )

    class Meta:
        model = BoardMeeting
        fields = ["date", "title", "period"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Last year to next year; a meeting's own period stays selectable even when older.
        choices = period_choices(years=(1, 0, -1))
        current = self.instance.period
        if current and current not in dict(choices):
            with contextlib.suppress(
                PeriodError
            ):  # an invalid stored value is shown as a choice error
                choices.append((current, parse_period(current).label))
        self.fields["period"].choices = choices
        if not current:
            self.fields["period"].initial = current_year_period().key

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"]).key
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
