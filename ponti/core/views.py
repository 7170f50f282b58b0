from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .models import AuditEvent


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


class AccessibilityView(TemplateView):
    template_name = "core/accessibility.html"


class PrivacyView(TemplateView):
    template_name = "core/privacy.html"


def theme_font(request: HttpRequest, path: str) -> HttpResponse:
    """The theme's base template asks for fonts at a fixed path: send it to the real files."""
    return HttpResponseRedirect(static(f"fonts/{path}"))


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole trail, for administrators: who changed what, when."""
    if not request.user.is_superuser and not request.user.has_perm("core.change_ente"):
        raise PermissionDenied
    page = Paginator(
        AuditEvent.objects.visible_to(request.user).select_related("actor", "content_type"), 50
    ).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})
