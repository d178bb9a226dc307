"""Access cases for agreements, renewal planning, and compliance and savings.

Agreements are shared; their documents go to the secretariat, the board and the bound members;
compliance figures per member go to the secretariat and that member's users (the board sees
aggregates only, so a member's page answers 403 to it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementDocument, ComplianceFigure
from agreements.services import agreement_create

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
    today = timezone.localdate()
    for key, member in (("odense", cast.odense), ("aarhus", cast.aarhus)):
        agreement = agreement_create(
            number=f"ACC-{key}", title=f"Aftale {key}", start_date=today.replace(year=today.year - 1),
            base_end_date=today.replace(year=today.year + 1), members=[member], option_months=[12],
        )  # fmt: skip
        document = AgreementDocument(agreement=agreement, title="Kontrakt", size=5)
        document.file.save("kontrakt.pdf", ContentFile(b"%PDF-"), save=True)
        ComplianceFigure.objects.create(
            agreement=agreement, member=member, month=today.replace(day=1),
            category_spend=Decimal(100), supplier_spend=Decimal(80), savings=Decimal(8),
            computed_at=timezone.now(),
        )  # fmt: skip
        world.objects[f"agreement_{key}"] = agreement
        world.objects[f"document_{key}"] = document


def _document(key: str) -> Any:
    return lambda w: reverse(
        "agreements:document",
        args=[w.objects[f"agreement_{key}"].pk, w.objects[f"document_{key}"].pk],
    )


def _agreement(name: str, key: str = "odense") -> Any:
    return lambda w: reverse(name, args=[w.objects[f"agreement_{key}"].pk])


def _member(key: str) -> Any:
    return lambda w: reverse("agreements:member", args=[getattr(w.cast, key).pk])


def _export_member(key: str) -> Any:
    return lambda w: reverse("agreements:export_member", args=[getattr(w.cast, key).pk])


def _agreement_data(number: str) -> Any:
    def data(w: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "number": number, "title": "Aftale", "kind": "framework", "allocation": "single",
            "start_date": today.replace(year=today.year - 1).isoformat(),
            "base_end_date": today.replace(year=today.year + 1).isoformat(),
            "option_months": "12", "members": [w.cast.odense.pk],
            "baseline_price_level": "100", "agreement_price_level": "95",
        }  # fmt: skip

    return data


def _terminate_data(_w: Any) -> dict[str, Any]:
    return {"terminated_on": timezone.localdate().isoformat(), "reason": "Konkurs"}


NO_SUPPLIERS = {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}


def _upload(_w: Any) -> dict[str, Any]:
    return {"title": "Prisbilag", "file": SimpleUploadedFile("prisbilag.pdf", b"%PDF-1.7")}


SIGNED_IN_OK = expect(OK, anonymous=LOGIN)

CASES: list[Case] = [
    Case("agreements:list", SIGNED_IN_OK),
    Case("agreements:detail", SIGNED_IN_OK, path=_agreement("agreements:detail")),
    Case(
        "agreements:detail",
        expect(NOT_FOUND, anonymous=LOGIN),
        path="/agreements/999999/",
        label="missing",
    ),
    Case("agreements:document", SIGNED_IN_OK, path=_document("odense"), label="bound member"),
    Case(
        "agreements:document",
        expect(OK, anonymous=LOGIN, officer=NOT_FOUND, viewer=NOT_FOUND),
        path=_document("aarhus"),
        label="member not bound",
    ),
    Case(
        "agreements:document_add",
        only(SECRETARIAT, REDIRECT),
        path=_agreement("agreements:document_add"),
        method="post",
        data=_upload,
    ),
    Case(
        "agreements:document_add",
        expect(METHOD_NOT_ALLOWED),
        path=_agreement("agreements:document_add"),
        label="GET",
    ),
    Case(
        "agreements:option_use",
        only(SECRETARIAT, REDIRECT),
        path=lambda w: reverse(
            "agreements:option_use",
            args=[w.objects["agreement_odense"].pk, w.objects["agreement_odense"].options.get().pk],
        ),
        method="post",
    ),
    Case("agreements:create", only(SECRETARIAT)),
    Case(
        "agreements:create",
        only(SECRETARIAT, REDIRECT),
        method="post",
        data=_agreement_data("ACC-NEW"),
        label="POST",
    ),
    Case("agreements:edit", only(SECRETARIAT), path=_agreement("agreements:edit")),
    Case(
        "agreements:edit",
        only(SECRETARIAT, REDIRECT),
        path=_agreement("agreements:edit"),
        method="post",
        data=_agreement_data("ACC-odense"),
        label="POST",
    ),
    Case(
        "agreements:edit",
        expect(NOT_FOUND, anonymous=LOGIN, officer=FORBIDDEN, viewer=FORBIDDEN, board=FORBIDDEN),
        path="/agreements/999999/edit/",
        label="missing",
    ),
    Case("agreements:suppliers", only(SECRETARIAT), path=_agreement("agreements:suppliers")),
    Case(
        "agreements:suppliers",
        only(SECRETARIAT, REDIRECT),
        path=_agreement("agreements:suppliers"),
        method="post",
        data=NO_SUPPLIERS,
        label="POST",
    ),
    Case("agreements:terminate", only(SECRETARIAT), path=_agreement("agreements:terminate")),
    Case(
        "agreements:terminate",
        only(SECRETARIAT, REDIRECT),
        path=_agreement("agreements:terminate"),
        method="post",
        data=_terminate_data,
        label="POST",
    ),
    Case(
        "agreements:successor",
        only(SECRETARIAT, REDIRECT),
        path=_agreement("agreements:successor"),
        method="post",
        data={"successor_tender": ""},
    ),
    Case(
        "agreements:successor",
        expect(METHOD_NOT_ALLOWED),
        path=_agreement("agreements:successor"),
        label="GET",
    ),
    Case(
        "agreements:export_agreement", SIGNED_IN_OK, path=_agreement("agreements:export_agreement")
    ),
    Case(
        "agreements:export_member",
        expect(OK, anonymous=LOGIN, board=FORBIDDEN),
        path=_export_member("odense"),
        label="own member",
    ),
    Case(
        "agreements:export_member",
        expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, board=FORBIDDEN),
        path=_export_member("aarhus"),
        label="other member",
    ),
    Case("agreements:renewals", SIGNED_IN_OK),
    Case("agreements:compliance", SIGNED_IN_OK),
    Case("agreements:export_compliance", SIGNED_IN_OK),
    Case(
        "agreements:member",
        expect(OK, anonymous=LOGIN, board=FORBIDDEN),
        path=_member("odense"),
        label="own member",
    ),
    Case(
        "agreements:member",
        expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, board=FORBIDDEN),
        path=_member("aarhus"),
        label="other member",
    ),
    Case("agreements:outside", SIGNED_IN_OK),
    Case("agreements:export_outside", SIGNED_IN_OK),
    Case("agreements:recompute", only(SECRETARIAT, REDIRECT), method="post"),
    Case("agreements:recompute", expect(METHOD_NOT_ALLOWED), label="GET"),
]
