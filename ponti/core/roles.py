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
    "agreements.view_agreement",
    "agreements.view_commitment",
    "networks.view_membership",
    "networks.view_membershiprole",
    "networks.view_workinggroup",
    "networks.view_fee",
    "networks.view_networkmember",
    "meetings.view_meeting",
    "meetings.view_visitrequest",
    "meetings.view_followupaction",
    "meetings.view_gift",
    "meetings.view_screeningcriterion",
    "planning.view_objective",
    "planning.view_indicator",
    "planning.view_indicatorvalue",
    "planning.view_budgetline",
    "planning.view_budgetamount",
    "planning.view_movement",
    "planning.view_budgetcode",
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
EDIT_AGREEMENTS = {
    "agreements.add_agreement",
    "agreements.change_agreement",
    "agreements.add_commitment",
    "agreements.change_commitment",
}
# Memberships and their roles, working groups and fees; the members of a network (shared data).
EDIT_NETWORKS = {
    f"networks.{action}_{model}"
    for action in ("add", "change", "delete")
    for model in ("membership", "membershiprole", "workinggroup", "fee", "networkmember")
}
# Meetings, visit requests, follow-up actions and gifts.
EDIT_MEETINGS = {
    f"meetings.{action}_{model}"
    for action in ("add", "change", "delete")
    for model in ("meeting", "participant", "visitrequest", "followupaction", "gift")
}
SCREENING = {f"meetings.{action}_screeningcriterion" for action in ("add", "change", "delete")}
# The plan and its money: only the Responsabile and the Amministratore change them.
EDIT_PLANNING = {
    f"planning.{action}_{model}"
    for action in ("add", "change", "delete")
    for model in (
        "objective",
        "indicator",
        "indicatorvalue",
        "budgetline",
        "budgetamount",
        "movement",
    )
}
# The budget classification is reference data: the Amministratore reloads it.
CLASSIFICATION = {f"planning.{action}_budgetcode" for action in ("add", "change", "delete")}
# The change log of the user's enti (the history of one record is in VIEW): for those who
# answer "who changed what?" across the office.
READ_LOG = {"core.view_auditlog"}
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
        frozenset(
            VIEW
            | EDIT_REGISTRY
            | CURATE_REGISTRY
            | EDIT_AGREEMENTS
            | EDIT_NETWORKS
            | EDIT_MEETINGS
            | SCREENING
            | EDIT_PLANNING
            | CLASSIFICATION
            | READ_LOG
            | {"core.add_ente", "core.change_ente"}
        ),
        clearance=2,
        staff=True,
    ),
    Role.UFFICIO: RoleDefinition(
        frozenset(
            VIEW
            | EDIT_REGISTRY
            | CURATE_REGISTRY
            | EDIT_AGREEMENTS
            | EDIT_NETWORKS
            | EDIT_MEETINGS
            | SCREENING
        ),
        clearance=2,
    ),
    Role.CONSIGLIERE: RoleDefinition(
        frozenset(VIEW | EDIT_REGISTRY | EDIT_AGREEMENTS | EDIT_NETWORKS | EDIT_MEETINGS),
        clearance=2,
    ),
    Role.SEGRETERIA: RoleDefinition(
        frozenset(
            VIEW
            | EDIT_MEETINGS
            | {"partners.add_organisationnote", "partners.change_organisationnote"}
        ),
        clearance=2,
    ),
    Role.RESPONSABILE: RoleDefinition(frozenset(VIEW | EDIT_PLANNING), clearance=1),
    Role.REVISORE: RoleDefinition(frozenset(VIEW | READ_LOG), clearance=1),
}


def roles_of(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_ponti_roles", None)
    if cached is None:
        cached = [
            name for name in user.groups.values_list("name", flat=True) if name in ROLE_DEFINITIONS
        ]
        user._ponti_roles = cached
    return cached


def clearance_for_user(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    if user.is_superuser:
        return 2
    levels = [ROLE_DEFINITIONS[r].clearance for r in roles_of(user)]
    return max(levels, default=0)
