"""The operators' admin (superusers only, see `ponti.core.admin_site`): users with their
memberships inline. Ente Amministratori use Ponti's own pages under /gestione/."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class PontiUserAdmin(UserAdmin):
    # Groups and per-user permissions grant nothing in Ponti: roles are per ente.
    fieldsets = tuple(
        (
            name,
            {
                **opts,
                "fields": tuple(
                    f for f in opts["fields"] if f not in {"groups", "user_permissions"}
                )
                # After the e-mail: the provider's identifier, set only by single sign-on.
                + (("oidc_subject",) if "email" in opts["fields"] else ()),
            },
        )
        for name, opts in (UserAdmin.fieldsets or ())
    )
    readonly_fields = ("oidc_subject",)
    filter_horizontal = ()
    list_filter = ("is_superuser", "is_active", "memberships__ente", "memberships__role")
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # tokens are shown once: create them on the profile page
