"""The audit history of organisations and people."""

from typing import Any

from django.http import HttpRequest
from ninja import Query

from ponti.core.audit import event_out
from ponti.core.models import AuditEvent
from ponti.core.permissions import get_for_user, require

from .. import services
from ..models import Organisation, Person
from ..schemas import (
    HistoryPage,
    PageQuery,
    QueryId,
)
from .common import READ, _page, _user, router


def _history_page(events: Any, params: PageQuery, user: Any) -> dict[str, Any]:
    count, items = _page(events, params)
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [event_out(e, user) for e in items],
    }


@router.get("/organisations/{organisation_id}/history", response={200: HistoryPage, **READ})
def organisation_history(
    request: HttpRequest, organisation_id: QueryId, page: Query[PageQuery]
) -> Any:
    """Read-only audit trail of the organisation, its names, positions and merged duplicates."""
    user = _user(request)
    org, _can_edit = get_for_user(user, Organisation, organisation_id)
    require(user, "view", AuditEvent)
    return _history_page(services.history_for_organisation(org).visible_to(user), page, user)


@router.get("/people/{person_id}/history", response={200: HistoryPage, **READ})
def person_history(request: HttpRequest, person_id: QueryId, page: Query[PageQuery]) -> Any:
    """Read-only audit trail of the person and of their positions."""
    user = _user(request)
    person, _can_edit = get_for_user(user, Person, person_id)
    require(user, "view", AuditEvent)
    return _history_page(AuditEvent.objects.for_object(person).visible_to(user), page, user)
