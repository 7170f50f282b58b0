"""Roles: each is a set of permissions and a confidentiality clearance, defined once here.

The groups in the database are synchronised from this table after every migrate
(`accounts.signals.sync_roles`), so a role can never drift from its definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AMMINISTRATORE = "amministratore", _("Amministratore")
    UFFICIO = "ufficio", _("Ufficio relazioni internazionali")
    CONSIGLIERE = "consigliere", _("Consigliere diplomatico")
    SEGRETERIA = "segreteria", _("Segreteria del Sindaco")
    RESPONSABILE = "responsabile", _("Responsabile")
    REVISORE = "revisore", _("Revisore (sola lettura)")


# Read access to the registry, for every role.
VIEW = {
    "partners.view_organisation",
    "partners.view_person",
    "partners.view_position",
    "partners.view_organisationnote",
    "core.view_auditevent",
}
EDIT_REGISTRY = {
    "partners.add_organisation",
    "partners.change_organisation",
    "partners.add_person",
    "partners.change_person",
    "partners.add_position",
    "partners.change_position",
    "partners.delete_position",
    "partners.add_organisationnote",
    "partners.change_organisationnote",
}
CURATE_REGISTRY = {
    "partners.delete_organisation",
    "partners.delete_person",
    "partners.delete_organisationnote",
    "partners.merge_organisation",
}


@dataclass(frozen=True)
class RoleDefinition:
    permissions: frozenset[str]
    clearance: int  # highest Confidentiality level readable: 0 pubblico, 1 interno, 2 riservato
    staff: bool = False  # may open Django's admin
    extra: dict[str, Any] = field(default_factory=dict)


ROLE_DEFINITIONS: dict[str, RoleDefinition] = {
    Role.AMMINISTRATORE: RoleDefinition(
        frozenset(VIEW | EDIT_REGISTRY | CURATE_REGISTRY | {"core.add_ente", "core.change_ente"}),
        clearance=2,
        staff=True,
    ),
    Role.UFFICIO: RoleDefinition(frozenset(VIEW | EDIT_REGISTRY | CURATE_REGISTRY), clearance=2),
    Role.CONSIGLIERE: RoleDefinition(frozenset(VIEW | EDIT_REGISTRY), clearance=2),
    Role.SEGRETERIA: RoleDefinition(
        frozenset(VIEW | {"partners.add_organisationnote", "partners.change_organisationnote"}),
        clearance=2,
    ),
    Role.RESPONSABILE: RoleDefinition(frozenset(VIEW), clearance=1),
    Role.REVISORE: RoleDefinition(frozenset(VIEW), clearance=1),
}


def roles_of(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_ponti_roles", None)
    if cached is None:
        cached = [name for name in user.groups.values_list("name", flat=True) if name in ROLE_DEFINITIONS]
        user._ponti_roles = cached
    return cached


def clearance_for_user(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    if user.is_superuser:
        return 2
    levels = [ROLE_DEFINITIONS[r].clearance for r in roles_of(user)]
    return max(levels, default=0)
