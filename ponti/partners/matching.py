"""One partner in any language: the matcher behind imports and the duplicate warning.

An organisation matches a name when
- it has the same Wikidata id (certain, whatever else differs);
- one of its names, in any language, folds to the same text in the same country, or names
  the same GeoNames city there (Colonia, Köln and Cologne in Germany) (certain);
- a name is close (≥ 90%) in the same country, or close enough (≥ 70%) and within 20 km
  (probable: a person decides);
- the same name in another country, or a close name when the country is not known, is only
  possible: Paris in Texas is not Paris in France.

`OrganisationIndex` reads the organisations and all their names once, so an import of a
thousand rows asks the database nothing more; `candidates()` builds a small index around
one name for the duplicate warning and the API's 409. Both see only what they are given:
build them from what the reader may see (`visible_to`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from ponti.core import countries
from ponti.core.text import fold

from . import gazetteer
from .gazetteer import distance_km, fold_name
from .models import Organisation, OrganisationName

CERTAIN_WIKIDATA = 1.0
CERTAIN_NAME = 0.99
CERTAIN_CITY = 0.97
FUZZY_PROBABLE = 90  # rapidfuzz ratio, same country
FUZZY_NEAR = 70  # … with coordinates within NEAR_KM
NEAR_KM = 20.0
OTHER_COUNTRY = 0.6  # the same name elsewhere: shown, never probable
PROBABLE = 0.75  # a candidate at or above this is a probable duplicate (the API's 409)
_FIELDS = ("id", "name", "country", "city", "latitude", "longitude", "wikidata_id", "kind")


@dataclass
class Candidate:
    organisation: Organisation
    score: float  # 0..1
    certain: bool  # safe to treat as the same organisation without asking
    reasons: list[str] = field(default_factory=list)  # in the reader's language

    @property
    def probable(self) -> bool:
        return self.certain or self.score >= PROBABLE


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Decimal(str(value)))
    except (ArithmeticError, ValueError):
        return None


class OrganisationIndex:
    """Every name of the given organisations, by folded text, country, GeoNames city and
    Wikidata id. Build it once per import (or per request) and ask it many times."""

    # Also offer close names in other countries (only "possible": a country picked by
    # mistake). On for the small indexes of `candidates()`; off for a whole registry, where
    # it would compare every name with every organisation.
    look_abroad = False

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self._orgs: dict[int, Organisation] = {}
        self._names: dict[int, list[str]] = defaultdict(list)  # id → every name as written
        self._wikidata: dict[str, int] = {}
        self._by_key: dict[tuple[str, str], set[int]] = defaultdict(set)  # (country, folded)
        self._by_folded: dict[str, set[int]] = defaultdict(set)
        self._by_city: dict[tuple[str, int], set[int]] = defaultdict(set)  # (country, geonameid)
        # For rapidfuzz: per country, parallel lists of folded names and organisation ids.
        self._choices: dict[str, list[str]] = defaultdict(list)
        self._owners: dict[str, list[int]] = defaultdict(list)
        self._gazetteer = gazetteer.get()
        if isinstance(organisations, models.QuerySet):
            orgs = list(organisations.only(*_FIELDS, "confidentiality").order_by())
            names = OrganisationName.objects.filter(
                organisation__in=organisations.order_by().values("pk")
            ).values_list("organisation_id", "name")
            other: dict[int, list[str]] = defaultdict(list)
            for org_id, name in names.iterator(chunk_size=5000):
                other[org_id].append(name)
            for org in orgs:
                self._add(org, other.get(org.pk, []))
        else:
            for org in organisations:
                self.add(org)

    @classmethod
    def visible_to(cls, reader: Any) -> OrganisationIndex:
        """Every organisation the reader may see, and nothing else."""
        return cls(Organisation.objects.visible_to(reader))

    def __len__(self) -> int:
        return len(self._orgs)

    def add(self, organisation: Organisation) -> None:
        """An organisation created during an import, so that later rows find it."""
        cache = getattr(organisation, "_prefetched_objects_cache", {})
        if "other_names" in cache:
            other = [n.name for n in cache["other_names"]]
        elif organisation.pk:
            other = list(organisation.other_names.values_list("name", flat=True))
        else:
            other = []
        self._add(organisation, other)

    def _add(self, org: Organisation, other_names: list[str]) -> None:
        self._orgs[org.pk] = org
        if org.wikidata_id:
            self._wikidata[org.wikidata_id.upper()] = org.pk
        country = org.country or ""
        seen = set(self._names[org.pk])
        for name in [part for full in [org.name, *other_names] for part in name_variants(full)]:
            if not name or name in seen:
                continue
            seen.add(name)
            self._names[org.pk].append(name)
            folded = fold_name(name)
            if not folded:
                continue
            self._by_key[(country, folded)].add(org.pk)
            self._by_folded[folded].add(org.pk)
            self._choices[country].append(folded)
            self._owners[country].append(org.pk)
            city = self._gazetteer.lookup_folded(folded, country)
            if city is not None:
                self._by_city[(country, city)].add(org.pk)

    def _coordinates(self, org: Organisation) -> tuple[float, float] | None:
        lat, lon = _float(org.latitude), _float(org.longitude)
        if lat is not None and lon is not None:
            return lat, lon
        for name in self._names.get(org.pk, ()):
            found = self._gazetteer.lookup_folded(fold_name(name), org.country)
            if found is not None:
                city = self._gazetteer.city(found)
                assert city is not None
                return city.latitude, city.longitude
        return None

    def match(
        self,
        name: str,
        *,
        country: str = "",
        latitude: Any = None,
        longitude: Any = None,
        wikidata_id: str = "",
        other_names: Iterable[str] = (),
    ) -> list[Candidate]:
        """The organisations that may be the one described, best first."""
        country = (country or "").upper()
        names = [
            part
            for full in dict.fromkeys([name, *other_names])
            if full and full.strip()
            for part in name_variants(full)
        ]
        folded_names = [f for f in dict.fromkeys(fold_name(n) for n in names) if f]
        found: dict[int, Candidate] = {}

        def offer(pk: int, score: float, certain: bool, reason: str) -> None:
            current = found.get(pk)
            if current is None:
                found[pk] = Candidate(self._orgs[pk], score, certain, [reason])
                return
            if reason not in current.reasons:
                current.reasons.append(reason)
            current.score = max(current.score, score)
            current.certain = current.certain or certain

        wikidata = (wikidata_id or "").strip().upper()
        if wikidata and wikidata in self._wikidata:
            offer(
                self._wikidata[wikidata],
                CERTAIN_WIKIDATA,
                True,
                _("stesso ID Wikidata %(id)s") % {"id": wikidata},
            )
        for folded in folded_names:
            for pk in self._by_key.get((country, folded), ()) if country else ():
                offer(pk, CERTAIN_NAME, True, self._name_reason(pk, folded))
            city = self._gazetteer.lookup_folded(folded, country) if country else None
            if city is not None:
                for pk in self._by_city.get((country, city), ()):
                    offer(pk, CERTAIN_CITY, True, self._city_reason(city))
            for pk in self._by_folded.get(folded, ()):
                if pk not in found and self._orgs[pk].country != country:
                    offer(pk, OTHER_COUNTRY, False, self._other_country_reason(pk, country))
        self._fuzzy(folded_names, country, latitude, longitude, found, offer)
        return sorted(found.values(), key=lambda c: (-c.score, c.organisation.name))

    def _fuzzy(
        self,
        folded_names: list[str],
        country: str,
        latitude: Any,
        longitude: Any,
        found: dict[int, Candidate],
        offer: Any,
    ) -> None:
        # With a country: close names there. Without: close names anywhere, only "possible".
        pools = [country] if country else list(self._choices)
        if country and self.look_abroad:
            pools += [c for c in self._choices if c != country]
        here: tuple[float, float] | None = None
        lat, lon = _float(latitude), _float(longitude)
        if lat is not None and lon is not None:
            here = (lat, lon)
        elif country:
            for folded in folded_names:
                city = self._gazetteer.lookup_folded(folded, country)
                if city is not None:
                    place = self._gazetteer.city(city)
                    assert place is not None
                    here = (place.latitude, place.longitude)
                    break
        for pool in pools:
            choices = self._choices.get(pool)
            if not choices:
                continue
            for folded in folded_names:
                hits = process.extract(
                    folded, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_NEAR, limit=None
                )
                for _choice, ratio, i in hits:
                    pk = self._owners[pool][i]
                    if pk in found and found[pk].certain:
                        continue
                    if pool != country:
                        if ratio >= FUZZY_PROBABLE:
                            reason = self._similar_elsewhere(ratio, pool) if country else None
                            offer(
                                pk,
                                OTHER_COUNTRY * ratio / 100,
                                False,
                                reason or self._similar(ratio),
                            )
                        continue
                    if ratio >= FUZZY_PROBABLE:
                        offer(pk, 0.75 + (ratio - 90) / 100 * 1.5, False, self._similar(ratio))
                    there = self._coordinates(self._orgs[pk]) if here else None
                    if here and there:
                        km = distance_km(here[0], here[1], there[0], there[1])
                        if km <= NEAR_KM:
                            score = 0.75 + (ratio - FUZZY_NEAR) / 100 * 0.5
                            offer(pk, score, False, self._near(ratio, km))

    # Reasons, in the reader's language.
    def _name_reason(self, pk: int, folded: str) -> str:
        org = self._orgs[pk]
        if fold_name(org.name) == folded:
            return _("stesso nome, stesso paese")
        written = next((n for n in self._names[pk] if fold_name(n) == folded), org.name)
        return _("nome in altra lingua: %(name)s") % {"name": written}

    def _city_reason(self, geonameid: int) -> str:
        city = self._gazetteer.city(geonameid)
        return _("stessa città (GeoNames %(id)s): %(name)s") % {
            "id": geonameid,
            "name": city.name if city else "",
        }

    def _other_country_reason(self, pk: int, asked: str) -> str:
        params = {"country": countries.country_name(self._orgs[pk].country)}
        if not asked:
            return _("stesso nome (%(country)s)") % params
        return _("stesso nome, ma in un altro paese (%(country)s)") % params

    @staticmethod
    def _similar(ratio: float) -> str:
        return _("nome simile (%(percent)s%%)") % {"percent": round(ratio)}

    @staticmethod
    def _similar_elsewhere(ratio: float, country: str) -> str:
        return _("nome simile (%(percent)s%%), ma in un altro paese (%(country)s)") % {
            "percent": round(ratio),
            "country": countries.country_name(country),
        }

    @staticmethod
    def _near(ratio: float, km: float) -> str:
        return _("stesso paese, a %(km)s km, nome simile (%(percent)s%%)") % {
            "km": round(km),
            "percent": round(ratio),
        }


def name_variants(name: str) -> list[str]:
    """A registry name and the names written inside it: «El Aaiún (Laayoune)» is also «El Aaiún»
    and «Laayoune»; «Fès / Fez» is «Fès» and «Fez»."""
    if not name:
        return []
    out = [name]
    head, _sep, rest = name.partition("(")
    if rest:
        out += [head.strip(), rest.split(")")[0].strip()]
    if " / " in name:
        out += [part.strip() for part in name.split(" / ")]
    return [n for n in dict.fromkeys(out) if n]


# Words that many organisations' names share: they narrow nothing (the other words do).
_GENERIC = frozenset(
    [
        "universita",
        "university",
        "universitat",
        "universite",
        "camera",
        "chamber",
        "consolato",
        "consulate",
        "ambasciata",
        "embassy",
        "comune",
        "citta",
        "city",
        "regione",
        "region",
        "provincia",
        "istituto",
        "institute",
        "fondazione",
        "foundation",
        "associazione",
        "association",
        "centro",
        "center",
        "centre",
        "della",
        "delle",
        "degli",
        "dello",
        "with",
        "santa",
    ]
)


def _prefixes(names: Iterable[str]) -> set[str]:
    """Five-letter beginnings of the words that identify the names ("comune di" and words
    shared by many names left out), as the registry's search text holds them (other
    scripts as written)."""
    words: list[str] = []
    for name in names:
        texts = [fold_name(name)]
        if not fold(name).isascii():
            texts.append(fold(name))
        for text in texts:
            words += [w for w in text.replace("-", " ").split() if len(w) >= 3]
    telling = [w for w in words if len(w) >= 4 and w not in _GENERIC]
    return {w[:5] for w in (telling or words)}


def candidates(
    name: str,
    *,
    reader: Any,
    country: str = "",
    latitude: Any = None,
    longitude: Any = None,
    wikidata_id: str = "",
    other_names: Iterable[str] = (),
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """Organisations the reader may see that may be the one described (duplicate warning,
    merge suggestions, the API's 409). Narrows the registry in the database first (names
    sharing a word, names of the same GeoNames city in that country, the Wikidata id), then
    scores with `OrganisationIndex`: a warning never names what the reader may not see."""
    country = (country or "").upper()
    names = [n for n in [name, *other_names] if n and n.strip()]
    if not names:
        return []
    own_words = _prefixes(names)
    query = models.Q()
    for word in own_words:
        query |= models.Q(search_text__contains=word)
    if country:
        aliases: set[str] = set()
        gz = gazetteer.get()
        for n in names:
            city = gz.lookup(n, country)
            if city is not None:
                # Latin-script names only: the registry's search text keeps other scripts as written.
                aliases.update(a for a in gz.names(city) if a.isascii())
        city_words = _prefixes(aliases) - own_words
        if city_words:
            in_country = models.Q()
            for word in city_words:
                in_country |= models.Q(search_text__contains=word)
            query |= models.Q(country=country) & in_country
    wikidata = (wikidata_id or "").strip().upper()
    if wikidata:
        query |= models.Q(wikidata_id=wikidata)
    if not query:
        return []
    qs = Organisation.objects.visible_to(reader).filter(query)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    ids = list(qs.order_by().values_list("pk", flat=True)[:1000])
    index = OrganisationIndex(Organisation.objects.filter(pk__in=ids))
    index.look_abroad = True
    found = index.match(
        name,
        country=country,
        latitude=latitude,
        longitude=longitude,
        wikidata_id=wikidata,
        other_names=other_names,
    )
    return found[:limit]
