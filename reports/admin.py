from django.contrib import admin

from .models import BoardMeeting, ReportPack


@admin.register(BoardMeeting)
class BoardMeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "period"]
    search_fields = ["title"]
    date_hierarchy = "date"


@admin.register(ReportPack)
class ReportPackAdmin(admin.ModelAdmin):
    """Packs are made by the render job only; here they can be looked up, not made or changed."""

    list_display = ["period", "version", "pages", "meeting", "created_by", "created_at"]
    list_filter = ["period"]
    readonly_fields = [
        "period", "version", "file", "sha256", "pages", "created_by", "meeting", "job",
    ]  # fmt: skip

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
