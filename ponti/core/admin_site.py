"""The Django admin is the installation operators' tool, never a way around Ponti's services.

Only active superusers may open it. An ente's Amministratore runs the office from Ponti's own
pages and API (`/amministrazione/`, `/api/v1/users`, `/api/v1/enti`), which check the ente and
the clearance of every record; the admin checks neither, so it is closed to everyone else.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class OperatorsAdminSite(AdminSite):
    site_header = _("Ponti: amministrazione dell'installazione")
    site_title = _("Ponti: amministrazione dell'installazione")
    index_title = _("Solo per chi gestisce l'installazione (superutenti)")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class PontiAdminConfig(AdminConfig):
    """Installed instead of `django.contrib.admin`, so that the admin is the operators' site."""

    default_site = "ponti.core.admin_site.OperatorsAdminSite"
