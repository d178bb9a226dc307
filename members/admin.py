from django.contrib import admin

from .models import Member, Municipality, PopulationFigure


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "joined_on", "left_on"]
    list_filter = ["status"]
    inlines = [MunicipalityInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "cvr", "region", "member"]
    search_fields = ["name", "code", "cvr"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "population", "is_estimate"]
    list_filter = ["year", "is_estimate"]
