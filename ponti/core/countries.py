"""Countries (ISO 3166-1 alpha-2), with Italian and English names.

Two codes need a word:
- XK (Kosovo) is not assigned by ISO; it is the user-assigned code used by the European
  Commission and many registries. Ponti accepts it and names it "Kosovo".
- EH (Western Sahara) is a real ISO code; its status is disputed. Ponti shows ISO's name.
Both are marked in the list so that a published page can say so.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SPECIAL_NOTES = {
    "XK": _("codice assegnato dall'utente (uso UE), non ISO"),
    "EH": _("territorio dallo status conteso"),
}


@lru_cache(maxsize=4)
def _names(lang: str) -> dict[str, str]:
    translator = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
    )
    names = {}
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        names[country.alpha_2] = translator.gettext(country.name) if lang != "en" else name
    names["XK"] = "Kosovo"
    return names


def _lang() -> str:
    return "en" if (get_language() or "it").startswith("en") else "it"


def country_name(code: str | None, lang: str | None = None) -> str:
    if not code:
        return ""
    return _names(lang or _lang()).get(code.upper(), code.upper())


def all_names(code: str) -> str:
    """Every name we know for a country, for the search index."""
    return " ".join({country_name(code, "it"), country_name(code, "en"), code})


def is_valid(code: str | None) -> bool:
    return bool(code) and code.upper() in _names("en")  # type: ignore[union-attr]


def choices(lang: str | None = None) -> list[tuple[str, str]]:
    names = _names(lang or _lang())
    return sorted(names.items(), key=lambda item: item[1])


def validate_country(value: str) -> None:
    if not is_valid(value) or value != value.upper():
        raise ValidationError(
            _("«%(value)s» non è un codice paese ISO 3166-1 alfa-2 (es. IT, FR, JP)."),
            code="invalid_country",
            params={"value": value},
        )


# Languages whose country names `parse_country` accepts, in order of precedence when two
# languages give one name to different countries: Italian and English first, then the local
# languages of the countries Ponti's users most often deal with.
_PARSE_LANGUAGES = (
    "it", "en", "fr", "de", "es", "pt", "nl", "pl", "cs", "sk", "hu", "ro", "hr", "sl",
    "sr@latin", "bs", "sq", "el", "bg", "mk", "ru", "uk", "be", "lt", "lv", "et", "fi", "sv",
    "da", "nb_NO", "is", "ga", "mt", "tr", "ka", "hy", "az", "ar", "he", "fa", "zh_CN", "ja",
    "ko", "vi", "id",
)  # fmt: skip

# Names that no ISO list gives but that lists in circulation use.
_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "inghilterra": "GB",
    "scotland": "GB",
    "scozia": "GB",
    "wales": "GB",
    "galles": "GB",
    "northern ireland": "GB",
    "irlanda del nord": "GB",
    "great britain": "GB",
    "gran bretagna": "GB",
    "usa": "US",
    "u s a": "US",
    "stati uniti": "US",
    "america": "US",
    "russia": "RU",
    "south korea": "KR",
    "corea del sud": "KR",
    "north korea": "KP",
    "corea del nord": "KP",
    "czechia": "CZ",
    "repubblica ceca": "CZ",
    "cechia": "CZ",
    "holland": "NL",
    "olanda": "NL",
    "kosovo": "XK",
    "palestina": "PS",
    "stato di palestina": "PS",
    "palestine": "PS",
    "state of palestine": "PS",
    "macedonia": "MK",
    "vaticano": "VA",
    "citta del vaticano": "VA",
    "taiwan": "TW",
    "iran": "IR",
    "syria": "SY",
    "siria": "SY",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "moldavia": "MD",
    "turkey": "TR",
    "turkiye": "TR",
}


def _fold_country(text: str) -> str:
    from anyascii import anyascii

    return " ".join("".join(c if c.isalnum() else " " for c in anyascii(text).lower()).split())


@lru_cache(maxsize=1)
def _parse_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def put(name: str | None, code: str) -> None:
        if not name:
            return
        folded = _fold_country(name)
        if folded:
            table.setdefault(folded, code)
        # "Korea, Republic of" is also "Korea": only if no country took that name already.
        if "," in name:
            head = _fold_country(name.split(",")[0])
            if head:
                table.setdefault(head, code)

    for country in pycountry.countries:
        code = country.alpha_2
        table[code.lower()] = code
        table[country.alpha_3.lower()] = code
    for alias, code in _ALIASES.items():
        table[alias] = code
    for lang in _PARSE_LANGUAGES:
        translator = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
        )
        for country in pycountry.countries:
            for attr in ("common_name", "name", "official_name"):
                english = getattr(country, attr, None)
                if english:
                    put(translator.gettext(english) if lang != "en" else english, country.alpha_2)
    table.setdefault("xk", "XK")
    table.setdefault("xkx", "XK")
    return table


def parse_country(text: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country written as a code (DE, DEU) or a name in
    Italian, English or a local language ("Germania", "Germany", "Deutschland", "Германия"),
    accents, case and punctuation aside; None when unknown."""
    if not text or not text.strip():
        return None
    return _parse_table().get(_fold_country(text.strip()))
