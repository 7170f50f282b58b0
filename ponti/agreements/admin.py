from django.contrib import admin

from .models import Agreement, Commitment


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "status",
        "ente",
        "signed_on",
        "signed_precision",
        "confidence",
    )
    list_filter = ("kind", "status", "ente", "confidence")
    search_fields = ("title",)
    # The lifecycle changes only through the state machine (pages and API), never here.
    readonly_fields = ("status", "last_activity_on")
    inlines = [CommitmentInline]
