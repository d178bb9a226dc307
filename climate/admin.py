from __future__ import annotations

from django.contrib import admin

from .models import EmissionFactor, FactorVersion, MeteredConsumption


class EmissionFactorInline(admin.TabularInline):
    model = EmissionFactor
    extra = 0


@admin.register(FactorVersion)
class FactorVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "note", "created_by", "created_at"]
    inlines = [EmissionFactorInline]


@admin.register(MeteredConsumption)
class MeteredConsumptionAdmin(admin.ModelAdmin):
    list_display = ["member", "year", "kind", "kwh", "kg_per_kwh", "factor_source"]
    list_filter = ["year", "kind"]
