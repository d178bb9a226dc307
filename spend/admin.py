from django.contrib import admin

from .models import ColumnMapping, SpendImport, Supplier, SupplierName


class SupplierNameInline(admin.TabularInline):
    model = SupplierName
    extra = 0


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "cvr"]
    search_fields = ["name", "cvr", "names__name"]
    inlines = [SupplierNameInline]


@admin.register(SpendImport)
class SpendImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "member", "status", "lines_new", "error_count", "created_at"]
    list_filter = ["status", "format"]
    readonly_fields = ["sha256", "job", "errors"]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["member", "updated_at"]
