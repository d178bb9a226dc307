"""Writes about agreements: registering and editing them (also from a concluded tender), their
suppliers, options, successor and termination, documents, renewal reminders, and recomputing the
stored compliance figures. Views, tasks, receivers, demo data and tests all call these."""

from __future__ import annotations

from .agreements import (
    EDITABLE_FIELDS,
    SupplierEntry,
    agreement_create,
    agreement_document_add,
    agreement_set_successor,
    agreement_suppliers_set,
    agreement_terminate,
    agreement_update,
    agreement_use_option,
    agreements_create_for_tender,
)
from .compliance import (
    COMPLIANCE_LOCK,
    compliance_recompute,
    compliance_recompute_deferred,
    compliance_recompute_enqueue,
    recompute_agreement_later,
)
from .renewal import renewal_reminders_send

__all__ = [
    "COMPLIANCE_LOCK",
    "EDITABLE_FIELDS",
    "SupplierEntry",
    "agreement_create",
    "agreement_document_add",
    "agreement_set_successor",
    "agreement_suppliers_set",
    "agreement_terminate",
    "agreement_update",
    "agreement_use_option",
    "agreements_create_for_tender",
    "compliance_recompute",
    "compliance_recompute_deferred",
    "compliance_recompute_enqueue",
    "recompute_agreement_later",
    "renewal_reminders_send",
]
