from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import EDITOR_ROLES, has_role

from .models import ApiToken

VALIDITY_CHOICES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("1 year")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Power BI, indkøbsrapport”."),
    )
    scope = forms.ChoiceField(label=_("Access"), choices=ApiToken.Scope.choices)
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"), choices=VALIDITY_CHOICES, coerce=int, initial=90
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not has_role(user, EDITOR_ROLES):
            # Roles that cannot change anything in the portal get read-only tokens.
            self.fields["scope"].choices = [(ApiToken.Scope.READ, ApiToken.Scope.READ.label)]
