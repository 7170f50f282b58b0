"""Movements: what records charge to a budget line; manual ones added and deleted here."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.errors import HttpError

from ponti.core.permissions import require, visible_queryset
from ponti.partners.schemas import PageQuery, QueryId

from .. import services
from ..models import BudgetLine, Movement
from ..schemas import MovementFilters, MovementIn, MovementOut, MovementPage
from .common import (
    CREATE_UNDER,
    DELETE,
    LIST,
    READ,
    api_errors,
    line_for,
    money,
    page,
    router,
    user_of,
)


def movement_out(m: Movement) -> dict[str, Any]:
    return {
        "id": m.pk,
        "line_id": m.line_id,
        "line_number": m.line.number,
        "year": m.year,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "amount": money(m.amount),
        "day": m.day,
        "description": m.description,
        "source_label": m.source_label,
        "manual": not m.source_id,
        "recorded_by": m.recorded_by.get_username() if m.recorded_by else None,
        "created_at": m.created_at,
    }


def movements_for(user: Any) -> Any:
    require(user, "view", Movement)
    return Movement.objects.filter(line__in=visible_queryset(user, BudgetLine)).select_related(
        "line", "recorded_by"
    )


@router.get("/movements", response={200: MovementPage, **LIST})
def list_movements(request: HttpRequest, filters: Query[MovementFilters]) -> Any:
    """What records (network fees, later grants and missions) and people charged to your lines."""
    qs = movements_for(user_of(request))
    if filters.line_id:
        qs = qs.filter(line_id=filters.line_id)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return page(qs.order_by("-day", "-pk"), filters, movement_out)


@router.get("/budget-lines/{line_id}/movements", response={200: MovementPage, **READ})
def list_line_movements(request: HttpRequest, line_id: QueryId, params: Query[PageQuery]) -> Any:
    user = user_of(request)
    line = line_for(user, line_id)
    return page(movements_for(user).filter(line=line).order_by("-day", "-pk"), params, movement_out)


@router.post("/movements", response={201: MovementOut, **CREATE_UNDER})
def create_movement(request: HttpRequest, payload: MovementIn) -> Any:
    """A manual movement on one of your lines (a line of another ente is 404)."""
    user = user_of(request)
    require(user, "add", Movement)
    line = line_for(user, payload.line_id)
    movement = Movement(
        line=line,
        year=payload.year,
        kind=payload.kind,
        amount=payload.amount,
        description=payload.description,
        recorded_by=user,
    )
    if payload.day is not None:
        movement.day = payload.day
    with api_errors({"line": "line_id"}):
        services.save(movement, user=user)
    return Status(201, movement_out(movement))


@router.delete("/movements/{movement_id}", response={204: None, **DELETE})
def delete_movement(request: HttpRequest, movement_id: QueryId) -> Any:
    """Delete a manual movement; one recorded by another record (e.g. a fee) is changed there (409)."""
    user = user_of(request)
    movement = movements_for(user).filter(pk=movement_id).first()
    if movement is None:
        raise Http404
    require(user, "delete", Movement)
    if movement.source_id:
        raise HttpError(
            409,
            _("Il movimento è registrato da «%(source)s»: modificalo o eliminalo da lì.")
            % {"source": movement.source_label or movement.source_id},
        )
    services.delete(movement, user=user)
    return Status(204, None)
