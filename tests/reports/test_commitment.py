"""Commitment kept: did each member take part in the joint tenders its commitment binds it to?"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from cpv.models import CpvCode
from members.models import Commitment
from reports import figures
from reports.packs import build_pack_html
from reports.periods import parse_period
from tenders.models import Participation, TenderStatus

from .conftest import YEAR, deadline, make_tender

OFFICE = "30192000"  # office supplies, below the binding category 30190000
FOOD = "15000000"


def _answer(tender, member, answer, reason="", answered_at=None) -> None:
    Participation.objects.create(
        tender=tender, member=member, answer=answer, decline_reason=reason, answered_at=answered_at
    )


def _binding_world(cast):
    office = CpvCode.objects.get(code8="30190000")
    odense = Commitment.objects.create(
        member=cast.odense, start_year=2025, end_year=2028, opt_out_allowed=False
    )
    odense.binding_categories.add(office)
    aarhus = Commitment.objects.create(
        member=cast.aarhus, start_year=2025, end_year=2028, opt_out_deadline_days=30
    )
    aarhus.binding_categories.add(office)
    cpv = {c.code8: c for c in CpvCode.objects.filter(code8__in=[OFFICE, FOOD])}
    a = make_tender(cast, 1, main_cpv=cpv[OFFICE], volume_deadline=deadline(3))
    b = make_tender(cast, 2, main_cpv=cpv[OFFICE], volume_deadline=deadline(5))
    c = make_tender(cast, 3, main_cpv=cpv[FOOD], volume_deadline=deadline(6))
    P = Participation.Answer
    _answer(a, cast.odense, P.PARTICIPATE)
    # Aarhus may opt out up to 30 days before the deadline, with a reason: it did, 40 days before.
    _answer(a, cast.aarhus, P.DECLINE, "Egen aftale til 2027", deadline(3) - datetime.timedelta(40))
    # Odense's commitment allows no opt-out.
    _answer(b, cast.odense, P.DECLINE, "Vi har ikke behov", deadline(5) - datetime.timedelta(2))
    _answer(b, cast.aarhus, P.PENDING)  # the deadline has passed without an answer
    _answer(c, cast.odense, P.DECLINE, "Ingen køkkener")  # not binding: an ordinary decline
    _answer(c, cast.aarhus, P.PARTICIPATE)
    return a, b, c


def test_commitment_kept_per_member_counts_binding_tenders_only(cast) -> None:
    _binding_world(cast)
    rows = {r["member"]: r for r in figures.commitment_kept_table(YEAR).rows}
    keys = ("bound", "joined", "opted_out", "declined", "not_answered", "rate")
    assert [rows["Odense"][k] for k in keys] == [2, 1, 0, 1, 0, Decimal("0.5000")]
    assert [rows["Aarhus"][k] for k in keys] == [2, 0, 1, 0, 1, Decimal("0.5000")]
    total = figures.commitment_kept_table(YEAR).total
    assert (total["bound"], total["rate"]) == (4, Decimal("0.5000"))
    kept = {f.slug: f.value for f in figures.key_figures(YEAR)}["commitment-kept"]
    assert kept == Decimal("0.5000")


def test_binding_answers_show_each_tender_with_answer_reason_and_verdict(cast) -> None:
    _binding_world(cast)
    table = figures.binding_answers_table(YEAR)
    got = [(r["member"], r["tender"][:8], r["outcome"], r["reason"]) for r in table.rows]
    assert got == [
        ("Aarhus", "2026-001", "opted_out", "Egen aftale til 2027"),
        ("Aarhus", "2026-002", "not_answered", ""),
        ("Odense", "2026-001", "joined", ""),
        ("Odense", "2026-002", "declined", "Vi har ikke behov"),
    ]
    assert [r["kept"] for r in table.rows] == ["Ja", "Nej", "Ja", "Nej"]
    # Declines outside any commitment are listed on their own, with their reasons.
    assert [r["reason"] for r in figures.declines_table(YEAR).rows] == ["Ingen køkkener"]


def test_a_late_opt_out_or_one_without_reason_breaks_the_commitment(cast) -> None:
    a, _b, _c = _binding_world(cast)
    late = Participation.objects.get(tender=a, member=cast.aarhus)
    late.answered_at = deadline(3) - datetime.timedelta(days=10)
    late.save()
    rows = {r["member"]: r for r in figures.commitment_kept_table(YEAR).rows}
    assert (rows["Aarhus"]["opted_out"], rows["Aarhus"]["declined"]) == (0, 1)


def test_tenders_still_collecting_answers_are_not_counted_yet(cast) -> None:
    office = CpvCode.objects.get(code8="30190000")
    Commitment.objects.create(member=cast.odense, start_year=2000, end_year=2100)
    Commitment.objects.get(member=cast.odense).binding_categories.add(office)
    soon = timezone.now() + datetime.timedelta(days=10)
    tender = make_tender(
        cast, 9, status=TenderStatus.VOLUME_COLLECTION, volume_deadline=soon,
        main_cpv=CpvCode.objects.get(code8=OFFICE),
    )  # fmt: skip
    _answer(tender, cast.odense, Participation.Answer.PENDING)
    period = parse_period(str(timezone.localtime(soon).year))
    rows = {r["member"]: r for r in figures.commitment_kept_table(period).rows}
    assert (rows["Odense"]["bound"], rows["Odense"]["rate"]) == (0, None)


def test_pack_shows_commitment_kept_with_the_binding_answers(cast) -> None:
    _binding_world(cast)
    html = build_pack_html(YEAR, version=None).html
    assert 'id="table-commitment-kept"' in html and 'id="table-binding-answers"' in html
    # The pack is the board's: the answers and outcomes, never the member's own reason.
    assert "Vi har ikke behov" not in html
