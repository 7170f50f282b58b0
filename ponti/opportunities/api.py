"""Opportunities as JSON: list (and its export), retrieve, create, update (with the version
read: 409 if stale), and the decision's steps. Same permissions, filters and service
functions as the pages. Mounted by ponti/api.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ponti.core.api import (
    CREATE,
    LIST,
    READ,
    UPDATE,
    UPDATE_VERSIONED,
    ExportQuery,
    api_errors,
    check_clearance,
    choose_ente,
    export_doc,
    page,
    stale,
    user_of,
)
from ponti.core.exports import export_response
from ponti.core.models import Sector
from ponti.core.permissions import can, get_for_user, require
from ponti.core.roles import role_in
from ponti.partners.schemas import QueryId

from . import services, states
from .deadlines import DeadlineValue
from .models import Opportunity, Programme
from .queries import opportunities_for
from .schemas import (
    DecisionIn,
    OpportunityFilters,
    OpportunityIn,
    OpportunityOut,
    OpportunityPage,
    OpportunityPatch,
    deadline_out,
)
from .tables import OPPORTUNITY_COLUMNS, for_export

router = Router(tags=["opportunità"])
RENAME = {"programme": "programme_id", "owner": "owner_id", "ente": "ente_id"}


def opportunity_out(o: Opportunity, user: Any) -> dict[str, Any]:
    steps = (
        states.available(o.decision, role_in(user, o.ente_id), superuser=user.is_superuser)
        if can(user, "change", Opportunity, o)
        else []
    )
    return {
        "id": o.pk,
        "ente_id": o.ente_id,
        "kind": o.kind,
        "kind_label": o.get_kind_display(),
        "title": o.title,
        "title_en": o.title_en,
        "programme_id": o.programme_id,
        "programme_name": str(o.programme) if o.programme else "",
        "programme_code": o.programme_code or (o.programme.code if o.programme else ""),
        "call_identifier": o.call_identifier,
        "topic_identifier": o.topic_identifier,
        "url": o.url,
        "opens_on": o.opens_on,
        "deadline_model": o.deadline_model,
        "deadlines": [deadline_out(d) for d in o.deadlines.all()],
        "call_status": o.call_status(),
        "budget": o.budget,
        "grant_size": o.grant_size,
        "sectors": [s.code for s in o.sectors.all()],
        "eligible_applicants": o.eligible_applicants,
        "countries": list(o.countries or []),
        "owner_id": o.owner_id,
        "decision": o.decision,
        "decision_label": o.get_decision_display(),
        "decision_reason": o.decision_reason,
        "allowed_decisions": [s.target for s in steps],
        "notes": o.notes,
        "portal_status": o.portal_status,
        "deadlines_changed_at": o.deadlines_changed_at,
        "previous_deadlines": list(o.previous_deadlines or []),
        "confidentiality": o.confidentiality,
        "version": o.version,
    }


def _filtered(user: Any, filters: OpportunityFilters) -> Any:
    return opportunities_for(
        user,
        q=filters.q or "",
        programme=filters.programme_id,
        kind=filters.kind or "",
        decision=filters.decision or "",
        call_status=filters.call_status or "",
        deadline_from=filters.deadline_from,
        deadline_to=filters.deadline_to,
        ente=filters.ente_id,
    )


@router.get("/opportunities", response={200: OpportunityPage, **LIST})
def list_opportunities(request: HttpRequest, filters: Query[OpportunityFilters]) -> Any:
    user = user_of(request)
    qs = (
        _filtered(user, filters)
        .select_related("programme")
        .prefetch_related("sectors", "deadlines")
    )
    return page(qs, filters, lambda o: opportunity_out(o, user))


@router.get(
    "/opportunities/export",
    response={200: None, **LIST},
    openapi_extra=export_doc("Le opportunità"),
)
def export_opportunities(
    request: HttpRequest, filters: Query[OpportunityFilters], export: Query[ExportQuery]
) -> Any:
    rows = for_export(_filtered(user_of(request), filters))
    return export_response(OPPORTUNITY_COLUMNS, rows, export.format, filename=_("opportunita"))


def _resolve(
    user: Any, data: dict[str, Any], errors: dict[str, list[str]], ente_id: int | None
) -> None:
    """Ids in the body become records (programme, owner, sectors), each checked."""
    if "programme_id" in data:
        pk = data.pop("programme_id")
        data["programme"] = Programme.objects.filter(pk=pk).first() if pk else None
        if pk and data["programme"] is None:
            errors.setdefault("programme_id", []).append(_("Programma inesistente."))
    if "owner_id" in data:
        pk = data.pop("owner_id")
        owners = get_user_model().objects.filter(is_active=True, enti=ente_id)
        data["owner"] = owners.filter(pk=pk).first() if pk else None
        if pk and data["owner"] is None:
            errors.setdefault("owner_id", []).append(
                _("Il responsabile deve essere un utente dell'ente.")
            )
    if data.get("sectors") is not None:
        codes = data["sectors"]
        data["sectors"] = list(Sector.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {s.code for s in data["sectors"]})
        if missing:
            errors.setdefault("sectors", []).append(
                _("Settori inesistenti: %(c)s.") % {"c": ", ".join(missing)}
            )


def _deadlines(data: dict[str, Any]) -> list[DeadlineValue] | None:
    raw = data.pop("deadlines", None)
    if raw is None:
        return None
    return [DeadlineValue(d["due_at"], d["stage"], d["time_zone"]) for d in raw]


@router.post("/opportunities", response={201: OpportunityOut, **CREATE})
def create_opportunity(request: HttpRequest, payload: OpportunityIn) -> Any:
    user = user_of(request)
    require(user, "add", Opportunity)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    ente = choose_ente(user, data.pop("ente_id"), errors, Opportunity)
    check_clearance(user, data["confidentiality"], errors, ente)
    _resolve(user, data, errors, getattr(ente, "pk", None))
    if errors:
        raise ValidationError(errors)
    deadlines = _deadlines(data) or []
    with api_errors(RENAME):
        opportunity = services.create_opportunity(
            user=user, ente=ente, data=data, deadlines=deadlines
        )
    return Status(201, opportunity_out(opportunity, user))


@router.get("/opportunities/{opportunity_id}", response={200: OpportunityOut, **READ})
def get_opportunity(request: HttpRequest, opportunity_id: QueryId) -> Any:
    user = user_of(request)
    opportunity, _editable = get_for_user(user, Opportunity, opportunity_id)
    return opportunity_out(opportunity, user)


@router.patch("/opportunities/{opportunity_id}", response={200: OpportunityOut, **UPDATE_VERSIONED})
def update_opportunity(
    request: HttpRequest, opportunity_id: QueryId, payload: OpportunityPatch
) -> Any:
    user = user_of(request)
    opportunity, _editable = get_for_user(user, Opportunity, opportunity_id, action="change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(opportunity, version)
    errors: dict[str, list[str]] = {}
    for key in ("kind", "title", "deadline_model", "confidentiality"):
        if key in data and data[key] is None:
            errors.setdefault(key, []).append(_("Non può essere vuoto."))
    for key in ("title_en", "call_identifier", "topic_identifier", "url", "notes"):
        if key in data and data[key] is None:
            data[key] = ""
    if data.get("eligible_applicants", "") is None:
        data["eligible_applicants"] = ""
    if data.get("countries", []) is None:
        data["countries"] = []
    check_clearance(user, data.get("confidentiality"), errors, opportunity.ente)
    _resolve(user, data, errors, opportunity.ente_id)
    if errors:
        raise ValidationError(errors)
    deadlines = _deadlines(data)
    with api_errors(RENAME):
        services.update_opportunity(
            opportunity, user=user, data=data, expected_version=version, deadlines=deadlines
        )
    return opportunity_out(opportunity, user)


@router.post("/opportunities/{opportunity_id}/decision", response={200: OpportunityOut, **UPDATE})
def decide(request: HttpRequest, opportunity_id: QueryId, payload: DecisionIn) -> Any:
    """Move the decision one step (the steps and the role decide what is allowed; «scartata»
    needs a reason)."""
    user = user_of(request)
    opportunity, _editable = get_for_user(user, Opportunity, opportunity_id, action="change")
    with api_errors():
        services.decide(opportunity, payload.target, user=user, reason=payload.reason)
    return opportunity_out(opportunity, user)


from . import partners_api  # noqa: E402, F401  (partner matching and the CERV check)
