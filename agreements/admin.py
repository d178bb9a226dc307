from __future__ import annotations

from django.contrib import admin

from .models import (
    Agreement,
    AgreementArticle,
    AgreementCategory,
    AgreementDocument,
    AgreementMember,
    AgreementSupplier,
    ExtensionOption,
)


class AgreementSupplierInline(admin.TabularInline):
    model = AgreementSupplier
    extra = 0
    raw_id_fields = ["supplier"]


class AgreementMemberInline(admin.TabularInline):
    model = AgreementMember
    extra = 0


class AgreementCategoryInline(admin.TabularInline):
    model = AgreementCategory
    extra = 0
    autocomplete_fields = ["cpvcode"]


class AgreementArticleInline(admin.TabularInline):
    model = AgreementArticle
    extra = 0
    raw_id_fields = ["article"]


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
    inlines = [
        AgreementSupplierInline,
        AgreementMemberInline,
        AgreementCategoryInline,
        AgreementArticleInline,
        ExtensionOptionInline,
        AgreementDocumentInline,
    ]
