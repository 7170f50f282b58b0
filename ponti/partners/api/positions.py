"""Positions linking people to organisations."""

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status

from ponti.core.api import check_imprecise_date, field_errors, stale
from ponti.core.confidentiality import visible_levels
from ponti.core.dates import ImpreciseDate
from ponti.core.permissions import get_for_user, require, visible_queryset

from .. import services
from ..models import Organisation, Person, Position
from ..schemas import (
    PageQuery,
    PersonPositionIn,
    PositionIn,
    PositionOut,
    PositionPage,
    PositionPatch,
    PositionPut,
    QueryId,
)
from .common import (
    BODY,
    READ,
    UPDATE,
    _check,
    _check_clearance,
    _fields_renamed,
    _page,
    _position_out,
    _renamed,
    _user,
    router,
)

CREATE_UNDER = {**READ, **BODY}


DATE_PAIRS = (("start_date", "start_precision"), ("end_date", "end_precision"))


def _dates(
    data: dict[str, Any], errors: dict[str, list[str]], current: Position | None = None
) -> dict[str, Any]:
    """The start and end sent, each a date known in part (core.dates), checked together."""
    for date_field, precision_field in DATE_PAIRS:
        check_imprecise_date(data, date_field, precision_field, errors, current)
    fields = {k: data[k] for pair in DATE_PAIRS for k in pair if k in data}
    merged = {k: fields.get(k, getattr(current, k, None)) for pair in DATE_PAIRS for k in pair}
    _check_dates(
        ImpreciseDate.of(merged["start_date"], merged["start_precision"]),
        ImpreciseDate.of(merged["end_date"], merged["end_precision"]),
        errors,
    )
    return fields


def _check_dates(start: ImpreciseDate, end: ImpreciseDate, errors: dict[str, list[str]]) -> None:
    """Named on `end_date`: the model's check constraint would be an anonymous error."""
    if start.first_day and end.last_day and end.last_day < start.first_day:
        errors.setdefault("end_date", []).append(
            _("La data di fine non può precedere quella di inizio.")
        )


# --- positions -------------------------------------------------------------------------------

POSITION_FIELDS = {"person": "person_id", "organisation": "organisation_id"}


def _positions(user: Any) -> Any:
    levels = visible_levels(user)
    return (
        visible_queryset(user, Position)
        .filter(person__confidentiality__in=levels, organisation__confidentiality__in=levels)
        .select_related("person", "organisation")
        .order_by(*(Position._meta.ordering or ()), "id")
    )


def _position_page(qs: Any, params: PageQuery) -> dict[str, Any]:
    count, items = _page(qs, params)
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [_position_out(p) for p in items],
    }


def _get_position(user: Any, position_id: int, action: str = "view") -> Position:
    """A position is visible when its person and its organisation both are."""
    position = _positions(user).filter(pk=position_id).first()
    if position is None:
        raise Http404
    if action != "view":
        require(user, action, Position)
    return position


def _save_position(
    user: Any, position: Position, errors: dict[str, list[str]], version: int | None = None
) -> Position:
    _check_dates(position.start, position.end, errors)
    _check(copy.copy(position), errors, POSITION_FIELDS)
    with _fields_renamed(POSITION_FIELDS):
        return services.save_position(position, user=user, expected_version=version)


@router.get("/organisations/{organisation_id}/positions", response={200: PositionPage, **READ})
def organisation_positions(
    request: HttpRequest, organisation_id: QueryId, page: Query[PageQuery]
) -> Any:
    """Current and past positions in the organisation, most recent first."""
    user = _user(request)
    org, _can_edit = get_for_user(user, Organisation, organisation_id)
    return _position_page(_positions(user).filter(organisation=org), page)


@router.post(
    "/organisations/{organisation_id}/positions", response={201: PositionOut, **CREATE_UNDER}
)
def add_organisation_position(
    request: HttpRequest, organisation_id: QueryId, payload: PositionIn
) -> Any:
    """Add a position held by an existing person (`person_id`) or by a new one (`person`)."""
    user = _user(request)
    org, _can_edit = get_for_user(user, Organisation, organisation_id)
    require(user, "add", Position)
    errors: dict[str, list[str]] = {}
    person: Person | None = None
    new_person: dict[str, Any] | None = None
    if payload.person_id is not None and payload.person is not None:
        errors["person_id"] = [_("Indica person_id oppure person, non entrambi.")]
    elif payload.person_id is not None:
        person = visible_queryset(user, Person).filter(pk=payload.person_id).first()
        if person is None:
            errors["person_id"] = [_("Nessuna persona con ID %(id)s.") % {"id": payload.person_id}]
    elif payload.person is not None:
        require(user, "add", Person)
        new_person = payload.person.model_dump()
        person_errors: dict[str, list[str]] = {}
        _check_clearance(user, new_person["confidentiality"], person_errors)
        try:
            _check(Person(**new_person), person_errors, {})
        except ValidationError as exc:
            errors.update(_renamed(field_errors(exc), {}, "person"))
    else:
        errors["person_id"] = [_("Indica la persona: person_id oppure person.")]
    dates = _dates(payload.model_dump(), errors)
    candidate = Position(person=person, organisation=org, role=payload.role, **dates)
    _check(candidate, errors, POSITION_FIELDS, exclude=("person",))
    with _fields_renamed(POSITION_FIELDS):
        position = services.add_position(
            org,
            user=user,
            person=person,
            new_person=new_person,
            role=payload.role,
            **dates,
        )
    return Status(201, _position_out(_positions(user).get(pk=position.pk)))


@router.get("/positions/{position_id}", response={200: PositionOut, **READ})
def get_position(request: HttpRequest, position_id: QueryId) -> Any:
    return _position_out(_get_position(_user(request), position_id))


def _update_position(request: HttpRequest, position_id: int, payload: dict[str, Any]) -> Any:
    user = _user(request)
    position = _get_position(user, position_id, "change")
    version = payload.pop("version")
    stale(position, version)
    errors: dict[str, list[str]] = {}
    payload.update(_dates(payload, errors, position))
    if errors:
        raise ValidationError(errors)
    for key, value in payload.items():
        setattr(position, key, value)
    _save_position(user, position, {}, version)
    return _position_out(_positions(user).get(pk=position.pk))


@router.put("/positions/{position_id}", response={200: PositionOut, **UPDATE})
def replace_position(request: HttpRequest, position_id: QueryId, payload: PositionPut) -> Any:
    """Replace role and dates (the person and the organisation do not change)."""
    return _update_position(request, position_id, payload.model_dump())


@router.patch("/positions/{position_id}", response={200: PositionOut, **UPDATE})
def update_position(request: HttpRequest, position_id: QueryId, payload: PositionPatch) -> Any:
    """Change only the fields sent, e.g. `{"end_date": "2025-06-30"}` when a consul leaves."""
    return _update_position(request, position_id, payload.model_dump(exclude_unset=True))


@router.delete("/positions/{position_id}", response={204: None, **READ})
def delete_position(request: HttpRequest, position_id: QueryId) -> Any:
    user = _user(request)
    position = _get_position(user, position_id, "delete")
    services.delete_position(position, user=user)
    return Status(204, None)


@router.get("/people/{person_id}/positions", response={200: PositionPage, **READ})
def person_positions(request: HttpRequest, person_id: QueryId, page: Query[PageQuery]) -> Any:
    """Current and past positions of the person, in organisations visible to you."""
    user = _user(request)
    person, _can_edit = get_for_user(user, Person, person_id)
    return _position_page(_positions(user).filter(person=person), page)


@router.post("/people/{person_id}/positions", response={201: PositionOut, **CREATE_UNDER})
def add_person_position(request: HttpRequest, person_id: QueryId, payload: PersonPositionIn) -> Any:
    user = _user(request)
    person, _can_edit = get_for_user(user, Person, person_id)
    require(user, "add", Position)
    errors: dict[str, list[str]] = {}
    org = visible_queryset(user, Organisation).filter(pk=payload.organisation_id).first()
    if org is None:
        errors["organisation_id"] = [
            _("Nessuna organizzazione con ID %(id)s.") % {"id": payload.organisation_id}
        ]
    dates = _dates(payload.model_dump(), errors)
    candidate = Position(person=person, organisation=org, role=payload.role, **dates)
    _check(candidate, errors, POSITION_FIELDS, exclude=("organisation",) if org is None else ())
    assert org is not None  # _check raised otherwise
    with _fields_renamed(POSITION_FIELDS):
        position = services.add_position(
            org,
            user=user,
            person=person,
            new_person=None,
            role=payload.role,
            **dates,
        )
    return Status(201, _position_out(_positions(user).get(pk=position.pk)))
