"""The shapes of the meetings API (same input rules as the partner registry's: strict JSON
types, lengths from the model, trimmed text, unknown fields refused).

Enums get names of their own ("MeetingStatus", "GiftDirection", "VisitChannel"…): the
OpenAPI components of every app share one namespace.
"""

from __future__ import annotations

import datetime
import enum
import re
import zoneinfo
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, Strict, StringConstraints
from pydantic_core import PydanticCustomError

from ponti.core.api import ApiAmount
from ponti.core.confidentiality import Confidentiality
from ponti.core.dates import DatePrecision
from ponti.partners.schemas import (
    MAX_LIST_ITEMS,
    CountryCode,
    Id,
    InSchema,
    IsoDate,
    Line120,
    Line200,
    Line300,
    LongText,
    Name,
    Page,
    PageQuery,
    PatchSchema,
    QueryId,
    SearchText,
    SectorCode,
    Version,
    _optional_text,
    _required_text,
)

from .models import (
    ActionStatus,
    Gift,
    MeetingKind,
    MeetingStatus,
    ParticipantSide,
    VisitDecision,
    VisitRequest,
)

StrictBool = Annotated[bool, Strict()]
Line500 = Annotated[
    str, StringConstraints(strict=True, max_length=500), AfterValidator(_optional_text)
]
Line1000 = Annotated[
    str, StringConstraints(strict=True, max_length=1000), AfterValidator(_optional_text)
]
Required500 = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=500),
    AfterValidator(_required_text),
]
Money = Annotated[
    Decimal,
    ApiAmount('Euro, al più due decimali, es. 150 o "150.50".', maximum=Decimal("99999999.99")),
]

# The models' nested choices, as enums with unique component names.
GiftDirection = enum.StrEnum("GiftDirection", {m.name: m.value for m in Gift.Direction})  # type: ignore[misc]
VisitChannel = enum.StrEnum("VisitChannel", {m.name: m.value for m in VisitRequest.Channel})  # type: ignore[misc]

_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")


def _iso_datetime(value: Any) -> Any:
    """ISO 8601 with a UTC offset ("2026-05-31T10:00:00+02:00"); years 1000–2999."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise PydanticCustomError(
            "datetime_format", "Scrivi data e ora come AAAA-MM-GGThh:mm:ss+01:00 (con il fuso)."
        )
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise PydanticCustomError("datetime_invalid", "Data o ora inesistente.") from None
    if not 1000 <= parsed.year <= 2999:
        raise PydanticCustomError("datetime_range", "L'anno deve essere tra 1000 e 2999.")
    return parsed


def _timezone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise PydanticCustomError(
            "timezone_invalid",
            "«{value}» non è un fuso orario IANA (es. Europe/Rome).",
            {"value": value},
        )
    return value


IsoDateTime = Annotated[
    datetime.datetime,
    BeforeValidator(_iso_datetime),
    Field(json_schema_extra={"format": "date-time"}),
]
TimeZoneName = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=64),
    AfterValidator(_timezone),
    Field(description="Fuso orario IANA, es. Europe/Rome."),
]


# --- meetings ----------------------------------------------------------------------------------


WHEN_HELP = (
    "Quando: `starts_at` (con l'ora; il giorno e la precisione day ne seguono), oppure "
    "`date` + `date_precision` (il primo giorno di ciò che è noto: 2019-07-01 e month per "
    "«luglio 2019»; un giorno senza ora diventa un incontro di tutto il giorno), e/o `period`."
)


class _MeetingFields(InSchema):
    date: IsoDate | None = Field(None, description=WHEN_HELP)
    date_precision: DatePrecision | None = Field(
        None, description="day, month, year, unknown; senza, una data è un giorno."
    )
    starts_at: IsoDateTime | None = None
    ends_at: IsoDateTime | None = None
    all_day: StrictBool = False
    timezone: TimeZoneName = "Europe/Rome"
    period: Line120 = ""
    place: Line300 = ""
    city: Line120 = ""
    country: CountryCode | None = None
    counterpart_ids: list[Id] = Field(
        default_factory=list,
        max_length=MAX_LIST_ITEMS,
        description="ID delle organizzazioni controparte.",
    )
    agreement_ids: list[Id] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS, description="ID degli accordi collegati."
    )
    sectors: list[SectorCode] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    topics: Line500 = ""
    agenda: LongText = Field(
        "", description="Testo formattato (p, strong, em, elenchi, link); il resto è rimosso."
    )
    talking_points: LongText = ""
    outcome: LongText = ""
    minutes: LongText = ""
    source: Line1000 = ""
    confidentiality: Confidentiality = Confidentiality.INTERNO


class MeetingIn(_MeetingFields):
    kind: MeetingKind = MeetingKind.INCONTRO
    title: Name
    status: MeetingStatus = Field(
        MeetingStatus.RICHIESTA,
        description="Lo stato iniziale (es. svolto per un incontro passato).",
    )
    ente_id: Id | None = Field(None, description="Obbligatorio solo per chi appartiene a più enti.")


class MeetingPatch(PatchSchema):
    version: Version
    kind: MeetingKind | None = None
    title: Name | None = None
    date: IsoDate | None = Field(None, description=WHEN_HELP)
    date_precision: DatePrecision | None = None
    starts_at: IsoDateTime | None = None
    ends_at: IsoDateTime | None = None
    all_day: StrictBool | None = None
    timezone: TimeZoneName | None = None
    period: Line120 | None = None
    place: Line300 | None = None
    city: Line120 | None = None
    country: CountryCode | None = None
    counterpart_ids: list[Id] | None = Field(None, max_length=MAX_LIST_ITEMS)
    agreement_ids: list[Id] | None = Field(None, max_length=MAX_LIST_ITEMS)
    sectors: list[SectorCode] | None = Field(None, max_length=MAX_LIST_ITEMS)
    topics: Line500 | None = None
    agenda: LongText | None = None
    talking_points: LongText | None = None
    outcome: LongText | None = None
    minutes: LongText | None = None
    source: Line1000 | None = None
    confidentiality: Confidentiality | None = None


class MeetingStatusIn(InSchema):
    status: MeetingStatus


class CounterpartRef(Schema):
    id: int
    name: str
    country: str


class MeetingOut(Schema):
    id: int
    ente_id: int
    kind: MeetingKind
    kind_label: str
    title: str
    status: MeetingStatus
    status_label: str
    allowed_statuses: list[MeetingStatus] = Field(
        description="Gli stati a cui l'utente può portare l'incontro ora."
    )
    date: datetime.date | None
    date_precision: DatePrecision
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    all_day: bool
    timezone: str
    period: str
    place: str
    city: str
    country: str
    counterparts: list[CounterpartRef]
    agreement_ids: list[int]
    sectors: list[str]
    topics: str
    agenda: str
    talking_points: str
    outcome: str
    minutes: str
    source: str
    confidentiality: Confidentiality
    version: int


class MeetingPage(Page):
    items: list[MeetingOut]


class MeetingFilters(PageQuery):
    q: SearchText | None = None
    status: MeetingStatus | None = None
    kind: MeetingKind | None = None
    from_date: IsoDate | None = Field(None, description="Dal giorno (incluso).")
    to_date: IsoDate | None = Field(None, description="Al giorno (incluso).")
    organisation_id: QueryId | None = Field(
        None, description="Solo gli incontri con questa controparte."
    )
    ente_id: QueryId | None = Field(
        None, description="Solo quelli di questo ente (per chi lavora per più enti)."
    )


# --- participants ------------------------------------------------------------------------------


class ParticipantIn(InSchema):
    side: ParticipantSide
    person_id: Id | None = Field(None, description="Una persona del registro.")
    position_id: Id | None = Field(
        None,
        description="L'incarico della persona; se manca, quello valido il giorno dell'incontro.",
    )
    user_id: Id | None = Field(None, description="Un utente dell'ente (per la nostra parte).")
    guest_name: Line200 = ""
    role: Line200 = ""


class ParticipantOut(Schema):
    id: int
    meeting_id: int
    side: ParticipantSide
    person_id: int | None
    position_id: int | None
    user_id: int | None
    name: str
    role: str


class ParticipantAdded(ParticipantOut):
    warning: str | None = Field(
        description="Avviso se l'incarico non era ricoperto il giorno dell'incontro."
    )


# --- visit requests ----------------------------------------------------------------------------


class VisitRequestIn(InSchema):
    received_on: IsoDate | None = None
    channel: VisitChannel = VisitChannel.EMAIL  # type: ignore[attr-defined]
    requester_id: Id | None = None
    requester_contact: Line200 = ""
    purpose: Annotated[
        str, StringConstraints(strict=True, min_length=1), AfterValidator(_required_text)
    ]
    proposed_start: IsoDate | None = None
    proposed_end: IsoDate | None = None
    proposed_dates_note: Line300 = ""
    delegation: LongText = Field("", description="Una persona per riga: nome, titolo.")
    languages: Line120 = ""
    interpreters_needed: StrictBool = False
    special_needs: LongText = ""
    gifts_planned: LongText = ""
    confidentiality: Confidentiality = Confidentiality.INTERNO
    ente_id: Id | None = None


class VisitRequestPatch(PatchSchema):
    version: Version
    received_on: IsoDate | None = None
    channel: VisitChannel | None = None
    requester_id: Id | None = None
    requester_contact: Line200 | None = None
    purpose: LongText | None = None
    proposed_start: IsoDate | None = None
    proposed_end: IsoDate | None = None
    proposed_dates_note: Line300 | None = None
    delegation: LongText | None = None
    languages: Line120 | None = None
    interpreters_needed: StrictBool | None = None
    special_needs: LongText | None = None
    gifts_planned: LongText | None = None
    confidentiality: Confidentiality | None = None


class VisitDecisionIn(InSchema):
    accept: StrictBool
    reason: LongText = Field("", description="Obbligatoria per un rifiuto.")
    confirm: StrictBool = Field(
        True, description="Se accettata, l'incontro nasce confermato (altrimenti in valutazione)."
    )


class VisitRequestOut(Schema):
    id: int
    ente_id: int
    received_on: datetime.date
    channel: VisitChannel
    requester_id: int | None
    requester_contact: str
    purpose: str
    proposed_start: datetime.date | None
    proposed_end: datetime.date | None
    proposed_dates_note: str
    delegation: str
    languages: str
    interpreters_needed: bool
    special_needs: str
    gifts_planned: str
    decision: VisitDecision
    decision_reason: str
    decided_at: datetime.datetime | None
    meeting_id: int | None = Field(description="L'incontro creato accettando la richiesta.")
    confidentiality: Confidentiality
    version: int


class VisitRequestPage(Page):
    items: list[VisitRequestOut]


class VisitRequestFilters(PageQuery):
    decision: VisitDecision | None = None
    requester_id: QueryId | None = None


# --- follow-up actions -------------------------------------------------------------------------


class ActionIn(InSchema):
    description: Required500
    owner_id: Id = Field(description="Un utente dell'ente dell'azione.")
    meeting_id: Id | None = None
    organisation_id: Id | None = None
    due_date: IsoDate | None = None
    status: ActionStatus = ActionStatus.APERTA
    confidentiality: Confidentiality = Confidentiality.INTERNO
    ente_id: Id | None = Field(
        None, description="Se l'azione non è di un incontro e appartieni a più enti."
    )


class ActionPatch(PatchSchema):
    version: Version
    description: Required500 | None = None
    owner_id: Id | None = None
    organisation_id: Id | None = None
    due_date: IsoDate | None = None
    status: ActionStatus | None = None
    done_on: IsoDate | None = None
    confidentiality: Confidentiality | None = None


class ActionOut(Schema):
    id: int
    ente_id: int
    meeting_id: int | None
    organisation_id: int | None
    description: str
    owner_id: int
    owner: str
    due_date: datetime.date | None
    status: ActionStatus
    status_label: str
    done_on: datetime.date | None
    confidentiality: Confidentiality
    version: int


class ActionPage(Page):
    items: list[ActionOut]


class ActionFilters(PageQuery):
    mine: bool = Field(False, description="Solo le azioni di cui sono responsabile.")
    open: bool = Field(False, description="Solo quelle da fare o in corso.")
    status: ActionStatus | None = None
    meeting_id: QueryId | None = None
    organisation_id: QueryId | None = None
    ente_id: QueryId | None = Field(
        None, description="Solo quelli di questo ente (per chi lavora per più enti)."
    )


# --- gifts -------------------------------------------------------------------------------------


class GiftIn(InSchema):
    direction: GiftDirection
    description: Required500
    meeting_id: Id | None = None
    counterpart_id: Id | None = None
    estimated_value: Money | None = None
    kept_at: Line300 = ""
    given_on: IsoDate | None = None
    confidentiality: Confidentiality = Confidentiality.INTERNO
    ente_id: Id | None = None


class GiftPatch(PatchSchema):
    version: Version
    direction: GiftDirection | None = None
    description: Required500 | None = None
    meeting_id: Id | None = None
    counterpart_id: Id | None = None
    estimated_value: Money | None = None
    kept_at: Line300 | None = None
    given_on: IsoDate | None = None
    confidentiality: Confidentiality | None = None


class GiftOut(Schema):
    id: int
    ente_id: int
    meeting_id: int | None
    counterpart_id: int | None
    direction: GiftDirection
    description: str
    estimated_value: float | None
    kept_at: str
    given_on: datetime.date | None
    over_threshold: bool = Field(
        description="Valore stimato oltre la soglia dell'ente (da segnalare)."
    )
    confidentiality: Confidentiality
    version: int


class GiftPage(Page):
    items: list[GiftOut]


class GiftFilters(PageQuery):
    direction: GiftDirection | None = None
    meeting_id: QueryId | None = None
    organisation_id: QueryId | None = None
    ente_id: QueryId | None = Field(
        None, description="Solo quelli di questo ente (per chi lavora per più enti)."
    )
