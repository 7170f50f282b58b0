"""Gifts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status

from ponti.core.api import ConflictOut, ExportQuery, export_doc, stale
from ponti.core.confidentiality import visible_levels
from ponti.core.exports import export_response
from ponti.core.permissions import require, visible_queryset
from ponti.partners.schemas import QueryId

from .. import services
from ..models import Gift
from ..schemas import (
    GiftFilters,
    GiftIn,
    GiftOut,
    GiftPage,
    GiftPatch,
)
from ..tables import GIFT_COLUMNS, gifts_for_export
from .common import (
    LIST,
    READ,
    WRITE,
    _check_level,
    _ente,
    _not_null,
    _renamed,
    _user,
    _visible_meeting_for,
    _visible_org,
    router,
)

# --- gifts ------------------------------------------------------------------------------------


def _gift_out(g: Gift) -> dict[str, Any]:
    return {
        "id": g.pk,
        "ente_id": g.ente_id,
        "meeting_id": g.meeting_id,
        "counterpart_id": g.counterpart_id,
        "direction": g.direction,
        "description": g.description,
        "estimated_value": float(g.estimated_value) if g.estimated_value is not None else None,
        "kept_at": g.kept_at,
        "given_on": g.given_on,
        "over_threshold": g.over_threshold,
        "confidentiality": g.confidentiality,
        "version": g.version,
    }


def _gifts(user: Any) -> QuerySet[Gift]:
    levels = visible_levels(user)
    return (
        visible_queryset(user, Gift)
        .filter(Q(meeting__isnull=True) | Q(meeting__confidentiality__in=levels))
        .filter(Q(counterpart__isnull=True) | Q(counterpart__confidentiality__in=levels))
        .select_related("ente")
    )


def _gift_fields(user: Any, gift: Gift, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if "meeting_id" in data:
        gift.meeting = _visible_meeting_for(
            user, data.pop("meeting_id"), gift.ente if gift.ente_id else None, errors
        )
    if "counterpart_id" in data:
        gift.counterpart = _visible_org(user, data.pop("counterpart_id"), "counterpart_id", errors)
    if "estimated_value" in data:
        # Already a Decimal with two places (ApiAmount): never rounded here.
        gift.estimated_value = data.pop("estimated_value")
    _check_level(user, data, errors)
    for key, value in data.items():
        setattr(gift, key, str(value) if key in {"direction", "confidentiality"} else value)


def _save_gift(gift: Gift, user: Any, version: int | None = None) -> None:
    try:
        services.save_gift(gift, user=user, expected_version=version)
    except ValidationError as exc:
        raise _renamed(exc, {"meeting": "meeting_id", "counterpart": "counterpart_id"}) from exc


def _filtered(user: Any, qs: Any, filters: GiftFilters) -> Any:
    """The records of the list and of its export, filtered."""
    if filters.direction:
        qs = qs.filter(direction=str(filters.direction))
    if filters.ente_id:
        qs = qs.filter(ente_id=filters.ente_id)
    if filters.meeting_id:
        qs = qs.filter(meeting_id=filters.meeting_id)
    if filters.organisation_id:
        qs = qs.filter(
            Q(counterpart_id=filters.organisation_id)
            | Q(meeting__counterparts=filters.organisation_id)
        ).distinct()
    return qs


@router.get("/gifts/export", response={200: None, **LIST}, openapi_extra=export_doc("I doni"))
def export_gifts(
    request: HttpRequest, filters: Query[GiftFilters], export: Query[ExportQuery]
) -> Any:
    user = _user(request)
    rows = gifts_for_export(_filtered(user, _gifts(user), filters), user)
    return export_response(GIFT_COLUMNS, rows, export.format, filename=_("doni"))


@router.get("/gifts", response={200: GiftPage, **LIST})
def list_gifts(request: HttpRequest, filters: Query[GiftFilters]) -> Any:
    user = _user(request)
    qs = _filtered(user, _gifts(user), filters)
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_gift_out(g) for g in items],
    }


@router.post("/gifts", response={201: GiftOut, **WRITE})
def create_gift(request: HttpRequest, payload: GiftIn) -> Any:
    """Register a gift given or received; `over_threshold` flags values above the threshold."""
    user = _user(request)
    require(user, "add", Gift)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    meeting = _visible_meeting_for(user, data.pop("meeting_id"), None, errors)
    ente_id = data.pop("ente_id")
    gift = Gift(
        ente=meeting.ente if meeting is not None else _ente(user, ente_id, errors, Gift),
        meeting=meeting,
    )
    _gift_fields(user, gift, data, errors)
    if errors:
        raise ValidationError(errors)
    _save_gift(gift, user)
    return Status(201, _gift_out(gift))


@router.patch("/gifts/{gift_id}", response={200: GiftOut, **WRITE, 409: ConflictOut})
def update_gift(request: HttpRequest, gift_id: QueryId, payload: GiftPatch) -> Any:
    """Change fields. A stale `version` is 409."""
    user = _user(request)
    gift = _gifts(user).filter(pk=gift_id).first()
    if gift is None:
        raise Http404
    require(user, "change", Gift)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(gift, version)
    errors: dict[str, list[str]] = {}
    _not_null(data, ("direction", "description", "kept_at", "confidentiality"), errors)
    _gift_fields(user, gift, data, errors)
    if errors:
        raise ValidationError(errors)
    _save_gift(gift, user, version)
    return _gift_out(gift)


@router.delete("/gifts/{gift_id}", response={204: None, **READ})
def delete_gift(request: HttpRequest, gift_id: QueryId) -> Any:
    user = _user(request)
    gift = _gifts(user).filter(pk=gift_id).first()
    if gift is None:
        raise Http404
    services.delete_gift(gift, user=user)
    return Status(204, None)
