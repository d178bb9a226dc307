"""Reads of kept notices: the latest of each kind, and whether the tender has changed since."""

from __future__ import annotations

from dataclasses import dataclass

from tenders.models import Tender, TenderStatus

from .data import content_digest, notice_content
from .models import Notice, NoticeKind

# Which notices a tender in each status calls for (directive 2014/24/EU arts. 48–50): a prior
# information notice while it is prepared, the contract notice when it is about to be or has just
# been published (it is sent at publication), the award notice once agreements are concluded.
# Versions made earlier stay listed in every later status.
NOTICES_FOR_STATUS = {
    TenderStatus.PLANNED: (NoticeKind.PIN,),
    TenderStatus.NEEDS_ANALYSIS: (NoticeKind.PIN,),
    TenderStatus.VOLUME_COLLECTION: (NoticeKind.PIN,),
    TenderStatus.PREPARATION: (NoticeKind.PIN, NoticeKind.CONTRACT),
    TenderStatus.PUBLISHED: (NoticeKind.CONTRACT,),
    TenderStatus.CONCLUDED: (NoticeKind.AWARD,),
}
# The contract notice is made for the procedures eForms subtype 16 covers in the portal.
CONTRACT_PROCEDURES = frozenset({"open", "restricted", "mini_competition"})


def notice_kinds_for(tender: Tender) -> list[str]:
    """The notices the portal makes for the tender as it stands."""
    if tender.procedure_type == "below_threshold":
        return []
    kinds = list(NOTICES_FOR_STATUS.get(tender.status, ()))
    if tender.procedure_type not in CONTRACT_PROCEDURES:
        kinds = [k for k in kinds if k == NoticeKind.PIN]
    return kinds


@dataclass(frozen=True)
class NoticeState:
    kind: str
    label: str
    latest: Notice | None
    current: bool


def notice_states(tender: Tender) -> list[NoticeState]:
    """The latest version of each kind the tender calls for or has, and whether it is current."""
    latest: dict[str, Notice] = {}
    for notice in Notice.objects.filter(tender=tender).defer("xml").order_by("kind", "-version"):
        latest.setdefault(notice.kind, notice)
    kinds = [k for k in NoticeKind.values if k in latest or k in notice_kinds_for(tender)]
    return [
        NoticeState(
            kind=kind,
            label=NoticeKind(kind).label,
            latest=latest.get(kind),
            current=kind in latest and not is_outdated(latest[kind]),
        )
        for kind in kinds
    ]


def is_outdated(notice: Notice) -> bool:
    """Whether the tender's data has changed since the notice was made."""
    return content_digest(notice_content(notice.tender, notice.kind)) != notice.data_digest
