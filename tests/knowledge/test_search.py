"""Danish full-text search: inflected forms, title-first ranking, snippets, filters, visibility."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from consortium import tenancy
from consortium.tenancy import Acting
from knowledge.models import Article, Status
from knowledge.selectors import SearchFilters, article_search, article_search_page
from knowledge.services import article_update
from tests.conftest import client_for

from .conftest import make_article


def _titles(user, **filters) -> list[str]:
    return [a.title for a in article_search(user=user, filters=SearchFilters(**filters))]


def test_inflected_danish_forms_are_found(cast) -> None:
    make_article(
        cast.staff, title="Tjekliste", body="Udbuddet annonceres i TED.", status=Status.PUBLISHED
    )
    make_article(
        cast.staff,
        title="Skabelon",
        body="Udbudsbetingelserne skal være klare.",
        status=Status.PUBLISHED,
    )
    make_article(
        cast.staff, title="Andet", body="Noget helt tredje om kaffe.", status=Status.PUBLISHED
    )
    assert _titles(cast.aarhus_officer, query="udbud") == ["Tjekliste"]
    assert _titles(cast.aarhus_officer, query="udbudsbetingelser") == ["Skabelon"]
    assert _titles(cast.aarhus_officer, query="rammeaftaler") == []


def test_title_hits_rank_above_body_hits(cast) -> None:
    make_article(
        cast.staff, title="Om kontrakter", status=Status.PUBLISHED,
        body="Markedsdialog. " * 20 + "Markedsdialogen er vigtig, og markedsdialoger tager tid.",
    )  # fmt: skip
    make_article(
        cast.staff, title="Markedsdialog i praksis", body="Kort tekst.", status=Status.PUBLISHED
    )
    make_article(
        cast.staff, title="Resumé", summary="Om markedsdialog", body="x", status=Status.PUBLISHED
    )
    assert _titles(cast.officer, query="markedsdialogen") == [
        "Markedsdialog i praksis", "Resumé", "Om kontrakter",
    ]  # fmt: skip


def test_snippet_highlights_hits_and_escapes_the_text(cast) -> None:
    make_article(
        cast.staff, title="T", status=Status.PUBLISHED,
        body="Bemærk: evalueringen af tilbud sker efter pris & kvalitet.",
    )  # fmt: skip
    page = article_search_page(user=cast.officer, filters=SearchFilters(query="evaluering"))
    html = page.articles[0].snippet
    assert "<mark>evalueringen</mark>" in html
    assert "pris &amp; kvalitet" in html


def test_drafts_of_another_municipality_are_not_found(cast) -> None:
    make_article(cast.officer, title="Odenses kladde om udbud")
    make_article(cast.staff, title="Publiceret om udbud", status=Status.PUBLISHED)
    assert _titles(cast.aarhus_officer, query="udbud") == ["Publiceret om udbud"]
    assert sorted(_titles(cast.viewer, query="udbud")) == [
        "Odenses kladde om udbud",
        "Publiceret om udbud",
    ]
    assert len(_titles(cast.staff, query="udbud")) == 2


def test_filters_by_kind_tag_and_phase(cast) -> None:
    make_article(
        cast.staff,
        title="A udbud",
        kind="template",
        phases=["tender"],
        levers=["data"],
        status=Status.PUBLISHED,
    )
    make_article(
        cast.staff,
        title="B udbud",
        kind="method",
        phases=["needs"],
        aims=["climate"],
        status=Status.PUBLISHED,
    )
    user = cast.officer
    assert _titles(user, query="udbud", kind="template") == ["A udbud"]
    assert _titles(user, query="udbud", phase="needs") == ["B udbud"]
    assert _titles(user, query="udbud", tag="climate") == ["B udbud"]
    assert _titles(user, query="udbud", tag="data") == ["A udbud"]
    assert sorted(_titles(user, phase="tender")) == ["A udbud"]


def test_search_vector_follows_edits_and_bulk_updates(cast) -> None:
    article = make_article(cast.staff, title="Gammel", body="intet", status=Status.PUBLISHED)
    article_update(
        article=article, user=cast.staff, body="Kontraktstyringen følges op hvert kvartal."
    )
    assert _titles(cast.officer, query="kontraktstyring") == ["Gammel"]
    Article.objects.filter(pk=article.pk).update(title="Leverandørmøder")
    assert _titles(cast.officer, query="leverandørmøde") == ["Leverandørmøder"]


def test_search_page_and_htmx_fragment(cast) -> None:
    make_article(
        cast.staff, title="Evaluering af tilbud", body="Evalueringen følger kriterierne.",
        status=Status.PUBLISHED,
    )  # fmt: skip
    client = client_for(cast.aarhus_officer)
    page = client.get(reverse("knowledge:search"), {"q": "evalueringen"})
    assert page.status_code == 200 and "<mark>" in page.content.decode()
    fragment = client.get(
        reverse("knowledge:search"), {"q": "tilbuddet"}, headers={"HX-Request": "true"}
    )
    body = fragment.content.decode()
    assert "Evaluering af tilbud" in body and "<html" not in body
    assert "HX-Request" in fragment["Vary"]


def test_search_page_counts_up_to_a_limit_and_pages(cast, monkeypatch) -> None:
    from knowledge import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 4)
    for n in range(6):
        make_article(cast.staff, title=f"Udbud nr. {n}", status=Status.PUBLISHED)
    page = selectors.article_search_page(
        user=cast.officer, filters=SearchFilters(query="udbuddet"), page=1, per_page=3
    )
    assert len(page.articles) == 3 and page.count == 4 and page.count_is_capped
    assert page.has_next and not page.has_previous
    assert all("<mark>" in a.snippet or a.snippet for a in page.articles)
    second = selectors.article_search_page(
        user=cast.officer, filters=SearchFilters(query="udbuddet"), page=2, per_page=3
    )
    assert {a.pk for a in second.articles}.isdisjoint({a.pk for a in page.articles})


def test_the_index_lookup_returns_published_articles_only(cast) -> None:
    """knowledge_published_matching runs as the owner, past row-level security: it may only
    name articles everyone may read."""
    draft = make_article(cast.officer, title="Odenses kladde om udbud")
    review = make_article(cast.officer, title="Odense til review om udbud", status=Status.IN_REVIEW)
    published = make_article(cast.staff, title="Publiceret om udbud", status=Status.PUBLISHED)
    aarhus = Acting(tenancy.MEMBER, cast.aarhus.organisation_id, cast.aarhus.pk)
    with tenancy.acting_as(aarhus), connection.cursor() as cursor:
        cursor.execute("SELECT knowledge_published_matching(%s)", ["udbud"])
        found = {row[0] for row in cursor.fetchall()}
    assert published.pk in found
    assert not {draft.pk, review.pk} & found


def test_the_search_page_keeps_the_order_and_count_of_the_search(cast) -> None:
    """The page ranks the published matches in one pass (`knowledge_published_ranked`) and
    merges the user's own others: the same articles in the same order, and the same count, as
    `article_search` for every reader, filter and page."""
    import datetime

    from django.utils import timezone

    when = timezone.now() - datetime.timedelta(days=30)
    specs = [
        # (author, status, title, summary, body, kind, phases, aims)
        ("staff", Status.PUBLISHED, "Udbud af kaffe", "", "Om kaffe.", "guide", ["tender"], []),
        ("staff", Status.PUBLISHED, "Kaffe", "Et udbud i to dele.", "", "method", [], ["climate"]),
        ("staff", Status.PUBLISHED, "Te", "", "Et udbud af te.", "guide", ["needs"], []),
        ("staff", Status.PUBLISHED, "Mælk", "", "Udbuddet af mælk.", "template", ["tender"], []),
        ("staff", Status.PUBLISHED, "Brød", "", "Intet om det.", "guide", [], []),
        ("staff", Status.ARCHIVED, "Gammelt udbud", "", "Udbud.", "guide", [], []),
        ("officer", Status.DRAFT, "Odenses udbud", "", "Udbud.", "guide", ["tender"], []),
        ("officer", Status.IN_REVIEW, "Odense", "Udbud til review.", "", "method", [], []),
        ("aarhus_officer", Status.DRAFT, "Aarhus' udbud", "", "Udbud.", "guide", [], []),
    ]
    for n, (author, status, title, summary, body, kind, phases, aims) in enumerate(specs):
        article = make_article(
            getattr(cast, author), status=status, title=title, summary=summary, body=body,
            kind=kind, phases=phases, aims=aims,
        )  # fmt: skip
        # Two articles with the same rank are ordered by their time, then by id.
        Article.objects.filter(pk=article.pk).update(
            updated_at=when + datetime.timedelta(days=n % 3)
        )
    filters = [
        {"query": "udbud"},
        {"query": "udbud", "kind": "guide"},
        {"query": "udbud", "phase": "tender"},
        {"query": "udbud", "tag": "climate"},
        {"query": "udbud", "status": Status.DRAFT},
        {"query": "udbud", "status": Status.PUBLISHED},
        {"query": "kaffe -te"},
        {"query": "ingenting"},
    ]
    readers = [cast.officer, cast.viewer, cast.aarhus_officer, cast.staff, cast.board_member]
    for user in readers:
        for given in filters:
            wanted = [a.pk for a in article_search(user=user, filters=SearchFilters(**given))]
            shown = []
            for number in (1, 2, 3):
                page = article_search_page(
                    user=user, filters=SearchFilters(**given), page=number, per_page=3
                )
                assert page.count == len(wanted), (user.email, given)
                shown += [a.pk for a in page.articles]
            assert shown == wanted[:9], (user.email, given)
    # Under the reader's own row-level security, as in a request.
    odense = Acting(tenancy.MEMBER, cast.odense.organisation_id, cast.odense.pk)
    with tenancy.acting_as(odense):
        page = article_search_page(user=cast.officer, filters=SearchFilters(query="udbud"))
        wanted = [
            a.pk for a in article_search(user=cast.officer, filters=SearchFilters(query="udbud"))
        ]
    assert [a.pk for a in page.articles] == wanted and len(wanted) == 6
