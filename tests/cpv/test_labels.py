"""CPV labels are the Publications Office's own English and Danish ones (eForms SDK translations),
for every code of CPV 2008, in new databases and, through a data migration, in existing ones."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from cpv import loading
from cpv.loading import load_cpv, update_cpv_labels
from cpv.models import CpvCode
from tenders.models import ProcedureType, Tender

from ..factories import OrganisationFactory

DATA = Path(__file__).resolve().parents[2] / "cpv" / "data"

# CPV 2008 (Regulation (EC) No 213/2008, annex I) has 9,454 codes.
CPV_2008_CODES = 9454


def official_labels() -> dict[str, tuple[str, str]]:
    with (DATA / "cpv2008_labels.csv").open(encoding="utf-8", newline="") as fh:
        return {r["code8"]: (r["label_en"], r["label_da"]) for r in csv.DictReader(fh)}


def structure_codes() -> set[str]:
    with (DATA / "cpv2008_structure.csv").open(encoding="utf-8", newline="") as fh:
        return {r["code8"] for r in csv.DictReader(fh)}


def test_official_labels_cover_exactly_the_codes_of_the_vocabulary() -> None:
    labels = official_labels()
    assert len(labels) == CPV_2008_CODES
    assert set(labels) == structure_codes()
    assert all(en.strip() and da.strip() for en, da in labels.values())


@pytest.mark.django_db
def test_every_stored_code_carries_the_official_labels() -> None:
    stored = {
        c8: (en, da) for c8, en, da in CpvCode.objects.values_list("code8", "label_en", "label_da")
    }
    official = official_labels()
    assert set(stored) == set(official)
    wrong = {c8: (stored[c8], official[c8]) for c8 in official if stored[c8] != official[c8]}
    assert wrong == {}


@pytest.mark.django_db
def test_division_34_is_transport_equipment() -> None:
    division = CpvCode.objects.get(code="34000000-7")
    assert division.label_da == "Transportudstyr og transporthjælpemidler"
    assert division.label_en == "Transport equipment and auxiliary products to transportation"


@pytest.mark.django_db
def test_03212210_is_dried_leguminous_vegetables() -> None:
    code = CpvCode.objects.get(code8="03212210")
    assert code.label_da == "Tørrede bælgfrugter"
    assert code.label_en == "Dried leguminous vegetables"


@pytest.mark.django_db
def test_migration_corrects_labels_in_place_and_only_once() -> None:
    """A database loaded from the earlier list gets the official labels; rows stay, so do the
    references to them, and nothing but the labels changes."""
    division = CpvCode.objects.get(code8="34000000")
    tender = Tender.objects.create(
        reference="2026-901",
        title="Køretøjer",
        procedure_type=ProcedureType.OPEN,
        lead_organisation=OrganisationFactory(),
        main_cpv=division,
    )
    tender.additional_cpv.add(CpvCode.objects.get(code8="03212210"))
    CpvCode.objects.filter(code8="34000000").update(label_da="Forrådnelseshæmmende masker")
    CpvCode.objects.filter(code8="03212210").update(label_da="Linser", label_en="Lentils")
    before = {c.code: (c.code8, c.parent_id, c.level, c.kind) for c in CpvCode.objects.all()}

    migration = importlib.import_module("cpv.migrations.0003_official_labels")
    migration.update_labels(apps, None)

    division.refresh_from_db()
    assert division.label_da == "Transportudstyr og transporthjælpemidler"
    pulses = CpvCode.objects.get(code8="03212210")
    assert (pulses.label_en, pulses.label_da) == (
        "Dried leguminous vegetables",
        "Tørrede bælgfrugter",
    )
    tender.refresh_from_db()
    assert tender.main_cpv_id == "34000000-7"
    assert list(tender.additional_cpv.values_list("code", flat=True)) == [pulses.code]
    assert {
        c.code: (c.code8, c.parent_id, c.level, c.kind) for c in CpvCode.objects.all()
    } == before
    assert update_cpv_labels(CpvCode) == 0


@pytest.mark.django_db
def test_loader_fills_an_empty_table_with_the_official_labels() -> None:
    CpvCode.objects.all()._raw_delete(using="default")  # the tree's own FK is checked at commit

    assert load_cpv(CpvCode) == CPV_2008_CODES
    assert load_cpv(CpvCode) == 0
    stored = {
        c8: (en, da) for c8, en, da in CpvCode.objects.values_list("code8", "label_en", "label_da")
    }
    assert stored == official_labels()


@pytest.mark.django_db
def test_loader_refuses_a_code_without_an_official_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    labels = tmp_path / "labels.csv"
    lines = (DATA / "cpv2008_labels.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    labels.write_text("".join(x for x in lines if not x.startswith("03212210,")), encoding="utf-8")
    monkeypatch.setattr(loading, "LABELS_PATH", labels)
    CpvCode.objects.all()._raw_delete(using="default")

    with pytest.raises(ValueError, match="03212210"):
        load_cpv(CpvCode)
    assert not CpvCode.objects.exists()
