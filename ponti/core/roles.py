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
    "agreements.view_knownbond",
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
    "opportunities.view_opportunity",
    "opportunities.view_deadline",
    "opportunities.view_decisionrecord",
    "opportunities.view_programme",
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
    "agreements.add_knownbond",
    "agreements.change_knownbond",
    "agreements.delete_knownbond",
    "agreements.change_agreement",
    "agreements.add_commitment",
    "agreements.change_commitment",
}
# Removing an agreement entered by mistake (the change log keeps it): the Amministratore alone.
DELETE_AGREEMENTS = {"agreements.delete_agreement"}
# Calls, partner searches and events the office follows, their deadlines and decision.
EDIT_OPPORTUNITIES = {
    f"opportunities.{action}_{model}"
    for action in ("add", "change")
    for model in ("opportunity", "deadline")
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
# Running the ente's own office: its users, their roles and clearances, its child enti, the log.
ADMINISTER = {
    "core.add_ente",
    "core.change_ente",
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_membership",
    "accounts.add_membership",
    "accounts.change_membership",
    "accounts.delete_membership",
    "accounts.view_apitoken",
    "accounts.change_apitoken",
}
# Answering data subjects (GDPR): exporting and reviewing; erasure cannot be undone.
DATA_PROTECTION = {"partners.export_person", "partners.review_person"}
ERASURE = {"partners.erase_person"}
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
    clearance: int  # the default (and highest) level readable: 0 pubblico, 1 interno, 2 riservato
    extra: dict[str, Any] = field(default_factory=dict)


ROLE_DEFINITIONS: dict[str, RoleDefinition] = {
    Role.AMMINISTRATORE: RoleDefinition(
        frozenset(
            VIEW
            | EDIT_REGISTRY
            | CURATE_REGISTRY
            | EDIT_AGREEMENTS
            | DELETE_AGREEMENTS
            | EDIT_OPPORTUNITIES
            | EDIT_NETWORKS
            | EDIT_MEETINGS
            | SCREENING
            | EDIT_PLANNING
            | CLASSIFICATION
            | ADMINISTER
            | DATA_PROTECTION
            | ERASURE
            | READ_LOG
        ),
        clearance=2,
    ),
    Role.UFFICIO: RoleDefinition(
        frozenset(
            VIEW
            | EDIT_REGISTRY
            | CURATE_REGISTRY
            | EDIT_AGREEMENTS
            | EDIT_OPPORTUNITIES
            | EDIT_NETWORKS
            | EDIT_MEETINGS
            | SCREENING
            | DATA_PROTECTION
        ),
        clearance=2,
    ),
    Role.CONSIGLIERE: RoleDefinition(
        frozenset(
            VIEW
            | EDIT_REGISTRY
            | EDIT_AGREEMENTS
            | EDIT_OPPORTUNITIES
            | EDIT_NETWORKS
            | EDIT_MEETINGS
        ),
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


# --- a user's memberships: a role and a clearance in each ente ---------------------------


def memberships_of(user: Any) -> dict[int, tuple[str, int]]:
    """{ente id: (role, clearance level)} of an active user, read once per user object.

    The user object lives as long as a request (or a command's loop), so pages that ask
    many times read the memberships once. `forget_memberships(user)` drops the copy.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return {}
    cached = getattr(user, "_ponti_memberships", None)
    if cached is None:
        from .confidentiality import CONFIDENTIALITY_LEVELS

        cached = {
            ente_id: (role, CONFIDENTIALITY_LEVELS.get(level, 0))
            for ente_id, role, level in user.memberships.values_list("ente_id", "role", "clearance")
            if role in ROLE_DEFINITIONS
        }
        user._ponti_memberships = cached
    return cached


def forget_memberships(user: Any) -> None:
    for name in ("_ponti_memberships", "_ponti_ente_ids"):
        if hasattr(user, name):
            delattr(user, name)


def ente_ids_of(user: Any) -> set[int]:
    """The enti whose relation records the user reads."""
    return set(memberships_of(user))


def roles_of(user: Any) -> list[str]:
    """Every role the user holds, in any ente (for menus; decisions on a record use `role_in`)."""
    return sorted({role for role, _level in memberships_of(user).values()})


def role_in(user: Any, ente_id: int | None) -> str | None:
    if ente_id is None:
        return None
    found = memberships_of(user).get(ente_id)
    return found[0] if found else None


def clearance_in(user: Any, ente_id: int | None) -> int:
    """The highest level the user reads among the records of one ente (-1: none of them)."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return 2
    found = memberships_of(user).get(ente_id) if ente_id is not None else None
    return found[1] if found else -1


def clearance_for_user(user: Any) -> int:
    """The highest level the user reads in any ente: the clearance for the shared registry."""
    if not getattr(user, "is_authenticated", False):
        return 0
    if user.is_superuser and user.is_active:
        return 2
    return max((level for _role, level in memberships_of(user).values()), default=0)


def enti_by_clearance(user: Any) -> dict[int, list[int]]:
    """{clearance level: [ente ids]}: what a per-ente filter needs."""
    grouped: dict[int, list[int]] = {}
    for ente_id, (_role, level) in memberships_of(user).items():
        grouped.setdefault(level, []).append(ente_id)
    return grouped


def permissions_of(user: Any, ente_id: int | None = None) -> frozenset[str]:
    """The permissions of the user's role in `ente_id`, or of all their roles with None."""
    memberships = memberships_of(user)
    if ente_id is not None:
        found = memberships.get(ente_id)
        return ROLE_DEFINITIONS[found[0]].permissions if found else frozenset()
    out: set[str] = set()
    for role, _level in memberships.values():
        out |= ROLE_DEFINITIONS[role].permissions
    return frozenset(out)


def users_with_role(ente_id: int, roles: list[str]) -> Any:
    """The active users holding one of `roles` in the ente (e.g. who answers for its alerts)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__ente_id=ente_id, memberships__role__in=list(roles)
        )
        .distinct()
    )
