"""Downloads: the DUP sheet of an objective, its stato di attuazione, the budget lines as XLSX.

Every role may read them; an objective the user may not see is a 404, before anything is built.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest

from ponti.core.csp import allow_inline_styles
from ponti.core.forms import SearchField
from ponti.core.permissions import get_for_user, visible_queryset

from ..documents import (
    REPORT_FORMATS,
    SHEET_FORMATS,
    Rendered,
    budget_lines_xlsx,
    render_progress_report,
    render_sheet,
)
from ..models import BudgetLine, Objective, Side


def _response(rendered: Rendered, *, inline: bool) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{rendered.filename}"'
    response["Cache-Control"] = "private, no-store"
    if inline:
        # The HTML sheet carries its CSS inline (WeasyPrint prints the same page).
        allow_inline_styles(response, rendered.content.decode("utf-8"))
    return response


@login_required
def objective_sheet(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in SHEET_FORMATS:
        raise Http404
    objective, _can_edit = get_for_user(request.user, Objective, pk)
    return _response(render_sheet(objective, fmt, user=request.user), inline=fmt == "html")


@login_required
def progress_report(request: HttpRequest, pk: int, year: int, fmt: str) -> HttpResponse:
    if fmt not in REPORT_FORMATS:
        raise Http404
    objective, _can_edit = get_for_user(request.user, Objective, pk)
    if year not in objective.years:
        raise Http404
    return _response(
        render_progress_report(objective, year, fmt, user=request.user), inline=fmt == "html"
    )


@login_required
def lines_xlsx(request: HttpRequest) -> HttpResponse:
    lines = visible_queryset(request.user, BudgetLine)
    side = request.GET.get("side", "")
    if side in Side.values:
        lines = lines.filter(side=side)
    objective = request.GET.get("objective", "")
    if _number(objective):
        lines = lines.filter(objective_id=int(objective))
    try:
        search = SearchField(max_length=100).clean(request.GET.get("q", "")[:100])
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain")
    if search:
        lines = lines.filter(Q(number__icontains=search) | Q(description__icontains=search))
    year = request.GET.get("year", "")
    return _response(
        budget_lines_xlsx(lines, year=int(year) if _number(year) else None), inline=False
    )


def _number(text: str) -> bool:
    """ASCII digits a database integer can hold ("²" is a digit to Python, not to int())."""
    return text.isascii() and text.isdigit() and len(text) < 19
