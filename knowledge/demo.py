"""Demo articles: procedures, templates, methods, analyses, guides and members' cases in Danish.

Idempotent: articles are keyed by title. A new article is written through the services (so it
gets its versions and sanitised HTML); an existing one only has its state and dates refreshed.
Some articles have several versions, some are past their review date, a few wait for review.
The texts are data: `demo_articles/index.json` lists each article's metadata and names the
Markdown file of its body and of each later version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from accounts.models import User
from cpv.models import CpvCode
from tenders.models import Tender

from .models import Article, Status
from .services import article_create, article_update

SECRETARIAT = "sekretariat@12by.test"


@dataclass
class Demo:
    title: str
    kind: str
    phases: list[str]
    aims: list[str]
    levers: list[str]
    summary: str
    body: str
    author: str = SECRETARIAT
    status: str = Status.PUBLISHED
    cpv: list[str] = field(default_factory=list)
    # Later versions: (body, change note) applied in order after the first.
    revisions: list[tuple[str, str]] = field(default_factory=list)
    review_in_days: int = 300  # negative: past its review date (stale)
    views: int = 0


ARTICLES = Path(__file__).resolve().parent / "demo_articles"


def _load() -> list[Demo]:
    """The articles of `demo_articles/index.json`, each body (and later version) from its file."""
    with (ARTICLES / "index.json").open(encoding="utf-8") as handle:
        entries = json.load(handle)
    demos = []
    for entry in entries:
        body = _text(entry.pop("body"))
        revisions = [(_text(r["body"]), r["note"]) for r in entry.pop("revisions", [])]
        demos.append(Demo(**entry, body=body, revisions=revisions))
    return demos


def _text(name: str) -> str:
    return (ARTICLES / name).read_text(encoding="utf-8").removesuffix("\n")


DEMOS: list[Demo] = _load()


def seed() -> list[Article]:
    """Create or refresh the demo articles."""
    people = {
        u.email: u for u in User.objects.filter(email__in={d.author for d in DEMOS} | {SECRETARIAT})
    }
    staff = people[SECRETARIAT]
    today = timezone.localdate()
    tenders = list(Tender.objects.order_by("reference")[:3])
    articles = []
    for index, demo in enumerate(DEMOS):
        author = people.get(demo.author, staff)
        article = Article.objects.filter(title=demo.title).first()
        if article is None:
            article = article_create(
                user=author, title=demo.title, kind=demo.kind, summary=demo.summary,
                body=demo.body, phases=demo.phases, aims=demo.aims, levers=demo.levers,
                cpv_codes=CpvCode.objects.filter(code8__in=demo.cpv),
                related_tenders=tenders[index % 3 : index % 3 + 1] if tenders and index % 4 == 0 else None,
                note="Første udgave",
            )  # fmt: skip
            for body, note in demo.revisions:
                article_update(article=article, user=staff, body=body, note=note)
        published = demo.status in (Status.PUBLISHED, Status.ARCHIVED)
        # Spread publication over the past year, so "recent" has an order.
        Article.objects.filter(pk=article.pk).update(
            status=demo.status,
            review_date=today + timedelta(days=demo.review_in_days),
            published_at=(timezone.now() - timedelta(days=7 * index + 1)) if published else None,
            view_count=demo.views,
            stale_flagged_at=None,
        )
        articles.append(article)
    return articles
