from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, User


@admin.register(User)
class PontiUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Ponti", {"fields": ("enti",)}))
    filter_horizontal = ("groups", "user_permissions", "enti")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # tokens are shown once: create them on the profile page
