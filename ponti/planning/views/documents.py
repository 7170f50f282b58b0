"""Downloads: the DUP sheet of an objective, its stato di attuazione, the budget lines as XLSX
(the older address of the list's export, `planning.tables`).

Every role may read them; an objective the user may not see is a 404, before anything is built.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from ponti.core.csp import allow_inline_styles
from ponti.core.permissions import get_for_user
from ponti.core.typing import AuthedRequest

from ..documents import (
    REPORT_FORMATS,
    SHEET_FORMATS,
    Rendered,
    render_progress_report,
    render_sheet,
)
from ..models import Objective
from .budget import line_list


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
def lines_xlsx(request: AuthedRequest) -> HttpResponseBase:
    """The older address of the budget lines as XLSX: the list's own export, same filters."""
    query = request.GET.copy()
    query["export"] = "xlsx"
    request.GET = query  # type: ignore[assignment]
    return line_list(request)
