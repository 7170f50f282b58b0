"""What a briefing dossier says, collected once for the PDF and the DOCX.

Everything is read through the requesting user's eyes: role, ente and clearance
(`for_user` / `visible_to`). A record the user may not see is left out, never masked;
a meeting or organisation the user may not see is a 404 before anything is collected.

The queries are a fixed number whatever the size of the history (prefetches, no per-row
queries), so that a partner with hundreds of meetings is still quick: see bench/dossier.py.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ponti.agreements.models import Agreement
from ponti.core.confidentiality import visible_levels
from ponti.core.permissions import can, get_for_user
from ponti.meetings.models import (
    ActionStatus,
    FollowUpAction,
    Gift,
    Meeting,
    Participant,
    ParticipantSide,
)
from ponti.networks.models import Membership
from ponti.partners.models import Organisation, Person, Position

from .worldmap import map_svg

OPEN_ACTIONS = [ActionStatus.APERTA, ActionStatus.IN_CORSO]

# A person's earlier meetings with us: the most recent ones, then how many more.
PAST_PER_PERSON = 10


@dataclass
class PersonBrief:
    name: str
    title: str
    role_that_day: str
    positions: list[str]
    past_meetings: list[str]
    in_registry: bool = True  # a guest typed in by name has no positions or history here


@dataclass
class OrgBrief:
    name: str
    kind: str
    country: str
    city: str
    description: str
    heads: list[str]
    latitude: float | None
    longitude: float | None


@dataclass
class Row:
    """One line of a table: cells already formatted as text."""

    cells: list[str]


@dataclass
class Dossier:
    title: str
    subject: str
    generated_on: str
    language: str
    labels: dict[str, str]
    meeting: dict[str, str] | None
    organisations: list[OrgBrief]
    people: list[PersonBrief]
    agreements: list[Row] = field(default_factory=list)
    anniversaries: list[str] = field(default_factory=list)
    networks: list[Row] = field(default_factory=list)
    past_meetings: list[Row] = field(default_factory=list)
    actions: list[Row] = field(default_factory=list)
    gifts: list[Row] = field(default_factory=list)
    talking_points: str = ""
    map: str = ""
    columns: dict[str, list[str]] = field(default_factory=dict)


def labels() -> dict[str, str]:
    """Headings and column names, in the active language (PDF and DOCX share them)."""
    return {
        "dossier": _("Dossier di preparazione"),
        "meeting": _("Incontro"),
        "when": _("Quando"),
        "where": _("Dove"),
        "kind": _("Tipo"),
        "status": _("Stato"),
        "agenda": _("Ordine del giorno"),
        "counterpart": _("La controparte"),
        "heads": _("Chi la guida oggi"),
        "map": _("Dove si trova"),
        "no_coordinates": _("Coordinate non registrate."),
        "people": _("Chi partecipa"),
        "positions": _("Incarichi"),
        "met_before": _("Incontri precedenti con noi"),
        "never_met": _("Nessun incontro precedente registrato."),
        "history": _("Storia della relazione"),
        "agreements": _("Accordi"),
        "anniversaries": _("Anniversari in arrivo"),
        "networks": _("Reti in comune"),
        "past_meetings": _("Incontri passati"),
        "outcome": _("Esito"),
        "actions": _("Azioni aperte"),
        "owner": _("Responsabile"),
        "due": _("Scadenza"),
        "gifts": _("Doni scambiati"),
        "given": _("Dato"),
        "received": _("Ricevuto"),
        "value": _("Valore stimato"),
        "talking_points": _("Punti di discussione"),
        "title": _("Titolo"),
        "date": _("Data"),
        "network": _("Rete"),
        "since": _("Dal"),
        "none": _("Nessuno."),
        "generated": _("Generato il"),
        "confidential": _(
            "Documento a uso interno: contiene solo ciò che il richiedente può vedere."
        ),
    }


def columns(lab: dict[str, str]) -> dict[str, list[str]]:
    """Column headings of the history tables, in the order of `Row.cells`."""
    return {
        "agreements": [lab["title"], lab["kind"], lab["status"], lab["date"]],
        "networks": [lab["network"], lab["status"], lab["since"]],
        "meetings": [lab["date"], lab["title"], lab["status"], lab["outcome"]],
        "actions": [lab["actions"], lab["owner"], lab["due"], lab["status"]],
        "gifts": [lab["title"], lab["kind"], lab["date"], lab["value"]],
    }


_BREAKS = re.compile(r"<br\s*/?>|</p>|</li>", re.IGNORECASE)


def plain(value: str) -> str:
    """Rich text (sanitised HTML) as plain lines, for both formats; list items become "• "."""
    if not value:
        return ""
    import nh3

    text = _BREAKS.sub("\n", value)
    text = re.sub(r"<li[^>]*>", "• ", text, flags=re.IGNORECASE)
    text = html.unescape(nh3.clean(text, tags=set()))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _day(d: datetime.date | None) -> str:
    return date_format(d, "j F Y") if d else ""


def meeting_when(m: Meeting) -> str:
    if m.is_dated:
        return _day(m.day)
    return m.when_text or "—"


def _position_text(p: Position) -> str:
    span = ""
    if p.start_date or p.end_date:
        start = str(p.start) if p.start_date else "…"
        span = f" ({start} – {str(p.end) if p.end_date else _('oggi')})"
    return f"{p.role}, {p.organisation.name}{span}"


def _visible_meetings(user: Any) -> QuerySet[Meeting]:
    if not can(user, "view", Meeting):
        return Meeting.objects.none()
    return Meeting.objects.for_user(user)


def _visible(user: Any, model: Any) -> QuerySet[Any]:
    if not can(user, "view", model):
        return model.objects.none()
    qs = model.objects.all()
    return qs.for_user(user) if hasattr(qs, "for_user") else qs.visible_to(user)


def _org_brief(org: Organisation, user: Any, levels: list[str]) -> OrgBrief:
    heads = [
        f"{p.person.full_name}, {p.role}"
        for p in org.positions.current().select_related("person")
        if p.person.confidentiality in levels
    ]
    return OrgBrief(
        name=org.name,
        kind=org.get_kind_display(),
        country=org.country_name,
        city=org.city,
        description=org.description,
        heads=heads,
        latitude=float(org.latitude) if org.latitude is not None else None,
        longitude=float(org.longitude) if org.longitude is not None else None,
    )


def _people(
    user: Any, meeting: Meeting | None, orgs: list[Organisation], levels: list[str]
) -> list[PersonBrief]:
    """The counterpart's people: those attending the meeting, or a partner's current heads."""
    roles_that_day: dict[int, str] = {}
    guests: list[PersonBrief] = []
    if meeting is not None:
        theirs = [
            p
            for p in meeting.participants.select_related("position")
            if p.side == ParticipantSide.CONTROPARTE
        ]
        participants = [p for p in theirs if p.person_id]
        guests = [
            PersonBrief(p.guest_name, "", p.role, [], [], in_registry=False)
            for p in theirs
            if not p.person_id and p.guest_name
        ]
        person_ids: list[int] = [p.person_id for p in participants if p.person_id is not None]
        roles_that_day = {
            int(p.person_id or 0): p.role or (p.position.role if p.position else "")
            for p in participants
        }
    else:
        person_ids = list(
            Position.objects.current()
            .filter(organisation__in=orgs)
            .values_list("person_id", flat=True)
        )
    people = list(
        Person.objects.filter(pk__in=person_ids, confidentiality__in=levels).prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.filter(
                    organisation__confidentiality__in=levels
                ).select_related("organisation"),
            ),
            Prefetch(
                "meeting_participations",
                queryset=Participant.objects.filter(
                    meeting__in=_visible_meetings(user)
                ).select_related("meeting"),
            ),
        )
    )
    order = {pk: i for i, pk in enumerate(dict.fromkeys(person_ids))}
    people.sort(key=lambda p: order.get(p.pk, 0))
    briefs = []
    for person in people:
        past = sorted(
            (
                pp.meeting
                for pp in person.meeting_participations.all()
                if meeting is None or pp.meeting_id != meeting.pk
            ),
            key=lambda m: m.date or datetime.date(1, 1, 1),
            reverse=True,
        )
        briefs.append(
            PersonBrief(
                name=person.full_name,
                title=person.title,
                role_that_day=roles_that_day.get(person.pk, ""),
                positions=[_position_text(p) for p in person.positions.all()],
                past_meetings=[f"{meeting_when(m)} — {m.title}" for m in past[:PAST_PER_PERSON]]
                + (
                    [_("e altri %(n)s") % {"n": len(past) - PAST_PER_PERSON}]
                    if len(past) > PAST_PER_PERSON
                    else []
                ),
            )
        )
    return briefs + guests


def _money(value: Decimal | None) -> str:
    return f"{value:,.2f} €".replace(",", " ") if value is not None else ""


def collect(
    user: Any,
    *,
    meeting: Meeting | None = None,
    organisation: Organisation | None = None,
    language: str = "it",
) -> Dossier:
    """The dossier for a meeting (its counterparts) or for one organisation. Call inside
    `translation.override(language)`: labels and dates are formatted in the active language."""
    levels = visible_levels(user)
    if meeting is not None:
        orgs = [o for o in meeting.counterparts.all() if o.confidentiality in levels]
    else:
        assert organisation is not None
        orgs = [organisation]
    org_ids = [o.pk for o in orgs]
    today = timezone.localdate()

    agreements = list(
        _visible(user, Agreement)
        .filter(partners__in=org_ids)
        .distinct()
        .order_by("-signed_on", "title")
    )
    anniversaries = []
    for a in agreements:
        for years, when, year in a.anniversaries(today=today):
            anniversaries.append(
                _("%(n)s anni di «%(t)s»: %(d)s")
                % {"n": years, "t": a.title, "d": _day(when) if when else year}
            )

    networks = list(
        _visible(user, Membership)
        .filter(network__network_members__member__in=org_ids, network__confidentiality__in=levels)
        .select_related("network")
        .distinct()
    )

    meetings_qs = _visible_meetings(user).filter(counterparts__in=org_ids).distinct()
    if meeting is not None:
        meetings_qs = meetings_qs.exclude(pk=meeting.pk)
    past = [m for m in meetings_qs if m.starts_at is None or m.starts_at <= timezone.now()]

    actions = list(
        _visible(user, FollowUpAction)
        .filter(status__in=OPEN_ACTIONS)
        .filter(
            Q(organisation__in=org_ids)
            | Q(meeting__counterparts__in=org_ids)
            | (Q(meeting=meeting) if meeting else Q(pk__in=[]))
        )
        .filter(Q(meeting__isnull=True) | Q(meeting__in=_visible_meetings(user)))
        .select_related("owner")
        .distinct()
    )
    gifts = list(
        _visible(user, Gift)
        .filter(Q(counterpart__in=org_ids) | Q(meeting__counterparts__in=org_ids))
        .filter(Q(meeting__isnull=True) | Q(meeting__in=_visible_meetings(user)))
        .distinct()
    )

    lab = labels()
    meeting_info = None
    if meeting is not None:
        meeting_info = {
            "title": meeting.title,
            "when": meeting_when(meeting),
            "where": ", ".join(x for x in (meeting.place, meeting.city) if x),
            "kind": meeting.get_kind_display(),
            "status": meeting.get_status_display(),
            "agenda": plain(meeting.agenda),
        }
    subject = meeting.title if meeting is not None else orgs[0].name
    point = next(
        (
            (o.latitude, o.longitude)
            for o in orgs
            if o.latitude is not None and o.longitude is not None
        ),
        None,
    )
    return Dossier(
        title=lab["dossier"],
        subject=subject,
        generated_on=_day(today),
        language=language,
        labels=lab,
        meeting=meeting_info,
        organisations=[_org_brief(o, user, levels) for o in orgs],
        people=_people(user, meeting, orgs, levels),
        agreements=[
            Row(
                [
                    # Low confidence in words, in every format the dossier is made in.
                    f"{a.title} ({_('da verificare')})" if a.low_confidence else a.title,
                    a.get_kind_display(),
                    a.get_status_display(),
                    str(a.signed) if a.signed_on else "",
                ]
            )
            for a in agreements
        ],
        anniversaries=anniversaries,
        networks=[
            Row([m.network.name, m.get_status_display(), _day(m.since) or str(m.since_year or "")])
            for m in networks
        ],
        past_meetings=[
            Row([meeting_when(m), m.title, m.get_status_display(), plain(m.outcome)]) for m in past
        ],
        actions=[
            Row(
                [
                    a.description,
                    a.owner.get_full_name() or a.owner.username,
                    _day(a.due_date),
                    a.get_status_display(),
                ]
            )
            for a in actions
        ],
        gifts=[
            Row(
                [
                    g.description,
                    lab["given"] if g.direction == Gift.Direction.DATO else lab["received"],
                    _day(g.given_on),
                    _money(g.estimated_value),
                ]
            )
            for g in gifts
        ],
        talking_points=plain(meeting.talking_points) if meeting is not None else "",
        map=map_svg(float(point[0]), float(point[1]), title=lab["map"])
        if point
        else map_svg(None, None, title=lab["map"]),
        columns=columns(lab),
    )


def meeting_for(user: Any, pk: int) -> Meeting:
    """The meeting, if the user may see it (404 otherwise)."""
    meeting, _editable = get_for_user(user, Meeting, pk)
    return meeting


def organisation_for(user: Any, pk: int) -> Organisation:
    org, _editable = get_for_user(user, Organisation, pk)
    return org
