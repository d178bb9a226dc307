from django.contrib import admin

from .models import CpvCode


@admin.register(CpvCode)
class CpvCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label_da", "kind", "level"]
    list_filter = ["kind", "level"]
    search_fields = ["code", "label_da", "label_en"]
