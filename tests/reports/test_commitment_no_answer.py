"""A member bound by its commitment that did not answer by the deadline has not kept it."""

from __future__ import annotations

from cpv.models import CpvCode
from members.models import Commitment
from reports import figures
from tenders.models import Participation

from .conftest import YEAR, deadline, make_tender


def test_no_answer_by_the_deadline_breaks_the_commitment_even_where_opting_out_is_free(
    cast,
) -> None:
    """Aarhus may opt out without a reason; not answering is still not opting out."""
    office = CpvCode.objects.get(code8="30190000")
    commitment = Commitment.objects.create(
        member=cast.aarhus, start_year=2025, end_year=2028,
        opt_out_justification_required=False, opt_out_deadline_days=0,
    )  # fmt: skip
    commitment.binding_categories.add(office)
    tender = make_tender(
        cast, 1, main_cpv=CpvCode.objects.get(code8="30192000"), volume_deadline=deadline(3)
    )
    Participation.objects.create(
        tender=tender, member=cast.aarhus, answer=Participation.Answer.NO_ANSWER,
        answered_at=None,
    )  # fmt: skip
    (answer,) = [a for a in figures.binding_answers(YEAR) if a.member.pk == cast.aarhus.pk]
    assert (answer.outcome, answer.kept) == ("not_answered", False)
    row = next(r for r in figures.commitment_kept_table(YEAR).rows if r["member"] == "Aarhus")
    assert (row["bound"], row["not_answered"], row["opted_out"]) == (1, 1, 0)
    table = figures.binding_answers_table(YEAR, member=cast.aarhus)
    assert [(r["answer"], r["kept"]) for r in table.rows] == [("Intet svar", "Nej")]
    participation = next(
        r for r in figures.participation_table(YEAR).rows if r["member"] == "Aarhus"
    )
    assert (participation["invited"], participation["pending"]) == (1, 1)


def test_no_answer_is_not_counted_as_answered_in_volume_collection(cast) -> None:
    from tenders.models import TenderStatus

    tender = make_tender(
        cast, 2, status=TenderStatus.VOLUME_COLLECTION, volume_deadline=deadline(3)
    )
    Participation.objects.create(
        tender=tender, member=cast.aarhus, answer=Participation.Answer.NO_ANSWER
    )
    Participation.objects.create(
        tender=tender, member=cast.odense, answer=Participation.Answer.DECLINE
    )
    (row,) = [
        r
        for r in figures.volume_collection_table(YEAR).rows
        if r["reference"].startswith(tender.reference)
    ]
    assert (row["invited"], row["answered"]) == (2, 1)
