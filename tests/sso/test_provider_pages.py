"""The secretariat administrator connects an organisation's identity provider in the portal."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import IdentityProvider, Role
from accounts.sso import crypto
from accounts.sso.config import social_apps
from accounts.sso.services import identity_provider_for_email, secrets_rotate
from tests.conftest import client_for

from .certs import certificate_body, key_and_certificate

pytestmark = pytest.mark.django_db

OIDC_FORM = {
    "name": "Odense Kommune",
    "slug": "odense-entra",
    "protocol": "oidc",
    "enabled": "on",
    "email_domains": "odense.dk, Odense.DK\nodense.test",
    "default_role": Role.VIEWER,
    "strong_auth_values": "mfa",
    "issuer_url": "https://login.microsoftonline.com/tenant/v2.0",
    "client_id": "abc",
    "client_secret": "top-secret-value",
    "scopes": "openid email profile",
    "uid_claim": "sub",
    "email_claim": "email",
    "name_claim": "name",
    "email_attribute": "",
}


def test_admin_connects_an_oidc_provider_with_the_secret_encrypted(cast) -> None:
    client = client_for(cast.admin)
    data = {**OIDC_FORM, "organisation": cast.odense.organisation.pk}
    response = client.post(reverse("accounts:identity_provider_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get()
    assert provider.email_domains == ["odense.dk", "odense.test"]
    assert "top-secret-value" not in provider.client_secret_encrypted
    assert crypto.decrypt(provider.client_secret_encrypted) == "top-secret-value"
    assert social_apps(provider="odense-entra")[0].secret == "top-secret-value"
    page = client.get(provider.get_absolute_url()).content.decode()
    assert "/accounts/oidc/odense-entra/login/callback/" in page
    assert "/sso/odense-entra/backchannel-logout/" in page
    assert "top-secret-value" not in page


def test_saving_without_a_secret_keeps_the_stored_one(cast) -> None:
    client = client_for(cast.admin)
    data = {**OIDC_FORM, "organisation": cast.odense.organisation.pk}
    client.post(reverse("accounts:identity_provider_new"), data)
    provider = IdentityProvider.objects.get()
    response = client.post(provider.get_absolute_url(), {**data, "client_secret": "", "name": "Ny"})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, crypto.decrypt(provider.client_secret_encrypted)) == (
        "Ny",
        "top-secret-value",
    )


def test_a_role_of_another_kind_of_organisation_is_refused(cast) -> None:
    client = client_for(cast.admin)
    data = {
        **OIDC_FORM,
        "organisation": cast.odense.organisation.pk,
        "default_role": Role.SECRETARIAT_ADMIN,
    }
    response = client.post(reverse("accounts:identity_provider_new"), data)
    assert response.status_code == 400
    assert not IdentityProvider.objects.exists()


def test_provider_without_domain_or_cvr_is_refused(cast) -> None:
    client = client_for(cast.admin)
    data = {**OIDC_FORM, "organisation": cast.odense.organisation.pk, "email_domains": ""}
    response = client.post(reverse("accounts:identity_provider_new"), data)
    assert response.status_code == 400
    assert "Angiv mindst ét e-maildomæne" in response.content.decode()


def test_saml_metadata_file_fills_in_the_idp(cast) -> None:
    cert = certificate_body(key_and_certificate("metadata-idp")[1])
    metadata = f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
  xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://broker.example.dk/idp">
 <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
  <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
  <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://broker.example.dk/sso"/>
 </md:IDPSSODescriptor>
</md:EntityDescriptor>"""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(cast.admin)
    data = {
        **OIDC_FORM,
        "protocol": "saml",
        "slug": "odense-saml",
        "client_secret": "",
        "email_attribute": "urn:oid:0.9.2342.19200300.100.1.3",
        "organisation": cast.odense.organisation.pk,
        "idp_metadata_file": SimpleUploadedFile("idp.xml", metadata.encode(), "text/xml"),
    }
    response = client.post(reverse("accounts:identity_provider_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    provider = IdentityProvider.objects.get()
    assert (provider.idp_entity_id, provider.idp_sso_url) == (
        "https://broker.example.dk/idp",
        "https://broker.example.dk/sso",
    )
    assert provider.idp_x509cert == cert
    sp_metadata = client.get(reverse("saml_metadata", args=["odense-saml"]))
    assert sp_metadata.status_code == 200
    assert b"AssertionConsumerService" in sp_metadata.content


def test_only_the_secretariat_administrator_reaches_the_pages(cast) -> None:
    for user in (cast.staff, cast.officer, cast.board_member):
        assert client_for(user).get(reverse("accounts:identity_provider_list")).status_code == 403


def test_email_domain_finds_exactly_one_provider(cast) -> None:
    IdentityProvider.objects.create(
        organisation=cast.odense.organisation, name="Odense", slug="odense",
        protocol="oidc", email_domains=["odense.dk"], issuer_url="https://x.test", client_id="a",
    )  # fmt: skip
    assert identity_provider_for_email("Anna@Odense.dk").slug == "odense"
    assert identity_provider_for_email("bo@aarhus.dk") is None


def test_secrets_survive_a_key_rotation(cast, settings) -> None:
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SSO_ENCRYPTION_KEYS = [old]
    provider = IdentityProvider.objects.create(
        organisation=cast.odense.organisation, name="Odense", slug="odense", protocol="oidc",
        email_domains=["odense.dk"], issuer_url="https://x.test", client_id="a",
        client_secret_encrypted=crypto.encrypt("s3cret"),
    )  # fmt: skip
    settings.SSO_ENCRYPTION_KEYS = [new, old]
    assert secrets_rotate() == 1
    settings.SSO_ENCRYPTION_KEYS = [new]
    provider.refresh_from_db()
    assert crypto.decrypt(provider.client_secret_encrypted) == "s3cret"


@override_settings(SSO_ENCRYPTION_KEYS=[])
def test_without_keys_the_secret_key_derives_one() -> None:
    assert crypto.decrypt(crypto.encrypt("x")) == "x"
    assert crypto.decrypt("not-a-token") == ""
