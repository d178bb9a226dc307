from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Nuts3
from spend.models import Supplier

from .models import NoticeKind, ReceivedTenders


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Notice"), choices=NoticeKind.choices)


class ReceivedTendersForm(forms.ModelForm):
    class Meta:
        model = ReceivedTenders
        fields = ["tenders", "sme", "other_eea", "non_eea"]

    def clean(self) -> dict:
        data = super().clean()
        total = data.get("tenders")
        for name in ("sme", "other_eea", "non_eea"):
            if total is not None and (data.get(name) or 0) > total:
                self.add_error(name, _("Cannot be more than the tenders received."))
        return data


class SupplierDetailsForm(forms.ModelForm):
    """What the award notice says about a winning supplier besides its CVR and name."""

    nuts_code = forms.ChoiceField(
        label=_("NUTS code"), choices=[("", "—"), *Nuts3.choices], required=False
    )

    class Meta:
        model = Supplier
        fields = ["address", "postcode", "city", "nuts_code", "company_size"]
