"""Who runs which ente: an Amministratore runs the enti where they hold that role and every
ente under them (the metropolitan city runs its comuni); superusers run every ente.

Every page and API operation of the office (`/gestione/`, `/api/v1/users`, `/api/v1/enti`)
asks these questions, and nothing else, before it shows or changes a user or an ente.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ponti.core.ids import parse_id
from ponti.core.models import Ente
from ponti.core.roles import memberships_of, permissions_of

from .models import Membership, User

ADMINISTER = "accounts.change_membership"


def administered_ente_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_ponti_administered", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        ids = set(Ente.objects.values_list("pk", flat=True))
    else:
        ids = set()
        for ente_id in memberships_of(user):
            if ADMINISTER in permissions_of(user, ente_id) and ente_id not in ids:
                ids |= Ente.objects.get(pk=ente_id).descendant_ids()
    user._ponti_administered = ids
    return ids


def may_administer(user: Any) -> bool:
    return bool(administered_ente_ids(user))


def require_office(user: Any) -> None:
    if not may_administer(user):
        raise PermissionDenied


def administered_enti(user: Any) -> QuerySet[Ente]:
    return Ente.objects.filter(pk__in=administered_ente_ids(user)).order_by("name")


def ente_for(user: Any, pk: Any) -> Ente:
    """An ente the user runs, or 404 (another ente's existence is not disclosed)."""
    require_office(user)
    ente = Ente.objects.filter(pk=key).first() if (key := parse_id(pk)) else None
    if ente is None or ente.pk not in administered_ente_ids(user):
        raise Http404
    return ente


def users_for(user: Any) -> QuerySet[User]:
    """The users with a place in an ente the user runs (superusers: every user)."""
    if getattr(user, "is_superuser", False):
        return User.objects.all()
    return User.objects.filter(memberships__ente_id__in=administered_ente_ids(user)).distinct()


def user_for(user: Any, pk: Any) -> User:
    require_office(user)
    found = users_for(user).filter(pk=key).first() if (key := parse_id(pk)) else None
    if found is None:
        raise Http404
    return found


def runs_whole_account(admin: Any, target: Any) -> bool:
    """Whether `admin` runs every ente `target` belongs to: only then may they deactivate the
    account or reset its password, which reach beyond one ente. Superusers are run by
    superusers only."""
    if target.is_superuser and not admin.is_superuser:
        return False
    enti = set(Membership.objects.filter(user=target).values_list("ente_id", flat=True))
    return enti <= administered_ente_ids(admin)
