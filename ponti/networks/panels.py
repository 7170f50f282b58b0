"""The partner page's "Reti" panel: the ente's membership when the organisation is a network,
and the networks any organisation is a member of."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ponti.core.panels import register
from ponti.partners.models import OrganisationKind

from .models import Membership, NetworkMember


@register("organisation", 20, "networks")
def networks_panel(request: HttpRequest, org: Any) -> tuple[str, dict[str, Any]] | None:
    user = request.user
    if not user.has_perm("networks.view_networkmember"):
        return None
    is_network = org.kind == OrganisationKind.NETWORK
    member_of = list(
        NetworkMember.objects.visible_to(user).filter(member=org).select_related("network")
    )
    if not is_network and not member_of and not user.has_perm("networks.add_networkmember"):
        return None
    context: dict[str, Any] = {
        "org": org,
        "is_network": is_network,
        "member_of": member_of,
        "can_add_member": user.has_perm("networks.add_networkmember"),
        "can_remove_member": user.has_perm("networks.delete_networkmember"),
    }
    if is_network:
        memberships = []
        if user.has_perm("networks.view_membership"):
            memberships = list(
                Membership.objects.for_user(user).filter(network=org).select_related("ente")
            )
        context.update(
            {
                "memberships": memberships,
                "can_add_membership": user.has_perm("networks.add_membership"),
                "members_count": NetworkMember.objects.visible_to(user).filter(network=org).count(),
            }
        )
    return "networks/partials/organisation_panel.html", context
