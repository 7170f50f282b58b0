from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .audit_log import AuditFilterForm, csv_lines, filtered_events, require_log_reader


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
def audit_log(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The trail for its readers (administrators, auditors): who changed what, when, from
    where; only events of the reader's enti and clearance. `?export=csv` streams the filtered
    log."""
    require_log_reader(request.user)
    filters = AuditFilterForm(request.GET or None, reader=request.user)
    valid = not filters.is_bound or filters.is_valid()
    events = filtered_events(request.user, filters.cleaned_data if filters.is_bound else {})
    if not valid:
        events = events.none()  # the errors say why: an unfiltered log would mislead
    if request.GET.get("export") == "csv" and valid:
        response = StreamingHttpResponse(
            csv_lines(events, request.user), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="registro-modifiche-{stamp}.csv"'
        return response
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )
