"""The office as JSON: an ente's Amministratore manages users, roles, tokens and child enti.

The same services and the same scope (`accounts.scope`) as the pages: a user or an ente
outside the enti the caller runs is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Status

from ponti.core.api import (
    AUTH,
    CREATE,
    DELETE,
    LIST,
    READ,
    UPDATE_VERSIONED,
    api_errors,
    page,
    stale,
    user_of,
)
from ponti.core.models import Ente
from ponti.partners.models import Organisation
from ponti.partners.schemas import QueryId

from . import scope, services
from .models import ApiToken, Membership, User
from .schemas import (
    EnteIn,
    EnteOut,
    EntePatch,
    PlaceIn,
    TokenOut,
    UserFilters,
    UserIn,
    UserOut,
    UserPage,
    UserPatch,
)

router = Router(tags=["gestione"])


def _live_tokens() -> Count:
    return Count(
        "api_tokens",
        filter=Q(api_tokens__revoked_at__isnull=True, api_tokens__expires_at__gt=timezone.now()),
        distinct=True,
    )


def _users(caller: Any) -> Any:
    enti = scope.administered_ente_ids(caller)
    return (
        scope.users_for(caller)
        .annotate(active_tokens=_live_tokens())
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(ente_id__in=enti).select_related("ente"),
                to_attr="places",
            )
        )
    )


def user_out(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "has_password": user.has_usable_password(),
        "last_login": user.last_login,
        "date_joined": user.date_joined,
        "version": user.version,
        "places": [
            {
                "ente_id": m.ente_id,
                "ente": m.ente.name,
                "role": m.role,
                "role_label": m.get_role_display(),
                "clearance": m.clearance,
            }
            for m in getattr(user, "places", [])
        ],
        "active_tokens": getattr(user, "active_tokens", 0),
    }


def _user(caller: Any, pk: int) -> User:
    scope.require_office(caller)
    return get_object_or_404(_users(caller), pk=pk)


@router.get("/users", response={200: UserPage, **LIST})
def list_users(request: HttpRequest, filters: Query[UserFilters]) -> Any:
    """The users with a role in the enti you administer (yours and those under them)."""
    caller = user_of(request)
    scope.require_office(caller)
    qs = _users(caller)
    if filters.q:
        qs = qs.filter(
            Q(username__icontains=filters.q)
            | Q(first_name__icontains=filters.q)
            | Q(last_name__icontains=filters.q)
            | Q(email__icontains=filters.q)
        )
    if filters.ente_id:
        qs = qs.filter(memberships__ente_id=filters.ente_id)
    if filters.role:
        qs = qs.filter(memberships__role=filters.role)
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    return page(qs.distinct().order_by("username"), filters, user_out)


@router.post("/users", response={201: UserOut, **CREATE})
def create_user(request: HttpRequest, payload: UserIn) -> Any:
    """A new user with a role in one of your enti; with `invite`, an e-mail lets them choose
    their password (nobody else ever knows it)."""
    caller = user_of(request)
    scope.require_office(caller)
    data = payload.dict()
    if data["ente_id"] not in scope.administered_ente_ids(caller):
        raise ValidationError({"ente_id": ["Indica uno degli enti che amministri."]})
    ente = Ente.objects.get(pk=data.pop("ente_id"))
    with api_errors():
        user = services.create_user(by=caller, ente=ente, **data)
    return Status(201, user_out(_user(caller, user.pk)))


@router.get("/users/{user_id}", response={200: UserOut, **READ})
def get_user(request: HttpRequest, user_id: QueryId) -> Any:
    return user_out(_user(user_of(request), user_id))


@router.patch("/users/{user_id}", response={200: UserOut, **UPDATE_VERSIONED})
def update_user(request: HttpRequest, user_id: QueryId, payload: UserPatch) -> Any:
    """Name and e-mail; `is_active: false` deactivates the account (only if you administer
    every ente the user belongs to) and ends its sessions and tokens."""
    caller = user_of(request)
    target = _user(caller, user_id)
    data = payload.dict(exclude_unset=True)
    stale(target, data.pop("version"))
    active = data.pop("is_active", None)
    with api_errors():
        if data:
            services.update_user(target, by=caller, data=data, expected_version=target.version)
        if active is not None:
            services.set_active(target, by=caller, active=active)
    return user_out(_user(caller, target.pk))


@router.put("/users/{user_id}/places/{ente_id}", response={200: UserOut, **UPDATE_VERSIONED})
def set_place(request: HttpRequest, user_id: QueryId, ente_id: QueryId, payload: PlaceIn) -> Any:
    """Give the user a role and a clearance (at most the role's) in one of your enti."""
    caller = user_of(request)
    target = _user(caller, user_id)
    ente = scope.ente_for(caller, ente_id)
    with api_errors():
        services.set_membership(target, by=caller, ente=ente, **payload.dict())
    return user_out(_user(caller, target.pk))


@router.delete("/users/{user_id}/places/{ente_id}", response={204: None, **DELETE})
def remove_place(request: HttpRequest, user_id: QueryId, ente_id: QueryId) -> Any:
    caller = user_of(request)
    target = _user(caller, user_id)
    ente = scope.ente_for(caller, ente_id)
    with api_errors():
        services.remove_membership(target, by=caller, ente=ente)
    return Status(204, None)


@router.post("/users/{user_id}/access-link", response={204: None, **READ})
def send_access_link(request: HttpRequest, user_id: QueryId) -> Any:
    """E-mail the user a link to choose a new password (and clear a login lockout)."""
    caller = user_of(request)
    target = _user(caller, user_id)
    with api_errors():
        services.send_access_link(target, by=caller)
    return Status(204, None)


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "state": token.state,
    }


@router.get("/users/{user_id}/tokens", response={200: list[TokenOut], **READ})
def list_tokens(request: HttpRequest, user_id: QueryId) -> Any:
    """A user's API tokens: your own, or those of a user of the enti you administer."""
    caller = user_of(request)
    target = get_object_or_404(User, pk=user_id)
    if not services.tokens_visible_to(caller, target):
        raise Http404  # another ente's user is not disclosed
    return [token_out(t) for t in target.api_tokens.all()]


@router.delete("/tokens/{token_id}", response={204: None, **READ})
def revoke_token(request: HttpRequest, token_id: QueryId) -> Any:
    """Revoke a token: its owner, or an Amministratore of one of the owner's enti."""
    caller = user_of(request)
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_id)
    if not services.tokens_visible_to(caller, token.user):
        raise Http404
    services.revoke_token(token, by=caller)
    return Status(204, None)


# --- enti -----------------------------------------------------------------------------------


def ente_out(ente: Ente) -> dict[str, Any]:
    org = Organisation.objects.filter(represents=ente).values_list("pk", flat=True).first()
    return {
        "id": ente.pk,
        "name": ente.name,
        "short_name": ente.short_name,
        "kind": ente.kind,
        "kind_label": ente.get_kind_display(),
        "parent_id": ente.parent_id,
        "city": ente.city,
        "country": ente.country,
        "organisation_id": org,
        "version": ente.version,
    }


def _parent(caller: Any, parent_id: int | None) -> Ente | None:
    if parent_id is None:
        return None
    if parent_id not in scope.administered_ente_ids(caller):
        raise ValidationError({"parent_id": ["Indica uno degli enti che amministri."]})
    return Ente.objects.get(pk=parent_id)


@router.get("/enti", response={200: list[EnteOut], **AUTH})
def list_enti(request: HttpRequest) -> Any:
    """The enti you administer: yours and those under them."""
    caller = user_of(request)
    scope.require_office(caller)
    return [ente_out(e) for e in scope.administered_enti(caller)]


@router.post("/enti", response={201: EnteOut, **CREATE})
def create_ente(request: HttpRequest, payload: EnteIn) -> Any:
    """A new ente under one you administer (a top-level ente: superusers only)."""
    caller = user_of(request)
    scope.require_office(caller)
    data = payload.dict()
    parent = _parent(caller, data.pop("parent_id"))
    org_id = data.pop("organisation_id")
    organisation = None
    if org_id is not None:
        organisation = Organisation.objects.filter(pk=org_id).first()
        if organisation is None:
            raise ValidationError({"organisation_id": [f"Nessuna organizzazione con ID {org_id}."]})
    data["country"] = str(data["country"])
    try:
        with api_errors({"parent": "parent_id", "organisation": "organisation_id"}):
            ente = services.create_ente(
                by=caller, data=data, parent=parent, organisation=organisation
            )
    except PermissionDenied as exc:
        raise ValidationError({"parent_id": [str(exc)]}) from exc
    return Status(201, ente_out(ente))


@router.get("/enti/{ente_id}", response={200: EnteOut, **READ})
def get_ente(request: HttpRequest, ente_id: QueryId) -> Any:
    return ente_out(scope.ente_for(user_of(request), ente_id))


@router.patch("/enti/{ente_id}", response={200: EnteOut, **UPDATE_VERSIONED})
def update_ente(request: HttpRequest, ente_id: QueryId, payload: EntePatch) -> Any:
    caller = user_of(request)
    ente = scope.ente_for(caller, ente_id)
    data = payload.dict(exclude_unset=True)
    stale(ente, data.pop("version"))
    parent = _parent(caller, data.pop("parent_id")) if "parent_id" in data else ente.parent
    if "country" in data and data["country"] is not None:
        data["country"] = str(data["country"])
    try:
        with api_errors({"parent": "parent_id"}):
            services.update_ente(
                ente, by=caller, data=data, parent=parent, expected_version=ente.version
            )
    except PermissionDenied as exc:
        raise ValidationError({"parent_id": [str(exc)]}) from exc
    return ente_out(ente)
