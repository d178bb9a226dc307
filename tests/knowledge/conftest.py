"""Articles in each state for the knowledge tests."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from knowledge.models import Article, Kind, Status
from knowledge.services import article_create


def make_article(
    user: User, *, status: str = Status.DRAFT, title: str = "Vejledning om udbud", **kw: Any
) -> Article:
    """An article written by `user`, then put straight into `status` (no workflow)."""
    kw.setdefault("kind", Kind.GUIDE)
    kw.setdefault("body", "Sådan gennemfører I et udbud.")
    article = article_create(user=user, title=title, **kw)
    if status != Status.DRAFT:
        Article.objects.filter(pk=article.pk).update(status=status)
        article.refresh_from_db()
    return article
