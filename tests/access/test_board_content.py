"""What the board reads, by content: no member's own words and no figure one member alone makes up.

The matrix (test_matrix.py) checks who gets which status. Here the same world gets sentinel
strings no aggregate can contain — a decline reason per member (also on a tender still collecting
answers), a note on an answer, a supplier only one member buys from — and the board member then
reads everything the board can reach: every page the matrix promises it (200 to a GET), every
download those pages link to (discovered from the pages, not listed here: the agreements'
spreadsheets, …), every table the reports page exports, the pages of the sentinels' tenders
(PDF downloads read with pdftotext), and the board pack (the HTML its PDF is rendered from). No sentinel may appear, and the
decline counts by category and the folded supplier row must. The secretariat reads the same and
its named views, where every sentinel does appear: so the check can fail.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from reports.periods import parse_period
from spend.models import SpendLine, Supplier
from tenders.models import DeclineCategory, Participation, Tender, TenderStatus
from tests.conftest import build_cast, client_for, flush_deferred_checks, make_member, rolled_back
from tests.factories import valid_cvr

from .matrix import OK, all_cases
from .test_matrix import World, _path

YEAR = timezone.localdate().year

# Words no aggregate can hold: each is one member's own text or a name only one member's spend has.
DECLINE_ODENSE = "SNTLafslagOdense4711"
DECLINE_AARHUS = "SNTLafslagAarhus4712"
DECLINE_COLLECTING = "SNTLafslagIgang4713"  # a tender still collecting answers (cf. 2026-014)
ANSWER_NOTE = "SNTLnoteSvar4714"
LONE_SUPPLIER = "SNTLleverandoerEne4715"
SENTINELS = (DECLINE_ODENSE, DECLINE_AARHUS, DECLINE_COLLECTING, ANSWER_NOTE, LONE_SUPPLIER)

SHARED_SUPPLIER = "Fællesleverandøren A/S"  # bought from by three members: the board sees it
FOLDED = "Øvrige leverandører (under 3 medlemmer)"

DOWNLOAD = re.compile(r"\.(xlsx|csv|pdf|ics|zip|docx|json)(\?|$)|/export|/pdf/|/packs/\d+/")
HREF = re.compile(r'href="(/[^"#]*)"')


def _tender(reference: str, status: str, deadline: datetime.date, cast: Any) -> Tender:
    return Tender.objects.create(
        reference=reference, title=f"Indholdstjek {reference}", procedure_type="open",
        status=status, lead_organisation=cast.secretariat,
        volume_deadline=timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(12))),
    )  # fmt: skip


def _seed(world: World) -> None:
    cast = world.cast
    vejle = make_member("vejle", "Vejle", "630")
    closed = _tender(f"{YEAR}-947", TenderStatus.PREPARATION, datetime.date(YEAR, 1, 10), cast)
    collecting = _tender(
        f"{YEAR}-948", TenderStatus.VOLUME_COLLECTION, datetime.date(YEAR, 12, 31), cast
    )
    declines = [
        (closed, cast.odense, DeclineCategory.OWN_AGREEMENT, DECLINE_ODENSE),
        (closed, cast.aarhus, DeclineCategory.BUDGET, DECLINE_AARHUS),
        (collecting, vejle, DeclineCategory.CAPACITY, DECLINE_COLLECTING),
    ]
    for tender, member, category, reason in declines:
        Participation.objects.create(
            tender=tender, member=member, answer=Participation.Answer.DECLINE,
            decline_category=category, decline_reason=reason,
        )  # fmt: skip
    Participation.objects.create(
        tender=collecting, member=cast.odense, answer=Participation.Answer.PENDING,
        reopen_reason=ANSWER_NOTE,
    )  # fmt: skip
    shared = Supplier.objects.create(cvr=valid_cvr(4701), name=SHARED_SUPPLIER)
    lone = Supplier.objects.create(cvr=valid_cvr(4702), name=LONE_SUPPLIER)
    lines = [(m, shared, "1000.00") for m in (cast.odense, cast.aarhus, vejle)]
    lines.append((cast.odense, lone, "987654.32"))
    for n, (member, supplier, amount) in enumerate(lines):
        SpendLine.objects.create(
            member=member, supplier=supplier, amount=Decimal(amount),
            invoice_date=datetime.date(YEAR, 1, 5), fingerprint=f"sentinel-{n}",
        )  # fmt: skip
    world.objects["sentinel_tenders"] = [closed, collecting]
    world.objects["vejle"] = vejle


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The access matrix's world (every case's objects, so every path resolves) plus sentinels."""
    import importlib
    import pkgutil

    from . import __path__ as package_path

    with rolled_back(django_db_blocker):
        world = World(cast=build_cast())
        for module in sorted(pkgutil.iter_modules(package_path), key=lambda m: m.name):
            if module.name.startswith("cases_"):
                setup = getattr(
                    importlib.import_module(f"{__package__}.{module.name}"), "setup", None
                )
                if setup:
                    setup(world)
        _seed(world)
        flush_deferred_checks()
        yield world


def _text(response: Any) -> str:
    """What a reader of the response sees: a page's text, a workbook's or document's strings,
    a PDF's text (pdftotext)."""
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if body.startswith(b"%PDF"):
        result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True)
        # A file that is no PDF inside (the matrix's stand-in pack) is read as it is.
        return result.stdout.decode() if result.returncode == 0 else body.decode("latin-1")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        return html.unescape(" ".join(parts))
    return html.unescape(body.decode("utf-8-sig", "replace"))


def _get(client: Any, user: Any, path: str) -> tuple[Any, Any]:
    """GET `path`; signed in again first where an earlier page of the matrix (a sign-in or
    sign-out flow) ended the session, so everything is read as `user`."""
    response = client.get(path)
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        client = client_for(user)
        response = client.get(path)
    return client, response


def _read(user: Any, paths: list[str], *, follow_downloads: bool) -> dict[str, str]:
    """path → the text `user` reads there (200 only), and, with `follow_downloads`, of every
    download the pages read link to."""
    client = client_for(user)
    read: dict[str, str] = {}
    paths = list(paths)
    while paths:
        path = paths.pop(0)
        if path in read:
            continue
        client, response = _get(client, user, path)
        if response.status_code != 200:
            continue
        read[path] = _text(response)
        if follow_downloads and response.get("Content-Type", "").startswith("text/html"):
            for link in HREF.findall(response.content.decode()):
                link = html.unescape(link)
                if DOWNLOAD.search(link) and link not in read:
                    paths.append(link)
    return read


def _board_paths(world: World) -> list[str]:
    """Every GET the matrix promises the board (200), the pages of the sentinels' tenders, and
    every table the reports page exports (`reports:table_export` answers each, linked or not)."""
    from reports.packs import pack_sections

    tables = [t.slug for s in pack_sections(parse_period(str(YEAR))) for t in s.tables]
    return [
        *(
            _path(case, world)
            for case in all_cases()
            if case.method == "get" and case.expect.get("board") == OK and not case.htmx
        ),
        reverse("reports:dashboard") + f"?period={YEAR}",
        *(t.get_absolute_url() for t in world.objects["sentinel_tenders"]),
        *(
            reverse("reports:table_export", args=[slug]) + f"?period={YEAR}"
            for slug in [*tables, "key-figure-trend"]
        ),
    ]


@pytest.fixture(scope="module")
def board_read(world: World, django_db_blocker: Any) -> dict[str, str]:
    """Everything the board member reads, read once for the module's tests."""
    with django_db_blocker.unblock():
        read = _read(world.cast.board_member, _board_paths(world), follow_downloads=True)
        read["board pack"] = _pack_text()
    return read


pytestmark = pytest.mark.django_db


def _pack_text() -> str:
    """The text of the year's board pack: the HTML its PDF is rendered from (WeasyPrint draws
    that text as it is; tests/reports/test_board_sees_aggregates.py reads a rendered PDF)."""
    from reports.packs import build_pack_html

    page = build_pack_html(parse_period(str(YEAR)), version=None).html
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_board_reads_no_members_own_words_and_no_lone_supplier(
    board_read: dict[str, str],
) -> None:
    read = board_read
    leaks = {path: [s for s in SENTINELS if s in text] for path, text in read.items()}
    assert not {path: found for path, found in leaks.items() if found}

    # The downloads were read (a 200 each): every table of the reports page, the agreements'
    # spreadsheets (found as links on the pages), and the pack.
    from reports.packs import pack_sections

    slugs = {t.slug for s in pack_sections(parse_period(str(YEAR))) for t in s.tables}
    exports = {p.split("?")[0] for p in read}
    for slug in slugs | {"key-figure-trend", "declines-by-category"}:
        assert reverse("reports:table_export", args=[slug]) in exports, slug
    assert reverse("agreements:export_outside") in exports
    assert reverse("agreements:export_compliance") in exports

    # What the board does read: declines counted by category (closed tenders only) and the
    # suppliers of enough members, the others folded into one row.
    export = reverse("reports:table_export", args=["declines-by-category"]) + f"?period={YEAR}"
    assert "Fravalg fordelt på årsag" in read[export]
    assert "Dækket af kommunens egen aftale" in read[export]
    assert "Budget og økonomi" in read[export]
    assert "Fravalg fordelt på årsag" in read["board pack"]
    outside = [t for p, t in read.items() if p.startswith(reverse("agreements:export_outside"))]
    assert outside and all(SHARED_SUPPLIER in t and FOLDED in t for t in outside)


def test_the_declines_by_category_export_counts_closed_tenders_only(world: World, db: None) -> None:
    client = client_for(world.cast.board_member)
    path = reverse("reports:table_export", args=["declines-by-category"]) + f"?period={YEAR}"
    book = openpyxl.load_workbook(io.BytesIO(client.get(path).content))
    rows = {r[0]: r[1] for r in book.active.iter_rows(values_only=True) if r and r[0]}
    # By hand: the closed tender has one decline "own agreement" and one "budget"; the capacity
    # decline belongs to the tender still collecting answers and is not counted.
    assert rows["Dækket af kommunens egen aftale"] == 1
    assert rows["Budget og økonomi"] == 1
    assert rows["Tidspunkt eller kapacitet"] == 0


def test_the_secretariat_reads_every_sentinel(
    world: World, board_read: dict[str, str], db: None
) -> None:
    """What the board read, read by the secretariat, with its named view of an answer: every
    sentinel is there, so the board's check above would see a leak. (The reports page's tables
    are the board's for both, so they are left out here: they hold none.)"""
    _closed, collecting = world.objects["sentinel_tenders"]
    answer = reverse("tenders:participation", args=[collecting.reference, "odense"])
    reports = (reverse("reports:dashboard"), "/reports/export/")
    paths = [p for p in board_read if p.startswith("/") and not p.startswith(reports)]
    paths.append(answer)
    everything = " ".join(_read(world.cast.staff, paths, follow_downloads=False).values())
    assert [s for s in SENTINELS if s not in everything] == []
