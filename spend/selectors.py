"""Reading spend: every question other apps ask of the members' spend lines goes through here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import overload

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from consortium.figure_store import stored
from cpv.models import significant_prefix

from .importing.fields import FIELDS, recognise
from .models import (
    ColumnMapping,
    SpendImport,
    SpendLine,
    SpendLineImport,
    Supplier,
    SupplierName,
    SupplierSpend,
)


def cpv_filter(cpv_codes: Iterable[object], field: str = "cpv__code8") -> Q:
    """Lines classified under any of `cpv_codes` (CpvCode objects or codes) or their subtrees."""
    q = Q(pk__in=[])
    for code in cpv_codes:
        code8 = getattr(code, "code8", None) or str(code).split("-")[0]
        prefix = significant_prefix(code8)
        q |= Q(**{f"{field}__startswith": prefix})
    return q


def members_spend_in_categories(
    member_ids: Iterable[int],
    cpv_codes: Iterable[object],
    start: datetime.date,
    end: datetime.date,
) -> dict[int, Decimal]:
    """Each member's spend ex. VAT in the given CPV categories, start ≤ date < end, in one query.

    Members without such spend are left out of the result.
    """
    codes = list(cpv_codes)
    ids = list(member_ids)
    if not codes or not ids:
        return {}
    rows = (
        SpendLine.objects.filter(member_id__in=ids, invoice_date__gte=start, invoice_date__lt=end)
        .filter(cpv_filter(codes))
        .values_list("member_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {member_id: total for member_id, total in rows if total}


def member_spend_in_categories(
    member_id: int, cpv_codes: Iterable[object], start: datetime.date, end: datetime.date
) -> Decimal:
    """A member's spend ex. VAT in the given CPV categories, invoice dates start ≤ d < end."""
    return members_spend_in_categories([member_id], cpv_codes, start, end).get(
        member_id, Decimal("0.00")
    )


# --- imports and the supplier registry ------------------------------------------------------


@dataclass
class PreviewRow:
    line: int
    values: dict[str, str]
    reason: str = ""


@dataclass
class ImportPreview:
    """The first rows of a pending import as they would be read, or why the file is refused."""

    format: str = ""
    headers: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → header used
    rows: list[PreviewRow] = field(default_factory=list)
    rejected: str = ""


def import_preview(
    spend_import: SpendImport, mapping: dict[str, str] | None = None, rows: int = 10
) -> ImportPreview:
    """Read the first `rows` lines of the stored file with `mapping` (or the saved one) applied."""
    from .importing import FileRejected, ImportLimits, read_spend_file, validate_lines
    from .importing.reader import check_size, read_preview_bytes

    limits = ImportLimits.from_settings()
    strict = mapping is not None and any(mapping.values())
    if mapping is None:
        mapping = spend_import.mapping or dict(
            ColumnMapping.objects.filter(member_id=spend_import.member_id)
            .values_list("columns", flat=True)
            .first()
            or {}
        )
    try:
        check_size(spend_import.size, limits)
        # Only the head of a CSV: decoding a large file whole took seconds and hundreds of MB.
        with spend_import.file.open("rb") as handle:
            data = read_preview_bytes(handle, name=spend_import.original_name, limits=limits)
        parsed = read_spend_file(
            data,
            name=spend_import.original_name,
            mapping=mapping,
            strict_mapping=strict,
            limits=limits,
            preview=rows,
        )
    except FileRejected as exc:
        # Preselect what can be recognised, so the user only has to choose what is missing.
        headers = exc.headers
        known = {f: headers[i] for f, i in recognise(headers).items()}
        known.update({f: h for f, h in (mapping or {}).items() if h in headers})
        return ImportPreview(
            format=spend_import.format, headers=headers, columns=known, rejected=exc.reason
        )
    except OSError:
        return ImportPreview(rejected=str(_("The stored file cannot be read.")))
    checked = validate_lines(
        parsed.raw.table,
        limits=limits,
        today=timezone.localdate(),
        period=(spend_import.period_start, spend_import.period_end),
        prior_errors=parsed.raw.errors,
    )
    reasons = {(e.file, e.line): e.reason for e in checked.errors}
    table = parsed.raw.table.to_pylist()
    preview_rows = [
        PreviewRow(
            line=row["line"],
            values={f: row[f] for f in FIELDS},
            reason=reasons.get((row["source"], row["line"]), ""),
        )
        for row in table
    ]
    headers = parsed.raw.headers
    return ImportPreview(
        format=parsed.format,
        headers=headers,
        columns={f: headers[i] for f, i in parsed.raw.columns.items()},
        rows=preview_rows,
    )


@dataclass
class WithdrawalPreview:
    removed: int  # lines the import brought that only it holds: they go
    kept: int  # lines it brought that another standing import holds too: they stay


def withdrawal_preview(spend_import: SpendImport) -> WithdrawalPreview:
    """What withdrawing the import would do to its lines (see services.spend_import_withdraw)."""
    brought = SpendLine.objects.filter(spend_import=spend_import)
    counts = brought.aggregate(
        total=Count("pk"),
        kept=Count(
            "pk",
            filter=Q(
                Exists(
                    SpendLineImport.objects.filter(
                        line=OuterRef("pk"), line_date=OuterRef("invoice_date")
                    )
                )
            ),
        ),
    )
    return WithdrawalPreview(removed=counts["total"] - counts["kept"], kept=counts["kept"])


@stored()
def supplier_ranking() -> list[tuple[int, Decimal]]:
    """Every supplier's id and all members' spend with it, the largest first (by name among
    equals): from the stored sums per member, supplier and year (`SupplierSpend`), and kept
    between requests until they change — sorting 25,000 suppliers by their lines took 51 s on
    the national data set, by the stored sums still seconds."""
    totals = dict(
        SupplierSpend.objects.order_by()
        .values_list("supplier_id")
        .annotate(total=Sum("amount"))
        .values_list("supplier_id", "total")
    )
    by_name = Supplier.objects.order_by("name", "pk").values_list("pk", flat=True)
    ranked = [(pk, totals.get(pk, Decimal("0.00"))) for pk in by_name]
    ranked.sort(key=lambda row: -row[1])  # stable: by name among equal totals
    return ranked


class SupplierRegister(Sequence[Supplier]):
    """The ranked suppliers as a sequence a paginator slices: only the suppliers of the page
    asked for are read, each with `total_spend` and `name_count`."""

    def __init__(self, ranked: list[tuple[int, Decimal]]) -> None:
        self.ranked = ranked

    def __len__(self) -> int:
        return len(self.ranked)

    @overload
    def __getitem__(self, index: int) -> Supplier: ...
    @overload
    def __getitem__(self, index: slice) -> list[Supplier]: ...
    def __getitem__(self, index: int | slice) -> Supplier | list[Supplier]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        rows = self.ranked[index]
        suppliers = Supplier.objects.annotate(name_count=Count("names")).in_bulk(
            [pk for pk, _total in rows]
        )
        page = []
        for pk, total in rows:
            supplier = suppliers[pk]
            supplier.total_spend = total
            page.append(supplier)
        return page


def supplier_registry(search: str = "") -> SupplierRegister:
    """Suppliers with their number of names and all members' spend, the largest first
    (secretariat only: it sums every member's spend)."""
    ranked = supplier_ranking()
    if search:
        digits = search.replace(" ", "")
        found = set(
            Supplier.objects.filter(
                Q(cvr__startswith=digits)
                | Q(name__icontains=search)
                | Q(pk__in=SupplierName.objects.filter(name__icontains=search).values("supplier"))
            ).values_list("pk", flat=True)
        )
        ranked = [row for row in ranked if row[0] in found]
    return SupplierRegister(ranked)


def supplier_spend_by_member(supplier: Supplier) -> list[dict[str, object]]:
    """A supplier's spend per member and year (secretariat only: it shows every member's spend)."""
    return list(
        SupplierSpend.objects.filter(supplier=supplier)
        .values("member__organisation__name", "year")
        .annotate(total=Sum("amount"), lines=Sum("lines"))
        .order_by("member__organisation__name", "year")
    )
