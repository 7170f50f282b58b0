"""The participants of a meeting."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Status

from ponti.core.confidentiality import visible_levels
from ponti.core.permissions import visible_queryset
from ponti.core.pickers import RISERVATO
from ponti.partners.models import Person, Position
from ponti.partners.schemas import QueryId

from .. import services
from ..models import Meeting, Participant
from ..schemas import (
    ParticipantAdded,
    ParticipantIn,
    ParticipantOut,
)
from .common import READ, WRITE, _get, _renamed, _user, router

# --- participants -----------------------------------------------------------------------------


def _participant_out(p: Participant) -> dict[str, Any]:
    name = (
        p.person.full_name
        if p.person
        else (p.user.get_full_name() or p.user.username if p.user else p.guest_name)
    )
    return {
        "id": p.pk,
        "meeting_id": p.meeting_id,
        "side": p.side,
        "person_id": p.person_id,
        "position_id": p.position_id,
        "user_id": p.user_id,
        "name": name,
        "role": p.role,
    }


@router.get("/meetings/{meeting_id}/participants", response={200: list[ParticipantOut], **READ})
def list_participants(request: HttpRequest, meeting_id: QueryId) -> Any:
    user = _user(request)
    meeting = _get(user, Meeting, meeting_id)
    levels = visible_levels(user)
    return [
        _participant_out(p)
        if p.person is None or p.person.confidentiality in levels
        else _hidden_participant_out(p)
        for p in meeting.participants.select_related("person", "user").order_by("side", "pk")
    ]


def _hidden_participant_out(p: Participant) -> dict[str, Any]:
    """A participant the reader may not read: there, but neither who nor where."""
    return {
        "id": p.pk,
        "meeting_id": p.meeting_id,
        "side": p.side,
        "person_id": None,
        "position_id": None,
        "user_id": None,
        "name": str(RISERVATO),
        "role": "",
    }


@router.post("/meetings/{meeting_id}/participants", response={201: ParticipantAdded, **WRITE})
def add_participant(request: HttpRequest, meeting_id: QueryId, payload: ParticipantIn) -> Any:
    """Add someone; `warning` says when the person's position did not hold on the meeting's day."""
    user = _user(request)
    meeting = _get(user, Meeting, meeting_id, action="change")
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    person = position = member = None
    if data["person_id"]:
        person = visible_queryset(user, Person).filter(pk=data["person_id"]).first()
        if person is None:
            errors["person_id"] = [_("Persona inesistente.")]
    if data["position_id"]:
        position = (
            Position.objects.filter(pk=data["position_id"], person=person).first()
            if person
            else None
        )
        if position is None:
            errors["position_id"] = [_("L'incarico scelto non è di questa persona.")]
    if data["user_id"]:
        member = get_user_model().objects.filter(pk=data["user_id"], is_active=True).first()
        if member is None:
            errors["user_id"] = [_("Utente inesistente.")]
    if not (data["person_id"] or data["user_id"] or data["guest_name"]):
        errors["person_id"] = [
            _("Indica una persona del registro, un utente o il nome dell'ospite.")
        ]
    if errors:
        raise ValidationError(errors)
    try:
        participant, warning = services.add_participant(
            meeting,
            user=user,
            side=str(data["side"]),
            person=person,
            position=position,
            participant_user=member,
            guest_name=data["guest_name"],
            role=data["role"],
        )
    except ValidationError as exc:
        raise _renamed(
            exc,
            {
                "participant_user": "user_id",
                "position": "position_id",
                "person": "person_id",
                "user": "user_id",
            },
        ) from exc
    return Status(201, {**_participant_out(participant), "warning": warning})


@router.delete("/meetings/{meeting_id}/participants/{participant_id}", response={204: None, **READ})
def remove_participant(request: HttpRequest, meeting_id: QueryId, participant_id: QueryId) -> Any:
    user = _user(request)
    meeting = _get(user, Meeting, meeting_id, action="change")
    participant = meeting.participants.filter(pk=participant_id).first()
    if participant is None:
        raise Http404
    services.remove_participant(participant, user=user)
    return Status(204, None)
