"""Partner matching: for an opportunity, the organisations of the registry worth inviting,
ranked by a score, each with the reasons shown (short sentences with their figures).

What counts, for the opportunity's ente and within what the reader may see:
- the eligible countries (a partner outside them is left out, and counted) and the sectors shared;
- the ente's agreements with the partner and their vitality (in force > dormant > other);
- networks the ente belongs to (active membership) of which the partner is a member;
- meetings held with the partner, the recent ones weighing more;
- known bonds between third parties: a partner twinned with one of the ente's partners.

Confidentiality: every source is read through the reader's own querysets (`for_user`,
`visible_to`), so a record the reader may not see contributes nothing and names nothing.
Efficiency: a fixed number of queries whatever the size of the registry (no query per partner).

The cross-app reads (agreements, networks, meetings) are of models only, read-only: matching is
a read model over the ente's relations, like the dossier in reports.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ponti.core import countries
from ponti.partners.models import Organisation, OrganisationKind

from . import eligibility

# --- Weights: points per reason. An in-force agreement is the strongest sign that a partner
# will answer; a dormant one still means people who know us, but the bond needs reviving;
# a past or unfinished agreement (proposed, suspended, concluded) is a weak trace.
AGREEMENT_IN_FORCE = 40
AGREEMENT_DORMANT = 15
AGREEMENT_OTHER = 5
# Each sector shared with the call: the partner works on the call's theme.
SECTOR = 10
# Each network shared: a common forum where the partnership can be built.
NETWORK = 8
# A meeting held: weighs MEETING when recent, halving every MEETING_HALF_LIFE_YEARS, and the
# meetings together never above MEETING_CAP (many old meetings must not outweigh a treaty).
MEETING = 12
MEETING_HALF_LIFE_YEARS = 2.0
MEETING_CAP = 30
# A partner twinned with one of the ente's partners: an introduction is at hand, weaker than a
# bond of our own; at most TWIN_OF_TWIN_MAX such bonds count.
TWIN_OF_TWIN = 6
TWIN_OF_TWIN_MAX = 3
# A bond recorded between the partner and the ente's own organisation (not an agreement of ours).
KNOWN_BOND_WITH_ENTE = 10

# Not partners to invite: networks are forums, and the ente's own organisation is itself.
NOT_CANDIDATES = {OrganisationKind.NETWORK}


@dataclass
class Reason:
    code: str
    text: str
    points: float


@dataclass
class Match:
    organisation_id: int
    name: str
    country: str
    kind: str
    city: str
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)

    def add(self, code: str, text: str, points: float) -> None:
        self.reasons.append(Reason(code, text, round(points, 1)))
        self.score = round(self.score + points, 1)

    @property
    def country_name(self) -> str:
        return countries.country_name(self.country)


@dataclass
class Ranking:
    matches: list[Match]
    eligible_countries: list[str]
    excluded_by_country: int
    source_of_countries: str  # "opportunity", "cerv" or "" (no constraint)


def eligible_countries(opportunity: Any) -> tuple[list[str], str]:
    """The countries a partner must be in: the opportunity's own list, else CERV's for a CERV
    call for towns, else none (no constraint)."""
    if opportunity.countries:
        return sorted(opportunity.countries), "opportunity"
    if eligibility.scheme_for(opportunity) is not None:
        return sorted(eligibility.CERV_ELIGIBLE_COUNTRIES), "cerv"
    return [], ""


def _years_ago(day: datetime.date | None, today: datetime.date) -> float:
    if day is None:
        return MEETING_HALF_LIFE_YEARS * 3  # an undated meeting counts as an old one
    return max(0.0, (today - day).days / 365.25)


def rank(
    opportunity: Any, user: Any, *, limit: int | None = 20, today: datetime.date | None = None
) -> Ranking:
    """The partners to invite for `opportunity`, best first (score, then name, then id)."""
    from ponti.agreements.bonds import KnownBond
    from ponti.agreements.models import Agreement
    from ponti.agreements.states import IN_FORCE
    from ponti.meetings.models import Meeting
    from ponti.networks.models import Membership, NetworkMember

    today = today or timezone.localdate()
    ente_id = opportunity.ente_id
    allowed, source = eligible_countries(opportunity)
    allowed_set = set(allowed)

    orgs = (
        Organisation.objects.visible_to(user)
        .exclude(kind__in=NOT_CANDIDATES)
        .exclude(represents_id=ente_id)
        .values_list("pk", "name", "country", "kind", "city")
    )
    candidates: dict[int, Match] = {}
    names: dict[int, str] = {}  # every organisation the reader may see, to name a bond's side
    excluded = 0
    for pk, name, country, kind, city in orgs:
        names[pk] = name
        if allowed_set and country not in allowed_set:
            excluded += 1
            continue
        candidates[pk] = Match(pk, name, country, kind, city)
    own_org = Organisation.objects.filter(represents_id=ente_id).values_list("pk", flat=True)
    own_org_id = next(iter(own_org), None)

    # Sectors shared with the call.
    sector_names = {s.pk: str(s) for s in opportunity.sectors.all()}
    if sector_names:
        shared: dict[int, list[str]] = defaultdict(list)
        rows = Organisation.sectors.through.objects.filter(
            sector_id__in=list(sector_names)
        ).values_list("organisation_id", "sector_id")
        for org_id, sector_id in rows:  # filtered here: no list of thousands of ids in SQL
            if org_id in candidates:
                shared[org_id].append(sector_names[sector_id])
        for org_id, sectors in shared.items():
            sectors.sort()
            candidates[org_id].add(
                "sectors",
                ngettext(
                    "%(n)d settore in comune con il bando: %(names)s.",
                    "%(n)d settori in comune con il bando: %(names)s.",
                    len(sectors),
                )
                % {"n": len(sectors), "names": ", ".join(sectors)},
                SECTOR * len(sectors),
            )

    # The ente's agreements the reader may see, with their vitality: the best one counts.
    agreements = Agreement.objects.for_user(user).filter(ente_id=ente_id)
    dormant = set(agreements.dormant(today).values_list("pk", flat=True))
    links = Agreement.partners.through.objects.filter(
        agreement_id__in=agreements.values("pk")
    ).values_list("organisation_id", "agreement_id", "agreement__title", "agreement__status")
    partners_of_ente: set[int] = set()
    best: dict[int, tuple[float, str, str]] = {}
    for org_id, agreement_id, title, status in links.order_by("agreement_id"):
        partners_of_ente.add(org_id)
        if org_id not in candidates:
            continue
        if agreement_id in dormant:
            option = (
                float(AGREEMENT_DORMANT),
                "agreement_dormant",
                _("Accordo in vigore ma dormiente: «%(t)s» (nessuna attività recente).")
                % {"t": title},
            )
        elif status in IN_FORCE:
            option = (
                float(AGREEMENT_IN_FORCE),
                "agreement_in_force",
                _("Accordo in vigore e attivo: «%(t)s».") % {"t": title},
            )
        else:
            option = (
                float(AGREEMENT_OTHER),
                "agreement_other",
                _("Accordo non in vigore: «%(t)s».") % {"t": title},
            )
        if org_id not in best or option[0] > best[org_id][0]:
            best[org_id] = option
    for org_id, (points, code, text) in best.items():
        candidates[org_id].add(code, text, points)

    # Networks: the ente's active memberships the reader may see, and their visible members.
    memberships = Membership.objects.for_user(user).filter(ente_id=ente_id).active()
    network_names = dict(memberships.values_list("network_id", "network__name"))
    if network_names:
        common: dict[int, list[str]] = defaultdict(list)
        for member_id, network_id in (
            NetworkMember.objects.visible_to(user)
            .filter(network_id__in=list(network_names))
            .values_list("member_id", "network_id")
        ):
            if member_id in candidates:
                common[member_id].append(network_names[network_id])
        for org_id, nets in common.items():
            nets.sort()
            candidates[org_id].add(
                "networks",
                ngettext(
                    "Nella stessa rete dell'ente: %(names)s.",
                    "In %(n)d reti con l'ente: %(names)s.",
                    len(nets),
                )
                % {"n": len(nets), "names": ", ".join(nets)},
                NETWORK * len(nets),
            )

    # Meetings held with the partner, the recent ones weighing more.
    met: dict[int, list[datetime.date | None]] = defaultdict(list)
    for org_id, day in Meeting.counterparts.through.objects.filter(
        meeting_id__in=Meeting.objects.for_user(user).filter(ente_id=ente_id).held().values("pk"),
    ).values_list("organisation_id", "meeting__date"):
        if org_id in candidates:
            met[org_id].append(day)
    for org_id, days in met.items():
        points = sum(
            MEETING * 0.5 ** (_years_ago(d, today) / MEETING_HALF_LIFE_YEARS) for d in days
        )
        last = max((d for d in days if d), default=None)
        text = ngettext(
            "%(n)d incontro svolto con l'ente",
            "%(n)d incontri svolti con l'ente",
            len(days),
        ) % {"n": len(days)}
        if last:
            text += _(", l'ultimo il %(d)s.") % {"d": last.strftime("%d/%m/%Y")}
        else:
            text += "."
        candidates[org_id].add("meetings", text, min(points, MEETING_CAP))

    # Known bonds between third parties: twins of the ente's partners, bonds with the ente.
    linked = links.values("organisation_id")  # a subquery: no list of ids in SQL
    anchors = set(partners_of_ente)
    if own_org_id:
        anchors.add(own_org_id)
    if anchors:
        via: dict[int, list[str]] = defaultdict(list)
        bonds = (
            KnownBond.objects.visible_to(user)
            .filter(
                Q(first_id__in=linked)
                | Q(second_id__in=linked)
                | Q(first_id=own_org_id or 0)
                | Q(second_id=own_org_id or 0)
            )
            .values_list("first_id", "second_id")
            .order_by("first_id", "second_id")
        )
        for first, second in bonds:
            for anchor, other in ((first, second), (second, first)):
                if anchor not in anchors or other not in candidates:
                    continue
                if anchor == own_org_id:
                    candidates[other].add(
                        "bond_with_ente",
                        _("Legame noto con l'ente (non registrato come accordo)."),
                        KNOWN_BOND_WITH_ENTE,
                    )
                elif anchor in names and other not in partners_of_ente:
                    via[other].append(names[anchor])
        for org_id, twins in via.items():
            twins = sorted(set(twins))
            shown = twins[:TWIN_OF_TWIN_MAX]
            candidates[org_id].add(
                "twin_of_twin",
                ngettext(
                    "Gemellata con %(names)s, già partner dell'ente.",
                    "Gemellata con %(names)s, già partner dell'ente.",
                    len(twins),
                )
                % {"names": ", ".join(shown) + ("…" if len(twins) > len(shown) else "")},
                TWIN_OF_TWIN * len(shown),
            )

    ranked = sorted(
        (m for m in candidates.values() if m.reasons and m.score > 0),
        key=lambda m: (-m.score, m.name.casefold(), m.organisation_id),
    )
    return Ranking(
        matches=ranked[:limit] if limit else ranked,
        eligible_countries=allowed,
        excluded_by_country=excluded,
        source_of_countries=source,
    )
