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

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from agreements.models import Agreement, AgreementSupplier, ComplianceFigure
from cpv.models import CpvCode
from jobs.models import Job
from jobs.services import job_enqueue
from members.models import Member
from spend.models import SpendLine, Supplier
from tenders.models import Participation, VolumeDeclaration

from .models import InsightSettings, OffContractFigure, VolumeKeptFigure

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
            SELECT a.id AS agreement_id, p.member_id, SUM(d.annual_volume) AS annual
            FROM agr a
            JOIN {_t(Participation)} p ON p.tender_id = a.tender_id AND p.answer = %(joined)s
            JOIN {_t(VolumeDeclaration)} d ON d.participation_id = p.id
                 AND (a.lot_id IS NULL OR d.lot_id = a.lot_id)
            GROUP BY a.id, p.member_id
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
    """The agreements covering a member's CPV codes, ranked (rules.py: the most specific
    category first, then the lowest id), and their suppliers."""
    members = _t(Agreement.members.through)
    categories = _t(Agreement.categories.through)
    return f"""
        prefixes AS MATERIALIZED (
            SELECT ac.agreement_id,
                   left(p.code8, greatest(2, length(rtrim(p.code8, '0')))) AS prefix
            FROM {categories} ac JOIN {_t(CpvCode)} p ON p.code = ac.cpvcode_id
        ),
        codes AS MATERIALIZED (
            SELECT pr.agreement_id, c.code AS cpv_id, max(length(pr.prefix)) AS specific
            FROM prefixes pr JOIN {_t(CpvCode)} c ON c.code8 LIKE pr.prefix || '%%'
            GROUP BY pr.agreement_id, c.code
        ),
        cov AS MATERIALIZED (
            SELECT am.member_id, co.cpv_id, a.id AS agreement_id, a.start_date,
                   CASE WHEN a.terminated_on IS NULL THEN a.end_date
                        ELSE LEAST(a.end_date, a.terminated_on - 1) END AS end_date,
                   a.savings_rate,
                   row_number() OVER (PARTITION BY am.member_id, co.cpv_id
                                      ORDER BY co.specific DESC, a.id) AS rank
            FROM codes co
            JOIN {_t(Agreement)} a ON a.id = co.agreement_id
            JOIN {members} am ON am.agreement_id = a.id
            WHERE (%(members)s::bigint[] IS NULL OR am.member_id = ANY(%(members)s::bigint[]))
        ),
        cov_sup AS MATERIALIZED (
            SELECT c.member_id, c.cpv_id, s.supplier_id, c.start_date, c.end_date
            FROM cov c JOIN {_t(AgreementSupplier)} s ON s.agreement_id = c.agreement_id
        )
    """  # noqa: S608


def _off_contract_lines_sql(line_filter: str, select: str, tail: str = "") -> str:
    """The off-contract lines (rules.py), each once with the agreement it counts under."""
    return f"""
        WITH {_coverage_ctes()}
        {select}
        FROM {_t(SpendLine)} sl
        JOIN cov c ON c.member_id = sl.member_id AND c.cpv_id = sl.cpv_id
                  AND sl.invoice_date BETWEEN c.start_date AND c.end_date
        WHERE {line_filter}
          AND NOT EXISTS (
              SELECT 1 FROM cov c2
              WHERE c2.member_id = sl.member_id AND c2.cpv_id = sl.cpv_id AND c2.rank < c.rank
                AND sl.invoice_date BETWEEN c2.start_date AND c2.end_date)
          AND NOT EXISTS (
              SELECT 1 FROM cov_sup cs
              WHERE cs.member_id = sl.member_id AND cs.cpv_id = sl.cpv_id
                AND cs.supplier_id = sl.supplier_id
                AND sl.invoice_date BETWEEN cs.start_date AND cs.end_date)
        {tail}
    """  # noqa: S608


LINE_FILTER = (
    "(%(members)s::bigint[] IS NULL OR sl.member_id = ANY(%(members)s::bigint[]))"
    " AND (%(years)s::int[] IS NULL"
    "      OR extract(year FROM sl.invoice_date)::int = ANY(%(years)s::int[]))"
)


def _off_contract_sql() -> str:
    return f"""
        INSERT INTO {_t(OffContractFigure)}
            (member_id, agreement_id, supplier_id, month, amount, missed_savings, lines,
             computed_at)
        SELECT member_id, agreement_id, supplier_id, month, amount,
               ROUND(amount * savings_rate, 2), lines, now()
        FROM ({
        _off_contract_lines_sql(
            LINE_FILTER,
            "SELECT sl.member_id, c.agreement_id, sl.supplier_id,"
            " date_trunc('month', sl.invoice_date)::date AS month, SUM(sl.amount) AS amount,"
            " c.savings_rate, count(*) AS lines",
            "GROUP BY 1, 2, 3, 4, c.savings_rate",
        )
    }) AS grouped
    """  # noqa: S608


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
        "today": today or timezone.localdate(),
        "joined": Participation.Answer.PARTICIPATE,
    }
    stale_volume = VolumeKeptFigure.objects.all()
    stale_off = OffContractFigure.objects.all()
    if members is not None:
        stale_volume = stale_volume.filter(member_id__in=members)
        stale_off = stale_off.filter(member_id__in=members)
    if year_list is not None:
        stale_volume = stale_volume.filter(year__in=year_list)
        stale_off = stale_off.filter(month__year__in=year_list)
    stale_volume.delete()
    stale_off.delete()
    with connection.cursor() as cursor:
        if members is None:
            cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute(_volume_sql(), params)
        volume = cursor.rowcount
        cursor.execute(_off_contract_sql(), params)
        off = cursor.rowcount
    logger.info(
        "Insight recomputed (members=%s, years=%s): %s volume, %s off-contract figures",
        members, year_list, volume, off,
    )  # fmt: skip
    return {"volume_kept": volume, "off_contract": off}


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
    offset: int = 0,
    limit: int = 50,
) -> list[DrillLine]:
    """One member's off-contract invoice lines (the same rule as the stored figures), newest
    first, a page at a time. The caller checks that its user may see the member's lines."""
    line_filter = (
        "sl.member_id = %(member)s"
        " AND (%(agreement)s::bigint IS NULL OR c.agreement_id = %(agreement)s::bigint)"
        " AND (%(supplier)s::bigint IS NULL OR sl.supplier_id = %(supplier)s::bigint)"
        " AND (%(year)s::int IS NULL OR (sl.invoice_date >= make_date(%(year)s::int, 1, 1)"
        "      AND sl.invoice_date < make_date(%(year)s::int + 1, 1, 1)))"
    )
    sql = _off_contract_lines_sql(
        line_filter,
        "SELECT sl.id, sl.invoice_date, sl.invoice_number, su.name, su.cvr, sl.cpv_id,"
        " sl.account, sl.amount",
        "ORDER BY sl.invoice_date DESC, sl.id DESC LIMIT %(limit)s OFFSET %(offset)s",
    ).replace(
        f"FROM {_t(SpendLine)} sl",
        f"FROM {_t(SpendLine)} sl JOIN {_t(Supplier)} su ON su.id = sl.supplier_id",
    )
    params = {
        "members": [member_id],
        "member": member_id,
        "agreement": agreement_id,
        "supplier": supplier_id,
        "year": year,
        "limit": limit,
        "offset": offset,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [DrillLine(*row) for row in cursor.fetchall()]


def settings_get() -> InsightSettings:
    found = InsightSettings.objects.order_by("pk").first()
    return found or InsightSettings()


def settings_save(
    *, low_threshold: Any, high_margin: Any, user: User | None = None
) -> InsightSettings:
    current = InsightSettings.objects.order_by("pk").first() or InsightSettings()
    current.low_threshold = low_threshold
    current.high_margin = high_margin
    current.full_clean()
    current.save()
    return current


def recompute_enqueue(
    *, member_ids: list[int] | None = None, years: list[int] | None = None, user: User | None = None
) -> Job | None:
    """Start `recompute` as a job when the transaction commits; without a secretariat to own the
    job (the first steps of an installation, some tests), compute after the commit instead."""
    from django.utils.translation import gettext as _

    organisation = (
        user.organisation
        if user
        else Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).first()
    )
    if organisation is None:
        transaction.on_commit(lambda: recompute(member_ids, years))
        return None
    return job_enqueue(
        task_name="insight.recompute",
        kind="insight.recompute",
        title=_("Recompute volume kept and off-contract spend"),
        user=user,
        organisation=organisation,
        task_kwargs={"member_ids": member_ids, "years": years},
    )
