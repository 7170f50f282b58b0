"""The partner registry as JSON: organisations, people, their positions over time, and history.

Reads go through `ponti.core.permissions` (a record the user may not see is a 404, a
missing role permission a 403); every change goes through `services`, the functions the
pages call. Organisations and people carry a `version`: an update names the version it
was made from, and a stale one is answered with 409 and what changed meanwhile.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from ponti.core.api import ConflictOut, ErrorOut, FieldErrorOut, field_errors
from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS, clearance, visible_levels
from ponti.core.forms import tags_from_names
from ponti.core.models import AuditEvent, Sector
from ponti.core.permissions import get_for_user, require, visible_queryset
from ponti.core.services import ConflictError

from . import services
from .models import Organisation, Person, Position
from .schemas import (
    HistoryPage,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
    OrganisationPut,
    PageQuery,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
    PersonPositionIn,
    PersonPut,
    PositionIn,
    PositionOut,
    PositionPage,
    PositionPatch,
    PositionPut,
    QueryId,
)

router = Router(tags=["partner"])

# Every status an operation can answer, so that the OpenAPI document is truthful.
AUTH = {401: ErrorOut, 403: ErrorOut}
READ = {**AUTH, 404: ErrorOut, 422: FieldErrorOut}
LIST = {**AUTH, 422: FieldErrorOut}
BODY = {400: ErrorOut, 413: ErrorOut, 422: FieldErrorOut}
CREATE = {**AUTH, **BODY}
CREATE_UNDER = {**READ, **BODY}
UPDATE = {**READ, **BODY, 409: ConflictOut}
UPDATE_UNVERSIONED = {**READ, **BODY}
DELETE = {**READ, 409: ErrorOut}

COORDINATE_STEP = Decimal("0.000001")  # the models keep six decimals (about 10 cm)


# --- helpers ---------------------------------------------------------------------------------


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@contextmanager
def _fields_renamed(rename: dict[str, str], prefix: str = "") -> Iterator[None]:
    """Model errors named as the API names its fields (`parent` is `parent_id`)."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError(_renamed(field_errors(exc), rename, prefix)) from exc


def _renamed(
    errors: dict[str, list[str]], rename: dict[str, str], prefix: str = ""
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        name = rename.get(key, key)
        if prefix:
            name = prefix if name == NON_FIELD_ERRORS else f"{prefix}.{name}"
        out.setdefault(name, []).extend(messages)
    return out


def _check(
    candidate: models.Model,
    errors: dict[str, list[str]],
    rename: dict[str, str],
    *,
    exclude: tuple[str, ...] = (),
) -> None:
    """Run the model's own validation on an unsaved candidate and raise every error at once.

    The service validates again when it saves; this pass lets the client see the model's
    errors together with the API's own (unknown parent, unknown sector, a language twice…).
    Fields that already have an error are not validated again.
    """
    api_to_model = {api: model for model, api in rename.items()}
    skip = {*exclude, *(api_to_model.get(key, key) for key in errors)}
    try:
        candidate.full_clean(exclude=sorted(skip))
    except ValidationError as exc:
        for key, messages in _renamed(field_errors(exc), rename).items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_clearance(user: Any, level: Any, errors: dict[str, list[str]]) -> None:
    if level is not None and CONFIDENTIALITY_LEVELS[str(level)] > clearance(user):
        errors.setdefault("confidentiality", []).append(
            _("Non puoi assegnare un livello di riservatezza che non potresti leggere.")
        )


def _check_dates(start: Any, end: Any, errors: dict[str, list[str]]) -> None:
    """Named on `end_date`: the model's check constraint would be an anonymous error."""
    if start and end and end < start:
        errors.setdefault("end_date", []).append(
            _("La data di fine non può precedere quella di inizio.")
        )


def _decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(COORDINATE_STEP, rounding=ROUND_HALF_EVEN)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _page(qs: Any, params: PageQuery) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[params.offset : params.offset + params.limit])


def _stale(obj: Any, version: int) -> None:
    """Refuse a stale version before looking at the data: the edit was made on old values."""
    if obj.version != version:
        raise ConflictError(obj, version)


# --- output ----------------------------------------------------------------------------------


def _organisations(user: Any) -> Any:
    return (
        visible_queryset(user, Organisation)
        .select_related("parent")
        .prefetch_related("sectors", "tags", "other_names")
    )


def _organisation_out(org: Organisation, levels: list[str]) -> dict[str, Any]:
    parent = org.parent if org.parent_id else None
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "country": org.country,
        "country_name": org.country_name,
        "city": org.city,
        "address": org.address,
        "latitude": _number(org.latitude),
        "longitude": _number(org.longitude),
        "website": org.website,
        "wikidata_id": org.wikidata_id,
        "parent_id": parent.pk if parent is not None and parent.confidentiality in levels else None,
        "sectors": [s.code for s in org.sectors.all()],
        "tags": [t.name for t in org.tags.all()],
        "description": org.description,
        "confidentiality": org.confidentiality,
        "other_names": [{"language": n.language, "name": n.name} for n in org.other_names.all()],
        "version": org.version,
        "created_at": org.created_at,
        "updated_at": org.updated_at,
    }


def _organisation_response(user: Any, pk: int) -> dict[str, Any]:
    return _organisation_out(_organisations(user).get(pk=pk), visible_levels(user))


def _position_out(position: Position) -> dict[str, Any]:
    return {
        "id": position.pk,
        "person_id": position.person_id,
        "person_name": position.person.full_name,
        "organisation_id": position.organisation_id,
        "organisation_name": position.organisation.name,
        "role": position.role,
        "start_date": position.start_date,
        "end_date": position.end_date,
        "is_current": position.is_current,
        "created_at": position.created_at,
        "updated_at": position.updated_at,
    }


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


def _history_out(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "at": event.at,
        "actor": event.actor_repr or None,
        "action": event.action,
        "action_label": event.get_action_display(),
        "object_type": event.content_type.model,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "object_version": event.object_version,
        "changes": event.changes if isinstance(event.changes, dict) else {"value": event.changes},
        "note": event.note,
    }


def _history_page(events: Any, params: PageQuery) -> dict[str, Any]:
    count, items = _page(events, params)
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [_history_out(e) for e in items],
    }


# --- organisations ---------------------------------------------------------------------------

ORGANISATION_FIELDS = {"parent": "parent_id"}


def _is_ancestor(candidate: Organisation, org: Organisation) -> bool:
    """Whether `org` is `candidate` or one of its ancestors (a parent chain must not loop)."""
    seen: set[int] = set()
    current: Organisation | None = candidate
    while current is not None and current.pk not in seen:
        if current.pk == org.pk:
            return True
        seen.add(current.pk)
        current = (
            Organisation.objects.filter(pk=current.parent_id).first() if current.parent_id else None
        )
    return False


def _organisation_data(
    user: Any, payload: dict[str, Any], instance: Organisation | None
) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The payload as the service's `data` and `other_names`, checked against the database."""
    data = dict(payload)
    data.pop("version", None)
    errors: dict[str, list[str]] = {}
    if "country" in data:
        data["country"] = str(data["country"])  # the Country enum's value
    for name in ("latitude", "longitude"):
        if name in data:
            data[name] = _decimal(data[name])
    if "parent_id" in data:
        parent_id = data.pop("parent_id")
        hidden_parent = (
            instance is not None
            and instance.parent_id is not None
            and not visible_queryset(user, Organisation).filter(pk=instance.parent_id).exists()
        )
        if parent_id is None:
            if not hidden_parent:  # a parent the user cannot see is not cleared by them
                data["parent"] = None
        else:
            parent = visible_queryset(user, Organisation).filter(pk=parent_id).first()
            if parent is None:
                errors["parent_id"] = [
                    _("Nessuna organizzazione con ID %(id)s.") % {"id": parent_id}
                ]
            elif instance is not None and _is_ancestor(parent, instance):
                errors["parent_id"] = [
                    _("Un'organizzazione non può essere madre di sé stessa o di una sua antenata.")
                ]
            else:
                data["parent"] = parent
    if "sectors" in data:
        codes = list(dict.fromkeys(data["sectors"]))
        found = list(Sector.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {s.code for s in found})
        if missing:
            errors["sectors"] = [
                _("Settori sconosciuti: %(codes)s.") % {"codes": ", ".join(missing)}
            ]
        data["sectors"] = found
    if "tags" in data:
        data["tags"] = sorted({" ".join(t.split()) for t in data["tags"]})
    _check_clearance(user, data.get("confidentiality"), errors)
    other_names: dict[str, str] | None = None
    if data.get("other_names") is not None:
        other_names = {}
        for entry in data["other_names"]:
            if entry["language"] in other_names:
                errors.setdefault("other_names", []).append(
                    _("La lingua «%(lang)s» è indicata più di una volta.")
                    % {"lang": entry["language"]}
                )
            other_names[entry["language"]] = entry["name"]
    data.pop("other_names", None)

    plain = {k: v for k, v in data.items() if k not in services.M2M_FIELDS}
    if instance is None:
        candidate = Organisation(**plain)
    else:
        candidate = copy.copy(instance)
        for key, value in plain.items():
            setattr(candidate, key, value)
    _check(candidate, errors, ORGANISATION_FIELDS)
    return data, other_names


def _explain_integrity_error(
    exc: IntegrityError, wikidata_id: str | None, pk: int | None
) -> ValidationError:
    """A unique constraint lost to a concurrent save: a 422 naming the field, never a 500."""
    others = Organisation.objects.filter(wikidata_id=wikidata_id)
    if pk is not None:
        others = others.exclude(pk=pk)
    if wikidata_id and others.exists():
        return ValidationError(
            {"wikidata_id": [_("Un'altra organizzazione ha già questo ID Wikidata.")]}
        )
    return ValidationError(_("I dati sono in conflitto con un altro record: ricarica e riprova."))


@router.get("/organisations", response={200: OrganisationPage, **LIST})
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """Organisations visible to you, filtered and paginated (`count` is the total)."""
    user = _user(request)
    qs = _organisations(user)
    if filters.q:
        qs = qs.search(filters.q)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.sector:
        qs = qs.filter(sectors__code=filters.sector).distinct()
    if filters.tag:
        qs = qs.filter(tags__name__iexact=filters.tag).distinct()
    qs = qs.order_by(filters.sort, "id")
    count, items = _page(qs, filters)
    levels = visible_levels(user)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_organisation_out(o, levels) for o in items],
    }


@router.post("/organisations", response={201: OrganisationOut, **CREATE})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    user = _user(request)
    require(user, "add", Organisation)
    data, other_names = _organisation_data(user, payload.model_dump(), None)
    try:
        with transaction.atomic():
            data["tags"] = tags_from_names(data["tags"])
            with _fields_renamed(ORGANISATION_FIELDS):
                org = services.create_organisation(user=user, data=data, other_names=other_names)
    except IntegrityError as exc:
        raise _explain_integrity_error(exc, data.get("wikidata_id"), None) from exc
    return Status(201, _organisation_response(user, org.pk))


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **READ})
def get_organisation(request: HttpRequest, organisation_id: QueryId) -> Any:
    user = _user(request)
    org, _can_edit = get_for_user(user, Organisation, organisation_id)
    return _organisation_response(user, org.pk)


def _update_organisation(
    request: HttpRequest, organisation_id: int, payload: dict[str, Any]
) -> Any:
    user = _user(request)
    org, _can_edit = get_for_user(user, Organisation, organisation_id, action="change")
    version = payload.pop("version")
    _stale(org, version)
    data, other_names = _organisation_data(user, payload, org)
    try:
        with transaction.atomic():
            if "tags" in data:
                data["tags"] = tags_from_names(data["tags"])
            with _fields_renamed(ORGANISATION_FIELDS):
                services.update_organisation(
                    org, user=user, data=data, expected_version=version, other_names=other_names
                )
    except IntegrityError as exc:
        raise _explain_integrity_error(exc, data.get("wikidata_id"), org.pk) from exc
    return _organisation_response(user, org.pk)


@router.put("/organisations/{organisation_id}", response={200: OrganisationOut, **UPDATE})
def replace_organisation(
    request: HttpRequest, organisation_id: QueryId, payload: OrganisationPut
) -> Any:
    """Replace every field; one left out takes its default (no `other_names` clears them)."""
    return _update_organisation(request, organisation_id, payload.model_dump())


@router.patch("/organisations/{organisation_id}", response={200: OrganisationOut, **UPDATE})
def update_organisation(
    request: HttpRequest, organisation_id: QueryId, payload: OrganisationPatch
) -> Any:
    """Change only the fields sent; `version` is required."""
    return _update_organisation(request, organisation_id, payload.model_dump(exclude_unset=True))


@router.delete("/organisations/{organisation_id}", response={204: None, **DELETE})
def delete_organisation(request: HttpRequest, organisation_id: QueryId) -> Any:
    """Delete the organisation with its positions and names; its history stays."""
    user = _user(request)
    org, _can_edit = get_for_user(user, Organisation, organisation_id, action="delete")
    try:
        services.delete_organisation(org, user=user)
    except (models.ProtectedError, models.RestrictedError) as exc:
        raise HttpError(
            409, _("Altri record dipendono da questa organizzazione: non può essere eliminata.")
        ) from exc
    return Status(204, None)


@router.get("/organisations/{organisation_id}/history", response={200: HistoryPage, **READ})
def organisation_history(
    request: HttpRequest, organisation_id: QueryId, page: Query[PageQuery]
) -> Any:
    """Read-only audit trail of the organisation, its names, positions and merged duplicates."""
    user = _user(request)
    org, _can_edit = get_for_user(user, Organisation, organisation_id)
    require(user, "view", AuditEvent)
    return _history_page(services.history_for_organisation(org).visible_to(user), page)


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


def _save_position(user: Any, position: Position, errors: dict[str, list[str]]) -> Position:
    _check_dates(position.start_date, position.end_date, errors)
    _check(copy.copy(position), errors, POSITION_FIELDS)
    with _fields_renamed(POSITION_FIELDS):
        return services.save_position(position, user=user)


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
    _check_dates(payload.start_date, payload.end_date, errors)
    candidate = Position(
        person=person,
        organisation=org,
        role=payload.role,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    _check(candidate, errors, POSITION_FIELDS, exclude=("person",))
    with _fields_renamed(POSITION_FIELDS):
        position = services.add_position(
            org,
            user=user,
            person=person,
            new_person=new_person,
            role=payload.role,
            start_date=payload.start_date,
            end_date=payload.end_date,
        )
    return Status(201, _position_out(_positions(user).get(pk=position.pk)))


@router.get("/positions/{position_id}", response={200: PositionOut, **READ})
def get_position(request: HttpRequest, position_id: QueryId) -> Any:
    return _position_out(_get_position(_user(request), position_id))


def _update_position(request: HttpRequest, position_id: int, payload: dict[str, Any]) -> Any:
    user = _user(request)
    position = _get_position(user, position_id, "change")
    for key, value in payload.items():
        setattr(position, key, value)
    _save_position(user, position, {})
    return _position_out(_positions(user).get(pk=position.pk))


@router.put("/positions/{position_id}", response={200: PositionOut, **UPDATE_UNVERSIONED})
def replace_position(request: HttpRequest, position_id: QueryId, payload: PositionPut) -> Any:
    """Replace role and dates (the person and the organisation do not change)."""
    return _update_position(request, position_id, payload.model_dump())


@router.patch("/positions/{position_id}", response={200: PositionOut, **UPDATE_UNVERSIONED})
def update_position(request: HttpRequest, position_id: QueryId, payload: PositionPatch) -> Any:
    """Change only the fields sent, e.g. `{"end_date": "2025-06-30"}` when a consul leaves."""
    return _update_position(request, position_id, payload.model_dump(exclude_unset=True))


@router.delete("/positions/{position_id}", response={204: None, **READ})
def delete_position(request: HttpRequest, position_id: QueryId) -> Any:
    user = _user(request)
    position = _get_position(user, position_id, "delete")
    services.delete_position(position, user=user)
    return Status(204, None)


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


@router.get("/people", response={200: PersonPage, **LIST})
def list_people(request: HttpRequest, filters: Query[PersonFilters]) -> Any:
    """People visible to you, with their current positions, paginated (`count` is the total)."""
    user = _user(request)
    qs = _people(user)
    if filters.q:
        qs = qs.search(filters.q)
    if filters.organisation_id:
        qs = qs.filter(
            positions__organisation_id=filters.organisation_id,
            positions__organisation__confidentiality__in=visible_levels(user),
        ).distinct()
    count, items = _page(qs.order_by("last_name", "first_name", "id"), filters)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_person_out(p) for p in items],
    }


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


@router.get("/people/{person_id}/history", response={200: HistoryPage, **READ})
def person_history(request: HttpRequest, person_id: QueryId, page: Query[PageQuery]) -> Any:
    """Read-only audit trail of the person and of their positions."""
    user = _user(request)
    person, _can_edit = get_for_user(user, Person, person_id)
    require(user, "view", AuditEvent)
    return _history_page(AuditEvent.objects.for_object(person).visible_to(user), page)


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
    _check_dates(payload.start_date, payload.end_date, errors)
    candidate = Position(
        person=person,
        organisation=org,
        role=payload.role,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    _check(candidate, errors, POSITION_FIELDS, exclude=("organisation",) if org is None else ())
    assert org is not None  # _check raised otherwise
    with _fields_renamed(POSITION_FIELDS):
        position = services.add_position(
            org,
            user=user,
            person=person,
            new_person=None,
            role=payload.role,
            start_date=payload.start_date,
            end_date=payload.end_date,
        )
    return Status(201, _position_out(_positions(user).get(pk=position.pk)))
