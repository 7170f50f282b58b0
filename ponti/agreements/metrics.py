"""What agreements tell planning: indicator metrics and the agreements of a progress report.

Registered with `ponti.planning.registry`; planning never imports this app.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.planning.registry import DoneItem, done_section, metric

from .models import Agreement, AgreementKind
from .states import IN_FORCE, AgreementStatus

BONDS = [AgreementKind.GEMELLAGGIO, AgreementKind.AMICIZIA, AgreementKind.FRATELLANZA]


def _signed_in(year: int) -> Q:
    # A signing known by month or year is stored as its first day: in the same year.
    return Q(signed_on__year=year)


def _signed_by(year: int) -> Q:
    return Q(signed_on__lte=datetime.date(year, 12, 31))


@metric(
    "active_twinnings",
    label=gettext_lazy("Gemellaggi e patti attivi"),
    unit=gettext_lazy("numero"),
    description=gettext_lazy(
        "Gemellaggi e patti di amicizia o fratellanza firmati entro l'anno e in vigore in qualche momento "
        "dell'anno, secondo i passaggi di stato registrati; conclusi con una data di fine nell'anno contano."
    ),
)
def active_twinnings(ente_id: int, year: int) -> int:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    candidates = (
        Agreement.objects.filter(ente_id=ente_id, kind__in=BONDS)
        .filter(_signed_by(year))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .prefetch_related("transitions")
    )
    return sum(1 for agreement in candidates if _in_force_during(agreement, first, last))


def _in_force_during(agreement: Agreement, first: datetime.date, last: datetime.date) -> bool:
    """Whether the agreement was in force at some time between `first` and `last`.

    The recorded transitions say which states it went through and when; an agreement loaded
    without them (imported, or from the demo) is judged by its state today: in force, or
    concluded with an end date that falls in the period or later.
    """
    steps = sorted(agreement.transitions.all(), key=lambda t: t.at)
    if not steps:
        return agreement.status in IN_FORCE or (
            agreement.status == AgreementStatus.CONCLUSO and agreement.end_date is not None
        )
    before = [t for t in steps if timezone.localdate(t.at) < first]
    during = [t for t in steps if first <= timezone.localdate(t.at) <= last]
    at_start = before[-1].target if before else steps[0].source
    return any(status in IN_FORCE for status in [at_start, *(t.target for t in during)])


@metric(
    "agreements_signed",
    label=gettext_lazy("Accordi firmati nell'anno"),
    unit=gettext_lazy("numero"),
    description=gettext_lazy("Accordi di ogni tipo con la firma (data o anno) nell'anno."),
)
def agreements_signed(ente_id: int, year: int) -> int:
    return Agreement.objects.filter(ente_id=ente_id).filter(_signed_in(year)).count()


@done_section("agreements", order=10, label=gettext_lazy("Accordi firmati o rinnovati"))
def agreements_done(user: Any, ente_id: int, year: int) -> list[DoneItem]:
    qs = Agreement.objects.filter(ente_id=ente_id)
    if user is not None:
        qs = qs.for_user(user)
    qs = qs.filter(_signed_in(year) | Q(renewal_date__year=year)).order_by("signed_on", "title")
    items = []
    for agreement in qs:
        renewal = agreement.renewal_date
        if renewal is not None and renewal.year == year and agreement.signing_year != year:
            when = date_format(renewal, "j F Y")
            what = _("rinnovo")
        else:
            when = str(agreement.signed) if agreement.signed_on else str(year)
            what = _("firma")
        items.append(
            DoneItem(
                title=agreement.title,
                when=when,
                detail=f"{agreement.get_kind_display()} · {what}",
                url=agreement.get_absolute_url(),
            )
        )
    return items
