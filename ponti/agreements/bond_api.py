"""/api/v1/known-bonds: bonds between two organisations known from public lists (read, delete)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from ponti.core.api import (
    AUTH,
    DELETE,
    LIST,
    READ,
    ExportQuery,
    FieldErrorOut,
    export_doc,
    page,
    user_of,
)
from ponti.core.audit import acting_as
from ponti.core.exports import export_response

from .bond_views import filtered_bonds
from .bonds import KnownBond
from .tables import BOND_COLUMNS

router = Router(tags=["Legami noti"])


class BondSide(Schema):
    id: int
    name: str
    country: str


class BondOut(Schema):
    id: int
    first: BondSide
    second: BondSide
    kind: str
    kind_label: str
    year: int | None
    confidence: str
    low_confidence: bool
    source: str
    note: str
    version: int


class BondPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BondOut]


class BondFilters(Schema):
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=2_147_483_647)
    q: str | None = Field(
        None, max_length=200, description="Parte del nome di una delle due città."
    )
    country: str | None = Field(
        None, max_length=2, description="Codice ISO del paese di una delle due."
    )
    kind: str | None = Field(None, max_length=20)
    confidence: str | None = Field(None, max_length=8)
    organisation_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="I legami di questa organizzazione."
    )


def _side(org: Any) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name, "country": org.country}


def bond_out(bond: KnownBond) -> dict[str, Any]:
    return {
        "id": bond.pk,
        "first": _side(bond.first),
        "second": _side(bond.second),
        "kind": bond.kind,
        "kind_label": str(bond.get_kind_display()),
        "year": bond.year,
        "confidence": bond.confidence,
        "low_confidence": bond.low_confidence,
        "source": bond.source,
        "note": bond.note,
        "version": bond.version,
    }


def _require(user: Any, action: str) -> None:
    if not user.has_perm(f"agreements.{action}_knownbond"):
        raise PermissionDenied


@router.get("/known-bonds", response={200: BondPage, **AUTH, 422: FieldErrorOut})
def list_bonds(request: HttpRequest, filters: Query[BondFilters]) -> Any:
    """The known bonds whose two organisations the reader may see, with the list page's filters."""
    user = user_of(request)
    _require(user, "view")
    params = {
        k: v
        for k, v in filters.dict().items()
        if v not in (None, "") and k not in {"limit", "offset", "organisation_id"}
    }
    qs, _form = filtered_bonds(user, params)
    if filters.organisation_id:
        qs = qs.of(filters.organisation_id)
    return page(qs, filters, bond_out)


def _get(user: Any, bond_id: int) -> KnownBond:
    bond = (
        KnownBond.objects.visible_to(user)
        .select_related("first", "second")
        .filter(pk=bond_id)
        .first()
    )
    if bond is None:
        raise Http404
    return bond


@router.get(
    "/known-bonds/export", response={200: None, **LIST}, openapi_extra=export_doc("I legami noti")
)
def export_bonds(
    request: HttpRequest, filters: Query[BondFilters], export: Query[ExportQuery]
) -> Any:
    user = user_of(request)
    _require(user, "view")
    params = {
        k: v
        for k, v in filters.dict().items()
        if v not in (None, "") and k not in {"limit", "offset", "organisation_id"}
    }
    qs, _form = filtered_bonds(user, params)
    if filters.organisation_id:
        qs = qs.of(filters.organisation_id)
    return export_response(BOND_COLUMNS, qs, export.format, filename=gettext("legami-noti"))


@router.get("/known-bonds/{bond_id}", response={200: BondOut, **READ})
def get_bond(request: HttpRequest, bond_id: int) -> Any:
    user = user_of(request)
    _require(user, "view")
    return bond_out(_get(user, bond_id))


@router.delete("/known-bonds/{bond_id}", response={204: None, **DELETE})
def delete_bond(request: HttpRequest, bond_id: int) -> Any:
    """A bond recorded by mistake; the change log keeps it."""
    user = user_of(request)
    _require(user, "delete")
    bond = _get(user, bond_id)
    with acting_as(user):
        bond.delete()
    return Status(204, None)
