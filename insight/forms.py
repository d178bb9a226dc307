"""Forms for the secretariat's insight settings: they validate input only; services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from consortium.forms import DanishDecimalField


class ThresholdsForm(forms.Form):
    low_percent = DanishDecimalField(
        label=_("Flag a member that bought less than this share of its declaration (%)"),
        decimals=None,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    high_percent = DanishDecimalField(
        label=_("Flag a member that bought more than its declaration by more than (%)"),
        decimals=None,
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
    )


class MaximumForm(forms.Form):
    maximum_value = DanishDecimalField(
        label=_("Maximum value over the agreement's life (DKK ex. VAT)"),
        help_text=_("Leave empty to use the pooled estimate of the joint tender."),
        decimals=2,
        required=False,
        min_value=Decimal("0.01"),
    )
    note = forms.CharField(label=_("Source of the maximum"), max_length=200, required=False)


class DeclarationsForm(forms.Form):
    """One field per bound member: its declared annual volume (empty: none entered)."""

    def __init__(self, *args: object, members: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for member in members:
            self.fields[f"member_{member.pk}"] = DanishDecimalField(
                label=member.name, decimals=2, required=False, min_value=Decimal("0")
            )
