"""Writes of the climate app: recomputing the stored figures (one set-based statement), new
factor versions, metered consumption. Views, tasks, the spend hook, commands and demo data all
call these."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from agreements.models import Agreement, AgreementSupplier
from agreements.selectors import members_a_change_moves
from cpv.models import CODE_PREFIXES_CTE, CpvCode
from jobs.models import Job
from jobs.services import job_enqueue
from members.models import Member
from spend.models import SpendLine
from tenders.models import Tender

from .models import (
    AgreementClimateFigure,
    ClimateFigure,
    EmissionFactor,
    Energy,
    FactorVersion,
    MeteredConsumption,
    SupplierClimateFigure,
)

logger = logging.getLogger(__name__)

# Key space of the advisory locks that serialise climate recomputes per member (compare
# agreements.services.COMPLIANCE_LOCK): pg_advisory_xact_lock(CLIMATE_LOCK, member_id).
CLIMATE_LOCK = 7302


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _scope_sql() -> str:
    """Every agreement's scope as rows (agreement, member, supplier, CPV code or '' for lines
    without a category, period in force): a bound member buying from one of its suppliers in
    its categories, or without a category, while it is in force — the rule of the compliance
    figures' supplier spend. Small: agreements × members × suppliers × codes."""
    members = _table(Agreement.members.through)
    categories = _table(Agreement.categories.through)
    return f"""
        CREATE TEMP TABLE climate_scope ON COMMIT DROP AS
        WITH prefixes AS MATERIALIZED (
            -- The significant digits of each category (cpv.models.significant_prefix).
            SELECT ac.agreement_id,
                   left(p.code8, greatest(2, length(rtrim(p.code8, '0')))) AS prefix
            FROM {categories} ac
            JOIN {_table(CpvCode)} p ON p.code = ac.cpvcode_id
        ),
        {CODE_PREFIXES_CTE},
        scope_codes AS MATERIALIZED (
            SELECT DISTINCT pr.agreement_id, cp.code AS cpv_key
            FROM prefixes pr
            JOIN code_prefixes cp ON cp.prefix = pr.prefix
            UNION ALL
            SELECT a.id, '' FROM {_table(Agreement)} a
        ),
        agr AS (
            SELECT a.id,
                   daterange(a.start_date,
                             CASE WHEN a.terminated_on IS NULL THEN a.end_date
                                  ELSE LEAST(a.end_date, a.terminated_on - 1) END,
                             '[]') AS period,
                   (btrim(a.climate_requirements) <> '' OR COALESCE(t.climate_flag, false))
                       AS flagged
            FROM {_table(Agreement)} a
            LEFT JOIN {_table(Tender)} t ON t.id = a.tender_id
        )
        SELECT a.id AS agreement_id, a.flagged, a.period, am.member_id, s.supplier_id,
               sc.cpv_key
        FROM agr a
        JOIN {members} am ON am.agreement_id = a.id
        JOIN {_table(AgreementSupplier)} s ON s.agreement_id = a.id
        JOIN scope_codes sc ON sc.agreement_id = a.id
        WHERE NOT isempty(a.period)
    """  # noqa: S608


def _base_sql(line_filter: str) -> str:
    """The lines summed per member, year, supplier and CPV code, with the part bought on an
    agreement with climate requirements: one pass over the lines (parallel where PostgreSQL
    can), joined to the flagged scope merged per key, so a line on two flagged agreements
    counts once."""
    return f"""
        CREATE TEMP TABLE climate_base ON COMMIT DROP AS
        WITH flagged AS (
            SELECT member_id, supplier_id, cpv_key, range_agg(period) AS periods
            FROM climate_scope WHERE flagged
            GROUP BY member_id, supplier_id, cpv_key
        )
        SELECT sl.member_id, extract(year FROM sl.invoice_date)::int AS year, sl.supplier_id,
               sl.cpv_id, SUM(sl.amount) AS amount,
               COALESCE(SUM(sl.amount) FILTER (WHERE f.periods @> sl.invoice_date), 0)
                   AS flagged_amount
        FROM {_table(SpendLine)} sl
        LEFT JOIN flagged f ON f.member_id = sl.member_id AND f.supplier_id = sl.supplier_id
                           AND f.cpv_key = COALESCE(sl.cpv_id, '')
        WHERE {line_filter}
        GROUP BY sl.member_id, extract(year FROM sl.invoice_date)::int, sl.supplier_id,
                 sl.cpv_id
    """  # noqa: S608


def _on_agreement_sql(line_filter: str) -> str:
    """The lines bought on each agreement, summed per agreement, member, year and CPV code."""
    return f"""
        CREATE TEMP TABLE climate_on_agreement ON COMMIT DROP AS
        SELECT s.agreement_id, sl.member_id, extract(year FROM sl.invoice_date)::int AS year,
               sl.cpv_id, SUM(sl.amount) AS amount
        FROM {_table(SpendLine)} sl
        JOIN climate_scope s ON s.member_id = sl.member_id AND s.supplier_id = sl.supplier_id
                            AND s.cpv_key = COALESCE(sl.cpv_id, '')
                            AND s.period @> sl.invoice_date
        WHERE {line_filter}
        GROUP BY s.agreement_id, sl.member_id, extract(year FROM sl.invoice_date)::int,
                 sl.cpv_id
    """  # noqa: S608


def _insert_sql() -> str:
    """The three kinds of figure from the sums, with each CPV code's division and factor."""
    return f"""
        WITH codes AS MATERIALIZED (
            -- Each CPV code's division and what its spend counts as: electricity (0931xxxx) and
            -- district heating (09323xxx) need metered consumption, never a spend factor.
            SELECT c.code AS cpv_id, left(c.code8, 2) AS division,
                   CASE WHEN c.code8 LIKE '0931%%' THEN 'electricity'
                        WHEN c.code8 LIKE '09323%%' THEN 'district_heating'
                        WHEN f.kg_per_dkk IS NULL THEN 'no_factor'
                        ELSE 'estimated' END AS kind,
                   CASE WHEN c.code8 LIKE '0931%%' OR c.code8 LIKE '09323%%' THEN NULL
                        ELSE f.kg_per_dkk END AS factor
            FROM {_table(CpvCode)} c
            LEFT JOIN {_table(EmissionFactor)} f
                   ON f.division = left(c.code8, 2) AND f.version_id = %(version)s
        ),
        lines AS MATERIALIZED (
            SELECT b.member_id, b.year, b.supplier_id,
                   COALESCE(k.division, '') AS division,
                   COALESCE(k.kind, 'unclassified') AS kind,
                   k.factor, b.amount, b.flagged_amount,
                   b.amount * COALESCE(k.factor, 0) AS co2e,
                   b.flagged_amount * COALESCE(k.factor, 0) AS flagged_co2e
            FROM climate_base b
            LEFT JOIN codes k ON k.cpv_id = b.cpv_id
        ),
        by_division AS (
            INSERT INTO {_table(ClimateFigure)}
                (member_id, year, division, kind, spend_dkk, co2e_kg, flagged_spend_dkk,
                 flagged_co2e_kg, kg_per_dkk, factor_version_id, computed_at)
            SELECT member_id, year, division, kind, SUM(amount), SUM(co2e),
                   SUM(flagged_amount), SUM(flagged_co2e), MAX(factor), %(version)s, now()
            FROM lines
            GROUP BY member_id, year, division, kind
            RETURNING 1
        ),
        by_supplier AS (
            INSERT INTO {_table(SupplierClimateFigure)}
                (member_id, year, supplier_id, spend_dkk, co2e_kg, factor_version_id, computed_at)
            SELECT member_id, year, supplier_id, SUM(amount), SUM(co2e), %(version)s, now()
            FROM lines
            GROUP BY member_id, year, supplier_id
            RETURNING 1
        ),
        by_agreement AS (
            INSERT INTO {_table(AgreementClimateFigure)}
                (agreement_id, member_id, year, spend_dkk, co2e_kg, factor_version_id,
                 computed_at)
            SELECT o.agreement_id, o.member_id, o.year, SUM(o.amount),
                   SUM(o.amount * COALESCE(k.factor, 0)), %(version)s, now()
            FROM climate_on_agreement o
            LEFT JOIN codes k ON k.cpv_id = o.cpv_id
            GROUP BY o.agreement_id, o.member_id, o.year
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM by_division), (SELECT count(*) FROM by_supplier),
               (SELECT count(*) FROM by_agreement)
    """  # noqa: S608


def _lock_members(member_ids: Iterable[int]) -> None:
    """Take each member's climate lock until the transaction ends, in id order (no deadlock):
    two recomputes of the same member would otherwise both delete and insert its figures."""
    with connection.cursor() as cursor:
        for member_id in sorted(member_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CLIMATE_LOCK, member_id])


@dataclass(frozen=True)
class Recomputed:
    divisions: int
    suppliers: int
    agreements: int
    version: int


@transaction.atomic
def recompute(
    *, member_ids: Sequence[int] | None = None, years: Sequence[int] | None = None
) -> Recomputed:
    """Recompute the stored climate figures of the given members and years (None: all), with the
    factor version in force. The figures in scope are deleted and written again in one
    transaction — the lines summed in two passes, then every figure in one statement — so
    running it twice gives the same figures, and a member-year whose lines are gone loses its
    figures."""
    version = FactorVersion.objects.in_force()
    if version is None:
        raise ValueError("No emission factor version")
    members = sorted(set(member_ids)) if member_ids is not None else None
    year_list = sorted(set(years)) if years is not None else None
    _lock_members(members if members is not None else Member.objects.values_list("pk", flat=True))
    for model in (ClimateFigure, SupplierClimateFigure, AgreementClimateFigure):
        stale = model.objects.all()
        if members is not None:
            stale = stale.filter(member_id__in=members)
        if year_list is not None:
            stale = stale.filter(year__in=year_list)
        stale.delete()  # derived rows without dependants: one DELETE each
    if members == [] or year_list == []:
        return Recomputed(0, 0, 0, version.number)
    params: dict[str, Any] = {"version": version.pk, "members": members, "years": year_list}
    filters = []
    if members is not None:
        filters.append("sl.member_id = ANY(%(members)s)")
    if year_list is not None:
        params["first"] = f"{year_list[0]:04d}-01-01"
        params["end"] = f"{year_list[-1] + 1:04d}-01-01"
        filters.append(
            "sl.invoice_date >= %(first)s::date AND sl.invoice_date < %(end)s::date"
            " AND extract(year FROM sl.invoice_date)::int = ANY(%(years)s)"
        )
    line_filter = " AND ".join(filters) or "true"
    with connection.cursor() as cursor:
        if members is None:
            cursor.execute("SET LOCAL work_mem = '128MB'")
        # The lines are read twice, each time summed at once into a small temporary table
        # (CREATE TABLE AS may run in parallel, an INSERT may not); the figures come from those.
        for table in ("climate_scope", "climate_base", "climate_on_agreement"):
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
        cursor.execute(_scope_sql())
        cursor.execute("ANALYZE climate_scope")
        cursor.execute(_base_sql(line_filter), params)
        cursor.execute(_on_agreement_sql(line_filter), params)
        cursor.execute(_insert_sql(), params)
        divisions, suppliers, agreements = cursor.fetchone()
    logger.info(
        "Climate figures recomputed (members=%s, years=%s, version %s): %s/%s/%s",
        members, year_list, version.number, divisions, suppliers, agreements,
    )  # fmt: skip
    return Recomputed(divisions, suppliers, agreements, version.number)


def members_an_agreement_moves(
    agreement_id: int, compliance_members: Iterable[int] = ()
) -> list[int] | None:
    """The members whose climate figures a change to this agreement (its members, suppliers,
    categories, term, climate requirements) can move; None: every member's."""
    return members_a_change_moves(
        agreement_id,
        compliance_members,
        AgreementClimateFigure.objects.filter(agreement_id=agreement_id),
    )


def recompute_enqueue(
    *,
    member_ids: Sequence[int] | None = None,
    years: Sequence[int] | None = None,
    user: User | None = None,
    secretariat: bool = False,
) -> Job:
    """Start `recompute` as a background job, sent when the transaction commits: one member's
    is that member's job (after its import) unless the secretariat's change started it."""
    if member_ids is not None and len(member_ids) == 1 and not secretariat:
        organisation = Member.objects.select_related("organisation").get(pk=member_ids[0])
        owner: Organisation | None = organisation.organisation
    else:
        owner = user.organisation if user else Organisation.objects.get(kind="secretariat")
    return job_enqueue(
        task_name="climate.recompute",
        kind="climate.recompute",
        title=_("Recompute the climate footprint"),
        user=user,
        organisation=owner,
        task_kwargs={
            "member_ids": list(member_ids) if member_ids is not None else None,
            "years": list(years) if years is not None else None,
        },
    )


@dataclass(frozen=True)
class FactorEntry:
    division: str
    label: str
    kg_per_dkk: Decimal | None
    confidence: str = ""


@transaction.atomic
def factor_version_create(
    *, user: User, note: str, factors: Sequence[FactorEntry]
) -> FactorVersion:
    """Put a new factor version in force and recompute every figure with it in a job."""
    if not note.strip():
        raise ValidationError({"note": _("Say what changed in this version.")})
    seen: set[str] = set()
    for entry in factors:
        if entry.division in seen:
            raise ValidationError(
                _("Division %(division)s is given twice.") % {"division": entry.division}
            )
        seen.add(entry.division)
        if entry.kg_per_dkk is not None and entry.kg_per_dkk < 0:
            raise ValidationError(
                _("The factor of division %(division)s cannot be negative.")
                % {"division": entry.division}
            )
    latest = FactorVersion.objects.select_for_update().order_by("-number").first()
    with pghistory.context(user=user.pk):
        version = FactorVersion(
            number=(latest.number + 1) if latest else 1, note=note.strip(), created_by=user
        )
        version.full_clean()
        version.save()
        rows = [
            EmissionFactor(
                version=version,
                division=e.division,
                label=e.label,
                kg_per_dkk=e.kg_per_dkk,
                confidence=e.confidence,
            )
            for e in factors
        ]
        for row in rows:
            row.full_clean(exclude=["version"])
        EmissionFactor.objects.bulk_create(rows)
    recompute_enqueue(user=user)
    return version


@transaction.atomic
def metered_consumption_save(
    *,
    user: User,
    member: Member,
    year: int,
    kind: str,
    kwh: Decimal,
    kg_per_kwh: Decimal,
    factor_source: str,
) -> MeteredConsumption:
    """Enter or correct a member's metered consumption of one kind of energy in a year.

    The caller has checked that `user` may edit `member`'s data; the database's row-level
    security holds the same line."""
    if kind not in Energy.values:
        raise ValidationError({"kind": _("Choose electricity or district heating.")})
    if kwh is None or kwh < 0:
        raise ValidationError({"kwh": _("The consumption cannot be negative.")})
    if kg_per_kwh is None or kg_per_kwh < 0:
        raise ValidationError({"kg_per_kwh": _("The factor cannot be negative.")})
    if kg_per_kwh > Decimal("2"):
        raise ValidationError(
            {"kg_per_kwh": _("A factor above 2 kg CO2e per kWh is not plausible; check the unit.")}
        )
    if not factor_source.strip():
        raise ValidationError(
            {"factor_source": _("Say where the factor comes from, e.g. Energinet's declaration.")}
        )
    with pghistory.context(user=user.pk):
        entry = (
            MeteredConsumption.objects.select_for_update()
            .filter(member=member, year=year, kind=kind)
            .first()
        ) or MeteredConsumption(member=member, year=year, kind=kind)
        entry.kwh = kwh
        entry.kg_per_kwh = kg_per_kwh
        entry.factor_source = factor_source.strip()
        entry.entered_by = user
        entry.full_clean()
        entry.save()
    return entry
