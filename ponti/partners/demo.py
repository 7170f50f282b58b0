"""Demo data of the partner registry, from real public data (see `data/PROVENANCE.md`).

Three loaders, run by `ponti demo` through `ponti.core.demo`:

1. Florence's partner cities and the Eurocities members, merged into one organisation
   per place (Kyiv is a twin city and a Eurocities member: one record, both facts);
2. part of the consular corps in Florence: each consulate, the government it represents
   (as its parent) and its head of post;
3. the city networks Florence belongs to.

Every row is written with `update_or_create` on a natural key (the Wikidata id, else
kind + country + name), so a second run finds what the first one made. A row that
already holds the data's values is not saved again: reruns write nothing and leave no
audit events. Rows that are written go through the normal `save()`, so the audit
signals record them. The data is read from this package's `data/` folder only.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models

from ponti.core import countries
from ponti.core.confidentiality import Confidentiality
from ponti.core.demo import register
from ponti.core.models import Ente, Tag
from ponti.core.text import fold

from .models import (
    GdprBasis,
    Organisation,
    OrganisationKind,
    OrganisationName,
    OrganisationNote,
    Person,
    Position,
)

DATA = Path(__file__).resolve().parent / "data"
PARTNER_CITIES = "florence_partner_cities.csv"
TWIN_TOWNS = "italian_metro_capitals_twin_towns.csv"
EUROCITIES = "eurocities_members.csv"
CONSULAR_CORPS = "florence_consular_corps_partial.csv"
NETWORKS = "florence_networks.csv"

DEFAULT_ENTE = "cm-firenze"  # created by core's migration 0002
TAG_UNSURE = "da verificare"
TAG_EUROCITIES = "Eurocities"
TAG_CONSULAR = "corpo consolare"

CONFIDENCE = {"high": "alta", "medium": "media", "low": "bassa"}
MONTHS = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
]


# --- reading the files ------------------------------------------------------------------


def confidence(row: dict[str, str]) -> str:
    return CONFIDENCE.get(row["confidence"], row["confidence"])


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def join_sources(*sources: str, limit: int) -> str:
    """The sources' addresses joined with " ; ": whole addresses only, as many as fit."""
    kept: list[str] = []
    for source in sources:
        for part in (p.strip() for p in source.split(" ; ")):
            if part and part not in kept and len(" ; ".join([*kept, part])) <= limit:
                kept.append(part)
    return " ; ".join(kept)


def coordinate(value: str) -> Decimal | None:
    # Rounded as the database stores it, so that a rerun compares equal.
    return Decimal(value).quantize(Decimal("0.000001")) if value else None


def italian_date(value: str) -> str:
    """2007-01-24 → 24 gennaio 2007; 2005-02 → febbraio 2005."""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def variants(*names: str, inner: bool = False) -> set[str]:
    """Folded forms a place is known by: "Fès / Fez" → {fes, fez};
    with `inner`, "El Aaiún (Laayoune)" → {el aaiun (laayoune), el aaiun, laayoune}."""
    found: set[str] = set()
    for name in names:
        for part in (p.strip() for p in name.split(" / ")):
            found.add(fold(part))
            match = re.match(r"^(.*?)\s*\((.*)\)$", part)
            if match:
                found.add(fold(match.group(1)))
                if inner:
                    found.add(fold(match.group(2)))
    found.discard("")
    return found


# --- one organisation to write ----------------------------------------------------------


@dataclass
class OrgRecord:
    name: str
    kind: str
    country: str
    city: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    wikidata_id: str | None = None
    description: str = ""
    sources: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    other_names: dict[str, str] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)  # folded names, to merge the files' rows

    def set_point(self, point: tuple[Decimal | None, Decimal | None] | None) -> None:
        if point and self.latitude is None and point[0] is not None:
            self.latitude, self.longitude = point


# --- 1. partner cities and Eurocities members --------------------------------------------

BONDS = {
    "gemellaggio": "Gemellaggio",
    "gemellaggio (gemellaggio di pace)": "Gemellaggio di pace",
    "patto di amicizia": "Patto di amicizia",
    "patto di fratellanza": "Patto di fratellanza",
}
FLORENCE_ENTITIES = {
    "Comune di Firenze": "il Comune di Firenze",
    "Provincia di Firenze (now Città Metropolitana)": (
        "la Provincia di Firenze (oggi Città Metropolitana di Firenze)"
    ),
    "Comune di Figline e Incisa Valdarno (CM Firenze)": (
        "il Comune di Figline e Incisa Valdarno (Città Metropolitana di Firenze)"
    ),
}
# Partners that are not a city: a county, a German district, a Sahrawi province.
PARTNER_TERRITORIES = {
    "Santa Clara County, California",
    "Landkreis Darmstadt-Dieburg",
    "Smara (Sahrawi Republic)",
}
# Spellings in the Italian sources that are misprints, not Italian names of the city
# (Xi'an is "Xi'an" in Italian too; Ulaanbaatar is "Ulan Bator").
NOT_ITALIAN_NAMES = {"X'ian", "Ulam Baatar"}
# Eurocities members in Italy go by their Italian name; the list's English name is kept
# as the English name.
ITALIAN_MEMBERS = {
    "Florence": ("Comune di Firenze", "Firenze"),
    "Genoa": ("Genova", "Genova"),
    "Milan": ("Milano", "Milano"),
    "Naples": ("Napoli", "Napoli"),
    "Rome": ("Roma", "Roma"),
    "Turin": ("Torino", "Torino"),
    "Venice": ("Venezia", "Venezia"),
    "Reggio Calabria Metropolitan City": (
        "Città metropolitana di Reggio Calabria",
        "Reggio Calabria",
    ),
    "Rome Metropolitan Area": ("Città metropolitana di Roma Capitale", "Roma"),
}
# Members that are a metropolitan authority or a group of towns, not one city.
METRO_WORDS = (
    "metropole",
    "metropolitan",
    "region",
    "brabantstad",
    "netwerkstad",
    "grand paris",
    "cote d'azur",
)


def bond_label(kind: str) -> str:
    if kind in BONDS:
        return BONDS[kind]
    match = re.match(r"^(other|unknown) \((.*)\)$", kind)
    if match and match.group(1) == "other":
        return f"Rapporto di altro tipo ({match.group(2)})"
    if match:
        return f"Tipo di rapporto non accertato ({match.group(2)})"
    return kind.capitalize()


def italian_name(city: str, in_italian_sources: str) -> str | None:
    """The Italian form of the name, when the Italian sources use one of their own."""
    known = variants(city, inner=True)
    for part in (p.strip() for p in in_italian_sources.split(" / ")):
        if part and fold(part) not in known and part not in NOT_ITALIAN_NAMES:
            return part
    return None


def partner_description(row: dict[str, str]) -> str:
    entity = FLORENCE_ENTITIES.get(row["florence_entity"], row["florence_entity"])
    text = f"{bond_label(row['kind'])} con {entity}"
    if row["date_signed"]:
        text += f", data: {italian_date(row['date_signed'])}."
    elif row["year_signed"]:
        text += f", anno: {row['year_signed']}."
    else:
        text += ", anno non trovato."
    text += f" Affidabilità dei dati: {confidence(row)}."
    if row["notes"]:
        text += f"\nNote della ricerca (in inglese): {row['notes']}."
    return text


def twin_town_points() -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], Any]]:
    """Coordinates by (folded name, country): Florence's twin towns, then everyone's."""
    florence: dict[tuple[str, str], Any] = {}
    others: dict[tuple[str, str], Any] = {}
    for row in read(TWIN_TOWNS):
        if not (row["partner_lat"] and row["partner_lon"]):
            continue
        point = (coordinate(row["partner_lat"]), coordinate(row["partner_lon"]))
        target = florence if row["italian_city"] == "Firenze" else others
        for key in variants(row["partner_city"], row["partner_wiki_title"]):
            target.setdefault((key, row["partner_country_iso2"]), point)
    return florence, others


def eurocities_members() -> tuple[list[dict[str, str]], list[str]]:
    """The member rows, each Wikidata id given to one city only.

    A metropolitan authority keeps no id: the list gives it its central city's
    (Lyon Metropole has Lyon's Q456). Two rows of one city (two spellings) become one.
    """
    rows = read(EUROCITIES)
    doubts: list[str] = []
    for row in rows:
        row["metro"] = (
            "1"
            if any(w in fold(row["city_name_on_eurocities_website"]) for w in METRO_WORDS)
            else ""
        )
    by_id: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["wikidata_id"] and not row["metro"]:
            by_id.setdefault(row["wikidata_id"], []).append(row)
    dropped: set[int] = set()
    for qid, same in by_id.items():
        if len(same) > 1:
            keep = next(
                (
                    r
                    for r in same
                    if fold(r["city_name_on_eurocities_website"]) in fold(r["wikidata_name"])
                ),
                same[0],
            )
            for row in same:
                if row is not keep:
                    dropped.add(id(row))
                    doubts.append(
                        f"Eurocities «{row['city_name_on_eurocities_website']}» = "
                        f"«{keep['city_name_on_eurocities_website']}» ({qid}): una sola città"
                    )
    return [r for r in rows if id(r) not in dropped], doubts


def partner_record(row: dict[str, str], points: list[dict[tuple[str, str], Any]]) -> OrgRecord:
    country, city = row["country_iso2"], row["city"]
    territory = city in PARTNER_TERRITORIES
    rec = OrgRecord(
        name=city,
        kind=OrganisationKind.METRO_REGION if territory else OrganisationKind.CITY,
        country=country,
        city="" if territory else city,
        description=partner_description(row),
        sources=[row["source"]],
        keys=variants(city, row["city_name_in_it_sources"], inner=True),
    )
    it_name = italian_name(city, row["city_name_in_it_sources"])
    if it_name:
        rec.other_names["it"] = it_name
    if row["confidence"] == "low":
        rec.tags.add(TAG_UNSURE)
    for index in points:  # the first index that knows the place wins
        for key in sorted(rec.keys):
            rec.set_point(index.get((key, country)))
    return rec


def add_member(records: list[OrgRecord], row: dict[str, str]) -> None:
    """Add a Eurocities member to its partner-city record, or as a record of its own."""
    listed, country = row["city_name_on_eurocities_website"], row["country_iso2"]
    metro = bool(row["metro"])
    keys = variants(listed, row["wikidata_name"])
    note = "Membro di Eurocities (elenco dei membri di eurocities.eu, maggio 2025)."
    same_city = [
        r
        for r in records
        if not metro
        and r.kind == OrganisationKind.CITY
        and r.country == country
        and (r.keys & keys or (r.wikidata_id and r.wikidata_id == row["wikidata_id"]))
    ]
    if same_city:
        rec = same_city[0]
        rec.description += f"\n{note}"
    else:
        name, city = ITALIAN_MEMBERS.get(listed, (listed, ""))
        rec = OrgRecord(
            name=name,
            kind=OrganisationKind.METRO_REGION if metro else OrganisationKind.CITY,
            country=country,
            city=city or (row["wikidata_name"] if metro else listed),
            description=note,
            keys=keys,
        )
        if name != listed:
            rec.other_names["en"] = listed
        records.append(rec)
    if metro and row["wikidata_id"]:
        rec.description += (
            f" L'identificativo Wikidata dell'elenco ({row['wikidata_id']}, "
            f"{row['wikidata_name']}) è quello del capoluogo: non è assegnato all'ente."
        )
    elif row["wikidata_id"]:
        rec.wikidata_id = row["wikidata_id"]
    rec.set_point((coordinate(row["latitude"]), coordinate(row["longitude"])))
    rec.tags.add(TAG_EUROCITIES)
    rec.sources.append(row["source"])


def city_records() -> tuple[list[OrgRecord], list[str]]:
    """Partner cities and Eurocities members, one record per place."""
    points = list(twin_town_points())
    records = [partner_record(row, points) for row in read(PARTNER_CITIES)]
    members, doubts = eurocities_members()
    for row in members:
        add_member(records, row)
    ids = Counter(r.wikidata_id for r in records if r.wikidata_id)
    repeated = [qid for qid, n in ids.items() if n > 1]
    if repeated:  # the unique constraint would refuse it; say which rows clash
        raise ValueError(f"Wikidata ids given twice in the demo data: {repeated}")
    return records, doubts


# --- writing ----------------------------------------------------------------------------


def _differs(obj: models.Model, values: dict[str, Any]) -> bool:
    for key, value in values.items():
        if isinstance(value, models.Model):
            if getattr(obj, f"{key}_id") != value.pk:
                return True
        elif getattr(obj, key) != value:
            return True
    return False


def upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    stats: Counter[str],
) -> Any:
    """`update_or_create` on the natural key `lookup`, validated as a form would be.

    A row that already holds `values` is left alone: no write, no audit event.
    A changed versioned row gets a new version, as an edit in the interface would.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is not None and not _differs(obj, values):
        stats["invariati"] += 1
        return obj
    fields = {k: v for k, v in {**lookup, **values}.items() if k != "pk"}
    if obj is not None:  # validate the row as it will be, not only the changed values
        for f in model._meta.concrete_fields:
            if not f.primary_key and f.name not in fields:
                fields[f.attname] = getattr(obj, f.attname)
    # A None the database allows (a note written by the system has no author) is fine here,
    # even where a form would ask for a value.
    nulls = [
        f.name
        for f in model._meta.concrete_fields
        if f.null and fields.get(f.name, fields.get(f.attname)) is None
    ]
    model(**fields).full_clean(exclude=nulls, validate_unique=False, validate_constraints=False)
    if obj is not None and hasattr(obj, "version"):
        values = {**values, "version": obj.version + 1}
    obj, created = model._default_manager.update_or_create(**lookup, defaults=values)
    stats["nuovi" if created else "modificati"] += 1
    return obj


def tag_getter() -> Callable[[str], Tag]:
    cache: dict[str, Tag] = {}

    def get(name: str) -> Tag:
        if name not in cache:
            cache[name] = Tag.objects.get_or_create(name=name)[0]
        return cache[name]

    return get


def save_org(
    rec: OrgRecord,
    *,
    tag: Callable[[str], Tag],
    stats: Counter[str],
    parent: Organisation | None = None,
    source_limit: int = 500,
) -> Organisation:
    values: dict[str, Any] = {
        "name": rec.name,
        "kind": rec.kind,
        "country": rec.country,
        "city": rec.city,
        "description": rec.description,
        "source": join_sources(*rec.sources, limit=source_limit),
        "confidentiality": Confidentiality.PUBBLICO,
    }
    # Left untouched when the data has nothing: a value the office added stays.
    for key in ("latitude", "longitude", "wikidata_id"):
        if getattr(rec, key) is not None:
            values[key] = getattr(rec, key)
    if parent is not None:
        values["parent"] = parent
    natural = {"kind": rec.kind, "country": rec.country, "name": rec.name}
    existing = None
    if rec.wikidata_id:
        existing = Organisation.objects.filter(wikidata_id=rec.wikidata_id).first()
    if existing is None:
        existing = Organisation.objects.filter(**natural).first()
    org = upsert(Organisation, {"pk": existing.pk} if existing else natural, values, stats)
    # Tags and names are only added: what the office added by hand is kept.
    org.tags.add(*(tag(name) for name in sorted(rec.tags)))
    for language, name in sorted(rec.other_names.items()):
        upsert(
            OrganisationName, {"organisation": org, "language": language}, {"name": name}, Counter()
        )
    # update_or_create saves only the fields it was given: refresh the search index here
    # (search_text is bookkeeping, never audited, so a queryset update loses nothing).
    text = org.build_search_text()
    Organisation.objects.filter(pk=org.pk).exclude(search_text=text).update(search_text=text)
    return org


def _summary(label: str, stats: Counter[str]) -> str:
    done = ", ".join(f"{n} {what}" for what, n in sorted(stats.items()) if n)
    return f"{label} ({done})"


@register(20, "partners: città partner ed Eurocities")
def load_cities(**_: Any) -> dict[str, Any]:
    records, doubts = city_records()
    tag, stats = tag_getter(), Counter[str]()
    for rec in records:
        save_org(rec, tag=tag, stats=stats)
    kinds = Counter(r.kind for r in records)
    return {
        "summary": _summary(
            f"{kinds[OrganisationKind.CITY]} città, "
            f"{kinds[OrganisationKind.METRO_REGION]} territori",
            stats,
        ),
        "doubts": doubts,
    }


# --- 2. the consular corps ---------------------------------------------------------------

# "of <country>" in Italian: the article depends on each name's gender and number.
OF_COUNTRY = {
    "BD": "del",
    "CH": "della",
    "CL": "del",
    "CN": "della",
    "DK": "della",
    "EC": "dell'",
    "FR": "della",
    "GB": "del",
    "HU": "dell'",
    "JP": "del",
    "MC": "di",
    "MD": "della",
    "MX": "del",
    "PE": "del",
    "PH": "delle",
    "SI": "della",
    "SV": "di",
    "US": "degli",
    "UZ": "dell'",
    "YE": "dello",
}
POSTS = {"Consulate General": "Consolato generale", "Consulate": "Consolato"}
# Three-word names whose split the simple rule (first word = first name) gets wrong.
NAME_SPLITS = {"Alessandro Antonio Giusti": ("Alessandro Antonio", "Giusti")}
SURNAME_FIRST = {"CN"}  # Chinese names are written surname first
# "(Dott.) Signorini", "Ragini Gupta (from 2020)": honorific, name, period
HEAD = re.compile(
    r"^(?:\((?P<honorific>[^)]*)\)\s*)?(?P<name>[^()]+?)\s*(?:\((?P<period>[^)]*)\))?$"
)
ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def of_country(code: str) -> str:
    name = countries.country_name(code, "it")
    article = OF_COUNTRY.get(code)
    if article is None:
        return f"({name})"
    return f"{article}{name}" if article.endswith("'") else f"{article} {name}"


def split_name(name: str, country: str) -> tuple[str, str] | None:
    if name in NAME_SPLITS:
        return NAME_SPLITS[name]
    words = name.split()
    if len(words) < 2:
        return None  # a surname alone: Person needs a first name
    if country in SURNAME_FIRST:
        return " ".join(words[1:]), words[0]
    return words[0], " ".join(words[1:])


def consulate_kind(nature: str) -> tuple[str, bool] | None:
    """(kind, unsure) from the career_or_honorary column; None for a closed post."""
    if "closed" in nature:
        return None
    if nature == "career":
        return OrganisationKind.CONSULATE_CAREER, False
    if nature == "honorary":
        return OrganisationKind.CONSULATE_HONORARY, False
    # "not stated": most posts in Florence are honorary; flagged for the office to check.
    return OrganisationKind.CONSULATE_HONORARY, True


def consulate_description(row: dict[str, str], unsure: bool) -> str:
    nature = row["career_or_honorary"]
    if unsure:
        guess = ", probabilmente onorario" if "probably honorary" in nature else ""
        text = (
            f"La fonte non dice se il consolato è di carriera o onorario{guess}: "
            "registrato come onorario, da verificare."
        )
    else:
        text = "Consolato di carriera." if nature == "career" else "Consolato onorario."
    text += f" Stato o periodo secondo la fonte: {row['status_or_period']}."
    if row["notes"]:
        text += f" Note della ricerca (in inglese): {row['notes']}."
    text += (
        f" Affidabilità dei dati: {confidence(row)}."
        " Dall'elenco parziale del corpo consolare di Firenze."
    )
    return text


def save_heads(row: dict[str, str], org: Organisation, *, ente: Ente, stats: Counter[str]) -> None:
    """The head of post as a Person with a current Position; the rest in a note.

    A past holder without a real end date would read as the current one, and a surname
    alone cannot make a Person: both are named in an internal note of the consulate.
    """
    code = row["country_iso2"]
    former_row = re.search(r"\b(former|previous)\b", row["status_or_period"], re.I)
    cells = [c.strip() for c in row["head_of_post"].split(";") if c.strip()]
    unrecorded: list[str] = []
    for index, cell in enumerate(cells):
        head = HEAD.match(cell)
        parts = split_name(head["name"], code) if head else None
        current = index == 0 and not former_row
        said = f"{head['period'] or ''} {row['status_or_period']}" if head else ""
        dates = ISO_DATE.findall(said)
        if head is None or parts is None or not (current or dates):
            unrecorded.append(cell)
            continue
        first, last = parts
        period = f"; {head['period']}" if head["period"] else ""
        person = upsert(
            Person,
            {"first_name": first, "last_name": last},
            {
                "honorific": head["honorific"] or "",
                "gdpr_basis": GdprBasis.PUBLIC_ROLE,
                "gdpr_source": join_sources(row["source"], limit=300),
                "notes": (
                    f"{row['title'] or 'Capo dell’ufficio'} – {org.name}. "
                    f"Stato o periodo secondo la fonte: {row['status_or_period']}{period}. "
                    f"Affidabilità dei dati: {confidence(row)}."
                ),
                "confidentiality": Confidentiality.INTERNO,
            },
            stats,
        )
        end = {} if current else {"end_date": datetime.date.fromisoformat(dates[-1])}
        upsert(
            Position,
            {
                "person": person,
                "organisation": org,
                "role": row["title"] or "Capo dell'ufficio consolare",
            },
            end,
            stats,
        )
    if unrecorded:
        upsert(
            OrganisationNote,
            {"organisation": org, "ente": ente, "author": None},
            {
                "text": (
                    "Capi dell'ufficio indicati dalla fonte ma non registrati come incarichi "
                    "(ex titolari senza date esatte, o nome incompleto): "
                    + "; ".join(unrecorded)
                    + f". Qualifica: {row['title']}. "
                    f"Stato o periodo: {row['status_or_period']}."
                ),
                "confidentiality": Confidentiality.INTERNO,
            },
            stats,
        )


@register(30, "partners: corpo consolare di Firenze")
def load_consulates(**_: Any) -> dict[str, Any]:
    ente = Ente.objects.get(slug=DEFAULT_ENTE)
    tag, stats, people = tag_getter(), Counter[str](), Counter[str]()
    doubts: list[str] = []
    for row in read(CONSULAR_CORPS):
        code = row["country_iso2"]
        kind = consulate_kind(row["career_or_honorary"])
        if kind is None:
            doubts.append(
                f"Consolato {of_country(code)} saltato: chiuso ({row['status_or_period']})"
            )
            continue
        kind_value, unsure = kind
        government = save_org(
            OrgRecord(
                name=f"Governo {of_country(code)}",
                kind=OrganisationKind.GOVERNMENT,
                country=code,
                description="Il governo nazionale che i suoi consolati rappresentano.",
            ),
            tag=tag,
            stats=stats,
        )
        post = POSTS.get(row["post_type"], row["post_type"])
        if row["career_or_honorary"] == "honorary":
            post += " onorario"
        consulate = OrgRecord(
            name=f"{post} {of_country(code)} a Firenze",
            kind=kind_value,
            country="IT",
            city="Firenze",
            description=consulate_description(row, unsure),
            sources=[row["source"]],
            tags={TAG_CONSULAR},
        )
        if unsure or row["confidence"] == "low":
            consulate.tags.add(TAG_UNSURE)
        org = save_org(consulate, tag=tag, stats=stats, parent=government)
        save_heads(row, org, ente=ente, stats=people)
    summary = (
        f"{_summary('consolati e governi', stats)}; {_summary('persone, incarichi e note', people)}"
    )
    return {"summary": summary, "doubts": doubts}


# --- 3. networks -------------------------------------------------------------------------

# Where each network's secretariat sits: added by hand, the file has no such column.
NETWORK_SEATS = {
    "Eurocities": ("BE", "Bruxelles"),
    "EU Mission: 100 Climate-Neutral and Smart Cities by 2030": ("BE", "Bruxelles"),
    "Covenant of Mayors (Patto dei Sindaci)": ("BE", "Bruxelles"),
    "Mayors Adapt City Twinning Programme": ("BE", "Bruxelles"),
    "Climate Alliance": ("DE", "Francoforte sul Meno"),
    "United Cities and Local Governments (UCLG)": ("ES", "Barcellona"),
    "Global Parliament of Mayors": ("NL", "L'Aia"),
    "Green City Network (Fondazione per lo sviluppo sostenibile)": ("IT", "Roma"),
}


@register(40, "partners: reti di città")
def load_networks(**_: Any) -> dict[str, Any]:
    tag, stats = tag_getter(), Counter[str]()
    doubts: list[str] = []
    for row in read(NETWORKS):
        seat = NETWORK_SEATS.get(row["network"])
        if row["network_type"] == "joint statement" or seat is None:
            doubts.append(f"«{row['network']}» saltato: non è una rete ({row['network_type']})")
            continue
        year, role = row["since_year"], row["florence_role"]
        if not year or year in role:
            since = ""
        else:  # the year a member joined, or the year of the event that is the tie
            since = f" (dal {year})" if role == "member" else f" ({year})"
        details = f" Dettagli (in inglese): {row['details']}." if row["details"] else ""
        rec = OrgRecord(
            name=row["network"],
            kind=OrganisationKind.NETWORK,
            country=seat[0],
            city=seat[1],
            description=(
                f"{row['network_type']}. Ruolo del {row['florence_entity']}: "
                f"{row['florence_role']}{since}.{details} Affidabilità dei dati: "
                f"{confidence(row)}."
            ),
            sources=[row["source"]],
        )
        if row["confidence"] == "low":
            rec.tags.add(TAG_UNSURE)
        save_org(rec, tag=tag, stats=stats)
    return {"summary": _summary("reti", stats), "doubts": doubts}
