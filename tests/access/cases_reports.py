"""Access cases for reports: dashboards, board packs, scorecards and exports."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import BoardMeeting, ReportPack

from .matrix import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, SECRETARIAT, Case, expect, only

BOARD_AND_SECRETARIAT_ONLY = (*SECRETARIAT, "board")


def setup(world: Any) -> None:
    pack = ReportPack(period="2026", version=1, sha256="0" * 64, pages=1)
    pack.file.save("pack.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    world.objects["pack"] = pack
    world.objects["meeting"] = BoardMeeting.objects.create(
        date=datetime.date(2026, 12, 3), title="Bestyrelsesmøde", period="2026"
    )


def _meeting(name: str) -> Any:
    return lambda w: reverse(name, args=[w.objects["meeting"].pk])


def _scorecard(name: str, member: str) -> Any:
    return lambda w: reverse(name, args=[getattr(w.cast, member).pk])


CASES: list[Case] = [
    # Officers and viewers are sent on to their own member's scorecard.
    Case("reports:dashboard", expect(OK, anonymous=LOGIN, officer=REDIRECT, viewer=REDIRECT)),
    Case(
        "reports:dashboard",
        expect(NOT_FOUND, anonymous=LOGIN, officer=REDIRECT, viewer=REDIRECT),
        path="/reports/?period=2026-Q9",
        label="bad period",
    ),
    Case(
        "reports:table_export",
        only(BOARD_AND_SECRETARIAT_ONLY),
        path="/reports/export/pipeline.xlsx",
        label="pipeline",
    ),
    Case(
        "reports:table_export",
        expect(NOT_FOUND, anonymous=LOGIN, officer=FORBIDDEN, viewer=FORBIDDEN),
        path="/reports/export/no-such-table.xlsx",
        label="unknown",
    ),
    Case(
        "reports:table_export",
        # Not one of the board's tables: 404 to the board as for an unknown table.
        expect(FORBIDDEN, anonymous=LOGIN, admin=OK, staff=OK, board=NOT_FOUND),
        path="/reports/export/recent-imports.xlsx",
        label="secretariat's operations table",
    ),
    Case(
        "reports:table_export",
        only(BOARD_AND_SECRETARIAT_ONLY),
        path="/reports/export/key-figure-trend.xlsx",
        label="trend",
    ),
    Case("reports:meeting_list", only(BOARD_AND_SECRETARIAT_ONLY)),
    Case("reports:meeting_new", only(SECRETARIAT)),
    Case(
        "reports:meeting_new",
        only(SECRETARIAT, REDIRECT),
        method="post",
        data={"date": "2026-12-10", "title": "Ekstraordinært møde", "period": "2026"},
        label="POST",
    ),
    Case("reports:meeting_edit", only(SECRETARIAT), path=_meeting("reports:meeting_edit")),
    Case(
        "reports:meeting_delete",
        only(SECRETARIAT, REDIRECT),
        path=_meeting("reports:meeting_delete"),
        method="post",
    ),
    Case(
        "reports:meeting_delete", expect(405), path=_meeting("reports:meeting_delete"), label="GET"
    ),
    Case("reports:pack_list", only(BOARD_AND_SECRETARIAT_ONLY)),
    Case(
        "reports:pack_generate", only(SECRETARIAT, REDIRECT), method="post", data={"period": "2026"}
    ),
    Case("reports:pack_generate", expect(405), label="GET"),
    Case(
        "reports:pack_download",
        only(BOARD_AND_SECRETARIAT_ONLY),
        path=lambda w: reverse("reports:pack_download", args=[w.objects["pack"].pk]),
    ),
    Case(
        "reports:scorecard",
        expect(FORBIDDEN, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK),
        path=_scorecard("reports:scorecard", "odense"),
        label="own member",
    ),
    Case(
        "reports:scorecard",
        expect(FORBIDDEN, anonymous=LOGIN, admin=OK, staff=OK, officer=NOT_FOUND, viewer=NOT_FOUND),
        path=_scorecard("reports:scorecard", "aarhus"),
        label="other member",
    ),
    Case(
        "reports:scorecard_pdf",
        expect(FORBIDDEN, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK),
        path=_scorecard("reports:scorecard_pdf", "odense"),
        label="own member",
    ),
    Case(
        "reports:scorecard_pdf",
        expect(FORBIDDEN, anonymous=LOGIN, admin=OK, staff=OK, officer=NOT_FOUND, viewer=NOT_FOUND),
        path=_scorecard("reports:scorecard_pdf", "aarhus"),
        label="other member",
    ),
]

CASES += [
    Case(
        "reports:scorecard_export",
        expect(FORBIDDEN, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK),
        path=lambda w: reverse(
            "reports:scorecard_export", args=[w.cast.odense.pk, "member-spend-by-month"]
        ),
        label="own member",
    ),
    Case(
        "reports:scorecard_export",
        expect(FORBIDDEN, anonymous=LOGIN, admin=OK, staff=OK, officer=NOT_FOUND, viewer=NOT_FOUND),
        path=lambda w: reverse(
            "reports:scorecard_export", args=[w.cast.aarhus.pk, "member-spend-by-month"]
        ),
        label="other member",
    ),
]
