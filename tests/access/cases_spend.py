"""Access cases for spend data: a member's imports (tenant data) and the supplier registry."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from spend.models import SpendImport, Supplier

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

CSV = "CVR-nr.;Kreditor;Beløb ekskl. moms;Bilagsdato\n16356700;Tavleverandøren;1.234,50;02-01-2025\n".encode()


def _import(member: Any, user: Any, name: str) -> SpendImport:
    spend_import = SpendImport(
        member=member, uploaded_by=user, original_name=name, sha256="0" * 64, size=len(CSV),
        format=SpendImport.Format.ERP_CSV,
    )  # fmt: skip
    spend_import.file.save(f"{member.pk}/{name}", ContentFile(CSV), save=False)
    spend_import.save()
    return spend_import


def setup(world: Any) -> None:
    cast = world.cast
    world.objects["import_odense"] = _import(cast.odense, cast.officer, "odense.csv")
    world.objects["import_aarhus"] = _import(cast.aarhus, cast.aarhus_officer, "aarhus.csv")
    done = _import(cast.odense, cast.officer, "odense-indlaest.csv")
    SpendImport.objects.filter(pk=done.pk).update(status=SpendImport.Status.IMPORTED)
    world.objects["import_odense_done"] = done
    world.objects["supplier"] = Supplier.objects.create(cvr="16356700", name="Tavleverandøren")


def _imp(name: str, key: str) -> Any:
    return lambda w: reverse(name, args=[w.objects[key].pk])


# Members' users see their own imports; the secretariat sees all; the board none (aggregates only).
READERS_OWN = expect(
    NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK, board=FORBIDDEN
)
READERS_OTHER = expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, board=FORBIDDEN)

EDITORS_OWN = expect(
    NOT_FOUND,
    anonymous=LOGIN,
    admin=REDIRECT,
    staff=REDIRECT,
    officer=REDIRECT,
    viewer=FORBIDDEN,
    board=FORBIDDEN,
)
EDITORS_OTHER = expect(
    NOT_FOUND, anonymous=LOGIN, admin=REDIRECT, staff=REDIRECT, viewer=FORBIDDEN, board=FORBIDDEN
)

CASES: list[Case] = [
    Case("spend:import_list", expect(OK, anonymous=LOGIN, board=FORBIDDEN)),
    Case("spend:import_new", only((*SECRETARIAT, "officer"))),
    Case(
        "spend:import_new",
        expect(FORBIDDEN, anonymous=LOGIN, admin=400, staff=400, officer=400),
        method="post",
        data={},
        label="POST without a file",
    ),
    Case(
        "spend:import_detail",
        READERS_OWN,
        path=_imp("spend:import_detail", "import_odense"),
        label="own",
    ),
    Case(
        "spend:import_detail",
        READERS_OTHER,
        path=_imp("spend:import_detail", "import_aarhus"),
        label="other",
    ),
    Case(
        "spend:import_detail",
        expect(NOT_FOUND, anonymous=LOGIN, board=FORBIDDEN),
        path="/spend/imports/999999/",
        label="missing",
    ),
    Case(
        "spend:import_preview",
        expect(
            NOT_FOUND,
            anonymous=LOGIN,
            admin=OK,
            staff=OK,
            officer=OK,
            viewer=FORBIDDEN,
            board=FORBIDDEN,
        ),
        path=_imp("spend:import_preview", "import_odense"),
        htmx=True,
        label="own",
    ),
    Case(
        "spend:import_preview",
        expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, viewer=FORBIDDEN, board=FORBIDDEN),
        path=_imp("spend:import_preview", "import_aarhus"),
        htmx=True,
        label="other",
    ),
    Case(
        "spend:import_start",
        expect(
            NOT_FOUND,
            anonymous=LOGIN,
            admin=REDIRECT,
            staff=REDIRECT,
            officer=REDIRECT,
            viewer=FORBIDDEN,
            board=FORBIDDEN,
        ),
        path=_imp("spend:import_start", "import_odense"),
        method="post",
        label="own",
    ),
    Case(
        "spend:import_start",
        expect(
            NOT_FOUND,
            anonymous=LOGIN,
            admin=REDIRECT,
            staff=REDIRECT,
            viewer=FORBIDDEN,
            board=FORBIDDEN,
        ),
        path=_imp("spend:import_start", "import_aarhus"),
        method="post",
        label="other",
    ),
    Case(
        "spend:import_start",
        expect(METHOD_NOT_ALLOWED),
        path=_imp("spend:import_start", "import_odense"),
        label="GET",
    ),
    Case(
        "spend:import_errors",
        READERS_OWN,
        path=_imp("spend:import_errors", "import_odense"),
        label="own",
    ),
    Case(
        "spend:import_errors",
        READERS_OTHER,
        path=_imp("spend:import_errors", "import_aarhus"),
        label="other",
    ),
    # The fixtures' imports are pending: an editor is sent back to the import (nothing to withdraw).
    Case(
        "spend:import_withdraw",
        EDITORS_OWN,
        path=_imp("spend:import_withdraw", "import_odense"),
        label="own",
    ),
    Case(
        "spend:import_withdraw",
        EDITORS_OTHER,
        path=_imp("spend:import_withdraw", "import_aarhus"),
        label="other",
    ),
    Case(
        "spend:import_withdraw",
        expect(
            NOT_FOUND,
            anonymous=LOGIN,
            admin=OK,
            staff=OK,
            officer=OK,
            viewer=FORBIDDEN,
            board=FORBIDDEN,
        ),
        path=_imp("spend:import_withdraw", "import_odense_done"),
        label="own, imported: the confirm page",
    ),
    Case(
        "spend:import_withdraw",
        EDITORS_OWN,
        path=_imp("spend:import_withdraw", "import_odense_done"),
        method="post",
        label="own, imported, POST",
    ),
    Case(
        "spend:import_withdraw",
        EDITORS_OWN,
        path=_imp("spend:import_withdraw", "import_odense"),
        method="post",
        label="own, POST",
    ),
    Case(
        "spend:import_withdraw",
        EDITORS_OTHER,
        path=_imp("spend:import_withdraw", "import_aarhus"),
        method="post",
        label="other, POST",
    ),
    Case("spend:mapping", only((*SECRETARIAT, "officer"))),
    Case(
        "spend:mapping",
        only((*SECRETARIAT, "officer")),
        path=lambda w: reverse("spend:mapping") + f"?member={w.cast.aarhus.pk}",
        label="secretariat picks a member; an officer always gets their own",
    ),
    Case(
        "spend:mapping",
        only((*SECRETARIAT, "officer"), REDIRECT),
        method="post",
        data=lambda w: {"member": w.cast.odense.pk, "supplier_cvr": "Leverandør CVR"},
        label="POST",
    ),
    Case("spend:supplier_list", only(SECRETARIAT)),
    Case(
        "spend:supplier_detail",
        only(SECRETARIAT),
        path=lambda w: reverse("spend:supplier_detail", args=[w.objects["supplier"].cvr]),
    ),
    Case(
        "spend:supplier_detail",
        only(SECRETARIAT, NOT_FOUND),
        path=lambda w: reverse("spend:supplier_detail", args=["99999999"]),
        label="missing",
    ),
]
