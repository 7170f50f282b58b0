"""Who may export, erase and review people's data, and what a reader may see of a record.

Export and review are for the office that answers data subjects (Ufficio, Amministratore);
erasure, which cannot be undone, only for the Amministratore. Roles come from
`ponti.core.roles.roles_of`; a person the user may not see is a 404 before any role check.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from ponti.core.confidentiality import can_see
from ponti.core.permissions import get_for_user
from ponti.core.roles import Role, roles_of

from ..models import Person

EXPORT_ROLES = frozenset({Role.AMMINISTRATORE, Role.UFFICIO})
REVIEW_ROLES = EXPORT_ROLES
ERASE_ROLES = frozenset({Role.AMMINISTRATORE})


def _has_role(user: Any, allowed: frozenset[str]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or set(roles_of(user)) & allowed)


def may_export(user: Any) -> bool:
    return _has_role(user, EXPORT_ROLES)


def may_review(user: Any) -> bool:
    return _has_role(user, REVIEW_ROLES)


def may_erase(user: Any) -> bool:
    return _has_role(user, ERASE_ROLES)


def person_for(user: Any, pk: Any, *, erase: bool = False) -> Person:
    """The person if the user may see them (else 404) and may export (or erase) (else 403)."""
    person, _can_edit = get_for_user(user, Person, pk)
    if not (may_erase(user) if erase else may_export(user)):
        raise PermissionDenied
    return person


def ente_ids(user: Any) -> set[int]:
    cached = getattr(user, "_ponti_gdpr_enti", None)
    if cached is None:
        cached = set(user.enti.values_list("pk", flat=True))
        user._ponti_gdpr_enti = cached
    return cached


def readable(user: Any, obj: models.Model | None, _depth: int = 0) -> bool:
    """May `user` read `obj`: its clearance, its ente, and those of the records it belongs to
    (a signatory is read with its agreement, a participant with its meeting)."""
    if obj is None:
        return False
    if hasattr(obj, "confidentiality") and not can_see(user, obj):
        return False
    ente_id = getattr(obj, "ente_id", None)
    if ente_id is not None and not user.is_superuser and ente_id not in ente_ids(user):
        return False
    parents = getattr(obj, "audit_parents", None)
    if callable(parents) and _depth < 3:
        return all(
            readable(user, parent, _depth + 1)
            for parent in parents()
            if parent is not None and not isinstance(parent, Person)
        )
    return True
