"""What agreements contribute to the daily due items (ponti scadenze)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ponti.core.due import DueItem, register
from ponti.core.roles import Role, users_with_role

from .models import Agreement, Commitment

HORIZON_DAYS = 90
ANNIVERSARY_DAYS = 183


def _office(ente_id: int) -> tuple[int, ...]:
    """Who answers for an ente's agreements: its office and administrators."""
    users = users_with_role(ente_id, [Role.UFFICIO, Role.AMMINISTRATORE])
    return tuple(users.values_list("pk", flat=True))


@register("agreements")
def collect(today: datetime.date) -> Iterable[DueItem]:
    office: dict[int, tuple[int, ...]] = {}

    def recipients(ente_id: int) -> tuple[int, ...]:
        if ente_id not in office:
            office[ente_id] = _office(ente_id)
        return office[ente_id]

    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    for a in Agreement.objects.expiring(HORIZON_DAYS, today):
        if a.end_date and today <= a.end_date <= horizon:
            yield DueItem(
                "scadenza",
                _("Scadenza"),
                f"agreement:{a.pk}:end:{a.end_date}",
                a.title,
                a.end_date,
                None,
                a.get_absolute_url(),
                a.ente_id,
                a.confidentiality,
                recipients(a.ente_id),
            )
        if a.renewal_date and today <= a.renewal_date <= horizon:
            yield DueItem(
                "rinnovo",
                _("Rinnovo"),
                f"agreement:{a.pk}:renewal:{a.renewal_date}",
                a.title,
                a.renewal_date,
                None,
                a.get_absolute_url(),
                a.ente_id,
                a.confidentiality,
                recipients(a.ente_id),
            )
    for a in Agreement.objects.in_force().filter(signed_on__isnull=False):
        for years, when, year in a.anniversaries(ANNIVERSARY_DAYS, today):
            title = _("%(n)s anni: %(title)s") % {"n": years, "title": a.title}
            yield DueItem(
                "anniversario",
                _("Anniversario"),
                f"agreement:{a.pk}:anniversary:{years}",
                title,
                when,
                year,
                a.get_absolute_url(),
                a.ente_id,
                a.confidentiality,
                recipients(a.ente_id),
            )
    for a in Agreement.objects.dormant(today):
        since = a.last_activity_on.isoformat() if a.last_activity_on else "never"
        yield DueItem(
            "dormiente",
            _("Legame dormiente"),
            f"agreement:{a.pk}:dormant:{since}",
            a.title,
            a.last_activity_on,
            None,
            a.get_absolute_url(),
            a.ente_id,
            a.confidentiality,
            recipients(a.ente_id),
        )
    commitments = (
        Commitment.objects.open()
        .filter(due_date__isnull=False, due_date__lte=horizon)
        .select_related("agreement")
    )
    for c in commitments:
        if c.due_date is None:  # excluded by the query; tells the type checker
            continue
        overdue = c.due_date < today
        yield DueItem(
            "impegno",
            _("Impegno scaduto") if overdue else _("Impegno in scadenza"),
            f"commitment:{c.pk}:{c.due_date}:{'overdue' if overdue else 'due'}",
            f"{c.description} ({c.agreement.title})",
            c.due_date,
            None,
            c.agreement.get_absolute_url(),
            c.agreement.ente_id,
            c.agreement.confidentiality,
            (c.owner_id,),
            overdue,
        )
