"""Users and invitations: the secretariat administrator invites, the invited person accepts."""

from __future__ import annotations

from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from consortium.forms import add_service_errors, search_query

from .access import secretariat_admin_only
from .forms import AcceptInvitationForm, InvitationForm
from .models import Invitation, User
from .services import invitation_accept, invitation_create, invitation_for_token, invitation_revoke


@require_safe
@secretariat_admin_only
def user_list(request: HttpRequest) -> HttpResponse:
    query = search_query(request)
    users = User.objects.select_related("organisation").order_by(
        "organisation__name", "full_name", "pk"
    )
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    # A page at a time: a national body has thousands of users.
    page = Paginator(users, 100).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "accounts/user_list.html",
        {"page": page, "users": page.object_list, "q": query},
    )


@require_safe
@secretariat_admin_only
def invitation_list(request: HttpRequest) -> HttpResponse:
    invitations = Invitation.objects.select_related("organisation", "invited_by")[:200]
    return TemplateResponse(
        request,
        "accounts/invitation_list.html",
        {"invitations": invitations, "form": InvitationForm()},
    )


@require_http_methods(["GET", "POST"])
@secretariat_admin_only
def invitation_new(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = invitation_create(invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("accounts:invitation_list")
    return TemplateResponse(
        request,
        "accounts/invitation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@secretariat_admin_only
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        invitation_revoke(invitation=invitation, revoked_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect("accounts:invitation_list")


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: choose a name and password, then land on the start page."""
    invitation = invitation_for_token(token)
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        status = invitation.status if invitation else None
        return TemplateResponse(
            request,
            "accounts/invitation_invalid.html",
            {"status": status},
            status=410 if invitation else 404,
        )
    if request.user.is_authenticated:
        # Accepting while signed in as someone else would mix two people's sessions.
        logout(request)
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Welcome to the portal, %(name)s.") % {"name": user.get_short_name()}
            )
            return perform_login(
                request, user, redirect_url=reverse("home")
            )  # → the role's start page
    return TemplateResponse(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )
