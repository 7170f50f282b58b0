"""GDPR operations on a person: export, erasure plan and erasure, retention review.

Export and review: Ufficio and Amministratore; erasure: Amministratore only. A person the
user may not see is a 404 (see `ponti.partners.gdpr.access`).
"""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.errors import HttpError

from ponti.core.api import ErrorOut
from ponti.core.permissions import visible_queryset

from ..gdpr import access, erase, export, retention
from ..models import Person, PersonKind
from ..schemas import PageQuery, QueryId
from .common import CREATE, READ, _page, _user, router


class ExportQuery(Schema):
    format: Literal["json", "pdf"] = "json"


@router.get(
    "/people/{person_id}/gdpr-export",
    response={200: None, **READ},
    openapi_extra={
        "responses": {
            "200": {
                "description": (
                    "Tutti i dati sulla persona che l'utente può vedere, storia compresa: "
                    "JSON (schema `ponti.gdpr.person-export`, con versione) o PDF."
                ),
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def gdpr_export(request: HttpRequest, person_id: QueryId, params: Query[ExportQuery]) -> Any:
    """Export everything held about the person (GDPR art. 15 and 20); the export is audited."""
    user = _user(request)
    person = access.person_for(user, person_id)
    content, content_type, name = export.export(person, user=user, fmt=params.format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


class Line(Schema):
    label: str
    count: int


class ErasePlanOut(Schema):
    person_id: int
    outcome: Literal["erase", "pseudonymise"]
    pseudonym: str | None
    kept: list[Line] = Field(description="Record legali che restano, con lo pseudonimo.")
    deleted: list[Line]
    hidden_records: int = Field(description="Record di altri enti o riservati, solo contati.")
    mentions: list[Line] = Field(description="Menzioni nel testo che saranno sostituite.")
    mentions_not_rewritten: int
    documents_checked: int
    history_events: int


class EraseIn(Schema):
    confirm: Literal[True] = Field(description="Deve essere true: la cancellazione è definitiva.")


class EraseOut(Schema):
    person_id: int
    outcome: Literal["erase", "pseudonymise"]
    pseudonym: str | None
    records_deleted: int
    records_kept: int
    mentions_rewritten: int
    documents_rewritten: int
    history_events_rewritten: int


def _erasable(user: Any, person_id: int) -> Person:
    person = access.person_for(user, person_id, erase=True)
    if person.erased_at is not None:
        raise HttpError(409, _("Questa persona è già stata pseudonimizzata."))
    return person


@router.get("/people/{person_id}/erase", response={200: ErasePlanOut, 409: ErrorOut, **READ})
def erase_plan(request: HttpRequest, person_id: QueryId) -> Any:
    """What an erasure of the person would do (counts per kind), without doing it."""
    user = _user(request)
    return erase.plan(_erasable(user, person_id), user).as_dict()


@router.post("/people/{person_id}/erase", response={200: EraseOut, 409: ErrorOut, **READ, **CREATE})
def erase_person(request: HttpRequest, person_id: QueryId, payload: EraseIn) -> Any:
    """Erase the person, or pseudonymise them where a legal record must keep them (GDPR art.
    17): scrubs the audit history and stored documents' metadata. Amministratore only."""
    user = _user(request)
    return erase.execute(_erasable(user, person_id), user=user)


class ReviewQuery(PageQuery):
    kind: PersonKind | None = None


class ReviewItem(Schema):
    id: int
    full_name: str
    kind: PersonKind
    last_bond: Any
    retention_months: int


class ReviewPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReviewItem]


class KeepIn(Schema):
    justification: str = Field(min_length=3, max_length=2000)


class KeepOut(Schema):
    id: int
    person_id: int
    decided_on: Any
    justification: str


@router.get("/people-retention-review", response={200: ReviewPage, **READ})
def retention_review(request: HttpRequest, params: Query[ReviewQuery]) -> Any:
    """People with no bond for longer than their kind's retention period, to review."""
    user = _user(request)
    if not access.may_review(user):
        raise PermissionDenied
    qs = retention.due_for_review(visible_queryset(user, Person), kind=params.kind or "").order_by(
        "last_name", "first_name", "id"
    )
    count, items = _page(qs, params)
    months = {rule.kind: rule.retention_months for rule in retention.rules()}
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [
            {
                "id": p.pk,
                "full_name": p.full_name,
                "kind": p.kind,
                "last_bond": retention.last_bond(p),
                "retention_months": months[p.kind],
            }
            for p in items
        ],
    }


@router.post("/people/{person_id}/retention-keep", response={201: KeepOut, **READ, **CREATE})
def retention_keep(request: HttpRequest, person_id: QueryId, payload: KeepIn) -> Any:
    """Keep the person past the retention period, with a justification (audited)."""
    from ninja import Status

    user = _user(request)
    person = access.person_for(user, person_id)
    decision = retention.keep(person, user=user, justification=payload.justification)
    return Status(
        201,
        {
            "id": decision.pk,
            "person_id": person.pk,
            "decided_on": decision.decided_on,
            "justification": decision.justification,
        },
    )
