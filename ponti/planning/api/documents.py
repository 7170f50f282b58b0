"""Documents generated from the data (the DUP sheet, the progress report, the XLSX of the
budget lines, through `planning.tables`) and the import of amounts from the accounting system.

The fixed paths /budget-lines/export (and export.xlsx) and /budget-lines/import are registered before
/budget-lines/{line_id} (budget.py imports this module first), so that they are not read as ids.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.errors import HttpError

from ponti.core.api import ErrorOut, ExportQuery, export_doc
from ponti.core.exports import export_response
from ponti.core.permissions import require
from ponti.partners.schemas import QueryId

from ..models import BudgetAmount
from ..schemas import BudgetLineFilters, QueryYear
from ..tables import BUDGET_LINE_COLUMNS, lines_for_export
from .common import LIST, READ, objective_for, router, user_of

ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"schema": {"type": "string", "format": "binary"}}
UNAVAILABLE = {503: ErrorOut}


class PlanningDocumentQuery(Schema):
    format: Literal["html", "pdf", "odt", "docx"] = "pdf"


def _documents_doc(description: str, types: list[str]) -> dict[str, Any]:
    return {
        "responses": {"200": {"description": description, "content": dict.fromkeys(types, BINARY)}}
    }


def _documents() -> Any:
    """The documents module, imported when used (it pulls WeasyPrint and python-docx)."""
    try:
        from .. import documents
    except ImportError as exc:
        raise HttpError(503, _("La generazione dei documenti non è disponibile.")) from exc
    return documents


def _send(rendered: Any) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    disposition = "inline" if rendered.content_type.startswith("text/html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{rendered.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _render(call: Any) -> HttpResponse:
    try:
        rendered = call()
    except ValueError as exc:
        raise ValidationError({"format": [str(exc) or _("Formato non disponibile.")]}) from exc
    return _send(rendered)


def _export_lines(request: HttpRequest, filters: Any, fmt: str) -> Any:
    from .budget import filtered_lines

    user = user_of(request)
    require(user, "view", BudgetAmount)
    rows = lines_for_export(filtered_lines(user, filters), user, year=filters.year)
    return export_response(
        BUDGET_LINE_COLUMNS, rows, fmt, filename=_("capitoli-di-bilancio"), title=_("Capitoli")
    )


@router.get(
    "/budget-lines/export",
    response={200: None, **LIST},
    openapi_extra=export_doc("I capitoli con i loro importi per anno (o dell'anno `year`)"),
)
def export_budget_lines(
    request: HttpRequest, filters: Query[BudgetLineFilters], export: Query[ExportQuery]
) -> Any:
    return _export_lines(request, filters, export.format)


@router.get(
    "/budget-lines/export.xlsx",
    response={200: None, **LIST},
    openapi_extra=export_doc("I capitoli in XLSX (come /budget-lines/export?format=xlsx)"),
)
def export_budget_lines_xlsx(request: HttpRequest, filters: Query[BudgetLineFilters]) -> Any:
    """The older address of `/budget-lines/export?format=xlsx`."""
    return _export_lines(request, filters, "xlsx")


@router.get(
    "/objectives/{objective_id}/sheet",
    response={200: None, **READ, **UNAVAILABLE},
    openapi_extra=_documents_doc(
        "La scheda DUP dell'obiettivo (strategico e operativo, risorse finanziarie).",
        ["text/html", "application/pdf", ODT, DOCX],
    ),
)
def objective_sheet(
    request: HttpRequest, objective_id: QueryId, params: Query[PlanningDocumentQuery]
) -> Any:
    """The DUP sheet of the objective, in the seed's structure and order, generated now."""
    user = user_of(request)
    objective = objective_for(user, objective_id)
    documents = _documents()
    return _render(lambda: documents.render_sheet(objective, params.format, user=user))


@router.get(
    "/objectives/{objective_id}/progress-report/{year}",
    response={200: None, **READ, **UNAVAILABLE},
    openapi_extra=_documents_doc(
        "Lo stato di attuazione dell'obiettivo nell'anno.",
        ["text/html", "application/pdf", ODT, DOCX],
    ),
)
def objective_progress_report(
    request: HttpRequest,
    objective_id: QueryId,
    year: QueryYear,
    params: Query[PlanningDocumentQuery],
) -> Any:
    """The progress report («stato di attuazione») of the objective for a year of its horizon."""
    user = user_of(request)
    objective = objective_for(user, objective_id)
    if year not in objective.years:
        raise ValidationError(
            {
                "year": [
                    _("L'anno %(year)s è fuori dall'orizzonte dell'obiettivo (%(start)s–%(end)s).")
                    % {"year": year, "start": objective.start_year, "end": objective.end_year}
                ]
            }
        )
    documents = _documents()
    return _render(
        lambda: documents.render_progress_report(objective, year, params.format, user=user)
    )
