from django.contrib import admin

from .models import (
    BudgetAmount,
    BudgetCode,
    BudgetLine,
    Indicator,
    IndicatorValue,
    Movement,
    Objective,
)


@admin.register(BudgetCode)
class BudgetCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "side", "parent")
    list_filter = ("level", "side")
    search_fields = ("code", "name")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("name", "unit", "direction", "metric", "example")


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "level", "ente", "start_year", "end_year")
    list_filter = ("level", "ente")
    search_fields = ("code", "title")
    raw_id_fields = ("parent", "responsible_user")
    inlines = [IndicatorInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "year", "target", "actual")


class AmountInline(admin.TabularInline):
    model = BudgetAmount
    extra = 0


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("number", "description", "side", "objective", "ente", "example")
    list_filter = ("side", "ente", "example")
    search_fields = ("number", "description")
    inlines = [AmountInline]


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ("line", "year", "kind", "amount", "day", "source_label")
    list_filter = ("kind", "year")
