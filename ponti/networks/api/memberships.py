"""Memberships: list, retrieve, create, update (with the version read: 409 if stale), delete."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.errors import HttpError

from ponti.core.api import ExportQuery, export_doc
from ponti.core.confidentiality import visible_levels
from ponti.core.exports import export_response
from ponti.core.permissions import require, visible_queryset
from ponti.partners.schemas import QueryId

from .. import services
from ..models import Confidence, Membership
from ..queries import membership_for, networks_for
from ..schemas import (
    MembershipFilters,
    MembershipIn,
    MembershipOut,
    MembershipPage,
    MembershipPatch,
)
from ..tables import MEMBERSHIP_COLUMNS, for_export
from .common import (
    CREATE,
    DELETE,
    LIST,
    READ,
    UPDATE_VERSIONED,
    api_errors,
    check_clearance,
    choose_ente,
    page,
    router,
    stale,
    user_of,
)

RENAME = {"network": "network_id", "ente": "ente_id"}


def membership_out(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "ente_id": m.ente_id,
        "ente_name": m.ente.name,
        "network_id": m.network_id,
        "network_name": m.network.name,
        "status": m.status,
        "status_label": m.get_status_display(),
        "since_year": m.since_year,
        "since": m.since,
        "until": m.until,
        "confidence": m.confidence,
        "to_verify": m.confidence == Confidence.LOW,
        "confidentiality": m.confidentiality,
        "notes": m.notes,
        "source": m.source,
        "version": m.version,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }


def _memberships(user: Any) -> Any:
    return (
        visible_queryset(user, Membership)
        .filter(network__confidentiality__in=visible_levels(user))
        .select_related("ente", "network")
    )


def _network(user: Any, network_id: int, errors: dict[str, list[str]]) -> Any:
    network = networks_for(user).filter(pk=network_id).first()
    if network is None:
        errors.setdefault("network_id", []).append(
            _("Nessuna rete con ID %(id)s.") % {"id": network_id}
        )
    return network


def _filtered(qs: Any, filters: MembershipFilters) -> Any:
    """The memberships of the list and of its export, filtered, in the list's order."""
    if filters.network_id:
        qs = qs.filter(network_id=filters.network_id)
    if filters.ente_id:
        qs = qs.filter(ente_id=filters.ente_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("network__name", "pk")


@router.get(
    "/memberships/export",
    response={200: None, **LIST},
    openapi_extra=export_doc("Le adesioni alle reti"),
)
def export_memberships(
    request: HttpRequest, filters: Query[MembershipFilters], export: Query[ExportQuery]
) -> Any:
    rows = for_export(_filtered(_memberships(user_of(request)), filters))
    return export_response(MEMBERSHIP_COLUMNS, rows, export.format, filename=_("adesioni"))


@router.get("/memberships", response={200: MembershipPage, **LIST})
def list_memberships(request: HttpRequest, filters: Query[MembershipFilters]) -> Any:
    """The memberships of your enti, in networks visible to you."""
    qs = _filtered(_memberships(user_of(request)), filters)
    return page(qs, filters, membership_out)


@router.post("/memberships", response={201: MembershipOut, **CREATE})
def create_membership(request: HttpRequest, payload: MembershipIn) -> Any:
    """Register a membership of one of your enti (`ente_id` needed only if you have several)."""
    user = user_of(request)
    require(user, "add", Membership)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    ente = choose_ente(user, data.pop("ente_id"), errors, Membership)
    data["network"] = _network(user, data.pop("network_id"), errors)
    check_clearance(user, data.get("confidentiality"), errors, ente)
    if errors:
        raise ValidationError(errors)
    with api_errors(RENAME):
        membership = services.create_membership(user=user, ente=ente, data=data)
    return Status(201, membership_out(membership))


@router.get("/memberships/{membership_id}", response={200: MembershipOut, **READ})
def get_membership(request: HttpRequest, membership_id: QueryId) -> Any:
    user = user_of(request)
    membership, _editable = membership_for(user, membership_id)
    return membership_out(membership)


@router.patch("/memberships/{membership_id}", response={200: MembershipOut, **UPDATE_VERSIONED})
def update_membership(
    request: HttpRequest, membership_id: QueryId, payload: MembershipPatch
) -> Any:
    """Change only the fields sent; `version` is the one you read (409 if someone saved since)."""
    user = user_of(request)
    membership, _editable = membership_for(user, membership_id, action="change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(membership, version)
    errors: dict[str, list[str]] = {}
    if "network_id" in data:
        data["network"] = _network(user, data.pop("network_id"), errors)
    check_clearance(user, data.get("confidentiality"), errors)
    if errors:
        raise ValidationError(errors)
    with api_errors(RENAME):
        services.update_membership(membership, user=user, data=data, expected_version=version)
    return membership_out(membership)


@router.delete("/memberships/{membership_id}", response={204: None, **DELETE})
def delete_membership(request: HttpRequest, membership_id: QueryId) -> Any:
    """Delete the membership with its roles and working groups: refused (409) while it has fees."""
    user = user_of(request)
    membership, _editable = membership_for(user, membership_id, action="delete")
    try:
        services.delete_membership(membership, user=user)
    except ProtectedError as exc:
        raise HttpError(409, _("L'adesione ha quote registrate: elimina prima le quote.")) from exc
    return Status(204, None)
