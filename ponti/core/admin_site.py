"""The Django admin is the installation operators' tool, never a way around Ponti's services.

Only active superusers may open it. An ente's Amministratore runs the office from Ponti's own
pages and API (`/amministrazione/`, `/api/v1/users`, `/api/v1/enti`), which check the ente and
the clearance of every record; the admin checks neither, so it is closed to everyone else.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class VersionedAdmin(ModelAdmin):  # type: ignore[type-arg]
    """An operator's change is a new version too: a page or API form read before it is then
    refused, never written over it."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            from .services import claim_version  # the admin module loads before the models

            claim_version(obj)
        super().save_model(request, obj, form, change)


class OperatorsAdminSite(AdminSite):
    site_header = _("Ponti: amministrazione dell'installazione")
    site_title = _("Ponti: amministrazione dell'installazione")
    index_title = _("Solo per chi gestisce l'installazione (superutenti)")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models = (
            model_or_iterable
            if isinstance(model_or_iterable, list | tuple)
            else [model_or_iterable]
        )
        from .models import Versioned  # the admin module loads before the models

        for model in models:
            cls = admin_class or ModelAdmin
            if issubclass(model, Versioned) and not issubclass(cls, VersionedAdmin):
                cls = type(cls.__name__, (VersionedAdmin, cls), {})
            super().register(model, cls, **options)


class PontiAdminConfig(AdminConfig):
    """Installed instead of `django.contrib.admin`, so that the admin is the operators' site."""

    default_site = "ponti.core.admin_site.OperatorsAdminSite"
