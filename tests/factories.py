"""factory_boy factories for the domain models."""

from __future__ import annotations

import factory
from stdnum import ean
from stdnum.dk import cvr

from accounts.models import Organisation, Role, User
from members.models import Member, Municipality, PopulationFigure


def valid_cvr(n: int) -> str:
    """The n-th test CVR number: distinct for distinct n, passing the modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    # Each 7-digit prefix has at most one valid last digit; three prefixes per n never overlap.
    for prefix in (str(2_000_000 + 3 * n + i) for i in range(3)):
        check = -sum(w * int(d) for w, d in zip(weights, prefix, strict=True)) % 11
        if check < 10:
            candidate = prefix + str(check)
            assert cvr.is_valid(candidate)
            return candidate
    raise ValueError(f"no valid CVR near {n}")


def valid_gln(n: int) -> str:
    body = f"579800{n:06d}"
    return body + ean.calc_check_digit(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    kind = Organisation.Kind.MEMBER
    name = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.Sequence(lambda n: f"kommune-{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)
    status = Member.Status.MEMBER


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    member = factory.SubFactory(MemberFactory)
    code = factory.Sequence(lambda n: f"{101 + n % 299:03d}")  # clear of the cast's 461 and 751
    name = factory.LazyAttribute(lambda o: o.member.organisation.name)
    cvr = factory.Sequence(valid_cvr)
    gln = factory.Sequence(valid_gln)
    region = "1083"


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationFigure

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2026
    population = 50_000


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="da_DK")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )
