"""Forms of the climate pages: metered consumption and a new factor version."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from consortium.forms import DanishDecimalField

from .models import Confidence, Energy


class MeteredConsumptionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Energy"), choices=Energy.choices)
    kwh = DanishDecimalField(
        label=_("Consumption in kWh"),
        decimals=2,
        decimal_places=2,
        min_value=Decimal(0),
        max_digits=14,
        help_text=_("The year's metered consumption, e.g. from the utility's annual statement."),
    )
    kg_per_kwh = DanishDecimalField(
        label=_("kg CO2e per kWh"),
        decimals=5,
        decimal_places=5,
        min_value=Decimal(0),
        max_digits=8,
        help_text=_(
            "E.g. Energinet's environmental declaration for electricity, or the district heating "
            "company's own figure."
        ),
    )
    factor_source = forms.CharField(label=_("Source of the factor"), max_length=300)


class FactorVersionForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class FactorForm(forms.Form):
    division = forms.CharField(widget=forms.HiddenInput, max_length=2)
    label = forms.CharField(label=_("Category"), max_length=300)
    kg_per_dkk = DanishDecimalField(
        label=_("kg CO2e per DKK"),
        decimals=6,
        decimal_places=6,
        min_value=Decimal(0),
        max_digits=10,
        required=False,
        help_text=_("Leave empty for no factor."),
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"), choices=[("", "–"), *Confidence.choices], required=False
    )


FactorFormSet = forms.formset_factory(FactorForm, extra=0, max_num=100, validate_max=True)
