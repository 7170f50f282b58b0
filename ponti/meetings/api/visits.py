"""Visit requests, with the decision action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status

from ponti.core.api import ConflictOut
from ponti.core.confidentiality import visible_levels
from ponti.core.permissions import require, visible_queryset
from ponti.core.services import ConflictError
from ponti.partners.schemas import QueryId

from .. import services
from ..models import VisitRequest
from ..schemas import (
    VisitDecisionIn,
    VisitRequestFilters,
    VisitRequestIn,
    VisitRequestOut,
    VisitRequestPage,
    VisitRequestPatch,
)
from .common import (
    LIST,
    READ,
    WRITE,
    _check_level,
    _ente,
    _get,
    _not_null,
    _renamed,
    _user,
    _visible_org,
    router,
)

# --- visit requests ---------------------------------------------------------------------------


def _visit_out(v: VisitRequest) -> dict[str, Any]:
    return {
        "id": v.pk,
        "ente_id": v.ente_id,
        "received_on": v.received_on,
        "channel": v.channel,
        "requester_id": v.requester_id,
        "requester_contact": v.requester_contact,
        "purpose": v.purpose,
        "proposed_start": v.proposed_start,
        "proposed_end": v.proposed_end,
        "proposed_dates_note": v.proposed_dates_note,
        "delegation": v.delegation,
        "languages": v.languages,
        "interpreters_needed": v.interpreters_needed,
        "special_needs": v.special_needs,
        "gifts_planned": v.gifts_planned,
        "decision": v.decision,
        "decision_reason": v.decision_reason,
        "decided_at": v.decided_at,
        "meeting_id": v.meeting_id,
        "confidentiality": v.confidentiality,
        "version": v.version,
    }


def _visit_data(user: Any, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if "requester_id" in data:
        data["requester"] = _visible_org(user, data.pop("requester_id"), "requester_id", errors)
    if "channel" in data and data["channel"] is not None:
        data["channel"] = str(data["channel"])
    _check_level(user, data, errors)


def _visit_errors(exc: ValidationError) -> ValidationError:
    return _renamed(exc, {"requester": "requester_id"})


@router.get("/visit-requests", response={200: VisitRequestPage, **LIST})
def list_visit_requests(request: HttpRequest, filters: Query[VisitRequestFilters]) -> Any:
    user = _user(request)
    qs = visible_queryset(user, VisitRequest).filter(
        Q(requester__isnull=True) | Q(requester__confidentiality__in=visible_levels(user))
    )
    if filters.decision:
        qs = qs.filter(decision=filters.decision)
    if filters.requester_id:
        qs = qs.filter(requester_id=filters.requester_id)
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_visit_out(v) for v in items],
    }


@router.post("/visit-requests", response={201: VisitRequestOut, **WRITE})
def create_visit_request(request: HttpRequest, payload: VisitRequestIn) -> Any:
    user = _user(request)
    require(user, "add", VisitRequest)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    ente = _ente(user, data.pop("ente_id"), errors, VisitRequest)
    _visit_data(user, data, errors)
    if data.get("received_on") is None:
        data.pop("received_on", None)
    if errors:
        raise ValidationError(errors)
    try:
        visit = services.create_visit_request(user=user, ente=ente, data=data)
    except ValidationError as exc:
        raise _visit_errors(exc) from exc
    return Status(201, _visit_out(visit))


@router.get("/visit-requests/{visit_id}", response={200: VisitRequestOut, **READ})
def get_visit_request(request: HttpRequest, visit_id: QueryId) -> Any:
    return _visit_out(_get(_user(request), VisitRequest, visit_id))


@router.patch(
    "/visit-requests/{visit_id}", response={200: VisitRequestOut, **WRITE, 409: ConflictOut}
)
def update_visit_request(
    request: HttpRequest, visit_id: QueryId, payload: VisitRequestPatch
) -> Any:
    user = _user(request)
    visit = _get(user, VisitRequest, visit_id, action="change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if visit.version != version:
        raise ConflictError(visit, version)
    errors: dict[str, list[str]] = {}
    _not_null(
        data,
        (
            "received_on",
            "channel",
            "requester_contact",
            "purpose",
            "proposed_dates_note",
            "delegation",
            "languages",
            "interpreters_needed",
            "special_needs",
            "gifts_planned",
            "confidentiality",
        ),
        errors,
    )
    if data.get("purpose") == "":
        errors.setdefault("purpose", []).append(_("Questo campo non può essere vuoto."))
    _visit_data(user, data, errors)
    if errors:
        raise ValidationError(errors)
    try:
        services.update_visit_request(visit, user=user, data=data, expected_version=version)
    except ValidationError as exc:
        raise _visit_errors(exc) from exc
    return _visit_out(visit)


@router.post("/visit-requests/{visit_id}/decision", response={200: VisitRequestOut, **WRITE})
def decide_visit_request(request: HttpRequest, visit_id: QueryId, payload: VisitDecisionIn) -> Any:
    """Accept (the delegation's meeting is created: `meeting_id`) or decline with a `reason`."""
    user = _user(request)
    visit = _get(user, VisitRequest, visit_id, action="change")
    try:
        services.decide_visit_request(
            visit, user=user, accept=payload.accept, reason=payload.reason, confirm=payload.confirm
        )
    except ValidationError as exc:
        raise _renamed(exc, {"decision_reason": "reason", "decision": "accept"}) from exc
    return _visit_out(visit)
