"""Keeps the database groups equal to the role table in `ponti.core.roles`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from ponti.core.roles import ROLE_DEFINITIONS, Role


def sync_roles() -> None:
    for role, definition in ROLE_DEFINITIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for label in definition.permissions:
            app_label, codename = label.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


def sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Run once, after the last app's post_migrate, when every permission exists.
    from django.apps import apps

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender.label == with_models[-1].label:
        sync_roles()


def assign_role(user: Any, role: str) -> None:
    Role(role)  # refuses an unknown role
    group = Group.objects.get(name=role)
    user.groups.add(group)
    definition = ROLE_DEFINITIONS[role]
    if definition.staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
