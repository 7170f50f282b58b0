"""Meetings: list, create, read, update and the status action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status

from ponti.agreements.models import Agreement
from ponti.core.api import ConflictOut, ExportQuery, check_imprecise_date, export_doc
from ponti.core.confidentiality import visible_levels
from ponti.core.dates import ends_on_or_after
from ponti.core.exports import export_response
from ponti.core.models import Sector
from ponti.core.permissions import can, require, visible_queryset
from ponti.core.pickers import keep_hidden
from ponti.core.services import ConflictError
from ponti.partners.models import Organisation
from ponti.partners.schemas import QueryId

from .. import services
from ..models import Meeting
from ..schemas import (
    MeetingFilters,
    MeetingIn,
    MeetingOut,
    MeetingPage,
    MeetingPatch,
    MeetingStatusIn,
)
from ..tables import MEETING_COLUMNS, meetings_for_export
from .common import (
    LIST,
    READ,
    WRITE,
    _check_level,
    _ente,
    _get,
    _not_null,
    _user,
    _visible_orgs,
    router,
)

# --- meetings ---------------------------------------------------------------------------------


def _meeting_out(m: Meeting, user: Any, levels: list[str]) -> dict[str, Any]:
    editable = can(user, "change", Meeting, m)
    return {
        "id": m.pk,
        "ente_id": m.ente_id,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "title": m.title,
        "status": m.status,
        "status_label": m.get_status_display(),
        "allowed_statuses": services.allowed_statuses(m) if editable else [],
        "date": m.date,
        "date_precision": m.when.precision,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "all_day": m.all_day,
        "timezone": m.timezone,
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


def _filtered(user: Any, qs: Any, filters: MeetingFilters) -> Any:
    """The records of the list and of its export, filtered."""
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(topics__icontains=filters.q)
            | Q(city__icontains=filters.q)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.ente_id:
        qs = qs.filter(ente_id=filters.ente_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.from_date:
        # A meeting known by month or year is in the range if that month or year reaches it.
        qs = qs.filter(ends_on_or_after("date", "date_precision", filters.from_date))
    if filters.to_date:
        qs = qs.filter(date__lte=filters.to_date)
    if filters.organisation_id:
        # Only a counterpart the user may see: a hidden one's id finds no meeting.
        qs = qs.filter(
            counterparts__in=Organisation.objects.visible_to(user).filter(
                pk=filters.organisation_id
            )
        )
    qs = qs.distinct()
    return qs


@router.get(
    "/meetings/export", response={200: None, **LIST}, openapi_extra=export_doc("Gli incontri")
)
def export_meetings(
    request: HttpRequest, filters: Query[MeetingFilters], export: Query[ExportQuery]
) -> Any:
    user = _user(request)
    rows = meetings_for_export(_filtered(user, visible_queryset(user, Meeting), filters), user)
    return export_response(MEETING_COLUMNS, rows, export.format, filename=_("incontri"))


@router.get("/meetings", response={200: MeetingPage, **LIST})
def list_meetings(request: HttpRequest, filters: Query[MeetingFilters]) -> Any:
    user = _user(request)
    qs = _filtered(user, _meetings(user), filters)
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
    check_imprecise_date(data, "date", "date_precision", errors)
    ente = _ente(user, data.pop("ente_id"), errors, Meeting)
    _check_level(user, data, errors, ente)
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
    check_imprecise_date(data, "date", "date_precision", errors, meeting)
    _check_level(user, data, errors)
    _meeting_relations(user, data, meeting.ente_id, errors)
    # Links the user may not read stay: they could neither see nor remove them.
    if "counterparts" in data:
        data["counterparts"] = keep_hidden(user, meeting.counterparts.all(), data["counterparts"])
    if "agreements" in data:
        data["agreements"] = keep_hidden(user, meeting.agreements.all(), data["agreements"])
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
