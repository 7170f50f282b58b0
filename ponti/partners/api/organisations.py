"""Organisations: list, create, read, update and delete."""

import copy
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.errors import HttpError

from ponti.core.api import ExportQuery, export_doc
from ponti.core.confidentiality import visible_levels
from ponti.core.exports import export_response
from ponti.core.forms import tags_from_names
from ponti.core.models import Sector
from ponti.core.permissions import get_for_user, require, visible_queryset

from .. import matching, services
from ..models import Organisation
from ..schemas import (
    DuplicateOut,
    OrganisationCreate,
    OrganisationFilters,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
    OrganisationPut,
    QueryId,
)
from ..tables import ORGANISATION_COLUMNS, organisations_for_export
from .common import (
    CREATE,
    DELETE,
    LIST,
    READ,
    UPDATE,
    _check,
    _check_clearance,
    _fields_renamed,
    _page,
    _stale,
    _user,
    router,
)

COORDINATE_STEP = Decimal("0.000001")  # the models keep six decimals (about 10 cm)


def _decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(COORDINATE_STEP, rounding=ROUND_HALF_EVEN)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


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


def _filtered(user: Any, qs: Any, filters: OrganisationFilters) -> Any:
    """The organisations of the list and of its export, filtered, in the list's order."""
    if filters.q:
        qs = qs.search(filters.q, reader=user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.sector:
        qs = qs.filter(sectors__code=filters.sector).distinct()
    if filters.tag:
        qs = qs.filter(tags__name__iexact=filters.tag).distinct()
    return qs.order_by(filters.sort, "id")


@router.get("/organisations", response={200: OrganisationPage, **LIST})
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """Organisations visible to you, filtered and paginated (`count` is the total)."""
    user = _user(request)
    qs = _filtered(user, _organisations(user), filters)
    count, items = _page(qs, filters)
    levels = visible_levels(user)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_organisation_out(o, levels) for o in items],
    }


@router.get(
    "/organisations/export",
    response={200: None, **LIST},
    openapi_extra=export_doc("Le organizzazioni"),
)
def export_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters], export: Query[ExportQuery]
) -> Any:
    user = _user(request)
    qs = organisations_for_export(
        _filtered(user, visible_queryset(user, Organisation), filters), user
    )
    return export_response(ORGANISATION_COLUMNS, qs, export.format, filename=_("organizzazioni"))


def duplicates_out(user: Any, data: dict[str, Any]) -> Any:
    """The probable duplicates of the organisation described, among those the user may see."""
    found = matching.candidates(
        data["name"],
        reader=user,
        country=str(data.get("country") or ""),
        wikidata_id=data.get("wikidata_id") or "",
        other_names=[entry["name"] for entry in data.get("other_names") or ()],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
    )
    if not any(candidate.probable for candidate in found):
        return None
    return {
        "detail": _(
            "Nel registro c'è già un'organizzazione che sembra questa: usa quella, oppure "
            "invia di nuovo con «force»: true se è davvero un'altra."
        ),
        "candidates": [
            {
                "id": c.organisation.pk,
                "name": c.organisation.name,
                "country": c.organisation.country,
                "city": c.organisation.city,
                "score": round(c.score, 3),
                "certain": c.certain,
                "reasons": c.reasons,
            }
            for c in found
        ],
    }


@router.post("/organisations", response={201: OrganisationOut, 409: DuplicateOut, **CREATE})
def create_organisation(request: HttpRequest, payload: OrganisationCreate) -> Any:
    """Create an organisation. A probable duplicate of one you may see is refused with 409
    and the candidates (same Wikidata id, the same name in any language in the same
    country, a close name nearby), unless `force` is true."""
    user = _user(request)
    require(user, "add", Organisation)
    body = payload.model_dump()
    # Before the model's checks: a Wikidata id already taken is a duplicate to show (409),
    # not only a unique field to refuse (422).
    if not body.pop("force") and (duplicates := duplicates_out(user, body)) is not None:
        return Status(409, duplicates)
    data, other_names = _organisation_data(user, body, None)
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
