"""The shapes of the partner-registry API: what a client may send, and what it gets back.

Input rules, the same for every write endpoint (and written in the OpenAPI description):
- JSON types are strict: a number is not accepted for a string, nor "5" for an integer;
- lengths follow the model's `max_length`; free text is trimmed; control characters other
  than tab and newline, NUL and unpaired surrogates are refused (ponti.core.text);
- unknown fields, including read-only output fields such as `id` or `kind_label`, are
  refused with 422 (`additionalProperties: false`), so that a typo is never silently lost.
"""

import datetime
import enum
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, Strict, StringConstraints
from pydantic_core import PydanticCustomError

from ponti.core import countries
from ponti.core.api import HistoryEventOut, IsoDate
from ponti.core.confidentiality import Confidentiality
from ponti.core.dates import DatePrecision
from ponti.core.ids import MAX_ID
from ponti.core.text import forbidden_character_message

from .models import GdprBasis, OrganisationKind, PersonKind

# Integers a database column can hold: larger ids are refused, not sent to SQLite as an overflow.
MAX_VERSION = 2**31 - 1
MAX_LIST_ITEMS = 100


def _refuse_forbidden_characters(value: str) -> None:
    """The characters no text may hold (ponti.core.text), refused here too so that the
    message sits in the field's own errors when a schema is validated outside a request."""
    message = forbidden_character_message(value)
    if message:
        raise PydanticCustomError("text_invalid_character", "{message}", {"message": message})


def _text(value: str, *, required: bool) -> str:
    _refuse_forbidden_characters(value)
    value = value.strip()
    if required and not value:
        raise PydanticCustomError("text_blank", "Questo campo non può essere vuoto.")
    return value


def _optional_text(value: str) -> str:
    return _text(value, required=False)


def _required_text(value: str) -> str:
    return _text(value, required=True)


def _exact_text(value: str) -> str:
    """Codes (Wikidata, language, sector) are refused, not trimmed, with stray characters."""
    _refuse_forbidden_characters(value)
    return value


def _country(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    if not countries.is_valid(value) or value != value.upper():
        raise PydanticCustomError(
            "invalid_country",
            "«{value}» non è un codice paese ISO 3166-1 alfa-2 (es. IT, FR, JP; XK per il Kosovo).",
            {"value": value},
        )
    return value


# The codes as an enum, so that the OpenAPI document lists them once, as a component.
Country = enum.StrEnum(  # type: ignore[misc]
    "Country", [(code, code) for code in sorted(code for code, _name in countries.choices("en"))]
)


# Each model field's type, with its max_length.
Name = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=300),
    AfterValidator(_required_text),
]
Line60 = Annotated[
    str, StringConstraints(strict=True, max_length=60), AfterValidator(_optional_text)
]
Line120 = Annotated[
    str, StringConstraints(strict=True, max_length=120), AfterValidator(_optional_text)
]
Line200 = Annotated[
    str, StringConstraints(strict=True, max_length=200), AfterValidator(_optional_text)
]
Line300 = Annotated[
    str, StringConstraints(strict=True, max_length=300), AfterValidator(_optional_text)
]
Required120 = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=120),
    AfterValidator(_required_text),
]
Required200 = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=200),
    AfterValidator(_required_text),
]
LongText = Annotated[str, StringConstraints(strict=True), AfterValidator(_optional_text)]
Email = Annotated[
    str,
    StringConstraints(strict=True, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+$"),
    AfterValidator(_optional_text),
    Field(description="Un indirizzo e-mail; vuoto se non noto."),
]
Phone = Annotated[
    str,
    StringConstraints(strict=True, max_length=40),
    AfterValidator(_optional_text),
    Field(description="Cifre, spazi e + ( ) . / -, da 5 a 40 caratteri; vuoto se non noto."),
]
Url = Annotated[
    str,
    StringConstraints(strict=True, max_length=300, pattern=r"^$|^[A-Za-z][A-Za-z0-9+.-]*://\S+$"),
    AfterValidator(_optional_text),
    Field(description="Un indirizzo http(s)://…; vuoto se non noto."),
]
WikidataId = Annotated[
    str,
    StringConstraints(strict=True, max_length=20, pattern=r"^Q[1-9][0-9]*$"),
    AfterValidator(_exact_text),
]
LanguageCode = Annotated[
    str,
    StringConstraints(strict=True, max_length=12, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"),
    AfterValidator(_exact_text),
]
CountryCode = Annotated[
    Country,
    BeforeValidator(_country),
    Field(description="Codice ISO 3166-1 alfa-2 maiuscolo; XK per il Kosovo."),
]
SectorCode = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$"),
    AfterValidator(_exact_text),
]
TagName = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=60), AfterValidator(_required_text)
]
Latitude = Annotated[float, Strict(), Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Strict(), Field(ge=-180, le=180, allow_inf_nan=False)]
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
# In a path or a query string everything is text: "12" is read as 12.
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[
    int,
    Strict(),
    Field(
        ge=1,
        le=MAX_VERSION,
        description="La versione letta: se nel frattempo qualcuno ha salvato, la risposta è 409.",
    ),
]


def _drop_defaults(schema: dict[str, Any]) -> None:
    """PATCH fields have no default: an absent field is left as it is."""
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class InSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class PatchSchema(InSchema):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_drop_defaults)


# --- organisations -------------------------------------------------------------------------


class OtherName(InSchema):
    language: LanguageCode = Field(description="Codice lingua BCP 47, es. en, fr, ja, zh-Hant.")
    name: Name


OTHER_NAMES_HELP = (
    "I nomi in altre lingue, al più uno per lingua; l'elenco sostituisce quello salvato."
)
SECTORS_HELP = "Codici dei settori, es. cultura, economia."
TAGS_HELP = "Nomi delle etichette; quelle nuove sono create."


class OrganisationIn(InSchema):
    name: Name
    kind: OrganisationKind
    country: CountryCode
    city: Line120 = ""
    address: Line300 = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    website: Url = ""
    wikidata_id: WikidataId | None = Field(None, description="Es. Q2044 (Firenze).")
    parent_id: Id | None = Field(
        None, description="L'organizzazione madre, es. il governo di un'ambasciata."
    )
    sectors: list[SectorCode] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS, description=SECTORS_HELP
    )
    tags: list[TagName] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS, description=TAGS_HELP
    )
    description: LongText = ""
    confidentiality: Confidentiality = Confidentiality.INTERNO
    other_names: list[OtherName] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS, description=OTHER_NAMES_HELP
    )


class OrganisationCreate(OrganisationIn):
    force: Annotated[bool, Strict()] = Field(
        False,
        description="Crea anche se il registro ha già un probabile duplicato (senza, la "
        "risposta è 409 con i candidati).",
    )


class OrganisationPut(OrganisationIn):
    version: Version


class OrganisationPatch(PatchSchema):
    version: Version
    name: Name = None  # type: ignore[assignment]
    kind: OrganisationKind = None  # type: ignore[assignment]
    country: CountryCode = None  # type: ignore[assignment]
    city: Line120 = None  # type: ignore[assignment]
    address: Line300 = None  # type: ignore[assignment]
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    website: Url = None  # type: ignore[assignment]
    wikidata_id: WikidataId | None = None
    parent_id: Id | None = None
    sectors: list[SectorCode] = Field(None, max_length=MAX_LIST_ITEMS, description=SECTORS_HELP)  # type: ignore[arg-type]
    tags: list[TagName] = Field(None, max_length=MAX_LIST_ITEMS, description=TAGS_HELP)  # type: ignore[arg-type]
    description: LongText = None  # type: ignore[assignment]
    confidentiality: Confidentiality = None  # type: ignore[assignment]
    other_names: list[OtherName] = Field(
        None,  # type: ignore[arg-type]
        max_length=MAX_LIST_ITEMS,
        description=OTHER_NAMES_HELP,
    )


class OtherNameOut(Schema):
    language: str
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: OrganisationKind
    kind_label: str
    country: str
    country_name: str
    city: str
    address: str
    latitude: float | None
    longitude: float | None
    website: str
    wikidata_id: str | None
    parent_id: int | None = Field(
        description="Nullo anche se la madre esiste ma non ti è visibile."
    )
    sectors: list[str]
    tags: list[str]
    description: str
    confidentiality: Confidentiality
    other_names: list[OtherNameOut]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class DuplicateCandidateOut(Schema):
    id: int
    name: str
    country: str
    city: str
    score: float = Field(description="Da 0 a 1.")
    certain: bool = Field(description="Vero: è quasi certamente la stessa organizzazione.")
    reasons: list[str] = Field(description="Perché, nella lingua di chi legge.")


class DuplicateOut(Schema):
    detail: str
    candidates: list[DuplicateCandidateOut] = Field(
        description="Solo organizzazioni che puoi vedere, la più probabile per prima."
    )


class MergeIn(InSchema):
    duplicate_id: Id = Field(
        description="Il duplicato da unire in questa organizzazione: è eliminato e tutti i "
        "suoi collegamenti passano a questa."
    )


def _search_text(value: str) -> str:
    """Control characters are refused in a search as in every text (`core.text`)."""
    message = forbidden_character_message(value)
    if message:
        raise PydanticCustomError("text_control_characters", message)
    return value


SearchText = Annotated[
    str,
    StringConstraints(strict=True, max_length=200),
    AfterValidator(_search_text),  # before trimming: U+001F at the end is "whitespace" too
    AfterValidator(_optional_text),
    Field(
        description="Ricerca senza accenti né maiuscole: «fes» trova «Fès». "
        "Caratteri di controllo (NUL, U+0001–U+001F tranne tab e a capo, U+007F) rifiutati."
    ),
]


class PageQuery(Schema):
    limit: int = Field(25, ge=1, le=100, description="Quanti record per pagina (al più 100).")
    offset: int = Field(0, ge=0, le=MAX_VERSION, description="Quanti record saltare.")


class OrganisationFilters(PageQuery):
    q: SearchText | None = None
    kind: OrganisationKind | None = None
    country: CountryCode | None = None
    sector: SectorCode | None = Field(None, description="Codice di un settore, es. cultura.")
    tag: TagName | None = Field(None, description="Nome di un'etichetta (maiuscole indifferenti).")
    sort: Literal["name", "-name", "country", "-updated_at"] = "name"


class PersonFilters(PageQuery):
    q: SearchText | None = None
    organisation_id: QueryId | None = Field(
        None, description="Solo chi ha o ha avuto un incarico in questa organizzazione."
    )


class Page(Schema):
    count: int = Field(description="Quanti record corrispondono ai filtri, in tutto.")
    limit: int
    offset: int


class OrganisationPage(Page):
    items: list[OrganisationOut]


# --- people and positions ----------------------------------------------------------------


class PersonIn(InSchema):
    honorific: Line60 = Field("", description="Es. S.E., On., Prof.ssa, Dott.")
    first_name: Required120
    last_name: Required120
    title: Line200 = ""
    languages: Line120 = Field("", description="Codici separati da virgola, es. it, en, fr.")
    email: Email = ""
    phone: Phone = ""
    mobile: Phone = ""
    kind: PersonKind = Field(
        PersonKind.INSTITUTIONAL, description="Decide la base giuridica e la conservazione."
    )
    gdpr_basis: GdprBasis = GdprBasis.PUBLIC_ROLE
    gdpr_source: Line300 = ""
    gdpr_date: IsoDate = Field(
        default_factory=datetime.date.today,
        description="Data di raccolta dei dati; oggi se assente.",
    )
    notes: LongText = ""
    confidentiality: Confidentiality = Confidentiality.INTERNO


class PersonPut(PersonIn):
    version: Version


class PersonPatch(PatchSchema):
    version: Version
    honorific: Line60 = None  # type: ignore[assignment]
    first_name: Required120 = None  # type: ignore[assignment]
    last_name: Required120 = None  # type: ignore[assignment]
    title: Line200 = None  # type: ignore[assignment]
    languages: Line120 = None  # type: ignore[assignment]
    email: Email = None  # type: ignore[assignment]
    phone: Phone = None  # type: ignore[assignment]
    mobile: Phone = None  # type: ignore[assignment]
    kind: PersonKind = None  # type: ignore[assignment]
    gdpr_basis: GdprBasis = None  # type: ignore[assignment]
    gdpr_source: Line300 = None  # type: ignore[assignment]
    gdpr_date: IsoDate = None  # type: ignore[assignment]
    notes: LongText = None  # type: ignore[assignment]
    confidentiality: Confidentiality = None  # type: ignore[assignment]


class PositionOut(Schema):
    id: int
    person_id: int
    person_name: str
    organisation_id: int
    organisation_name: str
    role: str
    start_date: datetime.date | None
    start_precision: DatePrecision
    end_date: datetime.date | None
    end_precision: DatePrecision
    is_current: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int


class PersonOut(Schema):
    id: int
    honorific: str
    first_name: str
    last_name: str
    full_name: str
    title: str
    languages: str
    email: str
    phone: str
    mobile: str
    kind: PersonKind
    erased_at: datetime.datetime | None = Field(
        description="Quando i dati sono stati cancellati (la persona resta come pseudonimo)."
    )
    gdpr_basis: GdprBasis
    gdpr_source: str
    gdpr_date: datetime.date
    notes: str
    confidentiality: Confidentiality
    current_positions: list[PositionOut] = Field(
        description="Gli incarichi in corso oggi, nelle organizzazioni che ti sono visibili."
    )
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class PersonPage(Page):
    items: list[PersonOut]


PRECISION = (
    "Quanto della data è noto: day, month, year, unknown (la data è il primo giorno di ciò "
    "che è noto: 1998-01-01 e year per «dal 1998»). Una data senza precisione è un giorno."
)


class PositionIn(InSchema):
    """For POST /organisations/{id}/positions: an existing person, or a new one."""

    person_id: Id | None = Field(None, description="Una persona già in anagrafe; oppure `person`.")
    person: PersonIn | None = Field(None, description="Una persona nuova, creata con l'incarico.")
    role: Required200 = Field(description="Es. Console generale, Sindaco, Rettore.")
    start_date: IsoDate | None = None
    start_precision: DatePrecision | None = Field(None, description=PRECISION)
    end_date: IsoDate | None = Field(None, description="Non prima di `start_date`.")
    end_precision: DatePrecision | None = Field(None, description=PRECISION)


class PersonPositionIn(InSchema):
    """For POST /people/{id}/positions."""

    organisation_id: Id
    role: Required200 = Field(description="Es. Console generale, Sindaco, Rettore.")
    start_date: IsoDate | None = None
    start_precision: DatePrecision | None = Field(None, description=PRECISION)
    end_date: IsoDate | None = Field(None, description="Non prima di `start_date`.")
    end_precision: DatePrecision | None = Field(None, description=PRECISION)


class PositionPut(InSchema):
    version: Version
    role: Required200
    start_date: IsoDate | None = None
    start_precision: DatePrecision | None = Field(None, description=PRECISION)
    end_date: IsoDate | None = Field(None, description="Non prima di `start_date`.")
    end_precision: DatePrecision | None = Field(None, description=PRECISION)


class PositionPatch(PatchSchema):
    version: Version
    role: Required200 = None  # type: ignore[assignment]
    start_date: IsoDate | None = None
    start_precision: DatePrecision | None = Field(None, description=PRECISION)
    end_date: IsoDate | None = None
    end_precision: DatePrecision | None = Field(None, description=PRECISION)


class PositionPage(Page):
    items: list[PositionOut]


# --- history -------------------------------------------------------------------------------


class HistoryPage(Page):
    items: list[HistoryEventOut]
