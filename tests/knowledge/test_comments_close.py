"""Publishing an article ends its review: the review comments are closed, and say so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knowledge.models import ArticleComment, Status
from knowledge.services import article_comment, article_transition
from tests.conftest import client_for

from .conftest import make_article

pytestmark = pytest.mark.django_db


def test_review_comments_close_when_the_article_is_published(cast) -> None:
    article = make_article(cast.officer)
    article_transition(article=article, user=cast.officer, action="submit")
    article_comment(article=article, user=cast.staff, body="Tilføj en kilde.")
    article_comment(article=article, user=cast.officer, body="Kilden er tilføjet.")
    article_transition(article=article, user=cast.staff, action="return", comment="Ret titlen.")
    assert not ArticleComment.objects.filter(article=article, closed_at__isnull=False).exists()

    article_transition(article=article, user=cast.officer, action="submit")
    article = article_transition(
        article=article, user=cast.staff, action="publish", comment="Fint, udgivet."
    )
    assert article.status == Status.PUBLISHED
    closed = set(ArticleComment.objects.filter(article=article).values_list("closed_at", flat=True))
    assert closed == {article.published_at}  # all four, the publisher's last one too

    html = client_for(cast.officer).get(article.get_absolute_url()).content.decode()
    comments = html[html.index('id="comments"') :]
    assert comments.count("Lukket: udgivet") == 4

    # A comment made after publication is open until the article is published again.
    article_comment(article=article, user=cast.staff, body="Husk at opdatere næste år.")
    assert ArticleComment.objects.filter(article=article, closed_at__isnull=True).count() == 1
    article_transition(article=article, user=cast.staff, action="archive")
    assert ArticleComment.objects.filter(article=article, closed_at__isnull=True).count() == 1
    assert reverse("knowledge:detail", args=[article.pk]) == article.get_absolute_url()
