"""What meetings tell planning: indicator metrics and the meetings of a progress report."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from ponti.planning.registry import DoneItem, done_section, metric

from .models import Meeting, MeetingKind, MeetingQuerySet


def _held(ente_id: int, year: int) -> MeetingQuerySet:
    return Meeting.objects.filter(ente_id=ente_id).held().in_year(year)


@metric(
    "meetings_held",
    label=gettext_lazy("Incontri con rappresentanti internazionali"),
    unit=gettext_lazy("numero"),
    description=gettext_lazy(
        "Incontri, delegazioni, missioni, eventi e videoconferenze svolti nell'anno."
    ),
)
def meetings_held(ente_id: int, year: int) -> int:
    return _held(ente_id, year).count()


@metric(
    "delegations_received",
    label=gettext_lazy("Delegazioni ricevute"),
    unit=gettext_lazy("numero"),
    description=gettext_lazy("Delegazioni in entrata svolte nell'anno."),
)
def delegations_received(ente_id: int, year: int) -> int:
    return _held(ente_id, year).filter(kind=MeetingKind.DELEGAZIONE).count()


def when_text(meeting: Meeting) -> str:
    """As precise as the record: a day, a month, a year or a period — never an invented day."""
    if meeting.is_dated and meeting.starts_at is not None:
        return date_format(timezone.localtime(meeting.starts_at).date(), "j F Y")
    return meeting.when_text


def _items(user: Any, ente_id: int, year: int, *, delegations: bool) -> list[DoneItem]:
    qs = _held(ente_id, year)
    qs = (
        qs.filter(kind=MeetingKind.DELEGAZIONE)
        if delegations
        else qs.exclude(kind=MeetingKind.DELEGAZIONE)
    )
    if user is not None:
        qs = qs.for_user(user)
    return [
        DoneItem(
            title=m.title, when=when_text(m), detail=m.get_kind_display(), url=m.get_absolute_url()
        )
        for m in qs.order_by("date", "starts_at", "pk")
    ]


@done_section("meetings", order=20, label=gettext_lazy("Incontri, missioni ed eventi svolti"))
def meetings_done(user: Any, ente_id: int, year: int) -> list[DoneItem]:
    return _items(user, ente_id, year, delegations=False)


@done_section("delegations", order=30, label=gettext_lazy("Delegazioni ricevute"))
def delegations_done(user: Any, ente_id: int, year: int) -> list[DoneItem]:
    return _items(user, ente_id, year, delegations=True)
