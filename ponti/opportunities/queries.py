"""The opportunities a list shows, filtered: one function for the page, the API and exports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone

from ponti.core.permissions import visible_in

from .models import Deadline, Opportunity, OpportunityQuerySet, _day_start


def opportunities_for(
    user: Any,
    *,
    q: str = "",
    programme: Any = None,
    kind: str = "",
    decision: str = "",
    call_status: str = "",
    deadline_from: datetime.date | None = None,
    deadline_to: datetime.date | None = None,
    ente: Any = None,
    sector: Any = None,
    within_days: int | None = None,
) -> OpportunityQuerySet:
    """What `user` may read, narrowed by each filter given, soonest next deadline first."""
    qs = visible_in(user, Opportunity.objects.all())
    if ente:
        qs = qs.filter(ente_id=getattr(ente, "pk", ente))
    if q:
        qs = qs.search(q)
    if programme:
        qs = qs.filter(programme_id=getattr(programme, "pk", programme))
    if kind:
        qs = qs.filter(kind=kind)
    if decision:
        qs = qs.filter(decision=decision)
    if call_status:
        qs = qs.call_status(call_status)
    if deadline_from or deadline_to:
        qs = qs.deadline_between(deadline_from, deadline_to)
    if sector:
        qs = qs.filter(sectors=getattr(sector, "pk", sector))
    if within_days:
        today = timezone.localdate()
        upcoming = Deadline.objects.filter(
            due_at__gte=timezone.now(),
            due_at__lt=_day_start(today + datetime.timedelta(days=within_days + 1)),
        )
        qs = qs.filter(pk__in=upcoming.values("opportunity_id"))
    return qs.next_deadlines().order_by(
        F("next_deadline").asc(nulls_last=True), "-created_at", "pk"
    )
