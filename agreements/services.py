"""Writes about agreements: creating them (also from a concluded tender), using options,
documents, renewal reminders, and recomputing the stored compliance figures."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import SECRETARIAT_ROLES
from accounts.models import Organisation, User
from consortium.emails import queue_email
from cpv.models import CpvCode
from jobs.models import Job
from jobs.services import job_enqueue
from members.models import Member
from spend.models import SpendLine, Supplier
from tenders.models import Participation, Tender

from .models import (
    Agreement,
    AgreementDocument,
    AgreementSupplier,
    ComplianceFigure,
    ExtensionOption,
    RenewalNotice,
)
from .renewal import horizon_end
from .selectors import renewal_item

logger = logging.getLogger(__name__)

# --- agreements --------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    number: str,
    title: str,
    start_date: datetime.date,
    base_end_date: datetime.date,
    members: Iterable[Member] = (),
    categories: Iterable[CpvCode] = (),
    suppliers: Iterable[tuple[Supplier, int | None]] = (),
    option_months: Iterable[int] = (),
    tender: Tender | None = None,
    **fields: Any,
) -> Agreement:
    """Create an agreement with its bound members, categories, ranked suppliers and options."""
    agreement = Agreement(
        number=number,
        title=title,
        start_date=start_date,
        base_end_date=base_end_date,
        end_date=base_end_date,
        tender=tender,
        **fields,
    )
    agreement.full_clean()
    agreement.save()
    agreement.members.set(members)
    agreement.categories.set(categories)
    for supplier, rank in suppliers:
        link = AgreementSupplier(agreement=agreement, supplier=supplier, rank=rank)
        link.full_clean()
        link.save()
    for sequence, months in enumerate(option_months, start=1):
        ExtensionOption.objects.create(agreement=agreement, sequence=sequence, months=months)
    transaction.on_commit(lambda: compliance_recompute(agreement_id=agreement.pk))
    return agreement


def _term_end(start: datetime.date, years: int) -> datetime.date:
    return start + relativedelta(years=years) - datetime.timedelta(days=1)


@transaction.atomic
def agreements_create_for_tender(*, tender: Tender, user: User | None = None) -> list[Agreement]:
    """Create the agreement(s) a concluded tender ends in: one per lot, or one for the tender.

    The tender's participating members become the bound members. Running it again for the same
    tender creates nothing new (the tender's state machine may announce a conclusion twice).
    """
    existing = list(tender.agreements.all())
    if existing:
        return existing
    members = list(
        Member.objects.filter(
            participations__tender=tender,
            participations__answer=Participation.Answer.PARTICIPATE,
        )
    )
    categories = [c for c in [tender.main_cpv, *tender.additional_cpv.all()] if c is not None]
    start = tender.expected_start or timezone.localdate()
    common: dict[str, Any] = {
        "start_date": start,
        "base_end_date": _term_end(start, tender.term_years or 1),
        "members": members,
        "categories": categories,
        "option_months": [int(years) * 12 for years in tender.option_years or []],
        "tender": tender,
        "description": tender.description,
        "climate_requirements": "",
    }
    lots = list(tender.lots.all())
    if not lots:
        return [agreement_create(number=tender.reference, title=tender.title, **common)]
    return [
        agreement_create(
            number=f"{tender.reference}-{lot.number}",
            title=f"{tender.title}: {lot.title}",
            lot=lot,
            **common,
        )
        for lot in lots
    ]


@transaction.atomic
def agreement_use_option(
    *, agreement: Agreement, option: ExtensionOption, used_on: datetime.date | None = None
) -> Agreement:
    """Use the next extension option: the agreement's current end moves by its months."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    option = agreement.options.select_for_update().get(pk=option.pk)
    if option.used_on is not None:
        raise ValueError("The option has already been used.")
    if agreement.options.filter(used_on__isnull=True, sequence__lt=option.sequence).exists():
        raise ValueError("Earlier options must be used first.")
    option.used_on = used_on or timezone.localdate()
    option.full_clean()
    option.save()
    agreement.end_date = agreement.end_date + relativedelta(months=option.months)
    agreement.full_clean()
    agreement.save()
    transaction.on_commit(lambda: compliance_recompute(agreement_id=agreement.pk))
    return agreement


@transaction.atomic
def agreement_terminate(
    *, agreement: Agreement, terminated_on: datetime.date, reason: str = ""
) -> Agreement:
    agreement.terminated_on = terminated_on
    agreement.termination_reason = reason
    agreement.full_clean()
    agreement.save()
    transaction.on_commit(lambda: compliance_recompute(agreement_id=agreement.pk))
    return agreement


@transaction.atomic
def agreement_document_add(
    *, agreement: Agreement, title: str, file: UploadedFile, user: User | None
) -> AgreementDocument:
    document = AgreementDocument(
        agreement=agreement,
        title=title,
        file=file,
        content_type=(getattr(file, "content_type", "") or "application/octet-stream")[:100],
        size=file.size or 0,
        uploaded_by=user,
    )
    document.full_clean()
    document.save()
    return document


# --- renewal reminders -------------------------------------------------------------------------


def _secretariat_recipients() -> dict[str, list[str]]:
    """Active secretariat users' addresses, grouped by the language they read mail in."""
    by_language: dict[str, list[str]] = defaultdict(list)
    users = User.objects.filter(is_active=True, role__in=SECRETARIAT_ROLES).order_by("email")
    for user in users:
        by_language[user.language or "da"].append(user.email)
    return dict(by_language)


def _notice_row(item: Any, language: str) -> dict[str, str]:
    from django.utils import translation

    agreement = item.agreement
    with translation.override(language):
        return {
            "number": agreement.number,
            "title": agreement.title,
            "end_date": date_format(agreement.end_date, "SHORT_DATE_FORMAT"),
            "must_start_by": date_format(item.must_start_by, "SHORT_DATE_FORMAT"),
            "successor": str(item.successor) if item.successor else "",
            "path": reverse("agreements:detail", args=[agreement.pk]),
        }


@transaction.atomic
def renewal_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tell the secretariat, once, about agreements entering the renewal horizon and about
    successor tenders that are late to start. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    entered, late = [], []
    agreements = (
        Agreement.objects.ending_within(today, horizon_end(today))
        .select_related("tender", "successor_tender")
        .prefetch_related("options")
        .order_by("end_date", "number")
    )
    for agreement in agreements:
        item = renewal_item(agreement, today)
        _, created = RenewalNotice.objects.get_or_create(
            agreement=agreement, kind=RenewalNotice.Kind.ENTERED_HORIZON, about=agreement.end_date
        )
        if created:
            entered.append(item)
        if item.late:
            _, created = RenewalNotice.objects.get_or_create(
                agreement=agreement, kind=RenewalNotice.Kind.LATE_TO_START, about=item.must_start_by
            )
            if created:
                late.append(item)
    if entered or late:
        for language, addresses in _secretariat_recipients().items():
            queue_email(
                "emails/agreements_renewal",
                to=addresses,
                context={
                    "entered": [_notice_row(item, language) for item in entered],
                    "late": [_notice_row(item, language) for item in late],
                    "plan_path": reverse("agreements:renewals"),
                    "count": len({item.agreement.pk for item in [*entered, *late]}),
                },
                language=language,
            )
    return {"entered": len(entered), "late": len(late)}


# --- compliance --------------------------------------------------------------------------------


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _recompute_sql(line_filter: str) -> str:
    """One INSERT … SELECT computing every figure the filter's spend lines feed (compliance.py)."""
    members = _table(Agreement.members.through)
    categories = _table(Agreement.categories.through)
    # Only table names (from the models) and the fixed filter are formatted in; values are bound.
    return f"""
        WITH prefixes AS MATERIALIZED (
            -- The significant digits of each category: 30192000 covers 30192xxx (cpv_filter).
            SELECT ac.agreement_id,
                   COALESCE(NULLIF(rtrim(p.code8, '0'), ''), left(p.code8, 2)) AS prefix
            FROM {categories} ac
            JOIN {_table(CpvCode)} p ON p.code = ac.cpvcode_id
        ),
        scope_codes AS MATERIALIZED (
            SELECT DISTINCT pr.agreement_id, c.code AS cpv_id
            FROM prefixes pr
            JOIN {_table(CpvCode)} c ON c.code8 LIKE pr.prefix || '%%'
        ),
        agr AS (
            SELECT id, start_date, savings_rate,
                   CASE WHEN terminated_on IS NULL THEN end_date
                        ELSE LEAST(end_date, terminated_on - 1) END AS end_date
            FROM {_table(Agreement)}
            WHERE (%(agreement_id)s::bigint IS NULL OR id = %(agreement_id)s::bigint)
        ),
        matched AS (
            SELECT sc.agreement_id, sl.member_id, sl.supplier_id, sl.invoice_date, sl.amount
            FROM {_table(SpendLine)} sl
            JOIN scope_codes sc ON sc.cpv_id = sl.cpv_id
            WHERE {line_filter}
            UNION ALL
            SELECT s.agreement_id, sl.member_id, sl.supplier_id, sl.invoice_date, sl.amount
            FROM {_table(SpendLine)} sl
            JOIN {_table(AgreementSupplier)} s ON s.supplier_id = sl.supplier_id
            WHERE sl.cpv_id IS NULL AND {line_filter}
        ),
        sums AS (
            SELECT m.agreement_id, m.member_id,
                   date_trunc('month', m.invoice_date)::date AS month,
                   SUM(m.amount) AS category_spend,
                   COALESCE(SUM(m.amount) FILTER (WHERE s.supplier_id IS NOT NULL), 0)
                       AS supplier_spend,
                   a.savings_rate
            FROM matched m
            JOIN agr a ON a.id = m.agreement_id
                      AND m.invoice_date BETWEEN a.start_date AND a.end_date
            JOIN {members} am ON am.agreement_id = m.agreement_id AND am.member_id = m.member_id
            LEFT JOIN {_table(AgreementSupplier)} s
                   ON s.agreement_id = m.agreement_id AND s.supplier_id = m.supplier_id
            GROUP BY m.agreement_id, m.member_id, date_trunc('month', m.invoice_date),
                     a.savings_rate
        )
        INSERT INTO {_table(ComplianceFigure)}
            (agreement_id, member_id, month, category_spend, supplier_spend, savings, computed_at)
        SELECT agreement_id, member_id, month, category_spend, supplier_spend,
               ROUND(supplier_spend * savings_rate, 2), now()
        FROM sums
    """  # noqa: S608


def _month_bounds(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """Whole months: a touched day recomputes its month (first day .. last day)."""
    first = start.replace(day=1) if start else None
    last = (end.replace(day=1) + relativedelta(months=1, days=-1)) if end else None
    return first, last


@transaction.atomic
def compliance_recompute(
    *,
    member_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    agreement_id: int | None = None,
) -> int:
    """Recompute the stored compliance figures, all of them or only what changed.

    Without arguments everything is recomputed (the nightly job). After a spend import, pass the
    member and the invoice-date range it touched; after an agreement changed, its id. The figures
    in that scope are deleted and computed again in one statement, so the result is the same as a
    full recompute and running it twice changes nothing. Returns the number of figures written.
    """
    first, last = _month_bounds(start, end)
    params = {"member_id": member_id, "first": first, "last": last, "agreement_id": agreement_id}
    line_filter = (
        "(%(member_id)s::bigint IS NULL OR sl.member_id = %(member_id)s::bigint)"
        " AND (%(first)s::date IS NULL OR sl.invoice_date >= %(first)s::date)"
        " AND (%(last)s::date IS NULL OR sl.invoice_date <= %(last)s::date)"
    )
    stale = ComplianceFigure.objects.all()
    if member_id is not None:
        stale = stale.filter(member_id=member_id)
    if first is not None:
        stale = stale.filter(month__gte=first)
    if last is not None:
        stale = stale.filter(month__lte=last)
    if agreement_id is not None:
        stale = stale.filter(agreement_id=agreement_id)
    stale.delete()  # derived rows without dependants: one DELETE statement
    with connection.cursor() as cursor:
        # A fixed plan would not fit both "one member, one month" and "everything".
        if member_id is None and first is None and agreement_id is None:
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(_recompute_sql(line_filter), params)
        written = cursor.rowcount
    logger.info(
        "Compliance recomputed (member=%s, %s..%s, agreement=%s): %s figures",
        member_id, first, last, agreement_id, written,
    )  # fmt: skip
    return written


def compliance_recompute_enqueue(
    *,
    member_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    user: User | None = None,
) -> Job:
    """Start `compliance_recompute` as a background job (after an import, or nightly)."""
    from django.utils.translation import gettext as _

    organisation = (
        Member.objects.select_related("organisation").get(pk=member_id).organisation
        if member_id is not None
        else (user.organisation if user else Organisation.objects.get(kind="secretariat"))
    )
    return job_enqueue(
        task_name="agreements.compliance_recompute",
        kind="agreements.compliance_recompute",
        title=_("Recompute agreement compliance and savings"),
        user=user,
        organisation=organisation,
        task_kwargs={
            "member_id": member_id,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
    )
