from django.contrib import admin

from .models import Deadline, Opportunity, Programme


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "topic_identifier", "decision", "ente")
    list_filter = ("kind", "decision", "ente")
    search_fields = ("title", "title_en", "call_identifier", "topic_identifier")
    # The decision changes only through its steps (pages and API), never here.
    readonly_fields = ("decision", "decision_reason")
    inlines = [DeadlineInline]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "code", "period", "for_cities")
    list_filter = ("for_cities", "period")
    search_fields = ("name", "abbreviation", "code")
