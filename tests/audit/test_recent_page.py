"""The latest-changes page works on the page it shows: its diffs are computed for those events
only, so it costs the same for a trail of any length."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pghistory
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation, Role, User
from audit.selectors import latest_events
from tests.conftest import client_for


def _rename(organisation: Organisation, times: int, start: int = 0) -> None:
    """`times` changes of the name, each an event made by a user (as from a page)."""
    user = User.objects.filter(role=Role.SECRETARIAT_ADMIN).first()
    with pghistory.context(user=user.pk if user else None):
        for n in range(start, start + times):
            organisation.name = f"Navn {n:04d}"
            organisation.save()


def _subplan_loops(plan: dict[str, Any]) -> int:
    """How often the plan ran its correlated subqueries (pghistory's previous-event lookup)."""
    own = plan.get("Actual Loops", 0) if plan.get("Parent Relationship") == "SubPlan" else 0
    return own + sum(_subplan_loops(child) for child in plan.get("Plans", []))


def _page_work(client: Any) -> tuple[int, int]:
    """Queries of the first page, and subquery runs they cost (by EXPLAIN ANALYZE)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("audit:recent"))
    assert response.status_code == 200
    loops = 0
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            # pghistory's middleware puts its context in front of a request's first statement.
            sql = re.sub(
                r"^SELECT set_config\('pghistory\.context_id'.*?, true\); ", "", sql, flags=re.S
            )
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                loops += _subplan_loops(plan[0]["Plan"])
    return len(queries), loops


def test_recent_page_costs_the_same_for_a_longer_trail(cast) -> None:
    client = client_for(cast.staff)
    spare = Organisation.objects.create(kind=Organisation.Kind.MEMBER, name="Navn", slug="navn")
    _age_events_so_far()  # the page then holds renames only, before and after
    _rename(spare, 60)
    queries_before, loops_before = _page_work(client)
    _rename(spare, 120, start=60)
    queries_after, loops_after = _page_work(client)
    assert queries_after == queries_before <= 12
    # The diffs of one page (50 events) are worked out, not those of the whole trail.
    assert loops_after == loops_before


def _age_events_so_far() -> None:
    """Date the events made so far an hour back.

    Events of one transaction share its time, and the test runs in one: without this, the cast's
    events would tie with the renames below and sort by ids of different tables.
    """
    for model in pghistory.core.event_models():
        model.objects.update(pgh_created_at=F("pgh_created_at") - timedelta(hours=1))


def test_pages_hold_the_latest_events_with_their_changes(cast) -> None:
    _age_events_so_far()
    spare = Organisation.objects.create(kind=Organisation.Kind.MEMBER, name="Navn", slug="navn")
    _rename(spare, 120)
    first = latest_events()
    second = latest_events(before=first.next_cursor)
    assert len(first.events) == len(second.events) == 50
    both = first.events + second.events
    assert [e.when for e in both] == sorted((e.when for e in both), reverse=True)
    assert len({e.key for e in both}) == 100
    latest = first.events[0]
    assert latest.action == "update" and latest.object_id == str(spare.pk)
    assert latest.diff == {"name": ("Navn 0118", "Navn 0119")}
    assert second.events[0].diff["name"][1] == "Navn 0069"
    # Walking on to the end visits every event once and stops.
    seen, page = len(both), second
    while page.next_cursor is not None:
        page = latest_events(before=page.next_cursor)
        seen += len(page.events)
    assert seen >= 121 and page.events
    client = client_for(cast.staff)
    html = client.get(reverse("audit:recent")).content.decode()
    older = re.search(r'href="\?before=([^"]+)"', html).group(1)
    html = client.get(reverse("audit:recent"), {"before": older}).content.decode()
    assert "Navn 0069" in html and "Navn 0119" not in html


def test_events_of_one_time_are_paged_without_gaps_or_repeats(cast) -> None:
    """Events of one transaction share their time: the cursor still visits each once."""
    spare = Organisation.objects.create(kind=Organisation.Kind.MEMBER, name="Navn", slug="navn")
    _rename(spare, 30)
    keys, page = [], latest_events(limit=7)
    keys += [e.key for e in page.events]
    while page.next_cursor is not None:
        page = latest_events(before=page.next_cursor, limit=7)
        keys += [e.key for e in page.events]
    assert len(keys) == len(set(keys)) >= 31


def test_a_malformed_cursor_shows_the_latest_changes(cast) -> None:
    response = client_for(cast.staff).get(reverse("audit:recent"), {"before": "x_y"})
    assert response.status_code == 200
