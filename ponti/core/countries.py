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
