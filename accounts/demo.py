"""Demo organisations and users. Every demo user has the same password (see README)."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from .models import Organisation, Role, User
from .services import user_create

DEFAULT_PASSWORD = "demo-12by-portal"  # noqa: S105 — documented demo password, seed refuses to run in production


# Invented names for the members' procurement officers, by the slug of the member's organisation
# (the demo members of members/demo.py, which are seeded first).
OFFICER_NAMES: dict[str, str] = {
    "aarhus": "Camilla Vestergaard",
    "herning": "Jesper Lauridsen",
    "soenderborg": "Anne-Mette Schmidt",
    "vejle": "Thomas Bech",
    "middelfart": "Louise Kristiansen",
    "fredericia": "Martin Dahl",
    "silkeborg": "Signe Overgaard",
    "ikast-brande": "Rasmus Frandsen",
    "holstebro-lemvig": "Maria Lykke",
    "esbjerg": "Kasper Winther",
    "kolding": "Helle Brandt",
    "randers": "Niels Munk",
    "svendborg": "Pernille Skov",
    "odense": "Ole Rasmussen",
}


def _user(
    email: str, org: Organisation, role: str, name: str, password: str, **extra: object
) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return user_create(
            email=email, organisation=org, role=role, full_name=name, password=password, **extra
        )
    user.organisation, user.role, user.full_name, user.is_active = org, role, name, True
    for key, value in extra.items():
        setattr(user, key, value)
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(*, password: str = DEFAULT_PASSWORD) -> dict[str, User]:
    """Create the secretariat, the board and the demo users of every role."""
    secretariat, _ = Organisation.objects.update_or_create(
        slug="sekretariat",
        defaults={
            "kind": Organisation.Kind.SECRETARIAT,
            "name": "12-by Gruppen Indkøbscentral, sekretariatet (Odense)",
        },
    )
    board, _ = Organisation.objects.update_or_create(
        slug="bestyrelse",
        defaults={"kind": Organisation.Kind.BOARD, "name": "Bestyrelsen for 12-by Gruppen"},
    )
    odense = Organisation.objects.get(slug="odense")
    users = {
        "admin": _user(
            "admin@12by.test", secretariat, Role.SECRETARIAT_ADMIN, "Anne Administrator", password
        ),
        "staff": _user(
            "sekretariat@12by.test",
            secretariat,
            Role.SECRETARIAT_STAFF,
            "Søren Sekretariat",
            password,
        ),
        "board": _user(
            "bestyrelse@12by.test",
            board,
            Role.BOARD_MEMBER,
            "Birgit Bestyrelse",
            password,
            represents=odense,
        ),
        "viewer": _user("laeser@odense.test", odense, Role.VIEWER, "Lars Læser", password),
    }
    for slug, name in OFFICER_NAMES.items():
        org = Organisation.objects.get(slug=slug)
        users[f"officer:{slug}"] = _user(f"indkob@{slug}.test", org, Role.OFFICER, name, password)
    return users
