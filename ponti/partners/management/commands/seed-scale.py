"""`ponti seed-scale`: a large, plausible, synthetic partner registry, for benchmarks.

Every row it writes is marked as synthetic (organisations: tag «sintetico» and source
«ponti seed-scale»; people: data source «ponti seed-scale»), so it can never be taken for
real data, and it refuses to run with DEBUG off unless told --force.

Rows are written with bulk_create, which bypasses model save(): the command computes
search_text itself (the same parts as Organisation.build_search_text and Person.save). The
audit trail records the bulk writes (`AuditedQuerySet`), merged by `audit.bulk_batch` into one
event per model and confidentiality, inside the same transaction.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import pycountry
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from ponti.core import audit, countries
from ponti.core.confidentiality import Confidentiality
from ponti.core.models import Sector, Tag
from ponti.core.text import fold
from ponti.partners.models import (
    GdprBasis,
    Organisation,
    OrganisationKind,
    OrganisationName,
    Person,
    Position,
)

from . import _seed_scale_data as data

SOURCE = "ponti seed-scale"
SYNTHETIC_TAG = "sintetico"
DESCRIPTION = (
    "Record sintetico generato da «ponti seed-scale» per le prove di carico: non è un dato reale."
)

# How often each kind appears (a registry has many cities and few governments).
KIND_WEIGHTS: dict[str, int] = {
    OrganisationKind.CITY: 24,
    OrganisationKind.METRO_REGION: 5,
    OrganisationKind.GOVERNMENT: 2,
    OrganisationKind.EMBASSY: 3,
    OrganisationKind.CONSULATE_CAREER: 3,
    OrganisationKind.CONSULATE_HONORARY: 4,
    OrganisationKind.INTERNATIONAL_ORG: 3,
    OrganisationKind.UNIVERSITY: 12,
    OrganisationKind.CULTURAL: 11,
    OrganisationKind.CHAMBER: 6,
    OrganisationKind.COMPANY: 14,
    OrganisationKind.NGO: 10,
    OrganisationKind.NETWORK: 3,
}
FOREIGN_POSTS = {
    OrganisationKind.EMBASSY,
    OrganisationKind.CONSULATE_CAREER,
    OrganisationKind.CONSULATE_HONORARY,
}
# Where the foreign posts of an Italian registry sit.
ITALIAN_POST_CITIES = [
    ("Firenze", 10),
    ("Roma", 3),
    ("Milano", 3),
    ("Napoli", 1),
    ("Genova", 1),
    ("Venezia", 1),
]
# Sectors an organisation of a kind is likely to work in (sector codes, see core migration 0002).
KIND_SECTORS: dict[str, list[str]] = {
    OrganisationKind.UNIVERSITY: ["universita", "ricerca-innovazione", "istruzione"],
    OrganisationKind.CULTURAL: ["cultura", "urbanistica", "turismo"],
    OrganisationKind.CHAMBER: ["economia", "turismo", "digitale"],
    OrganisationKind.COMPANY: ["economia", "digitale", "agricoltura"],
    OrganisationKind.NGO: ["sociale", "cooperazione", "pace-diritti", "giovani"],
}
CONFIDENTIALITY_WEIGHTS = [
    (Confidentiality.PUBBLICO, 40),
    (Confidentiality.INTERNO, 50),
    (Confidentiality.RISERVATO, 10),
]

T = TypeVar("T")


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Place:
    country: str
    city: str
    region: str
    latitude: float | None
    longitude: float | None
    local: str | None


@dataclass
class Stats:
    organisations: int = 0
    other_names: int = 0
    sector_links: int = 0
    tag_links: int = 0
    people: int = 0
    positions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class Generator:
    """Draws the synthetic rows from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        codes = [code for code, _name in countries.choices("en")]
        self.known = sorted(data.CITIES)
        self.others = [c for c in codes if c not in data.CITIES]
        self.regions: dict[str, list[str]] = defaultdict(list)
        for sub in pycountry.subdivisions:
            self.regions[sub.country_code].append(sub.name)
        for names in self.regions.values():
            names.sort()
        self.it_names = {code: countries.country_name(code, "it") for code in codes}
        self.en_names = {code: countries.country_name(code, "en") for code in codes}
        self.kinds = list(KIND_WEIGHTS)
        self.kind_weights = list(KIND_WEIGHTS.values())
        self.post_cities = [c for c, _w in ITALIAN_POST_CITIES]
        self.post_weights = [w for _c, w in ITALIAN_POST_CITIES]
        self.italian = {c[0]: c for c in data.CITIES["IT"]}
        self.today = timezone.localdate()

    # --- places -------------------------------------------------------------------------

    def country(self, *, foreign: bool = False) -> str:
        roll = self.rng.random()
        if roll < 0.12 and not foreign:
            return "IT"
        if roll < 0.85:
            code = self.rng.choice(self.known)
            return code if code != "IT" else self.rng.choice(self.others)
        return self.rng.choice(self.others)

    def place(self, country: str) -> Place:
        regions = self.regions.get(country) or [self.en_names[country]]
        region = self.rng.choice(regions)
        if country in data.CITIES:
            city, lat, lon, local = self.rng.choice(data.CITIES[country])
            return Place(
                country, city, region, self._jitter(lat, 90), self._jitter(lon, 180), local
            )
        # No embedded city: a first-level subdivision, often named after its chief town.
        return Place(country, self.rng.choice(regions), region, None, None, None)

    def _jitter(self, value: float, limit: float) -> float:
        return max(-limit, min(limit, round(value + self.rng.uniform(-0.04, 0.04), 6)))

    # --- organisations ------------------------------------------------------------------

    def organisation(self, kind: str) -> tuple[Organisation, list[tuple[str, str]], Place]:
        rng = self.rng
        foreign_post = kind in FOREIGN_POSTS
        place = self.place(self.country(foreign=foreign_post))
        lang = data.LANGUAGE_OF.get(place.country, "en")
        surname = rng.choice(data.LAST_NAMES[lang])
        cause = rng.choice(data.CAUSES)
        it_city = (
            "Roma"
            if kind == OrganisationKind.EMBASSY
            else rng.choices(self.post_cities, self.post_weights)[0]
        )
        name = rng.choice(data.NAME_PATTERNS[kind]).format(
            city=place.city,
            region=place.region,
            country=self.it_names[place.country],
            it_city=it_city,
            surname=surname,
            sector_word=rng.choice(data.SECTOR_WORDS),
            sector_adj=rng.choice(data.SECTOR_ADJ),
            cause=cause,
            cause_cap=cause.split()[-1].capitalize(),
        )
        city, lat, lon = place.city, place.latitude, place.longitude
        if foreign_post:  # the post of a foreign country sits in Italy
            _c, lat, lon, _l = self.italian[it_city]
            city, lat, lon = it_city, self._jitter(lat, 90), self._jitter(lon, 180)
        if rng.random() < 0.15:  # many real records have no coordinates
            lat = lon = None
        address = ""
        if rng.random() < 0.5:
            pattern = data.STREETS.get(
                lang, data.STREETS["en"] if not foreign_post else data.STREETS["it"]
            )
            address = pattern.format(surname=surname, n=rng.randint(1, 180))
        slug = "".join(ch for ch in fold(f"{place.city}-{kind}") if ch.isalnum() or ch == "-")
        org = Organisation(
            name=name[:300],
            kind=kind,
            country=place.country,
            city=city[:120],
            address=address,
            latitude=None if lat is None else Decimal(f"{lat:.6f}"),
            longitude=None if lon is None else Decimal(f"{lon:.6f}"),
            website=f"https://{slug}.example" if rng.random() < 0.6 else "",
            confidentiality=self.confidentiality(),
            description=DESCRIPTION,
            source=SOURCE,
            created_at=timezone.now() - datetime.timedelta(days=rng.randint(0, 1500)),
        )
        return org, self.other_names(kind, lang, place), place

    def other_names(self, kind: str, lang: str, place: Place) -> list[tuple[str, str]]:
        if self.rng.random() > 0.3:
            return []
        names: list[tuple[str, str]] = []
        if kind in data.NAME_PATTERNS_EN:
            names.append(("en", data.NAME_PATTERNS_EN[kind].format(city=place.city)))
        local = data.NAME_PATTERNS_LOCAL.get(lang, {}).get(kind)
        if local and ("{local}" not in local or place.local):
            names.append(
                (data.LANGUAGE_CODE[lang], local.format(city=place.city, local=place.local))
            )
        return names

    def sectors(self, kind: str, by_code: dict[str, int]) -> set[int]:
        preferred = KIND_SECTORS.get(kind, [])
        picked = {by_code[c] for c in preferred if c in by_code and self.rng.random() < 0.5}
        for _ in range(self.rng.choice([0, 0, 1, 1, 2])):
            picked.add(self.rng.choice(list(by_code.values())))
        return picked

    def confidentiality(self) -> str:
        roll = self.rng.randrange(100)
        for value, weight in CONFIDENTIALITY_WEIGHTS:
            if roll < weight:
                return value
            roll -= weight
        return Confidentiality.INTERNO

    # --- people -------------------------------------------------------------------------

    def person(self, country: str, kind: str) -> Person:
        rng = self.rng
        lang = data.LANGUAGE_OF.get(country, rng.choice(["en", "fr", "es", "ar"]))
        first = rng.choice(data.FIRST_NAMES[lang])
        last = rng.choice(data.LAST_NAMES[lang])
        handle = "".join(ch for ch in fold(f"{first}.{last}") if ch.isalnum() or ch == ".")
        domain = rng.choice(["example.org", "example.com", "example.net"])  # reserved: never real
        email = f"{handle}{rng.randint(1, 999)}@{domain}"
        if rng.random() < 0.2:
            email = ""
        spoken = ["it", "en"] + ([data.LANGUAGE_CODE[lang]] if lang in data.LANGUAGE_CODE else [])
        return Person(
            honorific=rng.choice(data.HONORIFICS.get(kind, ["", "", "", "Dott."])),
            first_name=first,
            last_name=last,
            email=email,
            languages=", ".join(dict.fromkeys(spoken)),
            gdpr_basis=GdprBasis.PUBLIC_ROLE,
            gdpr_source=SOURCE,
            gdpr_date=self.today - datetime.timedelta(days=rng.randint(0, 2000)),
            notes=DESCRIPTION,
            confidentiality=self.confidentiality(),
            # What Person.save() would index.
            search_text=fold(f"{first} {last} {email}"),
        )

    def career(self, count: int) -> list[tuple[datetime.date | None, datetime.date | None]]:
        """`count` consecutive periods, oldest first: the last is often current (no end, or
        an end still to come); the earlier ones ended, each before the next began."""
        rng = self.rng
        periods: list[tuple[datetime.date | None, datetime.date | None]] = []
        today = self.today
        if rng.random() < 0.7:  # still in office
            end: datetime.date | None = (
                None
                if rng.random() < 0.6
                else today + datetime.timedelta(days=rng.randint(30, 1500))
            )
            start = today - datetime.timedelta(days=rng.randint(30, 8 * 365))
        else:
            end = today - datetime.timedelta(days=rng.randint(1, 6 * 365))
            start = end - datetime.timedelta(days=rng.randint(90, 8 * 365))
        periods.append((start, end))
        for _ in range(count - 1):
            end = start - datetime.timedelta(days=rng.randint(0, 700))
            start = end - datetime.timedelta(days=rng.randint(90, 8 * 365))
            periods.append((start, end))
        # Some start dates are unknown (a predecessor found in an old letter).
        return [(None if rng.random() < 0.03 else s, e) for s, e in reversed(periods)]


class Command(BaseCommand):
    help = (
        "Fill the registry with synthetic organisations, people and positions, in bulk, "
        "for performance tests. Every row is marked as synthetic. "
        "Refused with DEBUG off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisations", type=int, default=50_000, help="How many (default 50000)."
        )
        parser.add_argument(
            "--people",
            type=int,
            default=100_000,
            help="How many (default 100000); each has 1-3 positions.",
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed, for the same data again."
        )
        parser.add_argument(
            "--batch-size", type=int, default=5_000, help="Rows per bulk insert (default 5000)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (e.g. on a benchmark database).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed-scale writes tens of thousands of synthetic rows: it runs only with "
                "PONTI_DEBUG=1, or with --force on a database meant for it."
            )
        n_orgs, n_people, batch = options["organisations"], options["people"], options["batch_size"]
        if n_orgs < 1 or n_people < 0 or batch < 1:
            raise CommandError(
                "--organisations and --batch-size must be at least 1, --people at least 0."
            )
        seed = (
            options["seed"]
            if options["seed"] is not None
            else random.SystemRandom().randrange(2**31)
        )
        gen = Generator(seed)
        stats = Stats()
        started = time.perf_counter()
        # One bulk event per model (and confidentiality) for the whole run, not one per chunk.
        with (
            transaction.atomic(),
            audit.bulk_batch(f"{SOURCE}: dati sintetici, seed {seed}") as recorded,
        ):
            org_index = self._organisations(gen, n_orgs, batch, stats)
            self._people(gen, n_people, batch, org_index, stats)
            recorded.note += f"; {stats.sector_links} settori, {stats.tag_links} etichette"
        total = time.perf_counter() - started
        self.stdout.write(
            f"seed {seed}: {stats.organisations} organisations "
            f"({stats.other_names} other-language names, "
            f"{stats.sector_links} sector and {stats.tag_links} tag links), {stats.people} people, "
            f"{stats.positions} positions in {total:.1f} s "
            + "("
            + ", ".join(f"{k} {v:.1f} s" for k, v in stats.seconds.items())
            + ")"
        )

    def _organisations(
        self, gen: Generator, n: int, batch: int, stats: Stats
    ) -> list[tuple[int, str, str]]:
        """Create the organisations; answer (id, country, kind) of each."""
        started = time.perf_counter()
        sectors = dict(Sector.objects.values_list("code", "pk"))
        synthetic, _ = Tag.objects.get_or_create(name=SYNTHETIC_TAG)
        extra = {name: Tag.objects.get_or_create(name=name)[0].pk for name in data.EXTRA_TAGS}
        SectorLink = Organisation.sectors.through
        TagLink = Organisation.tags.through
        # Governments first, so that embassies and consulates can name theirs as parent.
        kinds = gen.rng.choices(gen.kinds, gen.kind_weights, k=n)
        kinds.sort(key=lambda k: k != OrganisationKind.GOVERNMENT)
        governments: dict[str, int] = {}
        index: list[tuple[int, str, str]] = []
        for chunk in chunked(kinds, batch):
            rows = [gen.organisation(kind) for kind in chunk]
            for org, names, place in rows:
                # In the order save() reads them: OrganisationName is ordered by language.
                org.search_text = org.build_search_text(other_names=[n for _l, n in sorted(names)])
                if org.kind in FOREIGN_POSTS and gen.rng.random() < 0.8:
                    org.parent_id = governments.get(place.country)
            created = Organisation.objects.bulk_create(
                [org for org, _n, _p in rows], batch_size=batch
            )
            other_names, sector_links, tag_links = [], [], []
            for org, (_o, names, _place) in zip(created, rows, strict=True):
                index.append((org.pk, org.country, org.kind))
                if org.kind == OrganisationKind.GOVERNMENT:
                    governments.setdefault(org.country, org.pk)
                other_names += [
                    OrganisationName(organisation_id=org.pk, language=lang, name=name)
                    for lang, name in names
                ]
                sector_links += [
                    SectorLink(organisation_id=org.pk, sector_id=s)
                    for s in gen.sectors(org.kind, sectors)
                ]
                tags = {synthetic.pk}
                if gen.rng.random() < 0.15:
                    tags.add(extra[gen.rng.choice(data.EXTRA_TAGS)])
                if org.kind in FOREIGN_POSTS and org.city == "Firenze":
                    tags.add(extra["corpo consolare"])
                tag_links += [TagLink(organisation_id=org.pk, tag_id=t) for t in tags]
            OrganisationName.objects.bulk_create(other_names, batch_size=batch)
            SectorLink.objects.bulk_create(sector_links, batch_size=batch)
            TagLink.objects.bulk_create(tag_links, batch_size=batch)
            stats.organisations += len(created)
            stats.other_names += len(other_names)
            stats.sector_links += len(sector_links)
            stats.tag_links += len(tag_links)
        stats.seconds["organisations"] = time.perf_counter() - started
        return index

    def _people(
        self, gen: Generator, n: int, batch: int, orgs: list[tuple[int, str, str]], stats: Stats
    ) -> None:
        started = time.perf_counter()
        by_country: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for entry in orgs:
            by_country[entry[1]].append(entry)
        rng = gen.rng
        for start in range(0, n, batch):
            size = min(batch, n - start)
            people: list[Person] = []
            jobs: list[list[tuple[int, str]]] = []
            for _ in range(size):
                first = rng.choice(orgs)
                people.append(gen.person(first[1], first[2]))
                count = rng.choices([1, 2, 3], [30, 40, 30])[0]
                chosen = [first]
                for _ in range(count - 1):
                    pool = by_country[first[1]] if rng.random() < 0.6 else orgs
                    chosen.append(rng.choice(pool))
                jobs.append([(org_id, kind) for org_id, _country, kind in chosen])
            created = Person.objects.bulk_create(people, batch_size=batch)
            positions = []
            for person, orgs_held in zip(created, jobs, strict=True):
                for (org_id, kind), (begin, end) in zip(
                    orgs_held, gen.career(len(orgs_held)), strict=True
                ):
                    positions.append(
                        Position(
                            person_id=person.pk,
                            organisation_id=org_id,
                            role=rng.choice(data.ROLES[kind]),
                            start_date=begin,
                            end_date=end,
                        )
                    )
            Position.objects.bulk_create(positions, batch_size=batch)
            stats.people += len(created)
            stats.positions += len(positions)
        stats.seconds["people and positions"] = time.perf_counter() - started
