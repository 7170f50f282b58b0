"""What agreements tell planning: indicator metrics and the agreements of a progress report.

Registered with `ponti.planning.registry`; planning never imports this app.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.planning.registry import DoneItem, done_section, metric

from .models import Agreement, AgreementKind
from .states import IN_FORCE, AgreementStatus

BONDS = [AgreementKind.GEMELLAGGIO, AgreementKind.AMICIZIA, AgreementKind.FRATELLANZA]


def _signed_in(year: int) -> Q:
    return Q(signed_on__year=year) | Q(signed_on__isnull=True, signed_year=year)


def _signed_by(year: int) -> Q:
    return Q(signed_on__lte=datetime.date(year, 12, 31)) | Q(
        signed_on__isnull=True, signed_year__lte=year
    )


@metric(
    "active_twinnings",
    label=gettext_lazy("Gemellaggi e patti attivi"),
    unit=gettext_lazy("numero"),
    description=gettext_lazy(
        "Gemellaggi e patti di amicizia o fratellanza firmati entro l'anno e non terminati prima: in vigore, "
        "oppure conclusi con una data di fine che cade nell'anno o dopo."
    ),
)
def active_twinnings(ente_id: int, year: int) -> int:
    # Ended ones count only when the end date says they were still alive in the year: a
    # "concluso" with no end date cannot be placed in time, so it is not counted.
    alive = Q(status__in=IN_FORCE) | Q(status=AgreementStatus.CONCLUSO, end_date__isnull=False)
    return (
        Agreement.objects.filter(ente_id=ente_id, kind__in=BONDS)
        .filter(_signed_by(year))
        .filter(alive)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)))
        .count()
    )


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
    qs = qs.filter(_signed_in(year) | Q(renewal_date__year=year)).order_by(
        "signed_on", "signed_year", "title"
    )
    items = []
    for agreement in qs:
        renewal = agreement.renewal_date
        if renewal is not None and renewal.year == year and agreement.signing_year != year:
            when = date_format(renewal, "j F Y")
            what = _("rinnovo")
        else:
            when = date_format(agreement.signed_on, "j F Y") if agreement.signed_on else str(year)
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
