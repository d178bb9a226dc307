"""Writes of the api app: creating and revoking tokens, and the writes the API offers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import EDITOR_ROLES, acting_for, has_role
from accounts.models import Role, User
from consortium import tenancy
from tenders.models import Lot, Participation, VolumeDeclaration
from tenders.services import LotVolume, StaleEdit, participation_answer

from .models import ApiToken
from .tokens import token_generate, token_hash

MAX_TOKEN_DAYS = 365
# Writing a timestamp on every call would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_token_create(*, user: User, name: str, scope: str, valid_days: int) -> tuple[ApiToken, str]:
    """Create a personal token; returns it and the full secret, which is never stored."""
    if not 1 <= valid_days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"valid_days": _("A token is valid for 1 to %(days)s days.") % {"days": MAX_TOKEN_DAYS}}
        )
    if scope == ApiToken.Scope.READ_WRITE and not has_role(user, EDITOR_ROLES):
        raise ValidationError({"scope": _("Your role can only read, so the token can only read.")})
    prefix, secret = token_generate()
    token = ApiToken(
        user=user,
        name=name.strip(),
        scope=scope,
        prefix=prefix,
        secret_hash=token_hash(secret),
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    with transaction.atomic(), pghistory.context(user=user.pk):
        token.full_clean()
        token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    """Revoke a token at once; later calls with it answer 401."""
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        with transaction.atomic(), pghistory.context(user=user.pk):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The token for `secret` whatever its state (the caller tells expired from revoked)."""
    # Before the token is found nobody is acting: the lookup by its hash is the one thing the
    # database lets the "authenticate" context do (consortium/tenancy.py).
    with tenancy.acting_as(tenancy.Acting(scope=tenancy.AUTHENTICATE)):
        token = (
            ApiToken.objects.select_related("user").filter(secret_hash=token_hash(secret)).first()
        )
    if token is not None and token.is_usable:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            with tenancy.acting_as(acting_for(token.user)):
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


class DeclarationConflict(Exception):
    """A declaration write that the tender's state or a concurrent change does not allow."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def volume_declaration_version(declaration: VolumeDeclaration) -> str:
    """The version a client must send back to change a declaration: the version of its member's
    answer to the tender (optimistic concurrency, as on the participation page)."""
    return str(declaration.participation.version)


def volume_declaration_put(
    *,
    user: User,
    lot: Lot,
    annual_volume: Decimal,
    quantity: Decimal | None,
    version: str | None,
) -> tuple[VolumeDeclaration, bool]:
    """Declare or change the user's member's volume on one lot; returns it and if it was new.

    The write is the tenders app's own `participation_answer`, the one the participation page
    uses, so its deadline lock (with the secretariat's reopening), its optimistic concurrency
    and its validation apply unchanged; the member's other lots are passed on as they are.
    Here only what the API adds: a procurement officer declares for their own member on a tender
    the member has joined (the API does not answer the invitation), and a change must quote the
    version it read. The tenders app's refusals become `DeclarationConflict` codes.
    """
    if not has_role(user, {Role.OFFICER}):
        raise PermissionDenied
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("tender")
            .filter(tender_id=lot.tender_id, member__organisation_id=user.organisation_id)
            .first()
        )
        if participation is None or participation.answer != Participation.Answer.PARTICIPATE:
            raise DeclarationConflict(
                "not_participating",
                _("Your municipality has not joined this tender, so it cannot declare volumes."),
            )
        volumes = {
            d.lot_id: LotVolume(d.annual_volume, d.quantity)
            for d in participation.declarations.all()
        }
        created = lot.pk not in volumes
        if version is None:
            if not created:
                raise DeclarationConflict(
                    "version_conflict",
                    _("The declaration exists: send the version you read to change it."),
                )
            expected = participation.version
        elif version.isdigit() and len(version) < 10:
            expected = int(version)
        else:
            expected = -1  # never a version: refused as stale below
        volumes[lot.pk] = LotVolume(annual_volume, quantity)
        try:
            participation_answer(
                participation=participation,
                user=user,
                answer=Participation.Answer.PARTICIPATE,
                version=expected,
                volumes=volumes,
            )
        except StaleEdit:
            raise DeclarationConflict(
                "version_conflict",
                _("Someone changed the declaration since you read it. Read it again and retry."),
            ) from None
        except ValidationError as exc:
            if participation.is_locked():
                raise DeclarationConflict("deadline_passed", exc.messages[0]) from None
            raise
        declaration = VolumeDeclaration.objects.get(participation=participation, lot=lot)
    return declaration, created
