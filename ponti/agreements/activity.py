"""Dormancy: an agreement is alive while something happens with its partners.

Other apps (meetings, projects) report activity through `ponti.core.activity`, a signal
in core; agreements listens here. Agreements imports none of those apps.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q


def on_activity(
    sender: Any, *, ente_id: int, organisation_ids: list[int], day: datetime.date, **kwargs: Any
) -> None:
    from .models import Agreement

    Agreement.objects.filter(ente_id=ente_id, partners__in=organisation_ids).filter(
        Q(last_activity_on__isnull=True) | Q(last_activity_on__lt=day)
    ).update(last_activity_on=day, dormant_notified=False)


def connect() -> None:
    from ponti.core.activity import relation_activity

    relation_activity.connect(on_activity, dispatch_uid="agreements_dormancy")
