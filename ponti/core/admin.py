from django.contrib import admin

from .models import AuditEvent, Ente, Sector, Tag


@admin.register(Ente)
class EnteAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "city")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_it", "name_en", "position")


admin.site.register(Tag)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody edits the history."""

    list_display = ("at", "actor_repr", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_repr")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
