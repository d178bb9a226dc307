"""Users, the organisations they belong to, their roles, and invitations into them.

The tenancy core: every user belongs to one organisation (the secretariat, a member or the board)
with one role. What a role may see and do is decided in accounts/access.py, nowhere else.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited
from consortium.models import TimeStampedModel


@audited()
class Organisation(TimeStampedModel):
    """The secretariat, a member (the tenant) or the board."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        MEMBER = "member", _("Member")
        BOARD = "board", _("Board")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            # There is one secretariat and one board; members are many.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="secretariat"),
                name="one_secretariat",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="board"), name="one_board"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        return self.kind == self.Kind.MEMBER


class Role(models.TextChoices):
    SECRETARIAT_ADMIN = "secretariat_admin", _("Secretariat administrator")
    SECRETARIAT_STAFF = "secretariat_staff", _("Secretariat staff")
    OFFICER = "officer", _("Procurement officer")
    VIEWER = "viewer", _("Member viewer")
    BOARD_MEMBER = "board_member", _("Board member")


# Which kind of organisation each role belongs to.
ROLE_KIND: dict[str, str] = {
    Role.SECRETARIAT_ADMIN: Organisation.Kind.SECRETARIAT,
    Role.SECRETARIAT_STAFF: Organisation.Kind.SECRETARIAT,
    Role.OFFICER: Organisation.Kind.MEMBER,
    Role.VIEWER: Organisation.Kind.MEMBER,
    Role.BOARD_MEMBER: Organisation.Kind.BOARD,
}


def validate_role_fits(role: str, organisation: Organisation | None) -> None:
    """Refuse a role that does not belong to the organisation's kind."""
    if not role and organisation is None:
        return
    if not role or organisation is None:
        raise ValidationError(_("A user needs both an organisation and a role."))
    if ROLE_KIND[role] != organisation.kind:
        raise ValidationError(
            _("The role “%(role)s” does not exist in %(org)s.")
            % {"role": Role(role).label, "org": organisation.name}
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


@audited(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):
    """A person, identified by e-mail address, with one role in one organisation."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    represents = models.ForeignKey(
        Organisation,
        verbose_name=_("represents member"),
        help_text=_("For board members: the member municipality they represent."),
        on_delete=models.SET_NULL,
        related_name="board_representatives",
        null=True,
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.MEMBER},
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("technical administrator"),
        default=False,
        help_text=_("May use the technical Django admin. Not a portal role."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            # A role is only meaningful together with an organisation.
            models.CheckConstraint(
                condition=models.Q(role="", organisation__isnull=True)
                | (~models.Q(role="") & models.Q(organisation__isnull=False)),
                name="user_role_with_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        validate_role_fits(self.role, self.organisation)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_secretariat(self) -> bool:
        return self.role in (Role.SECRETARIAT_ADMIN, Role.SECRETARIAT_STAFF)

    @property
    def is_secretariat_admin(self) -> bool:
        return self.role == Role.SECRETARIAT_ADMIN

    @property
    def is_member_user(self) -> bool:
        return self.role in (Role.OFFICER, Role.VIEWER)

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_board(self) -> bool:
        return self.role == Role.BOARD_MEMBER


def hash_token(token: str) -> str:
    """Invitation tokens are stored only as their SHA-256, like passwords are."""
    return hashlib.sha256(token.encode()).hexdigest()


def default_expiry() -> timezone.datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


@audited(exclude=["token_hash"])
class Invitation(TimeStampedModel):
    """An offer to one e-mail address to join one organisation with one role."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"), default=default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:invitation_list")

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.organisation_id:
            validate_role_fits(self.role, self.organisation)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


# Strong-authentication values accepted unless the secretariat sets others: Entra ID's and the
# OIDC "amr" value for multi-factor, and NSIS assurance levels substantial and high as OIOSAML 3
# (the Danish profile, digst.dk) and MitID Erhverv brokers assert them.
NSIS_LOA_ATTRIBUTE = "https://data.gov.dk/concept/core/nsis/loa"
DEFAULT_STRONG_AUTH_VALUES = [
    "mfa",
    "http://schemas.microsoft.com/claims/multipleauthn",
    "https://data.gov.dk/concept/core/nsis/loa/Substantial",
    "https://data.gov.dk/concept/core/nsis/loa/High",
    "Substantial",
    "High",
]


def default_strong_auth_values() -> list[str]:
    return list(DEFAULT_STRONG_AUTH_VALUES)


def default_saml_email_attribute() -> str:
    return "urn:oid:0.9.2342.19200300.100.1.3"


@audited(exclude=["client_secret_encrypted"])
class IdentityProvider(TimeStampedModel):
    """An organisation's own identity provider, through which its staff sign in.

    Set up by the secretariat administrator in the portal. Who may come in through it: a person
    whose e-mail domain is one of `email_domains` and, where `cvr_claim` is set, whose CVR claim
    is one of `cvr_numbers` — into `organisation` only, with the role of a pending invitation
    for that address or `default_role`.
    """

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="identity_providers",
    )
    name = models.CharField(
        _("name on the sign-in page"),
        max_length=200,
        help_text=_("For example the municipality's name."),
    )
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        help_text=_("Part of the addresses the identity provider calls. Change it rarely."),
    )
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices)
    enabled = models.BooleanField(_("in use"), default=True)
    email_domains = ArrayField(
        models.CharField(max_length=253),
        verbose_name=_("e-mail domains"),
        default=list,
        blank=True,
    )
    cvr_claim = models.CharField(
        _("CVR claim"),
        max_length=200,
        blank=True,
        help_text=_("Name of the claim or attribute that holds the organisation's CVR number."),
    )
    cvr_numbers = ArrayField(
        models.CharField(max_length=8),
        verbose_name=_("CVR numbers"),
        default=list,
        blank=True,
    )
    default_role = models.CharField(
        _("role of new users"), max_length=30, choices=Role.choices, default=Role.VIEWER
    )
    trust_email = models.BooleanField(
        _("the identity provider vouches for the e-mail addresses"),
        default=False,
        help_text=_(
            "Tick only when the organisation's identity provider issues the addresses itself. "
            "Otherwise an existing user is linked only when the provider says the address "
            "is verified."
        ),
    )
    strong_auth_values = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("values that mean strong authentication"),
        default=default_strong_auth_values,
        blank=True,
    )
    # OpenID Connect
    issuer_url = models.URLField(_("issuer URL"), max_length=500, blank=True)
    client_id = models.CharField(_("client id"), max_length=200, blank=True)
    client_secret_encrypted = models.TextField(editable=False, blank=True)
    scopes = models.CharField(_("scopes"), max_length=300, default="openid email profile")
    uid_claim = models.CharField(_("claim with the user's id"), max_length=100, default="sub")
    email_claim = models.CharField(
        _("claim with the e-mail address"), max_length=100, default="email"
    )
    name_claim = models.CharField(_("claim with the name"), max_length=100, default="name")
    # SAML 2.0
    idp_metadata_url = models.URLField(_("metadata URL of the IdP"), max_length=500, blank=True)
    idp_entity_id = models.CharField(_("entity id of the IdP"), max_length=500, blank=True)
    idp_sso_url = models.URLField(_("sign-in URL of the IdP"), max_length=500, blank=True)
    idp_x509cert = models.TextField(_("certificate of the IdP"), blank=True)
    sp_entity_id = models.CharField(
        _("the portal's entity id"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty to use the address of the portal's metadata."),
    )
    email_attribute = models.CharField(
        _("attribute with the e-mail address"),
        max_length=200,
        default=default_saml_email_attribute,
        blank=True,
    )
    uid_attribute = models.CharField(
        _("attribute with the user's id"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the NameID."),
    )

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_protocol_display()})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:identity_provider_edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        self.email_domains = sorted(
            {d.strip().lower().lstrip("@") for d in self.email_domains if d.strip()}
        )
        if not self.email_domains and not (self.cvr_claim and self.cvr_numbers):
            raise ValidationError(
                _("Give at least one e-mail domain or a CVR claim with the CVR numbers to accept.")
            )
        if self.cvr_claim and not self.cvr_numbers:
            raise ValidationError({"cvr_numbers": _("Give the CVR numbers the claim must hold.")})
        if self.organisation_id:
            try:
                validate_role_fits(self.default_role, self.organisation)
            except ValidationError as exc:
                raise ValidationError({"default_role": exc.messages}) from None
        if self.protocol == self.Protocol.OIDC:
            missing = {
                field: _("Required for OpenID Connect.")
                for field in ("issuer_url", "client_id")
                if not getattr(self, field)
            }
            if missing:
                raise ValidationError(missing)
        elif self.protocol == self.Protocol.SAML and not self.idp_metadata_url:
            missing = {
                field: _("Required for SAML unless the IdP's metadata URL is given.")
                for field in ("idp_entity_id", "idp_sso_url", "idp_x509cert")
                if not getattr(self, field)
            }
            if missing:
                raise ValidationError(missing)

    @property
    def has_secret(self) -> bool:
        return bool(self.client_secret_encrypted)


class ProviderLogout(models.Model):
    """An identity provider's word that a person's sessions (or one session) have ended.

    Written by the back-channel logout endpoint; a portal session started through that provider
    for that subject before `received_at` ends at its next request.
    """

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="logouts")
    subject = models.CharField(max_length=255, blank=True)
    session_id = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["provider", "subject", "received_at"])]

    def __str__(self) -> str:
        return f"{self.provider.slug}: {self.subject or self.session_id}"
