from django.contrib import admin

from .models import Article, ArticleVersion, Attachment


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    fields = ["number", "title", "author", "created_at", "display_note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "organisation", "owner", "review_date"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["author", "owner", "cpv_codes", "related_tenders"]
    inlines = [VersionInline]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "article", "size", "created_at"]
    raw_id_fields = ["article", "uploaded_by"]
