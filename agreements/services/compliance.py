"""Recomputing the stored compliance figures (compliance.py gives the rule; this is its SQL)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction

from accounts.models import Organisation, User
from cpv.models import CODE_PREFIXES_CTE, CpvCode
from jobs.models import Job
from jobs.services import job_enqueue
from members.models import Member
from spend.models import SpendLine

from ..hooks import Recomputed, run_after_recompute
from ..models import Agreement, AgreementSupplier, ComplianceFigure

logger = logging.getLogger(__name__)

# Key space of the advisory locks that serialise recomputes per member: pg_advisory_xact_lock(
# COMPLIANCE_LOCK, member_id). Any number that no other part of the project uses.
COMPLIANCE_LOCK = 7301


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _recompute_sql(line_filter: str) -> str:
    """One INSERT … SELECT computing every figure the filter's spend lines feed (compliance.py)."""
    members = _table(Agreement.members.through)
    categories = _table(Agreement.categories.through)
    # With one agreement given, every part reads only that agreement's categories and suppliers;
    # otherwise all of them.
    one_agreement = (
        "(%(agreement_id)s::bigint IS NULL OR {alias}.agreement_id = %(agreement_id)s::bigint)"
    )
    # Only table names (from the models) and the fixed filter are formatted in; values are bound.
    return f"""
        WITH prefixes AS MATERIALIZED (
            -- The significant digits of each category, as cpv.models.significant_prefix: 30192000
            -- covers 30192xxx, 30000000 covers division 30.
            SELECT ac.agreement_id,
                   left(p.code8, greatest(2, length(rtrim(p.code8, '0')))) AS prefix
            FROM {categories} ac
            JOIN {_table(CpvCode)} p ON p.code = ac.cpvcode_id
            WHERE {one_agreement.format(alias="ac")}
        ),
        {CODE_PREFIXES_CTE},
        scope_codes AS MATERIALIZED (
            SELECT DISTINCT pr.agreement_id, cp.code AS cpv_id
            FROM prefixes pr
            JOIN code_prefixes cp ON cp.prefix = pr.prefix
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
            WHERE sl.cpv_id IS NULL AND {one_agreement.format(alias="s")} AND {line_filter}
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
        -- The member locks make this unreachable between recomputes; it stays as the last
        -- guard, so a figure is overwritten rather than the job failing.
        ON CONFLICT (agreement_id, member_id, month) DO UPDATE
            SET category_spend = EXCLUDED.category_spend,
                supplier_spend = EXCLUDED.supplier_spend,
                savings = EXCLUDED.savings,
                computed_at = EXCLUDED.computed_at
    """  # noqa: S608


def _month_bounds(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """Whole months: a touched day recomputes its month (first day .. last day)."""
    first = start.replace(day=1) if start else None
    last = (end.replace(day=1) + relativedelta(months=1, days=-1)) if end else None
    return first, last


def _members_to_lock(member_id: int | None, agreement_id: int | None) -> list[int]:
    if member_id is not None:
        return [member_id]
    if agreement_id is not None:
        bound = Agreement.members.through.objects.filter(agreement_id=agreement_id)
        stored = ComplianceFigure.objects.filter(agreement_id=agreement_id)
        return sorted(
            set(bound.values_list("member_id", flat=True))
            | set(stored.values_list("member_id", flat=True).distinct())
        )
    return sorted(Member.objects.values_list("pk", flat=True))


def _lock_members(member_ids: Iterable[int]) -> None:
    """Take each member's recompute lock until the transaction ends, always in id order.

    Two recomputes (the nightly one, one after an import, one after an agreement changed) that
    rewrite figures of the same member would otherwise both delete and insert the same rows and
    the second to commit would break the unique constraint. In id order, they never deadlock.
    """
    with connection.cursor() as cursor:
        for member_id in sorted(member_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [COMPLIANCE_LOCK, member_id])


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
    full recompute and running it twice changes nothing. Recomputes touching the same member
    wait for each other (`_lock_members`). Returns the number of figures written.
    """
    locked = _members_to_lock(member_id, agreement_id)
    _lock_members(locked)
    moved = locked if agreement_id is not None and member_id is None else None
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
    # What is derived from these figures (insight) follows once they are committed.
    done = Recomputed(member_id, first, last, agreement_id, moved)
    transaction.on_commit(lambda: run_after_recompute(done))
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
    agreement_id: int | None = None,
    user: User | None = None,
) -> Job:
    """Start `compliance_recompute` as a background job, sent when the transaction commits
    (after an import, after an agreement changed, or nightly)."""
    from django.utils.translation import gettext as _

    organisation = (
        Member.objects.select_related("organisation").get(pk=member_id).organisation
        if member_id is not None
        else (user.organisation if user else Organisation.objects.get(kind="secretariat"))
    )
    task_kwargs: dict[str, Any] = {
        "member_id": member_id,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
    }
    if agreement_id is not None:
        task_kwargs["agreement_id"] = agreement_id
    return job_enqueue(
        task_name="agreements.compliance_recompute",
        kind="agreements.compliance_recompute",
        title=_("Recompute agreement compliance and savings"),
        user=user,
        organisation=organisation,
        task_kwargs=task_kwargs,
    )


# Set while a caller that recomputes everything itself afterwards (the demo data) changes
# agreements through the services: no job per change then.
_deferred: ContextVar[bool] = ContextVar("agreements_recompute_deferred", default=False)


@contextmanager
def compliance_recompute_deferred() -> Iterator[None]:
    """Change agreements without a recompute job each; the caller recomputes when done."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def recompute_agreement_later(*, agreement_id: int, user: User | None) -> None:
    """After a change to an agreement: recompute its figures in a job, never in the request."""
    if _deferred.get():
        return
    if user is None and not Organisation.objects.filter(kind="secretariat").exists():
        # No one to own a job (a database without the secretariat, as in some tests and the
        # first steps of an installation): compute after the commit instead.
        transaction.on_commit(lambda: compliance_recompute(agreement_id=agreement_id))
        return
    compliance_recompute_enqueue(agreement_id=agreement_id, user=user)
