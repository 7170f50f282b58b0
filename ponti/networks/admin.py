from django.contrib import admin

from .models import Fee, Membership, MembershipRole, NetworkMember, WorkingGroup


class RoleInline(admin.TabularInline):
    model = MembershipRole
    extra = 0


class WorkingGroupInline(admin.TabularInline):
    model = WorkingGroup
    extra = 0
    raw_id_fields = ["representatives"]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("network", "ente", "status", "since", "since_year", "confidence")
    list_filter = ("status", "ente", "confidence")
    search_fields = ("network__name",)
    raw_id_fields = ("network",)
    inlines = [RoleInline, WorkingGroupInline, FeeInline]


@admin.register(NetworkMember)
class NetworkMemberAdmin(admin.ModelAdmin):
    list_display = ("member", "network", "since_year")
    list_filter = ("network",)
    search_fields = ("member__name", "network__name")
    raw_id_fields = ("network", "member")
