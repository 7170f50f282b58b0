"""Network memberships of an ente: since when, roles over time, working groups, yearly fees.

A network is an Organisation of kind "network" in the shared registry; its other members
are registry organisations too (`NetworkMember`), explored as potential partners.
Dates are kept only as precise as the source: a year stays a year (`*_year`), a day is a date.
"""

from .members import NetworkMember, NetworkMemberQuerySet
from .memberships import (
    NETWORKS,
    YEAR,
    Confidence,
    Membership,
    MembershipQuerySet,
    MembershipStatus,
)
from .parts import (
    Fee,
    FeeQuerySet,
    MembershipPart,
    MembershipPartQuerySet,
    MembershipRole,
    RoleKind,
    WorkingGroup,
)

__all__ = [
    "NETWORKS",
    "YEAR",
    "Confidence",
    "Fee",
    "FeeQuerySet",
    "Membership",
    "MembershipPart",
    "MembershipPartQuerySet",
    "MembershipQuerySet",
    "MembershipRole",
    "MembershipStatus",
    "NetworkMember",
    "NetworkMemberQuerySet",
    "RoleKind",
    "WorkingGroup",
]
