"""The budget classification, budget lines (capitoli) and their amounts per year."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.errors import HttpError

from ponti.core.confidentiality import can_see
from ponti.core.permissions import require, visible_queryset
from ponti.partners.schemas import QueryId

from .. import services
from ..models import BudgetAmount, BudgetCode, BudgetLine, CodeLevel, Side
from ..schemas import (
    BudgetAmountIn,
    BudgetAmountOut,
    BudgetCodeFilters,
    BudgetCodeOut,
    BudgetLineFilters,
    BudgetLineIn,
    BudgetLineOut,
    BudgetLinePage,
    BudgetLinePatch,
    QueryYear,
)
from . import documents as _documents  # noqa: F401 - its fixed /budget-lines/… paths come first
from .common import (
    CREATE,
    DELETE,
    LIST,
    READ,
    UPDATE_VERSIONED,
    api_errors,
    budget_code,
    check_clearance,
    choose_ente,
    line_for,
    money,
    page,
    router,
    stale,
    user_of,
    visible_objectives,
)

RENAME = {
    "ente": "ente_id",
    "titolo": "titolo_code",
    "category": "category_code",
    "programma": "programma_code",
    "objective": "objective_id",
}


def code_out(c: BudgetCode) -> dict[str, Any]:
    return {
        "id": c.pk,
        "level": c.level,
        "level_label": c.get_level_display(),
        "side": c.side,
        "code": c.code,
        "name": c.name,
        "parent_id": c.parent_id,
        "parent_code": c.parent.code if c.parent else None,
    }


def line_out(line: BudgetLine, user: Any = None) -> dict[str, Any]:
    objective = line.objective
    if (
        objective is not None
        and user is not None
        and not (objective.ente_id == line.ente_id and can_see(user, objective))
    ):
        objective = None
    return {
        "id": line.pk,
        "ente_id": line.ente_id,
        "number": line.number,
        "description": line.description,
        "side": line.side,
        "side_label": line.get_side_display(),
        "titolo_code": line.titolo.code,
        "titolo_name": line.titolo.name,
        "category_code": line.category.code if line.category else None,
        "category_name": line.category.name if line.category else None,
        "programma_code": line.programma.code if line.programma else None,
        "programma_name": line.programma.name if line.programma else None,
        "classification": line.classification,
        "objective_id": objective.pk if objective else None,
        "objective_code": objective.code if objective else None,
        "objective_title": objective.title if objective else None,
        "example": line.example,
        "confidentiality": line.confidentiality,
        "version": line.version,
        "created_at": line.created_at,
        "updated_at": line.updated_at,
    }


def amount_out(a: BudgetAmount, warnings: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": a.pk,
        "line_id": a.line_id,
        "year": a.year,
        "initial": money(a.initial),
        "revised": money(a.revised),
        "forecast": money(a.forecast),
        "committed": money(a.committed),
        "cashed": money(a.cashed),
        "source": a.source,
        "warnings": a.warnings() if warnings is None else warnings,
        "version": a.version,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def lines_for(user: Any) -> Any:
    return visible_queryset(user, BudgetLine).select_related(
        "titolo", "category", "programma", "objective"
    )


def _apply(line: BudgetLine, data: dict[str, Any], user: Any) -> None:
    """Set the fields sent on `line`, resolving codes and ids; 422 names the API field."""
    errors: dict[str, list[str]] = {}
    side = data.get("side") or line.side or None
    if "titolo_code" in data:
        line.titolo = budget_code(
            "titolo_code", data.pop("titolo_code"), [CodeLevel.TITOLO], errors, side
        )  # type: ignore[assignment]
    if "category_code" in data:
        line.category = budget_code(
            "category_code",
            data.pop("category_code"),
            [CodeLevel.TIPOLOGIA, CodeLevel.MACROAGGREGATO],
            errors,
            side,
        )
    if "programma_code" in data:
        line.programma = budget_code(
            "programma_code", data.pop("programma_code"), [CodeLevel.PROGRAMMA], errors
        )
    if "objective_id" in data:
        objective_id = data.pop("objective_id")
        objective = None
        if objective_id is not None:
            objective = (
                visible_objectives(user).filter(pk=objective_id, ente_id=line.ente_id).first()
            )
            if objective is None:
                errors.setdefault("objective_id", []).append(
                    _("Nessun obiettivo dell'ente con ID %(id)s.") % {"id": objective_id}
                )
        line.objective = objective
    check_clearance(user, data.get("confidentiality"), errors)
    if errors:
        raise ValidationError(errors)
    for key, value in data.items():
        setattr(line, key, value)


@router.get("/budget-codes", response={200: list[BudgetCodeOut], **LIST})
def list_budget_codes(request: HttpRequest, filters: Query[BudgetCodeFilters]) -> Any:
    """The budget classification of D.Lgs. 118/2011: Missioni, Programmi, Titoli, Tipologie, Macroaggregati."""
    require(user_of(request), "view", BudgetCode)
    qs = BudgetCode.objects.select_related("parent")
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.side:
        qs = qs.filter(side=filters.side)
    return [code_out(c) for c in qs.order_by("side", "level", "code")]


@router.get("/budget-lines", response={200: BudgetLinePage, **LIST})
def list_budget_lines(request: HttpRequest, filters: Query[BudgetLineFilters]) -> Any:
    """The budget lines of your enti, entrata then spesa, by number."""
    user = user_of(request)
    qs = filtered_lines(user, filters)
    return page(qs, filters, lambda line: line_out(line, user))


def filtered_lines(user: Any, filters: BudgetLineFilters) -> Any:
    """The lines of the list and of its export (`documents`), filtered, in the list's order."""
    qs = lines_for(user)
    if filters.side:
        qs = qs.filter(side=filters.side)
    if filters.ente_id:
        qs = qs.filter(ente_id=filters.ente_id)
    if filters.objective_id:
        qs = qs.filter(objective_id=filters.objective_id)
    if filters.year:
        qs = qs.filter(amounts__year=filters.year)
    return qs.order_by("side", "number", "pk")


@router.post("/budget-lines", response={201: BudgetLineOut, **CREATE})
def create_budget_line(request: HttpRequest, payload: BudgetLineIn) -> Any:
    """A capitolo: Titolo and Tipologia (entrata) or Macroaggregato and Programma (spesa)."""
    user = user_of(request)
    require(user, "add", BudgetLine)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    ente = choose_ente(user, data.pop("ente_id"), errors, BudgetLine)
    if errors:
        raise ValidationError(errors)
    line = BudgetLine(ente=ente)
    with api_errors(RENAME):
        _apply(line, data, user)
        services.save(line, user=user)
    return Status(201, line_out(line, user))


@router.get("/budget-lines/{line_id}", response={200: BudgetLineOut, **READ})
def get_budget_line(request: HttpRequest, line_id: QueryId) -> Any:
    user = user_of(request)
    return line_out(line_for(user, line_id), user)


@router.patch("/budget-lines/{line_id}", response={200: BudgetLineOut, **UPDATE_VERSIONED})
def update_budget_line(request: HttpRequest, line_id: QueryId, payload: BudgetLinePatch) -> Any:
    """Change only the fields sent; `version` is the one you read (409 if someone saved since)."""
    user = user_of(request)
    line = line_for(user, line_id, "change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(line, version)
    for key in ("number", "description", "side", "titolo_code", "example", "confidentiality"):
        if key in data and data[key] is None:
            raise ValidationError({key: [_("Questo campo non può essere nullo.")]})
    with api_errors(RENAME):
        _apply(line, data, user)
        if line.side == Side.ENTRATA and "programma_code" not in data and "side" in data:
            line.programma = None
        services.save(line, user=user, expected_version=version)
    return line_out(line, user)


@router.delete("/budget-lines/{line_id}", response={204: None, **DELETE})
def delete_budget_line(request: HttpRequest, line_id: QueryId) -> Any:
    """Delete the line with its amounts: refused (409) while records charge it with movements."""
    user = user_of(request)
    line = line_for(user, line_id, "delete")
    try:
        services.delete(line, user=user)
    except ProtectedError as exc:
        raise HttpError(
            409, _("Il capitolo ha movimenti registrati: eliminali o spostali prima.")
        ) from exc
    return Status(204, None)


@router.get("/budget-lines/{line_id}/amounts", response={200: list[BudgetAmountOut], **READ})
def list_amounts(request: HttpRequest, line_id: QueryId) -> Any:
    """The line's figures per year, each with its warnings."""
    user = user_of(request)
    line = line_for(user, line_id)
    require(user, "view", BudgetAmount)
    return [amount_out(a) for a in line.amounts.select_related("line").order_by("year")]


@router.put(
    "/budget-lines/{line_id}/amounts/{year}",
    response={200: BudgetAmountOut, 201: BudgetAmountOut, **UPDATE_VERSIONED},
)
def put_amount(
    request: HttpRequest, line_id: QueryId, year: QueryYear, payload: BudgetAmountIn
) -> Any:
    """Create (201) or replace (200, with the `version` read) the year's figures.

    An impegnato or accertato over the previsione is saved, and listed in `warnings`.
    """
    user = user_of(request)
    line = line_for(user, line_id)
    data = payload.dict()
    version = data.pop("version")
    amount = BudgetAmount.objects.filter(line=line, year=year).first()
    created = amount is None
    if amount is None:
        require(user, "add", BudgetAmount)
        amount = BudgetAmount(line=line, year=year)
    else:
        require(user, "change", BudgetAmount)
        if version is None:
            raise ValidationError(
                {"version": [_("L'anno ha già importi: indica la versione letta.")]}
            )
        stale(amount, version)
    for key, value in data.items():
        setattr(amount, key, value)
    with api_errors({"line": "line_id"}):
        warnings = services.save_amount(
            amount, user=user, expected_version=None if created else version
        )
    return Status(201 if created else 200, amount_out(amount, warnings))
