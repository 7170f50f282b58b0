"""Objectives: list, retrieve (with ancestors and children), create, replace or change (with the
version read: 409 if stale), delete (refused while it has children or budget lines), totals and
history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.errors import HttpError

from ponti.core.audit import event_out
from ponti.core.confidentiality import can_see
from ponti.core.models import AuditEvent
from ponti.core.permissions import require
from ponti.partners.schemas import HistoryPage, PageQuery, QueryId

from .. import services
from ..models import CodeLevel, Objective
from ..schemas import (
    ObjectiveDetailOut,
    ObjectiveFilters,
    ObjectiveIn,
    ObjectivePage,
    ObjectivePatch,
    ObjectivePut,
    TotalsOut,
)
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
    money,
    objective_for,
    page,
    router,
    stale,
    user_of,
    visible_objectives,
)

RENAME = {
    "parent": "parent_id",
    "ente": "ente_id",
    "missione": "missione_code",
    "programma": "programma_code",
    "responsible_user": "responsible_user_id",
}


def summary_out(o: Objective) -> dict[str, Any]:
    return {
        "id": o.pk,
        "level": o.level,
        "level_label": o.get_level_display(),
        "code": o.code,
        "title": o.title,
    }


def objective_out(o: Objective, user: Any = None) -> dict[str, Any]:
    parent_visible = o.parent_id is not None and (
        user is None or (o.parent is not None and can_see(user, o.parent))
    )
    return {
        "id": o.pk,
        "ente_id": o.ente_id,
        "level": o.level,
        "level_label": o.get_level_display(),
        "parent_id": o.parent_id if parent_visible else None,
        "code": o.code,
        "title": o.title,
        "mandate": o.mandate,
        "responsible": o.responsible,
        "responsible_user_id": o.responsible_user_id,
        "responsible_name": o.responsible_name,
        "description": o.description,
        "missione_code": o.missione.code if o.missione else None,
        "missione_name": o.missione.name if o.missione else None,
        "programma_code": o.programma.code if o.programma else None,
        "programma_name": o.programma.name if o.programma else None,
        "start_year": o.start_year,
        "end_year": o.end_year,
        "years": o.years,
        "position": o.position,
        "confidentiality": o.confidentiality,
        "version": o.version,
        "created_at": o.created_at,
        "updated_at": o.updated_at,
    }


def detail_out(o: Objective, user: Any) -> dict[str, Any]:
    # The tree stays within one ente (Objective.clean): only the clearance filters ancestors.
    return {
        **objective_out(o, user),
        "ancestors": [summary_out(a) for a in o.ancestors() if can_see(user, a)],
        "children": [
            summary_out(c)
            for c in visible_objectives(user).filter(parent=o).order_by("position", "code", "title")
        ],
    }


def _objectives(user: Any) -> Any:
    return visible_objectives(user).select_related(
        "parent", "missione", "programma", "responsible_user"
    )


def _apply(objective: Objective, data: dict[str, Any], user: Any) -> None:
    """Set the fields sent on `objective`, resolving ids and codes; 422 names the API field."""
    errors: dict[str, list[str]] = {}
    if "parent_id" in data:
        parent_id = data.pop("parent_id")
        parent = None
        if parent_id is not None:
            parent = visible_objectives(user).filter(pk=parent_id).first()
            if parent is None:
                errors.setdefault("parent_id", []).append(
                    _("Nessun obiettivo con ID %(id)s.") % {"id": parent_id}
                )
        objective.parent = parent
    if "missione_code" in data:
        objective.missione = budget_code(
            "missione_code", data.pop("missione_code"), [CodeLevel.MISSIONE], errors
        )
    if "programma_code" in data:
        objective.programma = budget_code(
            "programma_code", data.pop("programma_code"), [CodeLevel.PROGRAMMA], errors
        )
    if "responsible_user_id" in data:
        user_id = data.pop("responsible_user_id")
        responsible = None
        if user_id is not None:
            responsible = (
                get_user_model().objects.filter(pk=user_id, enti=objective.ente_id).first()
            )
            if responsible is None:
                errors.setdefault("responsible_user_id", []).append(
                    _("Nessun utente dell'ente con ID %(id)s.") % {"id": user_id}
                )
        objective.responsible_user = responsible
    check_clearance(user, data.get("confidentiality"), errors)
    if errors:
        raise ValidationError(errors)
    for key, value in data.items():
        setattr(objective, key, value)


@router.get("/objectives", response={200: ObjectivePage, **LIST})
def list_objectives(request: HttpRequest, filters: Query[ObjectiveFilters]) -> Any:
    """The objectives of your enti, in the tree's order (position, code, title)."""
    user = user_of(request)
    qs = _objectives(user)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent_id:
        qs = qs.filter(parent_id=filters.parent_id)
    if filters.code:
        qs = qs.filter(code=filters.code)
    return page(
        qs.order_by("position", "code", "title", "pk"), filters, lambda o: objective_out(o, user)
    )


@router.post("/objectives", response={201: ObjectiveDetailOut, **CREATE})
def create_objective(request: HttpRequest, payload: ObjectiveIn) -> Any:
    """A node of the tree: indirizzo, strategico, operativo (e.g. 1901/0159) or attività."""
    user = user_of(request)
    require(user, "add", Objective)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    ente = choose_ente(user, data.pop("ente_id"), errors, Objective)
    if errors:
        raise ValidationError(errors)
    objective = Objective(ente=ente)
    with api_errors(RENAME):
        _apply(objective, data, user)
        services.save(objective, user=user)
    return Status(201, detail_out(objective, user))


@router.get("/objectives/{objective_id}", response={200: ObjectiveDetailOut, **READ})
def get_objective(request: HttpRequest, objective_id: QueryId) -> Any:
    user = user_of(request)
    return detail_out(objective_for(user, objective_id), user)


@router.put("/objectives/{objective_id}", response={200: ObjectiveDetailOut, **UPDATE_VERSIONED})
def replace_objective(request: HttpRequest, objective_id: QueryId, payload: ObjectivePut) -> Any:
    """Every field, as in a creation; `version` is the one you read (409 if someone saved since)."""
    user = user_of(request)
    objective = objective_for(user, objective_id, "change")
    data = payload.dict()
    version = data.pop("version")
    stale(objective, version)
    with api_errors(RENAME):
        _apply(objective, data, user)
        services.save(objective, user=user, expected_version=version)
    return detail_out(objective, user)


@router.patch("/objectives/{objective_id}", response={200: ObjectiveDetailOut, **UPDATE_VERSIONED})
def update_objective(request: HttpRequest, objective_id: QueryId, payload: ObjectivePatch) -> Any:
    """Change only the fields sent; `version` is the one you read (409 if someone saved since)."""
    user = user_of(request)
    objective = objective_for(user, objective_id, "change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(objective, version)
    for key in (
        "level",
        "code",
        "title",
        "mandate",
        "responsible_name",
        "description",
        "start_year",
        "end_year",
        "position",
        "confidentiality",
    ):
        if key in data and data[key] is None:
            raise ValidationError({key: [_("Questo campo non può essere nullo.")]})
    with api_errors(RENAME):
        _apply(objective, data, user)
        services.save(objective, user=user, expected_version=version)
    return detail_out(objective, user)


@router.delete("/objectives/{objective_id}", response={204: None, **DELETE})
def delete_objective(request: HttpRequest, objective_id: QueryId) -> Any:
    """Delete an objective with its indicators: refused (409) while it has sub-objectives or budget lines."""
    user = user_of(request)
    objective = objective_for(user, objective_id, "delete")
    try:
        services.delete(objective, user=user)
    except ProtectedError as exc:
        raise HttpError(
            409,
            _(
                "L'obiettivo ha obiettivi sottostanti o capitoli di bilancio collegati: "
                "eliminali o spostali prima."
            ),
        ) from exc
    return Status(204, None)


@router.get("/objectives/{objective_id}/totals", response={200: TotalsOut, **READ})
def objective_totals(request: HttpRequest, objective_id: QueryId) -> Any:
    """Totali Entrata and Totali Spesa per year of the objective, with the objectives under it."""
    user = user_of(request)
    objective = objective_for(user, objective_id)
    result = services.objective_totals(objective, user)

    def side(values: dict[int, Any]) -> list[dict[str, Any]]:
        return [
            {
                "year": year,
                "initial": money(t.initial),
                "forecast": money(t.forecast),
                "committed": money(t.committed),
                "cashed": money(t.cashed),
                "movements": money(t.movements),
            }
            for year, t in sorted(values.items())
        ]

    return {
        "objective_id": objective.pk,
        "years": result.years,
        "example": result.example,
        "entrata": side(result.entrata),
        "spesa": side(result.spesa),
    }


@router.get("/objectives/{objective_id}/history", response={200: HistoryPage, **READ})
def objective_history(request: HttpRequest, objective_id: QueryId, params: Query[PageQuery]) -> Any:
    """Read-only audit trail of the objective, its indicators and values, its lines' amounts."""
    user = user_of(request)
    objective = objective_for(user, objective_id)
    require(user, "view", AuditEvent)
    return page(
        AuditEvent.objects.for_object(objective).visible_to(user),
        params,
        lambda e: event_out(e, user),
    )
