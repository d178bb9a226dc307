"""Access cases for members: directory and pages (shared), contacts (own officers and the
secretariat), commitments and fee models (secretariat), signed documents and fee statements
(the member's own users and the secretariat)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from members.models import Commitment, Contact, Fee, FeeModel, FeeStatement, PopulationFigure

from .matrix import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SECRETARIAT,
    Case,
    expect,
    only,
)


def setup(world: Any) -> None:
    cast = world.cast
    objects = world.objects
    objects["contact_odense"] = Contact.objects.create(member=cast.odense, name="Mette Jørgensen")
    objects["contact_aarhus"] = Contact.objects.create(member=cast.aarhus, name="Lars Østergaard")
    commitment = Commitment.objects.create(member=cast.odense, start_year=2026, end_year=2029)
    commitment.signed_document.save("beslutning.pdf", ContentFile(b"%PDF-1.4"), save=True)
    objects["commitment_odense"] = commitment
    objects["population_odense"] = PopulationFigure.objects.create(
        municipality=cast.odense.municipalities.get(), year=2025, population=200_000
    )
    fee_model = FeeModel.objects.create(
        year=2026, budget=Decimal("100.00"), base_share=Decimal("0.5"), population_year=2026
    )
    for member in (cast.odense, cast.aarhus):
        Fee.objects.create(
            fee_model=fee_model, member=member, population=1, base=Decimal("25"),
            population_part=Decimal("25"), amount=Decimal("50"),
        )  # fmt: skip
        statement = FeeStatement(member=member, year=2026, amount=Decimal("50"))
        statement.pdf.save("x.pdf", ContentFile(b"%PDF-1.4"), save=True)
        objects[f"statement_{member.organisation.slug}"] = statement


def _pk(name: str, key: str) -> Any:
    return lambda w: reverse(name, args=[w.objects[key].pk])


def _member(name: str, which: str) -> Any:
    return lambda w: reverse(name, args=[getattr(w.cast, which).pk])


CONTACT_POST = {"name": "Ny Kontakt", "role": "other", "hours_per_year": "0"}
OWN_EDITORS = expect(
    NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=FORBIDDEN, board=FORBIDDEN
)
OTHER_EDITORS = expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, board=FORBIDDEN)
OWN_READERS = expect(
    NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK, board=FORBIDDEN
)

CASES: list[Case] = [
    # --- shared: directory and member pages --------------------------------------------------------
    Case("members:directory", expect(OK, anonymous=LOGIN)),
    Case("members:detail", expect(OK, anonymous=LOGIN), path=_member("members:detail", "aarhus")),
    Case(
        "members:detail",
        expect(NOT_FOUND, anonymous=LOGIN),
        path="/members/999999/",
        label="missing",
    ),
    # --- secretariat forms ---------------------------------------------------------------------------
    Case("members:member_new", only(SECRETARIAT)),
    Case(
        "members:member_new",
        only(SECRETARIAT, REDIRECT),
        method="post",
        data={"name": "Skanderborg", "status": "candidate"},
        label="POST",
    ),
    Case("members:member_edit", only(SECRETARIAT), path=_member("members:member_edit", "odense")),
    Case("members:municipality_edit", only(SECRETARIAT), path="/members/municipalities/461/edit/"),
    Case("members:import", only(SECRETARIAT)),
    Case("members:municipality_list", only(SECRETARIAT)),
    Case("members:municipality_new", only(SECRETARIAT)),
    Case(
        "members:municipality_new",
        only(SECRETARIAT, REDIRECT),
        method="post",
        data={"code": "147", "name": "Frederiksberg", "region": "1084"},
        label="POST",
    ),
    Case(
        "members:population_edit",
        only(SECRETARIAT),
        path=_pk("members:population_edit", "population_odense"),
    ),
    Case(
        "members:population_edit",
        only(SECRETARIAT, REDIRECT),
        path=_pk("members:population_edit", "population_odense"),
        method="post",
        data={"population": "201000", "source": "Danmarks Statistik"},
        label="POST",
    ),
    Case(
        "members:commitment_new",
        only(SECRETARIAT),
        path=_member("members:commitment_new", "odense"),
    ),
    Case(
        "members:commitment_edit",
        only(SECRETARIAT),
        path=_pk("members:commitment_edit", "commitment_odense"),
    ),
    # --- contacts: own officers and the secretariat ------------------------------------------------
    Case(
        "members:contact_new",
        OWN_EDITORS,
        path=_member("members:contact_new", "odense"),
        label="own",
    ),
    Case(
        "members:contact_new",
        OTHER_EDITORS,
        path=_member("members:contact_new", "aarhus"),
        label="other",
    ),
    Case(
        "members:contact_new",
        expect(
            NOT_FOUND,
            anonymous=LOGIN,
            admin=REDIRECT,
            staff=REDIRECT,
            officer=REDIRECT,
            viewer=FORBIDDEN,
            board=FORBIDDEN,
        ),
        path=_member("members:contact_new", "odense"),
        method="post",
        data=CONTACT_POST,
        label="POST own",
    ),
    Case(
        "members:contact_edit",
        OWN_EDITORS,
        path=_pk("members:contact_edit", "contact_odense"),
        label="own",
    ),
    Case(
        "members:contact_edit",
        OTHER_EDITORS,
        path=_pk("members:contact_edit", "contact_aarhus"),
        label="other",
    ),
    Case(
        "members:contact_remove",
        expect(NOT_FOUND, anonymous=LOGIN, admin=REDIRECT, staff=REDIRECT, board=FORBIDDEN),
        path=_pk("members:contact_remove", "contact_aarhus"),
        method="post",
        label="other",
    ),
    Case(
        "members:contact_remove",
        expect(
            NOT_FOUND,
            anonymous=LOGIN,
            admin=REDIRECT,
            staff=REDIRECT,
            officer=REDIRECT,
            viewer=FORBIDDEN,
            board=FORBIDDEN,
        ),
        path=_pk("members:contact_remove", "contact_odense"),
        method="post",
        label="own",
    ),
    Case(
        "members:contact_remove",
        expect(METHOD_NOT_ALLOWED),
        path=_pk("members:contact_remove", "contact_odense"),
        label="GET",
    ),
    # --- private documents: the member's own users and the secretariat ------------------------------
    Case(
        "members:commitment_document",
        OWN_READERS,
        path=_pk("members:commitment_document", "commitment_odense"),
    ),
    Case(
        "members:fee_statement_pdf",
        OWN_READERS,
        path=_pk("members:fee_statement_pdf", "statement_odense"),
        label="own",
    ),
    Case(
        "members:fee_statement_pdf",
        expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, board=FORBIDDEN),
        path=_pk("members:fee_statement_pdf", "statement_aarhus"),
        label="other",
    ),
    # --- fee models: secretariat --------------------------------------------------------------------
    Case("members:fee_models", only(SECRETARIAT)),
    Case("members:fee_model_new", only(SECRETARIAT)),
    Case("members:fee_model", only(SECRETARIAT), path="/fees/2026/"),
    Case("members:fee_model", only(SECRETARIAT, NOT_FOUND), path="/fees/1999/", label="missing"),
    Case("members:fee_model_edit", only(SECRETARIAT), path="/fees/2026/edit/"),
    Case(
        "members:fee_calculate",
        only(SECRETARIAT, REDIRECT),
        path="/fees/2026/calculate/",
        method="post",
    ),
    Case(
        "members:fee_calculate",
        expect(METHOD_NOT_ALLOWED),
        path="/fees/2026/calculate/",
        label="GET",
    ),
    Case(
        "members:fee_statements",
        only(SECRETARIAT, REDIRECT),
        path="/fees/2026/statements/",
        method="post",
    ),
    Case("members:fee_overview", only(SECRETARIAT), path="/fees/2026/overview.xlsx"),
]

assert FORBIDDEN and OK
