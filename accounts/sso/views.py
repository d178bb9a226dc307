"""Single sign-on pages: the sign-in choice, and the secretariat administrator's provider pages."""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import secretariat_admin_only
from accounts.models import IdentityProvider
from consortium.forms import add_service_errors

from .config import identity_provider_for
from .forms import IdentityProviderForm, ProviderChoiceForm
from .services import identity_provider_for_email, identity_provider_save


def safe_next(request: HttpRequest, value: str) -> str | None:
    """`next` only when it stays on this site."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def sign_in_choices() -> list[IdentityProvider]:
    return list(
        IdentityProvider.objects.filter(enabled=True)
        .select_related("organisation")
        .order_by("name")
    )


@require_POST
def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the person to their organisation's identity provider (chosen, or by e-mail domain)."""
    form = ProviderChoiceForm(request.POST)
    idp = None
    if form.is_valid():
        if form.cleaned_data["provider"]:
            idp = identity_provider_for(form.cleaned_data["provider"])
        elif form.cleaned_data["email"]:
            idp = identity_provider_for_email(form.cleaned_data["email"])
    if idp is None:
        messages.error(
            request,
            _(
                "We found no identity provider for your organisation. Choose your municipality "
                "in the list, or sign in with your e-mail address and password."
            ),
        )
        return redirect("account_login")
    provider = get_adapter().get_provider(request, provider=idp.slug)
    next_url = safe_next(request, form.cleaned_data.get("next") or "")
    return provider.redirect(request, AuthProcess.LOGIN, next_url=next_url)


@require_safe
@secretariat_admin_only
def identity_provider_list(request: HttpRequest) -> HttpResponse:
    providers = IdentityProvider.objects.select_related("organisation")
    return TemplateResponse(
        request, "accounts/identity_provider_list.html", {"providers": providers}
    )


def _endpoints(request: HttpRequest, provider: IdentityProvider) -> list[tuple[str, str]]:
    """The portal's addresses the organisation's IT department registers at its provider."""
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        names = [
            (_("Redirect URI"), reverse("openid_connect_callback", args=[provider.slug])),
            (
                _("Back-channel logout URI"),
                reverse("accounts:sso_backchannel_logout", args=[provider.slug]),
            ),
        ]
    else:
        names = [
            (_("Metadata of the portal (SP)"), reverse("saml_metadata", args=[provider.slug])),
            (_("Assertion consumer service (ACS)"), reverse("saml_acs", args=[provider.slug])),
            (_("Single logout service (SLS)"), reverse("saml_sls", args=[provider.slug])),
        ]
    return [(label, request.build_absolute_uri(path)) for label, path in names]


@require_http_methods(["GET", "POST"])
@secretariat_admin_only
def identity_provider_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, pk=pk) if pk else IdentityProvider()
    form = IdentityProviderForm(request.POST or None, request.FILES or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            identity_provider_save(
                provider=form.save(commit=False), client_secret=form.cleaned_data["client_secret"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The identity provider %(name)s is saved.") % {"name": provider.name}
            )
            return redirect("accounts:identity_provider_edit", pk=provider.pk)
    return TemplateResponse(
        request,
        "accounts/identity_provider_form.html",
        {
            "form": form,
            "provider": provider,
            "endpoints": _endpoints(request, provider) if provider.pk else [],
        },
        status=400 if form.errors else 200,
    )


@require_POST
@secretariat_admin_only
def identity_provider_delete(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, pk=pk)
    provider.delete()
    messages.success(
        request, _("The identity provider %(name)s is deleted.") % {"name": provider.name}
    )
    return redirect("accounts:identity_provider_list")
