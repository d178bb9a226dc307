"""Suppliers and the members' spend lines (tenant data: one member's lines are private to it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import TenantQuerySet
from consortium.auditing import audited
from consortium.models import TimeStampedModel
from members.validators import validate_cvr


class CompanySize(models.TextChoices):
    """The eForms code list `economic-operator-size` (BT-165), Commission Recommendation
    2003/361/EC."""

    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium-sized enterprise")
    LARGE = "large", _("Large enterprise")


@audited()
class Supplier(TimeStampedModel):
    """A supplier, keyed by its CVR number; the names it appears under are kept in `names`."""

    cvr = models.CharField(_("CVR number"), max_length=8, unique=True, validators=[validate_cvr])
    name = models.CharField(_("name"), max_length=200)
    # What a contract award notice says about a winning supplier (notices/).
    # Database defaults too: spend imports insert new suppliers in SQL with CVR and name only.
    address = models.CharField(_("address"), max_length=200, blank=True, db_default="")
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, db_default="")
    city = models.CharField(_("town"), max_length=100, blank=True, db_default="")
    nuts_code = models.CharField(_("NUTS code"), max_length=5, blank=True, db_default="")
    company_size = models.CharField(
        _("company size"), max_length=10, choices=CompanySize.choices, blank=True, db_default=""
    )

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (CVR {self.cvr})"

    def get_absolute_url(self) -> str:
        return reverse("spend:supplier_detail", args=[self.cvr])


class SupplierName(models.Model):
    """A name a supplier appears under in someone's data."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supplier", "name"], name="supplier_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SpendLineQuerySet(TenantQuerySet["SpendLine"]):
    pass


class SpendLine(models.Model):
    """One invoice line of a member's purchases, amount excluding VAT (credit notes negative).

    The table is partitioned by invoice year (migration `0008_partition_spend_lines`,
    spend/partitions.py): in the database the primary key is (id, invoice_date), since a
    partitioned table's keys must hold the partition key; Django keeps `id`, still unique from
    its sequence. A query that names the invoice date reads that year's partition only.
    """

    tenant_path = "member__organisation"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="spend_lines"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="spend_lines")
    amount = models.DecimalField(_("amount ex. VAT"), max_digits=14, decimal_places=2)
    invoice_date = models.DateField(_("invoice date"))
    account = models.CharField(_("account"), max_length=100, blank=True)
    category_code = models.CharField(
        _("category code"), max_length=20, blank=True, help_text=_("UNSPSC or CPV as given")
    )
    cpv = models.ForeignKey(
        "cpv.CpvCode", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An e-invoice line may carry both a CPV and a UNSPSC code; category_code keeps the one
    # given first (CPV), so the UNSPSC code is kept here. Never read as CPV. Not part of the
    # line's fingerprint, so lines imported before it existed are still recognised.
    unspsc = models.CharField(_("UNSPSC code"), max_length=10, blank=True, db_default="")
    invoice_number = models.CharField(_("invoice number"), max_length=100, blank=True)
    # The import that brought the line. A later import holding the same line records that in
    # SpendLineImport; when the bringing import is withdrawn, such an import takes the line over.
    spend_import = models.ForeignKey(
        "spend.SpendImport",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lines",
    )
    # Identifies the line across imports so the same line imported twice is stored once.
    fingerprint = models.CharField(max_length=64)

    objects = SpendLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("spend line")
        verbose_name_plural = _("spend lines")
        constraints = [
            # The fingerprint hashes the invoice date, so with the date (the partition key, which
            # a unique constraint of a partitioned table must hold) it is as unique as without.
            models.UniqueConstraint(
                fields=["member", "fingerprint", "invoice_date"],
                name="spend_line_unique_per_member",
            )
        ]
        indexes = [models.Index(fields=["member", "invoice_date"])]

    def __str__(self) -> str:
        return f"{self.invoice_date} {self.supplier_id} {self.amount}"


class SpendMonthQuerySet(TenantQuerySet["SpendMonth"]):
    pass


class SpendMonth(models.Model):
    """A member's spend in one month: the sum and number of its spend lines.

    Kept by the database itself (statement triggers on the spend lines, migration
    `0006_spend_month`): every insert, update and delete of lines — an import, a withdrawal, raw
    SQL — adds its rows' sums in the same transaction, so the figure is never stale and pages read
    it instead of summing millions of lines per request. Tenant data like the lines it sums."""

    tenant_path = "member__organisation"

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))  # the first day of the month
    amount = models.DecimalField(_("amount ex. VAT"), max_digits=18, decimal_places=2)
    lines = models.PositiveIntegerField(_("lines"))

    objects = SpendMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("spend in a month")
        verbose_name_plural = _("spend by month")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="spend_month_unique"),
        ]
        indexes = [models.Index(fields=["month"], name="spend_month_month")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}: {self.amount}"


class SupplierSpendQuerySet(TenantQuerySet["SupplierSpend"]):
    pass


class SupplierSpend(models.Model):
    """A member's spend with one supplier in one calendar year: the sum and number of lines.

    Kept by the database like `SpendMonth` (statement triggers on the spend lines, migration
    `0007_supplier_spend`), so the supplier register and a supplier's page read a few rows per
    member instead of every line of a supplier that sells to all of them. Tenant data."""

    tenant_path = "member__organisation"

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount ex. VAT"), max_digits=18, decimal_places=2)
    lines = models.PositiveIntegerField(_("lines"))

    objects = SupplierSpendQuerySet.as_manager()

    class Meta:
        verbose_name = _("spend with a supplier in a year")
        verbose_name_plural = _("spend by supplier and year")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "supplier", "year"], name="supplier_spend_unique"
            ),
        ]
        indexes = [models.Index(fields=["supplier", "year"], name="supplier_spend_supplier")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.supplier_id} {self.year}: {self.amount}"


class SpendImportQuerySet(TenantQuerySet["SpendImport"]):
    pass


@audited()
class SpendImport(TimeStampedModel):
    """One uploaded spend file of a member and how its import ended (tenant data)."""

    class Format(models.TextChoices):
        ERP_CSV = "erp_csv", _("ERP export (CSV)")
        ERP_XLSX = "erp_xlsx", _("ERP export (XLSX)")
        UBL_XML = "ubl_xml", _("E-invoice (XML)")
        UBL_ZIP = "ubl_zip", _("E-invoices (ZIP)")
        UNKNOWN = "", _("Unknown")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not imported yet")
        IMPORTED = "imported", _("Imported")
        UNCHANGED = "unchanged", _("Unchanged (already imported)")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Imports whose lines count: only these can be withdrawn or make a re-import "unchanged".
    STANDING = (Status.IMPORTED, Status.UNCHANGED)

    tenant_path = "member__organisation"

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="spend_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="spend/imports/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    valid_only = models.BooleanField(
        _("import only the valid lines"),
        default=False,
        help_text=_("Otherwise a file with any invalid line is rejected whole."),
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    mapping = models.JSONField(_("column mapping used"), default=dict, blank=True)
    lines_total = models.PositiveIntegerField(_("lines in the file"), default=0)
    lines_valid = models.PositiveIntegerField(_("valid lines"), default=0)
    lines_new = models.PositiveIntegerField(_("new lines"), default=0)
    lines_existing = models.PositiveIntegerField(_("lines already imported"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    first_date = models.DateField(_("first invoice date"), null=True, blank=True)
    last_date = models.DateField(_("last invoice date"), null=True, blank=True)
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # What decides which lines a run writes: the file, the mapping applied (the saved one when the
    # upload named none), the period and "valid lines only". Set when the import runs.
    identity = models.CharField(_("identity"), max_length=64, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lines_withdrawn = models.PositiveIntegerField(_("lines removed on withdrawal"), default=0)

    objects = SpendImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("spend import")
        verbose_name_plural = _("spend imports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["member", "sha256"]),
            models.Index(fields=["member", "identity"], name="spend_import_identity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="spend_import_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("spend:import_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_erp(self) -> bool:
        return self.format in (self.Format.ERP_CSV, self.Format.ERP_XLSX)

    @property
    def is_standing(self) -> bool:
        return self.status in self.STANDING


class SpendLineImport(models.Model):
    """A standing import that also holds a line another import brought (see SpendLine.spend_import).

    Written only for the overlap, so a first import of new lines costs nothing extra. Rows of an
    import go when it is withdrawn; together with `spend_import` they tell which standing imports
    hold a line, so withdrawing one never removes a line another still holds.
    """

    spend_import = models.ForeignKey(
        SpendImport, on_delete=models.CASCADE, related_name="held_lines"
    )
    # No foreign key on `id` alone is possible into the partitioned lines: the database's key is
    # (line_id, line_date) → (id, invoice_date), ON DELETE CASCADE, made in migration 0008.
    line = models.ForeignKey(
        SpendLine, on_delete=models.CASCADE, related_name="held_by", db_constraint=False
    )
    line_date = models.DateField(_("invoice date of the line"))

    tenant_path = "spend_import__member__organisation"

    class Meta:
        verbose_name = _("line also held by an import")
        verbose_name_plural = _("lines also held by imports")
        constraints = [
            models.UniqueConstraint(
                fields=["spend_import", "line"], name="spend_line_import_unique"
            )
        ]
        indexes = [models.Index(fields=["line"], name="spend_line_import_line")]

    def __str__(self) -> str:
        return f"{self.spend_import_id} holds {self.line_id}"


class ColumnMappingQuerySet(TenantQuerySet["ColumnMapping"]):
    pass


@audited()
class ColumnMapping(TimeStampedModel):
    """A member's saved mapping from the spend fields to its ERP export's column headers."""

    tenant_path = "member__organisation"

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="spend_column_mapping",
    )
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ColumnMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return f"{self.member}: {self.columns}"
