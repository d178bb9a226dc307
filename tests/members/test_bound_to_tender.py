"""Which members a tender binds, by their commitment's binding categories and tender types."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Organisation
from cpv.models import CpvCode
from members.models import Commitment
from members.selectors import members_bound_to_tender
from tenders.models import Tender


def _tender(cast, code8: str, procedure: str = "open") -> Tender:
    tender = Tender.objects.create(
        reference=f"2026-{code8[:3]}", title="Kontorartikler", procedure_type=procedure,
        lead_organisation=Organisation.objects.get(pk=cast.secretariat.pk),
        main_cpv=CpvCode.objects.get(code8=code8),
        volume_deadline=timezone.make_aware(datetime.datetime(2026, 5, 1, 12)),
    )  # fmt: skip
    return tender


def test_binding_category_covers_codes_below_it(cast) -> None:
    commitment = Commitment.objects.create(member=cast.odense, start_year=2026, end_year=2029)
    commitment.binding_categories.add(CpvCode.objects.get(code8="30190000"))  # office equipment
    Commitment.objects.create(member=cast.aarhus, start_year=2026, end_year=2029)
    assert members_bound_to_tender(_tender(cast, "30192000")) == {cast.odense.pk}  # office supplies
    assert members_bound_to_tender(_tender(cast, "15000000")) == set()  # food: nobody


def test_binding_tender_type_binds_and_other_years_do_not(cast) -> None:
    Commitment.objects.create(
        member=cast.aarhus, start_year=2026, end_year=2029, binding_procedures=["mini_competition"]
    )
    Commitment.objects.create(
        member=cast.odense, start_year=2022, end_year=2025, binding_procedures=["mini_competition"]
    )
    assert members_bound_to_tender(_tender(cast, "15000000", "mini_competition")) == {
        cast.aarhus.pk
    }


def test_many_tenders_cost_the_same_queries_as_one(cast) -> None:
    """The commitments are read once for all the tenders (start pages and reports list many)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.selectors import members_bound_to_tenders

    commitment = Commitment.objects.create(member=cast.odense, start_year=2026, end_year=2029)
    commitment.binding_categories.add(CpvCode.objects.get(code8="30190000"))
    Commitment.objects.create(member=cast.aarhus, start_year=2026, end_year=2029,
                              binding_procedures=["mini_competition"])  # fmt: skip
    codes = ["30192000", "15000000", "39000000", "45000000"]
    tenders = [
        _tender(cast, code, "mini_competition" if index == 3 else "open")
        for index, code in enumerate(codes)
    ]

    def bound(count: int) -> tuple[dict[int, set[int]], int]:
        chosen = (
            Tender.objects.filter(pk__in=[t.pk for t in tenders[:count]])
            .select_related("main_cpv")
            .prefetch_related("additional_cpv")
        )
        loaded = list(chosen)
        with CaptureQueriesContext(connection) as queries:
            result = members_bound_to_tenders(loaded)
        return result, len(queries)

    _two, two_queries = bound(2)
    four, four_queries = bound(4)
    assert two_queries == four_queries <= 2
    assert four == {
        tenders[0].pk: {cast.odense.pk},
        tenders[1].pk: set(),
        tenders[2].pk: set(),
        tenders[3].pk: {cast.aarhus.pk},
    }
    assert {pk: members_bound_to_tender(t) for pk, t in ((t.pk, t) for t in tenders)} == four
