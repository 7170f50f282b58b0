"""What opportunities contribute to the daily due items (ponti scadenze).

- A deadline 30 days ahead, and again 7 days ahead, of an opportunity not yet decided
  (neither discarded, nor presented, nor with its result): for its owner and the office.
- New opportunities matching a saved search since its owner last opened it: for the owner.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS
from ponti.core.due import DueItem, register
from ponti.core.roles import Role, users_with_role

from .models import Deadline, _day_start
from .saved_searches import new_matches
from .watching import DECIDED, SavedSearch

# The reminders, farthest first: an item within 30 days, and a second one within 7.
THRESHOLDS = (30, 7)


def _office(ente_id: int) -> tuple[int, ...]:
    users = users_with_role(ente_id, [Role.UFFICIO, Role.AMMINISTRATORE])
    return tuple(users.values_list("pk", flat=True))


@register("opportunities")
def collect(today: datetime.date) -> Iterable[DueItem]:
    yield from deadlines_due(today)
    yield from saved_search_news(today)


def deadlines_due(today: datetime.date) -> Iterable[DueItem]:
    office: dict[int, tuple[int, ...]] = {}
    start = _day_start(today)
    if today == timezone.localdate():  # a deadline already past today is no longer due
        start = max(start, timezone.now())
    horizon = _day_start(today + datetime.timedelta(days=max(THRESHOLDS) + 1))
    deadlines = (
        Deadline.objects.filter(due_at__gte=start, due_at__lt=horizon)
        .exclude(opportunity__decision__in=DECIDED)
        .select_related("opportunity")
    )
    for d in deadlines:
        o = d.opportunity
        day = d.local.date()
        days = (timezone.localdate(d.due_at) - today).days
        within = min(t for t in THRESHOLDS if days <= t)
        if o.ente_id not in office:
            office[o.ente_id] = _office(o.ente_id)
        recipients = tuple(
            dict.fromkeys((*((o.owner_id,) if o.owner_id else ()), *office[o.ente_id]))
        )
        yield DueItem(
            "bando",
            _("Scadenza di un bando"),
            f"opportunity:{o.pk}:deadline:{d.due_at.isoformat()}:{within}",
            _("%(title)s: scadenza %(when)s (%(zone)s), entro %(n)s giorni")
            % {
                "title": o.title,
                "when": d.local.strftime("%d/%m/%Y %H:%M"),
                "zone": d.time_zone,
                "n": within,
            },
            day,
            None,
            o.get_absolute_url(),
            o.ente_id,
            o.confidentiality,
            recipients,
        )


def saved_search_news(today: datetime.date) -> Iterable[DueItem]:
    """One item per saved search with new matches; its key names the newest match, so the
    owner is told once for each batch, and again only when more arrive."""
    for search in SavedSearch.objects.select_related("owner", "ente").filter(owner__is_active=True):
        found = new_matches(search)
        summary = found.order_by().aggregate(newest=Max("created_at"))
        if summary["newest"] is None:
            continue
        levels = list(found.order_by().values_list("confidentiality", flat=True).distinct())
        # As confidential as the most confidential match: the owner reads them all.
        level = max(levels, key=lambda v: CONFIDENTIALITY_LEVELS.get(v, 2))
        count = found.count()
        yield DueItem(
            "ricerca",
            _("Ricerca salvata"),
            f"savedsearch:{search.pk}:{summary['newest'].isoformat()}",
            _("Nuovi bandi per la ricerca «%(name)s»: %(n)s") % {"name": search.name, "n": count},
            today,
            None,
            search.get_absolute_url(),
            search.ente_id,
            level,
            (search.owner_id,),
        )
