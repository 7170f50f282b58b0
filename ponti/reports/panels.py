"""The partner page's "Dossier" panel: download the briefing dossier (PDF or DOCX, it or en)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ponti.core.panels import register


@register("organisation", 90, "dossier")
def dossier_panel(request: HttpRequest, org: Any) -> tuple[str, dict[str, Any]] | None:
    if not request.user.has_perm("partners.view_organisation"):
        return None
    return "reports/partials/dossier_panel.html", {"org": org}
