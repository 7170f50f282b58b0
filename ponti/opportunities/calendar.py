"""The deadlines of followed opportunities, for the personal ICS feed (`core.feeds`).

Followed: decided «interessante» or «candidatura in preparazione», or owned by the user (and
not yet decided otherwise). Only what the user may read; each deadline at its instant, in the
time zone the call states it in (Brussels, 17:00 typically).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core.feeds import FeedEvent, register
from ponti.core.permissions import can, visible_in

from .models import Deadline, Opportunity
from .watching import DECIDED, FOLLOWED

# Deadlines already passed stay in the feed for a while: a calendar keeps its history.
PAST_DAYS = 90


@register("opportunities")
def deadline_events(user: Any) -> Iterable[FeedEvent]:
    if not can(user, "view", Opportunity):
        return []
    followed = visible_in(user, Opportunity.objects.all()).filter(
        Q(decision__in=FOLLOWED) | (Q(owner=user) & ~Q(decision__in=DECIDED))
    )
    since = timezone.now() - datetime.timedelta(days=PAST_DAYS)
    deadlines = Deadline.objects.filter(
        opportunity__in=followed.values("pk"), due_at__gte=since
    ).select_related("opportunity")
    return [
        FeedEvent(
            uid=f"opportunity-deadline-{d.pk}",
            summary=_("Scadenza: %(title)s") % {"title": d.opportunity.title},
            starts_at=d.due_at,
            time_zone=str(d.local.tzinfo),
            url=d.opportunity.get_absolute_url(),
            description=d.opportunity.topic_identifier or d.opportunity.call_identifier,
        )
        for d in deadlines
    ]
