"""The activity signal: any app tells "something happened with these partners, for this ente".

Agreements use it for dormancy; meetings and projects send it. Sending needs no import of
the listeners, so no app depends on another through it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.dispatch import Signal

relation_activity = Signal()


def report_activity(
    *, ente_id: int, organisation_ids: Iterable[int], day: datetime.date, source: str = ""
) -> None:
    relation_activity.send(
        sender=source or "ponti", ente_id=ente_id, organisation_ids=list(organisation_ids), day=day
    )
