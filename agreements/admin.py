from __future__ import annotations

from django.contrib import admin

from .models import Agreement, AgreementDocument, AgreementSupplier, ExtensionOption


class AgreementSupplierInline(admin.TabularInline):
    model = AgreementSupplier
    extra = 0
    raw_id_fields = ["supplier"]


class ExtensionOptionInline(admin.TabularInline):
    model = ExtensionOption
    extra = 0


class AgreementDocumentInline(admin.TabularInline):
    model = AgreementDocument
    extra = 0
    fields = ["title", "file", "uploaded_by"]
    raw_id_fields = ["uploaded_by"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "start_date", "end_date", "terminated_on"]
    search_fields = ["number", "title"]
    raw_id_fields = ["tender", "lot", "successor_tender"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["categories"]
    inlines = [AgreementSupplierInline, ExtensionOptionInline, AgreementDocumentInline]
