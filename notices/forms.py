from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
