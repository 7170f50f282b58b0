"""The partner page's timeline of meetings, follow-up actions and gifts."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from ponti.core.panels import register

from .models import FollowUpAction, Gift, Meeting


def _sort_day(m: Meeting) -> datetime.date:
    return m.day or m.date or datetime.date(1900, 1, 1)


@register("organisation", 30, "meetings")
def meetings_panel(request: HttpRequest, org: Any) -> tuple[str, dict[str, Any]] | None:
    user = request.user
    if not user.has_perm("meetings.view_meeting"):
        return None
    entries: list[tuple[datetime.date, str, Any]] = []
    for m in Meeting.objects.for_user(user).filter(counterparts=org).distinct():
        entries.append((_sort_day(m), "meeting", m))
    if user.has_perm("meetings.view_followupaction"):
        actions = (
            FollowUpAction.objects.for_user(user)
            .filter(organisation=org)
            .select_related("owner", "meeting")
        )
        for a in actions:
            entries.append((a.due_date or a.created_at.date(), "action", a))
    if user.has_perm("meetings.view_gift"):
        for g in Gift.objects.for_user(user).filter(counterpart=org).select_related("ente"):
            entries.append((g.given_on or g.created_at.date(), "gift", g))
    entries.sort(key=lambda e: e[0], reverse=True)
    return "meetings/partials/organisation_panel.html", {
        "entries": entries,
        "org": org,
        "can_add": user.has_perm("meetings.add_meeting"),
    }
