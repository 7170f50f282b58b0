"""The world of the security matrix: in Florence's ente and Prato's, one record of each kind at
each level of confidentiality, each carrying a unique marker word; shared registry records
at each level. A reader may see a marker exactly when `visible(reader, marker)` says so."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS
from ponti.core.roles import clearance_for_user, clearance_in

LEVELS = ["pubblico", "interno", "riservato"]
ENTE_KINDS = ["agr", "mtg", "mem", "obj", "bdl", "not", "act", "gft", "vis", "opp"]
SHARED_KINDS = ["org", "per"]
UTC = datetime.UTC


@dataclass(frozen=True)
class Marker:
    word: str
    kind: str
    level: str
    ente_id: int | None  # None: a shared registry record
    record: Any = field(compare=False, hash=False, default=None)


def visible(reader: Any, marker: Marker) -> bool:
    level = CONFIDENTIALITY_LEVELS[marker.level]
    if marker.ente_id is None:
        return level <= clearance_for_user(reader)
    return level <= clearance_in(reader, marker.ente_id)


def word(kind: str, ente_code: str, level: str) -> str:
    return f"Zq{kind}{ente_code}{level[:3]}"


def build(enti: dict[str, Any], owners: dict[str, Any]) -> tuple[list[Marker], Any]:
    """Records for each ente ("fi", "po") × level × kind; returns the markers and the public
    organisation every note and position hangs on (its page is one of the outputs)."""
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import FollowUpAction, Gift, Meeting, VisitRequest
    from ponti.networks.models import Membership
    from ponti.opportunities.models import Deadline, Opportunity
    from ponti.partners.models import Organisation, OrganisationNote, Person, Position
    from ponti.planning.models import BudgetCode, BudgetLine, Objective

    markers: list[Marker] = []
    hub = Organisation.objects.create(
        name="Città di Zqhub", kind="city", country="FR", city="Lione", confidentiality="pubblico"
    )
    network = Organisation.objects.create(
        name="Rete Zqnet",
        kind="network",
        country="BE",
        city="Bruxelles",
        confidentiality="pubblico",
    )
    for level in LEVELS:
        org = Organisation.objects.create(
            name=f"Ente {word('org', '', level)}",
            kind="city",
            country="DE",
            city="Colonia",
            confidentiality=level,
        )
        markers.append(Marker(word("org", "", level), "org", level, None, org))
        person = Person.objects.create(
            first_name="Maria", last_name=word("per", "", level), confidentiality=level
        )
        Position.objects.create(person=person, organisation=hub, role="Consigliera")
        markers.append(Marker(word("per", "", level), "per", level, None, person))
    titolo = BudgetCode.objects.get(level="titolo", side="spesa", code="1")
    macro = BudgetCode.objects.get(level="macroaggregato", side="spesa", code="103")
    programma = BudgetCode.objects.get(level="programma", side="spesa", code="1901")
    for code, ente in enti.items():
        for n, level in enumerate(LEVELS):
            w = {k: word(k, code, level) for k in ENTE_KINDS}
            agreement = Agreement.objects.create(
                ente=ente,
                kind="amicizia",
                title=f"Patto {w['agr']}",
                status="attivo",
                confidentiality=level,
                end_date=datetime.date(2027, 1, 15),
                last_activity_on=datetime.date(2026, 10, 1),
            )
            agreement.partners.add(hub)
            meeting = Meeting.objects.create(
                ente=ente,
                title=f"Incontro {w['mtg']}",
                status="confermato",
                starts_at=datetime.datetime(2026, 3, 10 + n, 9, 0, tzinfo=UTC),
                ends_at=datetime.datetime(2026, 3, 10 + n, 10, 0, tzinfo=UTC),
                confidentiality=level,
            )
            meeting.counterparts.add(hub)
            Membership.objects.create(
                ente=ente,
                network=network
                if n == 0
                else Organisation.objects.create(
                    name=f"Rete {code}{level}",
                    kind="network",
                    country="BE",
                    confidentiality="pubblico",
                ),
                since_year=2003,
                notes=f"Adesione {w['mem']}",
                confidentiality=level,
            )
            Objective.objects.create(
                ente=ente,
                level="operativo",
                code=f"19{code}{n}",
                title=f"Obiettivo {w['obj']}",
                start_year=2024,
                end_year=2026,
                confidentiality=level,
            )
            BudgetLine.objects.create(
                ente=ente,
                number=f"9{n}{len(code)}{ord(code[0])}",
                side="spesa",
                description=f"Capitolo {w['bdl']}",
                titolo=titolo,
                category=macro,
                programma=programma,
                confidentiality=level,
            )
            OrganisationNote.objects.create(
                ente=ente, organisation=hub, text=f"Nota {w['not']}", confidentiality=level
            )
            FollowUpAction.objects.create(
                ente=ente,
                meeting=meeting,
                description=f"Azione {w['act']}",
                owner=owners[code],
                due_date=datetime.date(2026, 12, 1),
                confidentiality=level,
            )
            Gift.objects.create(
                ente=ente,
                meeting=meeting,
                direction="ricevuto",
                description=f"Dono {w['gft']}",
                estimated_value=Decimal("40"),
                confidentiality=level,
            )
            VisitRequest.objects.create(
                ente=ente, purpose=f"Visita {w['vis']}", confidentiality=level
            )
            opportunity = Opportunity.objects.create(
                ente=ente,
                title=f"Bando {w['opp']}",
                # A Town-Twinning topic: the page and API show the CERV check too.
                topic_identifier=f"CERV-2026-CITIZENS-TOWN-TT-{w['opp']}",
                confidentiality=level,
                # Followed: its deadline is in the ICS feed, and 15 days ahead of the
                # due-items run, in the e-mails too.
                decision="interessante",
            )
            Deadline.objects.create(
                opportunity=opportunity, due_at=datetime.datetime(2026, 12, 10, 16, tzinfo=UTC)
            )
            for kind in ENTE_KINDS:
                markers.append(Marker(w[kind], kind, level, ente.pk))
    return markers, hub
