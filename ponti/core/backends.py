"""Permissions come from the user's role in each ente (`ponti.core.roles`), not from groups.

`user.has_perm("app.action_model")` asks: may the user do this in at least one of their enti?
`user.has_perm(perm, obj)` asks about one record: the role in the record's ente decides (for a
record with no ente, such as the shared registry, any of the user's roles). Superusers are
answered by Django before any backend is asked.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend, ModelBackend

from .roles import permissions_of


def ente_id_of(obj: Any) -> int | None:
    """The ente a permission on `obj` is asked in: the record's ente, or the ente itself."""
    if obj is None:
        return None
    if obj._meta.label_lower == "core.ente":
        return obj.pk
    return getattr(obj, "ente_id", None)


class RolePermissionBackend(BaseBackend):
    """Answers permission questions only; logging in is left to the other backends."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(permissions_of(user_obj, ente_id_of(obj)))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))


class PasswordBackend(ModelBackend):
    """Django's username and password login, without its group and per-user permissions:
    a permission left in `auth_group` or `auth_user_user_permissions` grants nothing."""

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
