"""Reads of the knowledge base: search, the home page's lists, the review queue, stale articles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.access import ALL_ROLES, has_role
from consortium.figure_store import stored

from .models import Article, Phase, Status

CONFIG = "danish"
# Weights of D, C, B, A (body is C, summary B, title A). ts_rank adds repeated hits with falling
# weight (1, 1/4, 1/9 …), so all the body's hits together stay below one hit in the title.
RANK_WEIGHTS = [0.05, 0.1, 0.4, 1.0]
# ts_headline marks hits with these; the text is escaped before they become <mark>.
START, STOP = "\ue000", "\ue001"


# The statuses of the articles not everyone may read (an index on status finds them).
OTHER_STATUSES = [s for s in Status.values if s != Status.PUBLISHED]
# Everything a result list shows (the pages and the API's `ArticleOut`): a deferred field read
# later would cost a query per article.
LISTED_FIELDS = (
    "id", "title", "kind", "summary", "status", "phases", "aims", "levers", "updated_at",
    "published_at", "review_date", "organisation_id",
)  # fmt: skip


@dataclass(frozen=True)
class SearchFilters:
    query: str = ""
    kind: str = ""
    tag: str = ""  # an aim or a lever
    phase: str = ""
    status: str = ""


def _filtered(qs: QuerySet[Article], filters: SearchFilters) -> QuerySet[Article]:
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.phase:
        qs = qs.filter(phases__contains=[filters.phase])
    if filters.tag:
        qs = qs.filter(Q(aims__contains=[filters.tag]) | Q(levers__contains=[filters.tag]))
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def _query(filters: SearchFilters) -> SearchQuery | None:
    text = filters.query.strip()
    return SearchQuery(text, config=CONFIG, search_type="websearch") if text else None


def _matches(user: Any, filters: SearchFilters) -> QuerySet[Article]:
    qs = _filtered(Article.objects.visible_to(user), filters)
    query = _query(filters)
    if query is None:
        return qs
    # The published matches through the index (migration 0006: under row-level security the
    # index cannot be used, and every article's vector would be tested), and the user's other
    # matching articles (drafts, in review, archived: a few) as before; the page's query then
    # reads those articles by id, under the policy and `visible_to` as always.
    others = list(
        qs.filter(status__in=OTHER_STATUSES, search_vector=query).values_list("pk", flat=True)
    )
    matching = RawSQL(
        "SELECT knowledge_published_matching(%s) UNION ALL SELECT unnest(%s::bigint[])",
        [filters.query.strip(), others],
    )
    return qs.filter(pk__in=matching)


def article_search(*, user: Any, filters: SearchFilters) -> QuerySet[Article]:
    """Articles the user may see that match, best first.

    Matching uses the GIN-indexed `search_vector` (title, summary and body). Ranking uses
    SearchRank on `search_head` (title weight A, summary B): a title hit ranks above a summary
    hit, which ranks above a hit in the body only; body-only hits follow, newest first.
    Ranking on the full vector would read and decompress the whole body's vector of every
    match — for a common word most of the corpus, over 10× slower (bench/knowledge_search.py).
    Snippets come from `article_search_page`, for the page shown only.
    """
    qs = _matches(user, filters).only(*LISTED_FIELDS)
    query = _query(filters)
    if query is None:
        return qs.order_by("-updated_at", "-pk")
    return qs.annotate(rank=SearchRank(F("search_head"), query, weights=RANK_WEIGHTS)).order_by(
        "-rank", "-updated_at", "-pk"
    )


def _headlines(ids: list[int], query: SearchQuery) -> dict[int, str]:
    """Snippets for the page's articles only: ts_headline reads the whole text, so a separate
    query keeps the body out of the ranking scan (carrying it through the sort costs ~10x)."""
    rows = Article.objects.filter(pk__in=ids).annotate(
        headline=SearchHeadline(
            Concat("summary", Value("\n\n"), "body", output_field=TextField()),
            query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )
    return dict(rows.values_list("pk", "headline"))


# Counting every match of a common word costs as much as ranking them; beyond this many the
# page says "more than".
COUNT_LIMIT = 1000


@dataclass
class SearchPage:
    articles: list[Article]
    number: int
    per_page: int
    count: int  # at most COUNT_LIMIT
    count_is_capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * self.per_page < self.count

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def article_search_page(
    *, user: Any, filters: SearchFilters, page: int = 1, per_page: int = 20
) -> SearchPage:
    """One page of search results with highlighted snippets, and the (capped) number of hits —
    the order of `article_search`."""
    page = max(1, min(page, -(-COUNT_LIMIT // per_page)))  # no deeper than the count goes
    start = (page - 1) * per_page
    query = _query(filters)
    if query is None:
        results = article_search(user=user, filters=filters)
        articles = list(results[start : start + per_page])
        count = results.order_by().values("pk")[: COUNT_LIMIT + 1].count()
        headlines: dict[int, str] = {}
    else:
        ranked, count = _ranked_matches(user, filters, query, start + per_page)
        chosen = ranked[start : start + per_page]
        by_id = {
            a.pk: a
            for a in Article.objects.visible_to(user)
            .filter(pk__in=[pk for pk, _rank, _updated in chosen])
            .only(*LISTED_FIELDS)
        }
        articles = []
        for pk, rank, _updated in chosen:
            if pk in by_id:  # read under the policy and `visible_to`, as every page does
                by_id[pk].rank = rank
                articles.append(by_id[pk])
        headlines = _headlines([a.pk for a in articles], query)
    for article in articles:
        article.snippet = highlight(headlines.get(article.pk, article.summary))
    return SearchPage(
        articles=articles,
        number=page,
        per_page=per_page,
        count=min(count, COUNT_LIMIT),
        count_is_capped=count > COUNT_LIMIT,
    )


def _ranked_matches(
    user: Any, filters: SearchFilters, query: SearchQuery, first: int
) -> tuple[list[tuple[int, float, Any]], int]:
    """The `first` best matches as (id, rank, updated_at) in `article_search`'s order, and how
    many match in all.

    The published matches come ranked from `knowledge_published_ranked` (migration 0008: one
    pass over the index's matches, where looking each up again by id under row-level security
    cost twice as much for a common word), the user's other matches (drafts, in review,
    archived: a few) from its own query; merged, they keep the order of the ranking query."""
    ranked: list[tuple[int, float, Any]] = []
    total = 0
    if not filters.status or filters.status == Status.PUBLISHED:
        sql = (
            "SELECT r.id, r.rank, r.updated_at, count(*) OVER () "
            "FROM knowledge_published_ranked(%s, %s::real[]) r"
        )
        params: list[Any] = [filters.query.strip(), RANK_WEIGHTS]
        if filters.kind or filters.phase or filters.tag:
            narrowed = _filtered(Article.objects.published(), filters).values("pk")
            inner, inner_params = narrowed.query.sql_with_params()
            sql += f" WHERE r.id IN ({inner})"
            params += list(inner_params)
        sql += " ORDER BY r.rank DESC, r.updated_at DESC, r.id DESC LIMIT %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, first])
            rows = cursor.fetchall()
        ranked = [(pk, rank, updated) for pk, rank, updated, _total in rows]
        total = rows[0][3] if rows else 0
    others = list(
        _filtered(Article.objects.visible_to(user), filters)
        .filter(status__in=OTHER_STATUSES, search_vector=query)
        .annotate(rank=SearchRank(F("search_head"), query, weights=RANK_WEIGHTS))
        .values_list("pk", "rank", "updated_at")
    )
    merged = sorted([*ranked, *others], key=lambda r: (r[1], r[2], r[0]), reverse=True)
    return merged[:first], total + len(others)


MARKDOWN_MARKS = re.compile(r"(?m)(^|\s)(#{1,6}|[-*+>]|\d+\.)\s+|\*\*|__|`|\[|\]\([^)]*\)")


def highlight(raw: str) -> SafeString:
    """Escape a ts_headline snippet, drop Markdown marks, and turn hit marks into <mark>."""
    text = escape(" ".join(MARKDOWN_MARKS.sub(" ", raw or "").split()))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def articles_recent(*, user: Any, limit: int = 8) -> QuerySet[Article]:
    return Article.objects.visible_to(user).published().order_by("-published_at", "-pk")[:limit]


def articles_most_used(*, user: Any, limit: int = 5) -> QuerySet[Article]:
    return (
        Article.objects.visible_to(user)
        .published()
        .filter(view_count__gt=0)
        .order_by("-view_count", "title")[:limit]
    )


def phase_counts(*, user: Any) -> list[dict[str, Any]]:
    """Published articles per procedure phase, in the phases' order."""
    counts = _published_phase_counts() if has_role(user, ALL_ROLES) else {}
    return [{"value": p.value, "label": p.label, "count": counts.get(p.value, 0)} for p in Phase]


@stored()
def _published_phase_counts() -> dict[str, int]:
    """Every role reads every published article, so the counts are the same for all; kept
    between requests until the articles change (a scan of them all, 45 ms on the national
    data set)."""
    return Article.objects.published().aggregate(
        **{p.value: Count("pk", filter=Q(phases__contains=[p.value])) for p in Phase}
    )


def articles_of_organisation(*, user: Any) -> QuerySet[Article]:
    """The user's organisation's articles that are not (yet) published."""
    return (
        Article.objects.visible_to(user)
        .filter(organisation_id=user.organisation_id)
        .exclude(status=Status.PUBLISHED)
        .select_related("author")
        .order_by("-updated_at")
    )


def review_queue() -> QuerySet[Article]:
    """Articles waiting for the secretariat, oldest submission first."""
    return (
        Article.objects.filter(status=Status.IN_REVIEW)
        .select_related("organisation", "author")
        .order_by("updated_at")
    )


def stale_articles() -> QuerySet[Article]:
    return Article.objects.stale().select_related("owner", "organisation").order_by("review_date")


def article_related_agreements(article: Article) -> list[Any]:
    """Agreements linked to the article, latest ending first, each with its status: one query.

    The agreements app owns the link (`Agreement.related_articles`, reverse name `agreements`),
    so this app reads it without importing that app. Agreements are shared data that every
    signed-in user may read. An agreement's status follows from its own dates, so showing it
    costs no query per agreement.
    """
    return list(
        article.agreements.only(  # type: ignore[attr-defined]
            "pk", "number", "title", "start_date", "end_date", "terminated_on"
        ).order_by("-end_date", "number")
    )
