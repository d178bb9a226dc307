"""The article page's related tenders and agreements, the editor's tender picker, and version
notes shown in the reader's language."""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agreements.services import agreement_create
from knowledge.models import ArticleVersion, Status, VersionKind
from knowledge.services import article_restore_version, article_update
from tenders.models import ProcedureType, Tender, TenderStatus
from tests.conftest import client_for

from .conftest import make_article


def _tender(reference: str, lead, title: str = "Kontorartikler") -> Tender:
    return Tender.objects.create(
        reference=reference,
        title=f"{title} {reference}",
        status=TenderStatus.CONCLUDED,
        procedure_type=ProcedureType.OPEN,
        lead_organisation=lead,
    )


def _agreement(number: str, *, start: datetime.date, end: datetime.date, **fields):
    return agreement_create(
        number=number, title=f"Aftale {number}", start_date=start, base_end_date=end, **fields
    )


def _page(user, article, language: str | None = None) -> str:
    client = client_for(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("knowledge:detail", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- related agreements ----------------------------------------------------------------------------


def test_article_page_links_related_agreements_with_their_status(cast) -> None:
    article = make_article(cast.staff, status=Status.PUBLISHED, title="Brug af kontoraftalen")
    today = timezone.localdate()
    active = _agreement(
        "K-2026-1",
        start=today - datetime.timedelta(days=30),
        end=today.replace(year=today.year + 2),
    )
    expired = _agreement("K-2019-1", start=datetime.date(2019, 1, 1), end=datetime.date(2021, 1, 1))
    unrelated = _agreement("K-2026-9", start=today, end=today.replace(year=today.year + 2))
    active.related_articles.add(article)
    expired.related_articles.add(article)

    html = _page(cast.aarhus_officer, article)

    assert f'href="{active.get_absolute_url()}"' in html
    assert f'href="{expired.get_absolute_url()}"' in html
    assert unrelated.get_absolute_url() not in html
    assert "Aktiv" in html and "Udløbet" in html  # the agreements' status, in Danish


def test_related_agreements_cost_the_same_queries_however_many(cast) -> None:
    article = make_article(cast.staff, status=Status.PUBLISHED)
    today = timezone.localdate()
    end = today.replace(year=today.year + 1)
    _agreement("Q-1", start=today, end=end).related_articles.add(article)
    with CaptureQueriesContext(connection) as one:
        _page(cast.viewer, article)
    for n in range(2, 6):
        _agreement(f"Q-{n}", start=today, end=end).related_articles.add(article)
    with CaptureQueriesContext(connection) as five:
        html = _page(cast.viewer, article)
    assert html.count('href="/agreements/') >= 5
    assert len(five) == len(one)


# --- related tenders -------------------------------------------------------------------------------


def test_related_tenders_are_links(cast) -> None:
    tender = _tender("2026-014", cast.secretariat)
    article = make_article(cast.staff, status=Status.PUBLISHED, related_tenders=[tender])
    html = _page(cast.viewer, article)
    assert f'<a href="{tender.get_absolute_url()}">' in html


def test_editor_lists_recent_tenders_in_a_select_and_keeps_linked_ones_as_checkboxes(cast) -> None:
    tenders = [_tender(f"2025-{n:03d}", cast.secretariat) for n in range(1, 41)]
    linked = tenders[0]
    article = make_article(cast.officer, related_tenders=[linked])
    response = client_for(cast.officer).get(reverse("knowledge:edit", args=[article.pk]))
    html = response.content.decode()
    # One checkbox, ticked, for the linked tender; not one per tender in the portal.
    assert html.count('name="related_tenders"') == 1
    assert f'name="related_tenders" value="{linked.pk}"' in html and "checked" in html
    # The others to choose from in one multiple select, newest first.
    assert '<select name="add_tenders"' in html and "multiple" in html
    assert html.index("2025-040") < html.index("2025-039")
    assert f'<option value="{linked.pk}"' not in html


def test_editor_adds_and_removes_related_tenders(cast) -> None:
    first, second, third = (_tender(f"2025-00{n}", cast.secretariat) for n in (1, 2, 3))
    article = make_article(cast.officer, related_tenders=[first, second])
    data = {
        "title": article.title, "kind": article.kind, "summary": "", "body": article.body,
        "owner": cast.officer.pk, "review_date": article.review_date.isoformat(),
        "related_tenders": [second.pk],  # first unticked
        "add_tenders": [third.pk],
    }  # fmt: skip
    response = client_for(cast.officer).post(reverse("knowledge:edit", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()
    assert set(article.related_tenders.all()) == {second, third}


def test_new_article_picks_related_tenders_from_the_select(cast) -> None:
    tender = _tender("2025-001", cast.secretariat)
    data = {
        "title": "Ny vejledning", "kind": "guide", "body": "Tekst.", "owner": cast.officer.pk,
        "review_date": "2030-01-01", "add_tenders": [tender.pk],
    }  # fmt: skip
    response = client_for(cast.officer).post(reverse("knowledge:new"), data)
    assert response.status_code == 302, response.content.decode()
    article = cast.officer.organisation.knowledge_articles.get(title="Ny vejledning")
    assert list(article.related_tenders.all()) == [tender]


# --- version notes in the reader's language --------------------------------------------------------


def test_system_version_notes_show_in_the_readers_language(cast) -> None:
    with translation.override("da"):
        article = make_article(cast.staff, status=Status.PUBLISHED, body="Første.")
        article_update(article=article, user=cast.staff, body="Anden.")
        restored = article_restore_version(
            article=article, version=article.versions.get(number=1), user=cast.staff
        )
    assert restored.kind == VersionKind.RESTORED and restored.restored_from == 1

    english = _page(cast.viewer, article, language="en")
    assert "Created" in english and "Restored from version 1" in english
    assert "Oprettet" not in english and "Gendannet" not in english

    danish = _page(cast.viewer, article, language="da")
    assert "Oprettet" in danish and "Gendannet fra version 1" in danish


def test_an_authors_own_note_is_shown_as_written(cast) -> None:
    article = make_article(cast.staff, status=Status.PUBLISHED, note="Første udgave")
    article_update(article=article, user=cast.staff, body="Ny.", note="Rettet frist")
    english = _page(cast.viewer, article, language="en")
    assert "Første udgave" in english and "Rettet frist" in english and "Created" not in english


def test_migration_turns_stored_system_notes_into_kinds(cast) -> None:
    article = make_article(cast.staff, status=Status.PUBLISHED)
    ArticleVersion.objects.filter(article=article).update(
        kind=VersionKind.EDIT, note="Oprettet", restored_from=None
    )
    for number, note in ((2, "Restored from version 1"), (3, "Gendannet fra version 2"),
                         (4, "Rettet frist")):  # fmt: skip
        ArticleVersion.objects.create(article=article, number=number, title="T", note=note)
    migration = importlib.import_module("knowledge.migrations.0003_version_kind")

    migration.notes_to_kinds(apps, None)

    versions = {v.number: v for v in article.versions.all()}
    assert (versions[1].kind, versions[1].note) == (VersionKind.CREATED, "")
    assert (versions[2].kind, versions[2].restored_from, versions[2].note) == (
        VersionKind.RESTORED, 1, ""
    )  # fmt: skip
    assert (versions[3].kind, versions[3].restored_from) == (VersionKind.RESTORED, 2)
    assert (versions[4].kind, versions[4].note) == (VersionKind.EDIT, "Rettet frist")


def test_migration_renders_again_the_headings_the_old_renderer_dropped(cast) -> None:
    from knowledge.models import Article

    article = make_article(cast.staff, body="# Formål\n\nTekst.")
    Article.objects.filter(pk=article.pk).update(body_html="Formål<p>Tekst.</p>")  # as stored
    migration = importlib.import_module(
        "knowledge.migrations.0004_version_kind_constraint_and_headings"
    )

    migration.rerender_bodies(apps, None)

    article.refresh_from_db()
    assert article.body_html.startswith("<h2>Formål</h2>")
