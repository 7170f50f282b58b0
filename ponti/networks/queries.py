"""Queries the pages and the API share: the networks a user may pick, and "already our partner"."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from ponti.core.confidentiality import can_see
from ponti.core.models import ente_clearance_q
from ponti.core.permissions import get_for_user, visible_queryset
from ponti.partners.models import Organisation, OrganisationKind


def networks_for(user: Any) -> QuerySet[Organisation]:
    """The registry's networks the user may see."""
    return (
        visible_queryset(user, Organisation).filter(kind=OrganisationKind.NETWORK).order_by("name")
    )


def partner_of_user(user: Any, outer: str = "pk") -> Exists:
    """Whether the organisation (`outer` names its id) has an agreement with one of the user's enti.

    Read through the registry's `agreements` relation: networks does not import agreements.
    Agreements above the user's clearance do not count, so that the filter does not reveal them.
    """
    # Each agreement within the user's clearance in its own ente.
    visible = ente_clearance_q(user, prefix="agreements__") if user.is_authenticated else None
    if visible is None:
        return Exists(Organisation.objects.none())
    return Exists(Organisation.objects.filter(visible, pk=OuterRef(outer)))


def membership_for(user: Any, pk: Any, *, action: str = "view") -> tuple[Any, bool]:
    """The membership, if the user may see it and its network; and whether they may change it."""
    from .models import Membership

    membership, can_edit = get_for_user(user, Membership, pk, action=action)
    if not can_see(user, membership.network):
        raise Http404
    return membership, can_edit
