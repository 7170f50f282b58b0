"""Saved searches as JSON: `GET/POST /opportunities/saved-searches`, `DELETE
/opportunities/saved-searches/{id}`. Each user reaches only their own (another's is a 404).
Mounted by ponti/api.py, before the opportunities' own paths."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ponti.core.api import AUTH, CREATE, READ, api_errors, choose_ente, user_of
from ponti.core.permissions import require
from ponti.partners.schemas import InSchema, QueryId

from . import saved_searches
from .models import Opportunity
from .watching import SavedSearch


class SavedSearchParams(InSchema):
    q: str = Field("", max_length=200)
    programme: int | None = Field(None, ge=1)
    kind: str = Field("", max_length=20)
    sector: int | None = Field(None, ge=1)
    within_days: int | None = Field(None, ge=1, le=3650)
    call_status: str = Field("", max_length=20)
    decision: str = Field("", max_length=20)


class SavedSearchIn(InSchema):
    name: str = Field(min_length=1, max_length=120)
    ente_id: int | None = Field(
        None, ge=1, description="Uno dei tuoi enti; facoltativo se ne hai uno."
    )
    params: SavedSearchParams | None = None


class SavedSearchOut(Schema):
    id: int
    name: str
    ente_id: int
    params: dict[str, str]
    last_seen_at: datetime.datetime
    new_matches: int
    url: str


router = Router(tags=["opportunità"])


def _out(search: SavedSearch) -> dict[str, Any]:
    return {
        "id": search.pk,
        "name": search.name,
        "ente_id": search.ente_id,
        "params": search.params,
        "last_seen_at": search.last_seen_at,
        "new_matches": saved_searches.new_matches(search).count(),
        "url": search.list_url(),
    }


@router.get("/opportunities/saved-searches", response={200: list[SavedSearchOut], **AUTH})
def list_saved_searches(request: HttpRequest) -> Any:
    """The caller's own saved searches, with how many opportunities matched since last opened."""
    user = user_of(request)
    require(user, "view", Opportunity)
    return [_out(s) for s in saved_searches.searches_of(user)]


@router.post("/opportunities/saved-searches", response={201: SavedSearchOut, **CREATE})
def create_saved_search(request: HttpRequest, payload: SavedSearchIn) -> Any:
    user = user_of(request)
    require(user, "view", Opportunity)
    errors: dict[str, list[str]] = {}
    ente = choose_ente(user, payload.ente_id, errors)
    if errors:
        raise ValidationError(errors)
    given = payload.params.model_dump() if payload.params else {}
    params = {k: v for k, v in given.items() if v not in (None, "")}
    with api_errors():
        try:
            search = saved_searches.create_saved_search(
                user=user, ente=ente, name=payload.name, params=params
            )
        except PermissionDenied:
            raise ValidationError({"ente_id": [_("Indica uno dei tuoi enti.")]}) from None
    return Status(201, _out(search))


@router.delete("/opportunities/saved-searches/{search_id}", response={204: None, **READ})
def delete_saved_search(request: HttpRequest, search_id: QueryId) -> Any:
    user = user_of(request)
    search = saved_searches.get_own(user, search_id)
    saved_searches.delete_saved_search(search, user=user)
    return Status(204, None)
