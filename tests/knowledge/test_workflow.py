"""draft → in review → published → archived, and who may do what."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from knowledge.models import Article, Status
from knowledge.services import article_transition
from knowledge.workflow import sees_internal, transition_allowed
from tests.conftest import client_for

from .conftest import make_article


@pytest.mark.parametrize(
    ("action", "status", "role", "own", "allowed"),
    [
        ("submit", Status.DRAFT, Role.OFFICER, True, True),
        ("submit", Status.DRAFT, Role.OFFICER, False, False),
        ("submit", Status.DRAFT, Role.VIEWER, True, False),
        ("submit", Status.DRAFT, Role.SECRETARIAT_STAFF, False, True),
        ("publish", Status.IN_REVIEW, Role.OFFICER, True, False),
        ("publish", Status.IN_REVIEW, Role.SECRETARIAT_STAFF, False, True),
        ("publish", Status.IN_REVIEW, Role.BOARD_MEMBER, False, False),
        ("return", Status.IN_REVIEW, Role.SECRETARIAT_ADMIN, False, True),
        ("return", Status.IN_REVIEW, Role.OFFICER, True, False),
        ("archive", Status.PUBLISHED, Role.SECRETARIAT_STAFF, False, True),
        ("archive", Status.PUBLISHED, Role.OFFICER, True, False),
        ("archive", Status.DRAFT, Role.SECRETARIAT_STAFF, False, False),
        ("submit", Status.PUBLISHED, Role.OFFICER, True, False),
    ],
)
def test_transition_table(action, status, role, own, allowed) -> None:
    assert transition_allowed(action, status=status, role=role, own_organisation=own) is allowed


def _post(user, article, action):
    return client_for(user).post(
        reverse("knowledge:transition", args=[article.pk]), {"action": action}
    )


def test_officer_submits_and_secretariat_publishes(
    cast, django_capture_on_commit_callbacks
) -> None:
    article = make_article(cast.officer)
    assert _post(cast.officer, article, "submit").status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert _post(cast.officer, article, "publish").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(cast.staff, article, "publish").status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.published_at is not None
    # The author hears that it is published.
    assert any(article.title in m.subject for m in mail.outbox)


def test_secretariat_returns_with_comment(cast) -> None:
    article = make_article(cast.officer, status=Status.IN_REVIEW)
    client_for(cast.staff).post(
        reverse("knowledge:transition", args=[article.pk]),
        {"action": "return", "comment": "Tilføj afsnit om tidsplan."},
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.comments.get().body == "Tilføj afsnit om tidsplan."
    page = client_for(cast.officer).get(article.get_absolute_url()).content.decode()
    assert "Tilføj afsnit om tidsplan." in page


def test_other_municipality_cannot_touch_a_draft(cast) -> None:
    article = make_article(cast.officer)
    assert _post(cast.aarhus_officer, article, "submit").status_code == 404
    assert client_for(cast.aarhus_officer).get(article.get_absolute_url()).status_code == 404


def test_viewer_and_board_cannot_act(cast) -> None:
    article = make_article(cast.officer)
    assert _post(cast.viewer, article, "submit").status_code == 403
    assert _post(cast.board_member, article, "submit").status_code == 403
    with pytest.raises(PermissionDenied):
        article_transition(article=article, user=cast.aarhus_officer, action="submit")


def test_wrong_state_is_a_message_not_a_change(cast) -> None:
    article = make_article(cast.officer, status=Status.PUBLISHED)
    response = client_for(cast.staff).post(
        reverse("knowledge:transition", args=[article.pk]), {"action": "submit"}, follow=True
    )
    assert "kan ikke ændres" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


@pytest.mark.parametrize(
    ("status", "visible"),
    [
        (Status.DRAFT, {"admin", "staff", "officer", "viewer"}),
        (Status.IN_REVIEW, {"admin", "staff", "officer", "viewer"}),
        (Status.PUBLISHED, {"admin", "staff", "officer", "viewer", "board", "aarhus"}),
        (Status.ARCHIVED, {"admin", "staff", "officer", "viewer"}),
    ],
)
def test_who_sees_an_odense_article_in_each_state(cast, status, visible) -> None:
    article = make_article(cast.officer, status=status)
    people = {
        "admin": cast.admin, "staff": cast.staff, "officer": cast.officer,
        "viewer": cast.viewer, "board": cast.board_member, "aarhus": cast.aarhus_officer,
    }  # fmt: skip
    seen = {
        name
        for name, u in people.items()
        if Article.objects.visible_to(u).filter(pk=article.pk).exists()
    }
    assert seen == visible


@pytest.mark.parametrize(
    ("status", "editors"),
    [
        (Status.DRAFT, {"admin", "staff", "officer"}),
        (Status.IN_REVIEW, {"admin", "staff"}),
        (Status.PUBLISHED, {"admin", "staff"}),
    ],
)
def test_who_may_edit_an_odense_article(cast, status, editors) -> None:
    article = make_article(cast.officer, status=status)
    people = {
        "admin": cast.admin, "staff": cast.staff, "officer": cast.officer,
        "viewer": cast.viewer, "board": cast.board_member, "aarhus": cast.aarhus_officer,
    }  # fmt: skip
    can = {
        n
        for n, u in people.items()
        if Article.objects.editable_by(u).filter(pk=article.pk).exists()
    }
    assert can == editors


def test_officer_writes_a_draft_through_the_editor(cast) -> None:
    client = client_for(cast.officer)
    response = client.post(
        reverse("knowledge:new"),
        {
            "title": "Markedsdialog før udbud af rengøring",
            "kind": "method",
            "summary": "Sådan holder I dialogmøder.",
            "body": "## Formål\n\nAt kende markedet.",
            "phases": ["market_dialogue"],
            "aims": ["quality"],
            "levers": ["collaborate"],
            "cpv_codes": "90910000-9, 90911000",
            "owner": cast.officer.pk,
            "review_date": "2027-06-01",
        },
    )
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert article.status == Status.DRAFT
    assert article.organisation == cast.odense.organisation
    assert article.phases == ["market_dialogue"] and article.levers == ["collaborate"]
    assert sorted(article.cpv_codes.values_list("code8", flat=True)) == ["90910000", "90911000"]
    assert "<h2>Formål</h2>" in article.body_html


def test_unknown_cpv_code_is_refused_in_danish(cast) -> None:
    response = client_for(cast.officer).post(
        reverse("knowledge:new"),
        {"title": "X", "kind": "guide", "cpv_codes": "12345678", "owner": cast.officer.pk,
         "review_date": "2027-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Ukendte CPV-koder: 12345678" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "organisation_id", "expected"),
    [
        (Role.SECRETARIAT_STAFF, 1, True),  # another organisation's article
        (Role.OFFICER, 2, True),  # their own organisation's
        (Role.VIEWER, 2, True),
        (Role.OFFICER, 3, False),
        (Role.BOARD_MEMBER, 3, False),
    ],
)
def test_who_sees_review_comments(role, organisation_id, expected) -> None:
    user = SimpleNamespace(role=role, organisation_id=organisation_id)
    assert sees_internal(user, SimpleNamespace(organisation_id=2)) is expected
