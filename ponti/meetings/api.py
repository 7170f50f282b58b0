"""Meetings as JSON: meetings (with a status action), participants, visit requests (with a
decision action), follow-up actions and gifts (the briefing dossier is ponti/reports/api.py).
Same permissions and
the same service functions as the pages; a record the user may not see is a 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ponti.agreements.models import Agreement
from ponti.core.api import ConflictOut, ErrorOut, FieldErrorOut
from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS, clearance, visible_levels
from ponti.core.models import Sector
from ponti.core.permissions import can, get_for_user, require, visible_queryset
from ponti.core.services import ConflictError
from ponti.partners.models import Organisation, Person, Position
from ponti.partners.schemas import QueryId

from . import services
from .models import ActionStatus, FollowUpAction, Gift, Meeting, Participant, VisitRequest
from .schemas import (
    ActionFilters,
    ActionIn,
    ActionOut,
    ActionPage,
    ActionPatch,
    GiftFilters,
    GiftIn,
    GiftOut,
    GiftPage,
    GiftPatch,
    MeetingFilters,
    MeetingIn,
    MeetingOut,
    MeetingPage,
    MeetingPatch,
    MeetingStatusIn,
    ParticipantAdded,
    ParticipantIn,
    ParticipantOut,
    VisitDecisionIn,
    VisitRequestFilters,
    VisitRequestIn,
    VisitRequestOut,
    VisitRequestPage,
    VisitRequestPatch,
)

router = Router(tags=["incontri"])

AUTH = {401: ErrorOut, 403: ErrorOut}
READ = {**AUTH, 404: ErrorOut, 422: FieldErrorOut}
WRITE = {**READ, 400: ErrorOut, 413: ErrorOut}
LIST = {**AUTH, 422: FieldErrorOut}

# The M2M fields of a meeting, as the API names them.
M2M_IDS = {"counterpart_ids": "counterparts", "agreement_ids": "agreements"}


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _get(user: Any, model: type[Any], pk: int, *, action: str = "view") -> Any:
    obj, _editable = get_for_user(user, model, pk, action=action)
    return obj


def _ente(user: Any, ente_id: int | None, errors: dict[str, list[str]]) -> Any:
    enti = list(user.enti.all())
    if ente_id:
        ente = next((e for e in enti if e.pk == ente_id), None)
        if ente is None and user.is_superuser:
            from ponti.core.models import Ente

            ente = Ente.objects.filter(pk=ente_id).first()
    else:
        ente = enti[0] if len(enti) == 1 else None
    if ente is None:
        errors.setdefault("ente_id", []).append(
            _("Indica uno dei tuoi enti.") if enti else _("Non appartieni a nessun ente.")
        )
    return ente


def _check_level(user: Any, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    level = data.get("confidentiality")
    if level is not None and CONFIDENTIALITY_LEVELS[str(level)] > clearance(user):
        errors.setdefault("confidentiality", []).append(
            _("Non puoi assegnare un livello di riservatezza che non potresti leggere.")
        )


def _not_null(data: dict[str, Any], keys: tuple[str, ...], errors: dict[str, list[str]]) -> None:
    for key in keys:
        if key in data and data[key] is None:
            errors.setdefault(key, []).append(_("Non può essere vuoto."))


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "message_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


def _visible_orgs(
    user: Any, ids: list[int], field: str, errors: dict[str, list[str]]
) -> list[Organisation]:
    found = list(visible_queryset(user, Organisation).filter(pk__in=ids))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        errors.setdefault(field, []).append(
            _("Organizzazioni inesistenti: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        )
    return found


def _visible_org(
    user: Any, pk: int | None, field: str, errors: dict[str, list[str]]
) -> Organisation | None:
    if pk is None:
        return None
    found = _visible_orgs(user, [pk], field, errors)
    return found[0] if found else None


def _visible_meeting_for(
    user: Any, pk: int | None, ente: Any, errors: dict[str, list[str]], field: str = "meeting_id"
) -> Meeting | None:
    if pk is None:
        return None
    meeting = (
        Meeting.objects.for_user(user).filter(pk=pk).first() if can(user, "view", Meeting) else None
    )
    if meeting is None:
        errors.setdefault(field, []).append(_("Incontro inesistente."))
    elif ente is not None and meeting.ente_id != ente.pk:
        errors.setdefault(field, []).append(_("L'incontro è di un altro ente."))
    return meeting


# --- meetings ---------------------------------------------------------------------------------


def _meeting_out(m: Meeting, user: Any, levels: list[str]) -> dict[str, Any]:
    editable = can(user, "change", Meeting)
    return {
        "id": m.pk,
        "ente_id": m.ente_id,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "title": m.title,
        "status": m.status,
        "status_label": m.get_status_display(),
        "allowed_statuses": services.allowed_statuses(m) if editable else [],
        "date_precision": m.date_precision,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "all_day": m.all_day,
        "timezone": m.timezone,
        "year": m.year,
        "month": m.month,
        "period": m.period,
        "place": m.place,
        "city": m.city,
        "country": m.country,
        "counterparts": [
            {"id": o.pk, "name": o.name, "country": o.country}
            for o in m.counterparts.all()
            if o.confidentiality in levels
        ],
        "agreement_ids": [
            a.pk
            for a in m.agreements.all()
            if a.confidentiality in levels and a.ente_id == m.ente_id
        ],
        "sectors": [s.code for s in m.sectors.all()],
        "topics": m.topics,
        "agenda": m.agenda,
        "talking_points": m.talking_points,
        "outcome": m.outcome,
        "minutes": m.minutes,
        "source": m.source,
        "confidentiality": m.confidentiality,
        "version": m.version,
    }


def _meeting_relations(
    user: Any, data: dict[str, Any], ente_id: int | None, errors: dict[str, list[str]]
) -> None:
    """Turn counterpart_ids, agreement_ids and sector codes into records, in place."""
    if "counterpart_ids" in data:
        ids = data.pop("counterpart_ids")
        if ids is None:
            errors.setdefault("counterpart_ids", []).append(_("Non può essere vuoto."))
        else:
            data["counterparts"] = _visible_orgs(user, ids, "counterpart_ids", errors)
    if "agreement_ids" in data:
        ids = data.pop("agreement_ids")
        if ids is None:
            errors.setdefault("agreement_ids", []).append(_("Non può essere vuoto."))
        else:
            qs = visible_queryset(user, Agreement).filter(pk__in=ids)
            if ente_id is not None:
                qs = qs.filter(ente_id=ente_id)
            found = list(qs)
            missing = sorted(set(ids) - {a.pk for a in found})
            if missing:
                errors.setdefault("agreement_ids", []).append(
                    _("Accordi inesistenti o di un altro ente: %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))}
                )
            data["agreements"] = found
    if "sectors" in data:
        codes = data["sectors"]
        if codes is None:
            errors.setdefault("sectors", []).append(_("Non può essere vuoto."))
        else:
            found_s = list(Sector.objects.filter(code__in=codes))
            missing_s = sorted(set(codes) - {s.code for s in found_s})
            if missing_s:
                errors.setdefault("sectors", []).append(
                    _("Settori inesistenti: %(c)s.") % {"c": ", ".join(missing_s)}
                )
            data["sectors"] = found_s
    if "country" in data:
        data["country"] = str(data["country"]) if data["country"] else ""


def _meetings(user: Any) -> QuerySet[Meeting]:
    return visible_queryset(user, Meeting).prefetch_related("counterparts", "agreements", "sectors")


@router.get("/meetings", response={200: MeetingPage, **LIST})
def list_meetings(request: HttpRequest, filters: Query[MeetingFilters]) -> Any:
    user = _user(request)
    qs = _meetings(user)
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(topics__icontains=filters.q)
            | Q(city__icontains=filters.q)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.from_date:
        qs = qs.filter(
            Q(starts_at__date__gte=filters.from_date)
            | Q(starts_at__isnull=True, year__gte=filters.from_date.year)
        )
    if filters.to_date:
        qs = qs.filter(
            Q(starts_at__date__lte=filters.to_date)
            | Q(starts_at__isnull=True, year__lte=filters.to_date.year)
        )
    if filters.organisation_id:
        qs = qs.filter(counterparts=filters.organisation_id)
    qs = qs.distinct()
    levels = visible_levels(user)
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_meeting_out(m, user, levels) for m in items],
    }


@router.post("/meetings", response={201: MeetingOut, **WRITE})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    user = _user(request)
    require(user, "add", Meeting)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    ente = _ente(user, data.pop("ente_id"), errors)
    _check_level(user, data, errors)
    _meeting_relations(user, data, ente.pk if ente else None, errors)
    if errors:
        raise ValidationError(errors)
    meeting = services.create_meeting(user=user, ente=ente, data=data)
    return Status(201, _meeting_out(_meetings(user).get(pk=meeting.pk), user, visible_levels(user)))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **READ})
def get_meeting(request: HttpRequest, meeting_id: QueryId) -> Any:
    user = _user(request)
    return _meeting_out(_get(user, Meeting, meeting_id), user, visible_levels(user))


@router.patch("/meetings/{meeting_id}", response={200: MeetingOut, **WRITE, 409: ConflictOut})
def update_meeting(request: HttpRequest, meeting_id: QueryId, payload: MeetingPatch) -> Any:
    """Change fields (not the status: see …/status). A stale `version` is 409."""
    user = _user(request)
    meeting = _get(user, Meeting, meeting_id, action="change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if meeting.version != version:
        raise ConflictError(meeting, version)
    errors: dict[str, list[str]] = {}
    _not_null(
        data,
        (
            "kind",
            "title",
            "date_precision",
            "all_day",
            "timezone",
            "confidentiality",
            "period",
            "place",
            "city",
            "topics",
            "agenda",
            "talking_points",
            "outcome",
            "minutes",
            "source",
        ),
        errors,
    )
    _check_level(user, data, errors)
    _meeting_relations(user, data, meeting.ente_id, errors)
    if errors:
        raise ValidationError(errors)
    services.update_meeting(meeting, user=user, data=data, expected_version=version)
    return _meeting_out(_meetings(user).get(pk=meeting.pk), user, visible_levels(user))


@router.post("/meetings/{meeting_id}/status", response={200: MeetingOut, **WRITE})
def change_meeting_status(
    request: HttpRequest, meeting_id: QueryId, payload: MeetingStatusIn
) -> Any:
    """Move the meeting along richiesta → valutazione → confermato → svolto (or annullato)."""
    user = _user(request)
    meeting = _get(user, Meeting, meeting_id, action="change")
    services.change_status(meeting, str(payload.status), user=user)
    return _meeting_out(_meetings(user).get(pk=meeting.pk), user, visible_levels(user))


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
        for p in meeting.participants.select_related("person", "user").order_by("side", "pk")
        if p.person is None or p.person.confidentiality in levels
    ]


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
    ente = _ente(user, data.pop("ente_id"), errors)
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


def _save_action(action: FollowUpAction, user: Any) -> None:
    try:
        services.save_action(action, user=user)
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


@router.get("/actions", response={200: ActionPage, **LIST})
def list_actions(request: HttpRequest, filters: Query[ActionFilters]) -> Any:
    """Follow-up actions; `mine=true` for the caller's own."""
    user = _user(request)
    qs = _actions(user)
    if filters.mine:
        qs = qs.filter(owner=user)
    if filters.open:
        qs = qs.filter(status__in=[ActionStatus.APERTA, ActionStatus.IN_CORSO])
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.meeting_id:
        qs = qs.filter(meeting_id=filters.meeting_id)
    if filters.organisation_id:
        qs = qs.filter(
            Q(organisation_id=filters.organisation_id)
            | Q(meeting__counterparts=filters.organisation_id)
        ).distinct()
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
    ente = meeting.ente if meeting is not None else _ente(user, ente_id, errors)
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


@router.patch("/actions/{action_id}", response={200: ActionOut, **WRITE})
def update_action(request: HttpRequest, action_id: QueryId, payload: ActionPatch) -> Any:
    user = _user(request)
    action = _actions(user).filter(pk=action_id).first()
    if action is None:
        raise Http404
    require(user, "change", FollowUpAction)
    data = payload.dict(exclude_unset=True)
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
    _save_action(action, user)
    return _action_out(action)


@router.delete("/actions/{action_id}", response={204: None, **READ})
def delete_action(request: HttpRequest, action_id: QueryId) -> Any:
    user = _user(request)
    action = _actions(user).filter(pk=action_id).first()
    if action is None:
        raise Http404
    services.delete_action(action, user=user)
    return Status(204, None)


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
        value = data.pop("estimated_value")
        gift.estimated_value = Decimal(str(round(value, 2))) if value is not None else None
    _check_level(user, data, errors)
    for key, value in data.items():
        setattr(gift, key, str(value) if key in {"direction", "confidentiality"} else value)


def _save_gift(gift: Gift, user: Any) -> None:
    try:
        services.save_gift(gift, user=user)
    except ValidationError as exc:
        raise _renamed(exc, {"meeting": "meeting_id", "counterpart": "counterpart_id"}) from exc


@router.get("/gifts", response={200: GiftPage, **LIST})
def list_gifts(request: HttpRequest, filters: Query[GiftFilters]) -> Any:
    user = _user(request)
    qs = _gifts(user)
    if filters.direction:
        qs = qs.filter(direction=str(filters.direction))
    if filters.meeting_id:
        qs = qs.filter(meeting_id=filters.meeting_id)
    if filters.organisation_id:
        qs = qs.filter(
            Q(counterpart_id=filters.organisation_id)
            | Q(meeting__counterparts=filters.organisation_id)
        ).distinct()
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
        ente=meeting.ente if meeting is not None else _ente(user, ente_id, errors), meeting=meeting
    )
    _gift_fields(user, gift, data, errors)
    if errors:
        raise ValidationError(errors)
    _save_gift(gift, user)
    return Status(201, _gift_out(gift))


@router.patch("/gifts/{gift_id}", response={200: GiftOut, **WRITE})
def update_gift(request: HttpRequest, gift_id: QueryId, payload: GiftPatch) -> Any:
    user = _user(request)
    gift = _gifts(user).filter(pk=gift_id).first()
    if gift is None:
        raise Http404
    require(user, "change", Gift)
    data = payload.dict(exclude_unset=True)
    errors: dict[str, list[str]] = {}
    _not_null(data, ("direction", "description", "kept_at", "confidentiality"), errors)
    _gift_fields(user, gift, data, errors)
    if errors:
        raise ValidationError(errors)
    _save_gift(gift, user)
    return _gift_out(gift)


@router.delete("/gifts/{gift_id}", response={204: None, **READ})
def delete_gift(request: HttpRequest, gift_id: QueryId) -> Any:
    user = _user(request)
    gift = _gifts(user).filter(pk=gift_id).first()
    if gift is None:
        raise Http404
    services.delete_gift(gift, user=user)
    return Status(204, None)
