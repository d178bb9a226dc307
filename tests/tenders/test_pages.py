"""Tender pages: what can be reached from where, who sees whose volumes, how the pooling panel
polls, lots before and after volume collection, dates, query counts and the technical admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consortium.navigation import nav_for
from jobs.models import Job
from tenders.lots import lot_delete, lot_save
from tenders.models import Lot, TenderStatus
from tenders.selectors import POOLING_JOB_KIND
from tenders.services import tender_pool_volumes, tender_transition
from tests.conftest import client_for
from tests.factories import UserFactory

from .conftest import criteria, declare, invite, make_tender
from .test_workflow import _ready_to_publish

pytestmark = pytest.mark.django_db
S = TenderStatus


@pytest.fixture
def pooled(cast):
    tender = make_tender(cast, status=S.VOLUME_COLLECTION)
    odense, aarhus = invite(tender, [cast.odense, cast.aarhus])
    declare(odense, 100_000, 20_000)
    declare(aarhus, 300_000, 0)
    tender_pool_volumes(tender=tender, user=cast.staff)
    return tender


# --- reachability ---------------------------------------------------------------------------------


def test_menu_has_the_tender_plan_and_marks_only_it_current(cast) -> None:
    items = {str(i["label"]): i for i in nav_for(cast.officer, "/tenders/plan/")}
    assert items["Udbudsplan"]["url"] == reverse("tender_timeline:pipeline")
    assert items["Udbudsplan"]["current"] and not items["Udbud"]["current"]
    items = {str(i["label"]): i for i in nav_for(cast.officer, "/tenders/2026-014/")}
    assert items["Udbud"]["current"] and not items["Udbudsplan"]["current"]


def test_list_links_to_plan_calendar_timeline_documents_and_texts(cast, pooled) -> None:
    html = client_for(cast.staff).get(reverse("tenders:list")).content.decode()
    for url in (
        reverse("tender_timeline:pipeline"),
        reverse("tender_timeline:calendar"),
        reverse("tender_timeline:template_list"),
        reverse("tender_timeline:timeline", args=[pooled.reference]),
        reverse("tender_timeline:documents", args=[pooled.reference]),
    ):
        assert f'href="{url}"' in html, url
    officer = client_for(cast.officer).get(reverse("tenders:list")).content.decode()
    assert reverse("tender_timeline:template_list") not in officer


def test_detail_links_to_timeline_and_documents_and_shows_the_panel_to_the_secretariat(
    cast, pooled
) -> None:
    timeline = reverse("tender_timeline:timeline", args=[pooled.reference])
    documents = reverse("tender_timeline:documents", args=[pooled.reference])
    staff = client_for(cast.staff).get(pooled.get_absolute_url()).content.decode()
    assert f'href="{timeline}"' in staff and f'href="{documents}"' in staff
    assert "tender-documents-panel" in staff and "Ikke dannet" in staff
    assert "Læg volumen sammen" in staff
    officer = client_for(cast.officer).get(pooled.get_absolute_url()).content.decode()
    assert f'href="{timeline}"' in officer and f'href="{documents}"' in officer
    assert "tender-documents-panel" not in officer


def test_published_documents_can_be_downloaded_from_the_tender_page(cast, pooled) -> None:
    from tenders.services import tender_documents_render

    (document, *_rest) = tender_documents_render(tender=pooled, user=cast.staff)
    download = reverse("tender_timeline:document_download", args=[document.pk])
    assert download not in client_for(cast.officer).get(pooled.get_absolute_url()).content.decode()
    pooled.status = S.PUBLISHED
    pooled.save()
    html = client_for(cast.officer).get(pooled.get_absolute_url()).content.decode()
    assert f'href="{download}"' in html


def test_refused_publication_links_to_the_documents(cast, monkeypatch) -> None:
    from tenders import workflow

    tender = _ready_to_publish(cast)
    monkeypatch.setattr(workflow, "documents_ready", lambda t: False)
    response = client_for(cast.staff).post(
        reverse("tenders:transition", args=[tender.reference]),
        {"to_status": S.PUBLISHED},
        follow=True,
    )
    html = response.content.decode()
    documents = reverse("tender_timeline:documents", args=[tender.reference])
    # The message itself has the link (as a link, not as escaped text).
    assert (
        f'Dan det aktuelle udbudsmateriale før offentliggørelsen. <a href="{documents}">'
        "Gå til udbudsmaterialet</a>" in html
    )
    # The tender page lists what stands in the way, each with its link.
    assert html.count(f'href="{documents}"') >= 2


# --- other members' volumes -------------------------------------------------------------------


def _pooled_rows(html: str) -> str:
    start = html.index('id="pooling"')
    return html[start : html.index("</table>", start)]


def test_pooled_rows_per_member_only_for_the_secretariat_and_the_member_itself(
    cast, pooled
) -> None:
    staff = _pooled_rows(client_for(cast.staff).get(pooled.get_absolute_url()).content.decode())
    assert '<th scope="row">Odense</th>' in staff and '<th scope="row">Aarhus</th>' in staff
    officer = _pooled_rows(client_for(cast.officer).get(pooled.get_absolute_url()).content.decode())
    assert '<th scope="row">Odense</th>' in officer
    assert '<th scope="row">Aarhus</th>' not in officer
    assert "420.000" in officer  # the totals
    board = _pooled_rows(
        client_for(cast.board_member).get(pooled.get_absolute_url()).content.decode()
    )
    assert '<th scope="row">Odense</th>' not in board
    assert '<th scope="row">Aarhus</th>' not in board
    assert "420.000" in board


# --- queries that do not grow with the number of rows -----------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_tenders_does_not_query_per_tender(cast, django_assert_max_num_queries) -> None:
    client = client_for(cast.officer)
    url = reverse("tenders:my")
    invite(make_tender(cast, status=S.VOLUME_COLLECTION, reference="2026-001"), [cast.odense])
    one = _queries(client, url)
    for n in range(2, 7):
        tender = make_tender(cast, status=S.VOLUME_COLLECTION, reference=f"2026-00{n}")
        invite(tender, [cast.odense])
    with django_assert_max_num_queries(one):
        client.get(url)


def test_read_only_answer_does_not_query_per_lot(cast, django_assert_max_num_queries) -> None:
    tender = make_tender(cast, status=S.PREPARATION, lots=1)
    (odense,) = invite(tender, [cast.odense])
    declare(odense, 1000)
    client = client_for(cast.viewer)
    url = reverse("tenders:participation", args=[tender.reference, "odense"])
    one = _queries(client, url)
    for n in range(2, 7):
        Lot.objects.create(tender=tender, number=n, title=f"Delaftale {n}")
    declare(odense, *([1000] * 6))
    with django_assert_max_num_queries(one):
        html = client.get(url).content.decode()
    assert html.count("1.000") >= 6


# --- the pooling panel polls for every run, slowly when idle -----------------------------------


def _status(client, tender, run: object = None):
    url = reverse("tenders:pooling_status", args=[tender.reference])
    if run is not None:
        url += f"?run={run}"
    return client.get(url, headers={"HX-Request": "true"})


def test_panel_polls_slowly_before_any_job(cast) -> None:
    tender = make_tender(cast, status=S.VOLUME_COLLECTION)
    html = _status(client_for(cast.officer), tender, 0).content.decode()
    assert 'hx-trigger="every 10s"' in html and "?run=0" in html


def test_panel_polls_fast_while_a_job_runs(cast) -> None:
    tender = make_tender(cast, status=S.VOLUME_COLLECTION)
    Job.objects.create(
        kind=POOLING_JOB_KIND, title="Puljing", task_name="tenders.pool_volumes",
        task_kwargs={"tender_id": tender.pk}, state=Job.State.RUNNING, started_by=cast.staff,
        organisation=cast.secretariat,
    )  # fmt: skip
    html = _status(client_for(cast.officer), tender, 0).content.decode()
    assert 'hx-trigger="every 1s"' in html


def test_panel_keeps_polling_after_a_run_and_reloads_for_a_later_one(cast, pooled) -> None:
    client = client_for(cast.officer)
    first = pooled.pooling_runs.get()
    Job.objects.create(
        kind=POOLING_JOB_KIND, title="Puljing", task_name="tenders.pool_volumes",
        task_kwargs={"tender_id": pooled.pk}, state=Job.State.SUCCEEDED, progress=100,
        started_by=cast.staff, organisation=cast.secretariat,
    )  # fmt: skip
    response = _status(client, pooled, first.pk)
    assert "HX-Refresh" not in response
    assert 'hx-trigger="every 10s"' in response.content.decode()
    # Someone pools again: the page that shows the first run is told to reload.
    tender_pool_volumes(tender=pooled, user=cast.staff)
    assert _status(client, pooled, first.pk)["HX-Refresh"] == "true"


def test_panel_stops_polling_when_pooling_is_no_longer_possible(cast, pooled) -> None:
    pooled.status = S.PUBLISHED
    pooled.save()
    html = _status(client_for(cast.officer), pooled, pooled.pooling_runs.get().pk).content.decode()
    assert "hx-trigger" not in html


# --- lots -------------------------------------------------------------------------------------


def test_lot_cannot_be_added_once_volumes_are_collected(cast) -> None:
    from django.core.exceptions import ValidationError

    tender = make_tender(cast, status=S.VOLUME_COLLECTION)
    with pytest.raises(ValidationError) as exc:
        lot_save(user=cast.staff, tender=tender, number=3, title="Ny")
    assert "før volumenindsamlingen begynder" in exc.value.messages[0]
    response = client_for(cast.staff).post(
        reverse("tenders:lot_create", args=[tender.reference]),
        {"number": 3, "title": "Ny", "items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0},
    )
    assert response.status_code == 400
    assert not tender.lots.filter(number=3).exists()
    # Editing an existing lot's texts is still fine.
    lot_save(user=cast.staff, tender=tender, lot=tender.lots.get(number=1), title="Kontor")


def test_lot_can_be_removed_before_volume_collection_only(cast) -> None:
    from django.core.exceptions import ValidationError

    tender = make_tender(cast, status=S.NEEDS_ANALYSIS)
    client = client_for(cast.staff)
    response = client.post(reverse("tenders:lot_delete", args=[tender.reference, 2]))
    assert response.status_code == 302
    assert list(tender.lots.values_list("number", flat=True)) == [1]
    tender.status = S.VOLUME_COLLECTION
    tender.save()
    with pytest.raises(ValidationError):
        lot_delete(user=cast.staff, lot=tender.lots.get())
    client.post(reverse("tenders:lot_delete", args=[tender.reference, 1]))
    assert tender.lots.count() == 1


def test_lot_name_follows_the_language(cast) -> None:
    lot = make_tender(cast, lots=1).lots.get()
    with translation.override("da"):
        assert str(lot) == "2026-014 delaftale 1: Delaftale 1"
    with translation.override("en"):
        assert str(lot) == "2026-014 lot 1: Delaftale 1"


# --- dates ------------------------------------------------------------------------------------


def test_invitation_email_writes_the_deadline_the_danish_way(
    cast, django_capture_on_commit_callbacks
) -> None:
    deadline = timezone.localtime() + timedelta(days=14)
    tender = make_tender(cast, status=S.NEEDS_ANALYSIS, volume_deadline=deadline)
    with django_capture_on_commit_callbacks(execute=True):
        tender_transition(tender=tender, to_status=S.VOLUME_COLLECTION, user=cast.staff)
    assert deadline.strftime("%d.%m.%Y %H:%M") in mail.outbox[0].body
    assert deadline.strftime("%d-%m-%Y") not in mail.outbox[0].body


# --- technical admin --------------------------------------------------------------------------


def test_admin_shows_tenders_with_lots_and_edits_thresholds(cast, pooled) -> None:
    operator = UserFactory(email="drift@12by.test", is_staff=True, is_superuser=True)
    client = client_for(operator)
    page = client.get(reverse("admin:tenders_tender_change", args=[pooled.pk]))
    assert page.status_code == 200
    assert "Delaftale 1" in page.content.decode()
    assert client.get(reverse("admin:tenders_threshold_changelist")).status_code == 200
    assert client.get(reverse("admin:tenders_threshold_add")).status_code == 200


def test_criteria_form_link_in_blockers(cast) -> None:
    tender = _ready_to_publish(cast)
    tender.criteria.all().delete()
    criteria(tender, 50, 30)
    html = client_for(cast.staff).get(tender.get_absolute_url()).content.decode()
    assert "nu 80 %" in html
    assert f'href="{reverse("tenders:criteria", args=[tender.reference])}"' in html
