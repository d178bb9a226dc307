"""Joint tenders: the tender, its lots, and each member's participation and volume declarations.

A tender is shared data (every signed-in user sees it); a member's participation answer and its
volume declarations are that member's tenant data until pooled. One module per concept; every
model is importable from `tenders.models`, as migrations and callers name them.
"""

from __future__ import annotations

from consortium.procurement import ProcedureType

from .corrigenda import Corrigendum
from .documents import DocumentKind, DocumentTemplate, TenderDocument, tender_document_path
from .milestones import CalendarFeed, Milestone, MilestoneKind
from .participation import (
    ANSWERS_CLOSED_STATUSES,
    DeclineCategory,
    Participation,
    ParticipationQuerySet,
    VolumeDeclaration,
    VolumeDeclarationQuerySet,
)
from .pooling import PoolingRun, Threshold, ThresholdKind, ThresholdQuerySet
from .tender import (
    OPEN_STATUSES,
    AuthorityLevel,
    AwardCriterion,
    ContractKind,
    FrameworkType,
    LineItem,
    Lot,
    Tender,
    TenderQuerySet,
    TenderStatus,
)

__all__ = [
    "ANSWERS_CLOSED_STATUSES",
    "OPEN_STATUSES",
    "AuthorityLevel",
    "AwardCriterion",
    "CalendarFeed",
    "ContractKind",
    "Corrigendum",
    "DeclineCategory",
    "DocumentKind",
    "DocumentTemplate",
    "FrameworkType",
    "LineItem",
    "Lot",
    "Milestone",
    "MilestoneKind",
    "Participation",
    "ParticipationQuerySet",
    "PoolingRun",
    "ProcedureType",
    "Tender",
    "TenderDocument",
    "TenderQuerySet",
    "TenderStatus",
    "Threshold",
    "ThresholdKind",
    "ThresholdQuerySet",
    "VolumeDeclaration",
    "VolumeDeclarationQuerySet",
    "tender_document_path",
]
