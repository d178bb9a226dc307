from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from accounts.models import IdentityProvider, Organisation


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


class ListField(forms.CharField):
    """A list typed as words separated by spaces, commas or new lines."""

    def prepare_value(self, value: object) -> object:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: object) -> list[str]:  # type: ignore[override]
        return _split(str(value or ""))


class IdentityProviderForm(forms.ModelForm):
    email_domains = ListField(
        label=_("E-mail domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more, e.g. odense.dk. Only addresses in these domains may come in."),
    )
    cvr_numbers = ListField(label=_("CVR numbers"), required=False)
    strong_auth_values = ListField(
        label=_("Values that mean strong authentication"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Values of acr, amr, AuthnContextClassRef or the NSIS level that count as two-factor "
            "authentication, one per line."
        ),
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted. Leave empty to keep the stored secret."),
    )
    idp_metadata_file = forms.FileField(
        label=_("Metadata file of the IdP"),
        required=False,
        help_text=_("Fills in the IdP's entity id, sign-in URL and certificate."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "name",
            "slug",
            "protocol",
            "enabled",
            "email_domains",
            "cvr_claim",
            "cvr_numbers",
            "default_role",
            "trust_email",
            "strong_auth_values",
            "issuer_url",
            "client_id",
            "client_secret",
            "scopes",
            "uid_claim",
            "email_claim",
            "name_claim",
            "idp_metadata_url",
            "idp_metadata_file",
            "idp_entity_id",
            "idp_sso_url",
            "idp_x509cert",
            "sp_entity_id",
            "email_attribute",
            "uid_attribute",
        ]
        widgets = {"idp_x509cert": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            kind=Organisation.Kind.BOARD
        ).order_by("kind", "name")

    def clean_idp_metadata_file(self) -> dict | None:
        upload = self.cleaned_data.get("idp_metadata_file")
        if not upload:
            return None
        if upload.size > 512 * 1024:
            raise ValidationError(_("The metadata file is too large."))
        try:
            parsed = OneLogin_Saml2_IdPMetadataParser.parse(upload.read())
        except Exception:
            raise ValidationError(
                _("The file is not SAML metadata of an identity provider.")
            ) from None
        idp = parsed.get("idp") or {}
        if not idp.get("entityId") or not (idp.get("singleSignOnService") or {}).get("url"):
            raise ValidationError(_("The file is not SAML metadata of an identity provider."))
        return idp

    def _post_clean(self) -> None:
        metadata = self.cleaned_data.get("idp_metadata_file")
        if metadata:
            self.instance.idp_entity_id = metadata["entityId"]
            self.instance.idp_sso_url = metadata["singleSignOnService"]["url"]
            self.instance.idp_x509cert = metadata.get("x509cert") or next(
                iter((metadata.get("x509certMulti") or {}).get("signing", [])), ""
            )
            for field in ("idp_entity_id", "idp_sso_url", "idp_x509cert"):
                self.cleaned_data.pop(field, None)
        super()._post_clean()

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("protocol") == IdentityProvider.Protocol.OIDC
            and not data.get("client_secret")
            and not self.instance.has_secret
        ):
            self.add_error("client_secret", _("Required for OpenID Connect."))
        return data


class ProviderChoiceForm(forms.Form):
    """The sign-in page's choice: a provider, or an e-mail address whose domain names one."""

    provider = forms.SlugField(required=False)
    email = forms.EmailField(required=False)
    next = forms.CharField(required=False)
