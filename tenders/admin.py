"""The technical admin for tenders (operators with is_staff; the secretariat works in the portal).

Tenders are shown with their lots for support and inspection. Thresholds are editable, so the
official DKK values of a new period can be entered here as well as on the portal's threshold
page. Status, deadlines and pooling are read-only: they change only through the services, which
check the workflow's guards and the timeline's time limits.
"""

from __future__ import annotations

from django.contrib import admin

from .models import Lot, Milestone, PoolingRun, Tender, Threshold


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    fields = ["number", "title", "description"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["kind", "due", "electronic"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Tender)
class TenderAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "status", "procedure_type", "volume_deadline"]
    list_filter = ["status", "procedure_type", "contract_kind"]
    search_fields = ["reference", "title"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "awarded_at",
        "volume_deadline",
        "bid_deadline",
        "expected_start",
    ]
    # The CPV list has thousands of codes: pick them by id, not from a select box.
    raw_id_fields = ["main_cpv", "additional_cpv", "responsible"]
    filter_horizontal = ["working_group"]
    inlines = [LotInline, MilestoneInline]


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = ["kind", "level", "currency", "amount", "valid_from", "valid_until", "source"]
    list_filter = ["kind", "currency", "level"]
    ordering = ["-valid_from", "currency", "kind", "level"]


@admin.register(PoolingRun)
class PoolingRunAdmin(admin.ModelAdmin):
    list_display = ["tender", "computed_at", "estimated_value", "eu_procedure_required"]
    readonly_fields = [field.name for field in PoolingRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
