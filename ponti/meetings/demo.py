"""Demo: Florence's real international meetings, with dates only as precise as the sources.

The rows come from ponti/partners/data/florence_international_meetings.csv (see PROVENANCE.md
there). A row with a year or a period is stored as such, never as an invented day.
Counterparts are matched to registry organisations (name, city, country); the missing ones
are created. Running the loader twice changes nothing.
These meetings are 2001–2014: they do not report activity to the agreements (it would change no
dormancy, and the agreements loader owns the demo's last-activity dates).
"""

from __future__ import annotations

import csv
import datetime
import re
import zoneinfo
from pathlib import Path
from typing import Any

from ponti.core.dates import DatePrecision, ImpreciseDate
from ponti.core.demo import register
from ponti.core.models import Ente
from ponti.partners.models import Organisation, OrganisationKind

from .models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantSide,
    ScreeningCriterion,
)

DATA = (
    Path(__file__).resolve().parent.parent
    / "partners"
    / "data"
    / "florence_international_meetings.csv"
)
ROME = zoneinfo.ZoneInfo("Europe/Rome")
ENTI = {
    "Comune di Firenze": ("comune-firenze", "Comune di Firenze", "Firenze"),
    "Provincia di Firenze": ("cm-firenze", None, None),
}
CRITERIA = [
    "Coerenza con le priorità dell'ente",
    "Livello istituzionale della delegazione",
    "Disponibilità del Sindaco nelle date",
]
KIND_BY_DIRECTION = {
    "outgoing": MeetingKind.MISSIONE,
    "hosted_event": MeetingKind.EVENTO,
    "online": MeetingKind.VIDEOCONFERENZA,
}
PREFIXES = ("City of ", "Municipality of ", "Municipalities of ", "County of ", "Government of ")
CONSULATES = [OrganisationKind.CONSULATE_CAREER, OrganisationKind.CONSULATE_HONORARY]


def ente_for(label: str) -> Ente:
    slug, name, city = ENTI.get(label, ENTI["Comune di Firenze"])
    if name is None:
        return Ente.objects.get(slug=slug)
    assert city is not None  # an ente with a name to create has a city too
    return Ente.objects.get_or_create(slug=slug, defaults={"name": name, "city": city})[0]


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def kind_of(name: str, city: str) -> str:
    low = name.lower()
    if "embassy" in low:
        return OrganisationKind.EMBASSY
    if "consulate" in low:
        return OrganisationKind.CONSULATE_CAREER
    if "county" in low or "landkreis" in low:
        return OrganisationKind.METRO_REGION
    if "conference of mayors" in low or "united cities" in low:
        return OrganisationKind.NETWORK
    if "associazione" in low or "association" in low:
        return OrganisationKind.NGO
    if low.startswith(("city of", "municipality", "municipalities")) or (
        low.startswith("government of") and city
    ):
        return OrganisationKind.CITY
    if "president" in low or "parliament" in low or "government" in low:
        return OrganisationKind.GOVERNMENT
    return OrganisationKind.CITY if city else OrganisationKind.INTERNATIONAL_ORG


def find_or_create(
    name: str, city: str, countries: list[str], stats: dict[str, int]
) -> Organisation | None:
    """The registry organisation for a counterpart, created when missing (None: no country)."""
    qs = Organisation.objects.all()
    in_country = qs.filter(country__in=countries) if countries else qs
    found = in_country.filter(name__iexact=name).first()
    core = name
    for prefix in PREFIXES:
        if core.startswith(prefix):
            core = core[len(prefix) :]
    core = re.sub(r"\s*\((California|delegation)\)|\s+delegation$", "", core).strip()
    if found is None and "consulate" in name.lower() and city in {"Florence", "Firenze"}:
        found = qs.filter(kind__in=CONSULATES, parent__country__in=countries).first()
    if found is None and core != name:
        found = (
            in_country.filter(name__iexact=core).first()
            or in_country.filter(name__icontains=core).first()
        )
    if found is None and city and kind_of(name, city) == OrganisationKind.CITY:
        found = in_country.filter(kind=OrganisationKind.CITY, name__iexact=city).first()
    if found is None:
        found = next(
            (o for o in qs.filter(kind=OrganisationKind.NETWORK) if name.startswith(o.name)), None
        )
    if found is not None:
        stats["matched"] += 1
        return found
    if not countries:
        return None
    kind = kind_of(name, city)
    clean = re.sub(r"\s*\(delegation\)$", "", name)
    values: dict[str, Any] = {
        "name": clean[:300],
        "kind": kind,
        "country": countries[0],
        "city": "" if kind == OrganisationKind.EMBASSY else city,
        "confidentiality": "pubblico",
    }
    if kind == OrganisationKind.EMBASSY:
        # As the registry's consulates: located in Italy, the represented country is the parent.
        values.update(
            country="IT",
            parent=qs.filter(kind=OrganisationKind.GOVERNMENT, country=countries[0]).first(),
        )
    stats["created"] += 1
    return Organisation.objects.create(**values)


def when(row: dict[str, str]) -> dict[str, Any]:
    raw, precision = row["date"].strip(), row["date_precision"].strip()
    if "/" in raw:
        first, last = (datetime.date.fromisoformat(x) for x in raw.split("/"))
    elif len(raw) == 10:
        first = last = datetime.date.fromisoformat(raw)
    elif len(raw) in (4, 7):  # «2012», «2012-05»: the year or the month, as known
        known = ImpreciseDate.parse(raw)
        return {"date": known.value, "date_precision": known.precision}
    else:
        period = re.sub(r"^unknown\s*\((.*)\)$", r"\1", precision)
        return {"date_precision": DatePrecision.UNKNOWN, "period": period[:120]}
    return {
        "date": first,
        "date_precision": DatePrecision.DAY,
        "all_day": True,
        "starts_at": datetime.datetime.combine(first, datetime.time(0, 0), ROME),
        "ends_at": datetime.datetime.combine(last, datetime.time(23, 59), ROME),
    }


def title_for(row: dict[str, str], kind: MeetingKind) -> str:
    who = row["counterpart_organisation"].replace("; ", ", ")
    label = {
        MeetingKind.MISSIONE: "Missione",
        MeetingKind.EVENTO: "Evento",
        MeetingKind.DELEGAZIONE: "Delegazione",
    }.get(kind, "Incontro")
    return f"{label}: {who}"[:300]


def people(names: str, roles: str) -> list[tuple[str, str]]:
    names_, roles_ = split(names), split(roles)
    return [
        (name, roles_[i] if i < len(roles_) else (roles_[-1] if len(roles_) == 1 else ""))
        for i, name in enumerate(names_)
    ]


@register(80, "meetings: incontri internazionali di Firenze")
def load_meetings(**_: Any) -> str:
    stats = {"created": 0, "matched": 0}
    new = same = 0
    for row in csv.DictReader(DATA.open(encoding="utf-8")):
        ente = ente_for(row["florence_entity"])
        countries = split(row["counterpart_country_iso2"])
        theirs = people(row["counterpart_representative"], row["counterpart_role"])
        kind = KIND_BY_DIRECTION.get(row["direction"], MeetingKind.INCONTRO)
        if kind == MeetingKind.INCONTRO and (
            "delegation" in row["counterpart_organisation"].lower() or len(theirs) > 1
        ):
            kind = MeetingKind.DELEGAZIONE
        title = title_for(row, kind)
        url = row["source_url"].strip()
        if Meeting.objects.filter(ente=ente, title=title, source__startswith=url).exists():
            same += 1
            continue
        outgoing = row["direction"] == "outgoing"
        notes = " · ".join(
            x for x in (row["notes"], f"affidabilità della fonte: {row['confidence']}") if x
        )
        meeting = Meeting(
            ente=ente,
            kind=kind,
            title=title,
            status=MeetingStatus.SVOLTO,
            confidentiality="pubblico",
            place=row["place"][:300],
            city=(row["counterpart_city"] if outgoing else "Firenze")[:120],
            country=(countries[0] if outgoing and countries else "IT" if not outgoing else ""),
            topics=row["topic_keywords"][:500],
            source=f"{url} — {notes}"[:1000],
            **when(row),
        )
        meeting.full_clean()
        meeting.save()
        orgs = [
            find_or_create(name, row["counterpart_city"], countries, stats)
            for name in split(row["counterpart_organisation"])
        ]
        meeting.counterparts.set([o for o in orgs if o is not None])
        for name, role in people(
            row["florence_participant_name"], row["florence_participant_role"]
        ):
            Participant.objects.create(
                meeting=meeting, side=ParticipantSide.NOSTRO, guest_name=name[:200], role=role[:200]
            )
        for name, role in theirs:
            Participant.objects.create(
                meeting=meeting,
                side=ParticipantSide.CONTROPARTE,
                guest_name=name[:200],
                role=role[:200],
            )
        new += 1
    criteria = 0
    for ente in Ente.objects.filter(slug__in=[slug for slug, _n, _c in ENTI.values()]):
        for position, text in enumerate(CRITERIA):
            criteria += ScreeningCriterion.objects.get_or_create(
                ente=ente, text=text, defaults={"position": position}
            )[1]
    return (
        f"incontri: {new} nuovi, {same} già presenti; "
        f"controparti: {stats['matched']} trovate nel registro, "
        f"{stats['created']} create; criteri di valutazione: {criteria} nuovi"
    )
