"""Reads about agreements, renewal needs and compliance that more than one view needs.

Compliance figures and spend lines are the members' tenant data. Functions named `consortium_*`
return aggregates over every member and are what the board sees; the others are scoped with
`visible_to(user)` or to one member the caller has already checked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    SECRETARIAT_ROLES,
    board_min_members,
    has_role,
    member_of,
    split_small_groups,
)
from accounts.models import Role
from consortium.figure_store import stored
from cpv.models import significant_prefix
from spend.models import SpendLine
from tenders.models import ProcedureType, Tender, TenderStatus

from .compliance import compliance_share
from .models import Agreement, AgreementSupplier, ComplianceFigure
from .renewal import DEFAULT_PROCEDURE, horizon_end, is_late, latest_tender_start

if TYPE_CHECKING:
    from members.models import Member

# --- renewal planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalItem:
    agreement: Agreement
    procedure_type: str
    must_start_by: datetime.date
    successor: Tender | None
    late: bool
    options_left: int
    candidates: tuple[Tender, ...] = ()  # open tenders that could renew it (no successor yet)

    @property
    def procedure_label(self) -> str:
        return ProcedureType(self.procedure_type).label


def renewal_item(agreement: Agreement, today: datetime.date) -> RenewalItem:
    successor = agreement.successor_tender
    if successor is not None and successor.status == "cancelled":
        successor = None
    procedure = (
        successor.procedure_type
        if successor
        else (agreement.tender.procedure_type if agreement.tender else DEFAULT_PROCEDURE)
    )
    must_start_by = latest_tender_start(agreement.end_date, procedure)
    return RenewalItem(
        agreement=agreement,
        procedure_type=procedure,
        must_start_by=must_start_by,
        successor=successor,
        late=is_late(
            today=today,
            must_start_by=must_start_by,
            successor_status=successor.status if successor else None,
        ),
        options_left=sum(1 for option in agreement.options.all() if option.used_on is None),
    )


def renewal_plan(
    today: datetime.date | None = None, months: int | None = None
) -> list[RenewalItem]:
    """Agreements ending within the renewal horizon, the most urgent tender start first."""
    today = today or timezone.localdate()
    agreements = list(
        Agreement.objects.ending_within(today, horizon_end(today, months))
        .select_related("tender", "successor_tender")
        .prefetch_related("options", "categories")
    )
    open_tenders = _open_tenders_with_codes()
    items = []
    for agreement in agreements:
        item = renewal_item(agreement, today)
        if item.successor is None:
            item = replace(item, candidates=tuple(_sharing(agreement, open_tenders)))
        items.append(item)
    return sorted(items, key=lambda item: (item.must_start_by, item.agreement.number))


# --- successor candidates ----------------------------------------------------------------------


@stored()
def _open_tenders_with_codes() -> list[tuple[Tender, list[str]]]:
    """The open tenders with their CPV codes, kept until a tender changes: every agreement's
    page and the renewal plan match their categories against them."""
    tenders = (
        Tender.objects.open()
        .select_related("main_cpv")
        .prefetch_related("additional_cpv")
        .order_by("reference")
    )
    return [
        (t, [c.code8 for c in [t.main_cpv, *t.additional_cpv.all()] if c is not None])
        for t in tenders
    ]


def _sharing(agreement: Agreement, tenders: list[tuple[Tender, list[str]]]) -> list[Tender]:
    """The tenders with a CPV code in the subtree of one of the agreement's categories, or the
    other way round (a tender for laptops renews an agreement on computers and vice versa)."""
    mine = [(c.prefix, c.code8) for c in agreement.categories.all()]
    found = []
    for tender, codes in tenders:
        if tender.pk == agreement.tender_id:
            continue
        if any(
            code.startswith(prefix) or own.startswith(significant_prefix(code))
            for code in codes
            for prefix, own in mine
        ):
            found.append(tender)
    return found


def successor_candidates(agreement: Agreement) -> list[Tender]:
    """Open tenders in the agreement's categories: the likely successors, by reference."""
    return _sharing(agreement, _open_tenders_with_codes())


def _successor_tenders() -> QuerySet[Tender]:
    """Every tender that may succeed an agreement: any not cancelled, newest first."""
    return Tender.objects.exclude(status=TenderStatus.CANCELLED).order_by("-reference")


def successor_choices(agreement: Agreement) -> QuerySet[Tender]:
    """The tenders that may be named as the agreement's successor: all but its own."""
    tenders = _successor_tenders()
    return tenders.exclude(pk=agreement.tender_id) if agreement.tender_id else tenders


def tender_label(tender: Tender) -> str:
    """A tender as the successor list names it: reference, title and status."""
    return f"{tender.reference} {tender.title} ({tender.get_status_display()})"


@stored()
def successor_labels() -> list[tuple[int, str]]:
    """Every tender that may succeed an agreement as (id, label), newest first, kept until a
    tender changes: every agreement's page lists them (without the agreement's own)."""
    return [(t.pk, tender_label(t)) for t in _successor_tenders()]


# --- compliance figures ------------------------------------------------------------------------


def members_a_change_moves(
    agreement_id: int, bound_before: Iterable[int], *held_under_it: QuerySet[Any]
) -> list[int] | None:
    """The members whose figures derived from this agreement a change to it can move: bound to
    it now or before the change — `bound_before` (the compliance recompute's members) and the
    members of figures still held under it (`held_under_it`, querysets with a `member_id`).
    None when the agreement is gone (its figures went with it): then every member's. A member
    it never bound keeps its figures: what counts under an agreement is decided by the
    agreements binding the line's member."""
    if not Agreement.objects.filter(pk=agreement_id).exists():
        return None
    moved = set(bound_before)
    moved |= set(
        Agreement.members.through.objects.filter(agreement_id=agreement_id).values_list(
            "member_id", flat=True
        )
    )
    for figures in held_under_it:
        moved |= set(figures.values_list("member_id", flat=True).distinct())
    return sorted(moved)


def _totals(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.annotate(
        category=Sum("category_spend"), supplier=Sum("supplier_spend"), saved=Sum("savings")
    )


def _with_share(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["compliance"] = compliance_share(row["supplier"] or Decimal(0), row["category"])
    return rows


def figures_in(
    figures: QuerySet[ComplianceFigure], start: datetime.date, end: datetime.date
) -> QuerySet[ComplianceFigure]:
    return figures.filter(month__gte=start.replace(day=1), month__lte=end)


def totals_by_agreement(figures: QuerySet[ComplianceFigure]) -> list[dict[str, Any]]:
    rows = _totals(
        figures.values("agreement_id", "agreement__number", "agreement__title").order_by(
            "agreement__number"
        )
    )
    return _with_share(list(rows))


def totals_by_member(figures: QuerySet[ComplianceFigure]) -> list[dict[str, Any]]:
    rows = _totals(
        figures.values("member_id", "member__organisation__name").order_by(
            "member__organisation__name"
        )
    )
    return _with_share(list(rows))


def totals_by_month(figures: QuerySet[ComplianceFigure]) -> list[dict[str, Any]]:
    return _with_share(list(_totals(figures.values("month").order_by("month"))))


def grand_total(figures: QuerySet[ComplianceFigure]) -> dict[str, Any]:
    row = figures.aggregate(
        category=Sum("category_spend"), supplier=Sum("supplier_spend"), saved=Sum("savings")
    )
    return _with_share([row])[0]


def consortium_figures() -> QuerySet[ComplianceFigure]:
    """Every member's figures, for aggregation only (the board never sees them per member)."""
    return ComplianceFigure.objects.all()


def without_small_groups(
    figures: QuerySet[ComplianceFigure],
) -> tuple[QuerySet[ComplianceFigure], list[dict[str, Any]]]:
    """The figures minus those of agreements with figures from too few members, and those
    agreements (id, number, title).

    An aggregate over one or two members is those members' own figures; what the board sees per
    agreement must therefore come from at least `AGREEMENTS_BOARD_MIN_MEMBERS` members (3 by
    default). Pass the figures of the period shown, so the count is the period's.
    """
    small = list(
        figures.values("agreement_id", "agreement__number", "agreement__title")
        .annotate(members=Count("member_id", distinct=True))
        .filter(members__lt=board_min_members())
        .order_by("agreement__number")
    )
    hidden = {row["agreement_id"] for row in small}
    return figures.exclude(agreement_id__in=hidden), small


@dataclass(frozen=True)
class FigureScope:
    """Which compliance figures a user sees and how finely (the pages and the API alike)."""

    figures: QuerySet[ComplianceFigure]
    per_member: bool  # may list members one by one (the secretariat)
    member: Member | None  # the user's own member (a member's users)
    board: bool = False  # consortium aggregates only, and only of large enough groups

    @classmethod
    def of(cls, kind: str, member: Member | None) -> FigureScope:
        """The scope of that kind (`kind`), for `member`'s users when it is one member's."""
        figures = {
            "all": ComplianceFigure.objects.all(),
            "board": consortium_figures(),
            "member": ComplianceFigure.objects.filter(member=member),
        }[kind]
        return cls(figures, per_member=kind == "all", member=member, board=kind == "board")

    @property
    def kind(self) -> str:
        """How its figures are chosen: every member's, the board's aggregates, or one member's."""
        return "all" if self.per_member else "board" if self.board else "member"

    def shown(
        self, figures: QuerySet[ComplianceFigure]
    ) -> tuple[QuerySet[ComplianceFigure], list[dict[str, Any]]]:
        """The figures this user may see aggregated, and the agreements left out for the board
        because too few members' figures are behind them (`without_small_groups`)."""
        if self.board:
            return without_small_groups(figures)
        return figures, []


def figure_scope(user: Any) -> FigureScope:
    """Compliance figures come from members' spend (PRODUCT.md's tenancy rule): the secretariat
    sees every member's, one by one; a member's users their own member's; the board consortium
    aggregates only."""
    if has_role(user, SECRETARIAT_ROLES):
        return FigureScope(ComplianceFigure.objects.all(), per_member=True, member=None)
    if has_role(user, {Role.BOARD_MEMBER}):
        return FigureScope(consortium_figures(), per_member=False, member=None, board=True)
    return FigureScope(
        ComplianceFigure.objects.visible_to(user), per_member=False, member=member_of(user)
    )


def figure_years(figures: QuerySet[ComplianceFigure]) -> list[int]:
    """The years the figures cover, the latest first."""
    # Ordered by the year alone: the model's ordering (agreement, member, month) would make
    # DISTINCT return every figure — 636,000 rows on the national data set, 4 s per page.
    return list(
        figures.annotate(y=ExtractYear("month"))
        .order_by("-y")
        .values_list("y", flat=True)
        .distinct()
    )


def default_year(years: list[int]) -> int:
    """The year a compliance page opens on: this year when there are figures for it (or none at
    all), else the latest year with figures."""
    today = timezone.localdate().year
    return today if (today in years or not years) else years[0]


@stored()
def compliance_overview(kind: str, member: Member | None, requested: int | None) -> dict[str, Any]:
    """The compliance overview of a scope (`FigureScope.kind`; `member` for a member's users) in
    the year asked for, else this year when there are figures for it, else the latest: kept
    between requests until the figures change (it sums a year of every member's figures)."""
    scope = FigureScope.of(kind, member)
    years = figure_years(scope.figures)
    year = requested or default_year(years)
    in_year, hidden = scope.shown(scope.figures.filter(month__year=year))
    return {
        "year": year,
        "years": years,
        "hidden": hidden,
        "by_agreement": totals_by_agreement(in_year),
        "by_member": totals_by_member(in_year) if scope.per_member else None,
        "months": totals_by_month(in_year),
        "total": grand_total(in_year),
    }


def may_see_documents(user: Any, agreement: Agreement) -> bool:
    """An agreement's documents are for the secretariat, the board and the bound members."""
    if has_role(user, SECRETARIAT_ROLES | {Role.BOARD_MEMBER}):
        return True
    member = member_of(user)
    return member is not None and agreement.members.filter(pk=member.pk).exists()


# --- spend outside agreements ------------------------------------------------------------------


# The row that stands for the suppliers too few members buy from (`supplier_id` None).
OTHER_SUPPLIERS = "other"


def top_suppliers_outside_agreements(
    *,
    start: datetime.date,
    end: datetime.date,
    member_id: int | None = None,
    limit: int = 25,
    min_members: int = 1,
) -> list[dict[str, Any]]:
    """The suppliers with the most spend in start ≤ date ≤ end outside the agreements (one member
    or all): a line is outside when its supplier is on no agreement that was in force on its
    date and binds its member — the spend the next tenders could capture.

    A supplier fewer than `min_members` members bought from is one or two members' own spend
    (`accounts.access.min_group`: the board's minimum group): those suppliers are folded into
    one last row with `supplier_id` None, `kind` OTHER_SUPPLIERS, their total and how many
    suppliers it holds (`suppliers`). Every row says how many members are behind it (`members`).
    """
    lines = SpendLine.objects.filter(invoice_date__gte=start, invoice_date__lte=end)
    if member_id is not None:
        lines = lines.filter(member_id=member_id)
    covering = AgreementSupplier.objects.filter(
        Q(agreement__terminated_on__isnull=True)
        | Q(agreement__terminated_on__gt=OuterRef("invoice_date")),
        supplier_id=OuterRef("supplier_id"),
        agreement__members=OuterRef("member_id"),
        agreement__start_date__lte=OuterRef("invoice_date"),
        agreement__end_date__gte=OuterRef("invoice_date"),
    )
    by_supplier = (
        lines.filter(~Exists(covering))
        .values("supplier_id", "supplier__cvr", "supplier__name")
        .annotate(total=Sum("amount"), members=Count("member_id", distinct=True))
        .order_by("-total", "supplier__name")
    )
    if min_members <= 1:
        return list(by_supplier[:limit])
    shown, small = split_small_groups(
        list(by_supplier), members=lambda r: r["members"], min_members=min_members
    )
    rows = shown[:limit]
    if small:
        rows.append(
            {
                "supplier_id": None,
                "kind": OTHER_SUPPLIERS,
                "supplier__cvr": "",
                "supplier__name": _("Other suppliers (fewer than %(count)s members)")
                % {"count": min_members},
                "total": sum((r["total"] for r in small), Decimal(0)),
                "members": None,
                "suppliers": len(small),
            }
        )
    return rows


def totals_by_agreement_month(figures: QuerySet[ComplianceFigure]) -> list[dict[str, Any]]:
    rows = _totals(
        figures.values("agreement__number", "agreement__title", "month").order_by(
            "agreement__number", "month"
        )
    )
    return _with_share(list(rows))


# --- registration ------------------------------------------------------------------------------


def registration_gaps(agreement: Agreement) -> list[str]:
    """What the secretariat has not registered yet (an agreement made from a tender starts with
    the tender's data only): shown on the agreement's page until it is complete."""
    links = list(agreement.supplier_links.all())
    gaps = []
    if not links:
        gaps.append(_("suppliers"))
    elif not any(link.contact_name or link.contact_email for link in links):
        gaps.append(_("a contact person at the supplier"))
    if agreement.baseline_price_level == agreement.agreement_price_level:
        gaps.append(_("the price levels (baseline and agreement are the same)"))
    if not agreement.expected_annual_value:
        gaps.append(_("the expected annual value"))
    if not agreement.members.exists():
        gaps.append(_("bound members"))
    if not agreement.categories.exists():
        gaps.append(_("categories"))
    return gaps


# --- the agreements a member is bound by, for the member page -------------------------------------


@dataclass(frozen=True)
class AgreementLine:
    agreement: Agreement
    compliance: Decimal | None
    savings: Decimal | None


@dataclass(frozen=True)
class AgreementUse:
    lines: list[AgreementLine]
    with_figures: bool  # False: the viewer may not see this member's compliance and savings
    start: datetime.date
    end: datetime.date


def member_agreement_use(
    member: Member, user: Any, *, with_figures: bool, today: datetime.date | None = None
) -> AgreementUse:
    """The agreements the member is bound by, newest end first, with its compliance and savings
    over the last twelve months where the viewer may see them (`ComplianceFigure.visible_to`)."""
    today = today or timezone.localdate()
    month = today.year * 12 + today.month - 1 - 11
    start = datetime.date(month // 12, month % 12 + 1, 1)
    agreements = list(Agreement.objects.filter(members=member).order_by("-end_date", "number"))
    totals: dict[int, dict[str, Any]] = {}
    if with_figures and agreements:
        figures = ComplianceFigure.objects.visible_to(user).filter(member=member)
        totals = {
            r["agreement_id"]: r for r in totals_by_agreement(figures_in(figures, start, today))
        }
    lines = [
        AgreementLine(
            agreement=a,
            compliance=totals.get(a.pk, {}).get("compliance"),
            savings=totals.get(a.pk, {}).get("saved"),
        )
        for a in agreements
    ]
    return AgreementUse(lines=lines, with_figures=with_figures, start=start, end=today)
