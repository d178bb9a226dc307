"""Recomputing the stored insight figures (insight/rules.py gives the rules; this is their SQL).

`recompute(member_ids=None, years=None)` deletes and recomputes, each in one set-based statement,
the volume-kept figures (from the stored compliance figures and the declarations) and the
off-contract figures (from the spend lines) of the given members and calendar years — all when
None. Running it twice changes nothing. Recomputes touching the same member wait for each other
(the compliance recompute's advisory locks, in their own key space).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from agreements.models import Agreement, AgreementSupplier, ComplianceFigure
from agreements.selectors import members_a_change_moves
from cpv.models import CODE_PREFIXES_CTE, CpvCode
from jobs.models import Job
from jobs.services import job_enqueue
from members.models import Member
from spend.models import SpendLine, Supplier
from tenders.models import Participation, VolumeDeclaration

from .models import (
    SUPPLIERS_KEPT,
    EnteredDeclaration,
    FrameworkMaximum,
    InsightSettings,
    OffContractFigure,
    OffContractSupplierFigure,
    VolumeKeptFigure,
)

logger = logging.getLogger(__name__)

INSIGHT_LOCK = 7302  # advisory lock key space: pg_advisory_xact_lock(INSIGHT_LOCK, member_id)


def _t(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _volume_sql() -> str:
    members = _t(Agreement.members.through)
    return f"""
        WITH agr AS (
            SELECT id, tender_id, lot_id, start_date,
                   CASE WHEN terminated_on IS NULL THEN end_date
                        ELSE LEAST(end_date, terminated_on - 1) END AS end_date
            FROM {_t(Agreement)}
        ),
        years AS (
            SELECT a.id AS agreement_id, a.start_date, a.end_date, y::int AS year
            FROM agr a,
                 generate_series(extract(year FROM a.start_date)::int,
                                 extract(year FROM a.end_date)::int) AS y
            WHERE a.end_date >= a.start_date
              AND (%(years)s::int[] IS NULL OR y = ANY(%(years)s::int[]))
        ),
        declared AS (
            SELECT agreement_id, member_id, SUM(annual) AS annual FROM (
                SELECT a.id AS agreement_id, p.member_id, d.annual_volume AS annual
                FROM agr a
                JOIN {_t(Participation)} p ON p.tender_id = a.tender_id AND p.answer = %(joined)s
                JOIN {_t(VolumeDeclaration)} d ON d.participation_id = p.id
                     AND (a.lot_id IS NULL OR d.lot_id = a.lot_id)
                UNION ALL
                -- An agreement registered without a joint tender: the entered declarations.
                SELECT e.agreement_id, e.member_id, e.annual_volume
                FROM {_t(EnteredDeclaration)} e
                JOIN agr a ON a.id = e.agreement_id AND a.tender_id IS NULL
            ) d
            GROUP BY agreement_id, member_id
        ),
        bought AS (
            SELECT agreement_id, member_id, extract(year FROM month)::int AS year,
                   SUM(supplier_spend) AS spend
            FROM {_t(ComplianceFigure)}
            WHERE (%(members)s::bigint[] IS NULL OR member_id = ANY(%(members)s::bigint[]))
            GROUP BY 1, 2, 3
        ),
        rows AS (
            SELECT y.agreement_id, am.member_id, y.year,
                   COALESCE(dc.annual, 0) AS annual,
                   GREATEST(0, LEAST(y.end_date, make_date(y.year, 12, 31), %(today)s::date)
                               - GREATEST(y.start_date, make_date(y.year, 1, 1)) + 1) AS in_force,
                   (make_date(y.year + 1, 1, 1) - make_date(y.year, 1, 1)) AS year_days,
                   COALESCE(b.spend, 0) AS spend
            FROM years y
            JOIN {members} am ON am.agreement_id = y.agreement_id
            LEFT JOIN declared dc ON dc.agreement_id = y.agreement_id AND dc.member_id = am.member_id
            LEFT JOIN bought b ON b.agreement_id = y.agreement_id AND b.member_id = am.member_id
                              AND b.year = y.year
            WHERE (%(members)s::bigint[] IS NULL OR am.member_id = ANY(%(members)s::bigint[]))
        )
        INSERT INTO {_t(VolumeKeptFigure)}
            (agreement_id, member_id, year, declared_annual, days_in_force, days_in_year,
             declared, spend, computed_at)
        SELECT agreement_id, member_id, year, annual, in_force, year_days,
               ROUND(annual * in_force / year_days, 2), spend, now()
        FROM rows
        WHERE in_force > 0 OR spend <> 0
    """  # noqa: S608


def _coverage_ctes() -> str:
    """The agreements covering each bound member's CPV codes (`cov`), ranked as rules.py says
    (the most specific category first, then the lowest id), with how many cover the code (`n`)."""
    members = _t(Agreement.members.through)
    categories = _t(Agreement.categories.through)
    return f"""
        prefixes AS MATERIALIZED (
            SELECT ac.agreement_id,
                   left(p.code8, greatest(2, length(rtrim(p.code8, '0')))) AS prefix
            FROM {categories} ac JOIN {_t(CpvCode)} p ON p.code = ac.cpvcode_id
        ),
        {CODE_PREFIXES_CTE},
        codes AS MATERIALIZED (
            SELECT pr.agreement_id, cp.code AS cpv_id, max(length(pr.prefix)) AS specific
            FROM prefixes pr JOIN code_prefixes cp ON cp.prefix = pr.prefix
            GROUP BY pr.agreement_id, cp.code
        ),
        cov AS MATERIALIZED (
            SELECT am.member_id, co.cpv_id, a.id AS agreement_id, a.start_date,
                   CASE WHEN a.terminated_on IS NULL THEN a.end_date
                        ELSE LEAST(a.end_date, a.terminated_on - 1) END AS end_date,
                   a.savings_rate,
                   row_number() OVER w AS rank,
                   count(*) OVER (PARTITION BY am.member_id, co.cpv_id) AS n
            FROM codes co
            JOIN {_t(Agreement)} a ON a.id = co.agreement_id
            JOIN {members} am ON am.agreement_id = a.id
            WHERE (%(members)s::bigint[] IS NULL OR am.member_id = ANY(%(members)s::bigint[]))
            WINDOW w AS (PARTITION BY am.member_id, co.cpv_id ORDER BY co.specific DESC, a.id)
        )
    """  # noqa: S608


def _off_contract_lines_sql(line_filter: str) -> str:
    """The off-contract lines (rules.py), each once with the agreement it counts under: `lines`
    (id, member_id, agreement_id, supplier_id, invoice_date, amount, savings_rate).

    Lines of a code only one agreement covers (the usual case) are matched by hash joins alone;
    only lines of codes several agreements cover are ranked line by line."""
    supplier = _t(AgreementSupplier)
    return f"""
        WITH {_coverage_ctes()},
        lines AS (
            SELECT sl.id, sl.member_id, c.agreement_id, sl.supplier_id, sl.invoice_date,
                   sl.amount, c.savings_rate
            FROM {_t(SpendLine)} sl
            JOIN cov c ON c.member_id = sl.member_id AND c.cpv_id = sl.cpv_id AND c.n = 1
            WHERE {line_filter}
              AND sl.invoice_date BETWEEN c.start_date AND c.end_date
              AND NOT EXISTS (SELECT 1 FROM {supplier} s
                              WHERE s.agreement_id = c.agreement_id
                                AND s.supplier_id = sl.supplier_id)
            UNION ALL
            SELECT id, member_id, agreement_id, supplier_id, invoice_date, amount, savings_rate
            FROM (
                SELECT sl.id, sl.member_id, c.agreement_id, sl.supplier_id, sl.invoice_date,
                       sl.amount, c.savings_rate,
                       row_number() OVER (PARTITION BY sl.id ORDER BY c.rank) AS pick,
                       bool_or(s.supplier_id IS NOT NULL) OVER (PARTITION BY sl.id) AS bought_on
                FROM {_t(SpendLine)} sl
                JOIN cov c ON c.member_id = sl.member_id AND c.cpv_id = sl.cpv_id AND c.n > 1
                LEFT JOIN {supplier} s ON s.agreement_id = c.agreement_id
                                      AND s.supplier_id = sl.supplier_id
                WHERE {line_filter}
                  AND sl.invoice_date BETWEEN c.start_date AND c.end_date
            ) ranked
            WHERE pick = 1 AND NOT bought_on
        )
    """  # noqa: S608


LINE_FILTER = (
    "(%(members)s::bigint[] IS NULL OR sl.member_id = ANY(%(members)s::bigint[]))"
    " AND (%(first)s::date IS NULL OR sl.invoice_date BETWEEN %(first)s::date AND %(last)s::date)"
    " AND (%(years)s::int[] IS NULL"
    "      OR extract(year FROM sl.invoice_date)::int = ANY(%(years)s::int[]))"
)


def _off_contract_sql() -> list[str]:
    """Three statements: the off-contract spend per member × agreement × supplier × year into a
    temporary table, then the stored rows (the ten largest suppliers per member × agreement ×
    year by name and the rest in one row; the ten largest per member × year over all agreements).
    Missed savings are rounded to øre per member × agreement × supplier × year and summed."""
    base = f"""
        CREATE TEMPORARY TABLE insight_base ON COMMIT DROP AS
        {_off_contract_lines_sql(LINE_FILTER)}
        SELECT member_id, agreement_id, supplier_id,
               extract(year FROM invoice_date)::int AS year,
               SUM(amount) AS amount, ROUND(SUM(amount) * savings_rate, 2) AS missed,
               count(*) AS lines
        FROM lines
        GROUP BY member_id, agreement_id, supplier_id, extract(year FROM invoice_date),
                 savings_rate
    """  # noqa: S608
    by_agreement = f"""
        INSERT INTO {_t(OffContractFigure)}
            (member_id, agreement_id, supplier_id, year, amount, missed_savings, lines, suppliers,
             computed_at)
        SELECT member_id, agreement_id, CASE WHEN r <= {SUPPLIERS_KEPT} THEN supplier_id END, year,
               SUM(amount), SUM(missed), SUM(lines), count(*), now()
        FROM (SELECT b.*, row_number() OVER (PARTITION BY member_id, agreement_id, year
                                             ORDER BY amount DESC, supplier_id) AS r
              FROM insight_base b) ranked
        GROUP BY member_id, agreement_id, year,
                 CASE WHEN r <= {SUPPLIERS_KEPT} THEN supplier_id END
    """  # noqa: S608
    by_supplier = f"""
        INSERT INTO {_t(OffContractSupplierFigure)}
            (member_id, supplier_id, year, amount, missed_savings, lines, computed_at)
        SELECT member_id, supplier_id, year, amount, missed, lines, now()
        FROM (SELECT member_id, supplier_id, year, SUM(amount) AS amount, SUM(missed) AS missed,
                     SUM(lines) AS lines,
                     row_number() OVER (PARTITION BY member_id, year
                                        ORDER BY SUM(amount) DESC, supplier_id) AS r
              FROM insight_base GROUP BY member_id, supplier_id, year) ranked
        WHERE r <= {SUPPLIERS_KEPT}
    """  # noqa: S608
    return [base, by_agreement, by_supplier]


def _lock(member_ids: Iterable[int]) -> None:
    with connection.cursor() as cursor:
        for member_id in sorted(member_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [INSIGHT_LOCK, member_id])


@transaction.atomic
def recompute(
    member_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    *,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Recompute the volume-kept and off-contract figures of these members and years (None: all).

    Returns the number of figures written of each kind."""
    members = sorted(set(member_ids)) if member_ids is not None else None
    year_list = sorted(set(years)) if years is not None else None
    _lock(members if members is not None else Member.objects.values_list("pk", flat=True))
    params = {
        "members": members,
        "years": year_list,
        "first": datetime.date(year_list[0], 1, 1) if year_list else None,
        "last": datetime.date(year_list[-1], 12, 31) if year_list else None,
        "today": today or timezone.localdate(),
        "joined": Participation.Answer.PARTICIPATE,
    }
    for model in (VolumeKeptFigure, OffContractFigure, OffContractSupplierFigure):
        stale = model.objects.all()
        if members is not None:
            stale = stale.filter(member_id__in=members)
        if year_list is not None:
            stale = stale.filter(year__in=year_list)
        stale.delete()  # derived rows without dependants: one DELETE statement each
    if members == [] or year_list == []:
        return {"volume_kept": 0, "off_contract": 0}  # nothing to read the lines for
    with connection.cursor() as cursor:
        # Row-level security's policy is opaque to the planner, which then expects a handful of
        # spend lines and joins them one by one to each covering agreement (minutes over a
        # million lines); hash joins read each table once.
        cursor.execute("SET LOCAL enable_nestloop = off")
        # …which makes every plan look costly enough to compile; compiling costs more than it saves.
        cursor.execute("SET LOCAL jit = off")
        if members is None:
            cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute(_volume_sql(), params)
        volume = cursor.rowcount
        cursor.execute("DROP TABLE IF EXISTS insight_base")
        base, by_agreement, by_supplier = _off_contract_sql()
        cursor.execute(base, params)
        cursor.execute("ANALYZE insight_base")  # the ranking plans need its size
        cursor.execute(by_agreement)
        off = cursor.rowcount
        cursor.execute(by_supplier)
        cursor.execute("DROP TABLE insight_base")
    logger.info(
        "Insight recomputed (members=%s, years=%s): %s volume, %s off-contract figures",
        members, year_list, volume, off,
    )  # fmt: skip
    return {"volume_kept": volume, "off_contract": off}


def members_an_agreement_moves(
    agreement_id: int, compliance_members: Iterable[int] = ()
) -> list[int] | None:
    """The members whose figures a change to this agreement can move (a line's coverage,
    rules.py, is decided by the agreements binding its member): bound to it now or before —
    then they had compliance figures under it (`compliance_members`: lines in its categories or
    from its suppliers) or figures here (a declared volume, off-contract lines it covered).
    None: every member's."""
    return members_a_change_moves(
        agreement_id,
        compliance_members,
        VolumeKeptFigure.objects.filter(agreement_id=agreement_id),
        OffContractFigure.objects.filter(agreement_id=agreement_id),
    )


def recompute_for_agreement(
    agreement_id: int, compliance_members: Iterable[int] = ()
) -> dict[str, int]:
    """After a change to an agreement (its members, categories, suppliers, term): recompute
    every year of the members it can move."""
    return recompute(members_an_agreement_moves(agreement_id, compliance_members))


@dataclass(frozen=True)
class DrillLine:
    id: int
    invoice_date: datetime.date
    invoice_number: str
    supplier: str
    cvr: str
    cpv: str | None
    account: str
    amount: Any


def off_contract_lines(
    *,
    member_id: int,
    agreement_id: int | None = None,
    supplier_id: int | None = None,
    year: int | None = None,
    exclude_suppliers: Iterable[int] | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[DrillLine]:
    """One member's off-contract invoice lines (the same rule as the stored figures), newest
    first, a page at a time; `exclude_suppliers` leaves out the suppliers an agreement's row
    names, for the lines behind its "other suppliers" row. The caller checks that its user may
    see the member's lines."""
    line_filter = (
        "sl.member_id = %(member)s::bigint"
        " AND sl.invoice_date BETWEEN %(first)s::date AND %(last)s::date"
    )
    sql = f"""
        {_off_contract_lines_sql(line_filter)}
        SELECT l.id, l.invoice_date, sl.invoice_number, su.name, su.cvr, sl.cpv_id, sl.account,
               l.amount
        FROM lines l
        JOIN {_t(SpendLine)} sl ON sl.id = l.id
        JOIN {_t(Supplier)} su ON su.id = l.supplier_id
        WHERE (%(agreement)s::bigint IS NULL OR l.agreement_id = %(agreement)s::bigint)
          AND (%(supplier)s::bigint IS NULL OR l.supplier_id = %(supplier)s::bigint)
          AND (%(others)s::bigint[] IS NULL OR l.supplier_id <> ALL(%(others)s::bigint[]))
        ORDER BY l.invoice_date DESC, l.id DESC
        LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608
    params = {
        "members": [member_id],
        "member": member_id,
        "first": datetime.date(year, 1, 1) if year else datetime.date(1900, 1, 1),
        "last": datetime.date(year, 12, 31) if year else datetime.date(9999, 12, 31),
        "agreement": agreement_id,
        "supplier": supplier_id,
        "others": list(exclude_suppliers) if exclude_suppliers is not None else None,
        "limit": limit,
        "offset": offset,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")  # as in `recompute`
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return [DrillLine(*row) for row in cursor.fetchall()]


def settings_get() -> InsightSettings:
    found = InsightSettings.objects.order_by("pk").first()
    return found or InsightSettings()


@transaction.atomic
def settings_save(
    *, low_threshold: Any, high_margin: Any, user: User | None = None
) -> InsightSettings:
    """Store the flag thresholds (shares: 0.70, 0.20). The flags are read with them, so nothing
    needs recomputing."""
    current = (
        InsightSettings.objects.select_for_update().order_by("pk").first() or InsightSettings()
    )
    current.low_threshold = low_threshold
    current.high_margin = high_margin
    current.full_clean()
    with pghistory.context(user=user.pk if user else None, action="insight_settings_save"):
        current.save()
    return current


@transaction.atomic
def framework_maximum_set(
    *, agreement: Agreement, maximum_value: Any | None, note: str = "", user: User | None = None
) -> FrameworkMaximum | None:
    """Enter (or, with None, remove) the maximum value of a framework agreement."""
    with pghistory.context(user=user.pk if user else None, action="framework_maximum_set"):
        if maximum_value is None:
            FrameworkMaximum.objects.filter(agreement=agreement).delete()
            return None
        entry = FrameworkMaximum.objects.filter(agreement=agreement).first() or FrameworkMaximum(
            agreement=agreement
        )
        entry.maximum_value = maximum_value
        entry.note = note
        entry.full_clean()
        entry.save()
        return entry


@transaction.atomic
def declarations_set(
    *, agreement: Agreement, volumes: dict[int, Any], user: User | None = None
) -> None:
    """Enter the bound members' declared annual volumes of an agreement registered without a
    joint tender (member id → volume; None removes it), then recompute the figures in a job."""
    if agreement.tender_id is not None:
        raise ValidationError(
            _("The agreement comes from a joint tender: its members' declarations are used.")
        )
    bound = set(agreement.members.values_list("pk", flat=True))
    with pghistory.context(user=user.pk if user else None, action="declarations_set"):
        for member_id, volume in volumes.items():
            if member_id not in bound:
                continue
            if volume is None:
                EnteredDeclaration.objects.filter(agreement=agreement, member_id=member_id).delete()
            else:
                EnteredDeclaration.objects.update_or_create(
                    agreement=agreement, member_id=member_id, defaults={"annual_volume": volume}
                )
    recompute_enqueue(member_ids=sorted(bound), user=user)


def recompute_enqueue(
    *,
    member_ids: list[int] | None = None,
    years: list[int] | None = None,
    agreement_id: int | None = None,
    user: User | None = None,
) -> Job | None:
    """Start `recompute` as a job when the transaction commits; with `agreement_id`, of the
    members that agreement's change can move (`recompute_for_agreement`, decided when the job
    runs, `member_ids` among them). Without a secretariat to own the job (the first steps of an
    installation, some tests), compute after the commit instead."""
    if user is not None:
        organisation = user.organisation
    elif agreement_id is None and member_ids is not None and len(member_ids) == 1:
        # After one member's import the job is the member's, as its compliance job is: it runs
        # in that member's context, which may write that member's figures and its own job.
        member = Member.objects.select_related("organisation").get(pk=member_ids[0])
        organisation = member.organisation
    else:
        organisation = Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).first()
    if organisation is None:
        if agreement_id is not None:
            moved = member_ids or []
            transaction.on_commit(lambda: recompute_for_agreement(agreement_id, moved))
        else:
            transaction.on_commit(lambda: recompute(member_ids, years))
        return None
    task_kwargs: dict[str, Any] = {"member_ids": member_ids, "years": years}
    if agreement_id is not None:
        task_kwargs = {"agreement_id": agreement_id, "member_ids": member_ids or []}
    return job_enqueue(
        task_name="insight.recompute",
        kind="insight.recompute",
        title=_("Recompute volume kept and off-contract spend"),
        user=user,
        organisation=organisation,
        task_kwargs=task_kwargs,
    )
