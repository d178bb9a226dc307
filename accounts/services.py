"""Writes for users, organisations and invitations."""

from __future__ import annotations

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consortium.emails import queue_email

from .models import Invitation, Organisation, User, hash_token


@transaction.atomic
def user_create(
    *,
    email: str,
    organisation: Organisation | None,
    role: str,
    full_name: str = "",
    password: str | None = None,
    represents: Organisation | None = None,
) -> User:
    """Create a user with a verified primary e-mail address (the invitation proved it)."""
    user = User(
        email=email.strip().lower(),
        organisation=organisation,
        role=role,
        full_name=full_name,
        represents=represents,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@transaction.atomic
def invitation_create(
    *,
    invited_by: User,
    email: str,
    organisation: Organisation,
    role: str,
    full_name: str = "",
) -> tuple[Invitation, str]:
    """Invite a person into an organisation with a role and e-mail them the link.

    Returns the invitation and the raw token (only its hash is stored). Earlier pending
    invitations for the same address are revoked, so only the newest link works.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    token = secrets.token_urlsafe(32)
    Invitation.objects.pending().filter(email__iexact=email).update(
        revoked_at=timezone.now(), revoked_by=invited_by
    )
    invitation = Invitation(
        email=email,
        full_name=full_name,
        organisation=organisation,
        role=role,
        invited_by=invited_by,
        token_hash=hash_token(token),
    )
    invitation.full_clean()
    invitation.save()
    queue_email(
        "emails/invitation",
        to=[email],
        context={
            "full_name": full_name,
            "organisation": organisation.name,
            "role": invitation.get_role_display(),
            "invited_by": invited_by.get_full_name(),
            "accept_path": reverse("accounts:invitation_accept", args=[token]),
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> Invitation:
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = revoked_by
    invitation.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation behind a link, whatever its status; None if the link is unknown."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Turn a pending invitation into a user with the invited organisation and role."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("This invitation is no longer valid."))
    probe = User(email=invitation.email, full_name=full_name)
    validate_password(password, user=probe)
    user = user_create(
        email=invitation.email,
        organisation=invitation.organisation,
        role=invitation.role,
        full_name=full_name,
        password=password,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
    return user
