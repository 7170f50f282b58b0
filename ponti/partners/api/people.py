"""People: list, create, read, update and delete."""

import copy
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.errors import HttpError

from ponti.core.api import ExportQuery, export_doc
from ponti.core.confidentiality import visible_levels
from ponti.core.exports import export_response
from ponti.core.permissions import get_for_user, require, visible_queryset

from .. import services
from ..models import Person, Position
from ..schemas import (
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
    PersonPut,
    QueryId,
)
from ..tables import PERSON_COLUMNS, people_for_export
from .common import (
    CREATE,
    DELETE,
    LIST,
    READ,
    UPDATE,
    _check,
    _check_clearance,
    _page,
    _position_out,
    _stale,
    _user,
    router,
)


def _people(user: Any) -> Any:
    current = (
        Position.objects.current()
        .filter(organisation__confidentiality__in=visible_levels(user))
        .select_related("organisation", "person")
    )
    return visible_queryset(user, Person).prefetch_related(
        Prefetch("positions", queryset=current, to_attr="visible_current_positions")
    )


def _person_out(person: Person) -> dict[str, Any]:
    fields = [
        "honorific",
        "first_name",
        "last_name",
        "title",
        "languages",
        "email",
        "phone",
        "mobile",
        "kind",
        "erased_at",
        "gdpr_basis",
        "gdpr_source",
        "gdpr_date",
        "notes",
        "confidentiality",
        "version",
        "created_at",
        "updated_at",
    ]
    out = {name: getattr(person, name) for name in fields}
    out["id"] = person.pk
    out["full_name"] = person.full_name
    out["current_positions"] = [
        _position_out(p) for p in getattr(person, "visible_current_positions", [])
    ]
    return out


def _person_response(user: Any, pk: int) -> dict[str, Any]:
    return _person_out(_people(user).get(pk=pk))


# --- people ----------------------------------------------------------------------------------


def _person_data(user: Any, payload: dict[str, Any], instance: Person | None) -> dict[str, Any]:
    data = {k: v for k, v in payload.items() if k != "version"}
    errors: dict[str, list[str]] = {}
    _check_clearance(user, data.get("confidentiality"), errors)
    if instance is None:
        candidate = Person(**data)
    else:
        candidate = copy.copy(instance)
        for key, value in data.items():
            setattr(candidate, key, value)
    _check(candidate, errors, {})
    return data


def _filtered(user: Any, qs: Any, filters: PersonFilters) -> Any:
    """The people of the list and of its export, filtered, in the list's order."""
    if filters.q:
        qs = qs.search(filters.q)
    if filters.organisation_id:
        qs = qs.filter(
            positions__organisation_id=filters.organisation_id,
            positions__organisation__confidentiality__in=visible_levels(user),
        ).distinct()
    return qs.order_by("last_name", "first_name", "id")


@router.get("/people", response={200: PersonPage, **LIST})
def list_people(request: HttpRequest, filters: Query[PersonFilters]) -> Any:
    """People visible to you, with their current positions, paginated (`count` is the total)."""
    user = _user(request)
    count, items = _page(_filtered(user, _people(user), filters), filters)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_person_out(p) for p in items],
    }


@router.get("/people/export", response={200: None, **LIST}, openapi_extra=export_doc("Le persone"))
def export_people(
    request: HttpRequest, filters: Query[PersonFilters], export: Query[ExportQuery]
) -> Any:
    user = _user(request)
    qs = people_for_export(_filtered(user, visible_queryset(user, Person), filters), user)
    return export_response(PERSON_COLUMNS, qs, export.format, filename=_("persone"))


@router.post("/people", response={201: PersonOut, **CREATE})
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    user = _user(request)
    require(user, "add", Person)
    data = _person_data(user, payload.model_dump(), None)
    person = services.create_person(user=user, data=data)
    return Status(201, _person_response(user, person.pk))


@router.get("/people/{person_id}", response={200: PersonOut, **READ})
def get_person(request: HttpRequest, person_id: QueryId) -> Any:
    user = _user(request)
    person, _can_edit = get_for_user(user, Person, person_id)
    return _person_response(user, person.pk)


def _update_person(request: HttpRequest, person_id: int, payload: dict[str, Any]) -> Any:
    user = _user(request)
    person, _can_edit = get_for_user(user, Person, person_id, action="change")
    version = payload.pop("version")
    _stale(person, version)
    data = _person_data(user, payload, person)
    services.update_person(person, user=user, data=data, expected_version=version)
    return _person_response(user, person.pk)


@router.put("/people/{person_id}", response={200: PersonOut, **UPDATE})
def replace_person(request: HttpRequest, person_id: QueryId, payload: PersonPut) -> Any:
    """Replace every field; an absent optional field takes its default."""
    return _update_person(request, person_id, payload.model_dump())


@router.patch("/people/{person_id}", response={200: PersonOut, **UPDATE})
def update_person(request: HttpRequest, person_id: QueryId, payload: PersonPatch) -> Any:
    """Change only the fields sent; `version` is required."""
    return _update_person(request, person_id, payload.model_dump(exclude_unset=True))


@router.delete("/people/{person_id}", response={204: None, **DELETE})
def delete_person(request: HttpRequest, person_id: QueryId) -> Any:
    """Delete the person with their positions; the history stays."""
    user = _user(request)
    person, _can_edit = get_for_user(user, Person, person_id, action="delete")
    try:
        services.delete_person(person, user=user)
    except (models.ProtectedError, models.RestrictedError) as exc:
        raise HttpError(
            409, _("Altri record dipendono da questa persona: non può essere eliminata.")
        ) from exc
    return Status(204, None)
