"""Follow-up actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
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
from ..models import ActionStatus, FollowUpAction
from ..schemas import (
    ActionFilters,
    ActionIn,
    ActionOut,
    ActionPage,
    ActionPatch,
)
from ..tables import ACTION_COLUMNS, actions_for_export
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

# --- follow-up actions ------------------------------------------------------------------------


def _action_out(a: FollowUpAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "ente_id": a.ente_id,
        "meeting_id": a.meeting_id,
        "organisation_id": a.organisation_id,
        "description": a.description,
        "owner_id": a.owner_id,
        "owner": a.owner.get_full_name() or a.owner.username,
        "due_date": a.due_date,
        "status": a.status,
        "status_label": a.get_status_display(),
        "done_on": a.done_on,
        "confidentiality": a.confidentiality,
        "version": a.version,
    }


def _actions(user: Any) -> QuerySet[FollowUpAction]:
    levels = visible_levels(user)
    return (
        visible_queryset(user, FollowUpAction)
        .filter(Q(meeting__isnull=True) | Q(meeting__confidentiality__in=levels))
        .filter(Q(organisation__isnull=True) | Q(organisation__confidentiality__in=levels))
        .select_related("owner")
    )


def _action_owner(
    data: dict[str, Any], action: FollowUpAction, errors: dict[str, list[str]]
) -> None:
    if "owner_id" in data:
        owner_id = data.pop("owner_id")
        owner = (
            get_user_model().objects.filter(pk=owner_id, is_active=True).first()
            if owner_id
            else None
        )
        if owner is None:
            errors.setdefault("owner_id", []).append(_("Utente inesistente."))
        else:
            action.owner = owner


def _save_action(action: FollowUpAction, user: Any, version: int | None = None) -> None:
    try:
        services.save_action(action, user=user, expected_version=version)
    except ValidationError as exc:
        raise _renamed(
            exc,
            {
                "owner": "owner_id",
                "meeting": "meeting_id",
                "organisation": "organisation_id",
                "__all__": "meeting_id",
            },
        ) from exc


def _filtered(user: Any, qs: Any, filters: ActionFilters) -> Any:
    """The records of the list and of its export, filtered."""
    if filters.mine:
        qs = qs.filter(owner=user)
    if filters.open:
        qs = qs.filter(status__in=[ActionStatus.APERTA, ActionStatus.IN_CORSO])
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.ente_id:
        qs = qs.filter(ente_id=filters.ente_id)
    if filters.meeting_id:
        qs = qs.filter(meeting_id=filters.meeting_id)
    if filters.organisation_id:
        qs = qs.filter(
            Q(organisation_id=filters.organisation_id)
            | Q(meeting__counterparts=filters.organisation_id)
        ).distinct()
    return qs


@router.get(
    "/actions/export",
    response={200: None, **LIST},
    openapi_extra=export_doc("Le azioni di follow-up"),
)
def export_actions(
    request: HttpRequest, filters: Query[ActionFilters], export: Query[ExportQuery]
) -> Any:
    user = _user(request)
    rows = actions_for_export(_filtered(user, _actions(user), filters), user)
    return export_response(ACTION_COLUMNS, rows, export.format, filename=_("azioni"))


@router.get("/actions", response={200: ActionPage, **LIST})
def list_actions(request: HttpRequest, filters: Query[ActionFilters]) -> Any:
    """Follow-up actions; `mine=true` for the caller's own."""
    user = _user(request)
    qs = _filtered(user, _actions(user), filters)
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_action_out(a) for a in items],
    }


@router.post("/actions", response={201: ActionOut, **WRITE})
def create_action(request: HttpRequest, payload: ActionIn) -> Any:
    """A follow-up action about a meeting or a partner.

    The owner must be a user of the action's ente, else 422 on owner_id.
    """
    user = _user(request)
    require(user, "add", FollowUpAction)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    meeting = _visible_meeting_for(user, data.pop("meeting_id"), None, errors)
    ente_id = data.pop("ente_id")
    ente = meeting.ente if meeting is not None else _ente(user, ente_id, errors, FollowUpAction)
    organisation = _visible_org(user, data.pop("organisation_id"), "organisation_id", errors)
    if (
        meeting is None
        and organisation is None
        and "meeting_id" not in errors
        and "organisation_id" not in errors
    ):
        errors["meeting_id"] = [_("Indica l'incontro o il partner dell'azione.")]
    _check_level(user, data, errors)
    action = FollowUpAction(ente=ente, meeting=meeting, organisation=organisation)
    _action_owner(data, action, errors)
    if errors:
        raise ValidationError(errors)
    for key, value in data.items():
        setattr(action, key, str(value) if key in {"status", "confidentiality"} else value)
    _save_action(action, user)
    return Status(201, _action_out(action))


@router.patch("/actions/{action_id}", response={200: ActionOut, **WRITE, 409: ConflictOut})
def update_action(request: HttpRequest, action_id: QueryId, payload: ActionPatch) -> Any:
    """Change fields. A stale `version` is 409."""
    user = _user(request)
    action = _actions(user).filter(pk=action_id).first()
    if action is None:
        raise Http404
    require(user, "change", FollowUpAction)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(action, version)
    errors: dict[str, list[str]] = {}
    _not_null(data, ("description", "owner_id", "status", "confidentiality"), errors)
    if "organisation_id" in data:
        action.organisation = _visible_org(
            user, data.pop("organisation_id"), "organisation_id", errors
        )
        if (
            action.organisation is None
            and action.meeting_id is None
            and "organisation_id" not in errors
        ):
            errors["organisation_id"] = [_("Un'azione senza incontro riguarda un partner.")]
    _check_level(user, data, errors)
    _action_owner(data, action, errors)
    if errors:
        raise ValidationError(errors)
    for key, value in data.items():
        setattr(action, key, str(value) if key in {"status", "confidentiality"} else value)
    _save_action(action, user, version)
    return _action_out(action)


@router.delete("/actions/{action_id}", response={204: None, **READ})
def delete_action(request: HttpRequest, action_id: QueryId) -> Any:
    user = _user(request)
    action = _actions(user).filter(pk=action_id).first()
    if action is None:
        raise Http404
    services.delete_action(action, user=user)
    return Status(204, None)
