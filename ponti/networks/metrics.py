"""What networks tell planning: the roles held in city networks, as a metric and a list."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ponti.planning.registry import DoneItem, done_section, metric

from .models import Membership, MembershipRole, RoleKind


def _roles(ente_id: int, year: int) -> Any:
    """Roles other than plain membership held at some time in the year (dates or years only)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    started = (
        Q(start_date__lte=last)
        | Q(start_date__isnull=True, start_year__lte=year)
        | Q(start_date__isnull=True, start_year__isnull=True)
    )
    not_ended = (
        Q(end_date__gte=first)
        | Q(end_date__isnull=True, end_year__gte=year)
        | Q(end_date__isnull=True, end_year__isnull=True)
    )
    return (
        MembershipRole.objects.filter(membership__ente_id=ente_id)
        .exclude(kind=RoleKind.MEMBRO)
        .filter(started, not_ended)
        .select_related("membership__network")
    )


@metric(
    "network_roles",
    label=gettext_lazy("Ruoli ricoperti nelle reti"),
    unit=gettext_lazy("numero"),
    description=gettext_lazy(
        "Ruoli nelle reti di città (comitati, presidenze, gruppi di lavoro) ricoperti nell'anno."
    ),
)
def network_roles(ente_id: int, year: int) -> int:
    return _roles(ente_id, year).count()


@done_section("network_roles", order=40, label=gettext_lazy("Ruoli nelle reti di città"))
def network_roles_done(user: Any, ente_id: int, year: int) -> list[DoneItem]:
    roles = _roles(ente_id, year)
    if user is not None:
        roles = roles.filter(membership__in=Membership.objects.for_user(user))
    items = []
    for role in roles.order_by("membership__network__name", "pk"):
        since = role.start_date.year if role.start_date else role.start_year
        items.append(
            DoneItem(
                title=f"{role.membership.network.name}: {role.get_kind_display()}",
                when=str(gettext_lazy("dal %(year)s") % {"year": since}) if since else "",
                detail=role.detail,
                url=role.membership.get_absolute_url(),
            )
        )
    return items
