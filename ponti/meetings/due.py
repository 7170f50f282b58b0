"""What meetings contribute to the daily due items (ponti scadenze): follow-up actions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ponti.core.due import DueItem, register

from .models import FollowUpAction

HORIZON_DAYS = 7


@register("meetings")
def collect(today: datetime.date) -> Iterable[DueItem]:
    """Open actions due within a week, and overdue ones: the owner is reminded once for each."""
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    actions = (
        FollowUpAction.objects.open()
        .filter(due_date__isnull=False, due_date__lte=horizon)
        .select_related("meeting", "organisation")
    )
    for a in actions:
        overdue = a.due_date < today
        about = (
            a.meeting.title if a.meeting_id else (a.organisation.name if a.organisation_id else "")
        )
        url = a.meeting.get_absolute_url() if a.meeting_id else "/incontri/azioni/"
        confidentiality = a.meeting.confidentiality if a.meeting_id else a.confidentiality
        yield DueItem(
            "azione",
            _("Azione scaduta") if overdue else _("Azione in scadenza"),
            f"followup:{a.pk}:{a.due_date}:{'overdue' if overdue else 'due'}",
            f"{a.description} ({about})" if about else a.description,
            a.due_date,
            None,
            url,
            a.ente_id,
            confidentiality,
            (a.owner_id,),
            overdue,
        )
