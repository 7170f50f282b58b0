"""A membership's roles, working groups and fees: listed and added under the membership,
read, changed and deleted by their own id. Seen with their membership (ente, clearance)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status

from ponti.core.confidentiality import visible_levels
from ponti.core.permissions import get_for_user, require, visible_queryset
from ponti.partners.models import Person
from ponti.partners.schemas import QueryId
from ponti.planning import services as planning_services

from .. import services
from ..models import Fee, MembershipRole, WorkingGroup
from ..queries import membership_for
from ..schemas import (
    FeeIn,
    FeeOut,
    FeePatch,
    RoleIn,
    RoleOut,
    RolePatch,
    WorkingGroupIn,
    WorkingGroupOut,
    WorkingGroupPatch,
)
from .common import CREATE_UNDER, READ, UPDATE_VERSIONED, api_errors, router, stale, user_of


def _part(user: Any, model: Any, pk: int, action: str = "view") -> Any:
    """A part the user may see (through its membership); 404 otherwise, 403 without the role."""
    part, _editable = get_for_user(user, model, pk)
    membership_for(user, part.membership_id)  # the membership's network must be visible too
    if action != "view":
        require(user, action, model)
    return part


def _under(request: HttpRequest, membership_id: int, model: Any, action: str = "view") -> Any:
    user = user_of(request)
    membership, _editable = membership_for(user, membership_id)
    require(user, action, model)
    return membership


# --- roles -----------------------------------------------------------------------------------


def role_out(r: MembershipRole) -> dict[str, Any]:
    return {
        "id": r.pk,
        "membership_id": r.membership_id,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "detail": r.detail,
        "start_date": r.start_date,
        "start_year": r.start_year,
        "end_date": r.end_date,
        "end_year": r.end_year,
        "is_current": r.is_current(),
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "version": r.version,
    }


@router.get("/memberships/{membership_id}/roles", response={200: list[RoleOut], **READ})
def list_roles(request: HttpRequest, membership_id: QueryId) -> Any:
    """The roles over time, in the order they began."""
    membership = _under(request, membership_id, MembershipRole)
    return [role_out(r) for r in membership.timeline()]


@router.post("/memberships/{membership_id}/roles", response={201: RoleOut, **CREATE_UNDER})
def add_role(request: HttpRequest, membership_id: QueryId, payload: RoleIn) -> Any:
    """A role from a day (`start_date`) or, if only the year is known, a year (`start_year`)."""
    membership = _under(request, membership_id, MembershipRole, "add")
    role = MembershipRole(membership=membership, **payload.dict())
    with api_errors():
        services.save_role(role, user=user_of(request))
    return Status(201, role_out(role))


@router.get("/membership-roles/{role_id}", response={200: RoleOut, **READ})
def get_role(request: HttpRequest, role_id: QueryId) -> Any:
    return role_out(_part(user_of(request), MembershipRole, role_id))


@router.patch("/membership-roles/{role_id}", response={200: RoleOut, **UPDATE_VERSIONED})
def update_role(request: HttpRequest, role_id: QueryId, payload: RolePatch) -> Any:
    """Change only the fields sent, e.g. `{"end_date": "2024-06-30"}` when a term ends."""
    user = user_of(request)
    role = _part(user, MembershipRole, role_id, "change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(role, version)
    for key, value in data.items():
        setattr(role, key, value)
    with api_errors():
        services.save_role(role, user=user, expected_version=version)
    return role_out(role)


@router.delete("/membership-roles/{role_id}", response={204: None, **READ})
def delete_role(request: HttpRequest, role_id: QueryId) -> Any:
    user = user_of(request)
    services.delete(_part(user, MembershipRole, role_id, "delete"), user=user)
    return Status(204, None)


# --- working groups --------------------------------------------------------------------------


def group_out(g: WorkingGroup, levels: list[str]) -> dict[str, Any]:
    people = [p for p in g.representatives.all() if p.confidentiality in levels]
    return {
        "id": g.pk,
        "membership_id": g.membership_id,
        "name": g.name,
        "kind": g.kind,
        "kind_label": g.get_kind_display(),
        "since_year": g.since_year,
        "until_year": g.until_year,
        "representatives": [{"id": p.pk, "name": p.full_name} for p in people],
        "notes": g.notes,
        "created_at": g.created_at,
        "updated_at": g.updated_at,
        "version": g.version,
    }


def _representatives(user: Any, ids: list[int], group: WorkingGroup | None) -> list[Person]:
    """The people named, which must be visible; people the user cannot see stay as they are."""
    people = visible_queryset(user, Person)
    found = list(people.filter(pk__in=ids))
    missing = sorted(set(ids) - {p.pk for p in found})
    if missing:
        raise ValidationError(
            {
                "representative_ids": [
                    _("Persone inesistenti: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
                ]
            }
        )
    hidden = list(group.representatives.exclude(pk__in=people)) if group and group.pk else []
    return [*found, *hidden]


@router.get(
    "/memberships/{membership_id}/working-groups", response={200: list[WorkingGroupOut], **READ}
)
def list_groups(request: HttpRequest, membership_id: QueryId) -> Any:
    membership = _under(request, membership_id, WorkingGroup)
    levels = visible_levels(user_of(request))
    return [
        group_out(g, levels) for g in membership.working_groups.prefetch_related("representatives")
    ]


@router.post(
    "/memberships/{membership_id}/working-groups", response={201: WorkingGroupOut, **CREATE_UNDER}
)
def add_group(request: HttpRequest, membership_id: QueryId, payload: WorkingGroupIn) -> Any:
    """A working group or forum joined, with its representatives (people of the registry)."""
    user = user_of(request)
    membership = _under(request, membership_id, WorkingGroup, "add")
    data = payload.dict()
    people = _representatives(user, data.pop("representative_ids"), None)
    group = WorkingGroup(membership=membership, **data)
    with api_errors():
        services.save_working_group(group, user=user, representatives=people)
    return Status(201, group_out(group, visible_levels(user)))


@router.get("/working-groups/{group_id}", response={200: WorkingGroupOut, **READ})
def get_group(request: HttpRequest, group_id: QueryId) -> Any:
    user = user_of(request)
    return group_out(_part(user, WorkingGroup, group_id), visible_levels(user))


@router.patch("/working-groups/{group_id}", response={200: WorkingGroupOut, **UPDATE_VERSIONED})
def update_group(request: HttpRequest, group_id: QueryId, payload: WorkingGroupPatch) -> Any:
    """Change only the fields sent; `representative_ids` replaces the representatives."""
    user = user_of(request)
    group = _part(user, WorkingGroup, group_id, "change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(group, version)
    people = None
    if "representative_ids" in data:
        ids = data.pop("representative_ids")
        if ids is None:
            raise ValidationError({"representative_ids": [_("Un elenco, anche vuoto.")]})
        people = _representatives(user, ids, group)
    for key, value in data.items():
        setattr(group, key, value)
    with api_errors():
        services.save_working_group(
            group, user=user, representatives=people, expected_version=version
        )
    return group_out(group, visible_levels(user))


@router.delete("/working-groups/{group_id}", response={204: None, **READ})
def delete_group(request: HttpRequest, group_id: QueryId) -> Any:
    user = user_of(request)
    services.delete(_part(user, WorkingGroup, group_id, "delete"), user=user)
    return Status(204, None)


# --- fees ------------------------------------------------------------------------------------


def fee_out(f: Fee, charged: dict[Any, Any] | None = None) -> dict[str, Any]:
    """A fee; `charged` (fee id → budget line, from `lines_charged_by`) spares a query per fee."""
    if charged is None:
        charged = planning_services.lines_charged_by([f])
    line = charged.get(f.pk)
    return {
        "id": f.pk,
        "membership_id": f.membership_id,
        "year": f.year,
        "amount": f"{f.amount:.2f}",
        "paid": f.paid,
        "paid_on": f.paid_on,
        "notes": f.notes,
        "budget_line_id": line.pk if line is not None else None,
        "created_at": f.created_at,
        "updated_at": f.updated_at,
        "version": f.version,
    }


@router.get("/memberships/{membership_id}/fees", response={200: list[FeeOut], **READ})
def list_fees(request: HttpRequest, membership_id: QueryId) -> Any:
    """The yearly fees, the latest year first."""
    membership = _under(request, membership_id, Fee)
    fees = list(membership.fees.all())
    charged = planning_services.lines_charged_by(fees)
    return [fee_out(f, charged) for f in fees]


@router.post("/memberships/{membership_id}/fees", response={201: FeeOut, **CREATE_UNDER})
def add_fee(request: HttpRequest, membership_id: QueryId, payload: FeeIn) -> Any:
    """One fee per year, not negative; `paid_on` only for a paid fee."""
    membership = _under(request, membership_id, Fee, "add")
    data = payload.dict()
    line_id = data.pop("budget_line_id")
    fee = Fee(membership=membership, **data)
    with api_errors({"budget_line": "budget_line_id"}):
        services.save_fee(fee, user=user_of(request), budget_line_id=line_id)
    return Status(201, fee_out(fee))


@router.get("/fees/{fee_id}", response={200: FeeOut, **READ})
def get_fee(request: HttpRequest, fee_id: QueryId) -> Any:
    return fee_out(_part(user_of(request), Fee, fee_id))


@router.patch("/fees/{fee_id}", response={200: FeeOut, **UPDATE_VERSIONED})
def update_fee(request: HttpRequest, fee_id: QueryId, payload: FeePatch) -> Any:
    """Change only the fields sent, e.g. `{"paid": true, "paid_on": "2025-03-31"}`."""
    user = user_of(request)
    fee = _part(user, Fee, fee_id, "change")
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    stale(fee, version)
    line_id = changes.pop("budget_line_id", services.KEEP)
    for key, value in changes.items():
        setattr(fee, key, value)
    with api_errors({"budget_line": "budget_line_id"}):
        services.save_fee(fee, user=user, budget_line_id=line_id, expected_version=version)
    return fee_out(fee)


@router.delete("/fees/{fee_id}", response={204: None, **READ})
def delete_fee(request: HttpRequest, fee_id: QueryId) -> Any:
    user = user_of(request)
    services.delete(_part(user, Fee, fee_id, "delete"), user=user)
    return Status(204, None)
