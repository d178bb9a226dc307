"""Figures kept between requests until their data changes (consortium/figure_store.py).

The data is committed (transactional tests), as between requests in production."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Organisation
from api.models import ApiToken
from consortium import tenancy
from consortium.figure_store import UNTRACKED_TABLES
from consortium.models import FigureChange
from consortium.tasks import forget_figure_changes
from jobs.models import Job
from knowledge.models import Article
from members.models import Member
from reports import dashboards
from reports.periods import current_year_period
from reports.tasks import keep_figures_current
from tests.conftest import build_cast, client_for
from tests.reports.conftest import make_tender

pytestmark = pytest.mark.django_db(transaction=True)

computed: list[str] = []


@dashboards.stored  # with the reports' clock: the participation deadlines passed
def member_names(prefix: str) -> list[str]:
    """A figure of the members' names: what it returns, and that it was computed."""
    computed.append(prefix)
    return [
        f"{prefix}{name}"
        for name in Member.objects.order_by("organisation__name").values_list(
            "organisation__name", flat=True
        )
    ]


@pytest.fixture
def store(settings):
    settings.FIGURES_STORED = True
    computed.clear()
    return build_cast()


def test_kept_between_requests_until_the_data_under_it_changes(store):
    """Each part asks with arguments of its own, so it starts from an empty store."""
    # kept until the data under it changes
    first = member_names("m: ")
    assert member_names("m: ") == first
    assert computed == ["m: "]

    Organisation.objects.filter(pk=store.odense.organisation_id).update(name="Odense Kommune 2")

    changed = member_names("m: ")
    assert computed == ["m: ", "m: "]
    assert "m: Odense Kommune 2" in changed and changed != first
    assert member_names("m: ") == changed
    assert len(computed) == 2
    # arguments language and who acts each have their own
    computed.clear()
    member_names("a")
    member_names("b")
    with translation.override("en"):
        member_names("a")
    officer = tenancy.Acting(tenancy.MEMBER, store.odense.organisation_id, store.odense.pk)
    with tenancy.acting_as(officer):
        member_names("a")
        member_names("a")
    member_names("a")
    assert computed == ["a", "b", "a", "a"]
    # a change of data no figure reads keeps it
    computed.clear()
    member_names("x")
    Job.objects.create(kind="test", title="Ikke en figur", organisation=store.secretariat)
    client_for(store.staff)  # signing in writes the user's last_login
    Article.objects.update(view_count=F("view_count") + 1)  # reading an article counts it
    ApiToken.objects.update(last_used_at=timezone.now())  # calling the API notes it
    member_names("x")
    assert computed == ["x"]
    # a transaction that changed the data itself neither reads nor writes it
    computed.clear()
    before = member_names("t")
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.filter(pk=store.odense.organisation_id).update(name="Uncommitted")
        inside = member_names("t")
        assert "tUncommitted" in inside  # its own change, not the stored figures
        member_names("t")
        raise RuntimeError  # rolled back
    assert computed == ["t", "t", "t"]
    assert member_names("t") == before  # the rolled-back change never reached the store
    assert len(computed) == 3
    # a participation deadline passing or a new day computes again
    computed.clear()
    deadline = timezone.now() + datetime.timedelta(hours=1)
    make_tender(store, 1, volume_deadline=deadline)
    member_names("d")
    member_names("d")
    assert computed == ["d"]
    with mock.patch("django.utils.timezone.now", return_value=deadline):
        member_names("d")  # the deadline has passed: answers are now final
        member_names("d")
    assert computed == ["d", "d"]
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(days=2)
    ):
        member_names("d")
    assert computed == ["d", "d", "d"]
    # a new release (other code, templates or translations) never reads the old one's figures
    computed.clear()
    member_names("r")
    member_names("r")
    with mock.patch("consortium.figure_store.code_version", return_value="another release"):
        member_names("r")
    assert computed == ["r", "r"]


def test_a_figure_in_use_does_not_expire(store, settings):
    """The expiry clears what nobody reads any more, never a figure still read: each reading
    starts its time again."""
    from django.core.cache import cache

    settings.FIGURES_STORED_SECONDS = 600
    redis = cache._cache.get_client(write=True)
    before = set(redis.keys(cache.make_key("figures:*")))
    member_names("e")
    (key,) = set(redis.keys(cache.make_key("figures:*"))) - before
    redis.expire(key, 5)  # about to expire
    member_names("e")
    assert computed == ["e"]  # read from the store…
    assert redis.ttl(key) > 500  # …and kept for another 600 s


def test_the_code_version_follows_the_code(tmp_path, settings):
    """The digest reads the project's own apps, templates and translations, not a venv's."""
    from consortium.figure_store import code_version

    code_version.cache_clear()
    try:
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
        page = tmp_path / "page.html"
        page.write_text("<p>{{ figure }}</p>")
        code_version.cache_clear()
        before = code_version()
        code_version.cache_clear()
        assert code_version() == before
        page.write_text("<p>{{ figure }} kr.</p>")
        code_version.cache_clear()
        assert code_version() != before
    finally:
        code_version.cache_clear()


@pytest.mark.django_db(transaction=False)
def test_every_table_but_the_untracked_carries_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relispartition, EXISTS (SELECT 1 FROM pg_trigger t "
            "WHERE t.tgrelid = c.oid AND t.tgname = 'figures_changed') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
        rows = cursor.fetchall()
    # A partitioned table's parent carries it (the spend lines), its partitions do not: rows are
    # written through the parent.
    partitions = {name: has for name, partition, has in rows if partition}
    assert "spend_spendline_y2025" in partitions and not any(partitions.values())
    tables = {name: has for name, partition, has in rows if not partition}
    assert {"spend_spendline", "agreements_compliancefigure", "tenders_participation"} <= {
        name for name, has in tables.items() if has
    }
    assert all(not has for name, has in tables.items() if name in UNTRACKED_TABLES)
    assert all(has for name, has in tables.items() if name not in UNTRACKED_TABLES)


def _figures_of(response) -> str:
    """The page without what differs at every request (the CSP nonce, the CSRF token)."""
    html = response.content.decode()
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_every_dashboard_is_computed_once_until_a_change(store):
    pages = [
        (store.staff, "/start/secretariat/"),
        (store.staff, "/reports/"),
        (store.board_member, "/start/board/"),
        (store.board_member, "/reports/"),
        (store.officer, "/start/member/"),
        (store.officer, f"/reports/scorecard/{store.odense.pk}/"),
    ]
    cost = {}
    for user, url in pages:
        client = client_for(user)
        with CaptureQueriesContext(connection) as computing:
            response = client.get(url)
        assert response.status_code == 200, url
        with CaptureQueriesContext(connection) as again:
            second = client.get(url)
        assert _figures_of(second) == _figures_of(response), url
        # Stored, the page runs the request's own queries (session, user, jobs) and the
        # version's, not the figures'.
        assert len(again) < len(computing) - 10, url
        cost[user.pk, url] = len(computing)

    # A change computes each of them again.
    make_tender(store, 7, volumes={store.odense: 1000}, status="volume_collection")
    for user, url in pages:
        with CaptureQueriesContext(connection) as after:
            client_for(user).get(url)
        assert len(after) > cost[user.pk, url] - 10, url


def test_the_beat_job_computes_what_the_secretariat_and_the_board_open_first(store):
    from django.core.cache import cache

    from accounts.models import Role
    from reports.tasks import KEEPING_LOCK

    with_users = Member.objects.filter(
        organisation__users__is_active=True,
        organisation__users__role__in=[Role.OFFICER, Role.VIEWER],
    ).distinct()
    assert with_users.filter(pk__in=[store.odense.pk, store.aarhus.pk]).count() == 2
    assert keep_figures_current() == 4 + 2 * with_users.count()
    period = current_year_period()
    with CaptureQueriesContext(connection) as queries:
        dashboards.secretariat_start(period)
        with tenancy.acting_as(tenancy.Acting(tenancy.BOARD, store.board.pk)):
            dashboards.board_start(period)
        # Each member's start page figures and scorecard, as its own users see them.
        odense = tenancy.Acting(tenancy.MEMBER, store.odense.organisation_id, store.odense.pk)
        with tenancy.acting_as(odense):
            dashboards.member_start(store.odense, period)
            dashboards.scorecard(store.odense, period, True)
    statements = [q["sql"] for q in queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(statements) == 4  # the data version, once per page: all were stored
    # One run at a time: beat sends the task every minute, a run may take minutes.
    assert cache.add(KEEPING_LOCK, "another run")
    try:
        assert keep_figures_current() == 0
    finally:
        cache.delete(KEEPING_LOCK)

    # One record per transaction that changes the figures' data, however many statements.
    before = FigureChange.objects.count()
    with transaction.atomic():
        Organisation.objects.create(kind="member", name="Ny kommune", slug="ny-kommune")
        Organisation.objects.filter(slug="ny-kommune").update(name="Ny Kommune")
    assert FigureChange.objects.count() == before + 1

    # The nightly job forgets records older than a day, all but the newest.
    FigureChange.objects.update(at=timezone.now() - datetime.timedelta(days=2))
    rows = FigureChange.objects.count()
    newest = FigureChange.objects.order_by("-id").first()
    assert rows > 1
    assert forget_figure_changes() == rows - 1
    assert list(FigureChange.objects.values_list("pk", flat=True)) == [newest.pk]


def test_long_tables_are_kept_rendered_until_their_figures_change(store):
    """The compliance overview's tables list every agreement and member of the year: rendered
    once per change of their figures, not at every request."""
    from decimal import Decimal

    from agreements.models import Agreement, ComplianceFigure

    agreement = Agreement.objects.create(
        number="2025-009", title="Kopipapir", start_date=datetime.date(2025, 1, 1),
        base_end_date=datetime.date(2099, 12, 31), end_date=datetime.date(2099, 12, 31),
    )  # fmt: skip
    agreement.members.set([store.odense, store.aarhus])
    month = timezone.localdate().replace(day=1)
    figure = ComplianceFigure.objects.create(
        agreement=agreement, member=store.odense, month=month, category_spend=Decimal("1000.00"),
        supplier_spend=Decimal("800.00"), savings=Decimal("4321.00"), computed_at=timezone.now(),
    )  # fmt: skip
    table = "agreements/_totals_table.html"
    client = client_for(store.staff)
    first = client.get("/agreements/compliance/")
    second = client.get("/agreements/compliance/")
    assert first.status_code == second.status_code == 200
    assert table in [t.name for t in first.templates]
    assert table not in [t.name for t in second.templates]
    assert "4.321,00" in second.content.decode() and "Kopipapir" in second.content.decode()
    assert _main(second) == _main(first)

    ComplianceFigure.objects.filter(pk=figure.pk).update(savings=Decimal("5000.00"))
    third = client.get("/agreements/compliance/")
    assert table in [t.name for t in third.templates]
    assert "5.000,00" in third.content.decode()

    # A member's scorecard: its tables likewise.
    officer = client_for(store.officer)
    url = f"/reports/scorecard/{store.odense.pk}/"
    table = "reports/_table.html"
    first, second = officer.get(url), officer.get(url)
    assert first.status_code == second.status_code == 200
    assert table in [t.name for t in first.templates]
    assert table not in [t.name for t in second.templates]
    assert _main(second) == _main(first) and "Kopipapir" in _main(second)

    # An officer's start page: the member's own climate and insight figures.
    with CaptureQueriesContext(connection) as computing:
        first = officer.get("/start/member/")
    with CaptureQueriesContext(connection) as again:
        second = officer.get("/start/member/")
    own = ('FROM "insight_', 'FROM "climate_')
    assert any(t in q["sql"] for q in computing for t in own)
    assert not [q["sql"][:300] for q in again if any(t in q["sql"] for t in own)]
    assert _main(second) == _main(first)

    # The secretariat's start page: its working tables.
    staff = client_for(store.staff)
    first, second = staff.get("/start/secretariat/"), staff.get("/start/secretariat/")
    assert table in [t.name for t in first.templates]
    assert table not in [t.name for t in second.templates]
    assert _main(second) == _main(first) and "Odense" in _main(second)

    # The member page's lists of tender answers and agreements, per viewer.
    lists = "members/includes/lists.html"
    for user in (store.officer, store.staff, store.aarhus_officer):
        client = client_for(user)
        first, second = client.get(store.odense.get_absolute_url()), None
        second = client.get(store.odense.get_absolute_url())
        assert lists in [t.name for t in first.templates], user
        assert lists not in [t.name for t in second.templates], user
        assert _main(second) == _main(first) and "Kopipapir" in _main(second)
    assert "5.000,00" in _main(client_for(store.officer).get(store.odense.get_absolute_url()))
    assert "5.000,00" not in _main(second)  # Aarhus's officer sees no Odense figure


def _main(response) -> str:
    """The page's main content, without what differs per response (the masked CSRF token)."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def test_the_spend_summary_is_kept_as_it_goes_out(store):
    """The API's spend by supplier (10,000 rows a year for a large member) is written once per
    change of the spend, exactly as the API writes every answer."""
    from decimal import Decimal

    from spend.models import SpendLine, Supplier
    from tests.api.conftest import api_client_for

    supplier = Supplier.objects.create(cvr="12345678", name="Rengøring A/S")
    SpendLine.objects.create(
        member=store.odense, supplier=supplier, amount=Decimal("1250.50"),
        invoice_date=datetime.date(2026, 3, 4), fingerprint="a",
    )  # fmt: skip
    client = api_client_for(store.officer)
    url, query = "/api/v1/spend/summary", {"group_by": "supplier"}
    with CaptureQueriesContext(connection) as computing:
        first = client.get(url, query)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url, query)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/json; charset=utf-8"
    assert first.content == second.content
    assert "Rengøring A/S" in first.content.decode()  # as every answer: not \\u00f8
    assert first.json() == {
        "member_id": store.odense.pk, "member": "Odense", "group_by": "supplier",
        "date_from": None, "date_to": None, "currency": "DKK", "total": "1250.50",
        "rows": [{"key": "12345678", "label": "Rengøring A/S", "amount": "1250.50", "lines": 1}],
    }  # fmt: skip
    assert any("spend_supplierspend" in q["sql"] for q in computing)
    assert not any("spend_supplierspend" in q["sql"] for q in again)

    SpendLine.objects.create(
        member=store.odense, supplier=supplier, amount=Decimal("100.00"),
        invoice_date=datetime.date(2026, 5, 1), fingerprint="b",
    )  # fmt: skip
    assert client.get(url, query).json()["total"] == "1350.50"


def test_the_tender_page_keeps_its_pooling_counts_and_document_states(store):
    """The running total of the answers and whether each document is current: computed once
    per change of the tender's data, then read from the store."""
    from decimal import Decimal

    from tenders.models import Participation, TenderStatus, VolumeDeclaration

    tender = make_tender(
        store, 7, status=TenderStatus.VOLUME_COLLECTION,
        volumes={store.odense: Decimal("1000000.00")},
    )  # fmt: skip
    client = client_for(store.staff)
    url = tender.get_absolute_url()
    counting = 'SUM("tenders_volumedeclaration"."annual_volume") AS "total"'
    with CaptureQueriesContext(connection) as computing:
        first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert any(counting in q["sql"] for q in computing)
    assert not any(counting in q["sql"] for q in again)
    assert not any('FROM "tenders_tenderdocument"' in q["sql"] for q in again)
    assert _main(second) == _main(first)
    assert "1 af 1 medlemmer har tilsluttet sig" in _main(second)

    answer = Participation.objects.create(
        tender=tender, member=store.aarhus, answer=Participation.Answer.PARTICIPATE
    )
    VolumeDeclaration.objects.create(
        participation=answer, lot=tender.lots.get(), annual_volume=Decimal("500000.00")
    )
    third = client.get(url)
    assert "2 af 2 medlemmer har tilsluttet sig" in _main(third)


def test_the_agreement_page_keeps_its_choice_of_successor(store):
    """The secretariat's list of every tender to name as successor: rendered once per change
    of the tenders or the agreement."""
    from agreements.models import Agreement

    agreement = Agreement.objects.create(
        number="2025-010", title="Kaffe", start_date=datetime.date(2025, 1, 1),
        base_end_date=datetime.date(2099, 12, 31), end_date=datetime.date(2099, 12, 31),
    )  # fmt: skip
    make_tender(store, 8)
    client = client_for(store.staff)
    url = f"/agreements/{agreement.pk}/"
    with CaptureQueriesContext(connection) as computing:
        first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    listing = 'FROM "tenders_tender" WHERE NOT'
    assert any(listing in q["sql"] for q in computing)
    assert not any(listing in q["sql"] for q in again)
    assert _main(second) == _main(first) and "2026-008" in _main(second)

    make_tender(store, 9)
    assert "2026-009" in _main(client.get(url))
