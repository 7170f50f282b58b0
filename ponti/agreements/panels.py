"""The partner page's "Accordi" panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ponti.core.panels import register

from .models import Agreement


@register("organisation", 10, "agreements")
def agreements_panel(request: HttpRequest, org: Any) -> tuple[str, dict[str, Any]] | None:
    if not request.user.has_perm("agreements.view_agreement"):
        return None
    agreements = (
        Agreement.objects.for_user(request.user)
        .filter(partners=org)
        .order_by("-signed_on", "title")
    )
    return "agreements/partials/organisation_panel.html", {
        "agreements": agreements,
        "org": org,
        "can_add": request.user.has_perm("agreements.add_agreement"),
    }


@register("organisation", 12, "known_bonds")
def known_bonds_panel(request: HttpRequest, org: Any) -> tuple[str, dict[str, Any]] | None:
    """Bonds with other cities known from public lists: facts, not the ente's agreements."""
    if not request.user.has_perm("agreements.view_knownbond"):
        return None
    from .bonds import KnownBond

    bonds = list(
        KnownBond.objects.visible_to(request.user).of(org).select_related("first", "second")
    )
    if not bonds:
        return None
    return "agreements/partials/bonds_panel.html", {
        "bonds": [(b, b.other(org)) for b in bonds],
        "org": org,
    }
