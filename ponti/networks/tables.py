"""The columns of the network memberships' export, which are also the headers the import reads
(`ponti.core.exports`): the first column is the record's ID."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.exports import Column, column, confidentiality_column, ente_column, id_column

from .models import Confidence, Membership, MembershipStatus, RoleKind


def _current_roles(membership: Membership, today: datetime.date | None = None) -> list[Any]:
    return [r.kind for r in membership.current_roles(today or timezone.localdate())]


MEMBERSHIP_COLUMNS: list[Column] = [
    id_column(),
    column("network", _("Rete"), "network.name"),
    column("status", _("Stato"), choices=MembershipStatus.choices),
    column("since_year", _("Aderente dall'anno")),
    column("since", _("Aderente dal")),
    column("until", _("Fino al")),
    column("roles", _("Ruoli in corso"), _current_roles, choices=RoleKind.choices),
    column("confidence", _("Affidabilità dei dati"), choices=Confidence.choices),
    column("notes", _("Note")),
    column("source", _("Fonte")),
    ente_column(),
    confidentiality_column(),
]


def for_export(qs: Any) -> Any:
    """The list's queryset (networks already narrowed to the visible ones)."""
    return qs.select_related("network").prefetch_related("roles")
