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
