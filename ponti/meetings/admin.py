from django.contrib import admin

from .models import FollowUpAction, Gift, Meeting, Participant, ScreeningCriterion, VisitRequest


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ("person", "position", "user")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "ente", "date", "date_precision", "starts_at")
    list_filter = ("kind", "status", "ente", "date_precision")
    search_fields = ("title",)
    raw_id_fields = ("counterparts", "agreements")
    # The status moves through change_status (pages and API), not here.
    readonly_fields = ("status",)
    inlines = [ParticipantInline]


@admin.register(ScreeningCriterion)
class ScreeningCriterionAdmin(admin.ModelAdmin):
    list_display = ("text", "ente", "position", "active")
    list_filter = ("ente", "active")
    list_editable = ("position", "active")


@admin.register(VisitRequest)
class VisitRequestAdmin(admin.ModelAdmin):
    list_display = ("__str__", "ente", "received_on", "decision")
    list_filter = ("decision", "ente")
    raw_id_fields = ("requester", "meeting")
    readonly_fields = ("decision", "decided_by", "decided_at", "meeting")


@admin.register(FollowUpAction)
class FollowUpActionAdmin(admin.ModelAdmin):
    list_display = ("description", "owner", "due_date", "status", "ente")
    list_filter = ("status", "ente")
    raw_id_fields = ("meeting", "organisation", "owner")


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = ("description", "direction", "estimated_value", "ente", "given_on")
    list_filter = ("direction", "ente")
    raw_id_fields = ("meeting", "counterpart")
