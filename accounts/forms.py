from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role, User, validate_role_fits


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("kind", "name")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean(self) -> dict:
        data = super().clean()
        organisation, role = data.get("organisation"), data.get("role")
        if organisation and role:
            try:
                validate_role_fits(role, organisation)
            except ValidationError as exc:
                self.add_error("role", exc)
        return data


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password2(self) -> str:
        one, two = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if one and two and one != two:
            raise ValidationError(_("The two passwords are not the same."))
        if two:
            probe = User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))
            validate_password(two, user=probe)
        return two
