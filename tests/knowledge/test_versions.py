"""Every saved edit is a version; any two compare side by side; an old one restores as new."""

from __future__ import annotations

from django.urls import reverse

from knowledge.models import ArticleVersion, Status
from knowledge.services import article_restore_version, article_update
from tests.conftest import client_for

from .conftest import make_article


def test_each_content_edit_is_a_numbered_version_with_author(cast) -> None:
    article = make_article(cast.officer, body="Første udgave.")
    v2 = article_update(article=article, user=cast.officer, body="Anden udgave.", note="Rettet")
    v3 = article_update(article=article, user=cast.staff, title="Ny titel")
    assert [v.number for v in article.versions.order_by("number")] == [1, 2, 3]
    assert v2.author == cast.officer and v2.note == "Rettet" and v2.body == "Anden udgave."
    assert v3.author == cast.staff and v3.title == "Ny titel"


def test_saving_without_content_changes_adds_no_version(cast) -> None:
    article = make_article(cast.officer)
    assert article_update(article=article, user=cast.officer, title=article.title) is None
    assert article.versions.count() == 1


def test_restore_makes_the_old_text_current_as_a_new_version(cast) -> None:
    article = make_article(cast.staff, body="Original tekst.", status=Status.PUBLISHED)
    article_update(article=article, user=cast.staff, body="Forkert ændring.")
    first = article.versions.get(number=1)
    restored = article_restore_version(article=article, version=first, user=cast.admin)
    article.refresh_from_db()
    assert restored.number == 3
    assert article.body == "Original tekst." and "Original tekst." in article.body_html
    assert restored.restored_from == 1 and "version 1" in restored.display_note.lower()
    assert ArticleVersion.objects.filter(article=article).count() == 3  # nothing is lost


def test_compare_page_shows_both_versions_side_by_side(cast) -> None:
    article = make_article(cast.staff, body="Frist 30 dage.", status=Status.PUBLISHED)
    article_update(article=article, user=cast.staff, body="Frist 35 dage.")
    response = client_for(cast.aarhus_officer).get(
        reverse("knowledge:compare", args=[article.pk]), {"old": 1, "new": 2}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Frist <del>30</del> dage." in html and "Frist <ins>35</ins> dage." in html


def test_restore_view_is_for_editors_only(cast) -> None:
    article = make_article(cast.officer, body="A")
    article_update(article=article, user=cast.officer, body="B")
    url = reverse("knowledge:version_restore", args=[article.pk, 1])
    assert client_for(cast.viewer).post(url).status_code == 403
    assert client_for(cast.aarhus_officer).post(url).status_code == 404
    assert client_for(cast.officer).post(url).status_code == 302
    article.refresh_from_db()
    assert article.body == "A" and article.versions.count() == 3
