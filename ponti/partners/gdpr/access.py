"""Who may export, erase and review people's data, and what a reader may see of a record.

Export and review are for the office that answers data subjects (Ufficio, Amministratore);
erasure, which cannot be undone, only for the Amministratore: the permissions
`partners.export_person`, `review_person`, `erase_person` of `ponti.core.roles`. A person the
user may not see is a 404 before any permission check.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from ponti.core.confidentiality import can_see
from ponti.core.permissions import can, get_for_user
from ponti.core.roles import ente_ids_of

from ..models import Person


def may_export(user: Any) -> bool:
    return can(user, "export", Person)


def may_review(user: Any) -> bool:
    return can(user, "review", Person)


def may_erase(user: Any) -> bool:
    return can(user, "erase", Person)


def person_for(user: Any, pk: Any, *, erase: bool = False) -> Person:
    """The person if the user may see them (else 404) and may export (or erase) (else 403)."""
    person, _can_edit = get_for_user(user, Person, pk)
    if not (may_erase(user) if erase else may_export(user)):
        raise PermissionDenied
    return person


def ente_ids(user: Any) -> set[int]:
    return ente_ids_of(user)


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
