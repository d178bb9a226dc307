"""Writes for tenders: the workflow, participation and declarations, award criteria, pooling,
tender documents.

Every function is keyword-only, atomic, validates with full_clean and records the acting user in
the audit trail (pghistory context), so views, commands and tasks behave the same.

`tender` (its own data, award criteria), `transitions` (workflow steps, invitations),
`participation` (answers, declarations, reopening), `pooling` (pooling, thresholds),
`documents` (template texts, rendered versions), `corrigenda` (changes after publication).
"""

from .corrigenda import UNCHANGED, LotChange, corrigendum_issue
from .documents import (
    document_template_update,
    documents_render_enqueue,
    tender_document_render,
    tender_documents_render,
)
from .participation import (
    LotVolume,
    StaleEdit,
    participation_answer,
    participation_reopen,
    participations_close_unanswered,
)
from .pooling import POOLABLE, tender_pool_volumes, tender_pooling_start, threshold_create
from .tender import CriterionData, award_criteria_set, tender_save
from .transitions import TransitionRefused, participations_invite, tender_transition

__all__ = [
    "POOLABLE",
    "UNCHANGED",
    "CriterionData",
    "LotChange",
    "LotVolume",
    "StaleEdit",
    "TransitionRefused",
    "award_criteria_set",
    "corrigendum_issue",
    "document_template_update",
    "documents_render_enqueue",
    "participation_answer",
    "participation_reopen",
    "participations_close_unanswered",
    "participations_invite",
    "tender_document_render",
    "tender_documents_render",
    "tender_pool_volumes",
    "tender_pooling_start",
    "tender_save",
    "tender_transition",
    "threshold_create",
]
