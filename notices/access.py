"""Who may see a tender's EU notices: the secretariat always; everyone else once the tender is
published (before that a notice is a draft of what the consortium will announce)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.access import SECRETARIAT_ROLES, has_role
from tenders.models import Tender
from tenders.workflow import RELEASED_STATUSES

from .models import Notice


def may_see_notices(user: Any, tender: Tender) -> bool:
    return has_role(user, SECRETARIAT_ROLES) or tender.status in RELEASED_STATUSES


def tender_for_notices(user: Any, reference: str) -> Tender:
    """The tender, or 403 when its notices are not the user's to see."""
    tender = get_object_or_404(Tender, reference=reference)
    if not may_see_notices(user, tender):
        raise PermissionDenied
    return tender


def notice_for(user: Any, reference: str, pk: int) -> Notice:
    tender = tender_for_notices(user, reference)
    return get_object_or_404(
        Notice.objects.select_related("tender", "made_by"), pk=pk, tender=tender
    )
