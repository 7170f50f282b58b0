"""Demo: Florence's real twinnings and pacts, as agreements with their years or dates.

The rows come from ponti/partners/data/florence_partner_cities.csv (see PROVENANCE.md there).
A date is stored only as precise as the source gives it: a year stays a year, a month a month.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

from ponti.core.dates import DatePrecision, ImpreciseDate
from ponti.core.demo import register
from ponti.core.models import Ente
from ponti.partners.models import Organisation

from .models import Agreement, AgreementConfidence, AgreementKind
from .states import Status

DATA = Path(__file__).resolve().parent.parent / "partners" / "data" / "florence_partner_cities.csv"

ENTI = {
    "Comune di Firenze": ("comune-firenze", "Comune di Firenze", "Firenze"),
    "Provincia di Firenze (now Città Metropolitana)": ("cm-firenze", None, ""),
    "Comune di Figline e Incisa Valdarno (CM Firenze)": (
        "figline-incisa",
        "Comune di Figline e Incisa Valdarno",
        "Figline e Incisa Valdarno",
    ),
}


def kind_and_status(raw: str) -> tuple[str, str]:
    raw = raw.lower()
    if "not confirmed" in raw or "proposed" in raw:
        return AgreementKind.GEMELLAGGIO, Status.PROPOSTA
    if raw.startswith("gemellaggio"):
        return AgreementKind.GEMELLAGGIO, Status.ATTIVO
    if "amicizia" in raw:
        return AgreementKind.AMICIZIA, Status.ATTIVO
    if "fratellanza" in raw:
        return AgreementKind.FRATELLANZA, Status.ATTIVO
    if "protocollo d'intesa" in raw:
        return AgreementKind.MOU, Status.ATTIVO
    if "cooperazione" in raw or "scambio" in raw:
        return AgreementKind.COOPERAZIONE, Status.ATTIVO
    return AgreementKind.ALTRO, Status.ATTIVO


def parse_date(value: str, year: str) -> ImpreciseDate:
    """As precise as the source: a day, a month («1958-07») or a year, never an invented day."""
    if len(value) == 10:
        return ImpreciseDate(datetime.date.fromisoformat(value), DatePrecision.DAY)
    if len(value) == 7 and value[:4].isdigit():
        return ImpreciseDate.parse(value)
    if value[:4].isdigit():
        return ImpreciseDate(datetime.date(int(value[:4]), 1, 1), DatePrecision.YEAR)
    if year.isdigit():
        return ImpreciseDate(datetime.date(int(year), 1, 1), DatePrecision.YEAR)
    return ImpreciseDate.unknown()


def ente_for(label: str) -> Ente:
    slug, name, city = ENTI[label]
    if name is None:
        return Ente.objects.get(slug=slug)
    ente, _ = Ente.objects.get_or_create(slug=slug, defaults={"name": name, "city": city})
    return ente


@register(60, "agreements: gemellaggi e patti di Firenze")
def load_agreements(**_: Any) -> str:
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    created = updated = missing = 0
    enti = set()
    for row in rows:
        ente = ente_for(row["florence_entity"])
        enti.add(ente.pk)
        partner = Organisation.objects.filter(name=row["city"], country=row["country_iso2"]).first()
        if partner is None:
            missing += 1
            continue
        kind, status = kind_and_status(row["kind"])
        signed = parse_date(row["date_signed"], row["year_signed"])
        label = AgreementKind(kind).label
        notes = [f"Tipo nella fonte: {row['kind']}."]
        if row["notes"]:
            notes.append(row["notes"])
        values = {
            "kind": kind,
            "status": status,
            "signed_on": signed.value,
            "signed_precision": signed.precision,
            "start_date": signed.value,
            "start_precision": signed.precision,
            "description": " ".join(notes),
            "confidence": {
                "high": AgreementConfidence.HIGH,
                "medium": AgreementConfidence.MEDIUM,
            }.get(row["confidence"], AgreementConfidence.LOW),
            "source": row["source"][:1000],
            "confidentiality": "pubblico",
            "published": row["confidence"] != "low",
            "last_activity_on": signed.last_day,
        }
        title = f"{label} {ente.short_name or ente.name} – {partner.name}"
        agreement = Agreement.objects.filter(ente=ente, partners=partner, title=title).first()
        if agreement is None:
            agreement = Agreement(ente=ente, title=title, **values)
            agreement.save()
            agreement.partners.add(partner)
            created += 1
        elif any(getattr(agreement, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(agreement, key, value)
            agreement.save()
            updated += 1
    # Florence's rule (domain.md): one twin city per country. Saved one by one, so audited.
    for ente in Ente.objects.filter(pk__in=enti, one_twin_per_country=False):
        ente.one_twin_per_country = True
        ente.save(update_fields=["one_twin_per_country"])
    return f"accordi: {created} nuovi, {updated} aggiornati, {missing} senza partner nel registro"
