"""Who may move an article from one state to another: a pure table, tested without a database.

draft → in review → published → archived. Officers write drafts for their own organisation and
submit them; the secretariat reviews, sends back, publishes and archives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import SECRETARIAT_ROLES
from accounts.models import Role

from .models import Status

SECRETARIAT = frozenset(SECRETARIAT_ROLES)
AUTHORS = SECRETARIAT | {Role.OFFICER}


@dataclass(frozen=True)
class Transition:
    action: str
    source: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str | Promise
    own_organisation_only: bool = False  # officers only on their organisation's articles


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "submit", frozenset({Status.DRAFT}), Status.IN_REVIEW, AUTHORS,
            _("Submit for review"), own_organisation_only=True,
        ),
        Transition(
            "return", frozenset({Status.IN_REVIEW}), Status.DRAFT, SECRETARIAT,
            _("Send back to the author"),
        ),
        Transition(
            "publish", frozenset({Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED}),
            Status.PUBLISHED, SECRETARIAT, _("Publish"),
        ),
        Transition(
            "archive", frozenset({Status.PUBLISHED}), Status.ARCHIVED, SECRETARIAT, _("Archive"),
        ),
    ]
}  # fmt: skip


def transition_allowed(action: str, *, status: str, role: str, own_organisation: bool) -> bool:
    """May a user with `role` apply `action` to an article in `status`?"""
    transition = TRANSITIONS.get(action)
    if transition is None or status not in transition.source or role not in transition.roles:
        return False
    return role in SECRETARIAT or not transition.own_organisation_only or own_organisation


def available_transitions(*, status: str, role: str, own_organisation: bool) -> list[Transition]:
    return [
        t
        for t in TRANSITIONS.values()
        if transition_allowed(t.action, status=status, role=role, own_organisation=own_organisation)
    ]


def sees_internal(user: Any, article: Any) -> bool:
    """The secretariat and the author's organisation see review comments and drafts' actions."""
    return user.role in SECRETARIAT or article.organisation_id == user.organisation_id
