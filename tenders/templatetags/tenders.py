"""The officer's open tender invitations, for the member start page."""

from __future__ import annotations

from typing import Any

from django import template

from tenders.models.milestones import milestone_due_text
from tenders.selectors import open_declarations

register = template.Library()


@register.inclusion_tag("tenders/includes/open_declarations.html", takes_context=True)
def open_tender_invitations(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"open": open_declarations(user) if user else [], "show_link": True}


@register.filter
def milestone_due(due: Any, kind: str) -> str:
    """A planned milestone's date, with its time only when it has one: `{{ due|milestone_due:kind }}`."""
    return milestone_due_text(kind, due) if due else ""


@register.filter
def milestone_due_long(due: Any, kind: str) -> str:
    return milestone_due_text(kind, due, long=True) if due else ""
