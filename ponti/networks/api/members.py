"""The members of the networks: shared registry data, read by every role, changed by editors.

`GET /network-members?network_id=…&country=DE&sector=universita&not_yet_partner=true` is
"the network's members in Germany with the università sector, not yet our partners".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status

from ponti.core.permissions import require, visible_queryset
from ponti.partners.models import Organisation
from ponti.partners.schemas import QueryId

from .. import services
from ..models import NetworkMember
from ..queries import networks_for, partner_of_user
from ..schemas import (
    NetworkMemberFilters,
    NetworkMemberIn,
    NetworkMemberOut,
    NetworkMemberPage,
    NetworkMemberPatch,
)
from .common import CREATE, LIST, READ, UPDATE_VERSIONED, api_errors, page, router, stale, user_of

RENAME = {"network": "network_id", "member": "member_id"}


def member_out(nm: NetworkMember) -> dict[str, Any]:
    org = nm.member
    return {
        "id": nm.pk,
        "network_id": nm.network_id,
        "network_name": nm.network.name,
        "member_id": nm.member_id,
        "member_name": org.name,
        "member_kind": org.kind,
        "member_country": org.country,
        "member_city": org.city,
        "member_sectors": [s.code for s in org.sectors.all()],
        "since_year": nm.since_year,
        "source": nm.source,
        "is_partner": bool(getattr(nm, "is_partner", False)),
        "version": nm.version,
    }


def _members(user: Any) -> Any:
    require(user, "view", NetworkMember)
    return (
        NetworkMember.objects.visible_to(user)
        .annotate(is_partner=partner_of_user(user, "member_id"))
        .select_related("network", "member")
        .prefetch_related("member__sectors")
    )


def _get(user: Any, pk: int, action: str = "view") -> NetworkMember:
    member = _members(user).filter(pk=pk).first()
    if member is None:
        raise Http404
    if action != "view":
        require(user, action, NetworkMember)
    return member


@router.get("/network-members", response={200: NetworkMemberPage, **LIST})
def list_network_members(request: HttpRequest, filters: Query[NetworkMemberFilters]) -> Any:
    """Members of the networks visible to you, as potential partners; `is_partner` says whether
    one of your enti already has an agreement with the member."""
    user = user_of(request)
    qs = _members(user)
    if filters.network_id:
        qs = qs.filter(network_id=filters.network_id)
    if filters.member_id:
        qs = qs.filter(member_id=filters.member_id)
    if filters.q:
        qs = qs.filter(
            member__in=Organisation.objects.visible_to(user).search(filters.q, reader=user)
        )
    if filters.country:
        qs = qs.filter(member__country=filters.country)
    if filters.sector:
        qs = qs.filter(member__sectors__code=filters.sector)
    if filters.kind:
        qs = qs.filter(member__kind=filters.kind)
    if filters.not_yet_partner:
        qs = qs.filter(is_partner=False)
    return page(qs.distinct().order_by("member__name", "network__name", "pk"), filters, member_out)


@router.post("/network-members", response={201: NetworkMemberOut, **CREATE})
def add_network_member(request: HttpRequest, payload: NetworkMemberIn) -> Any:
    """Record that an organisation of the registry belongs to a network."""
    user = user_of(request)
    require(user, "add", NetworkMember)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    network = networks_for(user).filter(pk=data.pop("network_id")).first()
    if network is None:
        errors["network_id"] = [_("Nessuna rete con questo ID.")]
    member = visible_queryset(user, Organisation).filter(pk=data.pop("member_id")).first()
    if member is None:
        errors["member_id"] = [_("Nessuna organizzazione con questo ID.")]
    if errors:
        raise ValidationError(errors)
    with api_errors(RENAME):
        created = services.save_network_member(
            NetworkMember(network=network, member=member, **data), user=user
        )
    return Status(201, member_out(_get(user, created.pk)))


@router.get("/network-members/{network_member_id}", response={200: NetworkMemberOut, **READ})
def get_network_member(request: HttpRequest, network_member_id: QueryId) -> Any:
    return member_out(_get(user_of(request), network_member_id))


@router.patch(
    "/network-members/{network_member_id}", response={200: NetworkMemberOut, **UPDATE_VERSIONED}
)
def update_network_member(
    request: HttpRequest, network_member_id: QueryId, payload: NetworkMemberPatch
) -> Any:
    """Change the year or the source (the network and the member do not change)."""
    user = user_of(request)
    member = _get(user, network_member_id, "change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(member, version)
    for key, value in data.items():
        setattr(member, key, value)
    with api_errors(RENAME):
        services.save_network_member(member, user=user, expected_version=version)
    return member_out(_get(user, member.pk))


@router.delete("/network-members/{network_member_id}", response={204: None, **READ})
def delete_network_member(request: HttpRequest, network_member_id: QueryId) -> Any:
    user = user_of(request)
    services.delete(_get(user, network_member_id, "delete"), user=user)
    return Status(204, None)
