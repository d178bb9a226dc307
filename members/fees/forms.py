"""The fee model form. It validates input only."""

from __future__ import annotations

from django import forms

from ..forms import DATE
from .models import FeeModel


class FeeModelForm(forms.ModelForm):
    class Meta:
        model = FeeModel
        fields = [
            "year",
            "budget",
            "base_share",
            "minimum_fee",
            "population_year",
            "due_on",
            "notes",
        ]
        widgets = {"due_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
