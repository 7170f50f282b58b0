"""Demo: Florence's memberships of city networks, their roles, and the Eurocities members.

The rows come from ponti/partners/data/florence_networks.csv (see PROVENANCE.md there); the
network organisations and the members tagged "Eurocities" are made by the partners demo.
Dates are stored only as precise as the source: "since 2015" is a year, "2018-11-30" a date.
No fee is loaded: the sources give no amounts, and an invented amount would look real.
"""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path
from typing import Any

from django.db import models

from ponti.core.audit import bulk_batch
from ponti.core.demo import register
from ponti.core.models import Ente
from ponti.partners.models import Organisation, OrganisationKind

from .models import (
    Confidence,
    Membership,
    MembershipRole,
    MembershipStatus,
    NetworkMember,
    RoleKind,
)

DATA = Path(__file__).resolve().parent.parent / "partners" / "data" / "florence_networks.csv"
TAG_EUROCITIES = "Eurocities"
MEMBER_SOURCE = (
    "Elenco dei membri di eurocities.eu (maggio 2025), via github:c-riq/city-vote "
    "public-data/city-networks/eurocities"
)
ENTI = {"Comune di Firenze": ("comune-firenze", "Comune di Firenze", "Firenze")}

# Roles written in the source's details column: (pattern, kind, detail from the match).
ROLE_PATTERNS: list[tuple[re.Pattern[str], str, Any]] = [
    (
        re.compile(r"Executive Committee member since (?P<year>\d{4})(?: \((?P<note>[^)]*)\))?"),
        RoleKind.COMITATO_ESECUTIVO,
        lambda m: (
            "rielezione all'assemblea generale di Lubiana"
            if "Ljubljana" in (m["note"] or "")
            else ""
        ),
    ),
    (
        re.compile(r"elected Vice-President (?P<date>\d{4}-\d{2}-\d{2})(?: \((?P<place>[^)]*)\))?"),
        RoleKind.VICEPRESIDENZA,
        lambda m: {"Edinburgh": "elezione a Edimburgo"}.get(
            m["place"] or "", f"elezione ({m['place']})" if m["place"] else ""
        ),
    ),
]


def unconfirmed(role: str) -> bool:
    return "not confirmed" in role or "not stated" in role


def since_year(row: dict[str, str]) -> int | None:
    """The year the ente joined, when the source says so (a member, a selected city);
    not the year of an event such as a hosted meeting."""
    role, year = row["florence_role"], row["since_year"]
    if year.isdigit() and (role == "member" or "selected" in role):
        return int(year)
    return None


def membership_values(row: dict[str, str]) -> dict[str, Any]:
    role = row["florence_role"]
    doubtful = unconfirmed(role) or row["confidence"] == "low"
    notes = [f"Ruolo nella fonte: {role}."]
    if row["since_year"] and since_year(row) is None:
        notes.append(
            f"Anno indicato nella fonte: {row['since_year']} (di un evento, non dell'adesione)."
        )
    if row["details"]:
        notes.append(f"Dettagli nella fonte (in inglese): {row['details']}.")
    if roles_of(row["details"]):
        notes.append(
            "La fonte non dice quando i ruoli sono finiti: da verificare se sono in corso."
        )
    if doubtful:
        notes.append("Adesione non confermata dalla fonte: da verificare.")
    confidence = {"high": Confidence.HIGH, "medium": Confidence.MEDIUM}.get(
        row["confidence"], Confidence.LOW
    )
    return {
        "status": MembershipStatus.DA_CONFERMARE if unconfirmed(role) else MembershipStatus.ATTIVA,
        "since_year": since_year(row),
        "since": None,
        "confidence": Confidence.LOW if doubtful else confidence,
        "notes": " ".join(notes),
        "source": row["source"][:1000],
        "confidentiality": "pubblico",
    }


def roles_of(details: str) -> list[dict[str, Any]]:
    found = []
    for pattern, kind, detail in ROLE_PATTERNS:
        for match in pattern.finditer(details):
            values: dict[str, Any] = {"kind": kind, "detail": detail(match)}
            if match.groupdict().get("date"):
                values["start_date"] = datetime.date.fromisoformat(match["date"])
            else:
                values["start_year"] = int(match["year"])
            found.append(values)
    return found


def _update(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ and save; False (and no audit event) when nothing differs."""
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(obj, key, value)
    if isinstance(obj, Membership):
        obj.version += 1
    obj.full_clean()
    obj.save()
    return True


def ente_for(label: str) -> Ente | None:
    if label not in ENTI:
        return None
    slug, name, city = ENTI[label]
    return Ente.objects.get_or_create(slug=slug, defaults={"name": name, "city": city})[0]


def load_memberships(stats: dict[str, int], doubts: list[str]) -> None:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    for row in rows:
        network = Organisation.objects.filter(
            kind=OrganisationKind.NETWORK, name=row["network"]
        ).first()
        if network is None:
            doubts.append(f"«{row['network']}»: non è una rete del registro, nessuna adesione")
            continue
        ente = ente_for(row["florence_entity"])
        if ente is None:
            doubts.append(f"«{row['network']}»: ente sconosciuto «{row['florence_entity']}»")
            continue
        values = membership_values(row)
        membership = Membership.objects.filter(ente=ente, network=network).first()
        if membership is None:
            membership = Membership(ente=ente, network=network, **values)
            membership.full_clean()
            membership.save()
            stats["adesioni nuove"] += 1
        elif _update(membership, values):
            stats["adesioni aggiornate"] += 1
        if values["confidence"] == Confidence.LOW:
            doubts.append(f"«{network.name}»: adesione da verificare ({row['florence_role']})")
        for role_values in roles_of(row["details"]):
            key = {k: role_values.get(k) for k in ("kind", "start_date", "start_year")}
            role = MembershipRole.objects.filter(membership=membership, **key).first()
            if role is None:
                role = MembershipRole(membership=membership, **role_values)
                role.full_clean()
                role.save()
                stats["ruoli nuovi"] += 1
            elif _update(role, role_values):
                stats["ruoli aggiornati"] += 1


def load_members(stats: dict[str, int], doubts: list[str]) -> None:
    network = Organisation.objects.filter(kind=OrganisationKind.NETWORK, name="Eurocities").first()
    if network is None:
        doubts.append("Eurocities non è nel registro: nessun membro caricato")
        return
    tagged = (
        Organisation.objects.filter(tags__name=TAG_EUROCITIES)
        .exclude(pk=network.pk)
        .order_by("name")
    )
    existing = {nm.member_id: nm for nm in NetworkMember.objects.filter(network=network)}
    new = [
        NetworkMember(network=network, member=org, source=MEMBER_SOURCE)
        for org in tagged
        if org.pk not in existing
    ]
    # One bulk event, not one per member: the network's history would drown in them.
    if new:
        with bulk_batch(f"Demo: membri di {network.name} da eurocities.eu"):
            NetworkMember.objects.bulk_create(new)
        stats["membri nuovi"] += len(new)
    for current in existing.values():
        if _update(current, {"source": MEMBER_SOURCE}):
            stats["membri aggiornati"] += 1


@register(70, "networks: adesioni di Firenze")
def load_networks(**_: Any) -> dict[str, Any]:
    stats = dict.fromkeys(
        [
            "adesioni nuove",
            "adesioni aggiornate",
            "ruoli nuovi",
            "ruoli aggiornati",
            "membri nuovi",
            "membri aggiornati",
        ],
        0,
    )
    doubts: list[str] = []
    load_memberships(stats, doubts)
    load_members(stats, doubts)
    summary = ", ".join(f"{n} {label}" for label, n in stats.items())
    return {"summary": summary + "; nessuna quota (le fonti non danno importi)", "doubts": doubts}
