"""Who may come in through an organisation's identity provider, and as whom.

A person signing in through organisation O's provider:
* must have an e-mail address in one of O's domains and, where O's provider names a CVR claim,
  a CVR number O accepts — so a claim the person controls (a display name, an address in another
  domain) never moves anyone into another organisation;
* is the portal user already linked to that provider account, if any; that user must belong to O;
* else the existing user with that e-mail address — linked only when the address is verified both
  by the provider and in the portal, and only when the user belongs to O;
* else a new user in O, with the role of a pending invitation into O for that address, or O's
  default role. A new user needs a verified address too.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IdentityProvider, Invitation, User
from accounts.services import user_create

from .claims import email_of, email_verified_claim, first


class Refused(Exception):
    """The person may not come in through this provider; `message` says why, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Admission:
    email: str
    verified: bool


def check_claims(
    idp: IdentityProvider, claims: dict[str, list[str]], fallback_email: str = ""
) -> Admission:
    """Refuse unless the claims place the person in the provider's organisation."""
    organisation = idp.organisation.name
    email = email_of(idp, claims, fallback_email)
    if not email or "@" not in email:
        raise Refused(_("The identity provider did not send your e-mail address."))
    domain = email.rsplit("@", 1)[1]
    if idp.email_domains and domain not in idp.email_domains:
        raise Refused(
            _(
                "Your e-mail address is not in a domain of %(organisation)s, so you cannot "
                "sign in through its identity provider."
            )
            % {"organisation": organisation}
        )
    if idp.cvr_claim:
        cvr_values = {value.strip() for value in claims.get(idp.cvr_claim, [])}
        if not cvr_values & set(idp.cvr_numbers):
            raise Refused(
                _("The identity provider did not confirm that you work for %(organisation)s.")
                % {"organisation": organisation}
            )
    return Admission(email=email, verified=idp.trust_email or email_verified_claim(claims))


def _other_organisation() -> Refused:
    return Refused(
        _(
            "Your user in the portal belongs to another organisation. Sign in with your e-mail "
            "address and password, or ask the secretariat."
        )
    )


def _unverified() -> Refused:
    return Refused(
        _(
            "The identity provider did not confirm your e-mail address, so it cannot be used "
            "to sign in to the portal. Ask the secretariat."
        )
    )


def check_linked_user(idp: IdentityProvider, user: User) -> None:
    if user.organisation_id != idp.organisation_id:
        raise _other_organisation()


@transaction.atomic
def user_for_admission(
    idp: IdentityProvider, admission: Admission, claims: dict[str, list[str]]
) -> User:
    """The existing user to link, or a new user; refuse what the rules above do not allow."""
    if not admission.verified:
        raise _unverified()
    existing = User.objects.filter(email__iexact=admission.email).first()
    if existing is not None:
        check_linked_user(idp, existing)
        if not EmailAddress.objects.filter(
            user=existing, email__iexact=admission.email, verified=True
        ).exists():
            raise _unverified()
        return existing
    invitation = (
        Invitation.objects.pending()
        .select_for_update()
        .filter(email__iexact=admission.email, organisation=idp.organisation)
        .order_by("-created_at")
        .first()
    )
    name_claim = idp.name_claim if idp.protocol == IdentityProvider.Protocol.OIDC else ""
    full_name = (first(claims, name_claim) if name_claim else "") or (
        invitation.full_name if invitation else ""
    )
    user = user_create(
        email=admission.email,
        organisation=idp.organisation,
        role=invitation.role if invitation else idp.default_role,
        full_name=full_name[:200],
    )
    if invitation is not None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
    return user
