"""The user's own API tokens: list, create (the secret is shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import any_role
from consortium.forms import add_service_errors

from .forms import ApiTokenForm
from .models import ApiToken
from .services import api_token_create, api_token_revoke


@require_safe
@any_role
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.owned_by(request.user)
    return TemplateResponse(
        request,
        "api/token_list.html",
        {"tokens": tokens, "api_base": request.build_absolute_uri(reverse("api:api-root"))},
    )


@require_http_methods(["GET", "POST"])
@any_role
def token_new(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Shown on this response only: the secret is not stored and the page is not cached.
            response = TemplateResponse(
                request,
                "api/token_created.html",
                {
                    "token": token,
                    "secret": secret,
                    "api_base": request.build_absolute_uri(reverse("api:api-root")),
                },
            )
            add_never_cache_headers(response)
            return response
    return TemplateResponse(
        request, "api/token_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
@any_role
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.owned_by(request.user), pk=pk)
    api_token_revoke(token=token, user=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
